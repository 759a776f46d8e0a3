//! The frame reader on streams built from the public golden vectors (`typed` and
//! `inbound`), split every way: the frames, their bytes and the verdict equal those of a
//! reference cut of the whole stream with `validate_frame` / `validate_inbound`, for every
//! chunking, through `feed` and through `buffer`/`commit`. Also what the reader and the
//! writer allocate, and what they do when an allocation fails. Runs natively and under
//! Miri (fewer vectors and chunkings there).
//!
//! A per-thread allocator counts allocations and can make them fail, without being
//! disturbed by tests running on other threads.

mod common;

use iggy_consensus::buf::{Owned, Prefix};
use iggy_consensus::stream::{
    FrameReader, FrameWriter, ReadError, ReaderConfig, Validation, WriterError,
};
use iggy_consensus::wire::validate::{validate_frame, validate_inbound};
use iggy_consensus::wire::{COMMAND_OFFSET, HEADER_SIZE, MAX_MESSAGE_SIZE, read_size_field};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::OnceLock;

// --- a per-thread allocator that counts and can fail ------------------------------------

thread_local! {
    /// Allocations (and reallocations) this thread made.
    static MADE: Cell<usize> = const { Cell::new(0) };
    /// Requests of at least this many bytes fail on this thread.
    static FAIL_FROM: Cell<usize> = const { Cell::new(usize::MAX) };
}

struct PerThread;

/// Whether a request of `size` bytes is to fail; counts it otherwise.
fn refuse(size: usize) -> bool {
    if size >= FAIL_FROM.try_with(Cell::get).unwrap_or(usize::MAX) {
        return true;
    }
    let _ = MADE.try_with(|c| c.set(c.get() + 1));
    false
}

// SAFETY: forwards to `System` or returns null (allowed for any request); the counters
// are const-initialised thread-locals without destructors, which never allocate.
unsafe impl GlobalAlloc for PerThread {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if refuse(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if refuse(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if refuse(new_size) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: PerThread = PerThread;

/// Runs `f`; returns its result and the allocations it made on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = MADE.with(Cell::get);
    let r = f();
    (r, MADE.with(Cell::get) - before)
}

/// Runs `f` with every request of at least `from` bytes failing on this thread.
fn failing_from<R>(from: usize, f: impl FnOnce() -> R) -> R {
    FAIL_FROM.with(|c| c.set(from));
    let r = f();
    FAIL_FROM.with(|c| c.set(usize::MAX));
    r
}

// --- the reference: the whole stream cut in one piece -----------------------------------

/// What a reader must give for `stream`: the frames, then `Ok` (the stream ends between
/// frames) or the verdict on the first frame that stops it. Built only from the
/// validation functions and the rules of c-api.md §10.
fn reference<'s>(stream: &'s [u8], config: &ReaderConfig) -> (Vec<&'s [u8]>, Verdict) {
    let mut frames = Vec::new();
    let mut rest = stream;
    loop {
        if rest.is_empty() {
            return (frames, Ok(()));
        }
        let Some(header) = rest.get(..HEADER_SIZE) else {
            return (frames, Err(ReadError::Truncated));
        };
        let command = header[COMMAND_OFFSET];
        let size = read_size_field(header).unwrap();
        // A header with an undefined command or a size below 256 gets what
        // `validate_frame` says of those 256 bytes alone, in every mode.
        if command > 29 || (size as usize) < HEADER_SIZE {
            let error = validate_frame(header).unwrap_err();
            return (frames, Err(ReadError::Invalid { error, command }));
        }
        if size as usize > config.max_frame {
            let max_frame = config.max_frame;
            let error = ReadError::FrameTooLarge {
                max_frame,
                size,
                command,
            };
            return (frames, Err(error));
        }
        let Some(frame) = rest.get(..size as usize) else {
            return (frames, Err(ReadError::Truncated));
        };
        let verdict = match config.validation {
            Validation::Frame => validate_frame(frame).map(drop),
            Validation::Inbound => validate_inbound(frame).map(drop),
            Validation::None => Ok(()),
        };
        if let Err(error) = verdict {
            return (frames, Err(ReadError::Invalid { error, command }));
        }
        frames.push(frame);
        rest = &rest[size as usize..];
    }
}

/// How a stream ended: `Ok` between frames, else the error.
type Verdict = Result<(), ReadError>;

// --- driving a reader -------------------------------------------------------------------

/// How the stream is split: a fixed piece size, or seeded random sizes.
#[derive(Clone, Copy, Debug)]
enum Chunks {
    Fixed(usize),
    Random(u64),
}

/// Piece sizes for a [`Chunks`] (a xorshift64 PRNG for the random ones: 1..=5000, half
/// of them below 300).
struct Pieces {
    chunks: Chunks,
    state: u64,
}

impl Pieces {
    fn new(chunks: Chunks) -> Self {
        let state = match chunks {
            Chunks::Fixed(_) => 0,
            Chunks::Random(seed) => seed | 1,
        };
        Self { chunks, state }
    }

