//! The `argovet` binary: all the work lives in the library; this only maps outcomes to exit codes.
fn main() -> std::process::ExitCode {
    // regorus reports many ordinary evaluation outcomes as internal errors; with RUST_BACKTRACE set in
    // the environment (common in CI) each would capture a backtrace (~14% of a policy run). Library
    // errors never print one, so turn capture off unless the user asked for it explicitly.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // SAFETY: called first thing in main, before any thread exists.
        unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    }
    argovet::cli::main()
}
