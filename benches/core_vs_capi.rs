//! `cargo bench --bench core_vs_capi`: every operation of `benches/bench.c` on the Rust
//! core (`core`) and through the extern "C" functions (`capi`), side by side in one
//! process, so the C API's cost over the core is known per operation. BENCHMARKS.md
//! explains the rows and the ratios.
//!
//! The `core` side is what a Rust caller writes: the core's calls inline into the
//! loop. The `capi` side calls `iggy_consensus::ffi::*` exactly as C does (handles in
//! caller memory, status codes); from Rust these are direct calls into the rlib, where
//! C goes through the shared library's PLT (`benches/bench.c` measures that path).
//!
//! `IGGY_BENCH_COUNT=N` runs every loop exactly `N` times instead, untimed, for
//! `valgrind --tool=callgrind`: instructions per operation are the inclusive cost of a
//! `count_*` function divided by `N` (`benches/callgrind.py` does this).

use core::ptr::{copy_nonoverlapping, null_mut};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use iggy_consensus::buf::{Frozen, Owned};
use iggy_consensus::ffi::{
    iggy_buf, iggy_buf_data, iggy_buf_free, iggy_buf_freeze, iggy_buf_set_len, iggy_buf_split_at,
    iggy_buf_with_capacity, iggy_frame_validate, iggy_frames_validate, iggy_frozen,
    iggy_frozen_clone, iggy_frozen_copy_from, iggy_frozen_release, iggy_frozen_slice,
    iggy_header_seal, iggy_prefix, iggy_prefix_coalesce, iggy_prefix_data, iggy_status,
};
use iggy_consensus::status::Status;
use iggy_consensus::wire::checksum::{frame_seal, seal, xxh3_64};
use iggy_consensus::wire::validate::frame_status;

/// The message buffer: 4 KiB, 4096-aligned.
const CAP: usize = 4096;
/// One header.
const HDR: usize = 256;
/// Frames per batch validation call.
const BATCH: usize = 1024;
/// The split row's frames: header + 256 B body (as in bench.c).
const SPLIT_LEN: usize = 512;
/// Samples per bench, and iterations per sample: fixed (not calibrated from a first,
/// possibly page-faulting, call) so every sample is far above the timer's precision.
/// The whole run takes a few seconds.
const SAMPLES: u32 = 200;
const PER_SAMPLE: u32 = 1000;

// --- fixtures ---------------------------------------------------------------------------

/// A 256-byte header, aligned as the library's buffers are (the core reads it in place).
#[repr(C, align(64))]
#[derive(Clone, Copy)]
struct Header([u8; HDR]);

impl Header {
    fn put(&mut self, offset: usize, bytes: &[u8]) {
        self.0[offset..offset + bytes.len()].copy_from_slice(bytes);
    }
}

/// A valid, unsealed Request (SendMessages, client != 0, session and request > 0).
fn request(request: u64) -> Header {
    let mut h = Header([0; HDR]);
    h.put(48, &(HDR as u32).to_le_bytes()); // size
    h.0[60] = 5; // command: Request
    h.put(128, &0xc11e47u128.to_le_bytes()); // client
    h.put(168, &request.to_le_bytes()); // request
    h.0[176] = 160; // operation: SendMessages
    h.put(184, &1u64.to_le_bytes()); // session
    h
}

/// A valid Commit, sealed.
fn commit(commit: u64) -> Header {
    let mut h = Header([0; HDR]);
    h.put(48, &(HDR as u32).to_le_bytes()); // size
    h.put(52, &3u32.to_le_bytes()); // view
    h.0[60] = 9; // command: Commit
    h.put(152, &commit.to_le_bytes()); // commit
    h.put(160, &(commit - 1).to_le_bytes()); // checkpoint_op
    h.put(168, &1u64.to_le_bytes()); // group
    seal(&mut h.0).expect("a Commit header seals");
    h
}

fn ok(status: iggy_status, what: &str) {
    assert_eq!(status, Status::OK.0, "{what}");
}

/// A frozen C handle, released on drop.
struct FrozenHandle(iggy_frozen);

impl Drop for FrozenHandle {
    fn drop(&mut self) {
        // SAFETY: the handle is ours, live or empty.
        unsafe { iggy_frozen_release(&mut self.0) };
    }
}

