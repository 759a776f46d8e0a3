//! The fuzz targets' checks (`fuzz/src/`, included here by path: the same code) run on
//! saved inputs: every input a fuzzer run found crashing (none so far, see `CRASHES_*`),
//! every public vector and deterministic mutations of it for `frame_validate` (each at
//! every offset from a 4096-aligned base, where the fuzzer checks one per run), and
//! hand-written and pseudo-random operation scripts for `buffer_ops`. Runs natively and
//! under Miri (fewer inputs).
//!
//! A new crash: add its bytes (`xxd -i fuzz/artifacts/<target>/crash-*`) to the matching
//! `CRASHES_*` list with a comment saying what it found.

#[allow(dead_code)]
#[path = "../fuzz/src/alloc_count.rs"]
mod alloc_count;
#[path = "../fuzz/src/buffer_model.rs"]
mod buffer_model;
#[path = "../fuzz/src/frame_check.rs"]
mod frame_check;
#[path = "../fuzz/src/stream_check.rs"]
mod stream_check;

use alloc_count::Stats;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::OnceLock;

// --- a per-thread counting allocator ----------------------------------------------------
//
// The fuzz target counts globally (it is single-threaded); tests run on several threads,
// so here every thread counts its own allocations, which is exact for a check that runs
// on one thread.

thread_local! {
    static LIVE: Cell<[usize; 5]> = const { Cell::new([0; 5]) };
    /// Allocations of any kind made by this thread.
    static MADE: Cell<usize> = const { Cell::new(0) };
}

fn bump(layout: Layout, sign: isize) {
    let buffer = layout.align() >= alloc_count::BUFFER_ALIGN;
    let _ = LIVE.try_with(|c| {
        let mut v = c.get();
        let add = |x: usize, n: usize| x.wrapping_add_signed(sign * n as isize);
        v[0] = add(v[0], 1);
        v[1] = add(v[1], layout.size());
        if buffer {
            v[2] = add(v[2], 1);
            v[3] = add(v[3], layout.size());
            if sign > 0 {
                v[4] += 1;
            }
        }
        c.set(v);
    });
    if sign > 0 {
        let _ = MADE.try_with(|c| c.set(c.get() + 1));
    }
}

struct PerThread;

// SAFETY: forwards to `System`; the counters are const thread-locals without
// destructors, which never allocate.
unsafe impl GlobalAlloc for PerThread {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            bump(layout, 1);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            bump(layout, 1);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(layout, -1);
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            bump(layout, -1);
            bump(
                Layout::from_size_align(new_size, layout.align()).unwrap(),
                1,
            );
        }
        p
    }
}

#[global_allocator]
static ALLOC: PerThread = PerThread;

fn stats() -> Stats {
    let v = LIVE.with(Cell::get);
    Stats {
        live: v[0],
        live_bytes: v[1],
        live_buffers: v[2],
        live_buffer_bytes: v[3],
        buffers_ever: v[4],
    }
}

// --- saved crashes --------------------------------------------------------------------------

/// Inputs that made `frame_validate` fail. None found so far.
const CRASHES_FRAME_VALIDATE: &[&[u8]] = &[];

/// Inputs that made `buffer_ops` fail. None found so far.
const CRASHES_BUFFER_OPS: &[&[u8]] = &[];

/// Inputs that made `stream` fail. None found so far.
const CRASHES_STREAM: &[&[u8]] = &[];

/// The offsets from a 4096-aligned base at which the `frame_validate` checks run here:
/// all of them (the fuzzer takes one per run, `frame_check::offset_for`); a sample under
/// Miri.
const FRAME_OFFSETS: &[usize] = if cfg!(miri) {
    &[0, 7]
} else {
    &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
};

/// The `frame_validate` checks on `input` at every offset in [`FRAME_OFFSETS`].
fn check_frame(input: &[u8]) {
    frame_check::check_at(input, FRAME_OFFSETS);
}

