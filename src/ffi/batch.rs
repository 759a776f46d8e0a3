//! SendMessages batches (docs/c-api.md): decode with rules B1–B11, iterate the messages
//! zero-copy, encode a batch body.

use super::buf::input_slice;
use super::handle::{Arg, Exclusive, HandleWord, check_args, iggy_buf};
use super::panic::detail_boundary;
use super::panic::{boundary, status_boundary};
use super::status::iggy_status;
use super::u128::iggy_u128;
use super::validate::iggy_validation_detail;
use crate::status::Status;
use crate::wire::batch::{self, Batch, BatchInput, BatchIter, BatchMessage, EncodeError};
use crate::wire::command_byte;

/// A decoded batch: the batch header's fields and the blob, a view into the caller's
/// frame (valid while the frame is).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iggy_batch {
    /// Stamped by the server at ingestion.
    pub partition_id: u64,
    /// Message offsets are relative to it.
    pub base_offset: u64,
    /// Stamped at persistence.
    pub base_timestamp: u64,
    /// The producer's clock (µs); message timestamps are relative to it.
    pub origin_timestamp: u64,
    /// 256 + `blob_len`.
    pub batch_length: u64,
    /// The stored batch checksum.
    pub batch_checksum: u64,
    /// The number of messages.
    pub message_count: u32,
    /// The message frames: frame + 512.
    pub blob: *const u8,
    /// Their length.
    pub blob_len: usize,
}

/// An iterator over a decoded batch: caller-owned, fixed-size, opaque. It points to the
/// `iggy_batch` it was begun on, which must stay in place while it is used.
#[repr(C)]
pub struct iggy_batch_iter {
    /// Private to the library.
    pub opaque: [HandleWord; 4],
}

impl Default for iggy_batch_iter {
    /// An iterator that yields nothing until `iggy_batch_iter_begin`.
    fn default() -> Self {
        Self {
            opaque: [core::ptr::null_mut(); 4],
        }
    }
}

/// The parts of an iterator as stored in its opaque words.
#[repr(C)]
struct IterParts {
    batch: *const iggy_batch,
    position: usize,
    zero: [usize; 2],
}

const _: () = assert!(size_of::<IterParts>() == size_of::<iggy_batch_iter>());
const _: () = assert!(align_of::<IterParts>() <= align_of::<iggy_batch_iter>());

/// One message of a batch; the slices are views into the frame (valid while it is).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iggy_batch_message {
    /// The stored message checksum.
    pub checksum: u64,
    /// The message id.
    pub id: iggy_u128,
    /// `base_offset + offset_delta`, saturating.
    pub offset: u64,
    /// `origin_timestamp + timestamp_delta`, saturating.
    pub timestamp: u64,
    /// The payload.
    pub payload: *const u8,
    /// Its length.
    pub payload_len: usize,
    /// The user headers (after the payload in the frame).
    pub user_headers: *const u8,
    /// Their length.
    pub user_headers_len: usize,
}

/// One message to encode. `(NULL, 0)` is an empty payload or user-header block.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iggy_batch_input {
    /// The message id.
    pub id: iggy_u128,
    /// The offset, relative to the batch's `base_offset`.
    pub offset_delta: u32,
    /// The timestamp in µs, relative to the batch's `origin_timestamp`.
    pub timestamp_delta: u32,
    /// The payload (at most 2^32 - 1 bytes).
    pub payload: *const u8,
    /// Its length.
    pub payload_len: usize,
    /// The user headers (at most 2^32 - 1 bytes).
    pub user_headers: *const u8,
    /// Their length.
    pub user_headers_len: usize,
}

impl From<&Batch<'_>> for iggy_batch {
    fn from(b: &Batch<'_>) -> Self {
        Self {
            partition_id: b.partition_id,
            base_offset: b.base_offset,
            base_timestamp: b.base_timestamp,
            origin_timestamp: b.origin_timestamp,
            batch_length: b.batch_length,
            batch_checksum: b.batch_checksum,
            message_count: b.message_count,
            blob: b.blob.as_ptr(),
            blob_len: b.blob.len(),
        }
    }
}

impl From<BatchMessage<'_>> for iggy_batch_message {
    fn from(m: BatchMessage<'_>) -> Self {
        Self {
            checksum: m.checksum,
            id: m.id.into(),
            offset: m.offset,
            timestamp: m.timestamp,
            payload: m.payload.as_ptr(),
            payload_len: m.payload.len(),
            user_headers: m.user_headers.as_ptr(),
            user_headers_len: m.user_headers.len(),
        }
    }
}

