//! Rule ids reported by the ApplicationSet engine during `argovet check`.

use crate::declare_rule;
use crate::lint::RuleInfo;

declare_rule! {
    /// ## What it does
    /// Reports an ApplicationSet that the controller cannot render: a generator error (a non-string
    /// list value under fasttemplate, a merge without `mergeKeys`, a matrix with three children), a
    /// template error (unclosed `{{`, a missing key under `missingkey=error`), an invalid
    /// `templatePatch`, duplicate or empty Application names.
    /// ## Why is this bad?
    /// Argo CD sets `ErrorOccurred` on the ApplicationSet and creates, updates and deletes nothing
    /// until it is fixed: one bad element blocks every Application of the set.
    /// ## Example
    /// ```yaml
    /// generators:
    /// - list:
    ///     elements:
    ///     - cluster: prod
    ///       replicas: 3        # fasttemplate only accepts strings
    /// ```
    /// ## Use instead
    /// ```yaml
    /// generators:
    /// - list:
    ///     elements:
    ///     - cluster: prod
    ///       replicas: "3"
    /// ```
    pub struct AppsetRenderError {
        id: "appset-render-error", severity: Error, source: AppSet,
        summary: "the ApplicationSet controller would fail to generate or render this set",
    }
}

declare_rule! {
    /// ## What it does
    /// Finds template parameters that no generator of the ApplicationSet produces, such as
    /// `{{cluster}}` when the list elements say `clusterName`.
    /// ## Why is this bad?
    /// fasttemplate leaves the text `{{cluster}}` in the Application; goTemplate prints
    /// `<no value>`. Either way the Application points at the wrong place or is rejected.
    /// ## Example
    /// ```yaml
    /// generators:
    /// - list: {elements: [{clusterName: prod}]}
    /// template:
    ///   metadata: {name: 'app-{{cluster}}'}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// template:
    ///   metadata: {name: 'app-{{clusterName}}'}
    /// ```
    pub struct AppsetUndefinedParam {
        id: "appset-undefined-param", severity: Error, source: AppSet,
        summary: "a template uses a parameter that no generator produces",
    }
}

declare_rule! {
    /// ## What it does
    /// Finds a `{{...}}` (or goTemplate's `<no value>`) left in a field of a generated Application,
    /// when the parameter exists for some elements but not for this one.
    /// ## Why is this bad?
    /// The Application is created with the literal text: a path, a namespace or a name that does
    /// not exist.
    /// ## Example
    /// ```yaml
    /// elements:
    /// - {cluster: prod, url: https://1.2.3.4}
    /// - {cluster: dev}            # no url
    /// ```
    /// ## Use instead
    /// ```yaml
    /// elements:
    /// - {cluster: prod, url: https://1.2.3.4}
    /// - {cluster: dev, url: https://kubernetes.default.svc}
    /// ```
    pub struct AppsetUnreplacedTemplate {
        id: "appset-unreplaced-template", severity: Error, source: AppSet,
        summary: "a generated Application still contains template text",
    }
}

declare_rule! {
    /// ## What it does
    /// Reports an ApplicationSet whose generators (with the inputs argovet was given) produce no
    /// Application at all.
    /// ## Why is this bad?
    /// When a set that used to generate Applications suddenly generates none, the controller
    /// deletes every Application it owned (unless deletion is prevented by policy).
    /// ## Example
    /// ```yaml
    /// - git:
    ///     directories: [{path: aps/*}]     # typo: nothing matches
    /// ```
    /// ## Use instead
    /// ```yaml
    /// - git:
    ///     directories: [{path: apps/*}]
    /// ```
    pub struct AppsetNoApplications {
        id: "appset-no-applications", severity: Warning, source: AppSet,
        summary: "the ApplicationSet renders zero Applications",
    }
}

declare_rule! {
    /// ## What it does
    /// Tells which generators argovet could not evaluate: pullRequest, scmProvider,
    /// clusterDecisionResource and plugin generators (they need live services), git generators
    /// whose repository is not mapped to a local clone, clusters generators without cluster Secrets.
    /// ## Why is this bad?
    /// It is not bad; it says what was and was not verified. Supply the inputs (`--repo`,
    /// `--clusters`, `--generator-input`) to check those Applications too; `--strict-inputs` makes
    /// it an error, for pipelines that must check every Application.
    /// ## Example
    /// ```yaml
    /// - pullRequest: {github: {owner: o, repo: r}}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// # argovet check --generator-input pr-params.yaml
    /// ```
    pub struct AppsetInputUnavailable {
        id: "appset-input-unavailable", severity: Info, source: AppSet,
        summary: "a generator's inputs are not available offline",
    }
}

declare_rule! {
    /// ## What it does
    /// Tells which git generators argovet could not expand because their `revision` is missing from
    /// the local clone while the clone does not hold the whole repository: a shallow clone
    /// (`git clone --depth 1`, actions/checkout's default `fetch-depth: 1`), a single-branch clone, or
    /// a detached CI checkout of one ref. Argo CD fetches the revision from the remote, so this is
    /// about the checkout, not the manifest; in a full clone a revision that does not exist is an
    /// `appset-render-error`. `--strict-inputs` makes it an error.
    /// ## Why is this bad?
    /// The Applications of that generator are not checked at all.
    /// ## Example
    /// ```yaml
    /// # CI: actions/checkout with the default fetch-depth: 1, on a pull request
    /// - git: {repoURL: https://github.com/org/apps.git, revision: main, directories: [{path: apps/*}]}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// # actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow` before argovet check
    /// ```
    pub struct AppsetRevisionUnavailable {
        id: "appset-revision-unavailable", severity: Warning, source: AppSet,
        summary: "a git generator's revision is missing from an incomplete local clone",
    }
}

declare_rule! {
    /// ## What it does
    /// Finds two ApplicationSets, or an ApplicationSet and a hand-written Application, that produce
    /// an Application with the same name in the same namespace.
    /// ## Why is this bad?
    /// In a cluster both owners rewrite the same Application on every reconcile and fight over it
    /// forever; the loser's Application never exists.
    /// ## Example
    /// ```yaml
    /// # set-a: name '{{cluster}}-web'   set-b: name '{{cluster}}-web'
    /// ```
    /// ## Use instead
    /// ```yaml
    /// # set-a: name '{{cluster}}-web-a' set-b: name '{{cluster}}-web-b'
    /// ```
    pub struct AppsetDuplicateApplication {
        id: "appset-duplicate-application", severity: Error, source: AppSet,
        summary: "two owners generate an Application with the same name",
    }
}

/// Every rule id the ApplicationSet engine reports.
pub static RULE_INFOS: &[RuleInfo] = &[
    AppsetRenderError::INFO,
    AppsetUndefinedParam::INFO,
    AppsetUnreplacedTemplate::INFO,
    AppsetNoApplications::INFO,
    AppsetInputUnavailable::INFO,
    AppsetRevisionUnavailable::INFO,
    AppsetDuplicateApplication::INFO,
];
