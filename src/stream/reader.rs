//! [`FrameReader`]: frames out of a byte stream, without I/O of its own.

use crate::buf::Owned;
use crate::status::Status;
use crate::wire::validate::{
    Rule, ValidationError, construct_generic, validate_frame, validate_inbound,
};
use crate::wire::{COMMAND_OFFSET, HEADER_SIZE, MAX_MESSAGE_SIZE, read_size_field};
use core::mem::MaybeUninit;
use std::collections::VecDeque;

/// The validation a [`FrameReader`] runs on every complete frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Validation {
    /// [`validate_frame`], the whole-frame check (`iggy_frame_validate`).
    #[default]
    Frame,
    /// [`validate_inbound`], the replica's receive path (`iggy_frame_validate_inbound`).
    Inbound,
    /// Framing checks only: the command byte is defined and `256 <= size <= max_frame`.
    None,
}

/// How a [`FrameReader`] frames and checks a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReaderConfig {
    /// The largest `size` accepted; a larger one is [`ReadError::FrameTooLarge`], found
    /// on the header before anything is allocated for the body. In
    /// `256..=MAX_MESSAGE_SIZE`.
    pub max_frame: usize,
    /// Bytes offered per read between frames, and the body length above which a frame
    /// is read in place into a buffer of its own. In `256..=MAX_MESSAGE_SIZE`.
    pub read_ahead: usize,
    /// What runs on every complete frame.
    pub validation: Validation,
}

impl Default for ReaderConfig {
    /// `max_frame` = [`MAX_MESSAGE_SIZE`] (64 MiB), `read_ahead` = 65536,
    /// [`Validation::Frame`].
    fn default() -> Self {
        Self {
            max_frame: MAX_MESSAGE_SIZE as usize,
            read_ahead: 65536,
            validation: Validation::Frame,
        }
    }
}

/// Why a [`FrameReader`] call failed.
///
/// [`Incomplete`](Self::Incomplete), [`OutOfMemory`](Self::OutOfMemory),
/// [`OutOfRange`](Self::OutOfRange) and [`InvalidConfig`](Self::InvalidConfig) are not
/// sticky and leave the reader as it was. [`FrameTooLarge`](Self::FrameTooLarge) and
/// [`Invalid`](Self::Invalid) are sticky: the stream's framing can no longer be trusted,
/// and every later call returns the same error (see [`FrameReader`]).
/// [`Truncated`](Self::Truncated) comes only from [`FrameReader::finish`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// No complete frame is held yet: read more bytes. Not an error of the stream.
    Incomplete,
    /// An allocation failed; nothing changed.
    OutOfMemory,
    /// `commit` without a preceding successful `buffer`, or `n` outside
    /// `1..=` the offered length; nothing changed.
    OutOfRange,
    /// `max_frame` or `read_ahead` outside `256..=MAX_MESSAGE_SIZE`.
    InvalidConfig,
    /// A header's `size` exceeds `max_frame`. Sticky.
    FrameTooLarge {
        /// The reader's `max_frame`.
        max_frame: usize,
        /// The header's `size`.
        size: u32,
        /// The header's command byte (byte 60).
        command: u8,
    },
    /// A frame failed the configured validation, or its header failed the command or
    /// size-floor check. Sticky.
    Invalid {
        /// What the validation function returned.
        error: ValidationError,
        /// The frame's command byte (byte 60), defined or not.
        command: u8,
    },
    /// The stream ended inside a frame (from [`FrameReader::finish`] only).
    Truncated,
}

impl core::fmt::Display for ReadError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ReadError::Incomplete => f.write_str("no complete frame yet: read more bytes"),
            ReadError::OutOfMemory => f.write_str("allocation failed"),
            ReadError::OutOfRange => {
                f.write_str("commit without a buffer, or a length outside the buffer offered")
            }
            ReadError::InvalidConfig => {
                f.write_str("max_frame and read_ahead must lie in 256..=67108864")
            }
            ReadError::FrameTooLarge {
                max_frame,
                size,
                command,
            } => write!(
                f,
                "frame size {size} exceeds max_frame {max_frame} (command {command})"
            ),
            ReadError::Invalid { error, command } => {
                write!(f, "invalid frame (command {command}): {error}")
            }
            ReadError::Truncated => f.write_str("the stream ended inside a frame"),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// The status code.
    pub const fn status(&self) -> Status {
        match self {
            ReadError::Incomplete => Status::INCOMPLETE,
            ReadError::OutOfMemory => Status::OUT_OF_MEMORY,
            ReadError::OutOfRange => Status::OUT_OF_RANGE,
            ReadError::InvalidConfig => Status::INVALID_ARGUMENT,
            ReadError::FrameTooLarge { .. } => Status::FRAME_TOO_LARGE,
            ReadError::Invalid { error, .. } => error.error.status(),
            ReadError::Truncated => Status::TRUNCATED,
        }
    }
}

