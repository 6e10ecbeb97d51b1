//! `argovet check` integration: generated Applications as [`Document`]s whose source map points at
//! the ApplicationSet's template, plus the engine's own findings.

use super::rules::{
    AppsetDuplicateApplication, AppsetInputUnavailable, AppsetNoApplications, AppsetRenderError,
    AppsetRevisionUnavailable, AppsetUndefinedParam, AppsetUnreplacedTemplate,
};
use super::{Cluster, Expansion, Inputs, RepoSource, expand};
use crate::lint::RuleInfo;
use crate::lint::rules::appset::gotemplate_syntax;
use crate::lint::rules::appset::tags::{fasttemplate_param, is_go_syntax, tags, templated_strings};
use crate::model::{DocKind, Document, Meet};
use crate::report::{Finding, Generated, Severity};
use crate::yaml::{Entry, Node, SourceMap};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The git repositories an ApplicationSet document's generators read (the mapping of the repository
/// holding the document), or `None` for [`Inputs::repos`].
pub type RepoFor<'a> = dyn Fn(&Document) -> Option<&'a dyn RepoSource> + Sync + 'a;

/// Inputs of [`expand_all_for_check`] beyond what the checked documents provide.
#[derive(Clone, Copy)]
pub struct CheckInputs<'a> {
    /// Clusters from `--clusters` and `.argovet.yaml`.
    pub clusters: &'a [Cluster],
    /// Whether `--clusters` or `.argovet.yaml` named any cluster source.
    pub clusters_given: bool,
    /// The rest, as for [`expand`].
    pub base: Inputs<'a>,
    /// Per-document repositories (each checked PATH's own repository), overriding `base.repos`.
    pub repo_for: Option<&'a RepoFor<'a>>,
    /// `--strict-inputs`: inputs argovet lacks (unmapped repositories, generators needing a live service,
    /// revisions missing from a partial clone) are errors instead of infos and warnings.
    pub strict_inputs: bool,
    /// Which lint rules own template mistakes ([`Owners`]); the engine stays quiet on what they report.
    pub owners: Owners,
}

/// The lint rules that report a template mistake more precisely than the engine's consequence of it
/// (docs/appset.md, "One cause, one finding"): when one is enabled, the engine does not report the same
/// cause again.
#[derive(Clone, Copy, Debug, Default)]
pub struct Owners {
    /// `appset-template-style-mismatch`: `{{param}}` in a goTemplate set, `{{ .param }}` in a
    /// fasttemplate set.
    pub style_mismatch: bool,
    /// `appset-gotemplate-syntax`: a goTemplate string that does not parse.
    pub gotemplate_syntax: bool,
    /// `appset-undefined-param` (the engine's own): a parameter no generator produces.
    pub undefined_param: bool,
}

impl Owners {
    /// Both rules enabled (the default configuration).
    pub fn all() -> Owners {
        Owners { style_mismatch: true, gotemplate_syntax: true, undefined_param: true }
    }
}

/// Expands every ApplicationSet among `docs` (cluster Secrets among them count as clusters) and
/// checks generated names for conflicts across sets and hand-written Applications.
pub fn expand_all_for_check(docs: &[Document], inputs: &CheckInputs<'_>) -> (Vec<Document>, Vec<Finding>) {
    let mut clusters: Vec<Cluster> = inputs.clusters.to_vec();
    let mut findings = Vec::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::ClusterSecret) {
        match Cluster::from_secret(&d.value) {
            Ok(c) => clusters.push(c),
            Err(e) => findings.push(finding(d, &AppsetInputUnavailable::INFO, "/data", e)),
        }
    }
    let any_secret = docs.iter().any(|d| d.kind == DocKind::ClusterSecret);
    let expand_inputs =
        Inputs { clusters: &clusters, clusters_given: inputs.clusters_given || any_secret, ..inputs.base };
    let mut generated = Vec::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::ApplicationSet) {
        let own = inputs.repo_for.and_then(|f| f(d));
        let doc_inputs = Inputs { repos: own.or(expand_inputs.repos), ..expand_inputs };
        let (g, mut f) = expand_for_check_with(d, &doc_inputs, inputs.owners);
        if inputs.strict_inputs {
            for x in f
                .iter_mut()
                .filter(|x| x.rule == AppsetInputUnavailable::INFO.id || x.rule == AppsetRevisionUnavailable::INFO.id)
            {
                x.severity = Severity::Error;
                x.message.push_str(" (an error under --strict-inputs)");
            }
        }
        generated.extend(g);
        findings.extend(f);
    }
    // Duplicates are found by the caller once every document's deployment units are known
    // (`duplicate_findings`).
    (generated, findings)
}

