//! The `argovet` binary: all the work lives in the library; this only maps outcomes to exit codes.
fn main() -> std::process::ExitCode {
    // SAFETY: first thing in main, before any thread exists.
    unsafe { argovet::disable_library_backtraces() };
    argovet::cli::main()
}
