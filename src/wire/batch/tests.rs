//! The rules B1–B11 of §h.3, each broken on its own and in order, the worked examples
//! of §h.4, the iterator, and encode → decode round trips.

use super::checksum::BatchHasher;
use super::encode::body_len;
use super::*;
use crate::buf::Owned;
use crate::wire::checksum::xxh3_64;

/// Frame offset of the batch header and of the blob.
const BATCH: usize = 256;
const BLOB: usize = 512;
/// Frame offsets of batch header fields.
const BATCH_LENGTH_AT: usize = BATCH + batch_field::BATCH_LENGTH;
const BATCH_CHECKSUM_AT: usize = BATCH + batch_field::BATCH_CHECKSUM;
const MESSAGE_COUNT_AT: usize = BATCH + batch_field::MESSAGE_COUNT;

fn input<'a>(
    id: u128,
    offset_delta: u32,
    timestamp_delta: u32,
    payload: &'a [u8],
    user_headers: &'a [u8],
) -> BatchInput<'a> {
    BatchInput {
        id,
        offset_delta,
        timestamp_delta,
        payload,
        user_headers,
    }
}

/// The messages of §h.4: id 1, "hi"; id 2, deltas 1 and 5, "hi", user headers 01 02 03.
fn first() -> BatchInput<'static> {
    input(1, 0, 0, b"hi", b"")
}
fn second() -> BatchInput<'static> {
    input(2, 1, 5, b"hi", &[1, 2, 3])
}

/// A Prepare frame around `body`: header zero except `size`, command 6, operation 160.
fn prepare(body: &[u8]) -> Vec<u8> {
    let mut frame = vec![0u8; 256];
    frame.extend_from_slice(body);
    set_size(&mut frame);
    frame[60] = 6;
    frame[208] = 160;
    frame
}

/// A Prepare frame carrying the encoded batch.
fn encoded(partition_id: u64, base_offset: u64, origin: u64, messages: &[BatchInput]) -> Vec<u8> {
    let mut out = Owned::new();
    encode(
        &mut out,
        partition_id,
        base_offset,
        0,
        origin,
        messages.iter().copied(),
    )
    .unwrap();
    prepare(out.as_slice())
}

/// A valid frame of three messages; the third starts at blob byte 103.
fn valid() -> Vec<u8> {
    encoded(
        7,
        10,
        1000,
        &[first(), second(), input(3, 2, 9, b"payload", b"uh")],
    )
}
const THIRD: usize = BLOB + 50 + 53;

/// Sets `size` to the frame length.
fn set_size(frame: &mut [u8]) {
    let len = frame.len() as u32;
    set_u32(frame, 48, len);
}
/// Sets the frame header's `size` (byte 48).
fn set_size_field(frame: &mut [u8], size: u64) {
    set_u32(frame, 48, size as u32);
}
/// Sets the batch header's `batch_length`.
fn set_batch_length(frame: &mut [u8], length: u64) {
    set_u64(frame, BATCH_LENGTH_AT, length);
}
fn set_u32(frame: &mut [u8], at: usize, value: u32) {
    frame[at..at + 4].copy_from_slice(&value.to_le_bytes());
}
fn set_u64(frame: &mut [u8], at: usize, value: u64) {
    frame[at..at + 8].copy_from_slice(&value.to_le_bytes());
}
fn get_u64(frame: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(frame[at..at + 8].try_into().unwrap())
}

/// Appends `bytes` to the blob, raising `size` and `batch_length` to match.
fn append_to_blob(frame: &mut Vec<u8>, bytes: &[u8]) {
    frame.extend_from_slice(bytes);
    let len = frame.len();
    set_u32(frame, 48, len as u32);
    set_u64(frame, BATCH_LENGTH_AT, (len - BATCH) as u64);
}

/// Recomputes the checksum of the message frame at frame offset `at`, `len` bytes long.
fn reseal_message(frame: &mut [u8], at: usize, len: usize) {
    let checksum = xxh3_64(&frame[at + 8..at + len]);
    set_u64(frame, at, checksum);
}

