//! The suffix rule S (§e.1), shared by DoViewChange and StartView: the body is a
//! whole number of 256-byte PrepareHeaders, at most 128 of them. The entries are not
//! parsed here.

use super::{Header, Rule, ValidationError, expect_command, rule};
use crate::wire::command::Command;
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
    /// The suffix rules of `frame`, with its texts.
    pub(super) const fn of(frame: SuffixFrame) -> Suffix {
        match frame {
            SuffixFrame::DoViewChange => Suffix {
                frame,
                below_header: c"do_view_change: size is shorter than the 256-byte header",
                not_whole: c"do_view_change: body is not a whole number of headers",
                too_long: c"do_view_change: suffix entries exceed the maximum 128",
            },
            SuffixFrame::StartView => Suffix {
                frame,
                below_header: c"start_view: size is shorter than the 256-byte header",
                not_whole: c"start_view: body is not a whole number of headers",
                too_long: c"start_view: suffix entries exceed the maximum 128",
            },
        }
    }

    /// The rules every suffix frame starts with: its command, then `release == 0`.
    pub(super) fn command_and_release<H: Header>(
        command: Command,
        release: u32,
    ) -> Result<(), ValidationError> {
        expect_command::<H>(command)?;
        rule(release == 0, c"release must be 0")
    }

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
