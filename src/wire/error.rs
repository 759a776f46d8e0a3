//! `ConsensusError`: every way a header can be rejected (wire spec §d), with the
//! reference's exact Display texts.

use super::command::Command;
use crate::status::Status;
use core::ffi::CStr;

/// The errors of the reference's message layer, in declaration order (the C status
/// codes 100–114 follow this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsensusError {
    /// #1: a length failure, an unaccepted command, or a command the dispatch rejects.
    InvalidCommand {
        /// The target type's own command.
        expected: Command,
        /// The command found (Reserved for length failures).
        found: Command,
    },
    /// #2: a `size` rule (always `expected` = 256).
    InvalidSize {
        /// The size required.
        expected: u32,
        /// The `size` field.
        found: u32,
    },
    /// #3: never produced; kept for numbering.
    InvalidChecksum,
    /// #4: a sealed header whose `checksum` is not the seal of its bytes [16, 256).
    FrameChecksumMismatch {
        /// The frame's command.
        command: Command,
        /// The recomputed seal.
        expected: u128,
        /// The stored `checksum`.
        found: u128,
    },
    /// #5: never produced; kept for numbering.
    InvalidCluster,
    /// #6: a `validate()` rule on a field.
    InvalidField(FieldError),
    /// #7: never produced; kept for numbering.
    PrepareParentPaddingNonZero,
    /// #8: never produced; kept for numbering.
    PrepareRequestChecksumPaddingNonZero,
    /// #9: a Commit header whose command is not Commit.
    CommitInvalidCommand,
    /// #10: a Commit whose `size` is not 256.
    CommitInvalidSize(u32),
    /// #11: a Reply header whose command is not Reply.
    ReplyInvalidCommand,
    /// #12: never produced; kept for numbering.
    ReplyRequestChecksumPaddingNonZero,
    /// #13: never produced; kept for numbering.
    ReplyContextPaddingNonZero,
    /// #14: an undefined enum byte of the target type.
    InvalidBitPattern,
    /// #15: Reply or Eviction arriving on a replica's inbound path.
    ClientBoundCommand(Command),
}

/// The rule an `InvalidField` error broke. Most rules have a fixed text; the suffix
/// rules of DoViewChange and StartView carry the numbers their text shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// A rule whose text has no number in it (wire spec §d.1). NUL-terminated, so the
    /// C layer can hand it out as is.
    Rule(&'static CStr),
    /// `size < 256`: `{frame}: size {size} is shorter than the 256-byte header`.
    SuffixSizeBelowHeader {
        /// The frame type.
        frame: SuffixFrame,
        /// The `size` field.
        size: u32,
    },
    /// `(size - 256) % 256 != 0`: `{frame}: body of {n} bytes is not a whole number of headers`.
    SuffixBodyNotWhole {
        /// The frame type.
        frame: SuffixFrame,
        /// The body length, `size - 256`.
        body: u32,
    },
    /// More than 128 entries: `{frame}: {k} suffix entries exceeds the maximum 128`.
    SuffixTooLong {
        /// The frame type.
        frame: SuffixFrame,
        /// The number of entries, `k`.
        entries: u32,
    },
    /// `do_view_change: bitset bits set past the {k}-entry suffix`.
    BitsetPastSuffix {
        /// The number of entries, `k`.
        entries: u32,
    },
}

/// The two frame types that carry a suffix of PrepareHeaders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuffixFrame {
    /// `do_view_change`
    DoViewChange,
    /// `start_view`
    StartView,
}

impl SuffixFrame {
    fn name(self) -> &'static str {
        match self {
            SuffixFrame::DoViewChange => "do_view_change",
            SuffixFrame::StartView => "start_view",
        }
    }
}

impl core::fmt::Display for FieldError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            FieldError::Rule(text) => f.write_str(text.to_str().map_err(|_| core::fmt::Error)?),
            FieldError::SuffixSizeBelowHeader { frame, size } => {
                write!(
                    f,
                    "{}: size {size} is shorter than the 256-byte header",
                    frame.name()
                )
            }
            FieldError::SuffixBodyNotWhole { frame, body } => {
                write!(
                    f,
                    "{}: body of {body} bytes is not a whole number of headers",
                    frame.name()
                )
            }
            FieldError::SuffixTooLong { frame, entries } => {
                write!(
                    f,
                    "{}: {entries} suffix entries exceeds the maximum 128",
                    frame.name()
                )
            }
            FieldError::BitsetPastSuffix { entries } => {
                write!(
                    f,
                    "do_view_change: bitset bits set past the {entries}-entry suffix"
                )
            }
        }
    }
}

/// Suffix Z of `FrameChecksumMismatch` when the stored checksum is 0.
const ZEROED_SEAL_SUFFIX: &str = ". A zeroed checksum is the signature of a peer predating the frame seal, which is a hard version break: replicas must be upgraded together, with the cluster down";

impl ConsensusError {
    /// The variant's name, as the reference spells it (`"InvalidField"`).
    pub fn name(&self) -> &'static str {
        use ConsensusError::*;
        match self {
            InvalidCommand { .. } => "InvalidCommand",
            InvalidSize { .. } => "InvalidSize",
            InvalidChecksum => "InvalidChecksum",
            FrameChecksumMismatch { .. } => "FrameChecksumMismatch",
            InvalidCluster => "InvalidCluster",
            InvalidField(_) => "InvalidField",
            PrepareParentPaddingNonZero => "PrepareParentPaddingNonZero",
            PrepareRequestChecksumPaddingNonZero => "PrepareRequestChecksumPaddingNonZero",
            CommitInvalidCommand => "CommitInvalidCommand",
            CommitInvalidSize(_) => "CommitInvalidSize",
            ReplyInvalidCommand => "ReplyInvalidCommand",
            ReplyRequestChecksumPaddingNonZero => "ReplyRequestChecksumPaddingNonZero",
            ReplyContextPaddingNonZero => "ReplyContextPaddingNonZero",
            InvalidBitPattern => "InvalidBitPattern",
            ClientBoundCommand(_) => "ClientBoundCommand",
        }
    }
}

