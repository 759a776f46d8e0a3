//! A counting global allocator: live allocations and bytes, overall and for the
//! 4096-aligned allocations (every buffer of the library, and nothing else here).
//!
//! A binary installs it with
//! `#[global_allocator] static ALLOC: Counting = Counting;` and reads [`stats`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering, Ordering::Relaxed};

/// Allocations at or above this alignment are counted as buffers.
pub const BUFFER_ALIGN: usize = 4096;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE_BUFFERS: AtomicUsize = AtomicUsize::new(0);
static LIVE_BUFFER_BYTES: AtomicUsize = AtomicUsize::new(0);
static BUFFERS_EVER: AtomicUsize = AtomicUsize::new(0);

/// A snapshot of the counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Live allocations of any alignment.
    pub live: usize,
    /// Their bytes.
    pub live_bytes: usize,
    /// Live 4096-aligned allocations (library buffers).
    pub live_buffers: usize,
    /// Their bytes.
    pub live_buffer_bytes: usize,
    /// 4096-aligned allocations made so far (reallocations not included).
    pub buffers_ever: usize,
}

impl Stats {
    /// The counters without the monotonic one, for "back to where it was" checks.
    pub fn live_only(self) -> (usize, usize, usize, usize) {
        (
            self.live,
            self.live_bytes,
            self.live_buffers,
            self.live_buffer_bytes,
        )
    }
}

/// The current counters.
pub fn stats() -> Stats {
    Stats {
        live: LIVE.load(Relaxed),
        live_bytes: LIVE_BYTES.load(Relaxed),
        live_buffers: LIVE_BUFFERS.load(Relaxed),
        live_buffer_bytes: LIVE_BUFFER_BYTES.load(Relaxed),
        buffers_ever: BUFFERS_EVER.load(Relaxed),
    }
}

/// The system allocator, counting.
pub struct Counting;

/// Moves the live counters by one allocation of `layout`: `step` is
/// `AtomicUsize::fetch_add` for an allocation, `AtomicUsize::fetch_sub` for a free.
fn step_live(layout: Layout, step: fn(&AtomicUsize, usize, Ordering) -> usize) {
    step(&LIVE, 1, Relaxed);
    step(&LIVE_BYTES, layout.size(), Relaxed);
    if layout.align() >= BUFFER_ALIGN {
        step(&LIVE_BUFFERS, 1, Relaxed);
        step(&LIVE_BUFFER_BYTES, layout.size(), Relaxed);
    }
}

fn added(layout: Layout) {
    step_live(layout, AtomicUsize::fetch_add);
    if layout.align() >= BUFFER_ALIGN {
        BUFFERS_EVER.fetch_add(1, Relaxed);
    }
}

fn removed(layout: Layout) {
    step_live(layout, AtomicUsize::fetch_sub);
}

// SAFETY: every call is forwarded to `System` unchanged; the counters are plain atomics
// and never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            added(layout);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            added(layout);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        removed(layout);
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE_BYTES.fetch_add(new_size, Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
            if layout.align() >= BUFFER_ALIGN {
                LIVE_BUFFER_BYTES.fetch_add(new_size, Relaxed);
                LIVE_BUFFER_BYTES.fetch_sub(layout.size(), Relaxed);
            }
        }
        new
    }
}
