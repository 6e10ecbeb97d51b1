package argovet.argocd.app_default_project_test

import data.argovet.argocd.app_default_project

app(project) := {
	"apiVersion": "argoproj.io/v1alpha1",
	"kind": "Application",
	"metadata": {"name": "web"},
	"spec": {"project": project},
}

test_fires_on_default_project if {
	count(app_default_project.warn) == 1 with input as app("default")
}

test_quiet_on_dedicated_project if {
	count(app_default_project.warn) == 0 with input as app("payments")
}
