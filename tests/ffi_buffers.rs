//! The buffer functions of the C ABI, called from Rust exactly as C would call them:
//! split and both coalesce paths (with the quirk), refusals that leave both inputs
//! usable, NULL and empty handles, outputs untouched on every error, aliasing outputs,
//! allocation failure, zero-length handles, and the panic boundary. Runs natively and
//! under Miri (`-Zmiri-tree-borrows -Zmiri-strict-provenance`).
//!
//! Handles are kept in [`H`], which can fill them with arbitrary words (a garbage output,
//! as an uninitialised C struct would hold); a bare handle moved in Rust works too
//! (`a_moved_bare_handle_stays_usable`).
//!
//! A per-thread counting allocator checks the cost table of the README (what allocates)
//! without being disturbed by tests running on other threads.

use iggy_consensus::status::Status;

use iggy_consensus::ffi::*;

#[path = "common/buffer_count.rs"]
mod buffer_count;

/// Runs `f`; returns its result and the buffers it allocated and freed on this thread.
fn cost<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
    let (m0, f0) = buffer_count::counts();
    let r = f();
    let (m1, f1) = buffer_count::counts();
    (r, m1 - m0, f1 - f0)
}

// --- handles -------------------------------------------------------------------------

#[path = "common/handle.rs"]
mod handle;
use handle::{Buf, Fro, GARBAGE, H, Pre, ZERO};

fn buf_of(bytes: &[u8]) -> Buf {
    let mut b = Buf::garbage();
    assert_eq!(
        // SAFETY: a valid slice and a writable output.
        unsafe { iggy_buf_copy_from(bytes.as_ptr(), bytes.len(), b.m()) },
        Status::OK.0
    );
    b
}

fn frozen_of(bytes: &[u8]) -> Fro {
    let mut b = buf_of(bytes);
    let mut f = Fro::garbage();
    // SAFETY: live input, writable output.
    assert_eq!(unsafe { iggy_buf_freeze(b.m(), f.m()) }, Status::OK.0);
    assert_eq!(b.words(), ZERO, "freeze zeroes the buffer");
    f
}

/// A split export: `iggy_buf_split_at` or `iggy_frozen_split_at`.
type SplitAt<T> =
    unsafe extern "C" fn(*mut T, usize, *mut iggy_prefix, *mut iggy_frozen) -> iggy_status;

/// Splits `src` at `at` with `split_at`, which must succeed and zero `src`.
fn split_with<T>(split_at: SplitAt<T>, src: &mut H<T>, at: usize) -> (Pre, Fro) {
    let (mut p, mut t) = (Pre::garbage(), Fro::garbage());
    assert_eq!(
        // SAFETY: live input, writable distinct outputs.
        unsafe { split_at(src.m(), at, p.m(), t.m()) },
        Status::OK.0
    );
    assert_eq!(src.words(), ZERO, "split zeroes its input");
    (p, t)
}

fn split(bytes: &[u8], at: usize) -> (Pre, Fro) {
    split_with(iggy_buf_split_at, &mut buf_of(bytes), at)
}

fn frozen_split(f: &mut Fro, at: usize) -> (Pre, Fro) {
    split_with(iggy_frozen_split_at, f, at)
}

fn fbytes(f: &Fro) -> Vec<u8> {
    // SAFETY: a live handle; `[0, len)` is readable.
    unsafe {
        let (data, len) = (iggy_frozen_data(f.p()), iggy_frozen_len(f.p()));
        assert!(!data.is_null(), "a live frozen has a NULL data pointer");
        std::slice::from_raw_parts(data, len).to_vec()
    }
}

fn pbytes(p: &mut Pre) -> Vec<u8> {
    // SAFETY: a live handle; `[0, len)` is readable.
    unsafe {
        let (data, len) = (iggy_prefix_data(p.m()), iggy_prefix_len(p.p()));
        assert!(!data.is_null(), "a live prefix has a NULL data pointer");
        std::slice::from_raw_parts(data, len).to_vec()
    }
}

fn pwrite(p: &mut Pre, at: usize, bytes: &[u8]) {
    // SAFETY: checked to lie inside the prefix.
    unsafe {
        assert!(at + bytes.len() <= iggy_prefix_len(p.p()));
        let data = iggy_prefix_data(p.m());
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), data.add(at), bytes.len());
    }
}

fn clone(f: &Fro) -> Fro {
    let mut out = Fro::garbage();
    // SAFETY: live input, writable output.
    assert_eq!(unsafe { iggy_frozen_clone(f.p(), out.m()) }, Status::OK.0);
    out
}

fn slice(f: &Fro, start: usize, end: usize) -> Fro {
    let mut out = Fro::garbage();
    assert_eq!(
        // SAFETY: live input, writable output.
        unsafe { iggy_frozen_slice(f.p(), start, end, out.m()) },
        Status::OK.0
    );
    out
}

fn release(f: &mut Fro) {
    // SAFETY: a handle of this test.
    unsafe { iggy_frozen_release(f.m()) };
    assert_eq!(f.words(), ZERO, "release zeroes the handle");
}