/// Expands one ApplicationSet document: its generated Applications, and findings about the set.
pub fn expand_for_check(doc: &Document, inputs: &Inputs<'_>) -> (Vec<Document>, Vec<Finding>) {
    expand_for_check_with(doc, inputs, Owners::all())
}

/// [`expand_for_check`], leaving the causes `owners` report to them.
pub fn expand_for_check_with(doc: &Document, inputs: &Inputs<'_>, owners: Owners) -> (Vec<Document>, Vec<Finding>) {
    let ex = expand(&doc.value, inputs);
    let mut findings = Vec::new();
    let undefined = undefined_params(doc, &ex, owners, &mut findings);
    let mut owned = OwnedMistakes::of(doc, owners, ex.errors.iter().any(is_compile_error));
    // A name that reads a parameter no generator produces renders alike for every element: the duplicate
    // names are appset-undefined-param's consequence.
    owned.name_tag |= owners.undefined_param
        && ex
            .template_refs
            .iter()
            .any(|(p, names)| p == "/spec/template/metadata/name" && names.iter().any(|n| undefined.contains(n)));
    for e in ex.errors.iter().filter(|e| !owned.explains(doc, e)) {
        findings.push(finding(doc, &AppsetRenderError::INFO, &render_error_pointer(doc, e), e.message.clone()));
    }
    for u in &ex.unavailable {
        let rule = if u.incomplete_clone { &AppsetRevisionUnavailable::INFO } else { &AppsetInputUnavailable::INFO };
        findings.push(finding(doc, rule, &u.pointer, u.message.clone()));
    }
    if ex.apps.is_empty() && ex.errors.is_empty() && ex.unavailable.is_empty() {
        findings.push(
            finding(
                doc,
                &AppsetNoApplications::INFO,
                "/spec/generators",
                format!("ApplicationSet `{}` renders zero Applications", ex.appset),
            )
            .with_help(
                "check selectors, path globs and list elements; a set that stops generating Applications deletes \
                 the ones it owned",
            ),
        );
    }
    // Template strings already reported for a parameter no generator produces: what they render to
    // (`<no value>`, the tag left as is) is that one cause, not another finding per Application.
    let reported: BTreeSet<&str> = ex
        .template_refs
        .iter()
        .filter(|(_, names)| names.iter().any(|n| undefined.contains(n)))
        .map(|(p, _)| p.as_str())
        .collect();
    let map = Arc::new(generated_map(doc));
    let mut out = Vec::with_capacity(ex.apps.len());
    for app in &ex.apps {
        let mut g = Document {
            file: doc.file.clone(),
            index: doc.index,
            value: app.value.clone(),
            map: map.clone(),
            kind: DocKind::Application,
            generated: None,
            placement: doc.placement.clone(),
        };
        g.kind = crate::model::classify(&g.value);
        g.generated = Some(Generated {
            appset: ex.appset.clone(),
            application: app.name().to_string(),
            element: app.element.clone(),
            ..Generated::default()
        });
        unreplaced(&g, &ex, &undefined, &reported, &mut findings);
        out.push(g);
    }
    (out, findings)
}

fn finding(doc: &Document, rule: &'static RuleInfo, pointer: &str, message: String) -> Finding {
    doc.finding(rule.id, rule.severity, pointer, message)
}

/// Whether a fasttemplate tag looks like a parameter reference (not Helm or shell text).
fn looks_like_param(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | '/'))
}

/// Template mistakes a lint rule reports at the exact string, which the engine would otherwise report again
/// as their consequence (a template that does not compile, Application names left with a tag in them).
struct OwnedMistakes {
    /// A goTemplate string does not compile because of a fasttemplate tag or a Go syntax error.
    compile: bool,
    /// `metadata.name` renders alike for every element: a Go-syntax tag in a fasttemplate set (left as is),
    /// or a parameter no generator produces.
    name_tag: bool,
    /// Go-syntax parameter tags (`.env`) in a fasttemplate set.
    go_params_in_fasttemplate: bool,
}

