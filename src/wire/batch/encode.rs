//! [`encode`]: appends a batch body (§h.1) with every checksum computed (§h.2).

use super::checksum::{BatchHasher, message_checksum};
use super::{BATCH_HEADER_SIZE, MESSAGE_HEADER_SIZE, batch_field, message_field, put};
use crate::buf::{BufError, Owned};

/// The input of one message to [`encode`].
#[derive(Clone, Copy, Debug)]
pub struct BatchInput<'a> {
    /// The message id.
    pub id: u128,
    /// The offset, relative to the batch's `base_offset`.
    pub offset_delta: u32,
    /// The timestamp in µs, relative to the batch's `origin_timestamp`.
    pub timestamp_delta: u32,
    /// The payload; at most `u32::MAX` bytes.
    pub payload: &'a [u8],
    /// The user headers; at most `u32::MAX` bytes.
    pub user_headers: &'a [u8],
}

/// Why [`encode`] refused; nothing was appended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodeError {
    /// A payload or user headers above `u32::MAX` bytes, more than `u32::MAX` messages,
    /// or a body length that overflows `usize`.
    TooLarge,
    /// The buffer could not grow to hold the body.
    OutOfMemory,
}

impl core::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            EncodeError::TooLarge => f.write_str("batch too large to encode"),
            // The buffer's failure to grow, in the buffer's words.
            EncodeError::OutOfMemory => BufError::OutOfMemory.fmt(f),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Appends a batch body for `messages` to `out`: the 256-byte batch header
/// (`batch_length` = 256 + blob length, `message_count` = the number of messages, reserved
/// bytes zero, `batch_checksum` computed), then one frame per message (reserved zero,
/// `checksum` computed). The caller writes the Prepare header in front, usually
/// already in `out`; the bytes already in `out` are not touched.
///
/// The body length is computed first and reserved with one fallible
/// [`Owned::try_reserve`] (at most one reallocation; never aborts). On error nothing
/// is appended. Never panics.
/// `messages` is walked twice (lengths first, then bytes), hence `Clone`: pass
/// `slice.iter().copied()`, or a mapping over caller-owned records.
pub fn encode<'a, I>(
    out: &mut Owned,
    partition_id: u64,
    base_offset: u64,
    base_timestamp: u64,
    origin_timestamp: u64,
    messages: I,
) -> Result<(), EncodeError>
where
    I: IntoIterator<Item = BatchInput<'a>>,
    I::IntoIter: ExactSizeIterator + Clone,
{
    let messages = messages.into_iter();
    let lengths = messages
        .clone()
        .map(|m| (m.payload.len(), m.user_headers.len()));
    let len = body_len(messages.len(), lengths)?;
    let batch_length = u64::try_from(len).map_err(|_| EncodeError::TooLarge)?;
    out.try_reserve(len).map_err(|_| EncodeError::OutOfMemory)?;

    let start = out.len();
    // `body_len` checked that the count fits a u32.
    let message_count = messages.len() as u32;
    let header = batch_header(
        partition_id,
        base_offset,
        base_timestamp,
        origin_timestamp,
        batch_length,
        message_count,
    );
    let mut hasher = BatchHasher::new(&header);
    append(out, &header)?;
    for message in messages {
        let frame_start = out.len();
        append(out, &frame_header(&message))?;
        append(out, message.payload)?;
        append(out, message.user_headers)?;
        let frame = &mut out.as_mut_slice()[frame_start..];
        let checksum = message_checksum(frame);
        put(frame, message_field::CHECKSUM, &checksum.to_le_bytes());
        hasher.add(checksum);
    }
    let body = &mut out.as_mut_slice()[start..];
    let batch_checksum = hasher.finish();
    put(
        body,
        batch_field::BATCH_CHECKSUM,
        &batch_checksum.to_le_bytes(),
    );
    Ok(())
}

/// The batch header, `batch_checksum` still 0 and `reserved` zero.
fn batch_header(
    partition_id: u64,
    base_offset: u64,
    base_timestamp: u64,
    origin_timestamp: u64,
    batch_length: u64,
    message_count: u32,
) -> [u8; BATCH_HEADER_SIZE] {
    use batch_field::*;
    let mut header = [0u8; BATCH_HEADER_SIZE];
    let words = [
        (PARTITION_ID, partition_id),
        (BASE_OFFSET, base_offset),
        (BASE_TIMESTAMP, base_timestamp),
        (ORIGIN_TIMESTAMP, origin_timestamp),
        (BATCH_LENGTH, batch_length),
    ];
    for (at, value) in words {
        put(&mut header, at, &value.to_le_bytes());
    }
    put(&mut header, MESSAGE_COUNT, &message_count.to_le_bytes());
    header
}

/// The header of a message frame, `checksum` still 0 and `reserved` zero.
fn frame_header(message: &BatchInput<'_>) -> [u8; MESSAGE_HEADER_SIZE] {
    use message_field::*;
    let mut header = [0u8; MESSAGE_HEADER_SIZE];
    put(&mut header, ID, &message.id.to_le_bytes());
    // `body_len` checked that both lengths fit a u32.
    let words = [
        (OFFSET_DELTA, message.offset_delta),
        (TIMESTAMP_DELTA, message.timestamp_delta),
        (USER_HEADERS_LENGTH, message.user_headers.len() as u32),
        (PAYLOAD_LENGTH, message.payload.len() as u32),
    ];
    for (at, value) in words {
        put(&mut header, at, &value.to_le_bytes());
    }
    header
}

/// Appends into the capacity `encode` reserved: never grows, so it cannot fail.
fn append(out: &mut Owned, bytes: &[u8]) -> Result<(), EncodeError> {
    out.try_extend_from_slice(bytes)
        .map_err(|_| EncodeError::OutOfMemory)
}

/// The length [`encode`] appends for `count` messages with these (payload, user
/// headers) lengths: 256 + Σ (48 + payload + user headers). `TooLarge` when `count` or
/// a length is above `u32::MAX`, or the sum overflows `usize`.
pub(super) fn body_len(
    count: usize,
    lengths: impl IntoIterator<Item = (usize, usize)>,
) -> Result<usize, EncodeError> {
    if u32::try_from(count).is_err() {
        return Err(EncodeError::TooLarge);
    }
    lengths
        .into_iter()
        .try_fold(BATCH_HEADER_SIZE, |total, (payload, user_headers)| {
            if u32::try_from(payload).is_err() || u32::try_from(user_headers).is_err() {
                return Err(EncodeError::TooLarge);
            }
            total
                .checked_add(MESSAGE_HEADER_SIZE)
                .and_then(|total| total.checked_add(payload))
                .and_then(|total| total.checked_add(user_headers))
                .ok_or(EncodeError::TooLarge)
        })
}
