package argovet.kubernetes.latest_image_test

import data.argovet.kubernetes.latest_image as rule

pod(image) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": image}]}}

test_fires_on_latest if {
	count(rule.warn) == 1 with input as pod("nginx:latest")
}

test_fires_on_missing_tag if {
	count(rule.warn) == 1 with input as pod("registry:5000/team/nginx")
}

test_quiet_on_versions_and_digests if {
	count(rule.warn) == 0 with input as pod("registry:5000/nginx:1.27")
	count(rule.warn) == 0 with input as pod("nginx@sha256:0123")
}
