//! [`BatchError`]: why [`decode_prepare`](super::decode_prepare) rejected a frame, with
//! the reference's Iggy error and text (§h.3).

use crate::status::Status;
use crate::wire::validate::Rule;
use core::ffi::CStr;

/// Declares [`BatchRule`] and its [`BatchRule::ALL`] from one list of the rules.
macro_rules! batch_rules {
    ($( $(#[doc = $doc:literal])* $rule:ident, )*) => {
        /// The rule of §h.3 that rejected a frame, B1–B11 in evaluation order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum BatchRule {
            $( $(#[doc = $doc])* $rule, )*
        }

        impl BatchRule {
            /// Every rule, B1–B11 in evaluation order.
            pub const ALL: &'static [BatchRule] = &[$(BatchRule::$rule),*];
        }
    };
}

batch_rules! {
    /// B1: the frame is shorter than 256 bytes.
    ShortFrame,
    /// B2: byte 60 above 29, or an undefined operation byte at 208.
    PrepareBitPattern,
    /// B3: `size < 256`.
    SizeBelowHeader,
    /// B4: `size` larger than the frame.
    SizeExceedsBuffer,
    /// B5: the body `[256, size)` is shorter than the 256-byte batch header.
    BodyShorterThanBatchHeader,
    /// B6: `batch_length < 256`.
    LengthBelowHeader,
    /// B7: a reserved byte of the batch header `[52, 256)` is not zero.
    ReservedNonzero,
    /// B8: the body length differs from `batch_length`.
    BodyLengthNeBatchLength,
    /// B9: a message's stored checksum differs from its recomputed one (the first wins).
    MessageChecksum,
    /// B10: the frames walked do not cover the blob, or their number is not
    /// `message_count`.
    FramesDoNotTile,
    /// B11: the stored `batch_checksum` differs from the recomputed one.
    BatchChecksum,
}

impl BatchRule {
    /// The frame rule the batch rule is an instance of: B1–B4 are the frame checks
    /// (short buffer, bit pattern, size floor, size beyond the buffer), B5–B11 are
    /// [`Rule::Batch`].
    pub const fn frame_rule(self) -> Rule {
        match self {
            BatchRule::ShortFrame => Rule::ShortBuffer,
            BatchRule::PrepareBitPattern => Rule::BitPattern,
            BatchRule::SizeBelowHeader => Rule::SizeFloor,
            BatchRule::SizeExceedsBuffer => Rule::SizeExceedsBuffer,
            _ => Rule::Batch,
        }
    }
}

/// A rejected batch frame: the rule, and the numbers the rule and the reference's
/// error text carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchError {
    /// The rule that fired first.
    pub rule: BatchRule,
    expected: u64,
    found: u64,
    /// B9: the message's offset; B11: `base_offset`; otherwise 0.
    offset: u64,
}

impl BatchError {
    /// A structural rule (everything but B9 and B11).
    pub(super) fn new(rule: BatchRule, expected: u64, found: u64) -> Self {
        Self {
            rule,
            expected,
            found,
            offset: 0,
        }
    }

    /// B9 or B11: a checksum mismatch, reported with `offset`.
    pub(super) fn checksum(rule: BatchRule, computed: u64, stored: u64, offset: u64) -> Self {
        Self {
            rule,
            expected: computed,
            found: stored,
            offset,
        }
    }

    /// The reference's Iggy error name (the vectors' `expect`): `InvalidMessageChecksum`
    /// (B9), `InvalidBatchChecksum` (B11) or `InvalidCommand` (every other rule).
    pub fn name(&self) -> &'static str {
        match self.rule {
            BatchRule::MessageChecksum => "InvalidMessageChecksum",
            BatchRule::BatchChecksum => "InvalidBatchChecksum",
            _ => "InvalidCommand",
        }
    }

    /// The status code of the rule: 200 + its position in B1–B11.
    pub const fn status(&self) -> Status {
        use BatchRule::*;
        match self.rule {
            ShortFrame => Status::BATCH_SHORT_FRAME,
            PrepareBitPattern => Status::BATCH_PREPARE_BIT_PATTERN,
            SizeBelowHeader => Status::BATCH_SIZE_BELOW_HEADER,
            SizeExceedsBuffer => Status::BATCH_SIZE_EXCEEDS_BUFFER,
            BodyShorterThanBatchHeader => Status::BATCH_BODY_SHORTER_THAN_BATCH_HEADER,
            LengthBelowHeader => Status::BATCH_LENGTH_BELOW_HEADER,
            ReservedNonzero => Status::BATCH_RESERVED_NONZERO,
            BodyLengthNeBatchLength => Status::BATCH_BODY_LENGTH_NE_BATCH_LENGTH,
            MessageChecksum => Status::BATCH_MESSAGE_CHECKSUM,
            FramesDoNotTile => Status::BATCH_FRAMES_DO_NOT_TILE,
            BatchChecksum => Status::BATCH_CHECKSUM,
        }
    }

    /// A static, NUL-terminated sentence saying which rule failed: the text of its
    /// status (one status per rule).
    pub const fn reason(&self) -> &'static CStr {
        self.status().text()
    }

    /// B9/B11: the computed checksum. B1, B3, B5, B6: 256. B4: the frame length.
    /// B8: `batch_length`. B10: `message_count`. Otherwise 0.
    pub fn expected(&self) -> u64 {
        self.expected
    }

    /// B9/B11: the stored checksum. B1: the frame length. B3, B4: `size`. B5 and B8: the
    /// body length. B6: `batch_length`. B10: the frames walked. Otherwise 0.
    pub fn found(&self) -> u64 {
        self.found
    }
}

impl core::fmt::Display for BatchError {
    /// The reference's text: `InvalidCommand`, `InvalidMessageChecksum(stored,
    /// computed, offset)` or `InvalidBatchChecksum(stored, computed, base_offset)`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.rule {
            BatchRule::MessageChecksum | BatchRule::BatchChecksum => write!(
                f,
                "{}({}, {}, {})",
                self.name(),
                self.found,
                self.expected,
                self.offset
            ),
            _ => f.write_str(self.name()),
        }
    }
}

impl std::error::Error for BatchError {}
