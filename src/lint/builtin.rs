//! Rules reported by the YAML loader and file discovery rather than by a lint pass. They are
//! declared here so `argovet rules`, `argovet explain` and `.argovet.yaml` treat them like any rule.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports text that is not valid YAML, at the position the parser stopped.
    /// ## Why is this bad?
    /// Argo CD and `kubectl` refuse the whole file; nothing in it is applied.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   project: web
    ///   - source
    /// ```
    pub struct YamlSyntax { id: "yaml-syntax", severity: Error, source: Loader, summary: "the file is not valid YAML" }
}

declare_rule! {
    /// ## What it does
    /// Reports a mapping that has the same key twice.
    /// ## Why is this bad?
    /// Kubernetes' strict decoder rejects the document; lenient tools silently keep the last value,
    /// so what you review is not what is applied.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   project: web
    ///   project: default
    /// ```
    pub struct YamlDuplicateKey { id: "yaml-duplicate-key", severity: Error, source: Loader, summary: "a mapping repeats a key" }
}

declare_rule! {
    /// ## What it does
    /// Refuses documents nested deeper than the limit (`--max-depth`, default 256).
    /// ## Why is this bad?
    /// No manifest nests this deep; such input is generated garbage or an attack on the parser.
    pub struct YamlTooDeep { id: "yaml-too-deep", severity: Error, source: Loader, summary: "nesting deeper than the limit" }
}

declare_rule! {
    /// ## What it does
    /// Refuses documents whose aliases (`*name`) expand past the limit (`--max-alias-nodes`, default
    /// 100,000 nodes): the "billion laughs" pattern.
    /// ## Why is this bad?
    /// Expanding it exhausts memory in every tool that reads the file, Argo CD included.
    pub struct YamlAliasBomb { id: "yaml-alias-bomb", severity: Error, source: Loader, summary: "aliases expand past the limit (billion laughs)" }
}

declare_rule! {
    /// ## What it does
    /// Finds an unquoted `{{ x }}` that YAML reads as a nested flow mapping.
    /// ## Why is this bad?
    /// `name: {{cluster}}` is not a template string: YAML reads a mapping whose key is a mapping, and
    /// the ApplicationSet renders garbage or is rejected.
    /// ## Example
    /// ```yaml
    /// name: {{cluster}}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// name: '{{cluster}}'
    /// ```
    pub struct YamlUnquotedTemplate { id: "yaml-unquoted-template", severity: Error, source: Loader, summary: "an unquoted {{ }} read as a YAML mapping" }
}

declare_rule! {
    /// ## What it does
    /// Reports a mapping or sequence used as a mapping key (`? [a, b]: x`, or a mis-indented block).
    /// ## Why is this bad?
    /// Kubernetes only reads string keys; the document is rejected.
    pub struct YamlComplexKey { id: "yaml-complex-key", severity: Error, source: Loader, summary: "a mapping key that is not a scalar" }
}

declare_rule! {
    /// ## What it does
    /// Reports files that cannot be read: permission denied, a symlink loop, a FIFO, a path that
    /// vanished during the run.
    /// ## Why is this bad?
    /// The file was not checked; a gate that silently skips files proves nothing.
    pub struct FileUnreadable { id: "file-unreadable", severity: Error, source: Loader, summary: "a file or directory could not be read" }
}

declare_rule! {
    /// ## What it does
    /// Reports files with a YAML extension that are neither UTF-8 nor UTF-16 with a byte-order mark
    /// (the message gives the byte offset of the first invalid sequence), or that contain NUL bytes
    /// (binary files). The file is not checked.
    /// ## Why is this bad?
    /// Argo CD reads every `.yaml`/`.yml` file of an Application's directory and cannot decode this
    /// one: the sync fails with a comparison error. Re-save the file as UTF-8.
    /// ## Example
    /// A `values.yaml` saved as Latin-1: `name: café` holds the single byte `0xE9`.
    pub struct FileEncoding { id: "file-encoding", severity: Error, source: Loader, summary: "a binary or non-UTF-8 file" }
}

declare_rule! {
    /// ## What it does
    /// Skips files larger than `--max-file-size` (default 10 MiB).
    /// ## Why is this bad?
    /// Manifests that large are generated artefacts; checking them would stall a pre-commit hook.
    pub struct FileTooLarge { id: "file-too-large", severity: Warning, source: Loader, summary: "a file over the size limit was skipped" }
}

declare_rule! {
    /// ## What it does
    /// Reports an inline suppression (`# argovet:ignore`, or one rule id of
    /// `# argovet:ignore[rule-a, rule-b]`) that silences no finding: nothing reported by that rule on the
    /// line it covers (its own line for a comment after content, its own line and the next for a comment
    /// on a line of its own). A suppression naming a rule that did not run (turned `off` in
    /// `.argovet.yaml`, or a policy whose pack or directory this run did not load) is not reported.
    /// ## Why is this bad?
    /// A suppression outlives the problem it silenced: left in place, it hides the next real finding on
    /// that line. Remove the rule id, or the whole comment.
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: web # argovet:ignore[yaml-ambiguous-value]
    /// ```
    pub struct SuppressionUnused { id: "suppression-unused", severity: Warning, source: Lint, summary: "an inline suppression that silences nothing" }
}

declare_rule! {
    /// ## What it does
    /// Reports a rule id in `# argovet:ignore[...]` that names no rule: not one of `argovet rules`, not a
    /// rule of the built-in policy packs, not a rule of the user policies this run loaded. When no user
    /// policies are loaded, a `policy/<package>/<rule>` id outside the built-in packs cannot be judged and
    /// is not reported.
    /// ## Why is this bad?
    /// A misspelt id silences nothing, and the finding it was meant for is reported anyway, or, worse,
    /// later, when the suppression is taken for working.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   project: default # argovet:ignore[policy/argocd/default-projet]
    /// ```
    pub struct SuppressionUnknownRule { id: "suppression-unknown-rule", severity: Warning, source: Lint, summary: "an inline suppression names a rule that does not exist" }
}