    fn next(&mut self) -> usize {
        match self.chunks {
            Chunks::Fixed(n) => n,
            Chunks::Random(_) => {
                self.state ^= self.state << 13;
                self.state ^= self.state >> 7;
                self.state ^= self.state << 17;
                let most = if self.state & 1 == 0 { 300 } else { 5000 };
                1 + (self.state >> 1) as usize % most
            }
        }
    }
}

/// Which calls bring the bytes in.
#[derive(Clone, Copy, Debug)]
enum Api {
    /// `feed`, taking frames only at the end.
    Feed,
    /// `buffer` and `commit`, taking frames after every read.
    Read,
}

/// Runs `stream` through a reader; returns the frames `next` gave and the verdict (the
/// sticky error, or what `finish` says).
fn run(stream: &[u8], config: ReaderConfig, chunks: Chunks, api: Api) -> (Vec<Owned>, Verdict) {
    let mut reader = FrameReader::try_new(config).unwrap();
    let mut pieces = Pieces::new(chunks);
    let mut frames = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let want = pieces.next().min(rest.len());
        let taken = match api {
            Api::Feed => reader.feed(&rest[..want]).map(|()| want),
            Api::Read => read_once(&mut reader, &rest[..want]),
        };
        match taken {
            Ok(n) => rest = &rest[n..],
            Err(_) => break,
        }
        if let Api::Read = api {
            frames.extend(drain(&mut reader).0);
        }
    }
    let (more, end) = drain(&mut reader);
    frames.extend(more);
    let verdict = match end {
        ReadError::Incomplete => reader.finish(),
        error => {
            assert_eq!(
                reader.finish(),
                Err(error),
                "finish repeats the sticky error"
            );
            Err(error)
        }
    };
    (frames, verdict)
}

/// One read of at most `bytes.len()` bytes through `buffer` and `commit`.
fn read_once(reader: &mut FrameReader, bytes: &[u8]) -> Result<usize, ReadError> {
    let spare = reader.buffer()?;
    let n = spare.len().min(bytes.len());
    // SAFETY: `spare` has room for `n` bytes, and a shared slice cannot overlap it. (One
    // copy, not a byte loop: that is slow under Miri.)
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), spare.as_mut_ptr().cast(), n) };
    // SAFETY: the first `n` bytes of the offer were just written.
    unsafe { reader.commit(n) }?;
    Ok(n)
}

#[path = "common/drain.rs"]
mod drain;
use drain::drain;

/// The chunkings every stream goes through (fewer under Miri).
/// Under Miri (about 1000 times slower) one random chunking: Miri is there for the
/// memory accesses, which every chunking exercises alike.
fn chunkings() -> Vec<Chunks> {
    if cfg!(miri) {
        return vec![Chunks::Random(7)];
    }
    let mut all: Vec<Chunks> = [1, 7, 255, 256, 257, 4096, 65536]
        .into_iter()
        .map(Chunks::Fixed)
        .collect();
    all.extend((1..=3).map(Chunks::Random));
    all
}