/// Runs rules B1–B11 (docs/protocol.md, "Batch rules") in order on a whole Prepare frame and, on
/// IGGY_OK, writes the batch to `*out` (views into `frame`). No command check and no
/// validate(): B2 is a bit-pattern check only. Bytes after `size` are ignored; any
/// alignment is accepted. Allocates nothing, copies nothing, no atomic. `detail` may
/// be NULL; it is filled on every return (for B9/B11 `expected` is the computed
/// checksum and `found` the stored one).
///
/// # Safety
/// `frame` is NULL or points to `len` readable bytes; `out` is NULL or writable;
/// `detail` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_batch_decode(
    frame: *const u8,
    len: usize,
    out: *mut iggy_batch,
    detail: *mut iggy_validation_detail,
) -> iggy_status {
    detail_boundary(
        detail,
        // SAFETY: caller contract.
        || unsafe { decode_into(frame, len, out) }.status,
        // SAFETY: caller contract.
        || unsafe { decode_into(frame, len, out) },
    )
}

/// Decodes `(frame, len)` into `*out` and says how it went.
///
/// # Safety
/// As for `iggy_batch_decode`.
unsafe fn decode_into(
    frame: *const u8,
    len: usize,
    out: *mut iggy_batch,
) -> iggy_validation_detail {
    // SAFETY: caller contract.
    let Ok(bytes) = (unsafe { input_slice(frame, len) }) else {
        return iggy_validation_detail::null_frame();
    };
    if out.is_null() {
        return iggy_validation_detail::new(Status::NULL_ARGUMENT, 0, c"out is NULL");
    }
    let command = command_byte(bytes).unwrap_or(0);
    match batch::decode_prepare(bytes) {
        Ok(decoded) => {
            // SAFETY: `out` is non-NULL and writable (caller contract).
            unsafe { out.write(iggy_batch::from(&decoded)) };
            iggy_validation_detail::new(Status::OK, command, c"")
        }
        Err(e) => iggy_validation_detail {
            rule: e.rule.frame_rule() as u8,
            expected: e.expected(),
            found: e.found(),
            ..iggy_validation_detail::new(e.status(), command, e.reason())
        },
    }
}

/// Begins iterating `*batch` (from `iggy_batch_decode`): the first `iggy_batch_next`
/// yields its first message. A NULL `batch` gives an iterator that yields nothing; a
/// NULL `it` does nothing. Keep `*batch` in place while iterating.
///
/// # Safety
/// `batch` is NULL or points to an `iggy_batch` from `iggy_batch_decode` whose frame
/// is still alive; `it` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_batch_iter_begin(batch: *const iggy_batch, it: *mut iggy_batch_iter) {
    boundary(|| {
        if !it.is_null() {
            // SAFETY: `it` is writable (caller contract); the parts have its size.
            unsafe {
                it.cast::<IterParts>().write(IterParts {
                    batch,
                    position: 0,
                    zero: [0; 2],
                })
            };
        }
    })
}

/// Writes the next message to `*out` and returns true, or returns false at the end
/// (and on NULL arguments), leaving `*out` untouched. Zero-copy: the message's slices
/// point into the frame. No allocation, no atomic.
///
/// # Safety
/// `it` is NULL or was begun by `iggy_batch_iter_begin` on an `iggy_batch` that is
/// still in place, over a frame that is still alive; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_batch_next(
    it: *mut iggy_batch_iter,
    out: *mut iggy_batch_message,
) -> bool {
    boundary(|| {
        if it.is_null() || out.is_null() {
            return false;
        }
        // SAFETY: `it` is readable and writable (caller contract).
        let parts = unsafe { &mut *it.cast::<IterParts>() };
        if parts.batch.is_null() {
            return false;
        }
        // SAFETY: the iterator was begun on a live, decoded batch (caller contract).
        let decoded = unsafe { *parts.batch };
        // SAFETY: a decoded batch's blob points to `blob_len` bytes of a live frame.
        let Ok(blob) = (unsafe { input_slice(decoded.blob, decoded.blob_len) }) else {
            return false;
        };
        let batch = Batch {
            partition_id: decoded.partition_id,
            base_offset: decoded.base_offset,
            base_timestamp: decoded.base_timestamp,
            origin_timestamp: decoded.origin_timestamp,
            batch_length: decoded.batch_length,
            batch_checksum: decoded.batch_checksum,
            message_count: decoded.message_count,
            blob,
        };
        let mut messages = BatchIter::at(&batch, parts.position);
        match messages.next() {
            Some(message) => {
                parts.position = messages.position();
                // SAFETY: `out` is non-NULL and writable (caller contract).
                unsafe { out.write(message.into()) };
                true
            }
            None => false,
        }
    })
}

