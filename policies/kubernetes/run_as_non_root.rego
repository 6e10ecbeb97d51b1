# METADATA
# title: Container may run as root (`runAsNonRoot` not set)
# description: |
#   ## What it does
#   Flags workload containers for which neither the container's nor the pod's
#   `securityContext.runAsNonRoot` is `true`.
#
#   ## Why is this bad?
#   A process running as root inside a container is one kernel or runtime bug away from root on
#   the node. `runAsNonRoot: true` makes the kubelet refuse to start an image whose user is root.
#
#   ## Example
#   ```yaml
#   spec:
#     containers:
#       - name: web
#         image: web:1.4.2
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     securityContext:
#       runAsNonRoot: true
#   ```
# custom:
#   id: run-as-non-root
#   severity: warning
#   category: best-practice
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package argovet.kubernetes.run_as_non_root

import data.argovet.lib

pod_non_root if {
	[_, spec] := lib.pod_spec(input)
	spec.securityContext.runAsNonRoot == true
}

warn contains result if {
	not pod_non_root
	some [path, c] in lib.containers(input)
	not c.securityContext.runAsNonRoot == true
	result := {
		"msg": sprintf("container %q of %s %q may run as root", [c.name, input.kind, input.metadata.name]),
		"path": path,
		"help": "set `securityContext.runAsNonRoot: true` on the pod or the container",
	}
}
