use super::support::{is_set, sources};
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Finds Application sources that set both `chart` and `path`.
    /// ## Why is this bad?
    /// A source is either a chart from a Helm repository (`chart`) or a directory of a Git repository or
    /// OCI artifact (`path`); Argo CD picks one and ignores the other. With a Helm or Git `repoURL` it
    /// fetches `chart` from the Helm repository and `path` is ignored; with an `oci://` `repoURL` it
    /// extracts the artifact, uses `path`, and `chart` is ignored (argo-cd
    /// `reposerver/repository/repository.go`). Someone reading the manifest cannot tell which.
    /// ## Example
    /// ```yaml
    /// source:
    ///   repoURL: https://charts.bitnami.com/bitnami
    ///   chart: redis
    ///   path: charts/redis
    ///   targetRevision: 19.0.0
    /// ```
    /// ## Use instead
    /// ```yaml
    /// source:                      # a chart from a Helm repository
    ///   repoURL: https://charts.bitnami.com/bitnami
    ///   chart: redis
    ///   targetRevision: 19.0.0
    /// ---
    /// source:                      # a chart kept in a Git repository
    ///   repoURL: https://github.com/example/charts.git
    ///   path: charts/redis
    ///   targetRevision: main
    /// ```
    pub struct SourceChartAndPath {
        id: "app-source-chart-and-path", severity: Error, source: Lint,
        summary: "an Application source sets both a Helm `chart` and a `path`; one of them is ignored",
    }
}

impl Rule for SourceChartAndPath {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::Application {
            return;
        }
        for (pointer, source) in sources(doc) {
            if !is_set(source.get("chart")) || !is_set(source.get("path")) {
                continue;
            }
            let oci = source.get("repoURL").and_then(Value::as_str).is_some_and(|u| u.starts_with("oci://"));
            if oci {
                cx.report_key(
                    doc,
                    &format!("{pointer}/chart"),
                    "`chart` is ignored: an `oci://` repoURL is fetched as an OCI artifact and `path` is used",
                )
                .help = Some(
                    "remove `chart`; for a Helm chart in an OCI registry, drop `oci://` from repoURL and remove `path`"
                        .into(),
                );
            } else {
                cx.report_key(
                    doc,
                    &format!("{pointer}/path"),
                    "`path` is ignored: with `chart` set, Argo CD fetches the chart from the Helm repository",
                )
                .help = Some(
                    "remove `path` for a chart from a Helm repository; for a chart in a Git repository, remove `chart` \
                     and keep `path`"
                        .into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n";

    #[test]
    fn fires_on_chart_with_path() {
        let src = format!(
            "{HEAD}  sources:\n    - repoURL: https://charts.example.com\n      chart: redis\n      path: charts/redis\n      targetRevision: 1.0.0\n"
        );
        let f = run(&SourceChartAndPath, &src);
        assert_eq!(
            lines(&f),
            vec![(
                9,
                7,
                "`path` is ignored: with `chart` set, Argo CD fetches the chart from the Helm repository".into()
            )]
        );
        let oci = format!("{HEAD}  source:\n    repoURL: oci://ghcr.io/example/app\n    chart: app\n    path: .\n");
        assert_eq!(
            lines(&run(&SourceChartAndPath, &oci)),
            vec![(
                8,
                5,
                "`chart` is ignored: an `oci://` repoURL is fetched as an OCI artifact and `path` is used".into()
            )]
        );
    }

    #[test]
    fn quiet_on_chart_or_path_alone() {
        let chart = format!(
            "{HEAD}  source:\n    repoURL: https://charts.example.com\n    chart: redis\n    targetRevision: 1.0.0\n"
        );
        assert!(run(&SourceChartAndPath, &chart).is_empty());
        let path = format!("{HEAD}  source:\n    repoURL: https://x/y.git\n    path: charts/redis\n    chart: \"\"\n");
        assert!(run(&SourceChartAndPath, &path).is_empty());
    }
}
