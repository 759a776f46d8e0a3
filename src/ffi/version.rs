//! The library version, and the test hook.

use core::ffi::c_char;

use core::ffi::CStr;

/// The package version, NUL-terminated.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL byte"),
    };

/// `wire::WIRE_REVISION`, NUL-terminated.
const REVISION: &CStr = c"cc269ef70ef2d78af5102f5560b5b03c9dd81401";
const _: () = {
    let (wire, c) = (crate::wire::WIRE_REVISION.as_bytes(), REVISION.to_bytes());
    assert!(wire.len() == c.len());
    let mut i = 0;
    while i < wire.len() {
        assert!(wire[i] == c[i], "REVISION is not wire::WIRE_REVISION");
        i += 1;
    }
};

/// The library version, `MAJOR.MINOR.PATCH` (the same as `IGGY_CONSENSUS_VERSION`):
/// static, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_consensus_version() -> *const c_char {
    super::panic::boundary_or(|| VERSION.as_ptr(), || VERSION.as_ptr())
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
