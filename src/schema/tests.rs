//! Unit tests of the validator as a whole: the embedded schemas cover every field the Argo CD API
//! has, documents are routed by kind, and ApplicationSet CRDs keep the template tolerance.

use super::compile::{Additional, NodeId};
use super::*;
use crate::model::SourceFile;
use crate::yaml::{Limits, load};
use serde_json::json;

fn builtin() -> Arc<Validator> {
    Validator::builtin().unwrap()
}

/// Follows `$ref`s and then the property path `a.b[].c` (`[]` = list items); `None` when a step is
/// not defined.
fn resolve(v: &Validator, kind: &str, path: &str) -> Option<NodeId> {
    let c = &v.compiled;
    let deref = |mut id: NodeId| {
        while let Some(r) = c.node(id).reference {
            id = r;
        }
        id
    };
    let mut id = deref(v.kinds.get(&key(crate::model::ARGO_API_VERSION, kind))?.root);
    for step in path.split('.') {
        let (name, items) = match step.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (step, false),
        };
        id = deref(*c.node(id).properties.get(name)?);
        if items {
            id = deref(c.node(id).items?);
        }
    }
    Some(id)
}

#[test]
fn the_embedded_schemas_define_every_field_of_the_argo_cd_api() {
    let v = builtin();
    let app = [
        "spec.source.repoURL",
        "spec.source.path",
        "spec.source.targetRevision",
        "spec.source.chart",
        "spec.source.ref",
        "spec.source.name",
        "spec.source.tagPrefix",
        "spec.sources[].ref",
        "spec.source.helm.valueFiles",
        "spec.source.helm.values",
        "spec.source.helm.valuesObject",
        "spec.source.helm.parameters[].forceString",
        "spec.source.helm.fileParameters[].path",
        "spec.source.helm.releaseName",
        "spec.source.helm.version",
        "spec.source.helm.skipCrds",
        "spec.source.helm.ignoreMissingValueFiles",
        "spec.source.helm.passCredentials",
        "spec.source.helm.namespace",
        "spec.source.helm.kubeVersion",
        "spec.source.helm.apiVersions",
        "spec.source.helm.skipTests",
        "spec.source.helm.skipSchemaValidation",
        "spec.source.kustomize.images",
        "spec.source.kustomize.namePrefix",
        "spec.source.kustomize.nameSuffix",
        "spec.source.kustomize.commonLabels",
        "spec.source.kustomize.commonAnnotations",
        "spec.source.kustomize.patches[].target.labelSelector",
        "spec.source.kustomize.components",
        "spec.source.kustomize.replicas[].count",
        "spec.source.kustomize.namespace",
        "spec.source.kustomize.forceCommonLabels",
        "spec.source.kustomize.forceCommonAnnotations",
        "spec.source.kustomize.commonAnnotationsEnvsubst",
        "spec.source.kustomize.ignoreMissingComponents",
        "spec.source.kustomize.labelWithoutSelector",
        "spec.source.kustomize.labelIncludeTemplates",
        "spec.source.directory.recurse",
        "spec.source.directory.jsonnet.extVars[].code",
        "spec.source.directory.jsonnet.tlas[].name",
        "spec.source.directory.jsonnet.libs",
        "spec.source.directory.include",
        "spec.source.directory.exclude",
        "spec.source.plugin.env[].value",
        "spec.source.plugin.parameters[].array",
        "spec.destination.server",
        "spec.destination.name",
        "spec.destination.namespace",
        "spec.syncPolicy.automated.prune",
        "spec.syncPolicy.automated.selfHeal",
        "spec.syncPolicy.automated.allowEmpty",
        "spec.syncPolicy.automated.enabled",
        "spec.syncPolicy.syncOptions",
        "spec.syncPolicy.retry.limit",
        "spec.syncPolicy.retry.backoff.maxDuration",
        "spec.syncPolicy.managedNamespaceMetadata.labels",
        "spec.ignoreDifferences[].jsonPointers",
        "spec.ignoreDifferences[].jqPathExpressions",
        "spec.ignoreDifferences[].managedFieldsManagers",
        "spec.info[].value",
        "spec.revisionHistoryLimit",
        "spec.sourceHydrator.drySource.repoURL",
        "spec.sourceHydrator.syncSource.targetBranch",
        "spec.sourceHydrator.hydrateTo.targetBranch",
        "status",
        "operation",
        "metadata.labels",
    ];
    let set = [
        "spec.goTemplate",
        "spec.goTemplateOptions",
        "spec.templatePatch",
        "spec.template.spec.project",
        "spec.generators[].list.elements",
        "spec.generators[].list.elementsYaml",
        "spec.generators[].list.template.metadata.labels",
        "spec.generators[].clusters.selector.matchLabels",
        "spec.generators[].clusters.values",
        "spec.generators[].git.directories[].exclude",
        "spec.generators[].git.files[].path",
        "spec.generators[].git.pathParamPrefix",
        "spec.generators[].matrix.generators[].merge.mergeKeys",
        "spec.generators[].merge.mergeKeys",
        "spec.generators[].scmProvider.github.appSecretName",
        "spec.generators[].scmProvider.gitlab.caRef.key",
        "spec.generators[].scmProvider.awsCodeCommit.tagFilters[].key",
        "spec.generators[].scmProvider.filters[].pathsExist",
        "spec.generators[].pullRequest.github.labels",
        "spec.generators[].pullRequest.bitbucket.bearerToken.tokenRef",
        "spec.generators[].pullRequest.azuredevops.organization",
        "spec.generators[].clusterDecisionResource.configMapRef",
        "spec.generators[].plugin.input.parameters",
        "spec.generators[].selector.matchExpressions[].operator",
        "spec.syncPolicy.preserveResourcesOnDeletion",
        "spec.syncPolicy.applicationsSync",
        "spec.strategy.rollingSync.steps[].maxUpdate",
        "spec.strategy.deletionOrder",
        "spec.ignoreApplicationDifferences[].jqPathExpressions",
        "spec.preservedFields.labels",
    ];
    let proj = [
        "spec.sourceRepos",
        "spec.sourceNamespaces",
        "spec.destinations[].server",
        "spec.destinationServiceAccounts[].defaultServiceAccount",
        "spec.clusterResourceWhitelist[].name",
        "spec.clusterResourceBlacklist[].kind",
        "spec.namespaceResourceWhitelist[].group",
        "spec.namespaceResourceBlacklist[].kind",
        "spec.roles[].policies",
        "spec.roles[].groups",
        "spec.roles[].jwtTokens[].iat",
        "spec.syncWindows[].timeZone",
        "spec.signatureKeys[].keyID",
        "spec.orphanedResources.ignore[].name",
        "spec.permitOnlyProjectScopedClusters",
        "spec.sourceIntegrity.git.policies[].gpg.keys",
    ];
    let mut missing = Vec::new();
    for (kind, paths) in [("Application", &app[..]), ("ApplicationSet", &set[..]), ("AppProject", &proj[..])] {
        for p in paths {
            if resolve(&v, kind, p).is_none() {
                missing.push(format!("{kind} {p}"));
            }
        }
    }
    assert!(missing.is_empty(), "not in the schemas: {missing:?}");
    // Closed everywhere except the free-form places.
    assert_eq!(
        v.compiled.node(resolve(&v, "Application", "spec.syncPolicy.automated").unwrap()).additional,
        Additional::Forbidden
    );
    assert_eq!(
        v.compiled.node(resolve(&v, "Application", "spec.source.helm.valuesObject").unwrap()).additional,
        Additional::Any
    );
    assert_eq!(v.compiled.node(resolve(&v, "Application", "status").unwrap()).types, 0);
}