/// Records of large frames `try_new` makes room for, so that reading them allocates
/// only their buffers while the caller takes them.
const LARGES_RESERVED: usize = 4;

/// A frame whose body is longer than `read_ahead`, read into a buffer of its own.
#[derive(Debug)]
struct Large {
    /// Where it sits in the stream: after the read-ahead bytes before offset `at`,
    /// before those from `at` on.
    at: usize,
    /// The frame's `size`; the buffer's capacity is at least this.
    size: usize,
    /// The bytes held so far; complete when `frame.len() == size`.
    frame: Owned,
}

impl Large {
    fn is_complete(&self) -> bool {
        self.frame.len() == self.size
    }
}

/// Cuts frames (a 256-byte header, then `size - 256` body bytes: docs/protocol.md, "Framing on TCP") out of a
/// byte stream whose I/O belongs to the caller, and checks them (docs/c-api.md).
///
/// # Use
///
/// Read into [`buffer`](Self::buffer) and [`commit`](Self::commit) what was read, or hand
/// over bytes already held with [`feed`](Self::feed); then take frames with
/// [`next`](Self::next) until it returns [`ReadError::Incomplete`]. At the end of the
/// stream, [`finish`](Self::finish) says whether it ended between frames.
///
/// ```
/// use iggy_consensus::stream::{FrameReader, ReadError, ReaderConfig, Validation};
/// # let mut frame = vec![0u8; 256];
/// # frame[48..52].copy_from_slice(&256u32.to_le_bytes());
/// # frame[60] = 1; // Ping
/// let config = ReaderConfig { validation: Validation::None, ..ReaderConfig::default() };
/// let mut reader = FrameReader::try_new(config)?;
/// reader.feed(&frame[..100])?;
/// assert_eq!(reader.next().err(), Some(ReadError::Incomplete));
/// reader.feed(&frame[100..])?;
/// assert_eq!(reader.next()?.as_slice(), &frame[..]);
/// reader.finish()?;
/// # Ok::<(), ReadError>(())
/// ```
///
/// # Checks, and sticky errors
///
/// As soon as a frame's 256 header bytes are held, before anything is allocated for its
/// body, the header is checked: a command byte above 29 or a `size` below 256 is
/// [`ReadError::Invalid`] with the error [`validate_frame`] gives for those 256 bytes
/// (whatever the [`Validation`]), and `size > max_frame` is
/// [`ReadError::FrameTooLarge`]. Once the frame is complete, the configured
/// [`Validation`] runs on its exactly `size` bytes, before it is copied anywhere.
///
/// The first bad frame fails the reader: the `commit` or `feed` that delivered its bytes
/// returns the error, neither its bytes nor any after them are handed out, every later
/// `buffer`, `commit`, `feed` and `finish` returns the same error and takes nothing,
/// and `next` returns the frames completed before the bad one, in order, then the error
/// on every call. The frames, their bytes and the verdicts do not depend on how the
/// stream is split across `commit` and `feed` calls.
///
/// # Memory and copies
///
/// * `try_new` allocates the read-ahead buffer (`read_ahead + 256` bytes, 4096-aligned)
///   and room for a few records of large frames.
/// * Between frames, `buffer` offers at least `read_ahead` bytes there, so one read
///   can bring many small frames; `next` then copies each into a buffer of its own
///   (one allocation and one copy of `size` bytes per frame).
/// * Once a frame's header is held and its body is longer than `read_ahead`, `buffer`
///   allocates that frame's own buffer (exactly `size` bytes), moves the bytes already
///   held into it and offers the rest of it (never past the frame's end): the body is
///   read in place, and `next` hands that buffer over without copying.
/// * The reader holds at most the frame in progress, the bytes read past it (at most
///   what one read was offered; for `feed`, the bytes given), and the complete frames
///   not yet taken with `next`. The read-ahead buffer grows (amortised doubling) only
///   when untaken frames leave too little room, or for a `feed` larger than its room,
///   and goes back to its first size once everything in it is taken.
/// * When the room left is below `read_ahead`, the bytes not yet taken are moved to the
///   front of the read-ahead buffer. When the caller takes frames as they come, that
///   is at most one partial frame (under `read_ahead + 256` bytes) per read.
/// * Every allocation is fallible: [`ReadError::OutOfMemory`] leaves the reader as it
///   was.
///
/// # Threads
///
/// `Send` and `Sync`; its methods take `&mut self`, so one thread uses it at a time.
/// Frames returned by `next` are ordinary, independent [`Owned`] buffers that outlive
/// the reader. No call touches an atomic.
#[derive(Debug)]
pub struct FrameReader {
    config: ReaderConfig,
    /// Read-ahead bytes: `[start, scan)` are complete, checked frames not yet taken
    /// (with the [`Large`] frames anchored among them), `[scan, len)` is the frame in
    /// progress when it has no buffer of its own (once failed: the bad frame's bytes).
    ahead: Owned,
    /// The first byte of `ahead` not yet taken by `next`.
    start: usize,
    /// The end of the complete frames in `ahead`: the frame in progress starts here.
    scan: usize,
    /// Frames in buffers of their own, in stream order, each anchored in `ahead` at or
    /// after `start` and at or before `scan`. Only the last may be in progress, and then
    /// `ahead` holds nothing past its anchor (`at == scan == ahead.len()`).
    larges: VecDeque<Large>,
    /// The length of the slice the last `buffer` offered, until `commit` takes it.
    offered: Option<usize>,
    /// The sticky error, once a bad frame was found.
    failed: Option<ReadError>,
    /// The read-ahead buffer's capacity as `try_new` made it: a larger one is given
    /// back once it is empty.
    first_capacity: usize,
}

