//! The suffix rule S (§e.1), shared by DoViewChange and StartView: the body is a
//! whole number of 256-byte PrepareHeaders, at most 128 of them. The entries are not
//! parsed here.

use super::{Rule, ValidationError};
use crate::wire::error::{ConsensusError, FieldError, SuffixFrame};
use crate::wire::{DVC_HEADERS_MAX, HEADER_SIZE};
use core::ffi::CStr;

/// A frame type with a suffix, and the reasons of its three rules.
pub(super) struct Suffix {
    /// The frame type.
    pub frame: SuffixFrame,
    /// `size < 256`.
    pub below_header: &'static CStr,
    /// `(size - 256) % 256 != 0`.
    pub not_whole: &'static CStr,
    /// More than 128 entries.
    pub too_long: &'static CStr,
}

/// The rule's `InvalidField` error with its reason.
fn invalid(error: FieldError, reason: &'static CStr) -> ValidationError {
    ValidationError::new(Rule::Validate, ConsensusError::InvalidField(error), reason)
}

impl Suffix {
    /// Checks `size` and returns the suffix length `k` (0 is valid).
    pub(super) fn len(&self, size: u32) -> Result<u32, ValidationError> {
        let frame = self.frame;
        let header = HEADER_SIZE as u32;
        if size < header {
            return Err(invalid(
                FieldError::SuffixSizeBelowHeader { frame, size },
                self.below_header,
            ));
        }
        let body = size - header;
        if body % header != 0 {
            return Err(invalid(
                FieldError::SuffixBodyNotWhole { frame, body },
                self.not_whole,
            ));
        }
        let entries = body / header;
        if entries > DVC_HEADERS_MAX {
            return Err(
                invalid(FieldError::SuffixTooLong { frame, entries }, self.too_long)
                    .with(DVC_HEADERS_MAX.into(), entries.into()),
            );
        }
        Ok(entries)
    }
}