fn free_prefix(p: &mut Pre) {
    // SAFETY: a handle of this test.
    unsafe { iggy_prefix_free(p.m()) };
    assert_eq!(p.words(), ZERO, "free zeroes the handle");
}

fn free_buf(b: &mut Buf) {
    // SAFETY: a handle of this test.
    unsafe { iggy_buf_free(b.m()) };
    assert_eq!(b.words(), ZERO, "free zeroes the handle");
}

/// Coalesces; on OK both inputs must be zeroed, on error the output untouched.
/// Coalesces `p` and `t`, which must give `want`, and releases the result.
fn coalesces_to(p: &mut Pre, t: &mut Fro, want: &[u8]) {
    let mut whole = coalesce(p, t).unwrap();
    assert_eq!(fbytes(&whole), want);
    release(&mut whole);
}

/// Coalesces `p` and `t`, which must give `want`: the result, and the allocations the
/// coalesce made and freed on this thread.
fn coalesce_counted(p: &mut Pre, t: &mut Fro, want: &[u8]) -> (Fro, usize, usize) {
    let (whole, made, freed) = cost(|| coalesce(p, t));
    let whole = whole.unwrap();
    assert_eq!(fbytes(&whole), want);
    (whole, made, freed)
}

/// The prefix `p` holds `prefix` and the frozen `t` holds `tail`; both are then freed.
fn holds_then_free(mut p: Pre, mut t: Fro, prefix: &[u8], tail: &[u8]) {
    holds(&mut p, &t, prefix, tail);
    free_prefix(&mut p);
    release(&mut t);
}

/// The prefix `p` holds `prefix` and the frozen `t` holds `tail`.
fn holds(p: &mut Pre, t: &Fro, prefix: &[u8], tail: &[u8]) {
    assert_eq!((pbytes(p), fbytes(t)), (prefix.to_vec(), tail.to_vec()));
}

fn coalesce(p: &mut Pre, t: &mut Fro) -> Result<Fro, iggy_status> {
    let mut out = Fro::garbage();
    // SAFETY: handles of this test, distinct.
    match unsafe { iggy_prefix_coalesce(p.m(), t.m(), out.m()) } {
        ok if ok == Status::OK.0 => {
            assert_eq!(
                (p.words(), t.words()),
                (ZERO, ZERO),
                "coalesce consumes both"
            );
            Ok(out)
        }
        status => {
            assert_eq!(out.words(), GARBAGE, "an output was written on error");
            Err(status)
        }
    }
}

/// Asserts a refused coalesce that leaves both handles exactly as they were.
fn refused(p: &mut Pre, t: &mut Fro) {
    let before = (p.words(), t.words());
    assert_eq!(coalesce(p, t).err(), Some(Status::COALESCE_REFUSED.0));
    assert_eq!(
        (p.words(), t.words()),
        before,
        "a refused coalesce changes nothing"
    );
}

fn can(p: &Pre, t: &Fro) -> bool {
    // SAFETY: handles of this test.
    unsafe { iggy_prefix_can_coalesce(p.p(), t.p()) }
}

fn aliases(p: &Pre, t: &Fro) -> bool {
    // SAFETY: handles of this test.
    unsafe { iggy_prefix_aliases(p.p(), t.p()) }
}

// --- split and coalesce -------------------------------------------------------------

#[test]
fn same_block_split_and_coalesce_allocate_nothing() {
    let mut b = buf_of(b"hello world");
    let (mut p, mut t) = (Pre::garbage(), Fro::garbage());
    // SAFETY: live input, distinct outputs.
    let (status, made, freed) = cost(|| unsafe { iggy_buf_split_at(b.m(), 5, p.m(), t.m()) });
    assert_eq!(
        (status, made, freed),
        (Status::OK.0, 0, 0),
        "split allocates nothing"
    );
    assert_eq!(b.words(), ZERO, "split zeroes the buffer");
    assert_eq!(pbytes(&mut p), b"hello");
    assert_eq!(fbytes(&t), b" world");
    assert!(aliases(&p, &t) && can(&p, &t));
    let (mut whole, made, freed) = coalesce_counted(&mut p, &mut t, b"hello world");
    assert_eq!(
        (made, freed),
        (0, 0),
        "same-block coalesce allocates and frees nothing"
    );
    let ((), _, freed) = cost(|| release(&mut whole));
    assert_eq!(freed, 1, "the last release frees the one allocation");
}

#[test]
fn different_block_coalesce_overwrites_the_head_and_frees_the_prefix() {
    // iobuf.md §6.11.
    let mut f = frozen_of(b"abcdefgh");
    let ((mut p, mut t), made, _) = cost(|| frozen_split(&mut f, 3));
    assert_eq!(made, 1, "the prefix is a copy: one allocation");
    holds(&mut p, &t, b"abc", b"defgh");
    pwrite(&mut p, 0, b"XYZ");
    assert!(!aliases(&p, &t));
    assert!(can(&p, &t));
    let (mut whole, made, freed) = coalesce_counted(&mut p, &mut t, b"XYZdefgh");
    assert_eq!(
        (made, freed),
        (0, 1),
        "no allocation; the prefix's own one is freed"
    );
    release(&mut whole);
}

