//! The `stream` check: arbitrary bytes cut into arbitrary chunks and pushed through the
//! frame reader, and a script of pushes, iovecs and partial sends through the frame
//! writer, each against a plain model (docs/c-api.md, "Streams").
//!
//! The input: two configuration bytes (the reader's validation, `read_ahead` and
//! `max_frame`), two for the writer's limits, one for the length of the script, the
//! script, and the rest is the stream. Each script byte is a chunk length plus two
//! flags (take the frames after this chunk; a misuse probe or, through the C layer,
//! `feed` instead of `buffer`/`commit`); the script repeats until the stream is used.
//!
//! **Reader model.** The stream is cut into frames as the wire format says: a 256-byte
//! header with `size` at byte 48, then `size - 256` body bytes. A header with a command
//! byte above 29 or a `size` below 256 is bad with the error `validate_frame` gives for
//! those 256 bytes, as soon as they are held; then `size > max_frame` is
//! `FrameTooLarge`; then each whole frame gets the configured validation
//! (`validate_frame`, `validate_inbound`, or none). The first bad frame ends the model.
//!
//! The same stream goes through six readers: `feed` in the script's chunks,
//! `buffer`/`commit` in the script's chunks (cut to each offer), one `feed` of all of
//! it, `buffer`/`commit` of whole offers with no frame taken until the end, one byte
//! per `feed` (short streams), and the C layer mixing `iggy_reader_feed` and
//! `iggy_reader_buffer`/`_commit`. One byte per `feed` costs a call per byte, more than
//! the five others together: the fuzz target ([`check`]) takes it for one input in
//! [`BYTEWISE_EVERY`], chosen by a hash of the input ([`bytewise_for`]), so it holds per
//! run on those and over the runs on every kind of stream (and a script of `0x00`
//! bytes feeds one byte at a time in the first reader on any run); [`check_every_way`]
//! takes it on every short stream (the regression tests). For each reader, exactly:
//! * every call returns `Ok` until the one that delivers the byte at which the model
//!   finds the bad frame, which returns its error; from then on every `buffer`,
//!   `commit`, `feed` and `finish` returns that same error (sticky);
//! * `next` returns the model's frames whose last byte was delivered, in order,
//!   byte-identical, 4096-aligned, then `Incomplete` (or, once failed, the error);
//! * `finish` at the end is `Ok` exactly when the stream ends on a frame boundary;
//! * `buffer` offers at least `read_ahead` bytes between frames, never past the end of
//!   a large frame whose header is held, and that large frame comes back from `next`
//!   in the very buffer the offer pointed into (read in place, not copied);
//! * misuse (`commit(0)`, beyond the offer, without an offer) is `OutOfRange` and
//!   changes nothing;
//! * everything the reader allocated is freed with it and its frames.
//!
//! **Writer model.** A queue of byte ranges of the stream and the bytes of the first
//! already sent. Pushes are refused with `QueueFull` (frame handed back unchanged)
//! exactly when the model says; iovecs are the model's unsent bytes, one per frame;
//! `advance` past the pending bytes is `OutOfRange`; frames sent whole are released (the
//! live buffer count equals the queued frames); draining sends exactly the bytes of
//! the accepted frames, in order.

use crate::alloc_count::Stats;
use iggy_consensus::buf::Owned;
use iggy_consensus::ffi::*;
use iggy_consensus::status::Status;
use iggy_consensus::stream::{
    FrameReader, FrameWriter, ReadError, ReaderConfig, Validation, WriterError,
};
use iggy_consensus::wire::validate::{validate_frame, validate_inbound};
use iggy_consensus::wire::{HEADER_SIZE, MAX_MESSAGE_SIZE};
use std::collections::VecDeque;
use std::io::IoSlice;
use std::mem::MaybeUninit;

const SIZE_AT: usize = 48;
const COMMAND_AT: usize = 60;
const MAX: usize = MAX_MESSAGE_SIZE as usize;