/// A C buffer of `len` bytes `fill`, 4 KiB capacity, header first.
fn capi_buf(len: usize, fill: u8) -> iggy_buf {
    let mut b = iggy_buf::default();
    // SAFETY: `b` is a writable handle; the writes stay inside the capacity.
    unsafe {
        ok(
            iggy_buf_with_capacity(CAP, &mut b),
            "iggy_buf_with_capacity",
        );
        let data = iggy_buf_data(&mut b);
        data.write_bytes(fill, len);
        copy_nonoverlapping(request(1).0.as_ptr(), data, HDR.min(len));
        ok(iggy_buf_set_len(&mut b, len), "iggy_buf_set_len");
    }
    b
}

/// A frozen 4 KiB frame through the C API.
fn capi_frozen() -> FrozenHandle {
    let mut b = capi_buf(CAP, 0x5a);
    let mut f = FrozenHandle(iggy_frozen::default());
    // SAFETY: live handles of their types.
    ok(
        unsafe { iggy_buf_freeze(&mut b, &mut f.0) },
        "iggy_buf_freeze",
    );
    f
}

/// A core buffer of `len` bytes `fill`, 4 KiB capacity, header first.
fn core_owned(len: usize, fill: u8) -> Owned<CAP> {
    let mut b = Owned::<CAP>::with_capacity(CAP);
    b.extend_from_slice(&request(1).0[..HDR.min(len)]);
    b.extend_from_slice(&vec![fill; len - HDR.min(len)]);
    b
}

/// A frozen 4 KiB frame in the core.
fn core_frozen() -> Frozen<CAP> {
    core_owned(CAP, 0x5a).freeze()
}

/// `BATCH` frames, Requests and Commits alternating, contiguous.
struct Batch {
    frames: Vec<Header>,
    ptrs: Vec<*const u8>,
    lens: Vec<usize>,
    statuses: Vec<iggy_status>,
}

fn batch() -> Batch {
    let frames: Vec<Header> = (0..BATCH as u64)
        .map(|i| {
            if i % 2 == 0 {
                request(i + 1)
            } else {
                commit(i + 1)
            }
        })
        .collect();
    let ptrs = frames.iter().map(|f| f.0.as_ptr()).collect();
    Batch {
        frames,
        ptrs,
        lens: vec![HDR; BATCH],
        statuses: vec![Status::OK.0; BATCH],
    }
}

// --- the operations: one iteration each, shared by the benches and the count mode ------

mod op {
    use super::*;

    #[inline(always)]
    pub fn core_alloc_free() {
        let b = Owned::<CAP>::try_with_capacity(black_box(CAP)).expect("alloc");
        black_box(&b);
    }

    #[inline(always)]
    pub fn capi_alloc_free() {
        let mut b = iggy_buf::default();
        // SAFETY: `b` is a writable handle.
        unsafe {
            ok(iggy_buf_with_capacity(black_box(CAP), &mut b), "alloc");
            black_box(&mut b);
            iggy_buf_free(&mut b);
        }
    }

    #[inline(always)]
    pub fn core_alloc_freeze_release(header: &Header) {
        let mut b = Owned::<CAP>::try_with_capacity(black_box(CAP)).expect("alloc");
        // SAFETY: the capacity holds HDR bytes, written before `try_set_len`.
        unsafe {
            copy_nonoverlapping(header.0.as_ptr(), b.as_mut_ptr(), HDR);
            b.try_set_len(HDR).expect("set_len");
        }
        let f = b.try_freeze().expect("freeze");
        black_box(&f);
    }

    #[inline(always)]
    pub fn capi_alloc_freeze_release(header: &Header) {
        let mut b = iggy_buf::default();
        let mut f = iggy_frozen::default();
        // SAFETY: writable handles; the capacity holds HDR bytes.
        unsafe {
            ok(iggy_buf_with_capacity(black_box(CAP), &mut b), "alloc");
            copy_nonoverlapping(header.0.as_ptr(), iggy_buf_data(&mut b), HDR);
            ok(iggy_buf_set_len(&mut b, HDR), "set_len");
            ok(iggy_buf_freeze(&mut b, &mut f), "freeze");
            black_box(&mut f);
            iggy_frozen_release(&mut f);
        }
    }