/// Recomputes `batch_checksum` over the frames the walk reaches.
fn restamp(frame: &mut [u8]) {
    let header: [u8; BATCH_HEADER_SIZE] = frame[BATCH..BLOB].try_into().unwrap();
    let mut hasher = BatchHasher::new(&header);
    for message in BatchIter::at(&batch_over(&frame[BLOB..]), 0) {
        hasher.add(message.checksum);
    }
    set_u64(frame, BATCH_CHECKSUM_AT, hasher.finish());
}

/// A batch over `blob` with zero header fields, to walk bytes that do not decode.
fn batch_over(blob: &[u8]) -> Batch<'_> {
    Batch {
        partition_id: 0,
        base_offset: 0,
        base_timestamp: 0,
        origin_timestamp: 0,
        batch_length: 0,
        batch_checksum: 0,
        message_count: 0,
        blob,
    }
}

fn error(frame: &[u8]) -> BatchError {
    decode_prepare(frame).unwrap_err()
}

/// Asserts the rule, and expected/found, of a structural rejection.
fn rejects(frame: &[u8], rule: BatchRule, expected: u64, found: u64) {
    let e = error(frame);
    assert_eq!((e.rule, e.expected(), e.found()), (rule, expected, found));
    assert_eq!(e.name(), "InvalidCommand");
    assert_eq!(e.to_string(), "InvalidCommand");
}

/// For each `(value, expected, found)`: [`valid`] with `set(frame, value)` applied is
/// rejected by `rule` with those numbers.
fn rejects_each(set: impl Fn(&mut [u8], u64), rule: BatchRule, cases: &[(u64, u64, u64)]) {
    for &(value, expected, found) in cases {
        let mut frame = valid();
        set(&mut frame, value);
        rejects(&frame, rule, expected, found);
    }
}

/// Hex as the spec prints it (spaces allowed) to bytes.
fn unhex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| *b != b' ').collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

#[test]
fn a_valid_frame_decodes() {
    let frame = valid();
    let batch = decode_prepare(&frame).unwrap();
    assert_eq!(batch.partition_id, 7);
    assert_eq!(batch.base_offset, 10);
    assert_eq!(batch.origin_timestamp, 1000);
    assert_eq!(batch.message_count, 3);
    assert_eq!(batch.batch_length, (frame.len() - BATCH) as u64);
    assert_eq!(batch.blob, &frame[BLOB..]);
    assert_eq!(batch.messages().count(), 3);
}

#[test]
fn b1_short_frame() {
    let frame = valid();
    rejects(&frame[..255], BatchRule::ShortFrame, 256, 255);
    rejects(&[], BatchRule::ShortFrame, 256, 0);
}

#[test]
fn b2_prepare_bit_pattern_only() {
    for (at, byte) in [(60, 30), (60, 255), (208, 4), (208, 150), (208, 163)] {
        let mut frame = valid();
        frame[at] = byte;
        rejects(&frame, BatchRule::PrepareBitPattern, 0, 0);
    }
    // No command check, no validate(): other commands, Reserved and set reserved bytes pass.
    for (at, byte) in [
        (60, 0),
        (60, 26),
        (60, 29),
        (208, 0),
        (208, 162),
        (209, 1),
        (232, 1),
    ] {
        let mut frame = valid();
        frame[at] = byte;
        assert!(decode_prepare(&frame).is_ok(), "byte {at} = {byte}");
    }
}

#[test]
fn b3_size_below_header() {
    rejects_each(
        set_size_field,
        BatchRule::SizeBelowHeader,
        &[(255, 256, 255), (0, 256, 0)],
    );
}

#[test]
fn b4_size_exceeds_buffer() {
    let frame = valid();
    let len = frame.len() as u64;
    rejects(
        &frame[..frame.len() - 1],
        BatchRule::SizeExceedsBuffer,
        len - 1,
        len,
    );
    let mut frame = valid();
    set_u32(&mut frame, 48, u32::MAX);
    rejects(&frame, BatchRule::SizeExceedsBuffer, len, u32::MAX.into());
}

#[test]
fn b5_body_shorter_than_batch_header() {
    rejects_each(
        set_size_field,
        BatchRule::BodyShorterThanBatchHeader,
        &[(511, 256, 255), (256, 256, 0)],
    );
}