/// `read_ahead` choices: small ones make most frames "large" (read in place).
const READ_AHEADS: [usize; 6] = [256, 257, 300, 1024, 4096, 65536];
/// `max_frame` choices, mostly the default.
const MAX_FRAMES: [usize; 8] = [MAX, MAX, MAX, 65536, 4096, 1024, 300, 256];
/// Streams up to this long also go in one byte per `feed` (see [`bytewise_for`]).
const BYTEWISE_MAX: usize = 2048;
/// The fuzz target feeds one byte at a time for one input in this many.
pub const BYTEWISE_EVERY: usize = 4;
/// Writer operations per input at most.
const WRITER_OPS: usize = 64;

/// One input, parsed.
pub struct Case<'a> {
    pub config: ReaderConfig,
    /// `(max_frames, max_bytes)` for `FrameWriter::try_new` (0 is the default).
    pub writer_limits: (usize, usize),
    pub script: &'a [u8],
    pub stream: &'a [u8],
}

impl<'a> Case<'a> {
    pub fn parse(data: &'a [u8]) -> Self {
        let byte = |i: usize| data.get(i).copied().unwrap_or(0);
        let validation = match byte(0) % 3 {
            0 => Validation::Frame,
            1 => Validation::Inbound,
            _ => Validation::None,
        };
        let config = ReaderConfig {
            max_frame: MAX_FRAMES[usize::from(byte(1)) % MAX_FRAMES.len()],
            read_ahead: READ_AHEADS[usize::from(byte(0) / 3) % READ_AHEADS.len()],
            validation,
        };
        let writer_limits = (usize::from(byte(2) % 9), usize::from(byte(3)) * 97);
        let rest = data.get(5..).unwrap_or_default();
        let (script, stream) = rest.split_at(usize::from(byte(4)).min(rest.len()));
        Case {
            config,
            writer_limits,
            script,
            stream,
        }
    }
}

/// What every reader must do with the stream.
#[derive(Debug)]
pub struct Expect {
    /// The good frames, in order, as `(start, size)`.
    pub frames: Vec<(usize, usize)>,
    /// The bad frame: the stream offset at which it is found (its header's end, or its
    /// end), and the error.
    pub failure: Option<(usize, ReadError)>,
    /// Without a failure: the bytes after the last good frame.
    pub tail: usize,
}

/// The model: frames cut from the whole stream and checked one by one.
pub fn model(stream: &[u8], config: &ReaderConfig) -> Expect {
    let mut frames = Vec::new();
    let mut pos = 0;
    let failure = loop {
        let rest = &stream[pos..];
        let Some(header) = rest.get(..HEADER_SIZE) else {
            break None;
        };
        let command = header[COMMAND_AT];
        let size = u32::from_le_bytes(header[SIZE_AT..SIZE_AT + 4].try_into().unwrap());
        let size = size as usize;
        if command > 29 || size < HEADER_SIZE {
            let error = validate_frame(header).expect_err("a bad command or size floor");
            break Some((pos + HEADER_SIZE, ReadError::Invalid { error, command }));
        }
        if size > config.max_frame {
            let error = ReadError::FrameTooLarge {
                max_frame: config.max_frame,
                size: size as u32,
                command,
            };
            break Some((pos + HEADER_SIZE, error));
        }
        let Some(frame) = rest.get(..size) else {
            break None;
        };
        let verdict = match config.validation {
            Validation::Frame => validate_frame(frame).map(drop),
            Validation::Inbound => validate_inbound(frame).map(drop),
            Validation::None => Ok(()),
        };
        if let Err(error) = verdict {
            // The C layer's verdict on the same frame agrees.
            let c = crate::frame_check::validate(frame);
            if config.validation == Validation::Frame {
                assert_eq!(c.status, error.error.status().0, "iggy_frame_validate");
            }
            break Some((pos + size, ReadError::Invalid { error, command }));
        }
        frames.push((pos, size));
        pos += size;
    };
    let tail = if failure.is_some() {
        0
    } else {
        stream.len() - pos
    };
    Expect {
        frames,
        failure,
        tail,
    }
}

