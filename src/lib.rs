//! argovet: checks Argo CD GitOps repositories offline.
//!
//! The engines (`yaml`, `model`, `lint`, ...) are plain libraries with no terminal or file-system
//! access; `workspace` reads files and git; `commands` and `report` are the only modules that print.

pub mod appset;
pub mod cli;
pub mod commands;
pub mod gotmpl;
pub mod lint;
pub mod model;
pub mod report;
pub mod workspace;
pub mod yaml;
