//! `iggy_reader_*` (docs/c-api.md): a sans-I/O frame reader. The caller owns the socket
//! and every system call; the reader frames, checks and buffers. A thin shell over
//! `stream::FrameReader`.

use super::handle::{Boxed, Exclusive, Out, Ref, Slice, check_args, iggy_buf, iggy_reader};
use super::handle::{release, view};
use super::panic::{boundary, boundary_or, detail_boundary, status_boundary};
use super::status::iggy_status;
use super::validate::iggy_validation_detail;
use crate::status::Status;
use crate::stream::{FrameReader, ReadError, ReaderConfig, Validation};
use crate::wire::validate::Rule;

/// `iggy_reader_config.validate`: `iggy_frame_validate` on every frame (the default).
pub const IGGY_READER_VALIDATE_FRAME: u32 = 0;
/// `iggy_reader_config.validate`: `iggy_frame_validate_inbound` on every frame.
pub const IGGY_READER_VALIDATE_INBOUND: u32 = 1;
/// `iggy_reader_config.validate`: framing checks only (command byte, size bounds).
pub const IGGY_READER_VALIDATE_NONE: u32 = 2;

/// How a reader frames and checks a stream. All zero is the default configuration.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct iggy_reader_config {
    /// The largest `size` accepted, in `256..=IGGY_MAX_MESSAGE_SIZE`; 0 =
    /// `IGGY_MAX_MESSAGE_SIZE` (64 MiB). A larger `size` is `IGGY_ERR_FRAME_TOO_LARGE`,
    /// found on the header before anything is allocated for the body.
    pub max_frame: usize,
    /// Bytes offered per read between frames, and the body length above which a
    /// frame is read in place into a buffer of its own, in
    /// `256..=IGGY_MAX_MESSAGE_SIZE`; 0 = 65536.
    pub read_ahead: usize,
    /// One of `IGGY_READER_VALIDATE_*`; any other value is IGGY_ERR_INVALID_ARGUMENT.
    pub validate: u32,
}

impl TryFrom<iggy_reader_config> for ReaderConfig {
    type Error = Status;

    fn try_from(c: iggy_reader_config) -> Result<Self, Status> {
        let defaults = ReaderConfig::default();
        let validation = match c.validate {
            IGGY_READER_VALIDATE_FRAME => Validation::Frame,
            IGGY_READER_VALIDATE_INBOUND => Validation::Inbound,
            IGGY_READER_VALIDATE_NONE => Validation::None,
            _ => return Err(Status::INVALID_ARGUMENT),
        };
        let or_default = |value, default| if value == 0 { default } else { value };
        Ok(ReaderConfig {
            max_frame: or_default(c.max_frame, defaults.max_frame),
            read_ahead: or_default(c.read_ahead, defaults.read_ahead),
            validation,
        })
    }
}

/// Creates a reader into `*out`; `config` NULL means all defaults. Allocates the
/// read-ahead buffer (`read_ahead` + 256 bytes, 4096-aligned) and the reader's state
/// (under 1 KiB). IGGY_ERR_INVALID_ARGUMENT for a configuration outside its bounds.
///
/// # Safety
/// `config` is NULL or readable; `out` is NULL or writable `iggy_reader` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_init(
    config: *const iggy_reader_config,
    out: *mut iggy_reader,
) -> iggy_status {
    status_boundary(|| {
        let out = check_args!(out: Out)?;
        let config = if config.is_null() {
            ReaderConfig::default()
        } else {
            // SAFETY: caller contract: a non-NULL `config` is readable.
            ReaderConfig::try_from(unsafe { config.read() })?
        };
        let reader = FrameReader::try_new(config).map_err(|e| e.status())?;
        out.put(Boxed::try_new(reader)?);
        Ok(())
    })
}