/// A chunk length from a script byte (its low six bits), at most `rest`, at least 1.
fn chunk(b: u8, rest: usize) -> usize {
    let n = match b & 0x3f {
        x @ 0..=39 => usize::from(x) + 1,
        40 => 255,
        41 => 256,
        42 => 257,
        43 => 511,
        44 => 4095,
        45 => 4096,
        46 => 4097,
        47 => 65536,
        x @ 48..=55 => usize::from(x - 47) * 100,
        _ => rest,
    };
    n.clamp(1, rest.max(1))
}

/// Take the frames after this chunk.
const DRAIN: u8 = 0x40;
/// A misuse probe first (Rust `buffer`/`commit`), or `feed` (the C layer).
const ALT: u8 = 0x80;

/// Follows one reader through the stream against the model.
struct Tracker<'a> {
    stream: &'a [u8],
    expect: &'a Expect,
    config: ReaderConfig,
    what: &'static str,
    /// Stream bytes delivered.
    consumed: usize,
    /// Frames taken with `next`.
    taken: usize,
    failed: bool,
    /// For each model frame, an address a `buffer` offer had inside its body.
    offered_in: Vec<Option<usize>>,
}

impl<'a> Tracker<'a> {
    fn new(stream: &'a [u8], expect: &'a Expect, config: ReaderConfig, what: &'static str) -> Self {
        Self {
            stream,
            expect,
            config,
            what,
            consumed: 0,
            taken: 0,
            failed: false,
            offered_in: vec![None; expect.frames.len()],
        }
    }

    fn error(&self) -> ReadError {
        self.expect
            .failure
            .expect("failed without a model failure")
            .1
    }

    /// Whether the stream is used up (or the reader failed): stop delivering.
    fn done(&self) -> bool {
        self.failed || self.consumed == self.stream.len()
    }

    /// A call delivered the next `n` bytes and returned `got`.
    fn delivered(&mut self, n: usize, got: Result<(), ReadError>) {
        assert!(!self.failed);
        let end = self.consumed + n;
        match self.expect.failure {
            Some((at, error)) if at <= end => {
                assert_eq!(
                    got,
                    Err(error),
                    "{}: the call delivering [{}, {end}) must fail (bad frame found at {at})",
                    self.what,
                    self.consumed
                );
                self.failed = true;
            }
            _ => assert_eq!(
                got,
                Ok(()),
                "{}: delivering [{}, {end})",
                self.what,
                self.consumed
            ),
        }
        self.consumed = end;
    }

    /// Model frames whose last byte was delivered.
    fn available(&self) -> usize {
        self.expect
            .frames
            .iter()
            .take_while(|(start, size)| start + size <= self.consumed)
            .count()
    }

    /// What `next` must return now: `Ok(index)` of the model frame, or the error.
    fn next_expected(&self) -> Result<usize, ReadError> {
        if self.taken < self.available() {
            Ok(self.taken)
        } else if self.failed {
            Err(self.error())
        } else {
            Err(ReadError::Incomplete)
        }
    }

    /// Checks the frame `next` returned as model frame `k`.
    fn check_frame(&mut self, k: usize, bytes: &[u8], addr: usize) {
        let (start, size) = self.expect.frames[k];
        assert_eq!(bytes.len(), size, "{}: frame {k}: length", self.what);
        assert!(
            bytes == &self.stream[start..start + size],
            "{}: frame {k}: bytes differ from the stream",
            self.what
        );
        assert_eq!(addr % 4096, 0, "{}: frame {k} not 4096-aligned", self.what);
        if let Some(offered) = self.offered_in[k] {
            assert!(
                (addr..addr + size).contains(&offered),
                "{}: large frame {k} was not read in place",
                self.what
            );
        }
        self.taken += 1;
    }

