//! Status codes (docs/c-api.md): the `iggy_status` type and the functions that name and
//! describe a code. The codes themselves (`IGGY_OK`, `IGGY_ERR_*`) are the table in
//! `crate::status`, written into the C header by the generator (`make gen`).

use crate::status::Status;
use core::ffi::c_char;

/// The result of every fallible function: `IGGY_OK` (0) or an error code.
pub type iggy_status = u32;

/// A static, never-NULL, never-freed text for any status value; unknown values get
/// a generic text ("unknown status"). Allocates nothing, touches no atomic.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_status_str(status: iggy_status) -> *const c_char {
    super::panic::boundary_or(
        || c"internal panic".as_ptr(),
        || Status(status).text().as_ptr(),
    )
}

/// The status's macro name, for logs: "IGGY_OK" for 0,
/// "IGGY_ERR_FRAME_CHECKSUM_MISMATCH" for 103, "unknown" for an undefined value.
/// Static, never NULL, never freed. Allocates nothing, touches no atomic.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_status_name(status: iggy_status) -> *const c_char {
    super::panic::boundary_or(|| c"unknown".as_ptr(), || Status(status).name().as_ptr())
}