#[test]
fn b6_batch_length_below_header() {
    rejects_each(
        set_batch_length,
        BatchRule::LengthBelowHeader,
        &[(255, 256, 255), (0, 256, 0)],
    );
}

#[test]
fn b7_batch_reserved_nonzero() {
    for at in [52, 100, 255] {
        let mut frame = valid();
        frame[BATCH + at] = 1;
        rejects(&frame, BatchRule::ReservedNonzero, 0, 0);
    }
}

#[test]
fn b8_body_length_ne_batch_length() {
    let body = (valid().len() - BATCH) as u64;
    for batch_length in [body + 1, body - 1, 256, u64::MAX] {
        let mut frame = valid();
        set_u64(&mut frame, BATCH_LENGTH_AT, batch_length);
        rejects(
            &frame,
            BatchRule::BodyLengthNeBatchLength,
            batch_length,
            body,
        );
    }
    // Bytes inside `size` past `batch_length` are rejected; after `size` they are ignored.
    let mut frame = valid();
    frame.extend_from_slice(&[0xEE; 10]);
    assert!(decode_prepare(&frame).is_ok());
    set_size(&mut frame);
    rejects(&frame, BatchRule::BodyLengthNeBatchLength, body, body + 10);
}

#[test]
fn b9_message_checksum() {
    let stored = get_u64(&valid(), THIRD);
    // Any byte of the frame after the checksum field: header, payload, user headers.
    for at in [THIRD + 8, THIRD + 30, THIRD + 48, THIRD + 56] {
        let mut frame = valid();
        frame[at] ^= 0x10;
        let e = error(&frame);
        assert_eq!(e.rule, BatchRule::MessageChecksum, "byte {at}");
        assert_eq!(e.found(), stored);
        assert_eq!(e.expected(), xxh3_64(&frame[THIRD + 8..]));
        assert_eq!(e.name(), "InvalidMessageChecksum");
    }
    // The stored checksum itself; the offset is base_offset 10 + offset_delta 2.
    let mut frame = valid();
    frame[THIRD] ^= 1;
    let e = error(&frame);
    assert_eq!(
        (e.rule, e.expected(), e.found()),
        (BatchRule::MessageChecksum, stored, stored ^ 1)
    );
    assert_eq!(
        e.to_string(),
        format!("InvalidMessageChecksum({}, {stored}, 12)", stored ^ 1)
    );
    // The first bad frame wins.
    let mut frame = valid();
    frame[BLOB + 49] ^= 1;
    frame[THIRD + 49] ^= 1;
    assert_eq!(error(&frame).found(), get_u64(&frame, BLOB));
    // 48 zero bytes appended parse as a frame with stored checksum 0.
    let mut frame = valid();
    append_to_blob(&mut frame, &[0; 48]);
    let e = error(&frame);
    assert_eq!((e.rule, e.found()), (BatchRule::MessageChecksum, 0));
    assert_eq!(e.expected(), xxh3_64(&[0; 40]));
}

#[test]
fn b10_frames_do_not_tile() {
    // message_count off by one, batch checksum consistent.
    for (count, expected) in [(4, 4), (2, 2), (0, 0), (u32::MAX, u32::MAX.into())] {
        let mut frame = valid();
        set_u32(&mut frame, MESSAGE_COUNT_AT, count);
        restamp(&mut frame);
        rejects(&frame, BatchRule::FramesDoNotTile, expected, 3);
    }
    // A message with reserved set (checksum right) stops the walk there.
    let mut frame = valid();
    frame[THIRD + 47] = 1;
    reseal_message(&mut frame, THIRD, 57);
    restamp(&mut frame);
    rejects(&frame, BatchRule::FramesDoNotTile, 3, 2);
    // A frame running past the blob stops the walk.
    let mut frame = valid();
    set_u32(&mut frame, THIRD + 36, 1000);
    rejects(&frame, BatchRule::FramesDoNotTile, 3, 2);
    set_u32(&mut frame, THIRD + 36, u32::MAX);
    set_u32(&mut frame, THIRD + 32, u32::MAX);
    rejects(&frame, BatchRule::FramesDoNotTile, 3, 2);
    // Fewer than 48 bytes left: the count matches, the blob is not covered.
    let mut frame = valid();
    append_to_blob(&mut frame, &[0xEE; 47]);
    restamp(&mut frame);
    rejects(&frame, BatchRule::FramesDoNotTile, 3, 3);
}