/// Where the next bytes of the stream go: `*ptr` is writable for `*len >= 1` bytes
/// (at least `read_ahead` between frames), valid until the next call on this reader.
/// Read into it (recv, read, SSL_read, io_uring), then `iggy_reader_commit` the count.
/// Once a frame's header is held and its body is longer than `read_ahead`, the offer is
/// the rest of that frame's own buffer, so a large body is read in place.
///
/// Allocates when a large frame's buffer is opened (`size` bytes) or when frames not
/// yet taken with `iggy_reader_next` leave too little room. Errors: the sticky error
/// of a failed stream; IGGY_ERR_OUT_OF_MEMORY with nothing changed. `*ptr` and `*len`
/// are written only on IGGY_OK.
///
/// # Safety
/// `reader` is NULL or a reader handle nobody else uses meanwhile; `ptr` and `len` are
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_buffer(
    reader: *mut iggy_reader,
    ptr: *mut *mut u8,
    len: *mut usize,
) -> iggy_status {
    status_boundary(|| {
        if ptr.is_null() || len.is_null() {
            return Err(Status::NULL_ARGUMENT);
        }
        let reader = check_args!(reader: Exclusive)?;
        let (start, n) = reader.with_mut(|r| {
            r.buffer()
                .map(|spare| (spare.as_mut_ptr().cast::<u8>(), spare.len()))
                .map_err(|e| e.status())
        })?;
        // SAFETY: caller contract: both are non-NULL (checked) and writable.
        unsafe {
            ptr.write(start);
            len.write(n);
        }
        Ok(())
    })
}

/// `n` bytes were written at the start of the last `iggy_reader_buffer`'s offer; they
/// join the stream, and each header and frame they complete is checked. One commit per
/// buffer: without an outstanding offer, or with `n` outside `1..=len`,
/// IGGY_ERR_OUT_OF_RANGE with nothing changed. A failed reader returns its sticky
/// error first, whatever `n` is. May return the status of a bad frame
/// these bytes revealed, which fails the reader (sticky). No allocation, no copy.
///
/// # Safety
/// `reader` is NULL or a reader handle nobody else uses meanwhile, and the first `n`
/// bytes of its outstanding offer were written.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_commit(reader: *mut iggy_reader, n: usize) -> iggy_status {
    status_boundary(|| {
        let reader = check_args!(reader: Exclusive)?;
        // SAFETY: caller contract: the first `n` bytes of the offer were written.
        reader
            .with_mut(|r| unsafe { r.commit(n) })
            .map_err(|e| e.status())
    })
}

/// Takes all of `bytes[0, len)` into the stream (as `buffer` + copy + `commit`,
/// repeated), for bytes the caller already holds (a TLS library's plaintext). Copies;
/// allocates, before anything changes, the room it needs, so IGGY_ERR_OUT_OF_MEMORY
/// takes nothing. `(NULL, 0)` takes nothing. Bytes inside memory the reader owns (its
/// read-ahead buffer or a large frame's buffer, which its offers point into) are
/// IGGY_ERR_INVALID_ARGUMENT: commit those instead. Errors otherwise as
/// `iggy_reader_commit`.
///
/// # Safety
/// `reader` is NULL or a reader handle nobody else uses meanwhile; `bytes` is NULL or
/// points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_feed(
    reader: *mut iggy_reader,
    bytes: *const u8,
    len: usize,
) -> iggy_status {
    status_boundary(|| {
        let bytes = (bytes, len);
        let (bytes, reader) = check_args!(bytes: Slice, reader: Exclusive)?;
        if reader.owns_any(bytes.as_ptr().addr(), bytes.len()) {
            return Err(Status::INVALID_ARGUMENT);
        }
        reader.with_mut(|r| r.feed(bytes)).map_err(|e| e.status())
    })
}

