//! Every buffer allocation is freed exactly once, and only when its last handle goes
//! (issue 15: mutants that leak or free early pass every test that only reads bytes).
//! A per-thread counting allocator sees the library's 4096-aligned buffers; each test
//! runs on one thread, so the counts are its own.

use iggy_consensus::buf::{AlignedVec, Frozen, MESSAGE_ALIGN, Owned, Prefix};
#[path = "common/buffer_count.rs"]
mod buffer_count;

/// Buffers allocated and not yet freed by this thread.
fn live() -> usize {
    let (made, freed) = buffer_count::counts();
    made - freed
}

type O = Owned<MESSAGE_ALIGN>;

/// Drops `last`, the last handle of the one allocation this thread holds above
/// `base`: the allocation stays live until then and goes with it.
fn drop_frees_the_last<T>(base: usize, last: T) {
    assert_eq!(live(), base + 1, "freed before its last handle went");
    drop(last);
    assert_eq!(live(), base, "the last handle frees the allocation");
}

#[test]
fn a_frozen_buffer_is_freed_by_its_last_share_only() {
    let base = live();
    let f: Frozen = O::copy_from_slice(b"abcdef").freeze();
    assert_eq!(live(), base + 1);
    let clone = f.clone();
    let slice = f.slice(1..3);
    drop(f);
    drop(clone);
    assert_eq!(live(), base + 1, "freed while a slice still views it");
    assert_eq!(slice.as_slice(), b"bc");
    drop_frees_the_last(base, slice);
}

#[test]
fn split_halves_free_their_allocation_whichever_goes_last() {
    let base = live();
    let (p, t): (Prefix, Frozen) = O::copy_from_slice(b"abcdef").split_at(2);
    assert_eq!(live(), base + 1, "a split allocates nothing");
    drop(p);
    drop_frees_the_last(base, t);

    let (p, t): (Prefix, Frozen) = O::copy_from_slice(b"abcdef").split_at(2);
    drop(t);
    drop_frees_the_last(base, p);
}

#[test]
fn coalescing_frees_nothing_and_the_result_frees_everything() {
    let base = live();
    let (p, t): (Prefix, Frozen) = O::copy_from_slice(b"abcdef").split_at(2);
    let whole = p.try_coalesce_with(t).unwrap();
    assert_eq!(whole.as_slice(), b"abcdef");
    drop_frees_the_last(base, whole);

    // Two allocations: the prefix's bytes are copied over the tail's head, and the
    // prefix's own allocation goes.
    let (_, tail): (Prefix, Frozen) = O::copy_from_slice(b"xxdef").split_at(2);
    let head: Prefix = Prefix::copy_from_slice(b"ab");
    assert_eq!(live(), base + 2);
    let whole = head.try_coalesce_with(tail).unwrap();
    assert_eq!(whole.as_slice(), b"abdef");
    drop_frees_the_last(base, whole);
}

#[test]
fn owned_buffers_free_on_drop_and_after_growth() {
    let base = live();
    let mut o = O::with_capacity(10);
    o.extend_from_slice(&[1; 10]);
    o.reserve(10_000);
    assert_eq!(live(), base + 1, "growth frees the old allocation");
    let c = o.clone();
    assert_eq!(live(), base + 2);
    drop(o);
    drop(c);
    assert_eq!(live(), base);

    let f = O::new().freeze();
    assert_eq!(
        live(),
        base + 1,
        "an empty buffer gets its slot when frozen"
    );
    drop(f);
    assert_eq!(live(), base);
}

#[test]
fn raw_parts_and_aligned_vectors_carry_their_allocation() {
    let base = live();
    let (ptr, len, ctrl) = O::copy_from_slice(b"abc").freeze().into_raw_parts();
    assert_eq!(live(), base + 1);
    // SAFETY: the parts come from `into_raw_parts` and are used once.
    let f: Frozen = unsafe { Frozen::from_raw_parts(ptr, len, ctrl) };
    drop_frees_the_last(base, f);

    let v = AlignedVec::<MESSAGE_ALIGN>::from_slice(MESSAGE_ALIGN, b"full");
    let o = O::try_from_aligned_vec(v).unwrap();
    assert_eq!(live(), base + 1, "growing a full vector frees the old one");
    let f = o.freeze();
    let (p, t) = f.split_at(2);
    assert_eq!(live(), base + 2, "a frozen split copies its prefix");
    drop((p, t));
    assert_eq!(live(), base);
}
