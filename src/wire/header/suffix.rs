//! The suffix rule S (§e.1), shared by DoViewChange and StartView: the body is a
//! whole number of 256-byte PrepareHeaders, at most 128 of them. The entries are not
//! parsed here.

use crate::wire::error::{ConsensusError, FieldError, SuffixFrame};
use crate::wire::{DVC_HEADERS_MAX, HEADER_SIZE};

/// Checks `size` and returns the suffix length `k` (0 is valid).
pub(super) fn suffix_len(frame: SuffixFrame, size: u32) -> Result<u32, ConsensusError> {
    let header = HEADER_SIZE as u32;
    if size < header {
        return Err(ConsensusError::InvalidField(
            FieldError::SuffixSizeBelowHeader { frame, size },
        ));
    }
    let body = size - header;
    if body % header != 0 {
        return Err(ConsensusError::InvalidField(
            FieldError::SuffixBodyNotWhole { frame, body },
        ));
    }
    let entries = body / header;
    if entries > DVC_HEADERS_MAX {
        return Err(ConsensusError::InvalidField(FieldError::SuffixTooLong {
            frame,
            entries,
        }));
    }
    Ok(entries)
}
