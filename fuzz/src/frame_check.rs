//! The `frame_validate` check: arbitrary bytes through the validation, sealing and batch
//! functions of the C ABI.
//!
//! * No function ever panics (a caught panic would be `Status::PANIC.0`; under libFuzzer
//!   any panic, even a caught one, also aborts through its panic hook).
//! * `iggy_frame_validate`, `iggy_frame_validate_inbound` and `iggy_batch_decode` give
//!   the same status and the same detail for the same bytes at the address the fuzzer
//!   gave and at a 4096-aligned base plus an offset in 0..16; the status-only
//!   `iggy_frame_validate` (NULL detail: the verdict-first fast path) gives the
//!   detail's status at each of them. One run checks one offset, [`offset_for`] the
//!   input (a hash of its bytes), so the property holds per run at that offset and over
//!   the runs at every offset; [`check_at`] takes any set of offsets (the regression
//!   tests walk all 16 on every vector frame).
//! * The detail is consistent: same status as returned, command byte, reason empty
//!   exactly on OK; the multi-frame forms agree with the single one.
//! * `iggy_header_seal` on a copy: a sealed command (7, 9–12, 17, 18, 20–29) whose frame
//!   validates gives the same bytes back; a command that carries no checksum (all but
//!   those and 6, 19) changes nothing; 6 and 19 change at most bytes 0..16; sealing is
//!   idempotent and alignment-independent (the same bytes at each checked offset);
//!   after sealing a sealed command its frame is never a checksum mismatch; short or
//!   undefined-command headers are refused untouched.
//! * A decoded batch's views and every iterated message lie inside the frame.
//!
//! Each placed copy ends exactly where its allocation does, so AddressSanitizer
//! catches a read past the frame's end at the aligned address as at the fuzzer's.

#[path = "../../tests/common/batch_decode.rs"]
mod batch_decode;

use iggy_consensus::status::Status;

use iggy_consensus::ffi::*;
use std::alloc::{Layout, alloc, dealloc};
use std::ffi::CStr;
use std::mem::MaybeUninit;

/// Commands that carry the frame seal.
pub fn is_sealed(command: u8) -> bool {
    matches!(command, 7 | 9..=12 | 17 | 18 | 20..=29)
}

/// Commands whose seal is the prepare identity (stamped, not verified).
pub fn is_identity(command: u8) -> bool {
    matches!(command, 6 | 19)
}

/// A validation detail with the reason as text, comparable across calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub status: iggy_status,
    pub command: u8,
    /// The library's static reason text (compared by content).
    pub reason: &'static str,
    pub expected: u64,
    pub found: u64,
}

fn verdict_of(status: iggy_status, detail: iggy_validation_detail) -> Verdict {
    assert_ne!(
        status,
        Status::PANIC.0,
        "a panic was caught at the boundary"
    );
    assert_eq!(
        detail.status, status,
        "detail.status differs from the return"
    );
    assert!(!detail.reason.is_null(), "detail.reason is NULL");
    // SAFETY: the library documents a static, NUL-terminated reason.
    let reason: &'static CStr = unsafe { CStr::from_ptr(detail.reason) };
    let reason = reason.to_str().expect("reason is UTF-8");
    assert_eq!(
        reason.is_empty(),
        status == Status::OK.0,
        "reason must be empty exactly on OK (status {status}: {reason:?})"
    );
    Verdict {
        status,
        command: detail.command,
        reason,
        expected: detail.expected,
        found: detail.found,
    }
}

type ValidateFn =
    unsafe extern "C" fn(*const u8, usize, *mut iggy_validation_detail) -> iggy_status;

fn validate_with(f: ValidateFn, frame: &[u8]) -> Verdict {
    let mut detail = MaybeUninit::<iggy_validation_detail>::uninit();
    // SAFETY: `frame` is a valid slice; `detail` is writable and filled on every return.
    let status = unsafe { f(frame.as_ptr(), frame.len(), detail.as_mut_ptr()) };
    // SAFETY: filled on every return (documented).
    verdict_of(status, unsafe { detail.assume_init() })
}