fn doc(text: &str) -> Document {
    let file = Arc::new(SourceFile::new("t.yaml", text.to_owned()));
    let mut loaded = load(text, &Limits::default());
    let d = loaded.docs.remove(0);
    Document::new(file, d.index, d.value, d.map)
}

#[test]
fn routes_documents_by_api_version_and_kind() {
    let v = builtin();
    let mut out = Vec::new();
    // Not Argo CD kinds, not Kubernetes objects: nothing to say without user schemas.
    v.check(&doc("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: 1}\n"), &mut out);
    v.check(&doc("replicas: 3\n"), &mut out);
    v.check(&doc("apiVersion: argoproj.io/v1beta1\nkind: Application\nspec: 1\n"), &mut out);
    assert!(out.is_empty(), "{out:?}");
    v.check(
        &doc("apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec: {sourceRepo: []}\n"),
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].rule, "schema-unknown-field");
    assert_eq!(out[0].kind.as_deref(), Some("AppProject"));
    assert_eq!(out[0].name.as_deref(), Some("p"));
    assert_eq!(v.origin("argoproj.io/v1alpha1", "application"), Some(&Origin::Builtin));
}

#[test]
fn required_schemas_turn_unknown_kinds_into_errors() {
    let v = Validator::new(&[], true).unwrap();
    let mut out = Vec::new();
    v.check(&doc("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"), &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].rule.as_str(), out[0].severity, out[0].span.line), ("schema-missing", Severity::Error, 2));
}