    #[inline(always)]
    pub fn core_frame_from_bytes(header: &Header) {
        let f = Owned::<CAP>::try_copy_from_slice(&black_box(header).0)
            .expect("alloc")
            .try_freeze()
            .expect("freeze");
        black_box(&f);
    }

    #[inline(always)]
    pub fn capi_frame_from_bytes(header: &Header) {
        let mut f = iggy_frozen::default();
        // SAFETY: HDR readable bytes and a writable output.
        unsafe {
            let h = black_box(header);
            ok(
                iggy_frozen_copy_from(h.0.as_ptr(), HDR, &mut f),
                "copy_from",
            );
            black_box(&mut f);
            iggy_frozen_release(&mut f);
        }
    }

    #[inline(always)]
    pub fn core_clone_release(frame: &Frozen<CAP>) {
        let c = black_box(frame).clone();
        black_box(&c);
    }

    #[inline(always)]
    pub fn capi_clone_release(frame: &FrozenHandle) {
        let mut c = iggy_frozen::default();
        // SAFETY: a live handle and a writable output.
        unsafe {
            ok(iggy_frozen_clone(black_box(&frame.0), &mut c), "clone");
            black_box(&mut c);
            iggy_frozen_release(&mut c);
        }
    }

    #[inline(always)]
    pub fn core_slice_release(frame: &Frozen<CAP>) {
        let s = black_box(frame)
            .try_slice(black_box(16)..black_box(200))
            .expect("slice");
        black_box(&s);
    }

    #[inline(always)]
    pub fn capi_slice_release(frame: &FrozenHandle) {
        let mut s = iggy_frozen::default();
        // SAFETY: a live handle and a writable output.
        unsafe {
            let status =
                iggy_frozen_slice(black_box(&frame.0), black_box(16), black_box(200), &mut s);
            ok(status, "slice");
            black_box(&mut s);
            iggy_frozen_release(&mut s);
        }
    }

    /// Split, rewrite the header in the prefix, coalesce; the frame is returned so that
    /// its release is not timed.
    #[inline(always)]
    pub fn core_split_coalesce(b: Owned<CAP>, header: &Header) -> Frozen<CAP> {
        let (mut p, t) = b.try_split_at(HDR).expect("split");
        p.as_mut_slice().copy_from_slice(&header.0);
        p.try_coalesce_with(t).expect("coalesce")
    }

    #[inline(always)]
    pub fn capi_split_coalesce(mut b: iggy_buf, header: &Header) -> FrozenHandle {
        let mut p = iggy_prefix::default();
        let mut t = iggy_frozen::default();
        let mut out = FrozenHandle(iggy_frozen::default());
        // SAFETY: live and writable handles, distinct; the prefix holds HDR bytes.
        unsafe {
            ok(iggy_buf_split_at(&mut b, HDR, &mut p, &mut t), "split");
            copy_nonoverlapping(header.0.as_ptr(), iggy_prefix_data(&mut p), HDR);
            ok(iggy_prefix_coalesce(&mut p, &mut t, &mut out.0), "coalesce");
        }
        out
    }

    /// The core's status-only check (what `iggy_frame_validate` with a NULL detail
    /// runs): the verdict-first fast path.
    #[inline(always)]
    pub fn core_validate(frame: &Header) {
        assert_eq!(frame_status(black_box(&frame.0)), Status::OK);
    }

    #[inline(always)]
    pub fn capi_validate(frame: &Header) {
        // SAFETY: HDR readable bytes; no detail.
        let status = unsafe { iggy_frame_validate(black_box(frame.0.as_ptr()), HDR, null_mut()) };
        ok(status, "validate");
    }

    /// XXH3-64 of bytes [16, 256) through the library's any-length `xxh3_64(&[u8])`.
    #[inline(always)]
    pub fn hash_240(frame: &Header) {
        black_box(xxh3_64(&black_box(frame).0[16..]));
    }

