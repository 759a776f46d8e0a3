//! The reader rules of docs/c-api.md, one scenario per test. The golden vectors under
//! many chunkings, and allocation failure, are in `tests/stream_vectors.rs`.

use super::*;
use crate::wire::checksum::seal;
use crate::wire::validate::validate_frame;
use crate::wire::{ConsensusError, SIZE_FIELD_OFFSET};

const MAX: usize = MAX_MESSAGE_SIZE as usize;

/// A valid frame of `size` bytes: a Ping (command 1, no typed header, no seal), which
/// the whole-frame check accepts. `tag` varies the header and the body, so frames of
/// one size differ. Built with a few bulk copies: byte loops are slow under Miri.
fn frame(size: usize, tag: u8) -> Vec<u8> {
    /// 0, 1, ..., 255, 0, 1, ..., 255.
    const RAMP: [u8; 512] = {
        let mut ramp = [0; 512];
        let mut i = 0;
        while i < 512 {
            ramp[i] = i as u8;
            i += 1;
        }
        ramp
    };
    let mut f = header_only(size as u32, 1);
    f[64] = tag;
    while f.len() < size {
        // Body byte i is `tag + i`, wrapping.
        let at = (f.len() + tag as usize) % 256;
        let n = (size - f.len()).min(256);
        f.extend_from_slice(&RAMP[at..at + n]);
    }
    f
}

/// A valid, sealed PrepareOk (command 7) of `size` bytes: flipping a header byte after
/// `seal` breaks it, and only the whole-frame check (not the header) can tell.
fn sealed(size: usize, tag: u8) -> Vec<u8> {
    let mut f = frame(size, tag);
    f[COMMAND_OFFSET] = 7;
    seal(&mut f).unwrap();
    f
}

/// 256 header bytes with `size` and `command` and nothing else.
fn header_only(size: u32, command: u8) -> Vec<u8> {
    let mut h = vec![0; HEADER_SIZE];
    h[SIZE_FIELD_OFFSET..SIZE_FIELD_OFFSET + 4].copy_from_slice(&size.to_le_bytes());
    h[COMMAND_OFFSET] = command;
    h
}

fn reader(read_ahead: usize) -> FrameReader {
    FrameReader::try_new(ReaderConfig {
        read_ahead,
        ..ReaderConfig::default()
    })
    .unwrap()
}

/// One read: copies as much of `bytes` as `buffer` offers (at most `limit`) and
/// commits it. Returns the bytes taken, or the first error.
fn read_once(r: &mut FrameReader, bytes: &[u8], limit: usize) -> Result<usize, ReadError> {
    let spare = r.buffer()?;
    let n = spare.len().min(bytes.len()).min(limit);
    write_into(spare, &bytes[..n]);
    // SAFETY: the first `n` bytes of the offer were just written.
    unsafe { r.commit(n) }?;
    Ok(n)
}

/// Copies `bytes` to the start of `spare` in one go (a byte loop is slow under Miri).
fn write_into(spare: &mut [MaybeUninit<u8>], bytes: &[u8]) {
    assert!(bytes.len() <= spare.len());
    // SAFETY: `spare` has room for `bytes`, and a shared slice cannot overlap it.
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), spare.as_mut_ptr().cast(), bytes.len())
    };
}

/// Reads all of `bytes` in reads of at most `limit` bytes.
fn read_all(r: &mut FrameReader, mut bytes: &[u8], limit: usize) -> Result<(), ReadError> {
    while !bytes.is_empty() {
        let n = read_once(r, bytes, limit)?;
        bytes = &bytes[n..];
    }
    Ok(())
}

/// A reader (read-ahead 256) that has read all of `bytes`, as much as each read offers.
fn reader_after(bytes: &[u8]) -> FrameReader {
    let mut r = reader(256);
    read_all(&mut r, bytes, usize::MAX).unwrap();
    r
}

#[path = "../../tests/common/drain.rs"]
mod drain;
use drain::drain;

fn assert_frames(got: &[Owned], want: &[&[u8]]) {
    assert_eq!(got.len(), want.len(), "frame count");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.as_slice(), *w, "frame {i}");
        assert_eq!(g.as_ptr().addr() % 4096, 0, "frame {i} alignment");
    }
}

