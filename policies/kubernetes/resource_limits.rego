# METADATA
# title: Container without CPU and memory limits
# description: |
#   ## What it does
#   Flags containers of workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
#   CronJob) that do not set both `resources.limits.cpu` and `resources.limits.memory`.
#
#   ## Why is this bad?
#   A container without a memory limit can use all of its node's memory and get other pods
#   evicted; without limits the scheduler cannot protect neighbours from a runaway process.
#
#   ## Example
#   ```yaml
#   containers:
#     - name: web
#       image: web:1.4.2
#   ```
#
#   ## Use instead
#   ```yaml
#       resources:
#         requests: {cpu: 100m, memory: 128Mi}
#         limits: {cpu: 500m, memory: 256Mi}
#   ```
# custom:
#   id: resource-limits
#   severity: warning
#   category: best-practice
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package argovet.kubernetes.resource_limits

import data.argovet.lib

warn contains result if {
	some [path, c] in lib.containers(input)
	some resource in ["cpu", "memory"]
	not c.resources.limits[resource]
	result := {
		"msg": sprintf("container %q of %s %q has no %s limit", [c.name, input.kind, input.metadata.name, resource]),
		"path": path,
		"help": sprintf("set `resources.limits.%s`", [resource]),
	}
}