/// The verdict of `iggy_frame_validate`.
pub fn validate(frame: &[u8]) -> Verdict {
    validate_with(iggy_frame_validate, frame)
}

/// The verdict of `iggy_frame_validate_inbound`.
pub fn validate_inbound(frame: &[u8]) -> Verdict {
    validate_with(iggy_frame_validate_inbound, frame)
}

/// A decoded batch as comparable values: the header fields, the blob's offset and
/// length, and each message (see [`BatchVerdict::batch`]).
pub type DecodedBatch = (Vec<u64>, usize, usize, Vec<[u128; 8]>);

/// What `iggy_batch_decode` says, with the views as offsets into the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchVerdict {
    pub verdict: Verdict,
    /// On OK: the header fields, the blob's offset and length, and each message as
    /// (checksum, id, offset, timestamp, payload offset, payload len, user-header
    /// offset, user-header len), offsets relative to the frame.
    pub batch: Option<DecodedBatch>,
}

fn offset_in(frame: &[u8], ptr: *const u8, len: usize, what: &str) -> usize {
    let start = frame.as_ptr().addr();
    if len == 0 {
        // An empty view may sit anywhere inside or one past the end.
        let at = ptr.addr().wrapping_sub(start);
        assert!(
            ptr.is_null() || at <= frame.len(),
            "{what}: empty view outside the frame"
        );
        return if ptr.is_null() { usize::MAX } else { at };
    }
    let at = ptr.addr().wrapping_sub(start);
    assert!(
        at <= frame.len() && len <= frame.len() - at,
        "{what}: view [{at}, +{len}) outside the {}-byte frame",
        frame.len()
    );
    at
}

/// Decodes `frame` as a batch and iterates it, checking that every view lies inside.
pub fn batch(frame: &[u8]) -> BatchVerdict {
    let (status, batch, detail) = batch_decode::decode(frame);
    let verdict = verdict_of(status, detail);
    let Some(b) = batch else {
        return BatchVerdict {
            verdict,
            batch: None,
        };
    };
    let blob = offset_in(frame, b.blob, b.blob_len, "blob");
    assert_eq!(blob, 512, "the blob starts after the two headers");
    let mut messages = Vec::new();
    let mut it = MaybeUninit::<iggy_batch_iter>::uninit();
    let mut m = MaybeUninit::<iggy_batch_message>::uninit();
    // SAFETY: `b` and `frame` outlive the iteration; outputs are writable.
    unsafe { iggy_batch_iter_begin(&b, it.as_mut_ptr()) };
    // SAFETY: as above.
    while unsafe { iggy_batch_next(it.as_mut_ptr(), m.as_mut_ptr()) } {
        // SAFETY: written on true.
        let m = unsafe { m.assume_init_ref() };
        let payload = offset_in(frame, m.payload, m.payload_len, "payload");
        let headers = offset_in(frame, m.user_headers, m.user_headers_len, "user headers");
        for (at, len) in [(payload, m.payload_len), (headers, m.user_headers_len)] {
            if len > 0 {
                assert!(
                    at >= blob && at + len <= blob + b.blob_len,
                    "message view outside blob"
                );
            }
        }
        messages.push([
            m.checksum.into(),
            m.id.into(),
            m.offset.into(),
            m.timestamp.into(),
            payload as u128,
            m.payload_len as u128,
            headers as u128,
            m.user_headers_len as u128,
        ]);
        assert!(messages.len() <= frame.len(), "the iterator does not end");
    }
    assert_eq!(messages.len(), b.message_count as usize, "message_count");
    let fields = vec![
        b.partition_id,
        b.base_offset,
        b.base_timestamp,
        b.origin_timestamp,
        b.batch_length,
        b.batch_checksum,
        u64::from(b.message_count),
    ];
    BatchVerdict {
        verdict,
        batch: Some((fields, blob, b.blob_len, messages)),
    }
}