    /// The reference's way: `twox_hash::XxHash3_64::oneshot` of a `&[u8; 240]` (a
    /// length the compiler knows).
    #[inline(always)]
    pub fn twox_240_array(frame: &Header) {
        let bytes: &[u8; 240] = black_box(frame).0.last_chunk().expect("240 bytes");
        black_box(twox_hash::XxHash3_64::oneshot(bytes));
    }

    /// The library's seal hash (`wire::checksum::frame_seal`, what the seal check runs).
    #[inline(always)]
    pub fn seal_hash(frame: &Header) {
        black_box(frame_seal(&black_box(frame).0));
    }

    #[inline(always)]
    pub fn core_seal(header: &mut Header) {
        seal(&mut black_box(header).0).expect("seal");
    }

    #[inline(always)]
    pub fn capi_seal(header: &mut Header) {
        // SAFETY: HDR writable bytes.
        ok(
            unsafe { iggy_header_seal(black_box(header).0.as_mut_ptr(), HDR) },
            "seal",
        );
    }

    #[inline(always)]
    pub fn core_validate_batch(b: &mut Batch) {
        for (frame, status) in black_box(&b.frames).iter().zip(&mut b.statuses) {
            *status = frame_status(&frame.0).0;
        }
        assert!(black_box(&b.statuses).iter().all(|&s| s == Status::OK.0));
    }

    #[inline(always)]
    pub fn capi_validate_batch(b: &mut Batch) {
        // SAFETY: BATCH elements in each array, each frame HDR readable bytes.
        let status = unsafe {
            iggy_frames_validate(
                black_box(b.ptrs.as_ptr()),
                b.lens.as_ptr(),
                BATCH,
                b.statuses.as_mut_ptr(),
            )
        };
        ok(status, "frames_validate");
    }

    #[inline(always)]
    pub fn capi_validate_one_by_one(b: &mut Batch) {
        let mut first = Status::OK.0;
        for i in 0..BATCH {
            // SAFETY: HDR readable bytes at each pointer; no detail.
            let s = unsafe { iggy_frame_validate(black_box(b.ptrs[i]), b.lens[i], null_mut()) };
            b.statuses[i] = s;
            if first == Status::OK.0 {
                first = s;
            }
        }
        ok(first, "frame_validate");
    }
}

// --- the benches (divan groups them by module; core and capi adjacent) --------------------

/// A divan group `$group` timing `op::$core` against `op::$capi`, each called by
/// reference on its own input (built once, before timing), then any `$extra` benches.
macro_rules! core_vs_capi {
    ($group:ident: $core:ident($core_in:expr), $capi:ident($capi_in:expr) $(; $($extra:item)*)?) => {
        #[divan::bench_group(sample_count = SAMPLES, sample_size = PER_SAMPLE)]
        mod $group {
            use super::*;

            #[divan::bench]
            fn core(bencher: Bencher) {
                let input = $core_in;
                bencher.bench_local(|| op::$core(&input));
            }

            #[divan::bench]
            fn capi(bencher: Bencher) {
                let input = $capi_in;
                bencher.bench_local(|| op::$capi(&input));
            }

            $($($extra)*)?
        }
    };
}

#[divan::bench_group(sample_count = SAMPLES, sample_size = PER_SAMPLE)]
mod alloc_free {
    use super::*;

    #[divan::bench]
    fn core() {
        op::core_alloc_free();
    }

    #[divan::bench]
    fn capi() {
        op::capi_alloc_free();
    }
}

core_vs_capi!(alloc_write_freeze_release: core_alloc_freeze_release(request(8)), capi_alloc_freeze_release(request(8)));

core_vs_capi!(frame_from_bytes_release: core_frame_from_bytes(request(8)), capi_frame_from_bytes(request(8)));

core_vs_capi!(clone_release: core_clone_release(core_frozen()), capi_clone_release(capi_frozen()));

core_vs_capi!(slice_release: core_slice_release(core_frozen()), capi_slice_release(capi_frozen()));

/// Each iteration needs a fresh buffer: divan builds the inputs before the sample is
/// timed and drops the returned frames after it, so only split + rewrite + coalesce
/// is timed (the design of bench.c's row, BENCHMARKS.md). A sample is 128 buffers, as
/// bench.c's batches: more would spill the buffers' header and control-block lines
/// out of the caches and time cache misses instead of the operation.
#[divan::bench_group(sample_count = 10 * SAMPLES, sample_size = 128)]
mod split_rewrite_coalesce {
    use super::*;

