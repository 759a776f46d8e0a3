//! Validation and sealing of frames (docs/c-api.md): pure, re-entrant, allocation-free,
//! any alignment, no atomics.

use super::buf::input_slice;
use super::panic::{boundary, detail_boundary};
use super::status::iggy_status;
use crate::status::Status;
use crate::wire::checksum::{self, SealError};
use crate::wire::command_byte;
use crate::wire::validate::{
    Rule, ValidationError, frame_status, request_is_valid, validate_frame, validate_inbound,
};
use core::ffi::{CStr, c_char};

/// Why a validation failed. Filled on every return of a validation function when the
/// caller passes a non-NULL pointer, argument errors included (the one exception to
/// "outputs only on OK").
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iggy_validation_detail {
    /// The same value the function returned.
    pub status: iggy_status,
    /// Byte 60 (the command) when the frame is longer than 60 bytes, else 0.
    pub command: u8,
    /// Which rule failed, `IGGY_RULE_*` (stable numbers; 0 on OK and for argument
    /// errors). `IGGY_RULE_SHORT_BUFFER` and `IGGY_RULE_SIZE_EXCEEDS_BUFFER` mean the
    /// bytes end early (read more); the others that the frame is malformed. It lies in
    /// what was padding after `command`, so the struct's size and other offsets are
    /// unchanged.
    pub rule: u8,
    /// Static, never freed, never NULL: "" on OK, otherwise which rule failed.
    pub reason: *const c_char,
    /// Rule-specific: a size, a length, or the low 64 bits of the computed checksum;
    /// else 0.
    pub expected: u64,
    /// Rule-specific: what was found instead; else 0.
    pub found: u64,
}

impl iggy_validation_detail {
    /// A detail with no expected or found values.
    pub(crate) fn new(status: Status, command: u8, reason: &'static CStr) -> Self {
        Self {
            status: status.0,
            command,
            rule: Rule::None as u8,
            reason: reason.as_ptr(),
            expected: 0,
            found: 0,
        }
    }

    /// The detail of a caught panic.
    pub(crate) fn panic() -> Self {
        Self::new(Status::PANIC, 0, Status::PANIC.text())
    }

    /// The detail of a NULL frame pointer with a non-zero length.
    pub(crate) fn null_frame() -> Self {
        Self::new(
            Status::NULL_ARGUMENT,
            0,
            c"frame is NULL with a non-zero length",
        )
    }

    /// The detail of a verdict on `frame`.
    pub(crate) fn of(frame: &[u8], verdict: Result<(), ValidationError>) -> Self {
        let command = command_byte(frame).unwrap_or(0);
        match verdict {
            Ok(()) => Self::new(Status::OK, command, c""),
            Err(e) => Self {
                rule: e.rule as u8,
                expected: e.expected(),
                found: e.found(),
                ..Self::new(e.error.status(), command, e.reason())
            },
        }
    }
}

/// The status alone of `check` on a frame: what a caller that wants no detail gets,
/// without building one.
#[inline(always)]
fn status(frame: &[u8], check: impl Fn(&[u8]) -> Result<(), ValidationError>) -> iggy_status {
    match check(frame) {
        Ok(()) => Status::OK.0,
        Err(e) => e.error.status().0,
    }
}

/// The detail of `check` on `(frame, len)`.
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes.
#[inline(always)]
unsafe fn detail_of(
    frame: *const u8,
    len: usize,
    check: impl Fn(&[u8]) -> Result<(), ValidationError>,
) -> iggy_validation_detail {
    // SAFETY: caller contract.
    match unsafe { input_slice(frame, len) } {
        Ok(bytes) => iggy_validation_detail::of(bytes, check(bytes)),
        Err(_) => iggy_validation_detail::null_frame(),
    }
}

/// The status alone of `check` on `(frame, len)`.
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes.
#[inline(always)]
unsafe fn status_of(
    frame: *const u8,
    len: usize,
    check: impl Fn(&[u8]) -> Result<(), ValidationError>,
) -> iggy_status {
    // SAFETY: caller contract.
    match unsafe { input_slice(frame, len) } {
        Ok(bytes) => status(bytes, check),
        Err(status) => status.0,
    }
}

fn whole_frame(frame: &[u8]) -> Result<(), ValidationError> {
    validate_frame(frame).map(drop)
}