/// A copy of some bytes at a chosen offset from a 4096-aligned base, in an allocation
/// that ends where the copy does; freed on drop.
struct Placed {
    ptr: *mut u8,
    layout: Layout,
    offset: usize,
    len: usize,
}

impl Placed {
    /// `bytes` copied to `[offset, offset + bytes.len())` of a fresh allocation of that
    /// many bytes (at least one); the bytes before `offset` are never read.
    fn new(offset: usize, bytes: &[u8]) -> Self {
        let layout = Layout::from_size_align((offset + bytes.len()).max(1), 4096).expect("layout");
        // SAFETY: non-zero size.
        let ptr = unsafe { alloc(layout) };
        assert!(!ptr.is_null(), "out of memory");
        // SAFETY: `[offset, offset + len)` lies inside the fresh allocation, which
        // `bytes` cannot overlap.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr.add(offset), bytes.len()) };
        Self {
            ptr,
            layout,
            offset,
            len: bytes.len(),
        }
    }

    /// The copy.
    fn bytes(&mut self) -> &mut [u8] {
        // SAFETY: `[offset, offset + len)` was written by `new` and lies inside the
        // allocation owned by `self`, borrowed mutably.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.add(self.offset), self.len) }
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { dealloc(self.ptr, self.layout) }
    }
}

fn seal(header: &mut [u8]) -> iggy_status {
    // SAFETY: a valid, writable slice.
    let status = unsafe { iggy_header_seal(header.as_mut_ptr(), header.len()) };
    assert_ne!(
        status,
        Status::PANIC.0,
        "a panic was caught in iggy_header_seal"
    );
    status
}

/// The alignments checked: offsets from a 4096-aligned base in `0..OFFSETS`.
pub const OFFSETS: usize = 16;

