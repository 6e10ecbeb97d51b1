//! Rebuilds the crate when the embedded policy pack changes: `include_dir!` is not tracked by cargo on
//! stable, so without this an edited `policies/*.rego` would silently keep the old pack in the binary.
fn main() {
    println!("cargo:rerun-if-changed=policies");
    println!("cargo:rerun-if-changed=build.rs");
}