impl OwnedMistakes {
    /// `compile_failed`: whether the engine met a compile error (only then are strings parsed one by one).
    fn of(doc: &Document, owners: Owners, compile_failed: bool) -> OwnedMistakes {
        let mut out = OwnedMistakes { compile: false, name_tag: false, go_params_in_fasttemplate: false };
        let Some(spec) = doc.get("/spec") else { return out };
        let go = spec.get("goTemplate").and_then(Value::as_bool) == Some(true);
        for s in templated_strings(spec) {
            let found = tags(s.text);
            if go {
                let fast = found.iter().any(|t| fasttemplate_param(t.inner).is_some());
                // appset-gotemplate-syntax reports the parse errors of strings without fasttemplate tags.
                out.compile |= (owners.style_mismatch && fast)
                    || (owners.gotemplate_syntax
                        && !fast
                        && !found.is_empty()
                        && compile_failed
                        && gotemplate_syntax::reports(s.text));
            } else if owners.style_mismatch && !s.in_helm && found.iter().any(|t| is_go_syntax(t.inner)) {
                out.go_params_in_fasttemplate = true;
                out.name_tag |= s.pointer == "/spec/template/metadata/name";
            }
        }
        out
    }

    /// Whether `e` is the consequence of a mistake a lint rule reports.
    fn explains(&self, doc: &Document, e: &super::ExpandError) -> bool {
        let compile_error = is_compile_error(e);
        let name_error = e.pointer == "/spec/template/metadata/name"
            && doc.get("/spec/template/metadata/name").and_then(Value::as_str).is_some_and(|n| n.contains("{{"));
        (self.compile && compile_error) || (self.name_tag && name_error)
    }
}

/// Where a render error points: the template string Go failed to execute (`failed to execute go template
/// <text>: ...`) when the ApplicationSet has one string with that text, else the engine's pointer.
fn render_error_pointer(doc: &Document, e: &super::ExpandError) -> String {
    const PREFIX: &str = "failed to execute go template ";
    let Some(spec) = doc.get("/spec").filter(|_| e.pointer == "/spec/template") else {
        return e.pointer.clone();
    };
    let Some(at) = e.message.find(PREFIX) else {
        return e.pointer.clone();
    };
    let rest = &e.message[at + PREFIX.len()..];
    let mut matching = templated_strings(spec).into_iter().filter(|s| {
        !s.is_key && s.pointer.starts_with("/spec/template/") && rest.starts_with(&format!("{}: ", s.text))
    });
    match (matching.next(), matching.next()) {
        (Some(s), None) => s.pointer,
        _ => e.pointer.clone(),
    }
}

/// A template that does not compile (the engine reports it once, without a generator element).
fn is_compile_error(e: &super::ExpandError) -> bool {
    (e.pointer == "/spec/template" && e.message.starts_with("template: "))
        || (e.pointer == "/spec/templatePatch" && e.message.starts_with("templatePatch: "))
}

fn undefined_params(doc: &Document, ex: &Expansion, owners: Owners, findings: &mut Vec<Finding>) -> BTreeSet<String> {
    let mut undefined = BTreeSet::new();
    if ex.apps.is_empty() || !ex.unavailable.is_empty() {
        return undefined;
    }
    let produced: BTreeSet<&str> = ex.produced.iter().map(String::as_str).collect();
    let go = doc.value.pointer("/spec/goTemplate").and_then(Value::as_bool) == Some(true);
    for (pointer, names) in &ex.template_refs {
        for name in names {
            if !looks_like_param(name) || produced.contains(name.as_str()) {
                continue;
            }
            let mut msg = format!("template parameter `{name}` is not produced by any generator of `{}`", ex.appset);
            let help;
            if let Some(stripped) = name.strip_prefix('.').filter(|_| !go) {
                if owners.style_mismatch {
                    // appset-template-style-mismatch reports it at the tag itself.
                    undefined.insert(name.clone());
                    continue;
                }
                let head = stripped.split('.').next().unwrap_or("");
                if !produced.iter().any(|p| *p == head || p.starts_with(&format!("{head}."))) {
                    continue;
                }
                msg = format!("`{{{{{name}}}}}` is goTemplate syntax, but `spec.goTemplate` is not enabled");
                help =
                    "set `spec.goTemplate: true`, or write the fasttemplate form without the leading dot".to_string();
            } else {
                let known: Vec<&str> = produced.iter().copied().collect();
                help = match crate::lint::util::did_you_mean(name, known.iter().copied()) {
                    Some(d) => d,
                    None => format!(
                        "parameters available: {}",
                        known.iter().take(12).copied().collect::<Vec<_>>().join(", ")
                    ),
                };
            }
            undefined.insert(name.clone());
            findings.push(finding(doc, &AppsetUndefinedParam::INFO, pointer, msg).with_help(help));
        }
    }
    undefined
}

