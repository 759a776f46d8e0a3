//! [`decode_prepare`]: the rules B1–B11 of §h.3, in order, on a whole Prepare frame.

use super::batch_field::*;
use super::checksum::{BatchHasher, message_checksum};
use super::{BATCH_HEADER_SIZE, BatchError, BatchRule, u32_at, u64_at};
use crate::wire::{COMMAND_OFFSET, Command, HEADER_SIZE, Operation, SIZE_FIELD_OFFSET};

/// Offset of the Prepare header's `operation` byte.
const OPERATION_OFFSET: usize = 208;

/// A decoded batch: the batch header fields and the blob, borrowed from the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Batch<'a> {
    /// Stamped by the server at ingestion.
    pub partition_id: u64,
    /// Stamped at persistence; message offsets are relative to it.
    pub base_offset: u64,
    /// Stamped at persistence.
    pub base_timestamp: u64,
    /// The producer's clock (µs); message timestamps are relative to it.
    pub origin_timestamp: u64,
    /// 256 + the blob length.
    pub batch_length: u64,
    /// The stored batch checksum (§h.2).
    pub batch_checksum: u64,
    /// The number of message frames in the blob.
    pub message_count: u32,
    /// The message frames: frame bytes `[512, size)`.
    pub blob: &'a [u8],
}

/// Decodes the SendMessages batch of a whole Prepare frame, running B1–B11 of §h.3 in
/// order; the first failing rule is the error.
///
/// B2 is a bit-pattern check only (byte 60 ≤ 29 and a defined operation byte at 208):
/// no command check and no `validate()`. Bytes after `size` are ignored. The result
/// borrows `frame`. Any alignment is accepted; never panics; allocates nothing.
pub fn decode_prepare(frame: &[u8]) -> Result<Batch<'_>, BatchError> {
    use BatchRule::*;
    const HEADER: u64 = HEADER_SIZE as u64;
    let len = frame.len() as u64;
    let Some(prepare) = frame.get(..HEADER_SIZE) else {
        return Err(BatchError::new(ShortFrame, HEADER, len));
    };
    if Command::from_u8(prepare[COMMAND_OFFSET]).is_none()
        || Operation::from_u8(prepare[OPERATION_OFFSET]).is_none()
    {
        return Err(BatchError::new(PrepareBitPattern, 0, 0));
    }
    let size = u32_at(prepare, SIZE_FIELD_OFFSET);
    if u64::from(size) < HEADER {
        return Err(BatchError::new(SizeBelowHeader, HEADER, size.into()));
    }
    let Some(body) = usize::try_from(size)
        .ok()
        .and_then(|size| frame.get(HEADER_SIZE..size))
    else {
        return Err(BatchError::new(SizeExceedsBuffer, len, size.into()));
    };
    let Some((header, blob)) = body.split_first_chunk::<BATCH_HEADER_SIZE>() else {
        return Err(BatchError::new(
            BodyShorterThanBatchHeader,
            HEADER,
            body.len() as u64,
        ));
    };
    let batch_length = u64_at(header, BATCH_LENGTH);
    if batch_length < HEADER {
        return Err(BatchError::new(LengthBelowHeader, HEADER, batch_length));
    }
    if header[RESERVED..].iter().any(|&b| b != 0) {
        return Err(BatchError::new(ReservedNonzero, 0, 0));
    }
    if body.len() as u64 != batch_length {
        return Err(BatchError::new(
            BodyLengthNeBatchLength,
            batch_length,
            body.len() as u64,
        ));
    }
    let batch = Batch {
        partition_id: u64_at(header, PARTITION_ID),
        base_offset: u64_at(header, BASE_OFFSET),
        base_timestamp: u64_at(header, BASE_TIMESTAMP),
        origin_timestamp: u64_at(header, ORIGIN_TIMESTAMP),
        batch_length,
        batch_checksum: u64_at(header, BATCH_CHECKSUM),
        message_count: u32_at(header, MESSAGE_COUNT),
        blob,
    };
    let mut checksum = BatchHasher::new(header);
    let mut walk = batch.messages();
    let mut walked = 0u64;
    while let Some((frame, message)) = walk.next_frame() {
        verify_checksum(
            MessageChecksum,
            message_checksum(frame),
            message.checksum,
            message.offset,
        )?;
        checksum.add(message.checksum);
        walked += 1;
    }
    if walked != u64::from(batch.message_count) || walk.position() != blob.len() {
        return Err(BatchError::new(
            FramesDoNotTile,
            batch.message_count.into(),
            walked,
        ));
    }
    verify_checksum(
        BatchChecksum,
        checksum.finish(),
        batch.batch_checksum,
        batch.base_offset,
    )?;
    Ok(batch)
}

/// B9 and B11: the stored checksum must be the recomputed one; a mismatch is reported
/// with `offset` (the message's, or the batch's `base_offset`).
fn verify_checksum(
    rule: BatchRule,
    computed: u64,
    stored: u64,
    offset: u64,
) -> Result<(), BatchError> {
    if computed == stored {
        return Ok(());
    }
    Err(BatchError::checksum(rule, computed, stored, offset))
}
