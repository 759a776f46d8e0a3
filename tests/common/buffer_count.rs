//! A per-thread counting allocator for the library's buffers (allocations aligned to
//! `MESSAGE_ALIGN` or more), installed as the test binary's global allocator by
//! including this file (`#[path = "common/buffer_count.rs"] mod buffer_count;`). Each
//! thread counts only its own allocations, so tests running in parallel do not
//! disturb each other's figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// Buffers allocated and freed by this thread.
    static MADE: Cell<usize> = const { Cell::new(0) };
    static FREED: Cell<usize> = const { Cell::new(0) };
}

struct PerThread;

fn is_buffer(layout: Layout) -> bool {
    layout.align() >= iggy_consensus::buf::MESSAGE_ALIGN
}

// SAFETY: forwards to `System`; the counters are const-initialised thread-locals
// without destructors, which never allocate.
unsafe impl GlobalAlloc for PerThread {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_buffer(layout) {
            MADE.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_buffer(layout) {
            MADE.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_buffer(layout) {
            FREED.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: PerThread = PerThread;

/// The buffers this thread has allocated and freed so far.
pub fn counts() -> (usize, usize) {
    (MADE.with(Cell::get), FREED.with(Cell::get))
}