/// The status alone of the whole-frame check on `(frame, len)`: the verdict-first fast
/// path, the full verdict only for a rejected frame (a tail call). Out of line and
/// without a frame of its own on the fast path: the export only calls it.
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes.
#[inline(never)]
unsafe fn whole_frame_status(frame: *const u8, len: usize) -> iggy_status {
    if len >= crate::wire::HEADER_SIZE && !frame.is_null() {
        // SAFETY: caller contract: `len` readable bytes at a non-NULL `frame`.
        let bytes = unsafe { core::slice::from_raw_parts(frame, len) };
        match request_is_valid(bytes) {
            Some(true) => return Status::OK.0,
            Some(false) => {}
            None => return other_frame_status(bytes),
        }
    }
    // SAFETY: caller contract.
    unsafe { whole_frame_rejected(frame, len) }
}

/// The status of a frame that is not a Request (a tail call of the fast path).
#[inline(never)]
fn other_frame_status(frame: &[u8]) -> iggy_status {
    frame_status(frame).0
}

/// The status of a frame the fast path did not accept (or a NULL or short one).
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes.
#[cold]
#[inline(never)]
unsafe fn whole_frame_rejected(frame: *const u8, len: usize) -> iggy_status {
    // SAFETY: caller contract.
    match unsafe { input_slice(frame, len) } {
        Ok(bytes) => frame_status(bytes).0,
        Err(status) => status.0,
    }
}

fn inbound(frame: &[u8]) -> Result<(), ValidationError> {
    validate_inbound(frame).map(drop)
}

/// Validates a whole frame, seals included: generic construction (length >= 256,
/// command byte <= 29, 256 <= size <= len), then, when the command has a typed
/// header, typed conversion (typed bit pattern, frame seal for sealed commands,
/// validate()), in the reference's order. Commands without a typed header (Reserved,
/// Ping, Pong, PingClient, PongClient, ReplicaHello, ReplicaChallenge, ReplicaFinish)
/// are valid once generic construction passes. Bytes after `size` are allowed. Any
/// alignment of `frame` is accepted. `detail` may be NULL.
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes; `detail` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frame_validate(
    frame: *const u8,
    len: usize,
    detail: *mut iggy_validation_detail,
) -> iggy_status {
    detail_boundary(
        detail,
        // SAFETY: caller contract.
        move || unsafe { whole_frame_status(frame, len) },
        // SAFETY: caller contract.
        move || unsafe { whole_frame_detail(frame, len) },
    )
}

/// The detail of the whole-frame check, out of line: the status-only call stays small.
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes.
#[inline(never)]
unsafe fn whole_frame_detail(frame: *const u8, len: usize) -> iggy_validation_detail {
    // SAFETY: caller contract.
    unsafe { detail_of(frame, len, whole_frame) }
}

/// The replica's inbound path: generic construction, then the inbound dispatch
/// (Reply and Eviction are IGGY_ERR_CLIENT_BOUND_COMMAND; Reserved, Ping, Pong,
/// PingClient, PongClient and the handshake commands are IGGY_ERR_INVALID_COMMAND),
/// then typed conversion of the dispatched type (Request as its routed shape). Any
/// alignment is accepted. `detail` may be NULL.
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes; `detail` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frame_validate_inbound(
    frame: *const u8,
    len: usize,
    detail: *mut iggy_validation_detail,
) -> iggy_status {
    detail_boundary(
        detail,
        // SAFETY: caller contract.
        || unsafe { status_of(frame, len, inbound) },
        // SAFETY: caller contract.
        || unsafe { detail_of(frame, len, inbound) },
    )
}

/// Validates `count` frames as `iggy_frame_validate` does, in one call:
/// `statuses[i]` gets the verdict of `frames[i][0..lens[i])`. Returns IGGY_OK if every
/// frame is valid, else the first error. A NULL `frames[i]` with a non-zero length
/// gives `statuses[i] = IGGY_ERR_NULL_ARGUMENT` (then also the return value when it is
/// the first error; `statuses` was written, unlike for a NULL array). With `count == 0` nothing is read and
/// the result is IGGY_OK; otherwise NULL `frames`, `lens` or `statuses` is
/// IGGY_ERR_NULL_ARGUMENT and nothing is written.
///
/// # Safety
/// When `count > 0`, each array is NULL or holds `count` elements, and each
/// non-NULL `frames[i]` points to `lens[i]` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frames_validate(
    frames: *const *const u8,
    lens: *const usize,
    count: usize,
    statuses: *mut iggy_status,
) -> iggy_status {
    boundary(|| {
        if count > 0 && (frames.is_null() || lens.is_null() || statuses.is_null()) {
            return Status::NULL_ARGUMENT.0;
        }
        let mut first = Status::OK.0;
        for i in 0..count {
            // SAFETY: caller contract: `count` elements in each array, and `frames[i]`
            // NULL or pointing to `lens[i]` readable bytes.
            let verdict = unsafe {
                input_slice(frames.add(i).read(), lens.add(i).read())
                    .map_or_else(|null| null.0, |frame| frame_status(frame).0)
            };
            // SAFETY: caller contract: `statuses` holds `count` writable elements.
            unsafe { statuses.add(i).write(verdict) };
            if first == Status::OK.0 {
                first = verdict;
            }
        }
        first
    })
}