/// The offset in `0..OFFSETS` at which [`check`] places `data`: a hash of its length
/// and of up to 32 eight-byte words spread over it (cheap under the fuzzer's
/// instrumentation, and changed by most mutations), so the runs take every offset.
pub fn offset_for(data: &[u8]) -> usize {
    const WORDS: usize = 32;
    let mut h = (data.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    if let Some(last) = data.len().checked_sub(8) {
        for k in 0..WORDS {
            let at = last * k / (WORDS - 1);
            let word = u64::from_le_bytes(data[at..at + 8].try_into().expect("8 bytes"));
            h = (h ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    } else {
        for &b in data {
            h = (h ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    (h >> 60) as usize % OFFSETS
}

/// The status-only `iggy_frame_validate` (a NULL detail: the verdict-first fast path).
fn status_only(frame: &[u8]) -> iggy_status {
    // SAFETY: `frame` is a valid slice; a NULL detail is allowed.
    unsafe { iggy_frame_validate(frame.as_ptr(), frame.len(), std::ptr::null_mut()) }
}

/// Runs every check on `data`, placed at the offset [`offset_for`] gives (the fuzz
/// target's check). Panics (with a message) on the first violation.
pub fn check(data: &[u8]) {
    check_at(data, &[offset_for(data)]);
}

/// Runs every check on `data`, placed at each of `offsets` (each below [`OFFSETS`]).
/// Panics (with a message) on the first violation.
pub fn check_at(data: &[u8], offsets: &[usize]) {
    let whole = validate(data);
    assert_eq!(
        status_only(data),
        whole.status,
        "the status-only call (fast path) and the detail disagree"
    );
    let inbound = validate_inbound(data);
    let decoded = batch(data);
    let command = if data.len() > 60 { data[60] } else { 0 };
    for v in [&whole, &inbound, &decoded.verdict] {
        assert_eq!(v.command, command, "detail.command");
    }

    // The same verdict at each alignment.
    assert!(offsets.iter().all(|&o| o < OFFSETS));
    let mut areas: Vec<Placed> = Vec::with_capacity(offsets.len());
    for &offset in offsets {
        let mut area = Placed::new(offset, data);
        let placed = area.bytes();
        assert_eq!(
            validate(placed),
            whole,
            "iggy_frame_validate at offset {offset}"
        );
        assert_eq!(
            status_only(placed),
            whole.status,
            "status-only iggy_frame_validate at offset {offset}"
        );
        assert_eq!(
            validate_inbound(placed),
            inbound,
            "iggy_frame_validate_inbound at offset {offset}"
        );
        assert_eq!(
            batch(placed),
            decoded,
            "iggy_batch_decode at offset {offset}"
        );
        areas.push(area);
    }

    // The multi-frame forms agree with the single one.
    let mut statuses = [u32::MAX; 2];
    let frames = [data.as_ptr(), data.as_ptr()];
    let lens = [data.len(), data.len()];
    // SAFETY: arrays of two valid frames; `statuses` holds two.
    let first =
        unsafe { iggy_frames_validate(frames.as_ptr(), lens.as_ptr(), 2, statuses.as_mut_ptr()) };
    assert_eq!(
        (first, statuses),
        (whole.status, [whole.status; 2]),
        "iggy_frames_validate"
    );
    let offsets = [0usize, data.len().min(1)];
    let packed_lens = [data.len(), data.len().saturating_sub(1)];
    let mut packed = [u32::MAX; 2];
    // SAFETY: `data` is `base_len` readable bytes; arrays of two.
    let first = unsafe {
        iggy_frames_validate_packed(
            data.as_ptr(),
            data.len(),
            offsets.as_ptr(),
            packed_lens.as_ptr(),
            2,
            packed.as_mut_ptr(),
        )
    };
    let second = validate(&data[offsets[1]..offsets[1] + packed_lens[1]]).status;
    assert_eq!(
        packed,
        [whole.status, second],
        "iggy_frames_validate_packed"
    );
    assert_eq!(
        first,
        if whole.status != Status::OK.0 {
            whole.status
        } else {
            second
        },
        "iggy_frames_validate_packed: the first error"
    );

    check_seal(data, &whole, &mut areas);
}

/// The seal checks; `areas` hold copies of `data` at the offsets checked.
fn check_seal(data: &[u8], whole: &Verdict, areas: &mut [Placed]) {
    let mut copy = data.to_vec();
    let status = seal(&mut copy);
    if data.len() < 256 {
        assert_eq!(status, Status::OUT_OF_RANGE.0, "seal of a short header");
        assert_eq!(copy, data, "a refused seal changed the bytes");
        return;
    }
    let command = data[60];
    if command > 29 {
        assert_eq!(
            status,
            Status::INVALID_BIT_PATTERN.0,
            "seal of command {command}"
        );
        assert_eq!(copy, data, "a refused seal changed the bytes");
        return;
    }
    assert_eq!(status, Status::OK.0, "seal of command {command}");
    assert_eq!(copy[16..], data[16..], "seal wrote outside bytes 0..16");
    if is_sealed(command) {
        if whole.status == Status::OK.0 {
            assert_eq!(copy, data, "re-sealing a valid sealed frame changed it");
        }
        for check in [validate(&copy), validate_inbound(&copy)] {
            assert_ne!(
                check.status,
                Status::FRAME_CHECKSUM_MISMATCH.0,
                "a freshly sealed frame fails its seal"
            );
        }
        assert_eq!(&copy[8..16], &[0; 8], "the frame seal is zero-extended");
    } else if is_identity(command) {
        assert_eq!(
            &copy[8..16],
            &[0; 8],
            "the prepare identity is zero-extended"
        );
    } else {
        assert_eq!(
            copy, data,
            "seal changed a command that carries no checksum"
        );
    }
    // Idempotent, and the same at each alignment.
    let mut again = copy.clone();
    assert_eq!(seal(&mut again), Status::OK.0);
    assert_eq!(again, copy, "sealing twice differs from sealing once");
    for area in areas {
        let offset = area.offset;
        let placed = area.bytes();
        assert_eq!(
            &placed[..],
            data,
            "validation wrote into the frame at offset {offset}"
        );
        assert_eq!(seal(placed), Status::OK.0);
        assert_eq!(&placed[..], &copy[..], "seal at offset {offset}");
    }
}