/// Checks `stream` under `config` against the reference, for each of `chunkings` and
/// both APIs; returns how many frames it holds.
fn check_stream(stream: &[u8], config: ReaderConfig, chunkings: &[Chunks], what: &str) -> usize {
    let (want, verdict) = reference(stream, &config);
    for &chunks in chunkings {
        for api in [Api::Feed, Api::Read] {
            let (got, end) = run(stream, config, chunks, api);
            let at = format!("{what}, {chunks:?}, {api:?}, {config:?}");
            assert_eq!(got.len(), want.len(), "frame count: {at}");
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(g.as_slice(), *w, "frame {i}: {at}");
                assert_eq!(g.as_ptr().addr() % 4096, 0, "frame {i} alignment: {at}");
            }
            assert_eq!(end, verdict, "verdict: {at}");
        }
    }
    want.len()
}

// --- streams from the vectors -----------------------------------------------------------

/// The inputs of every `typed` and `inbound` vector, loaded once for all the tests.
/// Under Miri, where loading dominates, only the `typed` ones (the `inbound` vectors
/// mostly repeat their inputs).
fn vector_inputs() -> &'static [(String, Vec<u8>)] {
    static INPUTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let kinds: &[&str] = if cfg!(miri) {
            &["typed"]
        } else {
            &["typed", "inbound"]
        };
        kinds
            .iter()
            .flat_map(|kind| common::vectors(kind))
            .map(|v| (v.id, v.bytes))
            .collect()
    })
}

/// The input cut to exactly `size` bytes, when it holds a whole frame with a defined
/// command (the vectors may carry bytes after `size`).
fn cut(bytes: &[u8]) -> Option<&[u8]> {
    let size = read_size_field(bytes.get(..HEADER_SIZE)?)? as usize;
    let defined = bytes[COMMAND_OFFSET] <= 29;
    (defined && size >= HEADER_SIZE).then(|| bytes.get(..size))?
}

/// Every vector's whole frame that passes `validation`, in file order.
fn good_frames(inputs: &[(String, Vec<u8>)], validation: Validation) -> Vec<Vec<u8>> {
    inputs
        .iter()
        .filter_map(|(_, bytes)| cut(bytes))
        .filter(|frame| match validation {
            Validation::Frame => validate_frame(frame).is_ok(),
            Validation::Inbound => validate_inbound(frame).is_ok(),
            Validation::None => true,
        })
        .map(<[u8]>::to_vec)
        .collect()
}

fn config(read_ahead: usize, validation: Validation) -> ReaderConfig {
    ReaderConfig {
        read_ahead,
        validation,
        ..ReaderConfig::default()
    }
}

/// `check: name => Mode, ...`: one `#[test]` per name, running `check(Validation::Mode)`.
macro_rules! tests_per_validation {
    ($check:ident: $($name:ident => $mode:ident,)*) => {
        $(
            #[test]
            fn $name() {
                $check(Validation::$mode);
            }
        )*
    };
}

/// Read-ahead sizes: the smallest (most vectors then have a body longer than it, read
/// in place) and the default.
const READ_AHEADS: [usize; 2] = [256, 65536];

fn all_good_frames_in_one_stream(validation: Validation) {
    let inputs = vector_inputs();
    let good = good_frames(inputs, validation);
    let least = if cfg!(miri) { 2 } else { 10 };
    assert!(
        good.len() >= least,
        "{validation:?}: only {} frames",
        good.len()
    );
    let stream = good.concat();
    for read_ahead in READ_AHEADS {
        let config = config(read_ahead, validation);
        let n = check_stream(&stream, config, &chunkings(), "all good frames");
        assert_eq!(n, good.len());
    }
}

tests_per_validation! {
    all_good_frames_in_one_stream:
    every_good_vector_frame_in_one_stream_comes_out_whole_whole_frame_check => Frame,
    every_good_vector_frame_in_one_stream_comes_out_whole_inbound_check => Inbound,
    every_whole_vector_frame_passes_framing_checks_only => None,
}

