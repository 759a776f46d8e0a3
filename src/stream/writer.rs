//! [`FrameWriter`]: a bounded queue of frozen frames to send, without I/O of its own.

use crate::buf::Frozen;
use crate::status::Status;
use std::collections::VecDeque;
use std::io::IoSlice;

/// Why a [`FrameWriter`] call failed. Nothing changed, and a frame pushed comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriterError {
    /// The queue is at its frame or byte limit: send (and [`FrameWriter::advance`])
    /// first.
    QueueFull,
    /// Growing the queue failed.
    OutOfMemory,
    /// `advance` by more bytes than are pending.
    OutOfRange,
}

impl core::fmt::Display for WriterError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            WriterError::QueueFull => "the writer's queue is full",
            WriterError::OutOfMemory => "allocation failed",
            WriterError::OutOfRange => "advance by more bytes than are pending",
        })
    }
}

impl std::error::Error for WriterError {}

impl WriterError {
    /// The status code.
    pub const fn status(self) -> Status {
        match self {
            WriterError::QueueFull => Status::QUEUE_FULL,
            WriterError::OutOfMemory => Status::OUT_OF_MEMORY,
            WriterError::OutOfRange => Status::OUT_OF_RANGE,
        }
    }
}

/// The frame limit `max_frames == 0` stands for.
const DEFAULT_MAX_FRAMES: usize = 1024;

/// A bounded queue of frames to send, for a caller that owns the socket.
///
/// [`try_push`](Self::try_push) queues a [`Frozen`] frame (the writer keeps that one
/// share; the bytes are never copied); [`io_slices`](Self::io_slices) or
/// [`unsent`](Self::unsent) give the unsent bytes, one slice per queued frame, for a
/// vectored write; [`advance`](Self::advance) records how many bytes the write took and
/// releases every frame sent whole.
///
/// ```
/// use iggy_consensus::buf::Owned;
/// use iggy_consensus::stream::FrameWriter;
/// use std::io::{IoSlice, Write};
///
/// let mut writer = FrameWriter::try_new(0, 0)?;
/// writer.try_push(Owned::copy_from_slice(b"first").freeze()).map_err(|(e, _)| e)?;
/// writer.try_push(Owned::copy_from_slice(b"second").freeze()).map_err(|(e, _)| e)?;
/// let mut socket = Vec::new();
/// while writer.pending_bytes() > 0 {
///     let mut slices = [IoSlice::new(&[]); 8];
///     let k = writer.io_slices(&mut slices);
///     let n = socket.write_vectored(&slices[..k]).unwrap();
///     writer.advance(n)?;
/// }
/// assert_eq!(socket, b"firstsecond");
/// # Ok::<(), iggy_consensus::stream::WriterError>(())
/// ```
///
/// Backpressure: a push that would pass `max_frames` queued frames or `max_bytes`
/// pending bytes is refused with [`WriterError::QueueFull`] and the frame comes back
/// untouched. A frame longer than `max_bytes` is accepted into an empty queue, so any
/// frame can be sent.
///
/// Memory: the queue (three words per frame) grows fallibly, by amortised doubling, up
/// to `max_frames` entries, and is not shrunk. Threads: `Send` and `Sync`; one thread
/// uses it at a time (`&mut self`). Only releasing a frame touches an atomic (its
/// count).
#[derive(Debug)]
pub struct FrameWriter {
    /// Frames not yet sent whole, in order; none is empty.
    queue: VecDeque<Frozen>,
    /// Bytes of the first frame already sent: less than its length.
    sent: usize,
    /// Unsent bytes of every queued frame.
    pending: usize,
    max_frames: usize,
    /// `usize::MAX` for no limit.
    max_bytes: usize,
}

impl FrameWriter {
    /// An empty writer holding at most `max_frames` frames (0: 1024) and, unless the
    /// queue is empty, at most `max_bytes` pending bytes (0: no limit). Allocates
    /// nothing (the queue grows as frames are pushed), so it does not fail today;
    /// [`WriterError::OutOfMemory`] is reserved for that.
    pub fn try_new(max_frames: usize, max_bytes: usize) -> Result<Self, WriterError> {
        Ok(Self {
            queue: VecDeque::new(),
            sent: 0,
            pending: 0,
            max_frames: if max_frames == 0 {
                DEFAULT_MAX_FRAMES
            } else {
                max_frames
            },
            max_bytes: if max_bytes == 0 {
                usize::MAX
            } else {
                max_bytes
            },
        })
    }

    /// Queues `frame` to be sent after the frames already queued; the writer takes over
    /// its share. No copy, no atomic; the queue may grow (one fallible allocation).
    ///
    /// A frame of length 0 is accepted, counted against neither limit, and dropped at
    /// once (it never appears in the slices or in `pending_frames`).
    ///
    /// Errors, with `frame` handed back unchanged: [`WriterError::QueueFull`] when
    /// `pending_frames + 1 > max_frames`, or when the queue is not empty and
    /// `pending_bytes + len > max_bytes`; [`WriterError::OutOfMemory`] when the queue
    /// cannot grow.
    pub fn try_push(&mut self, frame: Frozen) -> Result<(), (WriterError, Frozen)> {
        let len = frame.len();
        if len == 0 {
            return Ok(());
        }
        let over_bytes = !self.queue.is_empty()
            && self
                .pending
                .checked_add(len)
                .is_none_or(|bytes| bytes > self.max_bytes);
        if self.queue.len() >= self.max_frames || over_bytes {
            return Err((WriterError::QueueFull, frame));
        }
        if self.queue.try_reserve(1).is_err() {
            return Err((WriterError::OutOfMemory, frame));
        }
        self.queue.push_back(frame);
        self.pending += len;
        Ok(())
    }

    /// Fills `out[..k]` with the unsent bytes in order, one slice per queued frame (the
    /// first starts where a partly sent frame stopped), and returns
    /// `k = min(out.len(), pending_frames)`. No slice is empty. The slices borrow the
    /// queued frames (no copy); no allocation, no atomic.
    pub fn io_slices<'a>(&'a self, out: &mut [IoSlice<'a>]) -> usize {
        let mut k = 0;
        for (slot, bytes) in out.iter_mut().zip(self.unsent()) {
            *slot = IoSlice::new(bytes);
            k += 1;
        }
        k
    }

    /// The unsent bytes in order, one non-empty slice per queued frame (the first
    /// starts where a partly sent frame stopped). No allocation, no atomic.
    pub fn unsent(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.queue
            .iter()
            .enumerate()
            .map(|(i, frame)| &frame.as_slice()[if i == 0 { self.sent } else { 0 }..])
    }

    /// Records that the next `n` unsent bytes were sent: releases (drops the share of)
    /// every frame now sent whole, in order; a partly sent frame stays first. No
    /// allocation; one atomic per frame released.
    ///
    /// [`WriterError::OutOfRange`] with nothing changed when `n > pending_bytes`.
    pub fn advance(&mut self, n: usize) -> Result<(), WriterError> {
        if n > self.pending {
            return Err(WriterError::OutOfRange);
        }
        self.pending -= n;
        let mut left = n;
        while let Some(first) = self.queue.front() {
            let rest = first.len() - self.sent;
            if left < rest {
                self.sent += left;
                break;
            }
            left -= rest;
            self.sent = 0;
            self.queue.pop_front();
        }
        Ok(())
    }

    /// Unsent bytes of every queued frame.
    pub fn pending_bytes(&self) -> usize {
        self.pending
    }

    /// Frames queued and not yet sent whole (a partly sent frame counts).
    pub fn pending_frames(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
