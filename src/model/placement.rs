//! Where a document sits in its repository: its file's role, and the deployment units it belongs to.
//!
//! `crate::repo` computes both; this module only holds the values, so that every engine can read them from
//! a [`Document`](super::Document) without depending on the repository model.

use serde::Serialize;

/// What a file is to the tools that read it, and so how argovet reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "kebab-case", tag = "role", content = "tool")]
pub enum Role {
    /// Objects applied as written (`kubectl apply -f`, an Argo CD directory source).
    #[default]
    Manifest,
    /// A resource of a Kustomize build: applied after `kustomize build`, which reads YAML 1.2 (kyaml).
    KustomizeResource,
    /// A Kustomize patch (`patches`, `patchesStrategicMerge`, `patchesJson6902`): a partial object.
    KustomizePatch,
    /// A `kustomization.yaml` (or `.yml`, `Kustomization`).
    Kustomization,
    /// An input of a Kustomize build that is not an object: generator files and env files, replacement
    /// sources, transformer and generator configurations, Helm values of `helmCharts`, OpenAPI and CRD schemas.
    KustomizeInput,
    /// A Helm chart's `Chart.yaml` or `Chart.lock`.
    HelmChart,
    /// A file under a Helm chart's `templates/`: Go template text, YAML only once rendered.
    HelmTemplate,
    /// Any other file of a Helm chart (`values*.yaml`, chart-testing `ci/` values, ...): YAML, not objects.
    HelmValues,
    /// A template of another tool (Jinja, Freemarker, envsubst, placeholders to fill in): not YAML as written.
    Template(&'static str),
    /// A test fixture that is partial by design (kuttl/chainsaw assertions).
    Fixture(&'static str),
    /// Test data of a program (`testdata/` directories): broken on purpose as often as not.
    TestData,
}

/// How argovet reads a file of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAs {
    /// Every check.
    Manifest,
    /// YAML problems and the checks a partial object can fail; nothing that needs the whole object or
    /// compares it with others.
    Partial,
    /// YAML problems only: the file is data, not objects.
    Yaml,
    /// Not read at all.
    Skip,
}

impl Role {
    /// How a file of this role is read.
    pub fn read_as(self) -> ReadAs {
        match self {
            Role::Manifest | Role::KustomizeResource | Role::Kustomization => ReadAs::Manifest,
            Role::KustomizePatch | Role::Fixture(_) => ReadAs::Partial,
            Role::HelmValues => ReadAs::Yaml,
            Role::KustomizeInput | Role::HelmChart | Role::HelmTemplate | Role::Template(_) | Role::TestData => {
                ReadAs::Skip
            }
        }
    }

    /// Whether documents of this role are partial by design.
    pub fn partial(self) -> bool {
        self.read_as() == ReadAs::Partial
    }

    /// Whether Kustomize reads the file (YAML 1.2 scalars: `on`, `yes`, `Off` stay strings).
    pub fn read_by_kustomize(self) -> bool {
        matches!(self, Role::KustomizeResource | Role::KustomizePatch)
    }

    /// A short name, as `argovet inspect` and the summary print it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Manifest => "manifest",
            Role::KustomizeResource => "kustomize resource",
            Role::KustomizePatch => "kustomize patch",
            Role::Kustomization => "kustomization",
            Role::KustomizeInput => "kustomize input",
            Role::HelmChart => "helm chart metadata",
            Role::HelmTemplate => "helm template",
            Role::HelmValues => "helm values",
            Role::Template(_) => "template",
            Role::Fixture(_) => "test fixture",
            Role::TestData => "test data",
        }
    }

    /// The role named by `name` in `.argovet.yaml` (`roles:`), for the roles a user may declare.
    pub fn from_config(name: &str) -> Option<Role> {
        Some(match name {
            "manifest" => Role::Manifest,
            "patch" => Role::KustomizePatch,
            "template" => Role::Template("declared"),
            "fixture" => Role::Fixture("declared"),
            "data" => Role::HelmValues,
            "ignore" => Role::TestData,
            _ => return None,
        })
    }
}

/// How strongly two documents are known to end up in the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Meet {
    /// They share only a directory that nothing is known to apply as a whole.
    Directory,
    /// One file, one Kustomize build, one Argo CD Application's source, one app-of-apps tree, or a unit
    /// declared in `.argovet.yaml`: whatever applies one applies the other.
    Unit,
}

/// A file's role and units. Unit ids index the repository model's unit list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// The file's role.
    pub role: Role,
    /// Units known to apply the file together with others (sorted).
    pub units: Vec<u32>,
    /// Units of plain directory layout (sorted): weaker evidence.
    pub directories: Vec<u32>,
}

impl Placement {
    /// Whether, and how strongly, documents placed at `self` and `other` meet. Documents read without a
    /// repository model (no units at all) are assumed to meet, as they did before the model existed.
    pub fn meets(&self, other: &Placement) -> Option<Meet> {
        if std::ptr::eq(self, other) {
            return Some(Meet::Unit);
        }
        let unknown = |p: &Placement| p.units.is_empty() && p.directories.is_empty();
        if unknown(self) || unknown(other) {
            return Some(Meet::Unit);
        }
        if intersects(&self.units, &other.units) {
            Some(Meet::Unit)
        } else if intersects(&self.directories, &other.directories) {
            Some(Meet::Directory)
        } else {
            None
        }
    }
}

fn intersects(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(units: &[u32], directories: &[u32]) -> Placement {
        Placement { role: Role::Manifest, units: units.to_vec(), directories: directories.to_vec() }
    }

    #[test]
    fn meets_by_unit_then_directory() {
        assert_eq!(p(&[1, 4], &[]).meets(&p(&[2, 4], &[])), Some(Meet::Unit));
        assert_eq!(p(&[1], &[7]).meets(&p(&[2], &[7])), Some(Meet::Directory));
        assert_eq!(p(&[1], &[7]).meets(&p(&[2], &[8])), None);
        assert_eq!(Placement::default().meets(&p(&[2], &[8])), Some(Meet::Unit), "no model: as before");
    }

    #[test]
    fn roles_read_as() {
        assert_eq!(Role::HelmTemplate.read_as(), ReadAs::Skip);
        assert!(Role::KustomizePatch.partial());
        assert!(Role::KustomizeResource.read_by_kustomize());
        assert!(!Role::Manifest.read_by_kustomize());
        assert_eq!(Role::from_config("patch"), Some(Role::KustomizePatch));
        assert_eq!(Role::from_config("nonsense"), None);
    }
}
