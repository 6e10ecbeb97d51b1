use super::support::{SourceAt, is_set, is_templated, sources};
use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks the `$ref/...` references of multi-source Applications: every Helm `valueFiles` entry or
    /// `fileParameters[].path` starting with `$name/` must name a source that declares `ref: name`; refs
    /// must be unique and use only letters, digits, `_` and `-`; a ref source cannot be a Helm `chart`;
    /// and `$name/` references only work in `spec.sources`, not in a single `spec.source`.
    /// ## Why is this bad?
    /// Argo CD fails to render the Application: `source referenced "$valuse", which is not one of the
    /// available sources ($values)`, `sources.ref ... cannot contain any special characters except '_' and
    /// '-'`, `multiple sources had the same ref key` (argo-cd `util/argo/argo.go`,
    /// `reposerver/repository/repository.go`). In a single-source Application the `$values/...` text is
    /// read as a plain file name that does not exist.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   sources:
    ///     - repoURL: https://charts.example.com
    ///       chart: web
    ///       targetRevision: 1.2.0
    ///       helm:
    ///         valueFiles:
    ///           - $valuse/web/prod.yaml
    ///     - repoURL: https://github.com/example/values.git
    ///       targetRevision: main
    ///       ref: values
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   sources:
    ///     - repoURL: https://charts.example.com
    ///       chart: web
    ///       targetRevision: 1.2.0
    ///       helm:
    ///         valueFiles:
    ///           - $values/web/prod.yaml
    ///     - repoURL: https://github.com/example/values.git
    ///       targetRevision: main
    ///       ref: values
    /// ```
    pub struct SourceRefInvalid {
        id: "app-source-ref-invalid", severity: Error, source: Lint,
        summary: "a `$ref/...` value file names no declared `ref`, or a `ref` is malformed or duplicated",
    }
}

/// A `ref` declared by one of the sources.
struct Declared<'d> {
    name: &'d str,
    index: usize,
    chart: bool,
}

fn valid_ref(r: &str) -> bool {
    !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Every `$`-prefixed file reference of a source: (JSON pointer, text).
fn references(pointer: SourceAt, source: &Value) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let Some(helm) = source.get("helm") else {
        return out;
    };
    if let Some(files) = helm.get("valueFiles").and_then(Value::as_array) {
        for (i, f) in files.iter().enumerate() {
            if let Some(s) = f.as_str().filter(|s| s.starts_with('$')) {
                out.push((format!("{pointer}/helm/valueFiles/{i}"), s));
            }
        }
    }
    if let Some(params) = helm.get("fileParameters").and_then(Value::as_array) {
        for (i, p) in params.iter().enumerate() {
            if let Some(s) = p.get("path").and_then(Value::as_str).filter(|s| s.starts_with('$')) {
                out.push((format!("{pointer}/helm/fileParameters/{i}/path"), s));
            }
        }
    }
    out
}

