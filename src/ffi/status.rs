//! Status codes (c-api.md §2): stable numbers, never reused, and their texts.

use crate::buf::BufError;
use crate::wire::ConsensusError;
use crate::wire::batch::BatchRule;
use core::ffi::c_char;

/// The result of every fallible function: `IGGY_OK` (0) or an error code.
pub type iggy_status = u32;

/// Success.
pub const IGGY_OK: iggy_status = 0;
/// A required pointer was NULL.
pub const IGGY_ERR_NULL_ARGUMENT: iggy_status = 1;
/// A handle that must be live is empty (never filled, or already released/consumed).
pub const IGGY_ERR_EMPTY_HANDLE: iggy_status = 2;
/// An index, range or length is outside the buffer (split, slice, set_len).
pub const IGGY_ERR_OUT_OF_RANGE: iggy_status = 3;
/// Allocation failed, or the size cannot be represented.
pub const IGGY_ERR_OUT_OF_MEMORY: iggy_status = 4;
/// Any other bad argument (an output that aliases an input, an unknown enum value...).
pub const IGGY_ERR_INVALID_ARGUMENT: iggy_status = 5;
/// Coalesce preconditions not met; both inputs untouched.
pub const IGGY_ERR_COALESCE_REFUSED: iggy_status = 6;
/// An internal panic was caught at the boundary.
pub const IGGY_ERR_PANIC: iggy_status = 7;
/// ConsensusError::InvalidCommand (wire spec §d #1).
pub const IGGY_ERR_INVALID_COMMAND: iggy_status = 100;
/// ConsensusError::InvalidSize (#2).
pub const IGGY_ERR_INVALID_SIZE: iggy_status = 101;
/// ConsensusError::InvalidChecksum (#3; never produced, reserved).
pub const IGGY_ERR_INVALID_CHECKSUM: iggy_status = 102;
/// ConsensusError::FrameChecksumMismatch (#4).
pub const IGGY_ERR_FRAME_CHECKSUM_MISMATCH: iggy_status = 103;
/// ConsensusError::InvalidCluster (#5; never produced, reserved).
pub const IGGY_ERR_INVALID_CLUSTER: iggy_status = 104;
/// ConsensusError::InvalidField (#6).
pub const IGGY_ERR_INVALID_FIELD: iggy_status = 105;
/// ConsensusError::PrepareParentPaddingNonZero (#7; reserved).
pub const IGGY_ERR_PREPARE_PARENT_PADDING_NON_ZERO: iggy_status = 106;
/// ConsensusError::PrepareRequestChecksumPaddingNonZero (#8; reserved).
pub const IGGY_ERR_PREPARE_REQUEST_CHECKSUM_PADDING_NON_ZERO: iggy_status = 107;
/// ConsensusError::CommitInvalidCommand (#9).
pub const IGGY_ERR_COMMIT_INVALID_COMMAND: iggy_status = 108;
/// ConsensusError::CommitInvalidSize (#10).
pub const IGGY_ERR_COMMIT_INVALID_SIZE: iggy_status = 109;
/// ConsensusError::ReplyInvalidCommand (#11).
pub const IGGY_ERR_REPLY_INVALID_COMMAND: iggy_status = 110;
/// ConsensusError::ReplyRequestChecksumPaddingNonZero (#12; reserved).
pub const IGGY_ERR_REPLY_REQUEST_CHECKSUM_PADDING_NON_ZERO: iggy_status = 111;
/// ConsensusError::ReplyContextPaddingNonZero (#13; reserved).
pub const IGGY_ERR_REPLY_CONTEXT_PADDING_NON_ZERO: iggy_status = 112;
/// ConsensusError::InvalidBitPattern (#14).
pub const IGGY_ERR_INVALID_BIT_PATTERN: iggy_status = 113;
/// ConsensusError::ClientBoundCommand (#15).
pub const IGGY_ERR_CLIENT_BOUND_COMMAND: iggy_status = 114;

