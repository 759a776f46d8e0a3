//! The three checksums of the wire format (wire spec §f), all XXH3-64 with seed 0,
//! zero-extended into a `u128` field (8 result bytes little-endian, then 8 zero bytes).
//!
//! * **Frame seal** (sealed commands 7, 9–12, 17, 18, 20–29): XXH3-64 of header bytes
//!   `[16, 256)`, stored in `checksum`. Verified on typed conversion (and therefore
//!   inbound), never on typed construction.
//! * **Prepare identity** (Prepare, RepairPrepare): XXH3-64 of the 256 header bytes
//!   with `checksum` (0..16) and `view` (52..56) zeroed. Stamped, not verified here.
//! * **`checksum_body`**: XXH3-64 of the body `[256, size)`; which frames carry it is
//!   per type (§f.3). Never verified here.

use super::HEADER_SIZE;
use super::command::{ChecksumKind, Command};
use super::error::ConsensusError;
use super::validate::{Rule, ValidationError};

/// XXH3-64 with seed 0 and the default secret (xxHash's `XXH3_64bits`), the hash of
/// every checksum in the wire format.
pub fn xxh3_64(bytes: &[u8]) -> u64 {
    twox_hash::XxHash3_64::oneshot(bytes)
}

/// [`xxh3_64`] of exactly 240 bytes, the frame seal's input: the length is known at
/// compile time, so the hash's length dispatch folds away and its 129–240-byte loop
/// unrolls (as the reference's `&header[16..]` of a `&[u8; 256]` does).
#[inline]
pub fn xxh3_64_240(bytes: &[u8; HEADER_SIZE - 16]) -> u64 {
    twox_hash::XxHash3_64::oneshot(bytes)
}

/// Byte range of the `checksum` field.
const CHECKSUM: core::ops::Range<usize> = 0..16;
/// Byte range of the `view` field.
const VIEW: core::ops::Range<usize> = 52..56;
/// Offset of the command byte.
const COMMAND: usize = 60;

/// The frame seal of a 256-byte header: XXH3-64 of bytes `[16, 256)`, zero-extended.
#[inline]
pub fn frame_seal(header: &[u8; HEADER_SIZE]) -> u128 {
    let sealed = header
        .last_chunk::<{ HEADER_SIZE - 16 }>()
        .expect("240 bytes");
    u128::from(xxh3_64_240(sealed))
}

/// The prepare identity of a 256-byte header: XXH3-64 of the header with `checksum` and
/// `view` zeroed, zero-extended. The command byte is hashed as Prepare (6): a
/// RepairPrepare (19) carries the identity its prepare got while byte 60 was 6, and
/// its receiver rewrites the byte back to 6 before verifying (§f.2, §b.7).
pub fn prepare_identity(header: &[u8; HEADER_SIZE]) -> u128 {
    let mut copy = *header;
    copy[CHECKSUM].fill(0);
    copy[VIEW].fill(0);
    copy[COMMAND] = Command::Prepare as u8;
    u128::from(xxh3_64(&copy))
}

/// The stored `checksum` field.
fn stored_checksum(header: &[u8; HEADER_SIZE]) -> u128 {
    u128::from_le_bytes(header[CHECKSUM].try_into().expect("16 bytes"))
}

/// verify_frame (§f.1): for a sealed command, the stored `checksum` must equal the
/// recomputed seal in all 128 bits; a zero checksum is a mismatch like any other.
/// Unsealed commands always pass. The error's expected and found values are the low
/// 64 bits of the recomputed and the stored checksum.
pub fn verify_frame(header: &[u8; HEADER_SIZE], command: Command) -> Result<(), ValidationError> {
    if !command.is_sealed() {
        return Ok(());
    }
    let expected = frame_seal(header);
    let found = stored_checksum(header);
    if found == expected {
        return Ok(());
    }
    let reason = if found >> 64 != 0 {
        c"header checksum upper 64 bits are non-zero"
    } else {
        c"header checksum does not cover the frame"
    };
    let error = ConsensusError::FrameChecksumMismatch {
        command,
        expected,
        found,
    };
    Err(ValidationError::new(Rule::Seal, error, reason).with(expected as u64, found as u64))
}

/// What [`seal`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealed {
    /// The frame seal (sealed commands).
    Frame(u128),
    /// The prepare identity (Prepare and RepairPrepare).
    Identity(u128),
    /// Nothing: the command carries no checksum (Request, Reply, Eviction, Generic...).
    Unchanged,
}

/// Why [`seal`] refused; the bytes are untouched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealError {
    /// Fewer than 256 bytes.
    ShortHeader,
    /// Byte 60 is not a defined command.
    InvalidCommand,
}

/// Stamps the checksum the header's command requires into bytes `[0, 16)`: the frame
/// seal for sealed commands, the prepare identity for Prepare (6) and RepairPrepare
/// (19), nothing for the others. `checksum_body` is never written. Only the first 256
/// bytes of `header` are read; any alignment is accepted. Seal last: a later write to
/// the header is not covered.
pub fn seal(header: &mut [u8]) -> Result<Sealed, SealError> {
    let header: &mut [u8; HEADER_SIZE] = header
        .get_mut(..HEADER_SIZE)
        .ok_or(SealError::ShortHeader)?
        .try_into()
        .expect("256 bytes");
    let command = Command::from_u8(header[COMMAND]).ok_or(SealError::InvalidCommand)?;
    let (value, sealed) = match command.checksum_kind() {
        ChecksumKind::PrepareIdentity => {
            let identity = prepare_identity(header);
            (identity, Sealed::Identity(identity))
        }
        ChecksumKind::FrameSeal => {
            let seal = frame_seal(header);
            (seal, Sealed::Frame(seal))
        }
        ChecksumKind::Unsealed => return Ok(Sealed::Unchanged),
    };
    header[CHECKSUM].copy_from_slice(&value.to_le_bytes());
    Ok(sealed)
}

