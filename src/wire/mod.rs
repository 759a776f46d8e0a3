//! The consensus wire format of Apache Iggy at commit
//! `cc269ef70ef2d78af5102f5560b5b03c9dd81401` (`shared/spec/wire-format.md`).
//!
//! * [`table`]: the protocol's tables as data (header layouts, enums), and the macros
//!   that declare them once;
//! * [`header`]: the 23 header types, their layouts and `validate()` rules;
//! * [`Command`], [`Operation`] and the per-header enums: the enum bytes;
//! * [`ConsensusError`]: every rejection, with the reference's texts;
//! * [`checksum`]: the frame seal, the prepare identity and `checksum_body`;
//! * [`validate`]: the entry points (typed construction, typed conversion, inbound
//!   dispatch, whole-frame check) and the order of their steps;
//! * [`dispatch`]: the inbound dispatch table;
//! * [`describe`]: one line describing a frame, for logs;
//! * [`batch`]: the SendMessages batch body inside a Prepare (§h): decode, iterate,
//!   encode.
//!
//! Everything here reads untrusted bytes at any alignment and never panics on them.

pub mod batch;
pub mod checksum;
mod command;
pub mod describe;
pub mod dispatch;
mod enums;
mod error;
pub mod header;
mod operation;
pub mod table;
pub mod validate;

pub use command::{ChecksumKind, Command, HeaderVisitor};
pub use enums::{EvictionReason, ForwardLogoutOutcome, ForwardRegisterOutcome, Operation};
pub use error::{ConsensusError, FieldError, SuffixFrame};
pub use header::Header;

/// [`WIRE_REVISION`] as a literal, for the C layer's NUL-terminated copy (`concat!`
/// takes literals only).
macro_rules! wire_revision {
    () => {
        "cc269ef70ef2d78af5102f5560b5b03c9dd81401"
    };
}
#[cfg(feature = "capi")]
pub(crate) use wire_revision;

/// The Apache Iggy commit whose wire format this module implements.
pub const WIRE_REVISION: &str = wire_revision!();

/// Every header is this long.
pub const HEADER_SIZE: usize = 256;
/// Offset of the `size` field (a little-endian `u32`).
pub const SIZE_FIELD_OFFSET: usize = 48;
/// Offset of the `command` byte.
pub const COMMAND_OFFSET: usize = 60;
/// Length of GenericHeader's `reserved_command`.
pub const RESERVED_COMMAND_LEN: usize = 128;
/// Maximum suffix entries in a DoViewChange or StartView.
pub const DVC_HEADERS_MAX: u32 = 128;
/// A prepare `checksum` nobody stamped.
pub const CHECKSUM_UNSEALED: u128 = 0;
/// The largest frame TCP framing accepts: 64 MiB.
pub const MAX_MESSAGE_SIZE: u32 = 64 * 1024 * 1024;
/// The group id of the metadata plane (§a.2).
pub const METADATA_GROUP: u64 = 1 << 63;

/// The `size` field of a frame, or `None` when fewer than 52 bytes are there.
pub fn read_size_field(frame: &[u8]) -> Option<u32> {
    let bytes = frame.get(SIZE_FIELD_OFFSET..SIZE_FIELD_OFFSET + 4)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

/// Byte 60 of a frame (the command byte), or `None` when the frame is 60 bytes or
/// shorter. Not checked against the defined commands.
pub fn command_byte(frame: &[u8]) -> Option<u8> {
    frame.get(COMMAND_OFFSET).copied()
}
