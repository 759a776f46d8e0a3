//! Thread stress through the C ABI: 8 threads, each running 10^6 operations (API calls)
//! on buffers that share allocations: clone, slice, read and check the content, release;
//! a prefix and its tail released on different threads (the tail is sent to the next
//! thread); coalesce racing the release of a tail clone on the next thread. Content is
//! checked after every read, and at the end a counting allocator proves that every
//! buffer was freed.
//!
//! Meant for release mode: `cargo test --release --test stress -- --nocapture` (prints
//! the wall time and the rate). `IGGY_STRESS_OPS` overrides the operations per thread;
//! under Miri the counts are tiny. Also runs under ThreadSanitizer (see the README).

use iggy_consensus::status::Status;

use iggy_consensus::ffi::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;
use std::time::Instant;

// --- counting allocator ----------------------------------------------------------------

static LIVE_BUFFERS: AtomicUsize = AtomicUsize::new(0);
static BUFFERS_MADE: AtomicUsize = AtomicUsize::new(0);

struct Counting;

fn is_buffer(layout: Layout) -> bool {
    layout.align() >= iggy_consensus::buf::MESSAGE_ALIGN
}

// SAFETY: forwards to `System`; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && is_buffer(layout) {
            LIVE_BUFFERS.fetch_add(1, Ordering::Relaxed);
            BUFFERS_MADE.fetch_add(1, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_buffer(layout) {
            LIVE_BUFFERS.fetch_sub(1, Ordering::Relaxed);
        }
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

// --- handles ----------------------------------------------------------------------------

#[path = "common/handle.rs"]
mod handle;
use handle::{Buf, Fro, Pre};

const THREADS: usize = 8;
const ROOT_LEN: usize = 1024;

fn ops_per_thread() -> usize {
    if cfg!(miri) {
        return 300;
    }
    std::env::var("IGGY_STRESS_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// The content of every buffer made here: a function of a seed and the index.
fn byte(seed: u8, i: usize) -> u8 {
    seed.wrapping_mul(31) ^ (i as u8).wrapping_mul(7) ^ (i >> 8) as u8
}

fn pattern(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| byte(seed, i)).collect()
}

/// A tiny deterministic generator, one per thread.
#[path = "common/xorshift.rs"]
mod xorshift;
use xorshift::XorShift;

/// A frozen handle sent to another thread, which checks and releases it.
struct Parcel {
    handle: Fro,
    /// Its expected bytes: `pattern(seed, ..)[from..from + len]`.
    seed: u8,
    from: usize,
    len: usize,
}

/// Per-thread state: the operation count and the neighbour's inbox.
struct Worker<'a> {
    ops: usize,
    rng: XorShift,
    root: &'a Fro,
    root_bytes: &'a [u8],
    inbox: Receiver<Parcel>,
    next: Sender<Parcel>,
}

fn check(f: &Fro, expected: &[u8]) {
    // SAFETY: a live handle; `[0, len)` is readable while it lives.
    let got = unsafe {
        let (data, len) = (iggy_frozen_data(f.p()), iggy_frozen_len(f.p()));
        std::slice::from_raw_parts(data, len)
    };
    assert!(
        got == expected,
        "content differs ({} vs {} bytes)",
        got.len(),
        expected.len()
    );
}

fn check_prefix(p: &mut Pre, expected: &[u8]) {
    // SAFETY: a live handle owned by this thread.
    let got = unsafe {
        let (data, len) = (iggy_prefix_data(p.m()), iggy_prefix_len(p.p()));
        std::slice::from_raw_parts(data, len)
    };
    assert!(got == expected, "prefix content differs");
}

impl Worker<'_> {
    fn clone(&mut self, f: &Fro) -> Fro {
        let mut out = Fro::empty();
        // SAFETY: `f` is live (shared access allowed), `out` is this thread's.
        assert_eq!(unsafe { iggy_frozen_clone(f.p(), out.m()) }, Status::OK.0);
        self.ops += 1;
        out
    }

    fn slice(&mut self, f: &Fro, start: usize, end: usize) -> Fro {
        let mut out = Fro::empty();
        assert_eq!(
            // SAFETY: as for `clone`.
            unsafe { iggy_frozen_slice(f.p(), start, end, out.m()) },
            Status::OK.0
        );
        self.ops += 1;
        out
    }

    fn release(&mut self, mut f: Fro) {
        // SAFETY: owned by this thread.
        unsafe { iggy_frozen_release(f.m()) };
        self.ops += 1;
    }

    fn read(&mut self, f: &Fro, expected: &[u8]) {
        check(f, expected);
        self.ops += 1;
    }

    /// A new prefix and tail over `pattern(seed, len)`, split at `at`.
    fn split(&mut self, seed: u8, len: usize, at: usize) -> (Pre, Fro) {
        let bytes = pattern(seed, len);
        let (mut b, mut p, mut t) = (Buf::empty(), Pre::empty(), Fro::empty());
        // SAFETY: a valid slice; outputs owned by this thread.
        unsafe {
            assert_eq!(iggy_buf_copy_from(bytes.as_ptr(), len, b.m()), Status::OK.0);
            assert_eq!(iggy_buf_split_at(b.m(), at, p.m(), t.m()), Status::OK.0);
        }
        self.ops += 2;
        (p, t)
    }

    /// Checks and releases what other threads sent here.
    fn drain(&mut self) {
        while let Ok(parcel) = self.inbox.try_recv() {
            let expected = pattern(parcel.seed, parcel.from + parcel.len);
            self.read(&parcel.handle, &expected[parcel.from..]);
            self.release(parcel.handle);
        }
    }

    fn send(&mut self, handle: Fro, seed: u8, from: usize, len: usize) {
        let parcel = Parcel {
            handle,
            seed,
            from,
            len,
        };
        self.next.send(parcel).expect("the next thread is alive");
    }

    /// Clone, slice, read, release on the shared root.
    fn shared_reads(&mut self) {
        let c = self.clone(self.root);
        self.read(&c, self.root_bytes);
        let start = self.rng.below(ROOT_LEN);
        let end = start + self.rng.below(ROOT_LEN - start + 1);
        let s = self.slice(&c, start, end);
        self.release(c);
        self.read(&s, &self.root_bytes[start..end]);
        let (a, b) = (
            self.rng.below(end - start + 1),
            self.rng.below(end - start + 1),
        );
        let (a, b) = (a.min(b), a.max(b));
        let s2 = self.slice(&s, a, b);
        let s3 = self.clone(&s2);
        self.release(s);
        self.read(&s3, &self.root_bytes[start + a..start + b]);
        self.release(s2);
        self.release(s3);
    }

    /// A prefix and its tail released on different threads.
    fn split_and_send(&mut self) {
        let seed = self.rng.next() as u8;
        let len = 1 + self.rng.below(600);
        let at = self.rng.below(len + 1);
        let (mut p, t) = self.split(seed, len, at);
        let expected = pattern(seed, len);
        self.read(&t, &expected[at..]);
        self.send(t, seed, at, len - at);
        // Write the prefix while the next thread may be reading the tail.
        if at > 0 {
            // SAFETY: the prefix is this thread's; `[0, at)` is writable.
            unsafe { iggy_prefix_data(p.m()).write(!expected[0]) };
            let mut head = expected[..at].to_vec();
            head[0] = !head[0];
            check_prefix(&mut p, &head);
            self.ops += 2;
        }
        // SAFETY: owned by this thread.
        unsafe { iggy_prefix_free(p.m()) };
        self.ops += 1;
    }

    /// Coalesce racing the release of a tail clone on the next thread.
    fn coalesce_race(&mut self) {
        let seed = self.rng.next() as u8;
        let len = 2 + self.rng.below(600);
        let at = 1 + self.rng.below(len - 1);
        let (mut p, mut t) = self.split(seed, len, at);
        let expected = pattern(seed, len);
        let extra = self.clone(&t);
        self.send(extra, seed, at, len - at);
        let mut out = Fro::empty();
        loop {
            // SAFETY: the prefix and tail are this thread's; `out` is distinct.
            let status = unsafe { iggy_prefix_coalesce(p.m(), t.m(), out.m()) };
            self.ops += 1;
            if status == Status::OK.0 {
                break;
            }
            assert_eq!(status, Status::COALESCE_REFUSED.0);
            check_prefix(&mut p, &expected[..at]);
            self.read(&t, &expected[at..]);
            // The next thread may be waiting on us in the same way.
            self.drain();
            thread::yield_now();
        }
        self.read(&out, &expected);
        self.release(out);
    }

    fn run(&mut self, target: usize) {
        let mut i = 0usize;
        while self.ops < target {
            match i % 64 {
                0 => self.split_and_send(),
                32 => self.coalesce_race(),
                _ => self.shared_reads(),
            }
            self.drain();
            i += 1;
        }
    }
}