    /// Checks an offer of `len` bytes at `addr` made now.
    fn check_offer(&mut self, addr: usize, len: usize) {
        assert!(len >= 1, "{}: an empty offer", self.what);
        let at = self.consumed;
        let frame = self
            .expect
            .frames
            .iter()
            .position(|&(start, size)| start <= at && at < start + size);
        let boundary = match frame {
            Some(k) => self.expect.frames[k].0 == at,
            // Past the good frames: a boundary when it is where the next frame starts.
            None => {
                let next = self.expect.frames.last().map_or(0, |&(s, z)| s + z);
                next == at
            }
        };
        if boundary {
            assert!(
                len >= self.config.read_ahead,
                "{}: between frames, an offer of {len} < read_ahead {}",
                self.what,
                self.config.read_ahead
            );
        }
        if let Some(k) = frame {
            let (start, size) = self.expect.frames[k];
            let large = size - HEADER_SIZE > self.config.read_ahead;
            if large && at >= start + HEADER_SIZE {
                assert!(
                    len <= start + size - at,
                    "{}: an offer past the end of large frame {k}",
                    self.what
                );
                self.offered_in[k].get_or_insert(addr);
            }
        }
    }
}

/// The Rust reader, driven one of several ways.
fn rust_reader(case: &Case<'_>, expect: &Expect, mode: Mode) {
    let what = mode.name();
    let mut reader = FrameReader::try_new(case.config).expect("a valid configuration");
    let mut t = Tracker::new(case.stream, expect, case.config, what);
    let mut script = case.script.iter().copied().cycle();
    let mut frames = Vec::new();
    while !t.done() {
        let rest = case.stream.len() - t.consumed;
        let b = match mode {
            Mode::Whole | Mode::WholeOffers => 0x3f,
            Mode::Bytewise => 0,
            _ => script.next().unwrap_or(0x3f),
        };
        let want = chunk(b, rest);
        if mode.feeds() {
            let got = reader.feed(&case.stream[t.consumed..t.consumed + want]);
            t.delivered(want, got);
        } else {
            if b & ALT != 0 {
                probe_commit(&mut reader, &t);
            }
            let spare = reader.buffer().expect("buffer before failing");
            t.check_offer(spare.as_ptr().addr(), spare.len());
            let n = want.min(spare.len());
            write_into(spare, &case.stream[t.consumed..t.consumed + n]);
            // SAFETY: the first `n` bytes of the offer were just written.
            let got = unsafe { reader.commit(n) };
            t.delivered(n, got);
            if !t.failed && b & ALT != 0 {
                // The offer is used up.
                // SAFETY: refused before anything is read.
                assert_eq!(unsafe { reader.commit(1) }, Err(ReadError::OutOfRange));
            }
        }
        if b & DRAIN != 0 && mode != Mode::WholeOffers {
            drain(&mut reader, &mut t, &mut frames);
        }
    }
    finish(&mut reader, &mut t, &mut frames);
}

/// `commit` without an offer, then of 0 and of more than offered: `OutOfRange`, nothing
/// changed (the tracker's later checks see it).
fn probe_commit(reader: &mut FrameReader, t: &Tracker<'_>) {
    // SAFETY: each is refused before anything is read.
    unsafe {
        assert_eq!(reader.commit(1), Err(ReadError::OutOfRange), "{}", t.what);
        let len = reader.buffer().expect("buffer").len();
        assert_eq!(reader.commit(0), Err(ReadError::OutOfRange), "{}", t.what);
        assert_eq!(
            reader.commit(len + 1),
            Err(ReadError::OutOfRange),
            "{}",
            t.what
        );
    }
}

fn write_into(spare: &mut [MaybeUninit<u8>], bytes: &[u8]) {
    assert!(bytes.len() <= spare.len());
    // SAFETY: `spare` has room for `bytes`; a shared slice cannot overlap it.
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), spare.as_mut_ptr().cast(), bytes.len())
    };
}