/// A tiny deterministic PRNG (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

// --- configuration ------------------------------------------------------------------

#[test]
fn default_config_is_64_mib_frames_64_kib_read_ahead_whole_frame_validation() {
    let c = ReaderConfig::default();
    assert_eq!((c.max_frame, c.read_ahead), (64 << 20, 65536));
    assert_eq!(c.validation, Validation::Frame);
}

#[test]
fn bounds_outside_256_to_max_message_size_are_invalid_config() {
    let with = |max_frame, read_ahead| {
        FrameReader::try_new(ReaderConfig {
            max_frame,
            read_ahead,
            validation: Validation::None,
        })
        .map(drop)
    };
    for bad in [0, 255, MAX + 1, usize::MAX] {
        assert_eq!(
            with(bad, 256),
            Err(ReadError::InvalidConfig),
            "max_frame {bad}"
        );
        assert_eq!(
            with(256, bad),
            Err(ReadError::InvalidConfig),
            "read_ahead {bad}"
        );
    }
    for good in [256, 4096, MAX] {
        assert_eq!(with(good, 256), Ok(()));
        assert_eq!(with(256, good), Ok(()));
    }
}

#[test]
fn try_new_allocates_only_the_read_ahead_and_a_header() {
    let r = reader(1000);
    assert!(r.capacity_held() >= 1256);
    assert!(r.capacity_held() < 1256 + 4096);
}

// --- finish -------------------------------------------------------------------------

#[test]
fn finish_is_ok_on_a_fresh_reader() {
    assert_eq!(reader(256).finish(), Ok(()));
}