/// Appends a batch body (the 256-byte batch header, then one frame per message) for
/// `messages[0..count)` to the live buffer `*out`, computing every message checksum and
/// the batch checksum; the caller writes the Prepare header in front (usually already
/// in `*out`). One reservation: at most one reallocation, which may move the data.
/// NULL `messages` with `count > 0`, or a NULL payload/user-header pointer with a
/// non-zero length, is IGGY_ERR_NULL_ARGUMENT; a payload or user-header block above
/// 2^32 - 1 bytes, or a total that cannot be represented, is IGGY_ERR_OUT_OF_MEMORY, as
/// is allocation failure. The inputs must not lie in `*out`'s own capacity, which the
/// reservation may free: `messages` or a payload or user-header block overlapping
/// `[iggy_buf_data(out), + iggy_buf_capacity(out))` is IGGY_ERR_INVALID_ARGUMENT (copy
/// such bytes out first). On error `*out` is unchanged.
///
/// # Safety
/// `messages` is NULL or holds `count` elements whose pointers each reference their
/// length of readable bytes; `out` is NULL or points to an `iggy_buf` nobody else uses
/// meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_batch_encode(
    partition_id: u64,
    base_offset: u64,
    base_timestamp: u64,
    origin_timestamp: u64,
    messages: *const iggy_batch_input,
    count: usize,
    out: *mut iggy_buf,
) -> iggy_status {
    status_boundary(|| {
        let messages = (messages, count);
        let (inputs, out) = check_args!(messages: Inputs, out: Exclusive)?;
        let (data, capacity) = (out.as_ptr(), out.capacity());
        let inside = |ptr: *const u8, len: usize| ranges_overlap(ptr, len, data, capacity);
        if inside(inputs.as_ptr().cast(), size_of_val(inputs))
            || inputs.iter().any(|input| {
                inside(input.payload, input.payload_len)
                    || inside(input.user_headers, input.user_headers_len)
            })
        {
            return Err(Status::INVALID_ARGUMENT);
        }
        let messages = inputs.iter().map(|input| BatchInput {
            id: input.id.into(),
            offset_delta: input.offset_delta,
            timestamp_delta: input.timestamp_delta,
            // SAFETY: checked above: NULL only with a zero length.
            payload: unsafe { input_slice(input.payload, input.payload_len) }.unwrap_or(&[]),
            // SAFETY: as above.
            user_headers: unsafe { input_slice(input.user_headers, input.user_headers_len) }
                .unwrap_or(&[]),
        });
        // No input lies in the buffer's capacity (checked above), so growing it frees
        // no input.
        out.with_mut(|buf| {
            batch::encode(
                buf,
                partition_id,
                base_offset,
                base_timestamp,
                origin_timestamp,
                messages,
            )
        })
        .map_err(|error| match error {
            EncodeError::TooLarge | EncodeError::OutOfMemory => Status::OUT_OF_MEMORY,
        })
    })
}

/// The `messages` argument of `iggy_batch_encode`: the array and, inside it, every
/// payload and user-header pointer get the NULL check (`(NULL, 0)` is empty).
struct Inputs<'a>(&'a [iggy_batch_input]);

impl<'a> Arg for Inputs<'a> {
    type Raw = (*const iggy_batch_input, usize);
    type Checked = &'a [iggy_batch_input];
    fn non_null(raw: Self::Raw) -> Result<Self, Status> {
        let inputs = super::handle::Slice::non_null(raw)?.into_inner();
        for input in inputs {
            let null = |ptr: *const u8, len| ptr.is_null() && len != 0;
            if null(input.payload, input.payload_len)
                || null(input.user_headers, input.user_headers_len)
            {
                return Err(Status::NULL_ARGUMENT);
            }
        }
        Ok(Self(inputs))
    }
    unsafe fn check(self) -> Result<Self::Checked, Status> {
        Ok(self.0)
    }
}

/// Whether the byte ranges `[a, a + a_len)` and `[b, b + b_len)` share a byte. Empty
/// ranges share none.
fn ranges_overlap(a: *const u8, a_len: usize, b: *const u8, b_len: usize) -> bool {
    let (a, b) = (a.addr(), b.addr());
    a_len != 0 && b_len != 0 && a < b.saturating_add(b_len) && b < a.saturating_add(a_len)
}

#[cfg(test)]
mod tests {
    use super::ranges_overlap;

    #[test]
    fn ranges_overlap_when_they_share_a_byte_and_not_when_they_touch() {
        let bytes = [0u8; 16];
        let at = |i: usize| bytes[i..].as_ptr();
        // [0, 4) and [4, 8) touch; [0, 5) and [4, 8) share byte 4; each way round.
        assert!(!ranges_overlap(at(0), 4, at(4), 4));
        assert!(!ranges_overlap(at(4), 4, at(0), 4));
        assert!(ranges_overlap(at(0), 5, at(4), 4));
        assert!(ranges_overlap(at(4), 4, at(0), 5));
        assert!(ranges_overlap(at(2), 1, at(0), 16), "one inside the other");
        assert!(
            !ranges_overlap(at(2), 0, at(0), 16),
            "an empty range shares nothing"
        );
        assert!(!ranges_overlap(at(0), 16, at(2), 0));
    }
}