#[test]
fn refused_coalesce_leaves_both_inputs_usable() {
    // Same block, an extra tail clone (§6.10).
    let (mut p, mut t) = split(b"hello world", 5);
    let mut extra = clone(&t);
    assert!(aliases(&p, &t) && !can(&p, &t));
    refused(&mut p, &mut t);
    pwrite(&mut p, 0, b"J");
    assert_eq!(pbytes(&mut p), b"Jello");
    assert_eq!(fbytes(&t), b" world");
    assert_eq!(fbytes(&extra), b" world");
    release(&mut extra);
    assert!(can(&p, &t));
    coalesces_to(&mut p, &mut t, b"Jello world");

    // Different blocks, an extra tail clone (§6.12).
    let mut f = frozen_of(b"abcdefgh");
    let (mut p, mut t) = frozen_split(&mut f, 3);
    let mut extra = clone(&t);
    refused(&mut p, &mut t);
    holds(&mut p, &t, b"abc", b"defgh");
    release(&mut extra);

    // Different blocks, offset mismatch (§6.13): the tail re-sliced to offset 5.
    let mut moved = slice(&t, 2, 5);
    release(&mut t);
    assert!(!can(&p, &moved));
    refused(&mut p, &mut moved);
    holds_then_free(p, moved, b"abc", b"fgh");
}

#[test]
fn coalesce_yields_the_whole_original_allocation() {
    // iobuf.md §3.3, first example: different blocks, narrowed tail.
    let mut f = frozen_of(b"abcdefgh");
    let (mut p, mut t) = frozen_split(&mut f, 3);
    let mut narrow = slice(&t, 0, 2);
    release(&mut t);
    assert_eq!(fbytes(&narrow), b"de");
    coalesces_to(&mut p, &mut narrow, b"abcdefgh");

    // Second example: same block, the tail narrowed to 2..4 and dropped.
    let (mut p, mut t) = split(b"hello world", 5);
    let mut narrow = slice(&t, 2, 4);
    release(&mut t);
    assert_eq!(fbytes(&narrow), b"or");
    assert!(can(&p, &narrow));
    coalesces_to(&mut p, &mut narrow, b"hello world");
}

#[test]
fn coalesce_consequences_of_section_3_3() {
    // An empty prefix coalesces with any fresh frozen.
    let mut empty = Pre::garbage();
    assert_eq!(
        // SAFETY: `(NULL, 0)` is an empty slice.
        unsafe { iggy_prefix_copy_from(std::ptr::null(), 0, empty.m()) },
        Status::OK.0
    );
    let mut fresh = frozen_of(b"whole");
    coalesces_to(&mut empty, &mut fresh, b"whole");

    // A non-empty prefix never coalesces with a fresh frozen.
    let mut p = Pre::garbage();
    assert_eq!(
        // SAFETY: a valid slice.
        unsafe { iggy_prefix_copy_from(b"ab".as_ptr(), 2, p.m()) },
        Status::OK.0
    );
    let mut fresh = frozen_of(b"whole");
    refused(&mut p, &mut fresh);
    release(&mut fresh);
    free_prefix(&mut p);

    // A copy of a split's prefix: refused while the original lives (count 2, different
    // blocks), then the different-block path, its bytes over the head.
    let (mut original, mut t) = split(b"hello", 2);
    let mut copy = Pre::garbage();
    let head = pbytes(&mut original);
    assert_eq!(
        // SAFETY: a valid slice.
        unsafe { iggy_prefix_copy_from(head.as_ptr(), head.len(), copy.m()) },
        Status::OK.0
    );
    assert!(!aliases(&copy, &t));
    refused(&mut copy, &mut t);
    free_prefix(&mut original);
    pwrite(&mut copy, 0, b"HE");
    coalesces_to(&mut copy, &mut t, b"HEllo");
}

#[test]
fn splits_at_the_ends_round_trip() {
    for at in [0, 5] {
        // §6.18, §6.19.
        let (mut p, mut t) = split(b"hello", at);
        assert_eq!(pbytes(&mut p), &b"hello"[..at]);
        assert_eq!(fbytes(&t), &b"hello"[at..]);
        coalesces_to(&mut p, &mut t, b"hello");
    }
    // Frozen split at len, then the copied prefix with the empty tail.
    let mut f = frozen_of(b"hello");
    let (mut p, mut t) = frozen_split(&mut f, 5);
    assert_eq!(fbytes(&t), b"");
    coalesces_to(&mut p, &mut t, b"hello");
}

// --- the behaviours of iobuf.md §6 ----------------------------------------------------