/// The body of a frame (§f.3): bytes `[256, size)` when `256 < size <= frame.len()`,
/// otherwise empty. Bounded by `size`, not by the buffer length.
pub fn frame_body(frame: &[u8], size: u32) -> &[u8] {
    match usize::try_from(size) {
        Ok(size) if size > HEADER_SIZE && size <= frame.len() => &frame[HEADER_SIZE..size],
        _ => &[],
    }
}

/// XXH3-64 of `body`, zero-extended: the `checksum_body` of a metadata-group Prepare
/// (group 2^63; other prepares leave the field 0) and of a DoViewChange or StartView
/// with a non-empty body (an empty body gives 0, see [`suffix_checksum_body`]).
pub fn checksum_body(body: &[u8]) -> u128 {
    u128::from(xxh3_64(body))
}

/// The `checksum_body` of a DoViewChange or StartView: the body's XXH3-64 when it is
/// non-empty, 0 otherwise.
pub fn suffix_checksum_body(body: &[u8]) -> u128 {
    if body.is_empty() {
        0
    } else {
        checksum_body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(size: u32, command: u8) -> [u8; 256] {
        let mut h = [0u8; 256];
        h[48..52].copy_from_slice(&size.to_le_bytes());
        h[60] = command;
        h
    }

    #[test]
    fn xxh3_known_values() {
        assert_eq!(xxh3_64(b""), 0x2d06800538d394c2);
        assert_eq!(xxh3_64(b"hello"), 0x9555e8555c62dcfd);
    }

    #[test]
    fn worked_seals_of_section_f4() {
        assert_eq!(frame_seal(&header(256, 9)), 0xdb9b354e0ce9441d);
        assert_eq!(frame_seal(&header(256, 11)), 0xea9a461ae8fa15c7);
        assert_eq!(frame_seal(&header(256, 7)), 0x02ff776c9fc33f10);
        let mut prepare = header(256, 6);
        prepare[52] = 7;
        prepare[0] = 0xAA;
        assert_eq!(prepare_identity(&prepare), 0xef5b803bb7fcaee4);
    }

    #[test]
    fn seal_writes_the_zero_extended_value() {
        let mut commit = header(256, 9);
        assert_eq!(seal(&mut commit), Ok(Sealed::Frame(0xdb9b354e0ce9441d)));
        assert_eq!(hex(&commit[..16]), "1d44e90c4e359bdb0000000000000000");
        assert_eq!(verify_frame(&commit, Command::Commit), Ok(()));

        let mut prepare = header(256, 6);
        prepare[52] = 7;
        assert_eq!(seal(&mut prepare), Ok(Sealed::Identity(0xef5b803bb7fcaee4)));
        assert_eq!(hex(&prepare[..16]), "e4aefcb73b805bef0000000000000000");
    }

    #[test]
    fn a_repair_prepare_carries_the_identity_of_its_prepare() {
        let mut prepare = header(300, 6);
        prepare[52] = 4;
        prepare[176] = 9; // op
        let mut repair = prepare;
        repair[60] = 19;
        repair[52] = 5; // re-sent in a later view
        assert_eq!(seal(&mut prepare), seal(&mut repair));
        assert_eq!(prepare[..16], repair[..16]);
    }

    #[test]
    fn seal_refuses_short_and_invalid_headers_untouched() {
        let mut short = [0u8; 255];
        assert_eq!(seal(&mut short), Err(SealError::ShortHeader));
        let mut bad = header(256, 30);
        bad[20] = 1;
        let before = bad;
        assert_eq!(seal(&mut bad), Err(SealError::InvalidCommand));
        assert_eq!(bad, before);
        let mut request = header(256, 5);
        request[20] = 9;
        let before = request;
        assert_eq!(seal(&mut request), Ok(Sealed::Unchanged));
        assert_eq!(request, before);
    }

    #[test]
    fn verify_rejects_upper_bits_and_zero() {
        let mut commit = header(256, 9);
        seal(&mut commit).unwrap();
        commit[15] = 1;
        let e = verify_frame(&commit, Command::Commit).unwrap_err();
        assert!(matches!(
            e.error,
            ConsensusError::FrameChecksumMismatch { .. }
        ));
        assert_eq!(e.reason(), c"header checksum upper 64 bits are non-zero");
        let zero = header(256, 9);
        let e = verify_frame(&zero, Command::Commit).unwrap_err();
        assert_eq!(
            e.error,
            ConsensusError::FrameChecksumMismatch {
                command: Command::Commit,
                expected: 0xdb9b354e0ce9441d,
                found: 0
            }
        );
        assert_eq!(e.reason(), c"header checksum does not cover the frame");
        assert_eq!((e.expected(), e.found()), (0xdb9b354e0ce9441d, 0));
        assert_eq!(verify_frame(&zero, Command::Request), Ok(()));
    }

    #[test]
    fn frame_body_is_bounded_by_size() {
        let frame = [1u8; 300];
        assert_eq!(frame_body(&frame, 280).len(), 24);
        assert!(frame_body(&frame, 256).is_empty());
        assert!(frame_body(&frame, 301).is_empty());
        assert!(frame_body(&frame, 100).is_empty());
        assert_eq!(suffix_checksum_body(&[]), 0);
        assert_eq!(checksum_body(b"hello"), 0x9555e8555c62dcfd);
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