#[test]
fn b11_batch_checksum() {
    let mut frame = valid();
    let stored = get_u64(&frame, BATCH_CHECKSUM_AT);
    frame[BATCH_CHECKSUM_AT + 7] ^= 0x80;
    let e = error(&frame);
    assert_eq!(e.rule, BatchRule::BatchChecksum);
    assert_eq!((e.expected(), e.found()), (stored, stored ^ (1 << 63)));
    assert_eq!(e.name(), "InvalidBatchChecksum");
    assert_eq!(
        e.to_string(),
        format!("InvalidBatchChecksum({}, {stored}, 10)", stored ^ (1 << 63))
    );
    // Every hashed header field is covered; base_timestamp too.
    for at in [0, 8, 16, 24] {
        let mut frame = valid();
        frame[BATCH + at] ^= 1;
        assert_eq!(
            error(&frame).rule,
            BatchRule::BatchChecksum,
            "field at {at}"
        );
    }
}

#[test]
fn the_first_failing_rule_wins() {
    let order = |frame: &[u8]| error(frame).rule;
    // B1 before B2.
    let mut frame = valid();
    frame[60] = 99;
    assert_eq!(order(&frame[..200]), BatchRule::ShortFrame);
    // B2 before B3.
    set_u32(&mut frame, 48, 0);
    assert_eq!(order(&frame), BatchRule::PrepareBitPattern);
    // B4 before B5.
    let frame = valid();
    assert_eq!(order(&frame[..400]), BatchRule::SizeExceedsBuffer);
    // B6 before B7 before B8.
    let mut frame = valid();
    frame[BATCH + 60] = 1;
    set_u64(&mut frame, BATCH_LENGTH_AT, 300);
    assert_eq!(order(&frame), BatchRule::ReservedNonzero);
    set_u64(&mut frame, BATCH_LENGTH_AT, 3);
    assert_eq!(order(&frame), BatchRule::LengthBelowHeader);
    // B9 before B10 and B11.
    let mut frame = valid();
    frame[BLOB + 49] ^= 1;
    set_u32(&mut frame, MESSAGE_COUNT_AT, 9);
    assert_eq!(order(&frame), BatchRule::MessageChecksum);
    // B10 before B11 (the count is hashed, so the batch checksum is wrong too).
    let mut frame = valid();
    set_u32(&mut frame, MESSAGE_COUNT_AT, 9);
    assert_eq!(order(&frame), BatchRule::FramesDoNotTile);
}

#[test]
fn worked_example_empty_batch() {
    let mut out = Owned::new();
    encode(&mut out, 1, 0, 0, 0, []).unwrap();
    // The spec says "the first 56 bytes" and prints 52; the 4 after are reserved zeros.
    let start = "0100000000000000 0000000000000000 0000000000000000 0000000000000000 \
                 0001000000000000 2ad53dbb09e8ab44 00000000";
    assert_eq!(&out.as_slice()[..52], unhex(start));
    assert_eq!(&out.as_slice()[52..56], [0; 4]);
    assert_eq!(get_u64(out.as_slice(), 40), 0x44abe809bb3dd52a);
    let frame = prepare(out.as_slice());
    assert_eq!(frame.len(), 512);
    let batch = decode_prepare(&frame).unwrap();
    assert_eq!(
        (batch.message_count, batch.batch_checksum),
        (0, 0x44abe809bb3dd52a)
    );
    assert!(batch.blob.is_empty());
    assert_eq!(batch.messages().next(), None);
}