/// Two good frames, then the vector's input: its frame cut to `size` and one more good
/// frame after it when it holds a whole frame, else the input as it is (the stream ends
/// in it). The reference gives the verdict: the vector's error, `Truncated`, or `Ok`.
/// Under Miri every 4th vector of the thinned set, with one read-ahead size each.
fn streams_ending_in_each_vector(validation: Validation) {
    let inputs = vector_inputs();
    let good = good_frames(inputs, validation);
    assert!(
        good.len() >= 3,
        "{validation:?}: only {} frames",
        good.len()
    );
    let (before, after) = (good[..2].concat(), &good[2]);
    let mut verdicts = [0; 3]; // ok, truncated, other errors
    let step = if cfg!(miri) { 4 } else { 1 };
    // One byte at a time is most of the run time: with the default read-ahead it runs
    // on the stream of all good frames, here with the smallest (large frames) only.
    let all = chunkings();
    let fewer: Vec<Chunks> = all
        .iter()
        .copied()
        .filter(|c| !matches!(c, Chunks::Fixed(1)))
        .collect();
    for (i, (id, bytes)) in inputs.iter().enumerate().step_by(step) {
        let stream = match cut(bytes) {
            Some(frame) => [&before[..], frame, after].concat(),
            None => [&before[..], bytes].concat(),
        };
        let read_aheads = if cfg!(miri) {
            &READ_AHEADS[i / step % 2..][..1]
        } else {
            &READ_AHEADS[..]
        };
        for &read_ahead in read_aheads {
            let chunkings = if read_ahead == 256 { &all } else { &fewer };
            let config = config(read_ahead, validation);
            check_stream(&stream, config, chunkings, id);
            verdicts[match reference(&stream, &config).1 {
                Ok(()) => 0,
                Err(ReadError::Truncated) => 1,
                Err(_) => 2,
            }] += 1;
        }
    }
    // Every kind of ending was met (the thinned set under Miri may miss one).
    assert!(
        cfg!(miri) || verdicts.iter().all(|&n| n > 0),
        "{validation:?}: {verdicts:?}"
    );
}

tests_per_validation! {
    streams_ending_in_each_vector:
    a_stream_ending_in_each_vector_gives_the_whole_frame_verdict => Frame,
    a_stream_ending_in_each_vector_gives_the_inbound_verdict => Inbound,
}

// --- allocation -------------------------------------------------------------------------

/// A valid frame of `size` bytes: a Ping (command 1: no typed header, no seal, cheap to
/// check under Miri) whose other bytes are `tag`.
fn frame(size: usize, tag: u8) -> Vec<u8> {
    let mut f = vec![tag; size];
    f[..HEADER_SIZE].fill(0);
    f[48..52].copy_from_slice(&(size as u32).to_le_bytes());
    f[COMMAND_OFFSET] = 1;
    f[64] = tag;
    f
}

fn reader(read_ahead: usize) -> FrameReader {
    FrameReader::try_new(config(read_ahead, Validation::Frame)).unwrap()
}

#[test]
fn a_1_gib_size_is_too_large_after_exactly_256_bytes_and_allocates_nothing() {
    let mut header = frame(256, 0);
    header[48..52].copy_from_slice(&(1u32 << 30).to_le_bytes());
    let error = ReadError::FrameTooLarge {
        max_frame: MAX_MESSAGE_SIZE as usize,
        size: 1 << 30,
        command: 1,
    };
    for api in [Api::Feed, Api::Read] {
        let mut r = reader(65536);
        let mut each = Vec::with_capacity(256);
        let ((buffer, finish), made) = allocations(|| {
            for &b in &header {
                each.push(match api {
                    Api::Feed => r.feed(&[b]),
                    Api::Read => read_once(&mut r, &[b]).map(drop),
                });
            }
            (r.buffer().map(drop), r.finish())
        });
        assert!(each[..255].iter().all(Result::is_ok), "{api:?}");
        assert_eq!(each[255], Err(error), "{api:?}: the 256th byte");
        assert_eq!((buffer, finish), (Err(error), Err(error)));
        assert_eq!(made, 0, "{api:?}: allocated for a hostile size");
    }
}

