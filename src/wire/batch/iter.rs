//! [`BatchIter`]: the frame walk of §h.3 without its checks, yielding each message.

use super::message_field::*;
use super::{Batch, MESSAGE_HEADER_SIZE, bytes_at, u32_at, u64_at};

/// One message of a batch. Every slice borrows the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchMessage<'a> {
    /// The stored message checksum.
    pub checksum: u64,
    /// The message id.
    pub id: u128,
    /// `base_offset + offset_delta`, saturating at `u64::MAX`.
    pub offset: u64,
    /// `origin_timestamp + timestamp_delta`, saturating at `u64::MAX`.
    pub timestamp: u64,
    /// The payload (it comes first in the frame).
    pub payload: &'a [u8],
    /// The user headers (after the payload).
    pub user_headers: &'a [u8],
}

/// Iterates the messages of a batch, from a byte position in the blob.
///
/// It stops (`None`, then `None` again) where the frame walk of §h.3 stops silently:
/// fewer than 48 bytes left, a message header whose `reserved` is not 0, or a frame
/// running past the blob. On a batch from [`decode_prepare`](super::decode_prepare) it
/// yields exactly `message_count` messages. Never panics (also for a position past the
/// end or inside a frame) and never allocates.
#[derive(Clone, Debug)]
pub struct BatchIter<'a> {
    blob: &'a [u8],
    position: usize,
    base_offset: u64,
    origin_timestamp: u64,
}

impl<'a> Batch<'a> {
    /// The messages, from the start of the blob.
    pub fn messages(&self) -> BatchIter<'a> {
        BatchIter::at(self, 0)
    }
}

impl<'a> BatchIter<'a> {
    /// Resumes the walk of `batch` at byte `position` of the blob (a value returned by
    /// [`BatchIter::position`]).
    pub fn at(batch: &Batch<'a>, position: usize) -> Self {
        Self {
            blob: batch.blob,
            position,
            base_offset: batch.base_offset,
            origin_timestamp: batch.origin_timestamp,
        }
    }

    /// The byte position in the blob of the next frame.
    pub fn position(&self) -> usize {
        self.position
    }

    /// The next frame (its whole bytes) and its message, advancing past it; `None`
    /// where the walk stops, leaving the position unchanged.
    pub(super) fn next_frame(&mut self) -> Option<(&'a [u8], BatchMessage<'a>)> {
        let rest = self.blob.get(self.position..)?;
        let (header, body) = rest.split_first_chunk::<MESSAGE_HEADER_SIZE>()?;
        if u64_at(header, RESERVED) != 0 {
            return None;
        }
        let payload_len = usize::try_from(u32_at(header, PAYLOAD_LENGTH)).ok()?;
        let user_headers_len = usize::try_from(u32_at(header, USER_HEADERS_LENGTH)).ok()?;
        let (payload, after) = body.split_at_checked(payload_len)?;
        let user_headers = after.get(..user_headers_len)?;
        // Cannot overflow: both lengths were checked against `rest`.
        let frame_len = MESSAGE_HEADER_SIZE + payload_len + user_headers_len;
        self.position += frame_len;
        let message = BatchMessage {
            checksum: u64_at(header, CHECKSUM),
            id: u128::from_le_bytes(bytes_at(header, ID)),
            offset: self
                .base_offset
                .saturating_add(u32_at(header, OFFSET_DELTA).into()),
            timestamp: self
                .origin_timestamp
                .saturating_add(u32_at(header, TIMESTAMP_DELTA).into()),
            payload,
            user_headers,
        };
        Some((&rest[..frame_len], message))
    }
}

impl<'a> Iterator for BatchIter<'a> {
    type Item = BatchMessage<'a>;

    fn next(&mut self) -> Option<BatchMessage<'a>> {
        self.next_frame().map(|(_, message)| message)
    }
}