/// Takes frames until `next` says there is none, checking each.
fn drain(reader: &mut FrameReader, t: &mut Tracker<'_>, frames: &mut Vec<Owned>) {
    loop {
        let want = t.next_expected();
        match (reader.next(), want) {
            (Ok(frame), Ok(k)) => {
                t.check_frame(k, frame.as_slice(), frame.as_ptr().addr());
                // Keep a few, so later frames are cut while earlier ones live.
                if frames.len() < 4 {
                    frames.push(frame);
                }
            }
            (got, want) => {
                assert_eq!(
                    got.err(),
                    want.err(),
                    "{}: next after {} frames",
                    t.what,
                    t.taken
                );
                return;
            }
        }
    }
}

/// The end of the stream: every frame, then the verdict, sticky.
fn finish(reader: &mut FrameReader, t: &mut Tracker<'_>, frames: &mut Vec<Owned>) {
    drain(reader, t, frames);
    assert_eq!(t.taken, t.expect.frames.len(), "{}: frames taken", t.what);
    if t.failed {
        let error = t.error();
        assert_eq!(reader.next().err(), Some(error), "{}: sticky next", t.what);
        assert_eq!(reader.finish(), Err(error), "{}: sticky finish", t.what);
        assert_eq!(reader.feed(&[0]), Err(error), "{}: sticky feed", t.what);
        assert_eq!(
            reader.buffer().err(),
            Some(error),
            "{}: sticky buffer",
            t.what
        );
        // SAFETY: refused before anything is read.
        let commit = unsafe { reader.commit(1) };
        assert_eq!(commit, Err(error), "{}: sticky commit", t.what);
    } else {
        let want = if t.expect.tail == 0 {
            Ok(())
        } else {
            Err(ReadError::Truncated)
        };
        assert_eq!(reader.finish(), want, "{}: finish", t.what);
        assert_eq!(reader.next().err(), Some(ReadError::Incomplete));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `feed` in the script's chunks.
    Feed,
    /// `buffer`/`commit` in the script's chunks.
    Commit,
    /// One `feed` of everything.
    Whole,
    /// `buffer`/`commit` of whole offers, frames taken only at the end.
    WholeOffers,
    /// One byte per `feed`.
    Bytewise,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Feed => "feed, script chunks",
            Mode::Commit => "buffer/commit, script chunks",
            Mode::Whole => "one feed",
            Mode::WholeOffers => "buffer/commit, whole offers",
            Mode::Bytewise => "one byte per feed",
        }
    }
    fn feeds(self) -> bool {
        matches!(self, Mode::Feed | Mode::Whole | Mode::Bytewise)
    }
}

