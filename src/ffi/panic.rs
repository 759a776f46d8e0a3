//! The panic boundary: every export runs its body through [`boundary`], so a panic
//! never unwinds into C. What a caught panic returns is a property of the return type
//! ([`PanicValue`]): `IGGY_ERR_PANIC` for a status, NULL for a pointer, 0, false, or
//! nothing.

use super::status::iggy_status;
use super::validate::iggy_validation_detail;
use crate::status::Status;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The value an export returns when its body panicked.
pub(crate) trait PanicValue {
    fn panic_value() -> Self;
}

impl PanicValue for iggy_status {
    fn panic_value() -> Self {
        Status::PANIC.0
    }
}

impl PanicValue for usize {
    fn panic_value() -> Self {
        0
    }
}

impl PanicValue for bool {
    fn panic_value() -> Self {
        false
    }
}

impl PanicValue for () {
    fn panic_value() -> Self {}
}

impl<T> PanicValue for *const T {
    fn panic_value() -> Self {
        core::ptr::null()
    }
}

impl<T> PanicValue for *mut T {
    fn panic_value() -> Self {
        core::ptr::null_mut()
    }
}

/// Runs an export's body, turning a panic into the return type's [`PanicValue`].
///
/// Unwind safety: the handles an export works on are C memory that Rust only reads
/// and writes whole (see `handle.rs`); a panic leaves each as it was, consistently
/// updated, or, for an input the call had already consumed, empty with its value
/// released while unwinding (README, "A caught panic"). That is what
/// `AssertUnwindSafe` asserts here.
#[inline(always)]
pub(crate) fn boundary<T: PanicValue>(body: impl FnOnce() -> T) -> T {
    boundary_or(T::panic_value, body)
}

/// [`boundary`] with an explicit value for a caught panic, for the exports whose
/// contract rules out the type's usual one (a never-NULL string).
#[inline(always)]
pub(crate) fn boundary_or<T>(on_panic: impl FnOnce() -> T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| on_panic())
}

/// Like [`boundary`] for bodies written with `?`: `Err(status)` is returned as is.
#[inline(always)]
pub(crate) fn status_boundary(body: impl FnOnce() -> Result<(), Status>) -> iggy_status {
    boundary(|| match body() {
        Ok(()) => Status::OK.0,
        Err(status) => status.0,
    })
}

/// The boundary of the exports that fill an optional `iggy_validation_detail`: one
/// `catch_unwind` around both paths. With `out` NULL only `status` runs (no detail is
/// built); otherwise `detail` runs and its result is written to `out`, the panic detail
/// too when a path panicked.
///
/// The caller guarantees that `out` is NULL or points to a writable
/// `iggy_validation_detail` (the export's contract).
#[inline(always)]
pub(crate) fn detail_boundary(
    out: *mut iggy_validation_detail,
    status: impl FnOnce() -> iggy_status,
    detail: impl FnOnce() -> iggy_validation_detail,
) -> iggy_status {
    let report = move |filled: iggy_validation_detail| {
        if !out.is_null() {
            // SAFETY: non-NULL, so writable (the export's contract, above).
            unsafe { out.write(filled) };
        }
        filled.status
    };
    boundary_or(
        || report(iggy_validation_detail::panic()),
        || {
            if out.is_null() {
                status()
            } else {
                report(detail())
            }
        },
    )
}