#[test]
fn worked_example_one_message_and_variations() {
    let frame = encoded(7, 0, 1000, &[first()]);
    assert_eq!(frame.len(), 562);
    let message = "dc8e00ca420b92a9 01000000000000000000000000000000 00000000 00000000 \
                   00000000 02000000 0000000000000000 6869";
    assert_eq!(&frame[BLOB..], unhex(message));
    assert_eq!(get_u64(&frame, BLOB), 0xa9920b42ca008edc);
    let hashed = "0700000000000000 0000000000000000 0000000000000000 e803000000000000 \
                  3201000000000000 01000000 dc8e00ca420b92a9";
    assert_eq!(xxh3_64(&unhex(hashed)), 0x2ac63cb14661c660);
    let batch = decode_prepare(&frame).unwrap();
    assert_eq!((batch.batch_length, batch.message_count), (306, 1));
    assert_eq!(batch.batch_checksum, 0x2ac63cb14661c660);

    let mut flipped = frame.clone();
    flipped[296] ^= 1;
    assert_eq!(
        error(&flipped).to_string(),
        "InvalidBatchChecksum(3082217727069374049, 3082217727069374048, 0)"
    );
    let mut flipped = frame.clone();
    flipped[560] ^= 1;
    assert_eq!(
        error(&flipped).to_string(),
        "InvalidMessageChecksum(12218841120494358236, 4303440819764309035, 0)"
    );
    let mut longer = frame.clone();
    longer.extend_from_slice(&[0; 10]);
    assert_eq!(decode_prepare(&longer), decode_prepare(&frame));
    set_u32(&mut longer, 48, 572);
    rejects(&longer, BatchRule::BodyLengthNeBatchLength, 306, 316);
}

#[test]
fn worked_example_two_messages() {
    let frame = encoded(7, 0, 1000, &[first(), second()]);
    let message = "16a518e3ee6db447 02000000000000000000000000000000 01000000 05000000 \
                   03000000 02000000 0000000000000000 6869 010203";
    assert_eq!(&frame[BLOB + 50..], unhex(message));
    assert_eq!(get_u64(&frame, BLOB + 50), 0x47b46deee318a516);
    let batch = decode_prepare(&frame).unwrap();
    assert_eq!(
        (batch.message_count, batch.batch_checksum),
        (2, 0x7277be6e7c3432d6)
    );
}

#[test]
fn the_message_checksum_error_offset_saturates() {
    let mut frame = encoded(7, u64::MAX - 1, 0, &[input(1, 5, 0, b"x", b"")]);
    frame[BLOB + 48] ^= 1;
    let e = error(&frame);
    assert_eq!(e.rule, BatchRule::MessageChecksum);
    assert!(e.to_string().ends_with(", 18446744073709551615)"), "{e}");
}

#[test]
fn the_iterator_yields_every_field_and_saturates() {
    let frame = encoded(
        7,
        u64::MAX - 1,
        u64::MAX - 3,
        &[
            input(1, 0, 0, b"a", b""),
            input(u128::MAX, 1, 3, b"", b"uh"),
            input(3, 7, 10, b"pp", b"h"),
        ],
    );
    let batch = decode_prepare(&frame).unwrap();
    let max = u64::MAX;
    let expected = [
        (1, max - 1, max - 3, &b"a"[..], &b""[..], BLOB),
        (u128::MAX, max, max, b"", b"uh", BLOB + 49),
        (3, max, max, b"pp", b"h", BLOB + 99),
    ];
    let messages: Vec<_> = batch.messages().collect();
    assert_eq!(messages.len(), expected.len());
    for (m, (id, offset, timestamp, payload, user_headers, at)) in messages.iter().zip(expected) {
        assert_eq!((m.id, m.offset, m.timestamp), (id, offset, timestamp));
        assert_eq!((m.payload, m.user_headers), (payload, user_headers));
        assert_eq!(m.checksum, get_u64(&frame, at));
    }
}