impl ConsensusError {
    /// The status code: 100 + the variant's position in the reference's enum.
    pub const fn status(&self) -> Status {
        use ConsensusError::*;
        match self {
            InvalidCommand { .. } => Status::INVALID_COMMAND,
            InvalidSize { .. } => Status::INVALID_SIZE,
            InvalidChecksum => Status::INVALID_CHECKSUM,
            FrameChecksumMismatch { .. } => Status::FRAME_CHECKSUM_MISMATCH,
            InvalidCluster => Status::INVALID_CLUSTER,
            InvalidField(_) => Status::INVALID_FIELD,
            PrepareParentPaddingNonZero => Status::PREPARE_PARENT_PADDING_NON_ZERO,
            PrepareRequestChecksumPaddingNonZero => {
                Status::PREPARE_REQUEST_CHECKSUM_PADDING_NON_ZERO
            }
            CommitInvalidCommand => Status::COMMIT_INVALID_COMMAND,
            CommitInvalidSize(_) => Status::COMMIT_INVALID_SIZE,
            ReplyInvalidCommand => Status::REPLY_INVALID_COMMAND,
            ReplyRequestChecksumPaddingNonZero => Status::REPLY_REQUEST_CHECKSUM_PADDING_NON_ZERO,
            ReplyContextPaddingNonZero => Status::REPLY_CONTEXT_PADDING_NON_ZERO,
            InvalidBitPattern => Status::INVALID_BIT_PATTERN,
            ClientBoundCommand(_) => Status::CLIENT_BOUND_COMMAND,
        }
    }
}

impl core::fmt::Display for ConsensusError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use ConsensusError::*;
        match self {
            InvalidCommand { expected, found } => {
                write!(f, "invalid command: expected {expected}, found {found}")
            }
            InvalidSize { expected, found } => {
                write!(f, "invalid size: expected {expected}, found {found}")
            }
            InvalidChecksum => f.write_str("invalid checksum"),
            FrameChecksumMismatch {
                command,
                expected,
                found,
            } => {
                write!(
                    f,
                    "{command}: header checksum {found:#034x} does not cover the frame (expected {expected:#034x})"
                )?;
                if *found == 0 {
                    f.write_str(ZEROED_SEAL_SUFFIX)?;
                }
                Ok(())
            }
            InvalidCluster => f.write_str("invalid cluster ID"),
            InvalidField(field) => write!(f, "invalid field: {field}"),
            PrepareParentPaddingNonZero => f.write_str("parent_padding must be 0"),
            PrepareRequestChecksumPaddingNonZero | ReplyRequestChecksumPaddingNonZero => {
                f.write_str("request_checksum_padding must be 0")
            }
            CommitInvalidCommand => f.write_str("command must be Commit"),
            CommitInvalidSize(size) => write!(f, "size must be 256, found {size}"),
            ReplyInvalidCommand => f.write_str("command must be Reply"),
            ReplyContextPaddingNonZero => f.write_str("context_padding must be 0"),
            InvalidBitPattern => {
                f.write_str("invalid bit pattern in header (enum discriminant out of range)")
            }
            ClientBoundCommand(command) => write!(
                f,
                "client-bound command {command} cannot be dispatched on inbound path"
            ),
        }
    }
}

impl std::error::Error for ConsensusError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_checksum_mismatch_texts_match_the_worked_examples() {
        let zero = ConsensusError::FrameChecksumMismatch {
            command: Command::Commit,
            expected: 0xdb9b354e0ce9441d,
            found: 0,
        };
        assert_eq!(
            zero.to_string(),
            "Commit: header checksum 0x00000000000000000000000000000000 does not cover the frame (expected 0x0000000000000000db9b354e0ce9441d). A zeroed checksum is the signature of a peer predating the frame seal, which is a hard version break: replicas must be upgraded together, with the cluster down"
        );
        let one = ConsensusError::FrameChecksumMismatch {
            command: Command::Commit,
            expected: 0xdb9b354e0ce9441d,
            found: 1,
        };
        assert_eq!(
            one.to_string(),
            "Commit: header checksum 0x00000000000000000000000000000001 does not cover the frame (expected 0x0000000000000000db9b354e0ce9441d)"
        );
    }

    #[test]
    fn field_texts_render_their_numbers() {
        let e = FieldError::SuffixTooLong {
            frame: SuffixFrame::StartView,
            entries: 129,
        };
        assert_eq!(
            ConsensusError::InvalidField(e).to_string(),
            "invalid field: start_view: 129 suffix entries exceeds the maximum 128"
        );
        let b = FieldError::BitsetPastSuffix { entries: 3 };
        assert_eq!(
            b.to_string(),
            "do_view_change: bitset bits set past the 3-entry suffix"
        );
    }

    #[test]
    fn other_texts() {
        assert_eq!(
            ConsensusError::ClientBoundCommand(Command::Eviction).to_string(),
            "client-bound command Eviction cannot be dispatched on inbound path"
        );
        assert_eq!(
            ConsensusError::CommitInvalidSize(100).to_string(),
            "size must be 256, found 100"
        );
        assert_eq!(
            ConsensusError::InvalidCluster.to_string(),
            "invalid cluster ID"
        );
        assert_eq!(ConsensusError::InvalidChecksum.name(), "InvalidChecksum");
    }
}
