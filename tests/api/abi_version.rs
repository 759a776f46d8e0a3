//! The ABI version is one fact in three places: `build.rs` derives it from the package
//! version and names the shared library `libiggy_consensus.so.<abi>` after it,
//! `iggy_consensus_abi_version()` returns it, and the generator writes it into the
//! header as `IGGY_CONSENSUS_ABI_VERSION`. They must agree.

use core::ffi::CStr;
use iggy_consensus::ffi::iggy_consensus_abi_version;

/// `build.rs` itself, for its rule (`abi_version`); its `main` is not called.
#[allow(dead_code)]
#[path = "../../build.rs"]
mod build_rs;

/// The committed header (`make check-gen` keeps it current with the generator).
const HEADER: &str = include_str!("../../include/iggy_consensus.h");

/// The string value of `#define NAME "value"` in the header.
fn header_string_macro(name: &str) -> &'static str {
    let prefix = format!("#define {name} \"");
    let line = HEADER
        .lines()
        .find_map(|line| line.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("the header has no string macro {name}"));
    line.strip_suffix('"').expect("a quoted value")
}

#[test]
fn the_soname_rule_is_cargo_cs() {
    for (version, abi) in [
        ("0.0.3", "0.0.3"),
        ("0.1.0", "0.1"),
        ("0.1.7", "0.1"),
        ("0.2.0", "0.2"),
        ("0.12.1-rc.1", "0.12"),
        ("1.0.0", "1"),
        ("1.4.2+build.5", "1"),
        ("23.0.1", "23"),
    ] {
        assert_eq!(build_rs::abi_version(version), abi, "version {version}");
    }
}

#[test]
fn the_function_returns_build_rs_rule_of_the_package_version() {
    // SAFETY: the function returns a static NUL-terminated string, never NULL.
    let abi = unsafe { CStr::from_ptr(iggy_consensus_abi_version()) };
    assert_eq!(
        abi.to_str().unwrap(),
        build_rs::abi_version(iggy_consensus::VERSION)
    );
}

#[test]
fn the_header_macro_is_the_function() {
    // SAFETY: as above.
    let abi = unsafe { CStr::from_ptr(iggy_consensus_abi_version()) };
    assert_eq!(
        header_string_macro("IGGY_CONSENSUS_ABI_VERSION"),
        abi.to_str().unwrap()
    );
}