#[test]
fn prefix_and_tail_outlive_each_other() {
    // §6.3: the prefix released first.
    let (mut p, mut t) = split(b"hello world", 5);
    free_prefix(&mut p);
    assert_eq!(fbytes(&t), b" world");
    let ((), _, freed) = cost(|| release(&mut t));
    assert_eq!(freed, 1);
    // §6.4: the tail released first; the prefix stays writable.
    let (mut p, mut t) = split(b"hello world", 5);
    release(&mut t);
    pwrite(&mut p, 0, b"H");
    assert_eq!(pbytes(&mut p), b"Hello");
    free_prefix(&mut p);
    // §6.5: writing the prefix does not disturb the tail.
    let (mut p, t) = split(b"abcdefgh", 4);
    pwrite(&mut p, 0, b"WXYZ");
    holds_then_free(p, t, b"WXYZ", b"efgh");
}

#[test]
fn clones_and_slices_are_independent_shares() {
    // §6.6.
    let mut a = frozen_of(b"hello");
    let (mut b, made, _) = cost(|| clone(&a));
    assert_eq!(made, 0, "a clone allocates nothing");
    let mut c = clone(&b);
    release(&mut a);
    assert_eq!(
        (fbytes(&b), fbytes(&c)),
        (b"hello".to_vec(), b"hello".to_vec())
    );
    release(&mut b);
    assert_eq!(fbytes(&c), b"hello");
    release(&mut c);
    // §6.7, §6.8.
    let mut f = frozen_of(b"abcdefgh");
    let mut s1 = slice(&f, 2, 7);
    let (mut s2, made, _) = cost(|| slice(&s1, 1, 4));
    assert_eq!(made, 0, "a slice allocates nothing");
    release(&mut f);
    release(&mut s1);
    assert_eq!(fbytes(&s2), b"def");
    // An empty slice at the end, and the whole view.
    let mut end = slice(&s2, 3, 3);
    let mut all = slice(&s2, 0, 3);
    assert_eq!((fbytes(&end), fbytes(&all)), (vec![], b"def".to_vec()));
    release(&mut s2);
    release(&mut end);
    release(&mut all);
}

#[test]
fn set_len_after_writing_through_data() {
    // §6.14.
    let mut b = Buf::garbage();
    // SAFETY: valid handles; the bytes are written before set_len.
    unsafe {
        assert_eq!(iggy_buf_with_capacity(64, b.m()), Status::OK.0);
        assert!(iggy_buf_capacity(b.p()) >= 64);
        assert_eq!(iggy_buf_len(b.p()), 0);
        let data = iggy_buf_data(b.m());
        assert_eq!(data.addr() % iggy_consensus::buf::MESSAGE_ALIGN, 0);
        for i in 0..8u8 {
            data.add(usize::from(i)).write(i);
        }
        assert_eq!(iggy_buf_set_len(b.m(), 8), Status::OK.0);
        assert_eq!(
            std::slice::from_raw_parts(iggy_buf_data(b.m()), 8),
            [0, 1, 2, 3, 4, 5, 6, 7]
        );
        let capacity = iggy_buf_capacity(b.p());
        let before = b.words();
        assert_eq!(
            iggy_buf_set_len(b.m(), capacity + 1),
            Status::OUT_OF_RANGE.0
        );
        assert_eq!(b.words(), before);
        assert_eq!(
            iggy_buf_set_len(b.m(), 3),
            Status::OK.0,
            "set_len may shrink"
        );
        assert_eq!(iggy_buf_len(b.p()), 3);
        // Reserve keeps [0, len) and the alignment.
        assert_eq!(iggy_buf_reserve(b.m(), 10_000), Status::OK.0);
        assert!(iggy_buf_capacity(b.p()) >= 10_003);
        let data = iggy_buf_data(b.m());
        assert_eq!(data.addr() % 4096, 0);
        assert_eq!(std::slice::from_raw_parts(data, 3), [0, 1, 2]);
        // Reserving what is already there changes nothing.
        let before = b.words();
        let (status, made, _) = cost(|| iggy_buf_reserve(b.m(), 5));
        assert_eq!((status, made, b.words()), (Status::OK.0, 0, before));
    }
    free_buf(&mut b);
}