/// The C layer: `iggy_reader_feed` or `iggy_reader_buffer`/`_commit` per script byte,
/// `iggy_reader_next` with its detail.
fn c_reader(case: &Case<'_>, expect: &Expect) {
    let config = iggy_reader_config {
        max_frame: case.config.max_frame,
        read_ahead: case.config.read_ahead,
        validate: match case.config.validation {
            Validation::Frame => IGGY_READER_VALIDATE_FRAME,
            Validation::Inbound => IGGY_READER_VALIDATE_INBOUND,
            Validation::None => IGGY_READER_VALIDATE_NONE,
        },
    };
    let mut reader = iggy_reader::default();
    // SAFETY: valid config and output.
    let init = unsafe { iggy_reader_init(&config, &mut reader) };
    assert_eq!(init, Status::OK.0, "iggy_reader_init");
    let mut t = Tracker::new(case.stream, expect, case.config, "C layer, mixed");
    let status = |r: Result<(), ReadError>| r.map_or_else(|e| e.status().0, |()| Status::OK.0);
    let result = |s: iggy_status| -> Result<(), ReadError> {
        if s == Status::OK.0 {
            Ok(())
        } else {
            // Only the status crosses the C layer: compare statuses.
            Err(t_error_with_status(expect, s))
        }
    };
    let mut script = case.script.iter().copied().cycle();
    while !t.done() {
        let rest = case.stream.len() - t.consumed;
        let b = script.next().unwrap_or(0x3f);
        let want = chunk(b, rest);
        if b & ALT != 0 {
            let bytes = &case.stream[t.consumed..t.consumed + want];
            // SAFETY: a live reader; `bytes` readable.
            let s = unsafe { iggy_reader_feed(&mut reader, bytes.as_ptr(), bytes.len()) };
            t.delivered(want, result(s));
        } else {
            let (mut ptr, mut len) = (core::ptr::null_mut(), 0);
            // SAFETY: a live reader; writable outputs.
            let s = unsafe { iggy_reader_buffer(&mut reader, &mut ptr, &mut len) };
            assert_eq!(s, Status::OK.0, "iggy_reader_buffer");
            t.check_offer(ptr.addr(), len);
            let n = want.min(len);
            // SAFETY: the offer is `len >= n` writable bytes.
            unsafe { core::ptr::copy_nonoverlapping(case.stream[t.consumed..].as_ptr(), ptr, n) };
            // SAFETY: the first `n` bytes of the offer were written.
            let s = unsafe { iggy_reader_commit(&mut reader, n) };
            t.delivered(n, result(s));
        }
        if b & DRAIN != 0 {
            c_drain(&mut reader, &mut t);
        }
    }
    c_drain(&mut reader, &mut t);
    assert_eq!(t.taken, expect.frames.len(), "C layer: frames taken");
    // SAFETY: a live reader.
    let fin = unsafe { iggy_reader_finish(&reader) };
    let want = if t.failed {
        status(Err(t.error()))
    } else if expect.tail == 0 {
        Status::OK.0
    } else {
        Status::TRUNCATED.0
    };
    assert_eq!(fin, want, "iggy_reader_finish");
    // SAFETY: a live reader, freed once.
    unsafe { iggy_reader_free(&mut reader) };
}

/// The model's error when `s` is its status (the C layer passes statuses only);
/// otherwise an error whose status is `s`, which fails the comparison.
fn t_error_with_status(expect: &Expect, s: iggy_status) -> ReadError {
    match expect.failure {
        Some((_, error)) if error.status().0 == s => error,
        _ if s == Status::INCOMPLETE.0 => ReadError::Incomplete,
        _ if s == Status::TRUNCATED.0 => ReadError::Truncated,
        _ if s == Status::OUT_OF_RANGE.0 => ReadError::OutOfRange,
        _ => ReadError::OutOfMemory,
    }
}

fn c_drain(reader: &mut iggy_reader, t: &mut Tracker<'_>) {
    loop {
        let mut frame = iggy_buf::default();
        let mut detail = MaybeUninit::<iggy_validation_detail>::uninit();
        // SAFETY: a live reader; writable outputs.
        let s = unsafe { iggy_reader_next(reader, &mut frame, detail.as_mut_ptr()) };
        // SAFETY: filled on every return.
        let detail = unsafe { detail.assume_init() };
        assert_eq!(detail.status, s, "iggy_reader_next: detail.status");
        match t.next_expected() {
            Ok(k) => {
                assert_eq!(s, Status::OK.0, "iggy_reader_next: frame {k}");
                // SAFETY: a live buffer handle.
                let (data, len) = unsafe { (iggy_buf_data(&mut frame), iggy_buf_len(&frame)) };
                // SAFETY: `len` initialised bytes.
                let bytes = unsafe { core::slice::from_raw_parts(data, len) };
                t.check_frame(k, bytes, data.addr());
                // SAFETY: a live buffer handle, freed once.
                unsafe { iggy_buf_free(&mut frame) };
            }
            Err(error) => {
                assert_eq!(
                    s,
                    error.status().0,
                    "iggy_reader_next after {} frames",
                    t.taken
                );
                if let ReadError::Invalid { command, .. }
                | ReadError::FrameTooLarge { command, .. } = error
                {
                    assert_eq!(detail.command, command, "iggy_reader_next: detail.command");
                }
                return;
            }
        }
    }
}