#[test]
fn an_applicationset_crd_keeps_the_template_tolerance() {
    let template = json!({"type": "object", "properties": {
        "metadata": {"type": "object", "properties": {"name": {"type": "string"}}},
        "spec": {"type": "object", "properties": {"revisionHistoryLimit": {"type": "integer"}}}}});
    let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "spec": {"group": "argoproj.io", "names": {"kind": "ApplicationSet"}, "versions": [{"name": "v1alpha1",
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "properties": {
                "template": template,
                "generators": {"type": "array", "items": {"type": "object", "properties": {"list": {"type": "object",
                    "properties": {"template": template}}}}},
                "count": {"type": "integer"}}}}}}}]}});
    let converted = crd::convert(&crd).unwrap();
    let dir = std::env::temp_dir().join(format!("argovet-appset-crd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("appset.json");
    std::fs::write(&path, crd.to_string()).unwrap();
    let v = Validator::new(std::slice::from_ref(&path), false).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(converted[0].schema["properties"]["spec"]["properties"]["template"]["x-argovet-template"], json!(true));
    assert!(matches!(v.origin("argoproj.io/v1alpha1", "ApplicationSet"), Some(Origin::User(_))));
    let value = json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet", "metadata": {"name": "s"},
        "spec": {"template": {"spec": {"revisionHistoryLimit": "{{ .n }}"}},
                 "generators": [{"list": {"template": {"spec": {"revisionHistoryLimit": "{{ .n }}"}}}}],
                 "count": "{{ .n }}"}});
    let found = v.violations("argoproj.io/v1alpha1", "ApplicationSet", &value).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/spec/count");
}

/// A validator over JSON Schema files written to a fresh directory (`(file name, schema)`).
fn user_validator(test: &str, files: &[(&str, serde_json::Value)]) -> Validator {
    let dir = std::env::temp_dir().join(format!("argovet-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, schema) in files {
        std::fs::write(dir.join(name), schema.to_string()).unwrap();
    }
    let v = Validator::new(std::slice::from_ref(&dir), false);
    std::fs::remove_dir_all(&dir).unwrap();
    v.unwrap()
}

fn gvk(kind: &str) -> serde_json::Value {
    json!([{"group": "example.com", "version": "v1", "kind": kind}])
}

/// `(pointer, rule-level summary)` of each violation of `value` as example.com/v1 `kind`.
fn found(v: &Validator, kind: &str, mut value: serde_json::Value) -> Vec<(String, String)> {
    value["apiVersion"] = json!("example.com/v1");
    value["kind"] = json!(kind);
    let vs = v.violations("example.com/v1", kind, &value).unwrap();
    vs.into_iter().map(|v| (v.pointer, format!("{:?}", v.problem))).collect()
}

fn envelope() -> serde_json::Value {
    json!({"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}})
}

#[test]
fn unevaluated_properties_through_the_jsonschema_crate() {
    let mut props = envelope();
    props["spec"] = json!({"type": "object",
        "allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {"type": "integer"}}}],
        "unevaluatedProperties": false});
    let v = user_validator(
        "unevaluated-properties",
        &[(
            "gadget.json",
            json!({"x-kubernetes-group-version-kind": gvk("Gadget"), "type": "object", "properties": props}),
        )],
    );
    assert!(v.kinds[&key("example.com/v1", "gadget")].external.is_some());
    assert_eq!(found(&v, "Gadget", json!({"spec": {"a": "x", "b": 1}})), []);
    let got = found(&v, "Gadget", json!({"spec": {"a": "x", "c": true}}));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "/spec/c");
    assert_eq!(got[0].1, r#"UnknownField { key: "c", known: ["a", "b"] }"#);
    // A type error the built-in validator reports is not reported twice.
    let got = found(&v, "Gadget", json!({"spec": {"a": 1}}));
    assert_eq!(got, [("/spec/a".to_owned(), "Type { expected: 16 }".to_owned())]);
}

#[test]
fn unevaluated_items_through_the_jsonschema_crate() {
    let mut props = envelope();
    props["list"] = json!({"type": "array", "prefixItems": [{"type": "string"}],
        "anyOf": [{"prefixItems": [true, {"type": "integer"}]}, {"maxItems": 1}], "unevaluatedItems": false});
    let v = user_validator(
        "unevaluated-items",
        &[(
            "gadget.json",
            json!({"x-kubernetes-group-version-kind": gvk("Gadget"), "type": "object", "properties": props}),
        )],
    );
    assert_eq!(found(&v, "Gadget", json!({"list": ["a", 2]})), []);
    let got = found(&v, "Gadget", json!({"list": ["a", 2, true]}));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "/list/2");
    assert!(got[0].1.contains("no subschema evaluates this item"), "{got:?}");
}

#[test]
fn dynamic_refs_through_the_jsonschema_crate() {
    // list.json's items are whatever the entry schema's `item` anchor says: strings for Gadget.
    let list = json!({"$id": "https://example.com/list.json", "$defs": {"item": {"$dynamicAnchor": "item"}},
        "type": "array", "items": {"$dynamicRef": "#item"}});
    let mut props = envelope();
    props["values"] = json!({"$ref": "list.json"});
    let gadget = json!({"$id": "https://example.com/gadget.json", "x-kubernetes-group-version-kind": gvk("Gadget"),
        "type": "object", "properties": props, "$defs": {"item": {"$dynamicAnchor": "item", "type": "string"}}});
    let v = user_validator("dynamic-ref", &[("gadget.json", gadget), ("list.json", list)]);
    assert_eq!(found(&v, "Gadget", json!({"values": ["a", "b"]})), []);
    let got = found(&v, "Gadget", json!({"values": ["a", 2]}));
    assert_eq!(got, [("/values/1".to_owned(), "Type { expected: 16 }".to_owned())]);
}

#[test]
fn alternatives_that_use_external_keywords_are_judged_by_the_jsonschema_crate() {
    let mut props = envelope();
    props["spec"] = json!({"anyOf": [
        {"type": "object", "properties": {
            "a": {"type": "string"},
            "port": {"x-kubernetes-int-or-string": true},
            "opt": {"type": "string", "nullable": true},
            "count": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}},
         "unevaluatedProperties": false},
        {"type": "string"}]});
    let v = user_validator(
        "external-alternatives",
        &[(
            "gadget.json",
            json!({"x-kubernetes-group-version-kind": gvk("Gadget"), "type": "object", "properties": props}),
        )],
    );
    // Kubernetes semantics hold on both sides: int-or-string, nullable, OpenAPI's boolean bound.
    assert_eq!(found(&v, "Gadget", json!({"spec": {"a": "x", "port": "50%", "opt": null, "count": 2}})), []);
    assert_eq!(found(&v, "Gadget", json!({"spec": "text"})), []);
    // The built-in validator accepts the first form (it does not evaluate `unevaluatedProperties`),
    // the jsonschema crate does not.
    let got = found(&v, "Gadget", json!({"spec": {"a": "x", "b": 1}}));
    assert_eq!(
        got,
        [("/spec".to_owned(), "Constraint { message: \"does not match any of the allowed forms\" }".to_owned())]
    );
}

#[test]
fn the_embedded_schemas_need_no_other_validator() {
    let v = builtin();
    for k in v.kinds.values() {
        assert!(k.external.is_none());
        assert!(!v.compiled.reaches_external(k.root));
    }
    // Nor does any embedded schema hold a keyword argovet does not check.
    for node in &v.compiled.nodes {
        assert!(node.extra.as_ref().is_none_or(|x| x.unchecked.is_empty() && x.external.is_empty()), "{node:?}");
    }
}

#[test]
fn template_values_are_left_to_expansion_by_the_jsonschema_crate_too() {
    let mut props = envelope();
    props["spec"] = json!({"x-argovet-template": true,
        "anyOf": [{"type": "object", "properties": {"n": {"type": "integer"}}, "unevaluatedProperties": false}]});
    let v = user_validator(
        "external-template",
        &[(
            "gadget.json",
            json!({"x-kubernetes-group-version-kind": gvk("Gadget"), "type": "object", "properties": props}),
        )],
    );
    // The jsonschema crate refuses `{{ .n }}` for an integer; before expansion that is unknowable.
    assert_eq!(found(&v, "Gadget", json!({"spec": {"n": "{{ .n }}"}})), []);
    let got = found(&v, "Gadget", json!({"spec": {"n": 1, "m": 2}}));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "/spec");
}