impl FrameReader {
    /// A reader with `config`. Allocates the read-ahead buffer (`read_ahead + 256`
    /// bytes, 4096-aligned) and room for a few records of large frames (under 256
    /// bytes).
    ///
    /// [`ReadError::InvalidConfig`] when `max_frame` or `read_ahead` is outside
    /// `256..=MAX_MESSAGE_SIZE`; [`ReadError::OutOfMemory`] when the allocation fails.
    pub fn try_new(config: ReaderConfig) -> Result<Self, ReadError> {
        let bounds = HEADER_SIZE..=MAX_MESSAGE_SIZE as usize;
        if !bounds.contains(&config.max_frame) || !bounds.contains(&config.read_ahead) {
            return Err(ReadError::InvalidConfig);
        }
        let ahead = Owned::try_with_capacity(config.read_ahead + HEADER_SIZE)
            .map_err(|_| ReadError::OutOfMemory)?;
        let mut larges = VecDeque::new();
        larges
            .try_reserve(LARGES_RESERVED)
            .map_err(|_| ReadError::OutOfMemory)?;
        Ok(Self {
            config,
            first_capacity: ahead.capacity(),
            ahead,
            start: 0,
            scan: 0,
            larges,
            offered: None,
            failed: None,
        })
    }

    /// The configuration the reader was made with.
    pub fn config(&self) -> &ReaderConfig {
        &self.config
    }