#[test]
fn zero_length_handles_are_live() {
    let (mut zeroed, mut cap, mut copied) = (Buf::garbage(), Buf::garbage(), Buf::garbage());
    // SAFETY: valid handles throughout.
    unsafe {
        let ((), made, _) = cost(|| {
            assert_eq!(iggy_buf_new_zeroed(0, zeroed.m()), Status::OK.0);
            assert_eq!(iggy_buf_with_capacity(0, cap.m()), Status::OK.0);
            assert_eq!(
                iggy_buf_copy_from(std::ptr::null(), 0, copied.m()),
                Status::OK.0
            );
        });
        assert_eq!(made, 0, "zero-length buffers allocate nothing");
        for b in [&mut zeroed, &mut cap, &mut copied] {
            assert!(!iggy_buf_is_empty(b.p()));
            assert!(
                !iggy_buf_data(b.m()).is_null(),
                "a live handle's data is never NULL"
            );
            assert_eq!((iggy_buf_len(b.p()), iggy_buf_capacity(b.p())), (0, 0));
        }
        // Sharing a capacity-0 buffer allocates its one allocation.
        let (mut p, mut t) = (Pre::garbage(), Fro::garbage());
        let (status, made, _) = cost(|| iggy_buf_split_at(zeroed.m(), 0, p.m(), t.m()));
        assert_eq!((status, made), (Status::OK.0, 1));
        assert!(!iggy_prefix_data(p.m()).is_null() && !iggy_frozen_data(t.p()).is_null());
        coalesces_to(&mut p, &mut t, b"");
        let mut f = Fro::garbage();
        assert_eq!(iggy_buf_freeze(cap.m(), f.m()), Status::OK.0);
        assert_eq!(iggy_frozen_len(f.p()), 0);
        let mut s = slice(&f, 0, 0);
        release(&mut f);
        release(&mut s);
        assert_eq!(iggy_buf_reserve(copied.m(), 0), Status::OK.0);
        assert_eq!(
            iggy_buf_capacity(copied.p()),
            0,
            "reserve(0) on capacity 0 is a no-op"
        );
    }
    free_buf(&mut copied);
}

// --- NULL, empty, released ---------------------------------------------------------

#[test]
fn accessors_on_null_and_empty_handles() {
    let (mut b, mut p, f) = (Buf::empty(), Pre::empty(), Fro::empty());
    let (nb, np, nf) = (
        std::ptr::null_mut::<iggy_buf>(),
        std::ptr::null_mut::<iggy_prefix>(),
        std::ptr::null_mut::<iggy_frozen>(),
    );
    // SAFETY: NULL and empty handles are accepted by every accessor.
    unsafe {
        for b in [nb, b.m()] {
            assert!(iggy_buf_data(b).is_null());
            assert_eq!((iggy_buf_len(b), iggy_buf_capacity(b)), (0, 0));
            assert!(iggy_buf_is_empty(b));
            iggy_buf_free(b);
        }
        for p in [np, p.m()] {
            assert!(iggy_prefix_data(p).is_null());
            assert_eq!(iggy_prefix_len(p), 0);
            assert!(iggy_prefix_is_empty(p));
            assert!(!iggy_prefix_aliases(p, f.p()) && !iggy_prefix_can_coalesce(p, f.p()));
            iggy_prefix_free(p);
        }
        for f in [nf.cast_const(), f.p()] {
            assert!(iggy_frozen_data(f).is_null());
            assert_eq!(iggy_frozen_len(f), 0);
            assert!(iggy_frozen_is_empty(f));
        }
        iggy_frozen_release(nf);
        iggy_frozen_release(Fro::empty().m());
        // A live prefix with a NULL or empty tail, and the reverse.
        let (mut lp, mut lt) = split(b"ab", 1);
        assert!(!iggy_prefix_aliases(lp.p(), nf) && !iggy_prefix_can_coalesce(lp.p(), f.p()));
        assert!(!iggy_prefix_aliases(np, lt.p()) && !iggy_prefix_can_coalesce(p.p(), lt.p()));
        free_prefix(&mut lp);
        release(&mut lt);
    }
    assert_eq!((b.words(), p.words(), f.words()), (ZERO, ZERO, ZERO));
}

#[test]
fn null_arguments_come_first_and_touch_nothing() {
    let (mut p, mut t) = split(b"hello world", 5);
    let mut b = buf_of(b"abc");
    let (nb, np, nf) = (
        std::ptr::null_mut::<iggy_buf>(),
        std::ptr::null_mut::<iggy_prefix>(),
        std::ptr::null_mut::<iggy_frozen>(),
    );
    let before = (b.words(), p.words(), t.words());
    let (mut po, mut fo, mut bo) = (Pre::garbage(), Fro::garbage(), Buf::garbage());
    let mut empty_f = Fro::empty();
    // SAFETY: every call is refused before it reads or writes anything.
    unsafe {
        let statuses = [
            iggy_buf_new_zeroed(1, nb),
            iggy_buf_with_capacity(1, nb),
            iggy_buf_copy_from(b"x".as_ptr(), 1, nb),
            iggy_buf_copy_from(std::ptr::null(), 1, bo.m()),
            iggy_buf_set_len(nb, 0),
            iggy_buf_reserve(nb, 1),
            iggy_buf_split_at(nb, 0, po.m(), fo.m()),
            iggy_buf_split_at(b.m(), 99, np, fo.m()), // NULL before OUT_OF_RANGE
            iggy_buf_split_at(b.m(), 0, po.m(), nf),
            iggy_buf_freeze(nb, fo.m()),
            iggy_buf_freeze(b.m(), nf),
            iggy_prefix_copy_from(std::ptr::null(), 1, po.m()),
            iggy_prefix_copy_from(b"x".as_ptr(), 1, np),
            iggy_prefix_freeze(np, fo.m()),
            iggy_prefix_freeze(p.m(), nf),
            iggy_prefix_coalesce(np, t.m(), fo.m()),
            iggy_prefix_coalesce(p.m(), nf, fo.m()),
            iggy_prefix_coalesce(p.m(), t.m(), nf),
            iggy_frozen_clone(nf, fo.m()),
            iggy_frozen_clone(empty_f.p(), nf), // NULL before EMPTY_HANDLE
            iggy_frozen_slice(nf, 0, 0, fo.m()),
            iggy_frozen_slice(t.p(), 0, 99, nf), // NULL before OUT_OF_RANGE
            iggy_frozen_split_at(nf, 0, po.m(), fo.m()),
            iggy_frozen_split_at(t.m(), 0, np, fo.m()),
            iggy_frozen_split_at(empty_f.m(), 0, po.m(), nf),
            iggy_header_seal(std::ptr::null_mut(), 256),
        ];
        for (i, s) in statuses.iter().enumerate() {
            assert_eq!(*s, Status::NULL_ARGUMENT.0, "call #{i}");
        }
    }
    assert_eq!(
        (b.words(), p.words(), t.words()),
        before,
        "an input was changed"
    );
    assert_eq!(
        (po.words(), fo.words(), bo.words()),
        (GARBAGE, GARBAGE, GARBAGE)
    );
    coalesces_to(&mut p, &mut t, b"hello world");
    free_buf(&mut b);
}