    #[divan::bench]
    fn core(bencher: Bencher) {
        let h = request(8);
        bencher
            .with_inputs(|| core_owned(SPLIT_LEN, 7))
            .bench_local_values(|b| op::core_split_coalesce(b, &h));
    }

    #[divan::bench]
    fn capi(bencher: Bencher) {
        let h = request(8);
        bencher
            .with_inputs(|| capi_buf(SPLIT_LEN, 7))
            .bench_local_values(|b| op::capi_split_coalesce(b, &h));
    }
}

core_vs_capi!(validate_request: core_validate(request(7)), capi_validate(request(7)));

core_vs_capi!(
    validate_commit: core_validate(commit(41)), capi_validate(commit(41));
    /// The bare hash the seal check computes: XXH3-64 of 240 bytes (twox-hash), as a
    /// slice of any length.
    #[divan::bench]
    fn xxh3_240(bencher: Bencher) {
        let f = commit(41);
        bencher.bench_local(|| op::hash_240(&f));
    }

    /// `twox_hash::XxHash3_64::oneshot` over a `&[u8; 240]`: the reference's seal hash.
    #[divan::bench]
    fn twox_oneshot_240_array(bencher: Bencher) {
        let f = commit(41);
        bencher.bench_local(|| op::twox_240_array(&f));
    }

    /// The library's seal hash, `wire::checksum::frame_seal` (target: <= 1.05x the row
    /// above).
    #[divan::bench]
    fn seal_hash(bencher: Bencher) {
        let f = commit(41);
        bencher.bench_local(|| op::seal_hash(&f));
    }
);

#[divan::bench_group(sample_count = SAMPLES, sample_size = PER_SAMPLE)]
mod seal_header {
    use super::*;

    #[divan::bench]
    fn core(bencher: Bencher) {
        let mut h = commit(42);
        bencher.bench_local(|| op::core_seal(&mut h));
    }

    #[divan::bench]
    fn capi(bencher: Bencher) {
        let mut h = commit(42);
        bencher.bench_local(|| op::capi_seal(&mut h));
    }
}

/// Times are per call of 1024 frames; divan's throughput column is frames per second.
#[divan::bench_group(sample_count = SAMPLES, sample_size = 4)]
mod validate_1024 {
    use super::*;

    /// Times `validate` on one batch of `BATCH` frames, counted as `BATCH` items.
    fn per_batch(bencher: Bencher, mut validate: impl FnMut(&mut Batch)) {
        let mut b = batch();
        bencher
            .counter(ItemsCount::new(BATCH))
            .bench_local(|| validate(&mut b));
    }

    #[divan::bench]
    fn core(bencher: Bencher) {
        per_batch(bencher, op::core_validate_batch);
    }

    #[divan::bench]
    fn capi(bencher: Bencher) {
        per_batch(bencher, op::capi_validate_batch);
    }

    #[divan::bench]
    fn capi_one_by_one(bencher: Bencher) {
        per_batch(bencher, op::capi_validate_one_by_one);
    }
}

// --- count mode (callgrind) --------------------------------------------------------------

/// Defines `count_<name>(n)`: `n` iterations of one operation, never inlined, so its
/// inclusive instruction count divided by `n` is the cost of one operation.
macro_rules! counted {
    ($($name:ident($($arg:ident: $ty:ty),*) $body:block)*) => {
        $(
            #[inline(never)]
            fn $name(n: usize, $($arg: $ty),*) {
                // A distinct constant per function, so that identical loops (the request
                // and commit validations) are not merged into one symbol.
                black_box(stringify!($name));
                for _ in 0..n $body
            }
        )*
    };
}

