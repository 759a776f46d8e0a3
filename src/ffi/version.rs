//! The library and ABI versions, and the test hook.

use core::ffi::c_char;

use core::ffi::CStr;

/// The package version, NUL-terminated.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL byte"),
    };

/// The ABI version, NUL-terminated: the part of the version that stays the same
/// across compatible releases (`0.0.PATCH` before 0.1, `0.MINOR` before 1.0, `MAJOR`
/// from 1.0 on). `build.rs` derives it and names the shared library after it.
const ABI_VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("IGGY_CONSENSUS_ABI_VERSION"), "\0").as_bytes()) {
        Ok(abi) => abi,
        Err(_) => panic!("the ABI version contains a NUL byte"),
    };

/// `wire::WIRE_REVISION`, NUL-terminated.
const REVISION: &CStr =
    match CStr::from_bytes_with_nul(concat!(crate::wire::wire_revision!(), "\0").as_bytes()) {
        Ok(revision) => revision,
        Err(_) => panic!("the wire revision contains a NUL byte"),
    };

/// The library version, `MAJOR.MINOR.PATCH` (the same as `IGGY_CONSENSUS_VERSION`):
/// static, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_consensus_version() -> *const c_char {
    super::panic::boundary_or(|| VERSION.as_ptr(), || VERSION.as_ptr())
}

/// The ABI version, `0.MINOR` before 1.0 and `MAJOR` from 1.0 on (`0.0.PATCH` before
/// 0.1): the same as `IGGY_CONSENSUS_ABI_VERSION` and the suffix of the SONAME
/// `libiggy_consensus.so.<abi>`; static, never freed. Releases with the same ABI
/// version are compatible: a program may compare it with the macro it was compiled
/// with.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_consensus_abi_version() -> *const c_char {
    super::panic::boundary_or(|| ABI_VERSION.as_ptr(), || ABI_VERSION.as_ptr())
}

/// The full SHA of the Apache Iggy commit whose wire format this library implements
/// (the same as `IGGY_WIRE_REVISION`): static, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_wire_revision() -> *const c_char {
    super::panic::boundary_or(|| REVISION.as_ptr(), || REVISION.as_ptr())
}

/// Panics inside the boundary (built only with the cargo feature `test-hooks`):
/// returns IGGY_ERR_PANIC with the process alive.
#[cfg(feature = "test-hooks")]
#[unsafe(no_mangle)]
pub extern "C" fn iggy_test_panic() -> super::status::iggy_status {
    super::panic::status_boundary(|| {
        panic!("iggy_test_panic: a deliberate panic inside the boundary")
    })
}