    /// Where the next bytes of the stream go: a writable slice of at least one byte
    /// (at least `read_ahead` bytes between frames), valid until the next call on the
    /// reader. Write a prefix of it, then [`commit`](Self::commit) that many bytes.
    ///
    /// Allocates when a large frame's own buffer is opened (exactly `size` bytes, and
    /// the bytes of it already held are moved there), or when frames not yet taken
    /// leave less than `read_ahead` bytes of room; may move the bytes of a partly held
    /// frame within the read-ahead buffer. A previous offer not committed is withdrawn,
    /// whatever the result.
    ///
    /// Errors: the sticky error; [`ReadError::OutOfMemory`] with nothing changed.
    pub fn buffer(&mut self) -> Result<&mut [MaybeUninit<u8>], ReadError> {
        self.check_failed()?;
        self.offered = None;
        if self.large_in_progress().is_none() {
            match self.large_size() {
                Some(size) => {
                    let large = self.prepare_large(size)?;
                    self.install_large(large);
                }
                None => self.make_room(self.config.read_ahead, self.rest_in_ahead())?,
            }
        }
        let spare = match self.larges.back_mut() {
            Some(large) if !large.is_complete() => {
                let rest = large.size - large.frame.len();
                &mut large.frame.spare_capacity_mut()[..rest]
            }
            _ => self.ahead.spare_capacity_mut(),
        };
        self.offered = Some(spare.len());
        Ok(spare)
    }

    /// Takes the first `n` bytes of the slice the last [`buffer`](Self::buffer)
    /// offered into the stream, and checks what they complete: each header as soon as
    /// it is held, each frame once it is whole. No allocation, no copy.
    ///
    /// Errors: the sticky error, whatever `n` is; the error of a bad frame these bytes
    /// revealed (which fails the reader); [`ReadError::OutOfRange`] with nothing
    /// changed when no offer is outstanding (none made, already committed, or
    /// withdrawn by a later `buffer` or `feed`) or `n` is outside `1..=` its length.
    ///
    /// # Safety
    ///
    /// When an offer is outstanding and `1 <= n <=` its length, its first `n` bytes
    /// must have been written (initialised) since that `buffer` call returned, for
    /// example by a `read` or `recv` that reported `n` bytes.
    pub unsafe fn commit(&mut self, n: usize) -> Result<(), ReadError> {
        self.check_failed()?;
        match self.offered {
            Some(len) if (1..=len).contains(&n) => {}
            _ => return Err(ReadError::OutOfRange),
        }
        let into_large = self.large_in_progress().is_some();
        let target = match self.larges.back_mut() {
            Some(large) if into_large => &mut large.frame,
            _ => &mut self.ahead,
        };
        let len = target.len() + n;
        // SAFETY: the offer was `target`'s spare capacity from `len - n` on (since
        // then only `next` and `finish` may have run, and they change neither
        // buffer's length nor which frame is in progress), so `len` is within the
        // capacity; the caller initialised those `n` bytes.
        unsafe { target.try_set_len(len) }.map_err(|_| ReadError::OutOfRange)?;
        self.offered = None;
        if into_large {
            self.check_large()
        } else {
            self.scan_ahead()
        }
    }