#[test]
fn saved_crashes_pass_the_same_checks() {
    for input in CRASHES_FRAME_VALIDATE {
        frame_check::check(input);
        check_frame(input);
    }
    for input in CRASHES_BUFFER_OPS {
        buffer_model::check(input, stats);
    }
    for input in CRASHES_STREAM {
        stream_check::check(input, stats);
        stream_check::check_every_way(input, stats);
    }
}

// --- frame_validate -----------------------------------------------------------------------

/// The public vectors, embedded (file access is isolated under Miri).
static VECTORS: &str = include_str!("vectors/wire-public.jsonl");

/// Every vector as (kind, hex) (no JSON parser, and only the selected inputs are
/// decoded). Under Miri, where scanning the 1 MB file alone takes minutes, a sample: the
/// first line under 4 KiB after each of 100 evenly spaced byte offsets (every kind's
/// block is longer than the spacing, so every kind is in it).
fn index() -> &'static [(&'static str, &'static str)] {
    static INDEX: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let field = |line: &'static str, name: &str| {
            let key = format!("\"{name}\":\"");
            let start = line.find(&key).expect("field") + key.len();
            &line[start..start + line[start..].find('"').expect("closing quote")]
        };
        let lines: Vec<&'static str> = if cfg!(miri) {
            const SAMPLES: usize = 100;
            const LONGEST: usize = 4096;
            // The first complete line starting in `[at, at + LONGEST)`, if short.
            let line_after = |at: usize| {
                let window = &VECTORS[at..(at + LONGEST).min(VECTORS.len())];
                let start = at + window.find('\n')? + 1;
                let window = &VECTORS[start..(start + LONGEST).min(VECTORS.len())];
                Some(&VECTORS[start..start + window.find('\n')?])
            };
            let mut sample: Vec<&'static str> = Vec::new();
            for k in 0..SAMPLES {
                // The file is ASCII: every byte offset is a char boundary.
                if let Some(line) = line_after(VECTORS.len() * k / SAMPLES) {
                    if sample.last() != Some(&line) {
                        sample.push(line);
                    }
                }
            }
            sample
        } else {
            VECTORS.lines().collect()
        };
        lines
            .into_iter()
            .map(|line| (field(line, "kind"), field(line, "hex")))
            .collect()
    })
}

/// The input bytes of at most `max` vectors of one kind, evenly spread.
fn vector_bytes(kind: &str, max: usize) -> Vec<Vec<u8>> {
    let all: Vec<_> = index().iter().filter(|(k, _)| *k == kind).collect();
    assert!(!all.is_empty(), "no {kind} vectors");
    let step = all.len().div_ceil(max);
    all.iter()
        .step_by(step)
        .map(|(_, hex)| hex::decode(hex).expect("hex"))
        .collect()
}

/// Every public vector of a kind (a sample under Miri), and mutations of it that reach
/// the other branches of the check.
fn frame_inputs(kind: &str) -> Vec<Vec<u8>> {
    let max = if cfg!(miri) { 2 } else { usize::MAX };
    let mut inputs = Vec::new();
    for bytes in vector_bytes(kind, max) {
        if bytes.len() > 60 && !cfg!(miri) {
            // Each command byte, so the seal rules meet every command.
            for command in [0u8, 5, 6, 7, 9, 12, 17, 19, 20, 29, 30, 255] {
                let mut m = bytes.clone();
                m[60] = command;
                inputs.push(m);
            }
            let mut sealed = bytes.clone();
            // SAFETY: a valid, writable slice (the status is irrelevant here).
            unsafe { iggy_consensus::ffi::iggy_header_seal(sealed.as_mut_ptr(), sealed.len()) };
            inputs.push(sealed);
            inputs.push(bytes[..bytes.len().min(255)].to_vec());
            inputs.push(bytes[..bytes.len().min(256)].to_vec());
        }
        inputs.push(bytes);
    }
    inputs
}

#[test]
fn frame_checks_hold_on_typed_vectors_and_mutations() {
    for input in frame_inputs("typed") {
        check_frame(&input);
    }
}

