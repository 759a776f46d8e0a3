//! `iggy_writer_*` (docs/c-api.md): a bounded queue of frozen frames for vectored writes.
//! The caller owns the socket: it asks for iovecs, writes them (writev, sendmsg,
//! io_uring, a TLS library), and tells the writer how much was sent. A thin shell over
//! `stream::FrameWriter`.

use super::handle::{Boxed, Exclusive, Out, check_args, iggy_frozen, iggy_writer};
use super::handle::{release, view};
use super::panic::{boundary, boundary_or, status_boundary};
use super::status::iggy_status;
use crate::stream::FrameWriter;
use core::ffi::c_void;

/// One contiguous run of bytes to send: the layout of POSIX `struct iovec`, so an array
/// of them can be passed to `writev`/`sendmsg` as it is.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iggy_iovec {
    /// The first byte.
    pub base: *const c_void,
    /// The number of bytes.
    pub len: usize,
}

/// Creates a writer into `*out` holding at most `max_frames` frames (0: 1024) and, unless
/// its queue is empty, at most `max_bytes` pending bytes (0: no limit). Allocates the
/// writer's state (under 100 bytes); the queue grows as frames are pushed.
///
/// # Safety
/// `out` is NULL or writable `iggy_writer` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_init(
    max_frames: usize,
    max_bytes: usize,
    out: *mut iggy_writer,
) -> iggy_status {
    status_boundary(|| {
        let out = check_args!(out: Out)?;
        let writer = FrameWriter::try_new(max_frames, max_bytes).map_err(|e| e.status())?;
        out.put(Boxed::try_new(writer)?);
        Ok(())
    })
}

/// Queues `*frame` to be sent after the frames already queued; on IGGY_OK the writer
/// holds its share and `*frame` is consumed (zeroed). IGGY_ERR_QUEUE_FULL when
/// `pending_frames + 1 > max_frames` or `pending_bytes + len > max_bytes` (a frame
/// longer than `max_bytes` is accepted into an empty queue): `*frame` stays with the
/// caller, untouched. A frame of length 0 is accepted, counted against neither limit
/// and released at once. Never copies frame bytes; may grow the queue (one allocation,
/// amortised).
///
/// # Safety
/// `writer` and `frame` are NULL or handles nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_push(
    writer: *mut iggy_writer,
    frame: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        let (writer, frame) = check_args!(writer: Exclusive, frame: Exclusive)?;
        let (frame, slot) = frame.take_with_slot();
        writer
            .with_mut(|w| w.try_push(frame))
            .map_err(|(error, frame)| {
                slot.put(frame);
                error.status()
            })
    })
}

/// Fills `iov[0, count)` with the unsent bytes in order, one iovec per queued frame (the
/// first may start inside a partly sent frame), and returns `count = min(cap,
/// pending_frames)`; no iovec is empty. They point into the queued frames (no copy)
/// and stay valid until the next `iggy_writer_advance` or `iggy_writer_free`. 0 for a
/// NULL or empty writer, or a NULL `iov`. No allocation, no atomic.
///
/// # Safety
/// `writer` is NULL or a writer handle nobody writes meanwhile; `iov` is NULL or points
/// to `cap` writable `iggy_iovec`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_iovecs(
    writer: *const iggy_writer,
    iov: *mut iggy_iovec,
    cap: usize,
) -> usize {
    boundary(|| {
        // SAFETY: caller contract.
        let Some(writer) = (unsafe { view(writer) }) else {
            return 0;
        };
        if iov.is_null() {
            return 0;
        }
        let mut count = 0;
        for bytes in writer.unsent().take(cap) {
            let run = iggy_iovec {
                base: bytes.as_ptr().cast(),
                len: bytes.len(),
            };
            // SAFETY: caller contract: `cap` writable elements, and `count < cap`.
            unsafe { iov.add(count).write(run) };
            count += 1;
        }
        count
    })
}

/// `n` bytes were sent (what writev returned): releases every frame sent whole; a partly
/// sent frame stays first. `n > pending_bytes` is IGGY_ERR_OUT_OF_RANGE with nothing
/// changed. One atomic per frame released (its count); no allocation.
///
/// # Safety
/// `writer` is NULL or a writer handle nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_advance(writer: *mut iggy_writer, n: usize) -> iggy_status {
    status_boundary(|| {
        let writer = check_args!(writer: Exclusive)?;
        writer.with_mut(|w| w.advance(n)).map_err(|e| e.status())
    })
}

/// The bytes queued and not yet sent; 0 for a NULL or empty writer.
///
/// # Safety
/// `writer` is NULL or a writer handle nobody writes meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_pending_bytes(writer: *const iggy_writer) -> usize {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(writer) }.map_or(0, |w| w.pending_bytes())
    })
}

/// The frames queued and not yet sent whole; 0 for a NULL or empty writer.
///
/// # Safety
/// `writer` is NULL or a writer handle nobody writes meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_pending_frames(writer: *const iggy_writer) -> usize {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(writer) }.map_or(0, |w| w.pending_frames())
    })
}

/// Releases every queued frame and frees the writer, and zeroes the handle. NULL and
/// empty handles are a no-op.
///
/// # Safety
/// `writer` is NULL or a writer handle nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_free(writer: *mut iggy_writer) {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { release(writer) }
    })
}

/// Whether the handle is empty; true for NULL.
///
/// # Safety
/// `writer` is NULL or points to a readable `iggy_writer`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_writer_is_empty(writer: *const iggy_writer) -> bool {
    boundary_or(
        || true,
        || {
            // SAFETY: caller contract.
            unsafe { view(writer) }.is_none()
        },
    )
}