/// The writer against a queue of byte ranges of the stream.
fn writer(case: &Case<'_>, expect: &Expect, stats: fn() -> Stats) {
    let (max_frames, max_bytes) = case.writer_limits;
    let mut w = FrameWriter::try_new(max_frames, max_bytes).expect("a writer");
    let frame_limit = if max_frames == 0 { 1024 } else { max_frames };
    let byte_limit = if max_bytes == 0 {
        usize::MAX
    } else {
        max_bytes
    };
    let stream = case.stream;
    // Queued ranges of `stream`, and the bytes of the first already sent.
    let mut queue: VecDeque<(usize, usize)> = VecDeque::new();
    let mut sent: usize = 0;
    let mut pending: usize = 0;
    let base = stats().live_buffers;
    let mut script = case.script.iter().copied().cycle();
    let mut model_frames = expect.frames.iter().cycle();
    for _ in 0..if case.script.is_empty() {
        0
    } else {
        WRITER_OPS
    } {
        let b = script.next().unwrap_or(0);
        let arg = script.next().unwrap_or(0);
        match b % 5 {
            0 | 1 => {
                // A model frame, or any slice of the stream (empty ones included).
                let (start, len) = match (b & 0x80, model_frames.next()) {
                    (0, Some(&frame)) => frame,
                    _ => {
                        let start = (usize::from(arg) * 131) % (stream.len() + 1);
                        let len = if arg & 7 == 0 {
                            0
                        } else {
                            chunk(b >> 2, stream.len() - start).min(stream.len() - start)
                        };
                        (start, len)
                    }
                };
                let frame = Owned::copy_from_slice(&stream[start..start + len]).freeze();
                let addr = frame.as_ptr().addr();
                let full = queue.len() >= frame_limit
                    || (!queue.is_empty()
                        && pending.checked_add(len).is_none_or(|p| p > byte_limit));
                match w.try_push(frame) {
                    Ok(()) if len == 0 => {}
                    Ok(()) => {
                        assert!(!full, "a push the model refuses was accepted");
                        queue.push_back((start, len));
                        pending += len;
                    }
                    Err((error, back)) => {
                        assert!(full && len > 0, "push refused: {error:?}");
                        assert_eq!(error, WriterError::QueueFull);
                        assert_eq!(back.as_ptr().addr(), addr, "the frame came back moved");
                        assert_eq!(back.as_slice(), &stream[start..start + len]);
                    }
                }
            }
            2 => {
                let k = usize::from(arg % 6);
                let mut slices = [IoSlice::new(&[]); 5];
                let n = w.io_slices(&mut slices[..k.min(5)]);
                assert_eq!(n, k.min(5).min(queue.len()), "io_slices count");
                check_iovecs(&slices[..n], stream, &queue, sent);
            }
            3 => {
                let n = if arg == 255 {
                    pending + 1
                } else {
                    pending * usize::from(arg) / 254
                };
                let got = w.advance(n);
                if n > pending {
                    assert_eq!(got, Err(WriterError::OutOfRange));
                } else {
                    assert_eq!(got, Ok(()));
                    advance_model(&mut queue, &mut sent, &mut pending, n);
                }
            }
            _ => send_all(&mut w, stream, &mut queue, &mut sent, &mut pending),
        }
        assert_eq!(w.pending_bytes(), pending, "pending_bytes");
        assert_eq!(w.pending_frames(), queue.len(), "pending_frames");
        assert_eq!(
            stats().live_buffers - base,
            queue.len(),
            "the writer must hold exactly its queued frames"
        );
    }
    send_all(&mut w, stream, &mut queue, &mut sent, &mut pending);
    assert_eq!(
        stats().live_buffers,
        base,
        "frames left after sending everything"
    );
}