#[test]
fn frame_checks_hold_on_inbound_and_seal_vectors_and_mutations() {
    for input in frame_inputs("inbound")
        .into_iter()
        .chain(frame_inputs("seal"))
    {
        check_frame(&input);
    }
}

#[test]
fn frame_checks_hold_on_batch_vectors_and_mutations() {
    let inputs = frame_inputs("batch");
    let ok = inputs
        .iter()
        .filter(|i| frame_check::batch(i).batch.is_some())
        .count();
    assert!(ok > 0 || cfg!(miri), "some batch vectors decode");
    for input in inputs {
        check_frame(&input);
    }
}

#[test]
fn frame_checks_hold_on_short_and_odd_inputs() {
    let mut inputs: Vec<Vec<u8>> = vec![vec![], vec![0; 60], vec![0; 61], vec![0xFF; 255]];
    let step = if cfg!(miri) { 10 } else { 1 };
    for command in (0..=31u8).step_by(step) {
        let mut h = vec![0u8; 256];
        h[48..52].copy_from_slice(&256u32.to_le_bytes());
        h[60] = command;
        inputs.push(h.clone());
        // SAFETY: a valid, writable slice.
        unsafe { iggy_consensus::ffi::iggy_header_seal(h.as_mut_ptr(), h.len()) };
        inputs.push(h);
    }
    for input in inputs {
        check_frame(&input);
    }
}

#[test]
#[cfg_attr(miri, ignore = "a property of the hash, not of memory")]
fn the_fuzzer_offsets_of_the_vector_frames_take_every_offset() {
    // The fuzz target checks one offset per run (`frame_check::offset_for`): over the
    // seed corpus alone, every offset comes up, each for a fair share of the inputs.
    let mut seen = [0usize; frame_check::OFFSETS];
    let mut inputs = 0;
    for kind in ["typed", "inbound", "seal", "batch"] {
        for bytes in vector_bytes(kind, usize::MAX) {
            seen[frame_check::offset_for(&bytes)] += 1;
            inputs += 1;
        }
    }
    let fair = inputs / frame_check::OFFSETS;
    assert!(
        seen.iter().all(|&n| n >= fair / 3),
        "{seen:?} over {inputs} inputs"
    );
}

// --- buffer_ops ------------------------------------------------------------------------------

/// Operation codes of `buffer_model::Harness::step` (the input byte modulo 22).
mod op {
    pub const NEW_ZEROED: u8 = 0;
    pub const COPY_FROM: u8 = 2;
    pub const SPLIT: u8 = 6;
    pub const FREEZE: u8 = 7;
    pub const PREFIX_WRITE: u8 = 10;
    pub const COALESCE: u8 = 12;
    pub const CLONE: u8 = 15;
    pub const SLICE: u8 = 16;
    pub const FROZEN_SPLIT: u8 = 17;
    pub const RELEASE: u8 = 18;
}

