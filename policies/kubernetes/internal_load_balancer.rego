# METADATA
# title: LoadBalancer Service without an internal-load-balancer annotation
# description: |
#   ## What it does
#   Flags Services of `type: LoadBalancer` that carry none of the cloud annotations that make the
#   load balancer internal (AWS `service.beta.kubernetes.io/aws-load-balancer-internal` or
#   `aws-load-balancer-scheme: internal`, GCP `networking.gke.io/load-balancer-type: Internal`,
#   Azure `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`, OCI
#   `service.beta.kubernetes.io/oci-load-balancer-internal: "true"`).
#
#   ## Why is this bad?
#   By default a LoadBalancer Service gets a public IP address: the service is reachable from the
#   Internet, which is rarely what an internal API wants.
#
#   ## Example
#   ```yaml
#   kind: Service
#   spec:
#     type: LoadBalancer
#   ```
#
#   ## Use instead
#   ```yaml
#   metadata:
#     annotations:
#       networking.gke.io/load-balancer-type: Internal
#   ```
#   (or suppress the finding for a service that is public on purpose).
# custom:
#   id: internal-load-balancer
#   severity: warning
#   category: best-practice
#   kinds: [Service]
package argovet.kubernetes.internal_load_balancer

annotations := object.get(input, ["metadata", "annotations"], {})

internal if lower(annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]) in {"true", "0.0.0.0/0"}

internal if annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internal"

internal if lower(annotations["networking.gke.io/load-balancer-type"]) == "internal"

internal if lower(annotations["cloud.google.com/load-balancer-type"]) == "internal"

internal if lower(annotations["service.beta.kubernetes.io/azure-load-balancer-internal"]) == "true"

internal if lower(annotations["service.beta.kubernetes.io/oci-load-balancer-internal"]) == "true"

warn contains result if {
	input.spec.type == "LoadBalancer"
	not internal
	result := {
		"msg": sprintf("Service %q gets a public load balancer", [input.metadata.name]),
		"path": "spec.type",
		"help": "add your cloud's internal-load-balancer annotation, or use a ClusterIP Service behind an Ingress",
	}
}