#[test]
fn reading_small_frames_allocates_exactly_one_buffer_per_frame() {
    let frames: Vec<Vec<u8>> = (0..50).map(|i| frame(256 + 13 * i, i as u8)).collect();
    let stream = frames.concat();
    let mut r = reader(1000);
    let ((), made) = allocations(|| {
        let mut rest = &stream[..];
        let mut got = 0;
        while !rest.is_empty() {
            let n = read_once(&mut r, &rest[..rest.len().min(900)]).unwrap();
            rest = &rest[n..];
            while let Ok(frame) = r.next() {
                assert_eq!(frame.as_slice(), frames[got]);
                got += 1;
            }
        }
        assert_eq!(got, 50);
    });
    assert_eq!(made, 50);
}

#[test]
fn a_large_frame_costs_one_allocation_and_next_hands_it_over() {
    let f = frame(100_000, 3);
    let mut r = reader(4096);
    let (got, made) = allocations(|| {
        let mut rest = &f[..];
        while !rest.is_empty() {
            let n = read_once(&mut r, &rest[..rest.len().min(10_000)]).unwrap();
            rest = &rest[n..];
        }
        r.next().unwrap()
    });
    assert_eq!(got.as_slice(), f);
    assert_eq!(made, 1);
}

// --- allocation failure -----------------------------------------------------------------

#[test]
fn try_new_reports_out_of_memory() {
    let result = failing_from(1, || {
        FrameReader::try_new(ReaderConfig::default()).map(drop)
    });
    assert_eq!(result, Err(ReadError::OutOfMemory));
}

#[test]
fn buffer_failing_to_open_a_large_frame_changes_nothing() {
    let (a, big) = (frame(300, 1), frame(50_000, 2));
    let stream = [&a[..], &big].concat();
    let mut r = reader(256);
    r.feed(&stream[..300 + 256]).unwrap();
    let result = failing_from(40_000, || r.buffer().map(drop));
    assert_eq!(result, Err(ReadError::OutOfMemory));
    assert_eq!(r.finish(), Err(ReadError::Truncated));
    // SAFETY: refused before anything is read (the failed buffer made no offer).
    assert_eq!(unsafe { r.commit(1) }, Err(ReadError::OutOfRange));
    let mut rest = &stream[556..];
    while !rest.is_empty() {
        rest = &rest[read_once(&mut r, rest).unwrap()..];
    }
    let (frames, end) = drain(&mut r);
    assert_eq!(end, ReadError::Incomplete);
    assert_eq!(frames.len(), 2);
    assert_eq!(
        (frames[0].as_slice(), frames[1].as_slice()),
        (&a[..], &big[..])
    );
}

#[test]
fn next_failing_to_copy_a_frame_keeps_it_for_the_next_call() {
    let (a, b) = (frame(300, 1), frame(400, 2));
    let mut r = reader(65536);
    r.feed(&[&a[..], &b].concat()).unwrap();
    let result = failing_from(1, || r.next().map(drop));
    assert_eq!(result, Err(ReadError::OutOfMemory));
    assert_eq!(r.next().unwrap().as_slice(), a);
    assert_eq!(r.next().unwrap().as_slice(), b);
}

