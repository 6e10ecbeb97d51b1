package argovet.argocd.image_updater_unconstrained_test

import data.argovet.argocd.image_updater_unconstrained as rule

app(ann) := {"kind": "Application", "metadata": {"name": "a", "annotations": ann}}

list := "argocd-image-updater.argoproj.io/image-list"

test_fires_on_latest_tag_by_digest if {
	found := rule.warn with input as app({list: "web=registry:5000/web:latest", "argocd-image-updater.argoproj.io/web.update-strategy": "digest"})
	[f.msg | some f in found] == ["Image Updater on Application \"a\": image \"registry:5000/web\" follows the `latest` tag"]
}

# With the default `semver` strategy, `latest` is an invalid constraint: nothing is updated.
test_fires_on_latest_as_a_semver_constraint if {
	found := rule.warn with input as app({list: "web=registry:5000/web:latest"})
	count(found) == 1
	some f in found
	contains(f.msg, "never updates it")
}

test_newest_build_ignores_the_tag if {
	found := rule.warn with input as app({list: "web=r/web:latest", "argocd-image-updater.argoproj.io/web.update-strategy": "latest"})
	[f.msg | some f in found] == ["Image Updater on Application \"a\": image \"r/web\" uses the \"latest\" strategy without `allow-tags`"]
}

test_fires_on_missing_constraint if {
	count(rule.warn) == 1 with input as app({list: "registry.example.com/web"})
}

test_fires_on_newest_build_without_allow_tags if {
	count(rule.warn) == 1 with input as app({list: "web=r/web:1.x", "argocd-image-updater.argoproj.io/web.update-strategy": "newest-build"})
}

test_quiet_on_constrained_images if {
	count(rule.warn) == 0 with input as app({list: "web=registry:5000/web:~1.4, api=r/api:1.x"})
}

test_quiet_on_newest_build_with_allow_tags if {
	count(rule.warn) == 0 with input as app({
		list: "web=r/web",
		"argocd-image-updater.argoproj.io/web.update-strategy": "newest-build",
		"argocd-image-updater.argoproj.io/web.allow-tags": "regexp:^main-",
	})
}

test_quiet_without_image_updater if {
	count(rule.warn) == 0 with input as app({})
}

test_splits_registry_ports_from_tags if {
	rule.split_ref("registry:5000/web") == ["registry:5000/web", ""]
	rule.split_ref("registry:5000/web:1.2") == ["registry:5000/web", "1.2"]
}
