//! Streams, sans I/O: a [`FrameReader`] that cuts checked frames out of a byte stream
//! and a [`FrameWriter`] that queues frozen frames for a vectored write (docs/c-api.md).
//!
//! The caller owns the socket and makes every system call, so the same types serve
//! blocking sockets, readiness loops (epoll, kqueue), completion rings (io_uring), a
//! TLS library's plaintext side and Go's `net.Conn`. Neither type does I/O, spawns a
//! thread or keeps global state. Wire framing is the wire spec's §i: a 256-byte header
//! holding `size` (little-endian `u32` at byte 48), then `size - 256` body bytes.
//!
//! # Reading
//!
//! ```text
//! loop {
//!     let n = read(socket, reader.buffer()?);      // at least read_ahead bytes offered
//!     unsafe { reader.commit(n)? };                 // vouches n bytes were written;
//!                                                   // checks what they complete
//!     while let Ok(frame) = reader.next() { .. }    // 4096-aligned Owned, len == size
//! }
//! reader.finish()?;                                 // at EOF: Truncated if mid-frame
//! ```
//!
//! * **Model.** Small frames are read many per read into one read-ahead buffer and
//!   copied out one by one by `next`; a frame whose body is longer than `read_ahead`
//!   gets its own buffer as soon as its header is held and the rest of it is read in
//!   place, never copied. Bytes the caller already holds go in with `feed`.
//! * **Checks.** The header is checked as soon as its 256 bytes are held (command,
//!   `256 <= size <= max_frame`), before anything is allocated for the body; the
//!   configured [`Validation`] runs on each whole frame before it is copied anywhere.
//!   The first bad frame fails the reader for good (sticky errors); the frames before
//!   it can still be taken.
//! * **Memory bound.** The frame in progress, the bytes that came with it past its end
//!   (at most one read's worth; for `feed`, the bytes given), and the complete frames
//!   not yet taken. A hostile `size` costs no allocation.
//! * **Costs.** Per small frame: one allocation and one copy in `next`. Per large frame:
//!   one allocation, the bytes that arrived with its header moved once, the body read
//!   in place and handed over by `next` as it is. `feed` copies the bytes it is given
//!   once, into a large frame's own buffer or into the read-ahead buffer.
//! * **Threads.** Both types are `Send` and `Sync` and used by one thread at a time
//!   (`&mut self`); frames going in and out are ordinary buffers.
//!
//! # Writing
//!
//! [`FrameWriter`] holds one share of each queued [`Frozen`](crate::buf::Frozen) frame
//! and never copies its bytes; [`FrameWriter::io_slices`] gives them for
//! `write_vectored`/`writev`, starting inside a partly sent frame, and
//! [`FrameWriter::advance`] releases the frames sent whole. Limits on queued frames and
//! pending bytes give backpressure: a refused push hands the frame back.

mod reader;
mod writer;

pub use reader::{FrameReader, ReadError, ReaderConfig, Validation};
pub use writer::{FrameWriter, WriterError};
