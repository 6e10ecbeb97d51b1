# METADATA
# title: Long-running container without a readiness probe
# description: |
#   ## What it does
#   Flags containers of Deployments, StatefulSets and DaemonSets that have no `readinessProbe`.
#
#   ## Why is this bad?
#   Without a readiness probe a pod receives traffic as soon as its process starts, before it can
#   serve; rolling updates move on before new pods work, and Argo CD reports the rollout Healthy
#   while requests fail.
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
#       readinessProbe:
#         httpGet: {path: /healthz, port: 8080}
#   ```
# custom:
#   id: readiness-probe
#   severity: warning
#   category: best-practice
#   kinds: [Deployment, StatefulSet, DaemonSet]
package argovet.kubernetes.readiness_probe

import data.argovet.lib

warn contains result if {
	some [path, c] in lib.containers(input)
	not c.readinessProbe
	result := {
		"msg": sprintf("container %q of %s %q has no readiness probe", [c.name, input.kind, input.metadata.name]),
		"path": path,
		"help": "add a `readinessProbe` (httpGet, tcpSocket, grpc or exec)",
	}
}