fn unreplaced(
    app: &Document,
    ex: &Expansion,
    undefined: &BTreeSet<String>,
    reported: &BTreeSet<&str>,
    findings: &mut Vec<Finding>,
) {
    fn walk(v: &Value, ptr: &str, out: &mut Vec<(String, String)>) {
        match v {
            Value::String(s) => {
                let mut rest = s.as_str();
                while let Some(i) = rest.find("{{") {
                    let Some(j) = rest[i + 2..].find("}}") else { break };
                    out.push((ptr.to_string(), rest[i + 2..i + 2 + j].trim().to_string()));
                    rest = &rest[i + 2 + j + 2..];
                }
                if s.contains("<no value>") {
                    out.push((ptr.to_string(), "<no value>".into()));
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{ptr}/{i}"), out);
                }
            }
            Value::Object(m) => {
                for (k, x) in m {
                    walk(x, &format!("{ptr}/{}", crate::lint::util::escape_pointer(k)), out);
                }
            }
            _ => {}
        }
    }
    let mut hits = Vec::new();
    walk(&app.value, "", &mut hits);
    let produced: BTreeSet<&str> = ex.produced.iter().map(String::as_str).collect();
    for (ptr, tag) in hits {
        let relevant = tag == "<no value>" || (looks_like_param(&tag) && produced.contains(tag.as_str()));
        if !relevant || undefined.contains(&tag) || reported.contains(format!("/spec/template{ptr}").as_str()) {
            continue;
        }
        // The Application and its element are in the finding's `generated` origin; the message is the same
        // for every Application with the problem, so `fold_generated` reports it once.
        let msg = if tag == "<no value>" {
            format!("`<no value>` is rendered at {ptr}: a parameter the template reads is missing from the element")
        } else {
            format!("`{{{{{tag}}}}}` is left unreplaced at {ptr}: the generator element does not produce `{tag}`")
        };
        findings.push(
            app.finding(AppsetUnreplacedTemplate::INFO.id, AppsetUnreplacedTemplate::INFO.severity, &ptr, msg)
                .with_help("give every generator element the parameter, or set a default in the template"),
        );
    }
}

/// The generated Applications' source map: `metadata` and `spec` are the template's nodes.
fn generated_map(doc: &Document) -> SourceMap {
    let root = doc.map.root();
    let fallback = doc.node("/spec/template").unwrap_or(root).clone();
    let entry = |key: &str, pointer: &str| -> Option<Entry> {
        let node = doc.node(pointer)?.clone();
        Some(Entry { key: key.to_string(), key_span: doc.key_span(pointer), value: node })
    };
    let mut entries = Vec::new();
    entries.extend(entry("apiVersion", "/apiVersion"));
    entries.extend(entry("kind", "/kind"));
    entries.extend(entry("metadata", "/spec/template/metadata"));
    entries.extend(entry("spec", "/spec/template/spec"));
    SourceMap::new(Node::Map { span: fallback.span().clone(), entries })
}

