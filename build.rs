//! Gives the shared library its SONAME, `libiggy_consensus.so.<abi>`, so installed
//! programs keep working across compatible upgrades and refuse to load an incompatible
//! one. The ABI version is also what `iggy_consensus_abi_version()` returns (through
//! the `IGGY_CONSENSUS_ABI_VERSION` environment variable of the build).

/// The ABI version of a package version, as cargo-c derives it and as semver reads
/// it: `0.0.PATCH` before 0.1, `0.MINOR` before 1.0, `MAJOR` from 1.0 on. A
/// pre-release or build suffix (`-rc.1`, `+meta`) does not change it.
/// `tests/api/abi_version.rs` and the generator's `IGGY_CONSENSUS_ABI_VERSION` follow this
/// rule; `tests/api/abi_version.rs` checks that they agree.
pub(crate) fn abi_version(version: &str) -> String {
    let numbers = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = numbers.split('.').collect();
    let [major, minor, patch] = parts[..] else {
        panic!("version {version:?} is not MAJOR.MINOR.PATCH");
    };
    match (major, minor) {
        ("0", "0") => format!("0.0.{patch}"),
        ("0", _) => format!("0.{minor}"),
        _ => major.to_owned(),
    }
}

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").expect("set by cargo");
    let abi = abi_version(&version);
    println!("cargo:rustc-env=IGGY_CONSENSUS_ABI_VERSION={abi}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libiggy_consensus.so.{abi}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