#[test]
fn the_iterator_resumes_at_a_position() {
    let frame = valid();
    let batch = decode_prepare(&frame).unwrap();
    let all: Vec<_> = batch.messages().collect();
    let mut it = batch.messages();
    let mut positions = vec![it.position()];
    while it.next().is_some() {
        positions.push(it.position());
    }
    assert_eq!(positions, [0, 50, 103, batch.blob.len()]);
    assert_eq!(it.next(), None);
    assert_eq!(it.position(), batch.blob.len());
    for (i, &position) in positions.iter().enumerate() {
        let rest: Vec<_> = BatchIter::at(&batch, position).collect();
        assert_eq!(rest, all[i..]);
    }
    // Past the end, or inside a frame: no panic, no message past the blob.
    for position in [batch.blob.len() + 1, usize::MAX] {
        assert_eq!(BatchIter::at(&batch, position).next(), None);
    }
    for position in 0..=batch.blob.len() {
        for m in BatchIter::at(&batch, position) {
            assert!(m.payload.len() + m.user_headers.len() <= batch.blob.len());
        }
    }
}

#[test]
fn the_iterator_stops_where_the_walk_stops() {
    let frame = valid();
    let blob = &frame[BLOB..];
    // Fewer than 48 bytes left.
    assert_eq!(BatchIter::at(&batch_over(&blob[..50 + 47]), 0).count(), 1);
    // A frame running past the blob.
    assert_eq!(BatchIter::at(&batch_over(&blob[..50 + 52]), 0).count(), 1);
    // A frame with reserved set.
    let mut frame = valid();
    frame[BLOB + 50 + 40] = 1;
    let mut it = BatchIter::at(&batch_over(&frame[BLOB..]), 0);
    assert_eq!(it.by_ref().count(), 1);
    assert_eq!((it.position(), it.next()), (50, None));
}

#[test]
fn any_alignment_gives_the_same_verdict() {
    let mut frames = vec![valid(), encoded(1, 0, 0, &[])];
    for at in [
        60,
        208,
        48,
        BATCH + 60,
        BLOB + 49,
        BATCH_CHECKSUM_AT,
        MESSAGE_COUNT_AT,
    ] {
        let mut frame = valid();
        frame[at] ^= 0x41;
        frames.push(frame);
    }
    for frame in &frames {
        let expected = decode_prepare(frame);
        for offset in 1..16 {
            let mut shifted = vec![0u8; frame.len() + offset];
            shifted[offset..].copy_from_slice(frame);
            let got = decode_prepare(&shifted[offset..]);
            assert_eq!(got, expected, "at +{offset}");
            if let Ok(batch) = got {
                assert!(batch.messages().eq(expected.unwrap().messages()));
            }
        }
    }
}

#[test]
fn errors_name_reason_and_display() {
    use BatchRule::*;
    let rules = BatchRule::ALL;
    assert_eq!(rules.len(), 11, "B1 to B11");
    let mut reasons = Vec::new();
    for &rule in rules {
        let e = BatchError::new(rule, 0, 0);
        assert!(!e.reason().is_empty());
        reasons.push(e.reason());
        let structural = !matches!(rule, MessageChecksum | BatchChecksum);
        assert_eq!(e.name() == "InvalidCommand", structural);
    }
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(reasons.len(), rules.len());
    let e = BatchError::checksum(MessageChecksum, 2, 1, 3);
    assert_eq!(e.to_string(), "InvalidMessageChecksum(1, 2, 3)");
    assert_eq!(
        BatchError::new(ReservedNonzero, 0, 0).to_string(),
        "InvalidCommand"
    );
}

#[path = "../../../tests/common/xorshift.rs"]
mod xorshift;
use xorshift::XorShift;