fn advance_model(
    queue: &mut VecDeque<(usize, usize)>,
    sent: &mut usize,
    pending: &mut usize,
    n: usize,
) {
    *pending -= n;
    let mut left = n;
    while let Some(&(_, len)) = queue.front() {
        let rest = len - *sent;
        if left < rest {
            *sent += left;
            break;
        }
        left -= rest;
        *sent = 0;
        queue.pop_front();
    }
}

/// Checks that `slices` are the model's unsent bytes, one iovec per queued frame from
/// the first (its unsent rest), in order, none empty.
fn check_iovecs(
    slices: &[IoSlice<'_>],
    stream: &[u8],
    queue: &VecDeque<(usize, usize)>,
    sent: usize,
) {
    assert!(
        slices.len() <= queue.len(),
        "more iovecs than queued frames"
    );
    for (i, (slice, &(start, len))) in slices.iter().zip(queue).enumerate() {
        let from = start + if i == 0 { sent } else { 0 };
        assert!(!slice.is_empty(), "an empty iovec");
        assert!(
            **slice == stream[from..start + len],
            "iovec {i} differs from the model"
        );
    }
}

/// Writes everything as a vectored write would, eight iovecs at a time: each write
/// sends exactly the model's next unsent bytes, so everything sent, in order, is the
/// bytes of the frames accepted.
fn send_all(
    w: &mut FrameWriter,
    stream: &[u8],
    queue: &mut VecDeque<(usize, usize)>,
    sent: &mut usize,
    pending: &mut usize,
) {
    while w.pending_bytes() > 0 {
        let mut slices = [IoSlice::new(&[]); 8];
        let k = w.io_slices(&mut slices);
        assert!(k > 0, "pending bytes but no iovec");
        assert_eq!(k, slices.len().min(queue.len()), "io_slices count");
        check_iovecs(&slices[..k], stream, queue, *sent);
        let n = slices[..k].iter().map(|s| s.len()).sum();
        w.advance(n).expect("advance by what the iovecs hold");
        advance_model(queue, sent, pending, n);
    }
    assert!(
        queue.is_empty() && *pending == 0,
        "the model has more to send"
    );
}

/// Whether [`check`] also feeds `data`'s stream one byte at a time (when it is short):
/// for one input in [`BYTEWISE_EVERY`], by a hash of its bytes.
pub fn bytewise_for(data: &[u8]) -> bool {
    // `offset_for` is uniform over `0..OFFSETS`: the lowest `1 / BYTEWISE_EVERY` of it.
    crate::frame_check::offset_for(data) < crate::frame_check::OFFSETS / BYTEWISE_EVERY
}

/// The fuzz target's check on one input: every reader but one byte per `feed`, which
/// [`bytewise_for`] picks; every allocation is freed at the end.
pub fn check(data: &[u8], stats: fn() -> Stats) {
    check_ways(data, stats, bytewise_for(data));
}

/// The whole check on one input, one byte per `feed` included (for a short stream);
/// every allocation is freed at the end.
pub fn check_every_way(data: &[u8], stats: fn() -> Stats) {
    check_ways(data, stats, true);
}

fn check_ways(data: &[u8], stats: fn() -> Stats, bytewise: bool) {
    let before = stats().live_only();
    {
        let case = Case::parse(data);
        let expect = model(case.stream, &case.config);
        for mode in [Mode::Feed, Mode::Commit, Mode::Whole, Mode::WholeOffers] {
            rust_reader(&case, &expect, mode);
        }
        if bytewise && case.stream.len() <= BYTEWISE_MAX {
            rust_reader(&case, &expect, Mode::Bytewise);
        }
        c_reader(&case, &expect);
        writer(&case, &expect, stats);
    }
    let after = stats().live_only();
    assert_eq!(
        after, before,
        "allocations (live, bytes, buffers, buffer bytes) leaked"
    );
}
