//! argovet: checks Argo CD GitOps repositories offline.
//!
//! The engines (`yaml`, `model`, `lint`, ...) are plain libraries with no terminal or file-system
//! access; `workspace` reads files and git; `commands` and `report` are the only modules that print.

pub mod appset;
pub mod baseline;
pub mod cli;
pub mod commands;
pub mod godur;
pub mod gotmpl;
pub mod health;
pub mod lint;
pub mod model;
pub mod policy;
pub mod report;
pub mod schema;
pub mod workspace;
pub mod yaml;

/// mimalloc: the loader and the checks allocate many small maps and strings from every rayon thread;
/// glibc's allocator spent a quarter of `check`'s time in malloc/free (measured with perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