/// Application names produced by more than one owner (ApplicationSets, hand-written Applications) in the
/// same namespace, where at least one owner is an ApplicationSet (two hand-written Applications are
/// `argo-object-duplicate`'s) and the owners end up in the same Argo CD (their documents' placements meet:
/// ApplicationSets in `clusters/dev/` and `clusters/prod/` feed different instances). A document without a
/// namespace is taken to share any namespace (it lands in whatever namespace it is applied to). Each pair is
/// reported once, at the later owner in path order, naming the earlier ones.
pub fn duplicate_findings(docs: &[Document], generated: &[Document]) -> Vec<Finding> {
    struct Owner<'d> {
        label: String,
        doc: &'d Document,
        ns: String,
        appset: bool,
    }
    let mut by_name: BTreeMap<String, Vec<Owner<'_>>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Application && !d.partial() && d.generated.is_none()) {
        if let Some(name) = d.name() {
            let ns = d.namespace().unwrap_or("").to_string();
            let label = format!("the Application in {}", d.file.path);
            by_name.entry(name.to_string()).or_default().push(Owner { label, doc: d, ns, appset: false });
        }
    }
    for g in generated {
        let (Some(name), Some(origin)) = (g.name(), &g.generated) else { continue };
        let label = format!("ApplicationSet `{}` ({})", origin.appset, g.file.path);
        let ns = g.namespace().unwrap_or("").to_string();
        let list = by_name.entry(name.to_string()).or_default();
        if !list.iter().any(|o| o.label == label && o.ns == ns) {
            list.push(Owner { label, doc: g, ns, appset: true });
        }
    }
    // One finding per owner and set of earlier owners, naming every Application they share.
    type Group<'d> = (&'d Document, Vec<String>);
    let mut groups: BTreeMap<(String, usize, String), Group<'_>> = BTreeMap::new();
    for (name, mut list) in by_name {
        if list.len() < 2 {
            continue;
        }
        list.sort_by(|a, b| {
            (&*a.doc.file.path, a.doc.index, &a.label).cmp(&(&*b.doc.file.path, b.doc.index, &b.label))
        });
        for (i, o) in list.iter().enumerate() {
            // Sharing a directory is no evidence that two owners are applied together (alternatives).
            let labels: Vec<&str> = list[..i]
                .iter()
                .filter(|e| e.label != o.label && (e.ns == o.ns || e.ns.is_empty() || o.ns.is_empty()))
                .filter(|e| e.appset || o.appset)
                .filter(|e| e.doc.placement.meets(&o.doc.placement) == Some(Meet::Unit))
                .map(|e| e.label.as_str())
                .collect();
            if labels.is_empty() {
                continue;
            }
            let key = (o.doc.file.path.to_string(), o.doc.index, labels.join(", "));
            groups.entry(key).or_insert_with(|| (o.doc, Vec::new())).1.push(name.clone());
        }
    }
    let mut out = Vec::new();
    for ((_, _, labels), (doc, names)) in groups {
        let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
        let message = match names.len() {
            1 => format!("Application {} is also produced by {labels}", shown[0]),
            n if n <= 3 => format!("Applications {} are also produced by {labels}", shown.join(", ")),
            n => format!("{n} Applications ({}, ...) are also produced by {labels}", shown.join(", ")),
        };
        let f = doc
            .finding(
                AppsetDuplicateApplication::INFO.id,
                AppsetDuplicateApplication::INFO.severity,
                "/metadata/name",
                message,
            )
            .with_help("give each owner distinct Application names; in a cluster they would fight over them forever");
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::docs;

    fn run(src: &str) -> (Vec<Document>, Vec<Finding>) {
        expand(&docs(src))
    }

    /// `expand_all_for_check` with no clusters, repositories or strict inputs.
    fn expand(d: &[Document]) -> (Vec<Document>, Vec<Finding>) {
        expand_all_for_check(
            d,
            &CheckInputs {
                clusters: &[],
                clusters_given: false,
                base: Inputs { ..Inputs::default() },
                repo_for: None,
                strict_inputs: false,
                owners: Owners::all(),
            },
        )
    }

    fn rules(f: &[Finding]) -> Vec<(&str, u32, &str)> {
        let mut v: Vec<(&str, u32, &str)> =
            f.iter().map(|f| (f.rule.as_str(), f.span.line, f.message.as_str())).collect();
        v.sort();
        v
    }

    const SET: &str = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - env: dev
        url: https://1.2.3.4
      - env: prod
  template:
    metadata:
      name: 'web-{{env}}'
    spec:
      project: '{{envs}}'
      source:
        repoURL: https://github.com/example/apps.git
        path: 'web/{{env}}'
      destination:
        server: '{{url}}'
        namespace: web
";

    #[test]
    fn generated_applications_point_at_the_template_and_name_their_element() {
        let (gen_docs, findings) = run(SET);
        assert_eq!(gen_docs.len(), 2);
        let prod = &gen_docs[1];
        assert_eq!(prod.name(), Some("web-prod"));
        assert_eq!(prod.kind, DocKind::Application);
        assert_eq!(prod.span("/spec/source/path").line, 20);
        assert_eq!(prod.span("/metadata/name").line, 15);
        let g = prod.generated.as_ref().unwrap();
        assert_eq!((g.appset.as_str(), g.element.as_str()), ("envs", "generators[0].list.elements[1]"));
        assert_eq!(
            rules(&findings),
            vec![
                ("appset-undefined-param", 17, "template parameter `envs` is not produced by any generator of `envs`"),
                (
                    "appset-unreplaced-template",
                    22,
                    "`{{url}}` is left unreplaced at /spec/destination/server: the generator element does not produce `url`"
                ),
            ]
        );
        let undefined = findings.iter().find(|f| f.rule == "appset-undefined-param").unwrap();
        assert_eq!(undefined.help.as_deref(), Some("did you mean `env`?"));
        let unreplaced = findings.iter().find(|f| f.rule == "appset-unreplaced-template").unwrap();
        assert_eq!(unreplaced.generated.as_ref().unwrap().application, "web-prod");
    }

    #[test]
    fn quiet_on_a_clean_set() {
        let clean = SET
            .replace("'{{envs}}'", "default")
            .replace("      - env: prod\n", "      - env: prod\n        url: https://2.2.2.2\n");
        let (gen_docs, findings) = run(&clean);
        assert_eq!(gen_docs.len(), 2);
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn go_template_syntax_without_go_template_is_left_to_its_lint_rule_unless_that_is_off() {
        let src =
            SET.replace("'web-{{env}}'", "'web-{{ .env }}'").replace("'{{envs}}'", "default").replace("'{{url}}'", "x");
        // appset-template-style-mismatch owns it: neither undefined-param nor the duplicate names it causes.
        let (_, findings) = run(&src);
        assert!(findings.is_empty(), "{findings:?}");
        let d = docs(&src);
        let owners = Owners { style_mismatch: false, ..Owners::all() };
        let (_, findings) = expand_for_check_with(&d[0], &Inputs::default(), owners);
        let f: Vec<_> = findings.iter().filter(|f| f.rule == "appset-undefined-param").collect();
        assert_eq!(f.len(), 1, "{findings:?}");
        assert_eq!(f[0].message, "`{{.env}}` is goTemplate syntax, but `spec.goTemplate` is not enabled");
        // The duplicate names it causes are then appset-undefined-param's consequence.
        assert!(!findings.iter().any(|f| f.rule == "appset-render-error"), "{findings:?}");
    }

    #[test]
    fn a_param_no_generator_produces_is_one_finding_not_one_per_application() {
        let src = SET
            .replace("spec:\n  generators:", "spec:\n  goTemplate: true\n  generators:")
            .replace("'web-{{env}}'", "'web-{{ .env }}'")
            .replace("'{{envs}}'", "default")
            .replace("'{{url}}'", "x")
            .replace("'web/{{env}}'", "'web/{{ .Name }}'");
        let (apps, findings) = run(&src);
        assert_eq!(apps.len(), 2);
        assert_eq!(
            rules(&findings),
            vec![(
                "appset-undefined-param",
                21,
                "template parameter `Name` is not produced by any generator of `envs`"
            )]
        );
        // A real per-element gap beside it is still reported (for the element that lacks it).
        let src = src.replace("server: x", "server: '{{ .url }}'");
        let (_, findings) = run(&src);
        let f: Vec<_> = findings.iter().filter(|f| f.rule == "appset-unreplaced-template").collect();
        assert_eq!(f.len(), 1, "{findings:?}");
        assert_eq!(f[0].generated.as_ref().unwrap().application, "web-prod");
    }

    #[test]
    fn zero_applications_unavailable_inputs_and_render_errors_are_reported() {
        let empty = SET
            .replace("  - list:\n", "  - list:\n      elements: []\n    x:\n")
            .replace("      elements:\n      - env: dev\n        url: https://1.2.3.4\n      - env: prod\n", "");
        let (_, f) = run(&empty);
        assert!(f.iter().any(|f| f.rule == "appset-no-applications" && f.span.line == 8), "{f:?}");
        let pr = SET.replace(
            "  - list:\n      elements:\n      - env: dev\n        url: https://1.2.3.4\n      - env: prod\n",
            "  - pullRequest: {github: {owner: o, repo: r}}\n",
        );
        let (g, f) = run(&pr);
        assert!(g.is_empty());
        assert_eq!(rules(&f).iter().map(|r| r.0).collect::<Vec<_>>(), ["appset-input-unavailable"]);
        assert_eq!(f[0].severity, Severity::Info);
        let strict = CheckInputs {
            clusters: &[],
            clusters_given: false,
            base: Inputs::default(),
            repo_for: None,
            strict_inputs: true,
            owners: Owners::all(),
        };
        let (_, f) = expand_all_for_check(&docs(&pr), &strict);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.ends_with("(an error under --strict-inputs)"), "{}", f[0].message);
        let bad = SET.replace("- env: prod", "- env: 3");
        let (_, f) = run(&bad);
        assert!(f.iter().any(|f| f.rule == "appset-render-error" && f.span.line == 12), "{f:?}");
    }

    /// The duplicate findings of `src`'s documents and the Applications they generate.
    fn duplicates(src: &str) -> Vec<String> {
        let d = docs(src);
        let (g, _) = expand(&d);
        duplicate_findings(&d, &g).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn duplicate_names_across_owners_are_errors_reported_once_per_pair() {
        let clean = SET.replace("'{{envs}}'", "default").replace("'{{url}}'", "x");
        let other = clean.replace("name: envs", "name: envs2");
        let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web-dev\n  namespace: argocd\nspec: {project: default}\n";
        assert_eq!(
            duplicates(&format!("{clean}---\n{other}---\n{app}")),
            vec![
                "Applications `web-dev`, `web-prod` are also produced by ApplicationSet `envs` (test.yaml)",
                "Application `web-dev` is also produced by ApplicationSet `envs` (test.yaml), ApplicationSet `envs2` (test.yaml)",
            ]
        );
        assert!(duplicates(&clean).is_empty());
        // Different namespaces do not collide; a hand-written Application without one does.
        let elsewhere = other.replace("namespace: argocd", "namespace: team-a");
        let app_no_ns = app.replace("  namespace: argocd\n", "");
        assert_eq!(
            duplicates(&format!("{clean}---\n{elsewhere}---\n{app_no_ns}")),
            vec![
                "Application `web-dev` is also produced by ApplicationSet `envs` (test.yaml), ApplicationSet `envs2` (test.yaml)"
            ]
        );
        // Two hand-written Applications are argo-object-duplicate's.
        assert!(duplicates(&format!("{app}---\n{app}")).is_empty());
    }

    #[test]
    fn duplicate_names_in_places_that_never_meet_are_not_reported() {
        use crate::model::{Placement, Role};
        let clean = SET.replace("'{{envs}}'", "default").replace("'{{url}}'", "x");
        let mut d = docs(&format!("{clean}---\n{}", clean.replace("name: envs", "name: envs2")));
        for (i, doc) in d.iter_mut().enumerate() {
            doc.placement = Arc::new(Placement { role: Role::Manifest, units: vec![i as u32], directories: vec![] });
        }
        let (g, _) = expand(&d);
        assert!(duplicate_findings(&d, &g).is_empty(), "clusters/dev and clusters/prod: two Argo CDs");
    }

    #[test]
    fn cluster_secrets_among_checked_documents_count_as_clusters() {
        let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: c1\n  labels: {argocd.argoproj.io/secret-type: cluster}\nstringData: {name: prod, server: 'https://9.9.9.9'}\n";
        let set = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators: [{clusters: {}}]\n  template:\n    metadata: {name: 'app-{{name}}'}\n    spec: {project: default, destination: {server: '{{server}}'}}\n";
        let (g, f) = run(&format!("{secret}---\n{set}"));
        assert_eq!(g.iter().filter_map(|d| d.name()).collect::<Vec<_>>(), ["app-prod", "app-in-cluster"]);
        assert!(f.is_empty(), "{f:?}");
    }
}
