//! The two batch checksums (§h.2), XXH3-64 with seed 0.
//!
//! * A message's `checksum`: its frame bytes `[8, end)`, the 40 header bytes after the
//!   checksum, then the payload, then the user headers.
//! * `batch_checksum`: the batch header fields `partition_id` to `batch_length` (bytes
//!   `[0, 40)`) and `message_count` (`[48, 52)`), then every message's **stored**
//!   checksum in order (8 bytes each). The bodies are bound only through the message
//!   checksums.

use super::batch_field::{BATCH_CHECKSUM, MESSAGE_COUNT, RESERVED};
use super::{BATCH_HEADER_SIZE, message_field};
use crate::wire::checksum::xxh3_64;
use core::hash::Hasher;
use twox_hash::xxhash3_64::{RawHasher, SecretBuffer};

/// The checksum a whole message frame should store: XXH3-64 of its bytes `[8, end)`.
pub(super) fn message_checksum(frame: &[u8]) -> u64 {
    xxh3_64(&frame[message_field::ID..])
}

/// XXH3's default secret (`kSecret` of the xxHash specification). `twox-hash` exposes
/// it only to its allocating hasher; streaming on the stack needs it by value. A test
/// checks that hashing with it equals the crate's one-shot hash.
const XXH3_DEFAULT_SECRET: [u8; 192] = [
    0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
    0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
    0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
    0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
    0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
    0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
    0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
    0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
    0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
    0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
    0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
    0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
];

/// A `batch_checksum` being computed. Lives on the stack; allocates nothing.
pub(super) struct BatchHasher(RawHasher<&'static [u8; 192]>);

impl BatchHasher {
    /// Starts with the 44 header-field bytes of `header`.
    pub(super) fn new(header: &[u8; BATCH_HEADER_SIZE]) -> Self {
        let secret = SecretBuffer::new(0, &XXH3_DEFAULT_SECRET)
            .unwrap_or_else(|_| unreachable!("192 bytes is longer than the minimum secret"));
        let mut hasher = RawHasher::new(secret);
        hasher.write(&header[..BATCH_CHECKSUM]);
        hasher.write(&header[MESSAGE_COUNT..RESERVED]);
        Self(hasher)
    }

    /// Adds the stored checksum of the next message.
    pub(super) fn add(&mut self, message_checksum: u64) {
        self.0.write(&message_checksum.to_le_bytes());
    }

    /// The checksum of everything added so far.
    pub(super) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_with_the_default_secret_equals_the_one_shot_hash() {
        let bytes: Vec<u8> = (0..3000u32).map(|i| (i * 31 % 251) as u8).collect();
        for len in [0, 1, 16, 44, 52, 128, 240, 241, 1024, 3000] {
            let secret = SecretBuffer::new(0, &XXH3_DEFAULT_SECRET).ok().unwrap();
            let mut hasher = RawHasher::new(secret);
            let (a, b) = bytes[..len].split_at(len / 3);
            hasher.write(a);
            hasher.write(b);
            assert_eq!(hasher.finish(), xxh3_64(&bytes[..len]), "{len} bytes");
        }
    }
}