#[test]
fn finish_is_ok_between_frames_even_with_frames_not_taken() {
    let mut r = reader(256);
    r.feed(&frame(300, 1)).unwrap();
    assert_eq!(r.finish(), Ok(()));
    r.next().unwrap();
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn finish_is_truncated_inside_a_header_and_inside_a_body() {
    let f = frame(300, 1);
    for cut in [1, 255, 256, 299] {
        let mut r = reader(256);
        r.feed(&f[..cut]).unwrap();
        assert_eq!(r.finish(), Err(ReadError::Truncated), "cut {cut}");
        assert_eq!(r.next().map(drop), Err(ReadError::Incomplete));
    }
}

#[test]
fn finish_is_truncated_inside_a_large_frame_read_in_place() {
    let f = frame(2000, 1);
    let mut r = reader_after(&f[..1000]);
    assert_eq!(r.finish(), Err(ReadError::Truncated));
    read_all(&mut r, &f[1000..], usize::MAX).unwrap();
    assert_eq!(r.finish(), Ok(()));
}

// --- buffer and commit ----------------------------------------------------------------

#[test]
fn commit_without_buffer_is_out_of_range_and_changes_nothing() {
    let mut r = reader(256);
    // SAFETY: refused before anything is read.
    assert_eq!(unsafe { r.commit(1) }, Err(ReadError::OutOfRange));
    assert_eq!(r.finish(), Ok(()));
    assert_eq!(r.next().map(drop), Err(ReadError::Incomplete));
}

#[test]
fn a_second_commit_for_one_buffer_is_out_of_range() {
    let f = frame(256, 1);
    let mut r = reader(256);
    assert_eq!(read_once(&mut r, &f, 10), Ok(10));
    // SAFETY: refused before anything is read.
    assert_eq!(unsafe { r.commit(1) }, Err(ReadError::OutOfRange));
    read_all(&mut r, &f[10..], usize::MAX).unwrap();
    assert_frames(&drain(&mut r).0, &[&f]);
}

#[test]
fn commit_of_zero_or_more_than_offered_is_out_of_range_and_keeps_the_offer() {
    let f = frame(256, 1);
    let mut r = reader(256);
    let offered = r.buffer().unwrap().len();
    // SAFETY: refused before anything is read.
    unsafe {
        assert_eq!(r.commit(0), Err(ReadError::OutOfRange));
        assert_eq!(r.commit(offered + 1), Err(ReadError::OutOfRange));
        assert_eq!(r.commit(usize::MAX), Err(ReadError::OutOfRange));
    }
    assert_eq!(r.finish(), Ok(()), "nothing was taken");
    let spare = r.buffer().unwrap();
    write_into(spare, &f);
    // SAFETY: 256 bytes written.
    unsafe { r.commit(256) }.unwrap();
    assert_frames(&drain(&mut r).0, &[&f]);
}

#[test]
fn the_offer_survives_next_and_finish_but_not_feed() {
    let (a, b) = (frame(256, 1), frame(256, 2));
    let mut r = reader(256);
    r.feed(&a).unwrap();
    let spare = r.buffer().unwrap();
    write_into(spare, &b);
    assert_eq!(r.next().unwrap().as_slice(), a);
    assert_eq!(r.finish(), Ok(()));
    // SAFETY: 256 bytes written into the offer.
    unsafe { r.commit(256) }.unwrap();
    assert_eq!(r.next().unwrap().as_slice(), b);

    r.buffer().unwrap();
    r.feed(&a[..10]).unwrap();
    // SAFETY: refused before anything is read.
    assert_eq!(unsafe { r.commit(1) }, Err(ReadError::OutOfRange));
}

#[test]
fn between_frames_buffer_offers_at_least_read_ahead() {
    for read_ahead in [256, 1000, 65536] {
        let mut r = reader(read_ahead);
        assert!(r.buffer().unwrap().len() >= read_ahead);
        r.feed(&frame(300, 1)).unwrap();
        assert!(r.buffer().unwrap().len() >= read_ahead, "frame not taken");
        r.next().unwrap();
        assert!(r.buffer().unwrap().len() >= read_ahead, "frame taken");
    }
}

#[test]
fn one_commit_of_100_small_frames_gives_100_frames_without_another_buffer() {
    let frames: Vec<Vec<u8>> = (0..100).map(|i| frame(256 + i, i as u8)).collect();
    let stream = frames.concat();
    let mut r = reader(65536);
    let spare = r.buffer().unwrap();
    assert!(spare.len() >= stream.len());
    write_into(spare, &stream);
    // SAFETY: the whole stream was written.
    unsafe { r.commit(stream.len()) }.unwrap();
    let (got, end) = drain(&mut r);
    assert_eq!(end, ReadError::Incomplete);
    let want: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
    assert_frames(&got, &want);
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn a_large_body_is_read_in_place_into_the_frame_next_returns() {
    let f = frame(10_000, 3);
    let mut r = reader(256);
    // The header and a little body arrive with the read-ahead: copied once.
    assert_eq!(read_once(&mut r, &f, 300), Ok(300));
    let mut offered = Vec::new();
    let mut at = 300;
    while at < f.len() {
        let spare = r.buffer().unwrap();
        assert!(spare.len() <= f.len() - at, "offered past the frame's end");
        offered.push(spare.as_ptr().addr());
        let n = spare.len().min(1234);
        write_into(spare, &f[at..at + n]);
        // SAFETY: `n` bytes written.
        unsafe { r.commit(n) }.unwrap();
        at += n;
    }
    let got = r.next().unwrap();
    assert_eq!(got.as_slice(), f);
    let range = got.as_ptr().addr()..got.as_ptr().addr() + got.len();
    assert!(offered.iter().all(|p| range.contains(p)));
    assert_eq!(
        offered[0],
        range.start + 300,
        "the rest follows the bytes moved"
    );
    assert_eq!(r.next().map(drop), Err(ReadError::Incomplete));
}

#[test]
fn the_first_offer_of_a_large_frame_is_exactly_its_rest() {
    let f = frame(5000, 1);
    let mut r = reader_after(&f[..256]);
    assert_eq!(r.buffer().unwrap().len(), 5000 - 256);
}

#[test]
fn a_body_of_exactly_read_ahead_stays_in_the_read_ahead() {
    let f = frame(256 + 1000, 1);
    let mut r = reader(1000);
    read_all(&mut r, &f[..256], usize::MAX).unwrap();
    let before = r.capacity_held();
    assert!(r.buffer().unwrap().len() >= 1000);
    assert_eq!(r.capacity_held(), before, "no frame buffer of its own");
}

#[test]
fn feed_copies_straight_into_an_open_large_frame() {
    let f = frame(20_000, 9);
    let mut r = reader(256);
    r.feed(&f[..1000]).unwrap(); // in the read-ahead, header held
    r.feed(&f[1000..1001]).unwrap(); // opens the frame's own buffer
    let held = r.capacity_held();
    assert!(held >= 20_000);
    r.feed(&f[1001..]).unwrap();
    assert_eq!(
        r.capacity_held(),
        held,
        "the rest went into the frame's buffer"
    );
    assert_eq!(r.next().unwrap().as_slice(), f);
}

#[test]
fn small_and_large_frames_come_out_in_stream_order() {
    let frames = [
        frame(300, 1),
        frame(3000, 2),
        frame(256, 3),
        frame(4000, 4),
        frame(5000, 5),
        frame(400, 6),
        frame(2000, 7),
    ];
    let stream = frames.concat();
    let want: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
    // One byte at a time takes a minute under Miri; the vector tests cover it natively.
    let limits: &[usize] = if cfg!(miri) {
        &[100, 1000, usize::MAX]
    } else {
        &[1, 100, 256, 1000, usize::MAX]
    };
    for &limit in limits {
        let mut r = reader(256);
        read_all(&mut r, &stream, limit).unwrap();
        assert_eq!(r.finish(), Ok(()));
        let (got, end) = drain(&mut r);
        assert_eq!(end, ReadError::Incomplete);
        assert_frames(&got, &want);
    }
}

// --- header first -------------------------------------------------------------------

#[test]
fn frame_too_large_after_exactly_256_bytes_without_allocating() {
    let h = header_only(1 << 30, 7);
    for validation in [Validation::Frame, Validation::Inbound, Validation::None] {
        let mut r = FrameReader::try_new(ReaderConfig {
            validation,
            ..ReaderConfig::default()
        })
        .unwrap();
        let held = r.capacity_held();
        r.feed(&h[..255]).unwrap();
        let error = ReadError::FrameTooLarge {
            max_frame: MAX,
            size: 1 << 30,
            command: 7,
        };
        assert_eq!(r.feed(&h[255..]), Err(error));
        assert_eq!(r.capacity_held(), held);
        assert_eq!(r.buffer().map(drop), Err(error));
        assert_eq!(r.capacity_held(), held);
        assert_eq!(r.finish(), Err(error));
    }
}

#[test]
fn size_just_above_max_frame_is_too_large_and_at_it_is_accepted() {
    let config = ReaderConfig {
        max_frame: 1000,
        read_ahead: 256,
        validation: Validation::Frame,
    };
    let mut r = FrameReader::try_new(config).unwrap();
    let f = frame(1000, 1);
    r.feed(&f).unwrap();
    assert_eq!(r.next().unwrap().as_slice(), f);
    assert_eq!(
        r.feed(&header_only(1001, 7)),
        Err(ReadError::FrameTooLarge {
            max_frame: 1000,
            size: 1001,
            command: 7
        })
    );
}

#[test]
fn undefined_command_and_size_floor_fail_on_the_header_as_validate_frame_says() {
    for (size, command) in [(300, 30), (1 << 30, 255), (255, 7), (0, 1), (100, 200)] {
        let h = header_only(size, command);
        let want = validate_frame(&h).unwrap_err();
        assert!(matches!(want.rule, Rule::BitPattern | Rule::SizeFloor));
        for validation in [Validation::Frame, Validation::Inbound, Validation::None] {
            let mut r = FrameReader::try_new(ReaderConfig {
                validation,
                ..ReaderConfig::default()
            })
            .unwrap();
            r.feed(&h[..255]).unwrap();
            let error = ReadError::Invalid {
                error: want,
                command,
            };
            assert_eq!(r.feed(&h[255..]), Err(error), "{size} {command}");
            assert_eq!(r.next().map(drop), Err(error));
        }
    }
}

#[test]
fn a_bad_seal_is_reported_once_the_frame_is_whole() {
    let mut f = sealed(1000, 1);
    f[100] ^= 1; // after sealing: the seal no longer matches
    let want = validate_frame(&f).unwrap_err();
    assert!(matches!(
        want.error,
        ConsensusError::FrameChecksumMismatch { .. }
    ));
    for read_ahead in [256, 65536] {
        let mut r = reader(read_ahead);
        read_all(&mut r, &f[..999], usize::MAX).unwrap();
        assert_eq!(r.finish(), Err(ReadError::Truncated));
        let error = ReadError::Invalid {
            error: want,
            command: 7,
        };
        assert_eq!(read_all(&mut r, &f[999..], usize::MAX), Err(error));
        assert_eq!(r.finish(), Err(error));
    }
}

#[test]
fn validation_modes_run_their_own_function() {
    // A Ping (command 1) passes the whole-frame check but is not routed inbound; a
    // bad seal passes framing checks only.
    let mut ping = header_only(300, 1);
    ping.resize(300, 0);
    let mut bad_seal = sealed(300, 1);
    bad_seal[100] ^= 1;
    let inbound = validate_inbound(&ping).unwrap_err();
    let cases = [
        (Validation::Frame, &ping, Ok(())),
        (
            Validation::Inbound,
            &ping,
            Err(ReadError::Invalid {
                error: inbound,
                command: 1,
            }),
        ),
        (Validation::None, &bad_seal, Ok(())),
    ];
    for (validation, f, want) in cases {
        let mut r = FrameReader::try_new(ReaderConfig {
            validation,
            ..ReaderConfig::default()
        })
        .unwrap();
        assert_eq!(r.feed(f), want, "{validation:?}");
    }
}

// --- sticky errors --------------------------------------------------------------------

#[test]
fn after_a_bad_frame_every_call_returns_its_error_and_next_first_gives_earlier_frames() {
    let (a, b) = (frame(300, 1), frame(3000, 2));
    let bad = header_only(300, 99);
    let after = frame(256, 3);
    let stream = [a.clone(), b.clone(), bad.clone(), after].concat();
    let error = ReadError::Invalid {
        error: validate_frame(&bad).unwrap_err(),
        command: 99,
    };
    for use_feed in [false, true] {
        let mut r = reader(256);
        let result = if use_feed {
            r.feed(&stream)
        } else {
            read_all(&mut r, &stream, usize::MAX)
        };
        assert_eq!(result, Err(error));
        let held = r.capacity_held();
        assert_eq!(r.buffer().map(drop), Err(error));
        for n in [0, 1, 256, usize::MAX] {
            // SAFETY: refused before anything is read.
            assert_eq!(unsafe { r.commit(n) }, Err(error));
        }
        assert_eq!(r.feed(&a), Err(error));
        assert_eq!(r.feed(&[]), Err(error));
        assert_eq!(r.finish(), Err(error));
        assert_eq!(r.capacity_held(), held, "nothing taken");
        assert_eq!(r.next().unwrap().as_slice(), a);
        assert_eq!(r.next().unwrap().as_slice(), b);
        for _ in 0..3 {
            assert_eq!(r.next().map(drop), Err(error));
        }
        assert_eq!(r.finish(), Err(error));
    }
}

#[test]
fn a_bad_large_frame_is_dropped_and_fails_the_reader() {
    let a = frame(300, 1);
    let mut bad = sealed(5000, 2);
    bad[200] ^= 1;
    let error = ReadError::Invalid {
        error: validate_frame(&bad).unwrap_err(),
        command: 7,
    };
    let mut r = reader_after(&a);
    assert_eq!(read_all(&mut r, &bad, 1000), Err(error));
    assert_eq!(r.next().unwrap().as_slice(), a);
    assert_eq!(r.next().map(drop), Err(error));
    assert!(r.capacity_held() < 5000, "the bad frame's buffer was freed");
}

// --- memory ---------------------------------------------------------------------------

#[test]
fn untaken_frames_grow_the_read_ahead_and_it_shrinks_back_once_they_are_taken() {
    let f = frame(256, 1);
    let mut r = reader(256);
    let first = r.capacity_held();
    for _ in 0..20 {
        read_all(&mut r, &f, usize::MAX).unwrap();
        assert!(r.buffer().unwrap().len() >= 256);
    }
    assert!(r.capacity_held() >= 21 * 256);
    assert_eq!(drain(&mut r).0.len(), 20);
    r.buffer().unwrap();
    assert_eq!(r.capacity_held(), first);
}

#[test]
fn when_frames_are_taken_the_read_ahead_keeps_its_first_size() {
    let frames: Vec<Vec<u8>> = (0..40).map(|i| frame(256 + 7 * i, i as u8)).collect();
    let stream = frames.concat();
    // 1001 + 256 is no multiple of the allocation granule: the capacity is rounded up.
    let mut r = reader(1001);
    let first = r.capacity_held();
    let mut rest = &stream[..];
    let mut got = 0;
    while !rest.is_empty() {
        let n = read_once(&mut r, rest, 700).unwrap();
        rest = &rest[n..];
        got += drain(&mut r).0.len();
        assert_eq!(r.capacity_held(), first);
    }
    assert_eq!(got, 40);
}

#[test]
fn a_frame_that_fills_a_read_is_handed_over_without_a_copy() {
    let (big, small) = (frame(60_000, 1), frame(300, 2));
    let mut stream = big.clone();
    stream.extend(&small[..100]);
    let mut r = reader(65536);
    let offered = r.buffer().unwrap().as_ptr().cast::<u8>();
    read_once(&mut r, &stream, usize::MAX).unwrap();
    let got = r.next().unwrap();
    assert_eq!(
        got.as_ptr(),
        offered,
        "the read-ahead buffer became the frame"
    );
    assert_eq!(got.as_slice(), &big[..]);
    // The bytes after it moved to a fresh read-ahead buffer and the stream goes on.
    read_once(&mut r, &small[100..], usize::MAX).unwrap();
    assert_eq!(r.next().unwrap().as_slice(), &small[..]);
    assert_eq!(r.finish(), Ok(()));
}

// --- chunking ---------------------------------------------------------------------------

/// Feeds or reads `stream` in random pieces, taking frames at random moments; returns
/// every frame and the final verdict (the sticky error, or what `finish` says).
fn run_randomly(
    stream: &[u8],
    read_ahead: usize,
    seed: u64,
) -> (Vec<Owned>, Result<(), ReadError>) {
    let mut rng = Rng(seed);
    let mut r = reader(read_ahead);
    let mut frames = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let most = if rng.below(4) == 0 { 3000 } else { 300 };
        let n = 1 + rng.below(most);
        let result = if rng.below(2) == 0 {
            let n = n.min(rest.len());
            r.feed(&rest[..n]).map(|()| n)
        } else {
            read_once(&mut r, rest, n)
        };
        match result {
            Ok(n) => rest = &rest[n..],
            Err(_) => break,
        }
        if rng.below(3) == 0 {
            frames.extend(drain(&mut r).0);
        }
    }
    let (more, end) = drain(&mut r);
    frames.extend(more);
    let verdict = match end {
        ReadError::Incomplete => r.finish(),
        e => Err(e),
    };
    (frames, verdict)
}

#[test]
fn chunking_and_interleaving_do_not_change_frames_or_verdict() {
    let mut bad_seal = sealed(3000, 9);
    bad_seal[99] ^= 1;
    let good: Vec<Vec<u8>> = [300, 2500, 256, 1024, 700, 4000, 256, 256, 1200]
        .iter()
        .enumerate()
        .map(|(i, &size)| frame(size, i as u8))
        .collect();
    let after = frame(256, 0);
    let invalid = ReadError::Invalid {
        error: validate_frame(&bad_seal).unwrap_err(),
        command: 7,
    };
    let too_large = ReadError::FrameTooLarge {
        max_frame: MAX,
        size: 1 << 27,
        command: 5,
    };
    // What follows the good frames, and the verdict.
    let endings = [
        (Vec::new(), Ok(())),
        (frame(600, 1)[..500].to_vec(), Err(ReadError::Truncated)),
        ([&bad_seal[..], &after].concat(), Err(invalid)),
        (
            [header_only(1 << 27, 5), after.clone()].concat(),
            Err(too_large),
        ),
    ];
    let want: Vec<&[u8]> = good.iter().map(Vec::as_slice).collect();
    let seeds = if cfg!(miri) { 2 } else { 40 };
    for (ending, verdict) in &endings {
        let stream = [good.concat(), ending.clone()].concat();
        for read_ahead in [256, 1024] {
            for seed in 1..=seeds {
                let (frames, end) = run_randomly(&stream, read_ahead, seed);
                assert_frames(&frames, &want);
                assert_eq!(end, *verdict, "seed {seed}, read_ahead {read_ahead}");
            }
        }
    }
}

#[test]
fn display_names_the_problem() {
    let too_large = ReadError::FrameTooLarge {
        max_frame: 1000,
        size: 2000,
        command: 7,
    };
    assert_eq!(
        too_large.to_string(),
        "frame size 2000 exceeds max_frame 1000 (command 7)"
    );
    let invalid = ReadError::Invalid {
        error: validate_frame(&header_only(300, 40)).unwrap_err(),
        command: 40,
    };
    assert!(
        invalid
            .to_string()
            .starts_with("invalid frame (command 40): ")
    );
    assert_eq!(
        ReadError::Truncated.to_string(),
        "the stream ended inside a frame"
    );
}

#[test]
fn the_reader_keeps_the_configuration_it_was_made_with() {
    let config = ReaderConfig {
        read_ahead: 4096,
        ..ReaderConfig::default()
    };
    assert_ne!(config, ReaderConfig::default());
    let reader = FrameReader::try_new(config).unwrap();
    assert_eq!(*reader.config(), config);
}

/// Whole frames of `total` bytes in all (`total >= 256`), none longer than 1256 bytes.
fn frames_totalling(mut total: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(total);
    while total > 0 {
        let size = if total >= 1000 + HEADER_SIZE {
            1000
        } else {
            total
        };
        bytes.extend_from_slice(&frame(size, total as u8));
        total -= size;
    }
    bytes
}

/// A reader (read-ahead 1024) whose read-ahead buffer holds whole frames and then the
/// first 100 bytes of a header, with `spare` bytes of its capacity left.
fn reader_in_a_header(spare: usize) -> FrameReader {
    let mut r = reader(1024);
    let held = r.ahead.capacity() - spare;
    let mut bytes = frames_totalling(held - 100);
    bytes.extend_from_slice(&frame(HEADER_SIZE, 9)[..100]);
    r.feed(&bytes).unwrap();
    assert_eq!(r.ahead.len(), held);
    r
}

#[test]
fn inside_a_header_the_offer_is_its_rest_without_growing_when_that_fits() {
    let mut r = reader_in_a_header(HEADER_SIZE - 100);
    let capacity = r.ahead.capacity();
    assert_eq!(r.buffer().unwrap().len(), HEADER_SIZE - 100);
    assert_eq!(
        r.ahead.capacity(),
        capacity,
        "the rest of the header fitted"
    );
}

#[test]
fn inside_a_header_the_offer_holds_at_least_its_rest() {
    let mut r = reader_in_a_header(50);
    assert!(r.buffer().unwrap().len() >= HEADER_SIZE - 100);
}

#[test]
fn a_frame_followed_by_as_many_bytes_is_copied_out_not_handed_over() {
    let mut r = reader(1024);
    let mut bytes = frame(HEADER_SIZE, 1);
    bytes.extend_from_slice(&frame(HEADER_SIZE, 2));
    r.feed(&bytes).unwrap();
    let base = r.ahead.as_ptr();
    let first = r.next().unwrap();
    assert_eq!(first.as_slice(), &bytes[..HEADER_SIZE]);
    assert_ne!(first.as_ptr(), base, "copied out");
    assert_eq!(r.ahead.as_ptr(), base, "the read-ahead buffer stays");
}

#[test]
fn owns_any_stops_at_the_edges_of_the_buffers() {
    let r = reader(256);
    let start = r.ahead.as_ptr().addr();
    let end = start + r.ahead.capacity();
    assert!(r.owns_any(end - 1, 8));
    assert!(!r.owns_any(end, 8), "right after the capacity");
    assert!(r.owns_any(start - 8, 9));
    assert!(!r.owns_any(start - 8, 8), "right before the buffer");
    assert!(!r.owns_any(start, 0), "no bytes");
}

#[test]
fn an_emptied_read_ahead_buffer_of_the_first_size_is_kept() {
    let mut r = reader(1024);
    r.feed(&frame(HEADER_SIZE, 1)).unwrap();
    r.next().unwrap();
    let (base, capacity) = (r.ahead.as_ptr(), r.ahead.capacity());
    assert_eq!(capacity, r.first_capacity);
    assert!(r.buffer().unwrap().len() >= 1024);
    assert_eq!(
        r.ahead.as_ptr(),
        base,
        "no fresh buffer for an empty one of the first size"
    );
}