/// Hand-written scripts: the coalesce rules and the quirk in both paths.
fn scripts() -> Vec<Vec<u8>> {
    use op::*;
    vec![
        // Same block: b0 = 11 bytes, split at 5 into p0/f0, slice f0[2..4] into f1,
        // release f0, coalesce p0 + f1 into f2 (the quirk: the whole buffer).
        vec![
            COPY_FROM, 0, 11, 7, //
            SPLIT, 0, 0, 0, 0, 5, 0, // index: a byte < 230, then a u16 % (len + 1)
            SLICE, 0, 1, 0, 2, 0, 0, 4, 0, //
            RELEASE, 0, //
            COALESCE, 0, 1, 2,
        ],
        // Different blocks: freeze 8 bytes into f0, frozen split at 3 into p1/f1, write
        // the prefix, slice f1[0..2] into f2, release f1, coalesce p1 + f2 into f3.
        vec![
            COPY_FROM,
            1,
            8,
            3, //
            FREEZE,
            1,
            0, //
            FROZEN_SPLIT,
            0,
            1,
            1,
            0,
            3,
            0, //
            PREFIX_WRITE,
            1,
            0,
            0,
            3,
            9, //
            SLICE,
            1,
            2,
            0,
            0,
            0,
            0,
            2,
            0, //
            RELEASE,
            1, //
            COALESCE,
            1,
            2,
            3,
        ],
        // Refusals: an extra clone blocks both paths; then released, both succeed.
        vec![
            NEW_ZEROED,
            2,
            40, //
            SPLIT,
            2,
            2,
            4,
            0,
            10,
            0, //
            CLONE,
            4,
            5, //
            COALESCE,
            2,
            4,
            6, // refused: count 3
            RELEASE,
            5, //
            COALESCE,
            2,
            4,
            6, // allowed
            FROZEN_SPLIT,
            6,
            3,
            7,
            0,
            20,
            0, //
            CLONE,
            7,
            0, //
            COALESCE,
            3,
            7,
            1, // refused: count 2, different blocks
            RELEASE,
            0, //
            COALESCE,
            3,
            7,
            1,
        ],
    ]
}

