//! Gives the shared library its SONAME, `libiggy_consensus.so.<major>`, so installed
//! programs keep working across compatible upgrades.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("set by cargo");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libiggy_consensus.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
