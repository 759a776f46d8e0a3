//! Names and one-line descriptions, for logs (docs/c-api.md): static strings from the
//! core's tables, and `iggy_frame_describe` with snprintf's rules. Nothing here
//! allocates or touches an atomic.

use super::panic::{boundary, boundary_or};
use crate::wire::describe::describe;
use crate::wire::{Command, Operation};
use core::ffi::{CStr, c_char};

/// The reference's name of a command byte ("Prepare", "PrepareOk", "StartViewChange",
/// ...); "unknown" for an undefined value. Static, never NULL, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_command_name(command: u8) -> *const c_char {
    boundary_or(unknown, || {
        name_or_unknown(Command::from_u8(command).map(Command::c_name))
    })
}

/// The reference's name of an operation byte ("SendMessages", "CreateStream", ...);
/// "unknown" for an undefined value. Static, never NULL, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_operation_name(operation: u8) -> *const c_char {
    boundary_or(unknown, || {
        name_or_unknown(Operation::from_u8(operation).map(Operation::c_name))
    })
}

/// "unknown": the name of an undefined value, and what a caught panic returns.
fn unknown() -> *const c_char {
    c"unknown".as_ptr()
}

/// The name, or "unknown" for an undefined value.
fn name_or_unknown(name: Option<&'static CStr>) -> *const c_char {
    name.map_or_else(unknown, CStr::as_ptr)
}

/// A `fmt::Write` with snprintf's rules: keeps what fits in `out` (one byte left for
/// the NUL) and counts everything.
struct Truncating<'a> {
    out: &'a mut [u8],
    kept: usize,
    total: usize,
}

impl core::fmt::Write for Truncating<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let room = self.out.len().saturating_sub(1) - self.kept;
        let n = room.min(s.len());
        self.out[self.kept..self.kept + n].copy_from_slice(&s.as_bytes()[..n]);
        self.kept += n;
        self.total += s.len();
        Ok(())
    }
}

/// Writes one line describing the frame's header, for a log: the command name, the
/// size, then the header type's own fields by their wire names (enum bytes by name,
/// numbers in decimal), and the verdict of `iggy_frame_validate` ("ok", or the status
/// name and the reason), for example
/// `Commit size=256 view=3 replica=1 ... commit=41 ...: ok`. A frame shorter than the
/// header is described as such. Any bytes, any alignment, any length; `(NULL, 0)` is
/// an empty frame.
///
/// snprintf's rules: writes at most `cap` bytes including the terminating NUL (nothing
/// when `cap` is 0, and `out` may then be NULL) and returns the length of the whole line
/// without the NUL, so a return `>= cap` means the line was cut. `out` NULL with
/// `cap > 0` writes nothing and returns 0. No allocation, no atomic.
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes; `out` is NULL or points to `cap`
/// writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frame_describe(
    frame: *const u8,
    len: usize,
    out: *mut c_char,
    cap: usize,
) -> usize {
    boundary(|| {
        if out.is_null() && cap > 0 {
            return 0;
        }
        let out: &mut [u8] = if cap == 0 {
            &mut []
        } else {
            // SAFETY: caller contract: `cap` writable bytes at a non-NULL `out`.
            unsafe { core::slice::from_raw_parts_mut(out.cast::<u8>(), cap) }
        };
        let mut line = Truncating {
            out,
            kept: 0,
            total: 0,
        };
        let written = match len {
            0 => describe(&[], &mut line),
            _ if frame.is_null() => core::fmt::Write::write_fmt(
                &mut line,
                format_args!("frame is NULL with a length of {len}: IGGY_ERR_NULL_ARGUMENT"),
            ),
            // SAFETY: caller contract: `len` readable bytes at a non-NULL `frame`.
            _ => describe(
                unsafe { core::slice::from_raw_parts(frame, len) },
                &mut line,
            ),
        };
        debug_assert!(written.is_ok(), "Truncating never fails");
        if let Some(nul) = line.out.get_mut(line.kept) {
            *nul = 0;
        }
        line.total
    })
}