#[test]
fn recursive_refs_are_reported_with_their_replacement() {
    let mut props = envelope();
    props["tree"] = json!({"$recursiveAnchor": true, "type": "object", "additionalProperties": {"$recursiveRef": "#"}});
    let v = user_validator(
        "recursive-ref",
        &[(
            "gadget.json",
            json!({"x-kubernetes-group-version-kind": gvk("Gadget"), "type": "object", "properties": props}),
        )],
    );
    let got = found(&v, "Gadget", json!({"tree": {"a": {}}}));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "/tree/a");
    assert!(got[0].1.contains("keyword: \"$recursiveRef\"") && got[0].1.contains("`$dynamicRef`"), "{got:?}");
}

#[test]
fn only_kinds_that_need_it_get_a_jsonschema_validator() {
    let mut props = envelope();
    props["spec"] = json!({"type": "object", "properties": {"n": {"type": "integer", "multipleOf": 2}},
        "if": {"required": ["n"]}, "then": {"minProperties": 1}, "x-kubernetes-validations": [{"rule": "true"}]});
    let v = user_validator(
        "no-external",
        &[(
            "gadget.json",
            json!({"x-kubernetes-group-version-kind": gvk("Gadget"), "type": "object", "properties": props}),
        )],
    );
    assert!(v.kinds[&key("example.com/v1", "gadget")].external.is_none());
    let got = found(&v, "Gadget", json!({"spec": {"n": 3}}));
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].1.contains("must be a multiple of 2") && got[1].1.contains("x-kubernetes-validations"), "{got:?}");
}