#[test]
fn empty_handles_are_refused_and_released_handles_are_empty() {
    let (mut p, mut t) = split(b"hello world", 5);
    let mut extra = clone(&t);
    release(&mut extra);
    release(&mut extra); // a second release is a no-op
    let mut b = buf_of(b"abc");
    free_buf(&mut b);
    free_buf(&mut b);
    let mut empty_p = Pre::empty();
    let (mut po, mut fo) = (Pre::garbage(), Fro::garbage());
    let before = (p.words(), t.words());
    // SAFETY: released and empty handles are refused before anything is read.
    unsafe {
        let tp = t.m();
        let statuses = [
            iggy_buf_set_len(b.m(), 0),
            iggy_buf_reserve(b.m(), 1),
            iggy_buf_split_at(b.m(), 99, po.m(), fo.m()), // EMPTY before OUT_OF_RANGE
            iggy_buf_freeze(b.m(), fo.m()),
            iggy_prefix_freeze(empty_p.m(), fo.m()),
            iggy_prefix_coalesce(empty_p.m(), tp, fo.m()),
            iggy_prefix_coalesce(p.m(), extra.m(), fo.m()),
            iggy_prefix_coalesce(empty_p.m(), tp, tp), // EMPTY before INVALID_ARGUMENT
            iggy_frozen_clone(extra.p(), fo.m()),
            iggy_frozen_slice(extra.p(), 5, 1, fo.m()), // EMPTY before OUT_OF_RANGE
            iggy_frozen_split_at(extra.m(), 99, po.m(), fo.m()),
        ];
        for (i, s) in statuses.iter().enumerate() {
            assert_eq!(*s, Status::EMPTY_HANDLE.0, "call #{i}");
        }
    }
    assert_eq!((p.words(), t.words()), before);
    assert_eq!(
        (po.words(), fo.words()),
        (GARBAGE, GARBAGE),
        "outputs untouched"
    );
    free_prefix(&mut p);
    release(&mut t);
}

#[test]
fn range_errors_touch_nothing() {
    let mut b = buf_of(b"hello");
    let mut f = frozen_of(b"abcdefgh");
    let (mut po, mut fo) = (Pre::garbage(), Fro::garbage());
    let before = (b.words(), f.words());
    let mut short = *b"short";
    // SAFETY: live handles of this test; every call is refused.
    unsafe {
        let fp = f.m();
        let statuses = [
            iggy_buf_split_at(b.m(), 6, po.m(), fo.m()),
            iggy_buf_split_at(b.m(), usize::MAX, po.m(), fo.m()),
            iggy_buf_set_len(b.m(), usize::MAX),
            iggy_frozen_slice(fp, 3, 2, fo.m()),
            iggy_frozen_slice(fp, 0, 9, fo.m()),
            iggy_frozen_slice(fp, 9, 9, fo.m()),
            iggy_frozen_slice(fp, usize::MAX, usize::MAX, fo.m()),
            iggy_frozen_slice(fp, 3, 2, fp), // OUT_OF_RANGE before INVALID_ARGUMENT
            iggy_frozen_split_at(fp, 9, po.m(), fo.m()),
            iggy_frozen_split_at(fp, 9, po.m(), fp), // OUT_OF_RANGE before INVALID_ARGUMENT
            iggy_header_seal(short.as_mut_ptr(), short.len()),
        ];
        for (i, s) in statuses.iter().enumerate() {
            assert_eq!(*s, Status::OUT_OF_RANGE.0, "call #{i}");
        }
    }
    assert_eq!((b.words(), f.words()), before);
    assert_eq!((po.words(), fo.words()), (GARBAGE, GARBAGE));
    assert_eq!(&short, b"short");
    // Still usable.
    let mut s = slice(&f, 8, 8);
    release(&mut s);
    free_buf(&mut b);
    release(&mut f);
}

