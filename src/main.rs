//! The `argovet` binary: all the work lives in the library; this only maps outcomes to exit codes.
fn main() -> std::process::ExitCode {
    argovet::cli::main()
}