/// Deterministic pseudo-random inputs (xorshift): `count` inputs of `len` bytes, as
/// `full` says, or as `under_miri` says under Miri.
fn random_inputs(full: (usize, usize), under_miri: (usize, usize)) -> Vec<Vec<u8>> {
    let (count, len) = if cfg!(miri) { under_miri } else { full };
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    (0..count)
        .map(|_| {
            (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect()
        })
        .collect()
}

#[test]
fn buffer_scripts_match_the_model() {
    for script in scripts() {
        buffer_model::check(&script, stats);
    }
}

#[test]
fn random_buffer_op_sequences_match_the_model() {
    for input in random_inputs((300, 768), (2, 64)) {
        buffer_model::check(&input, stats);
    }
}

#[test]
fn buffer_ops_on_the_vector_bytes_match_the_model() {
    // The fuzzer's seed corpus, read as operations.
    let (max, len) = if cfg!(miri) {
        (1, 96)
    } else {
        (usize::MAX, usize::MAX)
    };
    for bytes in vector_bytes("seal", max) {
        buffer_model::check(&bytes[..bytes.len().min(len)], stats);
    }
}

// --- untrusted input allocates nothing ------------------------------------------------------

#[test]
fn validation_decoding_and_sealing_allocate_nothing() {
    use iggy_consensus::ffi::*;
    use iggy_consensus::status::Status;
    use std::mem::MaybeUninit;
    let max = if cfg!(miri) { 1 } else { usize::MAX };
    let inputs: Vec<Vec<u8>> = ["typed", "inbound", "seal", "batch"]
        .iter()
        .flat_map(|kind| vector_bytes(kind, max))
        .collect();
    for mut input in inputs {
        let mut detail = MaybeUninit::<iggy_validation_detail>::uninit();
        let mut batch = MaybeUninit::<iggy_batch>::uninit();
        let mut status = [0; 1];
        let before = MADE.with(Cell::get);
        // SAFETY: valid slices and writable outputs.
        unsafe {
            let (ptr, len) = (input.as_ptr(), input.len());
            iggy_frame_validate(ptr, len, detail.as_mut_ptr());
            iggy_frame_validate_inbound(ptr, len, detail.as_mut_ptr());
            iggy_frames_validate(&ptr, &len, 1, status.as_mut_ptr());
            iggy_frames_validate_packed(ptr, len, &0, &len, 1, status.as_mut_ptr());
            if iggy_batch_decode(ptr, len, batch.as_mut_ptr(), detail.as_mut_ptr()) == Status::OK.0
            {
                let mut it = MaybeUninit::<iggy_batch_iter>::uninit();
                let mut m = MaybeUninit::<iggy_batch_message>::uninit();
                iggy_batch_iter_begin(batch.as_ptr(), it.as_mut_ptr());
                while iggy_batch_next(it.as_mut_ptr(), m.as_mut_ptr()) {}
            }
            iggy_header_seal(input.as_mut_ptr(), len);
        }
        assert_eq!(
            MADE.with(Cell::get),
            before,
            "untrusted input made an allocation"
        );
    }
}

// --- stream -------------------------------------------------------------------------------

/// Inputs of the `stream` target (layout in `stream_check`): public vectors' frames
/// that pass `validate_frame`, three back to back, every other stream followed by a
/// frame that fails; under each validation and several `read_ahead` and `max_frame`
/// values, with scripts of small, odd, page-sized and whole chunks, draining and misuse
/// probes on and off; and each stream also cut short. `fuzz/gen_corpus.py` writes the
/// same kind of seeds.
fn stream_inputs() -> Vec<Vec<u8>> {
    use iggy_consensus::wire::validate::validate_frame;
    let (per_kind, configs, scripts): (usize, &[[u8; 2]], &[&[u8]]) = if cfg!(miri) {
        (4, &[[9, 0]], &[&[0x45, 0xC0, 0x2A]])
    } else {
        (
            usize::MAX,
            &[
                [0, 0],
                [1, 0],
                [2, 0],
                [3, 0],
                [4, 3],
                [14, 0],
                [15, 4],
                [17, 7],
            ],
            &[
                &[],
                &[0x3f],
                &[0x40, 0x81, 0x42, 0xC7, 0x6A, 0x2B],
                &[0x45, 0xC0, 0x2A, 0x6D, 0x30, 0xB8],
            ],
        )
    };
    let (good, bad): (Vec<Vec<u8>>, Vec<Vec<u8>>) = ["typed", "inbound", "seal", "batch"]
        .iter()
        .flat_map(|kind| vector_bytes(kind, per_kind))
        .filter(|f| f.len() >= 256)
        .partition(|f| validate_frame(f).is_ok());
    assert!(!good.is_empty() && !bad.is_empty());
    let groups = if cfg!(miri) {
        1
    } else {
        good.len().div_ceil(3)
    };
    let mut inputs = Vec::new();
    for i in 0..groups {
        let mut stream: Vec<u8> = (0..3)
            .flat_map(|k| good[(3 * i + k) % good.len()].clone())
            .collect();
        if i % 2 == 1 {
            stream.extend_from_slice(&bad[i % bad.len()]);
        }
        let config = configs[i % configs.len()];
        let script = scripts[i % scripts.len()];
        for cut in [stream.len(), stream.len() - 100] {
            let mut input = vec![config[0], config[1], (i % 9) as u8, (i * 7) as u8];
            input.push(script.len() as u8);
            input.extend_from_slice(script);
            input.extend_from_slice(&stream[..cut]);
            inputs.push(input);
        }
    }
    inputs
}

#[test]
fn stream_reader_and_writer_match_the_model_on_vector_streams() {
    let inputs = stream_inputs();
    assert!(!inputs.is_empty());
    for input in inputs {
        stream_check::check_every_way(&input, stats);
    }
}

#[test]
#[cfg_attr(miri, ignore = "a property of the hash, not of memory")]
fn the_fuzzer_feeds_one_byte_at_a_time_for_a_share_of_the_vector_streams() {
    // The fuzz target feeds one byte at a time on one input in `BYTEWISE_EVERY`
    // (`stream_check::bytewise_for`): over the seed streams, about that share.
    let inputs = stream_inputs();
    let picked = inputs
        .iter()
        .filter(|i| stream_check::bytewise_for(i))
        .count();
    let share = inputs.len() / stream_check::BYTEWISE_EVERY;
    assert!(
        (share / 2..=share * 2).contains(&picked),
        "{picked} of {} inputs",
        inputs.len()
    );
}

#[test]
fn stream_checks_hold_on_random_inputs() {
    for input in random_inputs((200, 1500), (2, 300)) {
        stream_check::check_every_way(&input, stats);
    }
}
