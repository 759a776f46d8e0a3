//! [`Status`]: the outcome codes of the library, each with one number, one name and
//! one text, declared once in the table below and used by every layer: Rust
//! ([`Status::text`], `Display`), C (`iggy_status_str`, `iggy_status_name`, the
//! `IGGY_ERR_*` macros) and Go (the `Err*` sentinels), the last two generated from it.
//!
//! Numbers are stable and never reused: 0 is success, 1–11 argument, resource and
//! stream errors, 100–114 the wire format's `ConsensusError` variants in the
//! reference's order, 200–210 the batch rules B1–B11.

use core::ffi::CStr;

/// An outcome code (`iggy_status` in C). A plain number: any `u32` is a `Status`, and
/// the defined ones are the associated constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Status(pub u32);

/// A NUL-terminated string built at compile time from `concat!` pieces.
macro_rules! cstr {
    ($($piece:expr),*) => {
        match CStr::from_bytes_with_nul(concat!($($piece,)* "\0").as_bytes()) {
            Ok(text) => text,
            Err(_) => panic!("a status text holds a NUL byte"),
        }
    };
}

/// The table: `NAME = code, "text";` with the doc saying when the status is returned.
/// The C name is `IGGY_ERR_<NAME>` (`IGGY_OK` for `OK`).
macro_rules! statuses {
    ($( $(#[doc = $doc:literal])* $name:ident = $code:literal, $text:literal; )*) => {
        impl Status {
            $( $(#[doc = $doc])* pub const $name: Status = Status($code); )*

            /// Every defined status, in the order of the table.
            pub const ALL: &[Status] = &[$(Status::$name,)*];

            /// The C macro name (`"IGGY_ERR_FRAME_CHECKSUM_MISMATCH"`, `"IGGY_OK"`);
            /// `"unknown"` for an undefined code.
            pub const fn name(self) -> &'static CStr {
                match self.0 {
                    $( $code => statuses!(@c_name $name), )*
                    _ => c"unknown",
                }
            }

            /// The status's text; `"unknown status"` for an undefined code.
            pub const fn text(self) -> &'static CStr {
                match self.0 {
                    $( $code => cstr!($text), )*
                    _ => c"unknown status",
                }
            }

            /// When the status is returned (the table's doc), or `None` for an
            /// undefined code.
            pub const fn doc(self) -> Option<&'static str> {
                match self.0 {
                    $( $code => Some(concat!($($doc, "\n",)*)), )*
                    _ => None,
                }
            }
        }
    };
    (@c_name OK) => { cstr!("IGGY_OK") };
    (@c_name $name:ident) => { cstr!("IGGY_ERR_", stringify!($name)) };
}

statuses! {
    /// Success.
    OK = 0, "ok";
    /// A required pointer was NULL.
    NULL_ARGUMENT = 1, "a required pointer argument was NULL";
    /// A handle that must be live is empty (never filled, or already released or consumed).
    EMPTY_HANDLE = 2, "the handle is empty (never filled, or already released or consumed)";
    /// An index, range or length is outside the buffer (split, slice, set_len, commit, advance).
    OUT_OF_RANGE = 3, "index, range or length out of range";
    /// Allocation failed, or the size cannot be represented.
    OUT_OF_MEMORY = 4, "out of memory, or size not representable";
    /// Any other bad argument (an output that aliases an input, an unknown enum value...).
    INVALID_ARGUMENT = 5, "invalid argument";
    /// Coalesce preconditions not met; both inputs untouched.
    COALESCE_REFUSED = 6, "coalesce refused: preconditions not met, both inputs untouched";
    /// An internal panic was caught at the boundary.
    PANIC = 7, "internal panic caught at the library boundary";
    /// A frame reader holds no complete frame yet: read more bytes (not an error of the stream).
    INCOMPLETE = 8, "no complete frame yet: read more bytes";
    /// A frame's size exceeds the reader's max_frame; found on the header, before the body is allocated.
    FRAME_TOO_LARGE = 9, "frame size exceeds the reader's max_frame";
    /// A frame writer's queue is at its limit; the frame stays with the caller.
    QUEUE_FULL = 10, "frame writer queue is full: the frame stays with the caller";
    /// The stream ended inside a frame.
    TRUNCATED = 11, "the stream ended inside a frame";
    /// ConsensusError::InvalidCommand (#1): a length failure, an unaccepted command, or a command the inbound dispatch rejects.
    INVALID_COMMAND = 100, "invalid command";
    /// ConsensusError::InvalidSize (#2): a header-only frame whose size is not 256.
    INVALID_SIZE = 101, "invalid size";
    /// ConsensusError::InvalidChecksum (#3; never produced, reserved).
    INVALID_CHECKSUM = 102, "invalid checksum";
    /// ConsensusError::FrameChecksumMismatch (#4): a sealed header whose checksum is not the seal of its bytes.
    FRAME_CHECKSUM_MISMATCH = 103, "header checksum does not cover the frame";
    /// ConsensusError::InvalidCluster (#5; never produced, reserved).
    INVALID_CLUSTER = 104, "invalid cluster ID";
    /// ConsensusError::InvalidField (#6): a validate() rule on a field (the detail's reason says which).
    INVALID_FIELD = 105, "invalid field";
    /// ConsensusError::PrepareParentPaddingNonZero (#7; never produced, reserved).
    PREPARE_PARENT_PADDING_NON_ZERO = 106, "parent_padding must be 0";
    /// ConsensusError::PrepareRequestChecksumPaddingNonZero (#8; never produced, reserved).
    PREPARE_REQUEST_CHECKSUM_PADDING_NON_ZERO = 107, "prepare request_checksum_padding must be 0";
    /// ConsensusError::CommitInvalidCommand (#9).
    COMMIT_INVALID_COMMAND = 108, "command must be Commit";
    /// ConsensusError::CommitInvalidSize (#10): a Commit whose size is not 256.
    COMMIT_INVALID_SIZE = 109, "commit size must be 256";
    /// ConsensusError::ReplyInvalidCommand (#11).
    REPLY_INVALID_COMMAND = 110, "command must be Reply";
    /// ConsensusError::ReplyRequestChecksumPaddingNonZero (#12; never produced, reserved).
    REPLY_REQUEST_CHECKSUM_PADDING_NON_ZERO = 111, "reply request_checksum_padding must be 0";
    /// ConsensusError::ReplyContextPaddingNonZero (#13; never produced, reserved).
    REPLY_CONTEXT_PADDING_NON_ZERO = 112, "context_padding must be 0";
    /// ConsensusError::InvalidBitPattern (#14): an undefined enum byte of the header type.
    INVALID_BIT_PATTERN = 113, "invalid bit pattern in header (enum discriminant out of range)";
    /// ConsensusError::ClientBoundCommand (#15): Reply or Eviction on a replica's inbound path.
    CLIENT_BOUND_COMMAND = 114, "client-bound command cannot be dispatched on inbound path";
    /// Batch rule B1: the frame is shorter than the 256-byte Prepare header.
    BATCH_SHORT_FRAME = 200, "batch: frame is shorter than the 256-byte prepare header";
    /// B2: the Prepare header's command or operation byte is undefined.
    BATCH_PREPARE_BIT_PATTERN = 201, "batch: undefined command or operation byte in the prepare header";
    /// B3: `size` is below 256.
    BATCH_SIZE_BELOW_HEADER = 202, "batch: size is below the 256-byte header";
    /// B4: `size` exceeds the frame length.
    BATCH_SIZE_EXCEEDS_BUFFER = 203, "batch: size exceeds the frame length";
    /// B5: the body is shorter than the 256-byte batch header.
    BATCH_BODY_SHORTER_THAN_BATCH_HEADER = 204, "batch: body is shorter than the 256-byte batch header";
    /// B6: `batch_length` is below 256.
    BATCH_LENGTH_BELOW_HEADER = 205, "batch: batch_length is below the 256-byte batch header";
    /// B7: a reserved byte of the batch header is not zero.
    BATCH_RESERVED_NONZERO = 206, "batch: reserved bytes [52, 256) of the batch header are not zero";
    /// B8: the body length differs from `batch_length`.
    BATCH_BODY_LENGTH_NE_BATCH_LENGTH = 207, "batch: body length differs from batch_length";
    /// B9: a message checksum does not match (the reference's `InvalidMessageChecksum`).
    BATCH_MESSAGE_CHECKSUM = 208, "batch: message checksum does not match its frame";
    /// B10: the message frames do not tile the blob in `message_count` frames.
    BATCH_FRAMES_DO_NOT_TILE = 209, "batch: message frames do not tile the blob in message_count frames";
    /// B11: the batch checksum does not match (the reference's `InvalidBatchChecksum`).
    BATCH_CHECKSUM = 210, "batch: batch checksum does not match the batch header and message checksums";
}

impl Status {
    /// Whether this is [`Status::OK`].
    pub const fn is_ok(self) -> bool {
        self.0 == 0
    }

    /// Whether the code is one of the table's.
    pub const fn is_defined(self) -> bool {
        self.doc().is_some()
    }
}

impl core::fmt::Display for Status {
    /// The status's text; `unknown status N` for an undefined code.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.text().to_str() {
            Ok(text) if self.is_defined() => f.write_str(text),
            _ => write!(f, "unknown status {}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_texts_are_unique() {
        for (i, a) in Status::ALL.iter().enumerate() {
            assert!(a.is_defined());
            assert_ne!(a.text(), c"unknown status");
            for b in &Status::ALL[i + 1..] {
                assert_ne!(a.0, b.0);
                assert_ne!(a.name(), b.name());
                assert_ne!(a.text(), b.text(), "{a:?} and {b:?} share a text");
            }
        }
    }

    #[test]
    fn c_names_carry_the_prefix() {
        assert_eq!(Status::OK.name(), c"IGGY_OK");
        assert_eq!(
            Status::FRAME_CHECKSUM_MISMATCH.name(),
            c"IGGY_ERR_FRAME_CHECKSUM_MISMATCH"
        );
        assert_eq!(Status(12).name(), c"unknown");
        assert_eq!(Status(12).text(), c"unknown status");
        assert_eq!(Status(12).to_string(), "unknown status 12");
        assert_eq!(
            Status::TRUNCATED.to_string(),
            "the stream ended inside a frame"
        );
    }

    #[test]
    fn codes_keep_their_numbers() {
        let numbers: Vec<u32> = Status::ALL.iter().map(|s| s.0).collect();
        let expected: Vec<u32> = (0..=11).chain(100..=114).chain(200..=210).collect();
        assert_eq!(numbers, expected);
    }
}