    /// Takes all of `bytes` into the stream, as repeated `buffer`, copy and `commit`
    /// would, and checks what they complete. Withdraws an offer not committed, whatever
    /// the result (like `buffer`).
    ///
    /// Copies: bytes of a frame whose own buffer is open (or opened now, because its
    /// header is held and its body is longer than `read_ahead`) are copied straight
    /// into it; the others are copied into the read-ahead buffer, and `next` copies
    /// each frame out of it again.
    ///
    /// Allocates, before anything changes: that frame's own buffer, and room in the
    /// read-ahead buffer for the rest of `bytes`. [`ReadError::OutOfMemory`] therefore
    /// leaves the reader as it was, with nothing taken. Other errors: the sticky error;
    /// the error of a bad frame in `bytes` (which fails the reader).
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), ReadError> {
        self.check_failed()?;
        // Withdrawn even on failure: making room may move the bytes it pointed at.
        self.offered = None;
        if bytes.is_empty() {
            return Ok(());
        }
        // Everything that can fail, before anything the stream holds changes.
        let opened = match self.large_size() {
            Some(size) => {
                // A header held in the read-ahead buffer is never a large frame's in
                // progress: those bytes went to the frame's own buffer.
                debug_assert!(self.large_in_progress().is_none());
                Some(self.prepare_large(size)?)
            }
            None => None,
        };
        let large_rest = match (&opened, self.large_in_progress()) {
            (Some(large), _) | (None, Some(large)) => large.size - large.frame.len(),
            (None, None) => 0,
        };
        let (head, tail) = bytes.split_at(large_rest.min(bytes.len()));
        if !tail.is_empty() {
            self.make_room(tail.len(), tail.len())?;
        }
        // From here on nothing fails but a bad frame.
        if let Some(large) = opened {
            self.install_large(large);
        }
        if !head.is_empty() {
            self.extend_in_progress(head)?;
            self.check_large()?;
        }
        if !tail.is_empty() {
            self.extend_in_progress(tail)?;
            self.scan_ahead()?;
        }
        Ok(())
    }

    /// The next complete frame, in stream order, in a 4096-aligned buffer of its own:
    /// `len == size`, byte-identical to the stream, unique and writable; it outlives the
    /// reader. A large frame's own buffer is handed over as it is (no allocation, no
    /// copy). A frame at the start of the read-ahead buffer, followed there by fewer
    /// bytes than it holds, gets that buffer itself, and the bytes after it are copied
    /// into a fresh one (one allocation, fewer than `size` bytes copied); any other
    /// frame is copied out of the read-ahead buffer (one allocation, `size` bytes
    /// copied).
    ///
    /// Errors: [`ReadError::Incomplete`] when no complete frame is held;
    /// [`ReadError::OutOfMemory`] with nothing changed; once the reader has failed and
    /// the frames before the bad one are taken, the sticky error on every call.
    // Not `Iterator::next`: `Incomplete` is not the end, and an error can follow frames.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Owned, ReadError> {
        if let Some(large) = self.larges.front() {
            if large.at == self.start && large.is_complete() {
                if let Some(large) = self.larges.pop_front() {
                    return Ok(large.frame);
                }
            }
        }
        // A large frame anchored at `start` was taken above; any other comes after the
        // frame at `start`.
        if self.start < self.scan {
            let size = frame_size(&self.ahead.as_slice()[self.start..self.scan]);
            if let Some(frame) = self.hand_over_ahead(size) {
                return Ok(frame);
            }
            let held = &self.ahead.as_slice()[self.start..self.start + size];
            let frame = Owned::try_copy_from_slice(held).map_err(|_| ReadError::OutOfMemory)?;
            self.start += size;
            return Ok(frame);
        }
        Err(self.failed.unwrap_or(ReadError::Incomplete))
    }

    /// Hands the read-ahead buffer itself over as the frame at `start` (`size` bytes),
    /// when that copies less than cutting the frame out: the frame starts at the
    /// buffer's base (so the buffer is the frame's own 4096-aligned allocation), no offer
    /// points into the buffer, and fewer bytes follow the frame than it holds. The
    /// bytes that follow (later frames, or part of one) are copied into a fresh
    /// read-ahead buffer instead. A frame that filled one read therefore arrives
    /// without a copy, whatever its size. `None`, with nothing changed, when that does
    /// not apply or the fresh buffer cannot be allocated.
    fn hand_over_ahead(&mut self, size: usize) -> Option<Owned> {
        let rest = self.ahead.len() - size;
        if self.start != 0 || self.offered.is_some() || rest >= size {
            return None;
        }
        let first_size = self.config.read_ahead + HEADER_SIZE;
        let mut fresh = Owned::try_with_capacity(first_size.max(rest)).ok()?;
        fresh
            .try_extend_from_slice(&self.ahead.as_slice()[size..])
            .ok()?;
        let mut frame = core::mem::replace(&mut self.ahead, fresh);
        frame.truncate(size);
        // Every offset into the old buffer past the frame moves down by `size`; frames
        // in buffers of their own are anchored at frame boundaries, none inside it.
        self.start = size;
        self.rebase();
        Some(frame)
    }

    /// At the end of the stream: `Ok` when the reader holds no part of a frame (complete
    /// frames not yet taken do not count), [`ReadError::Truncated`] when it does, or the
    /// sticky error. Changes nothing.
    pub fn finish(&self) -> Result<(), ReadError> {
        self.check_failed()?;
        if self.ahead.len() > self.scan || self.large_in_progress().is_some() {
            return Err(ReadError::Truncated);
        }
        Ok(())
    }

    /// Whether any of the `len` bytes at `addr` lie in memory the reader owns (its
    /// read-ahead buffer or a large frame's buffer, capacity included): bytes that
    /// [`feed`](Self::feed) must not be given. Safe Rust cannot make such a slice while
    /// it holds `&mut self`; callers through raw pointers (the C layer) check.
    pub fn owns_any(&self, addr: usize, len: usize) -> bool {
        let overlaps = |buffer: &Owned| {
            let start = buffer.as_ptr().addr();
            len != 0
                && addr < start.saturating_add(buffer.capacity())
                && start < addr.saturating_add(len)
        };
        overlaps(&self.ahead) || self.larges.iter().any(|large| overlaps(&large.frame))
    }

    fn check_failed(&self) -> Result<(), ReadError> {
        self.failed.map_or(Ok(()), Err)
    }

    /// The last frame in a buffer of its own, if it is still in progress.
    fn large_in_progress(&self) -> Option<&Large> {
        self.larges.back().filter(|large| !large.is_complete())
    }

    /// The `size` of the frame in progress in the read-ahead buffer, when its header is
    /// held (and passed its checks) and its body is longer than `read_ahead`.
    fn large_size(&self) -> Option<usize> {
        let held = &self.ahead.as_slice()[self.scan..];
        let size = read_size_field(held.get(..HEADER_SIZE)?)? as usize;
        (size.saturating_sub(HEADER_SIZE) > self.config.read_ahead).then_some(size)
    }

    /// A buffer of exactly `size` bytes for the frame in progress, holding a copy of the
    /// bytes of it the read-ahead buffer holds; room for it in `larges`. Nothing of the
    /// reader changes: [`FrameReader::install_large`] does that.
    fn prepare_large(&mut self, size: usize) -> Result<Large, ReadError> {
        let mut frame = Owned::try_with_capacity(size).map_err(|_| ReadError::OutOfMemory)?;
        frame
            .try_extend_from_slice(&self.ahead.as_slice()[self.scan..])
            .map_err(|_| ReadError::OutOfMemory)?;
        self.larges
            .try_reserve(1)
            .map_err(|_| ReadError::OutOfMemory)?;
        Ok(Large { at: 0, size, frame })
    }

    /// Makes the prepared `large` the frame in progress: drops its bytes from the
    /// read-ahead buffer and anchors it there. No allocation (room was reserved).
    fn install_large(&mut self, mut large: Large) {
        self.ahead.truncate(self.scan);
        large.at = self.scan;
        self.larges.push_back(large);
    }

    /// The room `buffer` must offer in the read-ahead buffer: `read_ahead` between
    /// frames; inside a frame, what completes it (or its header), if that is less.
    fn rest_in_ahead(&self) -> usize {
        let held = &self.ahead.as_slice()[self.scan..];
        let rest = match held.get(..HEADER_SIZE) {
            Some(header) => frame_size(header).saturating_sub(held.len()),
            None if held.is_empty() => self.config.read_ahead,
            None => HEADER_SIZE - held.len(),
        };
        rest.clamp(1, self.config.read_ahead)
    }

    /// Makes room in the read-ahead buffer for `want` more bytes, or at least `need`
    /// (`need <= want`): gives back a grown buffer once it is empty (for one of the
    /// first size, or of `want` bytes if that is more), moves the bytes not
    /// yet taken to the front when the room is short of `want`, and grows (to `want`)
    /// only when the room is still short of `need`. Nothing changes that `next` or
    /// `finish` could tell, on success or on failure.
    fn make_room(&mut self, want: usize, need: usize) -> Result<(), ReadError> {
        let first_size = self.config.read_ahead + HEADER_SIZE;
        if self.start == self.ahead.len() && self.ahead.capacity() > self.first_capacity {
            if let Ok(fresh) = Owned::try_with_capacity(first_size.max(want)) {
                self.ahead = fresh;
                self.rebase();
            }
        }
        if self.ahead.capacity() - self.ahead.len() >= want {
            return Ok(());
        }
        if self.start != 0 {
            let (start, len) = (self.start, self.ahead.len());
            self.ahead.as_mut_slice().copy_within(start..len, 0);
            self.ahead.truncate(len - start);
            self.rebase();
        }
        if self.ahead.capacity() - self.ahead.len() >= need {
            return Ok(());
        }
        self.ahead
            .try_reserve(want)
            .map_err(|_| ReadError::OutOfMemory)
    }

    /// Shifts every offset into the read-ahead buffer down by `start`, after the bytes
    /// from `start` on were moved to the front (or there were none).
    fn rebase(&mut self) {
        let by = self.start;
        self.start = 0;
        self.scan -= by;
        for large in &mut self.larges {
            large.at -= by;
        }
    }

    /// Appends `bytes` to the frame in progress: its own buffer when it has one, else
    /// the read-ahead buffer. The room must have been made (no allocation here).
    fn extend_in_progress(&mut self, bytes: &[u8]) -> Result<(), ReadError> {
        let target = match self.larges.back_mut() {
            Some(large) if !large.is_complete() => &mut large.frame,
            _ => &mut self.ahead,
        };
        debug_assert!(target.capacity() - target.len() >= bytes.len());
        target
            .try_extend_from_slice(bytes)
            .map_err(|_| ReadError::OutOfMemory)
    }

    /// Checks the large frame in progress after bytes were added to it: once it is
    /// whole, runs the configured validation on it; a bad one fails the reader.
    fn check_large(&mut self) -> Result<(), ReadError> {
        let Some(large) = self.larges.back() else {
            return Ok(());
        };
        if !large.is_complete() {
            return Ok(());
        }
        if let Err(error) = self.check_frame(large.frame.as_slice()) {
            self.larges.pop_back();
            return Err(self.fail(error));
        }
        Ok(())
    }

    /// Checks what bytes added to the read-ahead buffer complete: every header as soon
    /// as it is held and every whole frame, from `scan` on, advancing `scan` past each
    /// good frame. The first bad one fails the reader.
    fn scan_ahead(&mut self) -> Result<(), ReadError> {
        loop {
            let held = &self.ahead.as_slice()[self.scan..];
            let Some(header) = held.get(..HEADER_SIZE) else {
                return Ok(());
            };
            let size = match self.check_header(header) {
                Ok(size) => size,
                Err(error) => return Err(self.fail(error)),
            };
            let Some(frame) = held.get(..size) else {
                return Ok(());
            };
            if let Err(error) = self.check_frame(frame) {
                return Err(self.fail(error));
            }
            self.scan += size;
        }
    }

    /// What the header alone decides (docs/c-api.md, "Header first"): the command byte
    /// and the size floor, with exactly the error [`validate_frame`] gives for these
    /// 256 bytes (generic construction is its first step, and those two checks come
    /// before the size-against-length check), then `size <= max_frame`. Returns `size`.
    fn check_header(&self, header: &[u8]) -> Result<usize, ReadError> {
        let command = header[COMMAND_OFFSET];
        if let Err(error) = construct_generic(header) {
            if matches!(error.rule, Rule::BitPattern | Rule::SizeFloor) {
                return Err(ReadError::Invalid { error, command });
            }
        }
        let size = frame_size(header);
        if size > self.config.max_frame {
            return Err(ReadError::FrameTooLarge {
                max_frame: self.config.max_frame,
                size: size as u32,
                command,
            });
        }
        Ok(size)
    }

    /// The configured validation of a whole frame (exactly `size` bytes).
    fn check_frame(&self, frame: &[u8]) -> Result<(), ReadError> {
        let verdict = match self.config.validation {
            Validation::Frame => validate_frame(frame).map(drop),
            Validation::Inbound => validate_inbound(frame).map(drop),
            Validation::None => Ok(()),
        };
        verdict.map_err(|error| ReadError::Invalid {
            error,
            command: frame[COMMAND_OFFSET],
        })
    }

    /// Fails the reader with `error`, found on the frame in progress. The complete
    /// frames before it stay for `next`; the bytes from `scan` on are never read again.
    fn fail(&mut self, error: ReadError) -> ReadError {
        self.offered = None;
        self.failed = Some(error);
        error
    }

    /// Capacity held by the read-ahead buffer and every frame buffer (tests).
    #[cfg(test)]
    fn capacity_held(&self) -> usize {
        self.ahead.capacity()
            + self
                .larges
                .iter()
                .map(|l| l.frame.capacity())
                .sum::<usize>()
    }
}

/// The `size` field of a header known to be at least 256 bytes long.
fn frame_size(header: &[u8]) -> usize {
    read_size_field(header).map_or(0, |size| size as usize)
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