/// Batch rule B1: the frame is shorter than 256 bytes (wire spec §h.3).
pub const IGGY_ERR_BATCH_SHORT_FRAME: iggy_status = 200;
/// B2: the Prepare header's command or operation byte is undefined.
pub const IGGY_ERR_BATCH_PREPARE_BIT_PATTERN: iggy_status = 201;
/// B3: `size` is below 256.
pub const IGGY_ERR_BATCH_SIZE_BELOW_HEADER: iggy_status = 202;
/// B4: `size` exceeds the frame length.
pub const IGGY_ERR_BATCH_SIZE_EXCEEDS_BUFFER: iggy_status = 203;
/// B5: the body is shorter than the 256-byte batch header.
pub const IGGY_ERR_BATCH_BODY_SHORTER_THAN_BATCH_HEADER: iggy_status = 204;
/// B6: `batch_length` is below 256.
pub const IGGY_ERR_BATCH_LENGTH_BELOW_HEADER: iggy_status = 205;
/// B7: a reserved byte of the batch header is not zero.
pub const IGGY_ERR_BATCH_RESERVED_NONZERO: iggy_status = 206;
/// B8: the body length differs from `batch_length`.
pub const IGGY_ERR_BATCH_BODY_LENGTH_NE_BATCH_LENGTH: iggy_status = 207;
/// B9: a message checksum does not match (the reference's `InvalidMessageChecksum`).
pub const IGGY_ERR_BATCH_MESSAGE_CHECKSUM: iggy_status = 208;
/// B10: the message frames do not tile the blob in `message_count` frames.
pub const IGGY_ERR_BATCH_FRAMES_DO_NOT_TILE: iggy_status = 209;
/// B11: the batch checksum does not match (the reference's `InvalidBatchChecksum`).
pub const IGGY_ERR_BATCH_CHECKSUM: iggy_status = 210;

/// The status of a core buffer error.
pub(crate) fn buf_status(error: BufError) -> iggy_status {
    match error {
        BufError::OutOfRange => IGGY_ERR_OUT_OF_RANGE,
        BufError::OutOfMemory => IGGY_ERR_OUT_OF_MEMORY,
    }
}

/// The status of a consensus error: 100 + its position in the reference's enum.
pub(crate) fn consensus_status(error: &ConsensusError) -> iggy_status {
    use ConsensusError::*;
    match error {
        InvalidCommand { .. } => IGGY_ERR_INVALID_COMMAND,
        InvalidSize { .. } => IGGY_ERR_INVALID_SIZE,
        InvalidChecksum => IGGY_ERR_INVALID_CHECKSUM,
        FrameChecksumMismatch { .. } => IGGY_ERR_FRAME_CHECKSUM_MISMATCH,
        InvalidCluster => IGGY_ERR_INVALID_CLUSTER,
        InvalidField(_) => IGGY_ERR_INVALID_FIELD,
        PrepareParentPaddingNonZero => IGGY_ERR_PREPARE_PARENT_PADDING_NON_ZERO,
        PrepareRequestChecksumPaddingNonZero => IGGY_ERR_PREPARE_REQUEST_CHECKSUM_PADDING_NON_ZERO,
        CommitInvalidCommand => IGGY_ERR_COMMIT_INVALID_COMMAND,
        CommitInvalidSize(_) => IGGY_ERR_COMMIT_INVALID_SIZE,
        ReplyInvalidCommand => IGGY_ERR_REPLY_INVALID_COMMAND,
        ReplyRequestChecksumPaddingNonZero => IGGY_ERR_REPLY_REQUEST_CHECKSUM_PADDING_NON_ZERO,
        ReplyContextPaddingNonZero => IGGY_ERR_REPLY_CONTEXT_PADDING_NON_ZERO,
        InvalidBitPattern => IGGY_ERR_INVALID_BIT_PATTERN,
        ClientBoundCommand(_) => IGGY_ERR_CLIENT_BOUND_COMMAND,
    }
}

/// The status of a batch rule: 200 + its position in B1–B11.
pub(crate) fn batch_status(rule: BatchRule) -> iggy_status {
    use BatchRule::*;
    match rule {
        ShortFrame => IGGY_ERR_BATCH_SHORT_FRAME,
        PrepareBitPattern => IGGY_ERR_BATCH_PREPARE_BIT_PATTERN,
        SizeBelowHeader => IGGY_ERR_BATCH_SIZE_BELOW_HEADER,
        SizeExceedsBuffer => IGGY_ERR_BATCH_SIZE_EXCEEDS_BUFFER,
        BodyShorterThanBatchHeader => IGGY_ERR_BATCH_BODY_SHORTER_THAN_BATCH_HEADER,
        LengthBelowHeader => IGGY_ERR_BATCH_LENGTH_BELOW_HEADER,
        ReservedNonzero => IGGY_ERR_BATCH_RESERVED_NONZERO,
        BodyLengthNeBatchLength => IGGY_ERR_BATCH_BODY_LENGTH_NE_BATCH_LENGTH,
        MessageChecksum => IGGY_ERR_BATCH_MESSAGE_CHECKSUM,
        FramesDoNotTile => IGGY_ERR_BATCH_FRAMES_DO_NOT_TILE,
        BatchChecksum => IGGY_ERR_BATCH_CHECKSUM,
    }
}

