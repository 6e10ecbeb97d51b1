//! Everything that touches the file system: which files to check, reading them safely, and
//! `.argovet.yaml`.

pub mod changed;
pub mod config;
pub mod context;
mod discover;
pub mod git;
mod read;
mod structure;

pub use config::{Config, ConfigError, RuleSetting};
pub use discover::{Discovery, discover, has_yaml_extension, outside_link, select_files};
pub use read::{ReadLimits, read_source};
pub use structure::structural_texts;

/// Normalises a path for display and for findings: `/` separators, no leading `./`.
pub fn display_path(p: &std::path::Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let mut s: &str = &s;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}
