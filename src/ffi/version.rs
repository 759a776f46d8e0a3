//! The library version, and the test hook.

use core::ffi::c_char;

/// The library version, `MAJOR.MINOR.PATCH` (the same as `IGGY_CONSENSUS_VERSION`):
/// static, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_consensus_version() -> *const c_char {
    const VERSION: &core::ffi::CStr = match core::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL byte"),
    };
    super::panic::boundary_or(|| VERSION.as_ptr(), || VERSION.as_ptr())
}

/// The full SHA of the Apache Iggy commit whose wire format this library implements
/// (the same as `IGGY_WIRE_REVISION`): static, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_wire_revision() -> *const c_char {
    const REVISION: &core::ffi::CStr = c"cc269ef70ef2d78af5102f5560b5b03c9dd81401";
    const _: () = assert!(crate::wire::WIRE_REVISION.len() == REVISION.count_bytes());
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