/// The detail of a reader error.
fn read_error_detail(error: ReadError) -> iggy_validation_detail {
    match error {
        ReadError::Invalid { error, command } => iggy_validation_detail {
            rule: error.rule as u8,
            expected: error.expected(),
            found: error.found(),
            ..iggy_validation_detail::new(error.error.status(), command, error.reason())
        },
        ReadError::FrameTooLarge {
            max_frame,
            size,
            command,
        } => iggy_validation_detail {
            rule: Rule::FrameTooLarge as u8,
            expected: max_frame as u64,
            found: size.into(),
            ..iggy_validation_detail::new(
                Status::FRAME_TOO_LARGE,
                command,
                c"the header's size is above max_frame (refused before the body is read)",
            )
        },
        ReadError::Incomplete => iggy_validation_detail::new(Status::INCOMPLETE, 0, c""),
        other => {
            let status = other.status();
            iggy_validation_detail::new(status, 0, status.text())
        }
    }
}

/// `iggy_reader_next` without the boundary: the detail of its outcome.
///
/// # Safety
/// As for `iggy_reader_next`.
unsafe fn next_into(reader: *mut iggy_reader, frame: *mut iggy_buf) -> iggy_validation_detail {
    let (reader, frame) = match check_args!(reader: Exclusive, frame: Out) {
        Ok(checked) => checked,
        Err(status) => return iggy_validation_detail::new(status, 0, status.text()),
    };
    match reader.with_mut(|r| r.next()) {
        Ok(next) => {
            frame.put(next);
            iggy_validation_detail::new(Status::OK, 0, c"")
        }
        Err(error) => read_error_detail(error),
    }
}

/// The next complete frame, in stream order, into `*frame`: a buffer of its own,
/// 4096-aligned, `len == size`, byte-identical to the stream, unique and writable (a
/// Request can become a Prepare in place); it outlives the reader. A large frame's own
/// buffer is handed over (no copy); a frame that filled most of one read gets the
/// read-ahead buffer itself (the few bytes after it are copied to a fresh one); any
/// other is copied out of the read-ahead buffer (one allocation, `size` bytes). IGGY_ERR_INCOMPLETE when no complete frame is held (read more).
/// After a bad frame, the frames before it come first, then its status on every call.
///
/// `detail` may be NULL. It is filled on every return: on IGGY_OK and
/// IGGY_ERR_INCOMPLETE with that status, an empty reason and zeros; on a bad frame as
/// the validation function fills it (for IGGY_ERR_FRAME_TOO_LARGE: the command, a
/// reason, `rule` IGGY_RULE_FRAME_TOO_LARGE, expected = max_frame, found = size).
///
/// # Safety
/// `reader` is NULL or a reader handle nobody else uses meanwhile; `frame` is NULL or
/// writable `iggy_buf` memory (its old contents are ignored); `detail` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_next(
    reader: *mut iggy_reader,
    frame: *mut iggy_buf,
    detail: *mut iggy_validation_detail,
) -> iggy_status {
    detail_boundary(
        detail,
        // SAFETY: caller contract.
        || unsafe { next_into(reader, frame) }.status,
        // SAFETY: caller contract.
        || unsafe { next_into(reader, frame) },
    )
}

/// At the end of the stream: IGGY_OK when the reader is between frames (frames not yet
/// taken with `iggy_reader_next` do not count), IGGY_ERR_TRUNCATED when it holds part
/// of a frame, or the sticky error. Changes nothing. IGGY_OK on a fresh reader.
///
/// # Safety
/// `reader` is NULL or a reader handle nobody writes meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_finish(reader: *const iggy_reader) -> iggy_status {
    status_boundary(|| {
        let reader = check_args!(reader: Ref)?;
        reader.finish().map_err(|e| e.status())
    })
}

/// Frees the reader and everything it holds (frames not taken with `iggy_reader_next`
/// included), and zeroes the handle. NULL and empty handles are a no-op. Frames already
/// taken are not affected.
///
/// # Safety
/// `reader` is NULL or a reader handle nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_free(reader: *mut iggy_reader) {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { release(reader) }
    })
}

/// Whether the handle is empty; true for NULL.
///
/// # Safety
/// `reader` is NULL or points to a readable `iggy_reader`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_reader_is_empty(reader: *const iggy_reader) -> bool {
    boundary_or(
        || true,
        || {
            // SAFETY: caller contract.
            unsafe { view(reader) }.is_none()
        },
    )
}