#[test]
fn an_output_that_is_an_input_is_invalid() {
    let (mut p, mut t) = split(b"hello world", 5);
    let mut b = buf_of(b"abc");
    let before = (p.words(), t.words(), b.words());
    let (mut po, mut fo) = (Pre::garbage(), Fro::garbage());
    // SAFETY: the aliasing is what is tested; every call is refused before writing.
    unsafe {
        let (tp, pp, bp, pop) = (t.m(), p.m(), b.m(), po.m());
        let statuses = [
            iggy_frozen_clone(tp, tp),
            iggy_frozen_slice(tp, 0, 1, tp),
            iggy_frozen_split_at(tp, 1, pop, tp),
            iggy_frozen_split_at(tp, 1, tp.cast(), fo.m()),
            iggy_prefix_coalesce(pp, tp, tp),
            iggy_prefix_coalesce(pp, tp, pp.cast()),
            iggy_prefix_freeze(pp, pp.cast()),
            iggy_buf_split_at(bp, 1, bp.cast(), fo.m()),
            iggy_buf_split_at(bp, 1, pop, bp.cast()),
            iggy_buf_split_at(bp, 1, pop, pop.cast()),
            iggy_buf_freeze(bp, bp.cast()),
        ];
        for (i, s) in statuses.iter().enumerate() {
            assert_eq!(*s, Status::INVALID_ARGUMENT.0, "call #{i}");
        }
    }
    assert_eq!((p.words(), t.words(), b.words()), before);
    assert_eq!((po.words(), fo.words()), (GARBAGE, GARBAGE));
    // A partial overlap (one word apart) is an alias too.
    let mut two: [Fro; 2] = [clone(&t), Fro::empty()];
    let base = two.as_mut_ptr();
    // SAFETY: refused before anything is written; both pointers lie inside `two`.
    let status = unsafe {
        let overlapping = base.cast::<usize>().add(1).cast::<iggy_frozen>();
        iggy_frozen_clone((*base).p(), overlapping)
    };
    assert_eq!(status, Status::INVALID_ARGUMENT.0);
    release(&mut two[0]);
    coalesces_to(&mut p, &mut t, b"hello world");
    free_buf(&mut b);
}

// --- allocation failure -----------------------------------------------------------------

#[test]
fn sizes_above_ptrdiff_max_minus_4095_are_refused_before_the_allocator() {
    let limit = isize::MAX as usize - 4095;
    let mut b = buf_of(b"keep");
    let before = b.words();
    for n in [
        limit + 1,
        limit + 4096,
        isize::MAX as usize,
        usize::MAX - 1,
        usize::MAX,
    ] {
        let mut out = Buf::garbage();
        // SAFETY: a writable output and a live buffer.
        let (statuses, made, _) = cost(|| unsafe {
            [
                iggy_buf_new_zeroed(n, out.m()),
                iggy_buf_with_capacity(n, out.m()),
                iggy_buf_reserve(b.m(), n),
            ]
        });
        assert_eq!(statuses, [Status::OUT_OF_MEMORY.0; 3], "size {n}");
        assert_eq!(made, 0, "size {n} reached the allocator");
        assert_eq!(out.words(), GARBAGE, "an output was written on error");
        assert_eq!(b.words(), before, "a refused reserve changed the buffer");
    }
    // SAFETY: a live buffer of this test.
    unsafe {
        assert_eq!(
            iggy_buf_reserve(b.m(), usize::MAX - 2),
            Status::OUT_OF_MEMORY.0
        );
        assert_eq!(std::slice::from_raw_parts(iggy_buf_data(b.m()), 4), b"keep");
    }
    free_buf(&mut b);
}

// --- the panic boundary ------------------------------------------------------------------

#[cfg(feature = "test-hooks")]
#[test]
fn a_panic_inside_the_boundary_is_a_status() {
    let mut f = frozen_of(b"alive");
    assert_eq!(iggy_test_panic(), Status::PANIC.0);
    assert_eq!(iggy_test_panic(), Status::PANIC.0, "and again");
    // The process and the handles are fine.
    let mut c = clone(&f);
    assert_eq!(fbytes(&c), b"alive");
    release(&mut c);
    release(&mut f);
    // SAFETY: a static string.
    let text = unsafe { std::ffi::CStr::from_ptr(iggy_status_str(Status::PANIC.0)) };
    assert!(!text.to_bytes().is_empty());
}

// --- a hazard for Rust callers ------------------------------------------------------------

/// Moving a bare handle struct in Rust (`let b = a;`, returning it, capturing it in a
/// closure) keeps it usable: the handle words are pointer-typed on the Rust side, so a
/// typed copy keeps the provenance of the pointers the library stored in them. (With
/// `usize` words, Miri with strict provenance reported UB here.)
#[test]
fn a_moved_bare_handle_stays_usable() {
    fn make() -> iggy_buf {
        let mut b = iggy_buf::default();
        assert_eq!(
            // SAFETY: a valid slice and a writable output.
            unsafe { iggy_buf_copy_from(b"moved".as_ptr(), 5, &mut b) },
            Status::OK.0
        );
        b // moved out: a typed copy of the four words
    }
    let mut b = make();
    let mut f = Fro::garbage();
    // SAFETY: a live buffer and a writable output.
    assert_eq!(unsafe { iggy_buf_freeze(&mut b, f.m()) }, Status::OK.0);
    assert_eq!(fbytes(&f), b"moved");
    release(&mut f);
}