/// The text of a status (NUL-terminated, static).
fn status_text(status: iggy_status) -> &'static core::ffi::CStr {
    match status {
        IGGY_OK => c"ok",
        IGGY_ERR_NULL_ARGUMENT => c"a required pointer argument was NULL",
        IGGY_ERR_EMPTY_HANDLE => {
            c"the handle is empty (never filled, or already released or consumed)"
        }
        IGGY_ERR_OUT_OF_RANGE => c"index, range or length out of range",
        IGGY_ERR_OUT_OF_MEMORY => c"out of memory, or size not representable",
        IGGY_ERR_INVALID_ARGUMENT => c"invalid argument",
        IGGY_ERR_COALESCE_REFUSED => {
            c"coalesce refused: preconditions not met, both inputs untouched"
        }
        IGGY_ERR_PANIC => c"internal panic caught at the library boundary",
        IGGY_ERR_INVALID_COMMAND => c"invalid command",
        IGGY_ERR_INVALID_SIZE => c"invalid size",
        IGGY_ERR_INVALID_CHECKSUM => c"invalid checksum",
        IGGY_ERR_FRAME_CHECKSUM_MISMATCH => c"header checksum does not cover the frame",
        IGGY_ERR_INVALID_CLUSTER => c"invalid cluster ID",
        IGGY_ERR_INVALID_FIELD => c"invalid field",
        IGGY_ERR_PREPARE_PARENT_PADDING_NON_ZERO => c"parent_padding must be 0",
        IGGY_ERR_PREPARE_REQUEST_CHECKSUM_PADDING_NON_ZERO => {
            c"prepare request_checksum_padding must be 0"
        }
        IGGY_ERR_COMMIT_INVALID_COMMAND => c"command must be Commit",
        IGGY_ERR_COMMIT_INVALID_SIZE => c"commit size must be 256",
        IGGY_ERR_REPLY_INVALID_COMMAND => c"command must be Reply",
        IGGY_ERR_REPLY_REQUEST_CHECKSUM_PADDING_NON_ZERO => {
            c"reply request_checksum_padding must be 0"
        }
        IGGY_ERR_REPLY_CONTEXT_PADDING_NON_ZERO => c"context_padding must be 0",
        IGGY_ERR_INVALID_BIT_PATTERN => {
            c"invalid bit pattern in header (enum discriminant out of range)"
        }
        IGGY_ERR_CLIENT_BOUND_COMMAND => {
            c"client-bound command cannot be dispatched on inbound path"
        }
        IGGY_ERR_BATCH_SHORT_FRAME => c"batch: frame shorter than the 256-byte prepare header",
        IGGY_ERR_BATCH_PREPARE_BIT_PATTERN => {
            c"batch: undefined command or operation byte in the prepare header"
        }
        IGGY_ERR_BATCH_SIZE_BELOW_HEADER => c"batch: size below the 256-byte header",
        IGGY_ERR_BATCH_SIZE_EXCEEDS_BUFFER => c"batch: size exceeds the frame length",
        IGGY_ERR_BATCH_BODY_SHORTER_THAN_BATCH_HEADER => {
            c"batch: body shorter than the 256-byte batch header"
        }
        IGGY_ERR_BATCH_LENGTH_BELOW_HEADER => c"batch: batch_length below 256",
        IGGY_ERR_BATCH_RESERVED_NONZERO => {
            c"batch: reserved bytes of the batch header are not zero"
        }
        IGGY_ERR_BATCH_BODY_LENGTH_NE_BATCH_LENGTH => {
            c"batch: body length differs from batch_length"
        }
        IGGY_ERR_BATCH_MESSAGE_CHECKSUM => c"batch: invalid message checksum",
        IGGY_ERR_BATCH_FRAMES_DO_NOT_TILE => c"batch: message frames do not tile the blob",
        IGGY_ERR_BATCH_CHECKSUM => c"batch: invalid batch checksum",
        _ => c"unknown status",
    }
}

/// A static, never-NULL, never-freed text for any status value; unknown values get
/// a generic text. Allocates nothing, touches no atomic.
#[unsafe(no_mangle)]
pub extern "C" fn iggy_status_str(status: iggy_status) -> *const c_char {
    super::panic::boundary_or(
        || c"internal panic".as_ptr(),
        || status_text(status).as_ptr(),
    )
}