/// Validates `count` frames packed in one buffer, as `iggy_frames_validate` does:
/// frame i is `base[offsets[i] .. offsets[i] + lens[i])`. One call from Go, no
/// pointer array into Go memory. A frame outside `[0, base_len)` gives
/// `statuses[i] = IGGY_ERR_OUT_OF_RANGE`. With `count == 0` the result is IGGY_OK;
/// otherwise NULL `offsets`, `lens` or `statuses`, or a NULL `base` with a non-zero
/// `base_len`, is IGGY_ERR_NULL_ARGUMENT and nothing is written.
///
/// # Safety
/// `base` is NULL or points to `base_len` readable bytes; when `count > 0`, each
/// array is NULL or holds `count` elements.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frames_validate_packed(
    base: *const u8,
    base_len: usize,
    offsets: *const usize,
    lens: *const usize,
    count: usize,
    statuses: *mut iggy_status,
) -> iggy_status {
    boundary(|| {
        if count == 0 {
            return Status::OK.0;
        }
        if offsets.is_null() || lens.is_null() || statuses.is_null() {
            return Status::NULL_ARGUMENT.0;
        }
        // SAFETY: caller contract.
        let Ok(base) = (unsafe { input_slice(base, base_len) }) else {
            return Status::NULL_ARGUMENT.0;
        };
        let mut first = Status::OK.0;
        for i in 0..count {
            // SAFETY: caller contract: `count` elements in each array.
            let (offset, len) = unsafe { (offsets.add(i).read(), lens.add(i).read()) };
            let verdict = match offset
                .checked_add(len)
                .and_then(|end| base.get(offset..end))
            {
                Some(frame) => frame_status(frame).0,
                None => Status::OUT_OF_RANGE.0,
            };
            // SAFETY: caller contract: `statuses` holds `count` writable elements.
            unsafe { statuses.add(i).write(verdict) };
            if first == Status::OK.0 {
                first = verdict;
            }
        }
        first
    })
}

/// Stamps the checksum the header's command requires into bytes `[0, 16)`: the frame
/// seal (XXH3-64 of bytes [16, 256)) for sealed commands (7, 9–12, 17, 18, 20–29), the
/// prepare identity for Prepare (6) and RepairPrepare (19); `checksum_body` is never
/// written. A command that carries no checksum returns IGGY_OK and changes nothing.
/// `len < 256` is IGGY_ERR_OUT_OF_RANGE and an undefined command byte
/// IGGY_ERR_INVALID_BIT_PATTERN, both leaving the bytes untouched. Only the first 256
/// bytes are read; any alignment is accepted. Seal last.
///
/// # Safety
/// `header` is NULL or points to `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_header_seal(header: *mut u8, len: usize) -> iggy_status {
    super::panic::status_boundary(|| {
        let bytes: &mut [u8] = if len == 0 {
            &mut [] // `(NULL, 0)` is an empty slice, as everywhere
        } else if header.is_null() {
            return Err(Status::NULL_ARGUMENT);
        } else {
            // SAFETY: caller contract: `len` writable bytes at a non-NULL `header`.
            unsafe { core::slice::from_raw_parts_mut(header, len) }
        };
        match checksum::seal(bytes) {
            Ok(_) => Ok(()),
            Err(SealError::ShortHeader) => Err(Status::OUT_OF_RANGE),
            Err(SealError::InvalidCommand) => Err(Status::INVALID_BIT_PATTERN),
        }
    })
}

// The `rule` byte sits in what was padding: the layout C programs compiled before it
// was added still holds.
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(offset_of!(iggy_validation_detail, command) == 4);
    assert!(offset_of!(iggy_validation_detail, rule) == 5);
    assert!(offset_of!(iggy_validation_detail, reason) == 8);
    assert!(size_of::<iggy_validation_detail>() == 8 + 3 * size_of::<u64>());
};