/// The ABI promise behind the header's `static inline` accessors: word
/// `IGGY_HANDLE_DATA_WORD` of every buffer handle holds what `iggy_*_data` returns and
/// word `IGGY_HANDLE_LEN_WORD` what `iggy_*_len` returns, for every kind of handle the
/// library fills (new, copied, zero-capacity, frozen, sliced, split, coalesced, cloned)
/// and for empty handles (0 and 0).
#[test]
fn the_documented_handle_words_hold_data_and_len() {
    const D: usize = IGGY_HANDLE_DATA_WORD;
    const L: usize = IGGY_HANDLE_LEN_WORD;
    let check_buf = |b: &mut Buf| {
        // SAFETY: a live or empty handle.
        let (data, len) = unsafe { (iggy_buf_data(b.m()), iggy_buf_len(b.p())) };
        assert_eq!((b.words()[D], b.words()[L]), (data.addr(), len));
    };
    let check_frozen = |f: &Fro| {
        // SAFETY: a live or empty handle.
        let (data, len) = unsafe { (iggy_frozen_data(f.p()), iggy_frozen_len(f.p())) };
        assert_eq!((f.words()[D], f.words()[L]), (data.addr(), len));
    };
    let check_prefix = |p: &mut Pre| {
        // SAFETY: a live or empty handle.
        let (data, len) = unsafe { (iggy_prefix_data(p.m()), iggy_prefix_len(p.p())) };
        assert_eq!((p.words()[D], p.words()[L]), (data.addr(), len));
    };

    let (mut eb, ef, mut ep) = (Buf::empty(), Fro::empty(), Pre::empty());
    check_buf(&mut eb);
    check_frozen(&ef);
    check_prefix(&mut ep);
    assert_eq!((eb.words()[D], eb.words()[L]), (0, 0));

    let mut b = buf_of(b"0123456789");
    check_buf(&mut b);
    free_buf(&mut b);
    let mut zero = Buf::garbage();
    // SAFETY: a writable output.
    assert_eq!(unsafe { iggy_buf_with_capacity(0, zero.m()) }, Status::OK.0);
    check_buf(&mut zero);
    free_buf(&mut zero);
    let mut cap = Buf::garbage();
    // SAFETY: a writable output; 3 bytes written before set_len.
    unsafe {
        assert_eq!(iggy_buf_with_capacity(64, cap.m()), Status::OK.0);
        iggy_buf_data(cap.m()).write_bytes(7, 3);
        assert_eq!(iggy_buf_set_len(cap.m(), 3), Status::OK.0);
    }
    check_buf(&mut cap);
    free_buf(&mut cap);

    let mut f = frozen_of(b"abcdefghij");
    check_frozen(&f);
    let mut s = slice(&f, 2, 7);
    check_frozen(&s);
    let mut c = clone(&s);
    check_frozen(&c);
    let mut empty_slice = slice(&f, 10, 10);
    check_frozen(&empty_slice);
    for h in [&mut s, &mut c, &mut empty_slice, &mut f] {
        release(h);
        check_frozen(h);
    }

    let (mut p, mut t) = split(b"headerbody", 6);
    check_prefix(&mut p);
    check_frozen(&t);
    let mut joined = coalesce(&mut p, &mut t).expect("coalesce");
    check_frozen(&joined);
    check_prefix(&mut p);
    check_frozen(&t);
    release(&mut joined);
}

/// `iggy_frozen_copy_from`: one allocation (the count inside it), the bytes copied, a
/// view of count 1; a NULL source with a length is refused with the output untouched.
#[test]
fn frozen_copy_from_is_one_allocation() {
    let bytes = b"a frame from bytes";
    let mut f = Fro::garbage();
    // SAFETY: a valid slice and a writable output.
    let (status, made, freed) =
        cost(|| unsafe { iggy_frozen_copy_from(bytes.as_ptr(), bytes.len(), f.m()) });
    assert_eq!((status, made, freed), (Status::OK.0, 1, 0));
    assert_eq!(fbytes(&f), bytes);
    let mut c = clone(&f);
    let ((), _, freed) = cost(|| release(&mut f));
    assert_eq!(freed, 0, "a clone is alive");
    let ((), _, freed) = cost(|| release(&mut c));
    assert_eq!(freed, 1);

    let mut untouched = Fro::garbage();
    // SAFETY: NULL with a length is refused before anything is read.
    let status = unsafe { iggy_frozen_copy_from(core::ptr::null(), 3, untouched.m()) };
    assert_eq!(status, Status::NULL_ARGUMENT.0);
    assert_eq!(untouched.words(), GARBAGE);
}
