//! argovet: checks Argo CD GitOps repositories offline.
//!
//! The engines (`yaml`, `model`, `lint`, ...) are plain libraries with no terminal or file-system
//! access; `workspace` reads files and git; `commands` and `report` are the only modules that print.

/// Turns off the backtraces `anyhow` would capture for library errors, unless the user set
/// `RUST_LIB_BACKTRACE`. regorus reports many ordinary evaluation outcomes as internal errors; with
/// `RUST_BACKTRACE` set in the environment (common in CI) each would capture a backtrace (about 14% of
/// a policy run), and library errors never print one.
///
/// # Safety
/// Sets an environment variable: call it first thing in `main`, before any other thread exists.
pub unsafe fn disable_library_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // SAFETY: the caller guarantees no other thread runs.
        unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    }
}

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
pub mod repo;
pub mod report;
pub mod schema;
pub mod workspace;
pub mod yaml;

/// mimalloc: the loader and the checks allocate many small maps and strings from every rayon thread;
/// glibc's allocator spent a quarter of `check`'s time in malloc/free (measured with perf).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