#[test]
fn eight_threads_share_clone_slice_split_and_coalesce() {
    let base = LIVE_BUFFERS.load(Ordering::Relaxed);
    let made_before = BUFFERS_MADE.load(Ordering::Relaxed);
    let target = ops_per_thread();
    let root_bytes = pattern(0x5A, ROOT_LEN);
    let mut root = Fro::empty();
    let mut b = Buf::empty();
    // SAFETY: a valid slice; handles owned by this test.
    unsafe {
        assert_eq!(
            iggy_buf_copy_from(root_bytes.as_ptr(), ROOT_LEN, b.m()),
            Status::OK.0
        );
        assert_eq!(iggy_buf_freeze(b.m(), root.m()), Status::OK.0);
    }
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..THREADS).map(|_| channel()).unzip();
    let finished = AtomicUsize::new(0);
    let started = Instant::now();
    let total: usize = thread::scope(|s| {
        let workers: Vec<_> = receivers
            .into_iter()
            .enumerate()
            .map(|(id, inbox)| {
                let next = senders[(id + 1) % THREADS].clone();
                let (root, root_bytes, finished) = (&root, &root_bytes[..], &finished);
                s.spawn(move || {
                    let mut w = Worker {
                        ops: 0,
                        rng: XorShift(0x9E37_79B9_7F4A_7C15 ^ ((id as u64 + 1) * 0x1234_5678)),
                        root,
                        root_bytes,
                        inbox,
                        next,
                    };
                    w.run(target);
                    // Keep releasing what the others send until every thread is done.
                    finished.fetch_add(1, Ordering::AcqRel);
                    while finished.load(Ordering::Acquire) < THREADS {
                        w.drain();
                        thread::yield_now();
                    }
                    w.drain();
                    w.ops
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let elapsed = started.elapsed();
    drop(senders);
    check(&root, &root_bytes);
    // SAFETY: the last handle of the root.
    unsafe { iggy_frozen_release(root.m()) };
    let made = BUFFERS_MADE.load(Ordering::Relaxed) - made_before;
    assert_eq!(
        LIVE_BUFFERS.load(Ordering::Relaxed),
        base,
        "buffers alive after every handle was released"
    );
    assert!(total >= THREADS * target);
    println!(
        "stress: {THREADS} threads, {total} operations in {:.3} s = {:.1} M ops/s; {made} buffers made and freed",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64() / 1e6
    );
}