counted! {
    count_core_alloc_free() { op::core_alloc_free() }
    count_capi_alloc_free() { op::capi_alloc_free() }
    count_core_alloc_freeze_release(h: &Header) { op::core_alloc_freeze_release(h) }
    count_capi_alloc_freeze_release(h: &Header) { op::capi_alloc_freeze_release(h) }
    count_core_frame_from_bytes(h: &Header) { op::core_frame_from_bytes(h) }
    count_capi_frame_from_bytes(h: &Header) { op::capi_frame_from_bytes(h) }
    count_core_clone_release(f: &Frozen<CAP>) { op::core_clone_release(f) }
    count_capi_clone_release(f: &FrozenHandle) { op::capi_clone_release(f) }
    count_core_slice_release(f: &Frozen<CAP>) { op::core_slice_release(f) }
    count_capi_slice_release(f: &FrozenHandle) { op::capi_slice_release(f) }
    count_core_validate_request(f: &Header) { op::core_validate(f) }
    count_capi_validate_request(f: &Header) { op::capi_validate(f) }
    count_core_validate_commit(f: &Header) { op::core_validate(f) }
    count_capi_validate_commit(f: &Header) { op::capi_validate(f) }
    count_xxh3_240(f: &Header) { op::hash_240(f) }
    count_twox_240_array(f: &Header) { op::twox_240_array(f) }
    count_seal_hash(f: &Header) { op::seal_hash(f) }
    count_core_seal(h: &mut Header) { op::core_seal(h) }
    count_capi_seal(h: &mut Header) { op::capi_seal(h) }
    count_core_validate_batch(b: &mut Batch) { op::core_validate_batch(b) }
    count_capi_validate_batch(b: &mut Batch) { op::capi_validate_batch(b) }
    count_capi_validate_one_by_one(b: &mut Batch) { op::capi_validate_one_by_one(b) }
}

/// Split + rewrite + coalesce over prepared inputs: the inputs are built and the
/// frames dropped outside these functions.
#[inline(never)]
fn count_core_split_coalesce(inputs: Vec<Owned<CAP>>, h: &Header) -> Vec<Frozen<CAP>> {
    let mut out = Vec::with_capacity(inputs.len());
    for b in inputs {
        out.push(op::core_split_coalesce(b, h));
    }
    out
}

#[inline(never)]
fn count_capi_split_coalesce(inputs: Vec<iggy_buf>, h: &Header) -> Vec<FrozenHandle> {
    let mut out = Vec::with_capacity(inputs.len());
    for b in inputs {
        out.push(op::capi_split_coalesce(b, h));
    }
    out
}

fn count_mode(n: usize) {
    let (h, req, com) = (request(8), request(7), commit(41));
    let (mut seal_core, mut seal_capi) = (commit(42), commit(42));
    let (cf, hf) = (core_frozen(), capi_frozen());
    let mut b = batch();
    let batches = (n / BATCH).max(1);
    count_core_alloc_free(n);
    count_capi_alloc_free(n);
    count_core_alloc_freeze_release(n, &h);
    count_capi_alloc_freeze_release(n, &h);
    count_core_frame_from_bytes(n, &h);
    count_capi_frame_from_bytes(n, &h);
    count_core_clone_release(n, &cf);
    count_capi_clone_release(n, &hf);
    count_core_slice_release(n, &cf);
    count_capi_slice_release(n, &hf);
    let inputs = (0..n).map(|_| core_owned(SPLIT_LEN, 7)).collect();
    drop(count_core_split_coalesce(inputs, &h));
    let inputs = (0..n).map(|_| capi_buf(SPLIT_LEN, 7)).collect();
    drop(count_capi_split_coalesce(inputs, &h));
    count_core_validate_request(n, &req);
    count_capi_validate_request(n, &req);
    count_core_validate_commit(n, &com);
    count_capi_validate_commit(n, &com);
    count_xxh3_240(n, &com);
    count_twox_240_array(n, &com);
    count_seal_hash(n, &com);
    count_core_seal(n, &mut seal_core);
    count_capi_seal(n, &mut seal_capi);
    count_core_validate_batch(batches, &mut b);
    count_capi_validate_batch(batches, &mut b);
    count_capi_validate_one_by_one(batches, &mut b);
    println!("ran every loop {n} times ({batches} times for the 1024-frame batches)");
}

fn main() {
    match std::env::var("IGGY_BENCH_COUNT") {
        Ok(n) => count_mode(n.parse().expect("IGGY_BENCH_COUNT is a number")),
        Err(_) => divan::main(),
    }
}
