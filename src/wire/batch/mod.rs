//! The SendMessages batch body inside a Prepare (wire spec §h).
//!
//! ```text
//! [0, 256)     PrepareHeader (operation normally SendMessages; not checked)
//! [256, 512)   batch header
//! [512, size)  blob: the message frames, back to back, no padding
//! ```
//!
//! A message frame is a 48-byte header, then the payload, then the user headers.
//!
//! * [`decode_prepare`]: rules B1–B11 of §h.3 on a whole Prepare frame, giving a
//!   [`Batch`] that borrows the frame, or a [`BatchError`];
//! * [`BatchIter`]: the messages of a batch, resumable from a byte position;
//! * [`encode`]: appends a batch body, every checksum computed (§h.2).
//!
//! Decoding and iterating read untrusted bytes at any alignment with explicit
//! little-endian loads; they never panic and never allocate.

mod checksum;
mod decode;
mod encode;
mod error;
mod iter;

pub use decode::{Batch, decode_prepare};
pub use encode::{BatchInput, EncodeError, encode};
pub use error::{BatchError, BatchRule};
pub use iter::{BatchIter, BatchMessage};

/// Length of the batch header, at frame bytes `[256, 512)`.
pub const BATCH_HEADER_SIZE: usize = 256;
/// Length of a message header, at the start of each message frame.
pub const MESSAGE_HEADER_SIZE: usize = 48;

/// Field offsets in the batch header (§h.1).
mod batch_field {
    pub(super) const PARTITION_ID: usize = 0;
    pub(super) const BASE_OFFSET: usize = 8;
    pub(super) const BASE_TIMESTAMP: usize = 16;
    pub(super) const ORIGIN_TIMESTAMP: usize = 24;
    pub(super) const BATCH_LENGTH: usize = 32;
    pub(super) const BATCH_CHECKSUM: usize = 40;
    pub(super) const MESSAGE_COUNT: usize = 48;
    /// `[52, 256)`, must be all zero.
    pub(super) const RESERVED: usize = 52;
}

/// Field offsets in a message header (§h.1).
mod message_field {
    pub(super) const CHECKSUM: usize = 0;
    pub(super) const ID: usize = 8;
    pub(super) const OFFSET_DELTA: usize = 24;
    pub(super) const TIMESTAMP_DELTA: usize = 28;
    pub(super) const USER_HEADERS_LENGTH: usize = 32;
    pub(super) const PAYLOAD_LENGTH: usize = 36;
    /// A `u64`, must be 0 (else the frame walk stops).
    pub(super) const RESERVED: usize = 40;
}

/// The `N` bytes of `bytes` at `at`; the caller has checked the bounds.
fn bytes_at<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    bytes[at..at + N].try_into().expect("N bytes")
}

/// The little-endian `u32` at `at`; the caller has checked the bounds.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes_at(bytes, at))
}

/// The little-endian `u64` at `at`; the caller has checked the bounds.
fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes_at(bytes, at))
}

/// Writes `value` little-endian at `at`; the caller has checked the bounds.
fn put(bytes: &mut [u8], at: usize, value: &[u8]) {
    bytes[at..at + value.len()].copy_from_slice(value);
}

#[cfg(test)]
mod tests;
