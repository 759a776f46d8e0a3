//! Threads through the C ABI: clone and release racing on one handle, the last share
//! released on either thread, a prefix and its tail released on different threads, and
//! coalesce racing the release of a tail clone (iobuf.md §6.15, §6.16). Runs natively
//! and under Miri, whose data-race detector and weak-memory emulation check the
//! orderings; fewer iterations under Miri.
//!
//! A counting allocator checks that every buffer is freed, whichever thread frees it.
//! The tests of this binary take one lock so that the counts are their own.

use iggy_consensus::status::Status;

use iggy_consensus::ffi::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Barrier, Mutex, MutexGuard};
use std::thread;

static LIVE_BUFFERS: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: forwards to `System`; the counter is a plain atomic.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && layout.align() >= 4096 {
            LIVE_BUFFERS.fetch_add(1, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.align() >= 4096 {
            LIVE_BUFFERS.fetch_sub(1, Relaxed);
        }
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

static SERIAL: Mutex<()> = Mutex::new(());

/// Serialises the tests and checks, when dropped, that every buffer is freed.
struct Leaks {
    base: usize,
    _serial: MutexGuard<'static, ()>,
}

fn leaks() -> Leaks {
    let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    Leaks {
        base: LIVE_BUFFERS.load(Relaxed),
        _serial: serial,
    }
}

impl Drop for Leaks {
    fn drop(&mut self) {
        if !thread::panicking() {
            assert_eq!(LIVE_BUFFERS.load(Relaxed), self.base, "buffers leaked");
        }
    }
}

const ROUNDS: usize = if cfg!(miri) { 4 } else { 500 };

#[path = "common/handle.rs"]
mod handle;
use handle::{Fro, GARBAGE, H, Pre};

fn frozen_of(bytes: &[u8]) -> Fro {
    let mut b = H::<iggy_buf>::garbage();
    let mut f = Fro::garbage();
    // SAFETY: valid slice, writable outputs.
    unsafe {
        assert_eq!(
            iggy_buf_copy_from(bytes.as_ptr(), bytes.len(), b.m()),
            Status::OK.0
        );
        assert_eq!(iggy_buf_freeze(b.m(), f.m()), Status::OK.0);
    }
    f
}

fn split(bytes: &[u8], at: usize) -> (Pre, Fro) {
    let mut b = H::<iggy_buf>::garbage();
    let (mut p, mut t) = (Pre::garbage(), Fro::garbage());
    // SAFETY: valid slice, writable distinct outputs.
    unsafe {
        assert_eq!(
            iggy_buf_copy_from(bytes.as_ptr(), bytes.len(), b.m()),
            Status::OK.0
        );
        assert_eq!(iggy_buf_split_at(b.m(), at, p.m(), t.m()), Status::OK.0);
    }
    (p, t)
}

fn fbytes(f: &Fro) -> &[u8] {
    // SAFETY: a live handle: `[0, len)` is readable while it lives.
    unsafe { std::slice::from_raw_parts(iggy_frozen_data(f.p()), iggy_frozen_len(f.p())) }
}

fn pbytes(p: &mut Pre) -> &[u8] {
    // SAFETY: a live handle: `[0, len)` is readable while it lives.
    unsafe { std::slice::from_raw_parts(iggy_prefix_data(p.m()), iggy_prefix_len(p.p())) }
}

fn clone(f: &Fro) -> Fro {
    let mut out = Fro::garbage();
    // SAFETY: a live input (shared access is allowed from many threads), own output.
    assert_eq!(unsafe { iggy_frozen_clone(f.p(), out.m()) }, Status::OK.0);
    out
}

fn release(mut f: Fro) {
    // SAFETY: the handle is owned here.
    unsafe { iggy_frozen_release(f.m()) };
    assert_eq!(f.words(), [0; 4], "release zeroes the handle");
}

fn coalesce(p: &mut Pre, t: &mut Fro, out: &mut Fro) -> iggy_status {
    // SAFETY: handles owned by the calling thread, distinct.
    unsafe { iggy_prefix_coalesce(p.m(), t.m(), out.m()) }
}

/// The payload of the handle the threads share.
const PAYLOAD: &[u8] = b"shared payload";

/// Runs `body(shared, id)` on `threads` threads at once, all on one frozen of
/// [`PAYLOAD`]; afterwards the frozen still holds it, and is released.
fn on_one_shared_frozen(threads: usize, body: impl Fn(&Fro, usize) + Sync) {
    let shared = frozen_of(PAYLOAD);
    thread::scope(|s| {
        for id in 0..threads {
            let (shared, body) = (&shared, &body);
            s.spawn(move || body(shared, id));
        }
    });
    assert_eq!(fbytes(&shared), PAYLOAD);
    release(shared);
}

#[test]
fn clone_and_release_race_on_one_handle() {
    let _leaks = leaks();
    let barrier = Barrier::new(2);
    on_one_shared_frozen(2, |shared, id| {
        barrier.wait();
        for i in 0..ROUNDS {
            // `const` functions on one handle from both threads at once.
            let c = clone(shared);
            let mut sl = Fro::garbage();
            let (start, end) = ((i + id) % 7, 7 + (i % 8));
            // SAFETY: shared access to a live handle; own output.
            let status = unsafe { iggy_frozen_slice(shared.p(), start, end, sl.m()) };
            assert_eq!(status, Status::OK.0);
            assert_eq!(fbytes(&c), PAYLOAD);
            assert_eq!(fbytes(&sl), &PAYLOAD[start..end]);
            assert_eq!(fbytes(shared), PAYLOAD);
            // SAFETY: shared access.
            assert!(!unsafe { iggy_frozen_is_empty(shared.p()) });
            release(c);
            release(sl);
        }
    });
}

#[test]
fn the_last_release_frees_on_either_thread() {
    let _leaks = leaks();
    for round in 0..ROUNDS {
        let a = frozen_of(&[round as u8; 64]);
        let b = clone(&a);
        let barrier = Barrier::new(2);
        thread::scope(|s| {
            for handle in [a, b] {
                let barrier = &barrier;
                s.spawn(move || {
                    assert_eq!(fbytes(&handle), [round as u8; 64]);
                    barrier.wait();
                    release(handle);
                });
            }
        });
    }
}

#[test]
fn prefix_and_tail_released_on_different_threads() {
    let _leaks = leaks();
    for round in 0..ROUNDS {
        let (mut prefix, tail) = split(b"header|body-bytes", 7);
        let barrier = Barrier::new(2);
        thread::scope(|s| {
            let b = &barrier;
            s.spawn(move || {
                // The writable head: written and read here while the tail is read there.
                // SAFETY: the prefix is owned by this thread; `[0, 7)` is writable.
                unsafe { iggy_prefix_data(prefix.m()).write(b'H') };
                assert_eq!(pbytes(&mut prefix), b"Header|");
                b.wait();
                // SAFETY: owned here.
                unsafe { iggy_prefix_free(prefix.m()) };
                assert_eq!(prefix.words(), [0; 4]);
            });
            s.spawn(move || {
                assert_eq!(fbytes(&tail), b"body-bytes");
                b.wait();
                if round % 2 == 0 {
                    // A clone taken and released here too.
                    let c = clone(&tail);
                    release(tail);
                    assert_eq!(fbytes(&c), b"body-bytes");
                    release(c);
                } else {
                    release(tail);
                }
            });
        });
    }
}

#[test]
fn coalesce_races_the_release_of_a_tail_clone() {
    // iobuf.md §6.16: either outcome is fine; a refusal leaves both intact and a retry
    // after the join succeeds.
    let _leaks = leaks();
    let (mut merged_first, mut refused_first) = (0, 0);
    for _ in 0..ROUNDS {
        let (mut prefix, mut tail) = split(b"hello world", 5);
        let extra = clone(&tail);
        let whole = thread::scope(|s| {
            s.spawn(move || release(extra));
            let mut out = Fro::garbage();
            match coalesce(&mut prefix, &mut tail, &mut out) {
                ok if ok == Status::OK.0 => {
                    merged_first += 1;
                    Some(out)
                }
                status => {
                    assert_eq!(status, Status::COALESCE_REFUSED.0);
                    assert_eq!(out.words(), GARBAGE);
                    assert_eq!(pbytes(&mut prefix), b"hello");
                    assert_eq!(fbytes(&tail), b" world");
                    refused_first += 1;
                    None
                }
            }
        });
        let whole = whole.unwrap_or_else(|| {
            let mut out = Fro::garbage();
            // The clone is released: the thread was joined.
            assert_eq!(coalesce(&mut prefix, &mut tail, &mut out), Status::OK.0);
            out
        });
        assert_eq!(fbytes(&whole), b"hello world");
        release(whole);
    }
    assert_eq!(merged_first + refused_first, ROUNDS);
}

#[test]
fn four_threads_clone_read_and_release() {
    // iobuf.md §6.15.
    let _leaks = leaks();
    on_one_shared_frozen(4, |original, _| {
        for _ in 0..ROUNDS.min(200) {
            let a = clone(original);
            let b = clone(&a);
            let c = clone(&b);
            for h in [&a, &b, &c] {
                assert_eq!(fbytes(h), PAYLOAD);
            }
            release(a);
            release(c);
            release(b);
        }
    });
}

#[test]
fn can_coalesce_reads_while_clones_come_and_go() {
    // `iggy_prefix_can_coalesce` and `iggy_frozen_clone` take `const` handles: both may
    // run while another thread clones and releases the tail.
    let _leaks = leaks();
    let (mut prefix, mut tail) = split(b"abcdefgh", 3);
    thread::scope(|s| {
        let (p, t) = (&prefix, &tail);
        s.spawn(move || {
            for _ in 0..ROUNDS {
                release(clone(t));
            }
        });
        for _ in 0..ROUNDS {
            // SAFETY: shared access to live handles.
            let _ = unsafe { iggy_prefix_can_coalesce(p.p(), t.p()) };
            // SAFETY: as above.
            assert!(unsafe { iggy_prefix_aliases(p.p(), t.p()) });
        }
    });
    // SAFETY: owned here again.
    assert!(unsafe { iggy_prefix_can_coalesce(prefix.p(), tail.p()) });
    let mut out = Fro::garbage();
    assert_eq!(coalesce(&mut prefix, &mut tail, &mut out), Status::OK.0);
    assert_eq!(fbytes(&out), b"abcdefgh");
    release(out);
}
