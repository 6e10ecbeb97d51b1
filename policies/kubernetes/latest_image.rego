# METADATA
# title: Container image uses `latest` or no tag
# description: |
#   ## What it does
#   Flags workload containers whose `image` has the tag `latest` or no tag and no digest.
#
#   ## Why is this bad?
#   `latest` changes under you: two pods of one Deployment can run different code, a restart
#   deploys an untested build, and Git no longer says what runs. Argo CD also cannot see the
#   change, so nothing is diffed or synced.
#
#   ## Example
#   ```yaml
#   image: nginx
#   ```
#
#   ## Use instead
#   ```yaml
#   image: nginx:1.27.2   # or nginx@sha256:...
#   ```
# custom:
#   id: latest-image
#   severity: warning
#   category: best-practice
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package argovet.kubernetes.latest_image

import data.argovet.lib

tag(image) := "digest" if contains(image, "@")

tag(image) := t if {
	not contains(image, "@")
	segments := split(image, "/")
	last := segments[count(segments) - 1]
	parts := split(last, ":")
	t := concat("", array.slice(parts, 1, 2))
}

warn contains result if {
	some [path, c] in lib.containers(input)
	t := tag(c.image)
	t in {"", "latest"}
	result := {
		"msg": sprintf("container %q of %s %q uses image %q, which has no fixed version", [c.name, input.kind, input.metadata.name, c.image]),
		"path": sprintf("%s.image", [path]),
		"help": "pin the image to a version tag or a digest",
	}
}
