# METADATA
# title: Argo CD Image Updater follows `latest` or any new tag
# description: |
#   ## What it does
#   Reads the Argo CD Image Updater annotations of an Application
#   (`argocd-image-updater.argoproj.io/image-list`, `<alias>.update-strategy`,
#   `<alias>.allow-tags`) and flags images that
#   - follow the `latest` tag by digest (`nginx:latest` with the `digest` strategy), or
#   - have no version constraint with the `semver` (default) or `digest` strategy, or
#   - use the `newest-build`/`latest` or `alphabetical`/`name` strategy without `allow-tags`, or
#   - give `latest` as the constraint of the `semver` strategy (`nginx:latest` without a
#     strategy): that is no version range, and Image Updater never updates the image.
#
#   ## Why is this bad?
#   The updater then deploys whatever is pushed next: a new major version, a debug build, a tag
#   pushed by mistake. Constraints keep automatic updates to the versions you meant.
#
#   ## Example
#   ```yaml
#   metadata:
#     annotations:
#       argocd-image-updater.argoproj.io/image-list: web=registry.example.com/web
#   ```
#
#   ## Use instead
#   ```yaml
#       argocd-image-updater.argoproj.io/image-list: web=registry.example.com/web:~1.4
#   ```
# custom:
#   id: image-updater-unconstrained
#   severity: warning
#   category: best-practice
#   kinds: [Application]
package argovet.argocd.image_updater_unconstrained

prefix := "argocd-image-updater.argoproj.io/"

annotations := object.get(input, ["metadata", "annotations"], {})

pointer := sprintf("/metadata/annotations/%s", [replace(concat("", [prefix, "image-list"]), "/", "~1")])

# [alias, image, constraint] for each entry of image-list.
# A plain lookup first: most Applications have no Image Updater annotations, and in regorus a
# lookup costs far less than the calls below.
image_list := input.metadata.annotations["argocd-image-updater.argoproj.io/image-list"]

images contains [alias, image, constraint] if {
	some item in split(image_list, ",")
	entry := trim_space(item)
	entry != ""
	parts := split(entry, "=")
	alias := alias_of(parts)
	ref := parts[count(parts) - 1]
	[image, constraint] := split_ref(ref)
}

alias_of(parts) := parts[0] if count(parts) > 1

alias_of(parts) := "" if count(parts) == 1

# `registry:5000/web:1.x` -> ["registry:5000/web", "1.x"]; no tag -> constraint "".
split_ref(ref) := [substring(ref, 0, i), substring(ref, i + 1, -1)] if {
	i := tag_colon(ref)
}

split_ref(ref) := [ref, ""] if not tag_colon(ref)

# The position of the colon before the tag, if the last path segment has one.
tag_colon(ref) := count(ref) - count(last) + indexof(last, ":") if {
	segments := split(ref, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
}

setting(alias, key) := annotations[sprintf("%s%s.%s", [prefix, alias, key])] if alias != ""

strategy(alias) := s if {
	s := setting(alias, "update-strategy")
	s != null
}

strategy(alias) := "semver" if not has_setting(alias, "update-strategy")

has_setting(alias, key) if setting(alias, key) != null

problem(alias, constraint) := "follows the `latest` tag" if {
	constraint == "latest"
	strategy(alias) == "digest"
}

# Image Updater reads the tag as a semantic version constraint, and `latest` is none: it logs
# "invalid constraint" and leaves the image alone.
problem(alias, constraint) := "has `latest` as its version constraint, which the `semver` strategy rejects: Image Updater never updates it" if {
	constraint == "latest"
	strategy(alias) == "semver"
}

problem(alias, constraint) := sprintf("has no version constraint with the %q strategy", [strategy(alias)]) if {
	constraint == ""
	strategy(alias) in {"semver", "digest"}
}

# These strategies ignore the tag in `image-list`: only `allow-tags` limits them.
problem(alias, constraint) := sprintf("uses the %q strategy without `allow-tags`", [strategy(alias)]) if {
	strategy(alias) in {"latest", "newest-build", "name", "alphabetical"}
	not setting(alias, "allow-tags")
}

warn contains result if {
	some [alias, image, constraint] in images
	why := problem(alias, constraint)
	result := {
		"msg": sprintf("Image Updater on Application %q: image %q %s", [input.metadata.name, image, why]),
		"path": pointer,
		"help": "constrain the image (`web=registry/web:~1.4`) or set `<alias>.allow-tags: regexp:^v1\\.`",
	}
}