#[test]
fn encode_then_decode_round_trips() {
    let iterations = if cfg!(miri) { 4 } else { 300 };
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let pool: Vec<u8> = (0..1024).map(|_| rng.next() as u8).collect();
    for _ in 0..iterations {
        let inputs: Vec<BatchInput> = (0..rng.below(21))
            .map(|_| {
                let payload = rng.len(300);
                let user_headers = rng.len(40);
                let (p, u) = (
                    rng.below(pool.len() - payload),
                    rng.below(pool.len() - user_headers),
                );
                BatchInput {
                    id: u128::from(rng.next()) << 64 | u128::from(rng.next()),
                    offset_delta: rng.next() as u32,
                    timestamp_delta: rng.next() as u32,
                    payload: &pool[p..p + payload],
                    user_headers: &pool[u..u + user_headers],
                }
            })
            .collect();
        let base_offset = [0, rng.next(), u64::MAX - rng.below(3) as u64][rng.below(3)];
        let (partition_id, base_timestamp, origin) = (rng.next(), rng.next(), rng.next());

        let mut out = Owned::zeroed(256);
        encode(
            &mut out,
            partition_id,
            base_offset,
            base_timestamp,
            origin,
            inputs.iter().copied(),
        )
        .unwrap();
        let mut frame = out.as_slice().to_vec();
        set_size(&mut frame);
        frame[60] = 6;

        let batch = decode_prepare(&frame).unwrap();
        assert_eq!(
            (
                batch.partition_id,
                batch.base_offset,
                batch.base_timestamp,
                batch.origin_timestamp
            ),
            (partition_id, base_offset, base_timestamp, origin)
        );
        assert_eq!(batch.batch_length, (frame.len() - BATCH) as u64);
        assert_eq!(batch.message_count as usize, inputs.len());
        let messages: Vec<_> = batch.messages().collect();
        assert_eq!(messages.len(), inputs.len());
        for (m, i) in messages.iter().zip(&inputs) {
            assert_eq!(m.id, i.id);
            assert_eq!(m.offset, base_offset.saturating_add(i.offset_delta.into()));
            assert_eq!(m.timestamp, origin.saturating_add(i.timestamp_delta.into()));
            assert_eq!((m.payload, m.user_headers), (i.payload, i.user_headers));
        }
    }
}

#[test]
fn encode_appends_after_the_bytes_already_there() {
    let mut out = Owned::copy_from_slice(&[0xAB; 300]);
    encode(&mut out, 7, 0, 0, 1000, [first(), second()]).unwrap();
    assert_eq!(&out.as_slice()[..300], &[0xAB; 300]);
    assert_eq!(out.len(), 300 + 256 + 50 + 53);
    assert_eq!(get_u64(out.as_slice(), 300 + 40), 0x7277be6e7c3432d6);
}

/// `encode` runs `body_len` before touching `out`, so these are the cases where it
/// appends nothing. They cannot be reached through `encode` itself without slices of
/// more than 4 GiB (or 2^32 inputs); allocation failure is not provoked either.
#[test]
fn body_len_limits() {
    assert_eq!(body_len(0, core::iter::empty()), Ok(256));
    assert_eq!(body_len(2, [(2, 0), (2, 3)]), Ok(256 + 50 + 53));
    let max = u32::MAX as usize;
    #[cfg(target_pointer_width = "64")]
    {
        assert_eq!(body_len(1, [(max, max)]), Ok(256 + 48 + 2 * max));
        assert_eq!(body_len(1, [(max + 1, 0)]), Err(EncodeError::TooLarge));
        assert_eq!(body_len(1, [(0, max + 1)]), Err(EncodeError::TooLarge));
        assert_eq!(body_len(max + 1, []), Err(EncodeError::TooLarge));
    }
    #[cfg(target_pointer_width = "32")]
    assert_eq!(
        body_len(2, [(max, 0), (max, 0)]),
        Err(EncodeError::TooLarge)
    );
}

#[test]
fn the_frame_checks_of_a_batch_are_the_frame_rules() {
    use crate::wire::validate::Rule;
    assert_eq!(BatchRule::ShortFrame.frame_rule(), Rule::ShortBuffer);
    assert_eq!(BatchRule::PrepareBitPattern.frame_rule(), Rule::BitPattern);
    assert_eq!(BatchRule::SizeBelowHeader.frame_rule(), Rule::SizeFloor);
    assert_eq!(
        BatchRule::SizeExceedsBuffer.frame_rule(),
        Rule::SizeExceedsBuffer
    );
    assert_eq!(BatchRule::BatchChecksum.frame_rule(), Rule::Batch);
}

#[test]
fn encode_errors_read_as_text() {
    let out_of_memory = crate::buf::BufError::OutOfMemory.to_string();
    for (error, text) in [
        (EncodeError::TooLarge, "batch too large to encode"),
        (EncodeError::OutOfMemory, out_of_memory.as_str()),
    ] {
        assert_eq!(error.to_string(), text);
    }
}
