package argovet.lib_test

import data.argovet.lib

app(dest) := {"kind": "Application", "metadata": {"name": "a"}, "spec": {"destination": dest}}

production_namespace(ns) if lib.input_is_production with input as app({"namespace": ns})

production_cluster(name) if lib.input_is_production with input as app({"name": name, "namespace": "web"})

production_server(server) if lib.input_is_production with input as app({"server": server, "namespace": "web"})

test_production_namespaces if {
	production_namespace("prod")
	production_namespace("production")
	production_namespace("prd")
	production_namespace("payments-prod")
	production_namespace("prod-payments")
	production_namespace("eu-prod-payments")
	production_namespace("payments.production")
	production_namespace("payments_prd")
	production_namespace("prod2")
	production_namespace("payments-prod01")
	production_namespace("non-prod-eu-prod")
}

test_not_production_namespaces if {
	not production_namespace("guestbook-non-prod")
	not production_namespace("non-prod")
	not production_namespace("nonprod")
	not production_namespace("non-production")
	not production_namespace("pre-prod")
	not production_namespace("preprod")
	not production_namespace("payments-pre-prod-eu")
	not production_namespace("not-prod")
	not production_namespace("products")
	not production_namespace("reproduce")
	not production_namespace("prod1a")
	not production_namespace("staging")
	not production_namespace("")
}

test_production_cluster_names if {
	production_cluster("prod")
	production_cluster("prod-eu")
	production_cluster("eu-prod")
	production_cluster("EU-Prod")
	production_cluster("gke_acme_europe-west1_prod")
	production_cluster("arn:aws:eks:eu-west-1:1234:cluster/prod")
}

test_not_production_cluster_names if {
	not production_cluster("non-prod-eu")
	not production_cluster("NonProd")
	not production_cluster("Pre-Prod")
	not production_cluster("preprod-eu")
	not production_cluster("in-cluster")
}

test_production_servers if {
	production_server("https://prod.example.com")
	production_server("https://k8s.prod.example.com:6443")
	production_server("https://prod:6443")
	production_server("https://api.example.com/clusters/prod")
}

test_not_production_servers if {
	not production_server("https://kubernetes.default.svc")
	not production_server("https://preprod.example.com")
	not production_server("https://non-prod.example.com")
}

test_labels if {
	lib.input_is_production with input as {"metadata": {"labels": {"env": "prod"}}, "spec": {}}
	lib.input_is_production with input as {"metadata": {"labels": {"environment": "production"}}, "spec": {}}
	not lib.input_is_production with input as {"metadata": {"labels": {"env": "non-prod"}}, "spec": {}}
	not lib.input_is_production with input as {"metadata": {"labels": {"env": "preprod"}}, "spec": {}}
}

test_configured_patterns_replace_the_words if {
	cfg := {"namespaces": ["^live$"], "clusters": ["^eu-1$"]}
	production_namespace("live") with data.argovet_config.production as cfg
	not production_namespace("prod") with data.argovet_config.production as cfg
	production_cluster("eu-1") with data.argovet_config.production as cfg
	not production_cluster("prod-eu") with data.argovet_config.production as cfg
}

test_configuring_one_list_keeps_the_words_for_the_others if {
	production_cluster("prod-eu") with data.argovet_config.production as {"namespaces": ["^live$"]}
	production_namespace("prod") with data.argovet_config.production as {"clusters": ["^eu-1$"]}
}

test_floating_sources if {
	lib.floating_source({"repoURL": "https://g/x.git", "targetRevision": "main"})
	lib.floating_source({"repoURL": "https://g/x.git"})
	lib.floating_source({"repoURL": "https://g/x.git", "targetRevision": "HEAD"})
	lib.floating_source({"repoURL": "https://charts", "chart": "web", "targetRevision": "1.*"})
	lib.floating_source({"repoURL": "https://charts", "chart": "web", "targetRevision": "^1.2"})
	not lib.floating_source({"repoURL": "https://g/x.git", "targetRevision": "v1.4.2"})
	not lib.floating_source({"repoURL": "https://g/x.git", "targetRevision": "3f2a9c1"})
	not lib.floating_source({"repoURL": "https://charts", "chart": "web", "targetRevision": "1.2.3"})
}