impl Rule for SourceRefInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::Application {
            return;
        }
        let Some(spec) = doc.value.get("spec") else {
            return;
        };
        if is_set(spec.get("sourceHydrator")) {
            return;
        }
        let multi = is_set(spec.get("sources"));
        let all: Vec<(SourceAt, &Value)> = sources(doc).collect();
        if !multi {
            // Only `spec.source` is used: `$name/` is not resolved there.
            for (pointer, source) in all.iter().filter(|(p, _)| *p == SourceAt::Single) {
                for (ptr, text) in references(*pointer, source) {
                    if is_templated(text) {
                        continue;
                    }
                    cx.report(
                        doc,
                        &ptr,
                        format!("`{text}` uses a `$ref`, but refs only work in multi-source Applications"),
                    )
                    .help = Some(
                        "move this source and the one holding the file into `spec.sources`, giving the latter `ref:`"
                            .into(),
                    );
                }
            }
            return;
        }
        let mut declared: Vec<Declared<'_>> = Vec::new();
        for (pointer, source) in all.iter() {
            let SourceAt::List(index) = *pointer else {
                continue;
            };
            let Some(name) = source.get("ref").and_then(Value::as_str).filter(|r| !r.is_empty()) else {
                continue;
            };
            if is_templated(name) {
                continue;
            }
            let ptr = || format!("{pointer}/ref");
            if !valid_ref(name) {
                let bare = name.trim_start_matches('$');
                let fixed: String =
                    bare.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
                let help = if name.starts_with('$') && valid_ref(bare) {
                    format!("write `ref: {bare}`; the `$` belongs only in the references (`${bare}/...`)")
                } else {
                    format!("rename it, e.g. `ref: {fixed}`, and update the `${name}/...` references")
                };
                cx.report(doc, &ptr(), format!("ref `{name}` may only contain letters, digits, `_` and `-`")).help =
                    Some(help);
                continue;
            }
            if let Some(first) = declared.iter().find(|d| d.name == name) {
                cx.report(
                    doc,
                    &ptr(),
                    format!("ref `{name}` is already declared by `sources[{}]`; refs must be unique", first.index),
                )
                .help = Some("give each source its own `ref` name".into());
                continue;
            }
            let chart = is_set(source.get("chart"));
            declared.push(Declared { name, index, chart });
        }
        for (pointer, source) in all.iter().filter(|(p, _)| *p != SourceAt::Single) {
            for (ptr, text) in references(*pointer, source) {
                if is_templated(text) {
                    continue;
                }
                let var = text.split('/').next().unwrap_or(text);
                let name = &var[1..];
                match declared.iter().find(|d| d.name == name) {
                    Some(d) if d.chart => {
                        cx.report(
                            doc,
                            &ptr,
                            format!(
                                "`{var}` names `sources[{}]`, a Helm chart; Argo CD cannot read files from a chart ref \
                                 source",
                                d.index
                            ),
                        )
                        .help = Some(
                            "give `ref` to a source for the Git repository that holds the file (no `chart`)".into(),
                        );
                    }
                    Some(_) => {}
                    None if declared.is_empty() => {
                        cx.report(
                            doc,
                            &ptr,
                            format!("`{text}` refers to source `{var}`, but no source declares a `ref`"),
                        )
                        .help = Some(format!(
                            "add `ref: {name}` to the source whose repository holds `{}`",
                            text.split_once('/').map_or("the file", |(_, rest)| rest)
                        ));
                    }
                    None => {
                        let names: Vec<String> = declared.iter().map(|d| format!("${}", d.name)).collect();
                        let help = match suggest(name, declared.iter().map(|d| d.name)) {
                            Some(s) => format!("did you mean `${s}`?"),
                            None => format!(
                                "add `ref: {name}` to the source holding the file, or use one of {}",
                                names.join(", ")
                            ),
                        };
                        cx.report(
                            doc,
                            &ptr,
                            format!(
                                "`{text}` refers to source `{var}`, which no source declares (declared: {})",
                                names.join(", ")
                            ),
                        )
                        .help = Some(help);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  sources:\n";
    const CHART: &str = "    - repoURL: https://charts.example.com\n      chart: web\n      targetRevision: 1.2.0\n      helm:\n        valueFiles:\n";

    #[test]
    fn fires_on_undeclared_ref() {
        let src = format!(
            "{HEAD}{CHART}          - $valuse/web/prod.yaml\n          - base.yaml\n    - repoURL: https://x/values.git\n      targetRevision: main\n      ref: values\n"
        );
        let f = run(&SourceRefInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![(
                12,
                13,
                "`$valuse/web/prod.yaml` refers to source `$valuse`, which no source declares (declared: $values)"
                    .into()
            )]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `$values`?"));
        let none = format!("{HEAD}{CHART}          - $values/web/prod.yaml\n");
        assert_eq!(
            lines(&run(&SourceRefInvalid, &none)),
            vec![(12, 13, "`$values/web/prod.yaml` refers to source `$values`, but no source declares a `ref`".into())]
        );
    }

    #[test]
    fn fires_on_malformed_duplicate_and_chart_refs() {
        let src = format!(
            "{HEAD}    - repoURL: https://x/a.git\n      ref: my.values\n    - repoURL: https://x/b.git\n      ref: cfg\n    - repoURL: https://x/c.git\n      ref: cfg\n"
        );
        assert_eq!(
            lines(&run(&SourceRefInvalid, &src)),
            vec![
                (8, 12, "ref `my.values` may only contain letters, digits, `_` and `-`".into()),
                (12, 12, "ref `cfg` is already declared by `sources[1]`; refs must be unique".into()),
            ]
        );
        let dollar = format!("{HEAD}    - repoURL: https://x/a.git\n      ref: $values\n");
        let f = run(&SourceRefInvalid, &dollar);
        assert_eq!(
            f[0].help.as_deref(),
            Some("write `ref: values`; the `$` belongs only in the references (`$values/...`)")
        );
        let chart_ref = format!("{HEAD}{CHART}          - $web/values.yaml\n      ref: web\n");
        let f = run(&SourceRefInvalid, &chart_ref);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("a Helm chart"), "{}", f[0].message);
    }

    #[test]
    fn fires_on_ref_in_single_source() {
        let src = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  source:\n    repoURL: https://charts.example.com\n    chart: web\n    helm:\n      valueFiles: [$values/prod.yaml]\n";
        assert_eq!(
            lines(&run(&SourceRefInvalid, src)),
            vec![(10, 20, "`$values/prod.yaml` uses a `$ref`, but refs only work in multi-source Applications".into())]
        );
    }

    #[test]
    fn quiet_on_declared_refs() {
        let src = format!(
            "{HEAD}{CHART}          - $values/web/prod.yaml\n        fileParameters:\n          - name: cfg\n            path: $values/cfg.json\n    - repoURL: https://x/values.git\n      targetRevision: main\n      ref: values\n"
        );
        assert!(run(&SourceRefInvalid, &src).is_empty());
    }
}