#[test]
fn feed_failing_takes_nothing_so_feeding_again_gives_each_frame_once() {
    let frames: Vec<Vec<u8>> = [300, 5000, 700, 20_000, 256]
        .iter()
        .enumerate()
        .map(|(i, &size)| frame(size, i as u8))
        .collect();
    let stream = frames.concat();
    // Each cut point needs an allocation: growth of the read-ahead, or a frame's own
    // buffer. Every one fails once, then succeeds.
    for read_ahead in [256, 1000] {
        for cut in [100, 300, 1000, 5300, 5400, 6100, 20_000, stream.len()] {
            let mut r = reader(read_ahead);
            let mut rest = &stream[..];
            for piece in [&stream[..cut], &stream[cut..]] {
                if piece.is_empty() {
                    continue;
                }
                let failed = failing_from(512, || r.feed(piece));
                if failed.is_ok() {
                    rest = &rest[piece.len()..];
                    continue;
                }
                assert_eq!(failed, Err(ReadError::OutOfMemory));
                r.feed(piece).unwrap();
                rest = &rest[piece.len()..];
            }
            assert!(rest.is_empty());
            let (got, end) = drain(&mut r);
            assert_eq!(end, ReadError::Incomplete, "cut {cut}");
            let want: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
            let got: Vec<&[u8]> = got.iter().map(Owned::as_slice).collect();
            assert_eq!(got, want, "cut {cut}, read_ahead {read_ahead}");
            assert_eq!(r.finish(), Ok(()));
        }
    }
}

#[test]
fn feed_of_a_whole_stream_fails_once_then_succeeds_unchanged() {
    let stream = [frame(300, 1), frame(3000, 2), frame(256, 3)].concat();
    let mut r = reader(256);
    assert_eq!(
        failing_from(1, || r.feed(&stream)),
        Err(ReadError::OutOfMemory)
    );
    assert_eq!(r.finish(), Ok(()), "nothing was taken");
    r.feed(&stream).unwrap();
    assert_eq!(drain(&mut r).0.len(), 3);
}

#[test]
fn buffer_failing_to_grow_past_untaken_frames_changes_nothing() {
    let f = frame(256, 1);
    let mut r = reader(256);
    let mut fed = 0;
    let failed = loop {
        match failing_from(1, || r.buffer().map(|s| s.len())) {
            Ok(room) if room >= 256 => {
                read_once(&mut r, &f).unwrap();
                fed += 1;
            }
            other => break other,
        }
    };
    assert_eq!(failed, Err(ReadError::OutOfMemory));
    assert!(fed >= 1);
    let (frames, end) = drain(&mut r);
    assert_eq!((frames.len(), end), (fed, ReadError::Incomplete));
    assert!(failing_from(1, || r.buffer().map(|s| s.len() >= 256)).unwrap());
}

#[test]
fn writer_push_failing_hands_the_frame_back() {
    let mut w = FrameWriter::try_new(0, 0).unwrap();
    let f = Owned::copy_from_slice(b"frame").freeze();
    let (error, back) = failing_from(1, || w.try_push(f)).unwrap_err();
    assert_eq!(error, WriterError::OutOfMemory);
    assert_eq!(back.as_slice(), b"frame");
    assert_eq!((w.pending_frames(), w.pending_bytes()), (0, 0));
    w.try_push(back).unwrap();
    assert_eq!(w.pending_bytes(), 5);
}

#[test]
fn the_writer_never_copies_and_only_its_queue_allocates() {
    let frames: Vec<_> = (0..10u8)
        .map(|i| {
            let (prefix, tail) = Owned::copy_from_slice(&[b'#', i, i, i]).split_at(1);
            (prefix, tail)
        })
        .collect();
    let mut w = FrameWriter::try_new(16, 0).unwrap();
    let ((), made) = allocations(|| {
        for (_, tail) in &frames {
            w.try_push(tail.clone()).unwrap();
        }
    });
    assert!(made <= 3, "queue growth only: {made}");
    let ((), made) = allocations(|| {
        let mut out = [std::io::IoSlice::new(&[]); 16];
        assert_eq!(w.io_slices(&mut out), 10);
        for (s, (_, tail)) in out.iter().zip(&frames) {
            assert_eq!(s.as_ptr(), tail.as_ptr());
        }
        w.advance(30).unwrap();
    });
    assert_eq!(made, 0);
    let released = |(p, t): &(Prefix, _)| p.can_coalesce_with(t);
    assert!(frames.iter().all(released));
}
