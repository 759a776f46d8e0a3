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

impl PanicValue for () {
    fn panic_value() -> Self {}
}

impl PanicValue for bool {
    fn panic_value() -> Self {
        false
    }
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
    if out.is_null() {
        // Status only: a caught panic is IGGY_ERR_PANIC, and nothing is written, so the
        // landing pad needs nothing of this frame.
        return boundary(status);
    }
    boundary_or(
        || {
            let filled = iggy_validation_detail::panic();
            // SAFETY: non-NULL (checked above), so writable (the export's contract).
            unsafe { out.write(filled) };
            filled.status
        },
        || filled(out, detail),
    )
}

/// Runs `detail` and writes its result to `out`: out of line, so that the export's own
/// frame holds no detail and its status-only path is a call and a return.
///
/// The caller guarantees that `out` is non-NULL and points to a writable
/// `iggy_validation_detail`.
#[inline(never)]
fn filled(
    out: *mut iggy_validation_detail,
    detail: impl FnOnce() -> iggy_validation_detail,
) -> iggy_status {
    let filled = detail();
    // SAFETY: non-NULL and writable (the caller's guarantee, above).
    unsafe { out.write(filled) };
    filled.status
}

/// The start of this crate's source paths as the compiler records them in panic
/// locations (`src/` for a build in the repository, an absolute path elsewhere).
const SOURCE_ROOT: &str = {
    let here = file!().as_bytes();
    let suffix = b"ffi/panic.rs".len();
    match here.split_at_checked(here.len() - suffix) {
        Some((root, _)) => match core::str::from_utf8(root) {
            Ok(root) => root,
            Err(_) => panic!("a source path that is not UTF-8"),
        },
        None => panic!("panic.rs is not in ffi/"),
    }
};

/// Whether a panic was raised by this library's own code: its location lies in one of
/// the crate's modules.
fn raised_here(info: &std::panic::PanicHookInfo<'_>) -> bool {
    info.location().is_some_and(|location| {
        location
            .file()
            .strip_prefix(SOURCE_ROOT)
            .is_some_and(|path| {
                ["buf/", "ffi/", "stream/", "wire/", "status.rs", "lib.rs"]
                    .iter()
                    .any(|module| path.starts_with(module))
            })
    })
}

/// Keeps the messages of panics raised inside the library off standard error. A
/// caught panic (`IGGY_ERR_PANIC`) otherwise prints one message there, through Rust's
/// panic hook: `thread '<name>' panicked at src/...: <message>` (and a backtrace
/// note). This installs a process-wide panic hook that drops those messages and passes
/// every other panic (of other Rust code in the process) to the hook that was installed
/// before; the library never touches the hook unless this is called. Call it once, at
/// start-up, before threads that may panic are running; calling it again changes
/// nothing. Allocates one small closure; touches no atomic of a buffer.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_quiet_panics() {
    boundary(|| {
        /// The hook that was installed before ours: what other panics go to. Kept in a
        /// static, so that the hook itself is a closure without captures (no
        /// allocation that would outlive the process's last free).
        static PREVIOUS: std::sync::OnceLock<PanicHook> = std::sync::OnceLock::new();
        PREVIOUS.get_or_init(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(|info| {
                if let Some(previous) = PREVIOUS.get().filter(|_| !raised_here(info)) {
                    previous(info);
                }
            }));
            previous
        });
    })
}

/// A panic hook, as `std::panic::take_hook` returns it.
type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;
