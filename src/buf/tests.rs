//! The buffer behaviours of `iobuf.md` §6 (numbered as there), plus the error,
//! allocation and alignment contracts of this library.

use super::storage::{AlignedVec, RawStorage};
use super::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// The reference's buffer tests use ALIGN = 64.
type O = Owned<64>;
type F = Frozen<64>;
type P = Prefix<64>;

fn avec(bytes: &[u8]) -> AlignedVec<64> {
    AlignedVec::from_slice(64, bytes)
}

// --- iobuf.md §6 ------------------------------------------------------------------

#[test]
fn s01_prefix_from_aligned_vec_reads_back() {
    let p = P::try_from_aligned_vec(avec(b"abc")).unwrap();
    assert_eq!(p.as_slice(), b"abc");
}

#[test]
fn s02_owned_split_shares_one_control_block() {
    let (p, t) = O::copy_from_slice(b"abcdefgh").split_at(4);
    assert!(p.aliases(&t));
    assert_eq!(t.0.count(), 2);
}

#[test]
fn s03_dropping_prefix_first_keeps_tail_valid() {
    let (p, t) = O::copy_from_slice(b"hello world").split_at(5);
    assert_eq!(t.0.count(), 2);
    drop(p);
    assert_eq!(t.0.count(), 1);
    assert_eq!(t.as_slice(), b" world");
}

#[test]
fn s04_dropping_tail_first_keeps_prefix_mutable() {
    let (mut p, t) = O::copy_from_slice(b"hello world").split_at(5);
    drop(t);
    assert_eq!(p.as_slice(), b"hello");
    p[0] = b'H';
    assert_eq!(p.as_slice(), b"Hello");
}

#[test]
fn s05_writing_prefix_does_not_disturb_tail() {
    let (mut p, t) = O::copy_from_slice(b"abcdefgh").split_at(4);
    p.copy_from_slice(b"WXYZ");
    assert_eq!(p.as_slice(), b"WXYZ");
    assert_eq!(t.as_slice(), b"efgh");
}

#[test]
fn s06_clones_drop_independently() {
    let a = O::copy_from_slice(b"hello").freeze();
    let b = a.clone();
    let c = b.clone();
    assert_eq!(a.0.count(), 3);
    drop(a);
    assert_eq!((b.as_slice(), c.as_slice()), (&b"hello"[..], &b"hello"[..]));
    drop(b);
    assert_eq!(c.as_slice(), b"hello");
    assert_eq!(c.0.count(), 1);
}

#[test]
fn s07_slice_survives_its_parent() {
    let f = O::copy_from_slice(b"abcdefgh").freeze();
    let s = f.slice(2..6);
    drop(f);
    assert_eq!(s.as_slice(), b"cdef");
}

#[test]
fn s08_slices_of_slices_outlive_intermediates() {
    let f = O::copy_from_slice(b"abcdefgh").freeze();
    let s1 = f.slice(2..7);
    assert_eq!(s1.as_slice(), b"cdefg");
    let s2 = s1.slice(1..4);
    drop(f);
    drop(s1);
    assert_eq!(s2.as_slice(), b"def");
}

#[test]
fn s09_shared_block_coalesce_succeeds() {
    let (p, t) = O::copy_from_slice(b"hello world").split_at(5);
    assert!(p.can_coalesce_with(&t));
    let whole = p.try_coalesce_with(t).unwrap();
    assert_eq!(whole.as_slice(), b"hello world");
    assert_eq!(whole.0.count(), 1);
}

#[test]
fn s10_shared_block_coalesce_blocked_by_tail_clone() {
    let (p, t) = O::copy_from_slice(b"hello world").split_at(5);
    let extra = t.clone();
    assert_eq!(t.0.count(), 3);
    assert!(!p.can_coalesce_with(&t));
    let CoalesceError { prefix, tail } = p.try_coalesce_with(t).unwrap_err();
    assert_eq!(
        (prefix.as_slice(), tail.as_slice()),
        (&b"hello"[..], &b" world"[..])
    );
    assert_eq!(tail.0.count(), 3);
    drop(extra);
    assert_eq!(
        prefix.try_coalesce_with(tail).unwrap().as_slice(),
        b"hello world"
    );
}

#[test]
fn s11_different_block_coalesce_overwrites_head() {
    let f = O::copy_from_slice(b"abcdefgh").freeze();
    let (mut p, t) = f.split_at(3);
    assert!(!p.aliases(&t));
    p.copy_from_slice(b"XYZ");
    assert!(p.can_coalesce_with(&t));
    assert_eq!(p.try_coalesce_with(t).unwrap().as_slice(), b"XYZdefgh");
}

#[test]
fn s12_different_block_coalesce_blocked_by_tail_clone() {
    let (p, t) = O::copy_from_slice(b"abcdefgh").freeze().split_at(3);
    let _extra = t.clone();
    assert!(!p.can_coalesce_with(&t));
    let e = p.try_coalesce_with(t).unwrap_err();
    assert_eq!(
        (e.prefix.as_slice(), e.tail.as_slice()),
        (&b"abc"[..], &b"defgh"[..])
    );
}

#[test]
fn s13_different_block_coalesce_blocked_by_offset_mismatch() {
    let (p, t) = O::copy_from_slice(b"abcdefgh").freeze().split_at(3);
    let narrowed = t.slice(2..);
    drop(t);
    assert_eq!(narrowed.0.count(), 1);
    assert_eq!(narrowed.0.offset(), 5);
    assert!(!p.can_coalesce_with(&narrowed));
    assert!(p.try_coalesce_with(narrowed).is_err());
}

#[test]
fn s14_set_len_after_writes_through_uninit() {
    let mut o = O::with_capacity(64);
    assert!(o.capacity() >= 64);
    for (i, b) in o.spare_capacity_mut()[..8].iter_mut().enumerate() {
        b.write(i as u8);
    }
    // SAFETY: bytes 0..8 were just written.
    unsafe { o.set_len(8) };
    assert_eq!(o.as_slice(), &[0, 1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn s15_concurrent_clone_and_drop() {
    let f = O::copy_from_slice(b"shared payload").freeze();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let a = f.clone();
                let b = a.clone();
                let c = b.clone();
                for v in [&a, &b, &c] {
                    assert_eq!(v.as_slice(), b"shared payload");
                }
            });
        }
    });
    assert_eq!(f.as_slice(), b"shared payload");
    assert_eq!(f.0.count(), 1);
}

#[test]
fn s16_coalesce_racing_a_clone_drop() {
    let rounds = if cfg!(miri) { 4 } else { 200 };
    for _ in 0..rounds {
        let (p, t) = O::copy_from_slice(b"hello world").split_at(5);
        let extra = t.clone();
        let dropper = std::thread::spawn(move || drop(extra));
        let whole = match p.try_coalesce_with(t) {
            Ok(whole) => {
                dropper.join().unwrap();
                whole
            }
            Err(CoalesceError { prefix, tail }) => {
                assert_eq!(
                    (prefix.as_slice(), tail.as_slice()),
                    (&b"hello"[..], &b" world"[..])
                );
                dropper.join().unwrap();
                prefix.try_coalesce_with(tail).unwrap()
            }
        };
        assert_eq!(whole.as_slice(), b"hello world");
    }
}

#[test]
fn s17_panic_over_live_handles_frees_everything() {
    let r = catch_unwind(|| {
        let (p, t) = O::copy_from_slice(b"hello world").split_at(5);
        let f = O::copy_from_slice(b"frozen").freeze();
        let c = f.clone();
        let _live = (p, t, f, c);
        panic!("unwinding over live handles");
    });
    assert!(r.is_err());
    // Miri's leak check fails the run if any of the four allocations survived.
}

#[test]
fn s18_split_at_zero_round_trips() {
    let (p, t) = O::copy_from_slice(b"hello").split_at(0);
    assert!(p.is_empty());
    assert_eq!(p.as_slice().as_ptr(), t.as_ptr());
    assert_eq!(t.as_slice(), b"hello");
    assert_eq!(p.try_coalesce_with(t).unwrap().as_slice(), b"hello");
}

#[test]
fn s19_split_at_len_round_trips() {
    let (p, t) = O::copy_from_slice(b"hello").split_at(5);
    assert_eq!(p.as_slice(), b"hello");
    assert!(t.is_empty());
    assert_eq!(t.as_ptr(), p.as_slice().as_ptr().wrapping_add(5));
    assert_eq!(p.try_coalesce_with(t).unwrap().as_slice(), b"hello");
}

#[test]
fn s20_raw_parts_guard_frees_on_unwind() {
    let r = catch_unwind(|| {
        let _guard = RawStorage::from_vec(avec(b"contents"));
        panic!("unwinding with a guard alive");
    });
    assert!(r.is_err());
    // Miri's leak check fails the run if the guard did not free the vector.
}

#[test]
fn s21_defused_guard_does_not_free() {
    let guard = RawStorage::from_vec(avec(b"contents"));
    let vec = guard.into_vec();
    assert_eq!(vec.as_slice(), b"contents");
}

// --- the quirk (iobuf.md §3.3) and other coalesce consequences ------------------

#[test]
fn quirk_coalesce_restores_bytes_outside_a_narrowed_frozen_tail() {
    let (p, t) = O::copy_from_slice(b"abcdefgh").freeze().split_at(3);
    let narrowed = t.slice(0..2);
    assert_eq!(narrowed.as_slice(), b"de");
    drop(t);
    assert_eq!(
        p.try_coalesce_with(narrowed).unwrap().as_slice(),
        b"abcdefgh"
    );
}

#[test]
fn quirk_coalesce_restores_bytes_outside_a_narrowed_owned_tail() {
    let (p, t) = O::copy_from_slice(b"hello world").split_at(5);
    let narrowed = t.slice(2..4);
    drop(t);
    assert_eq!(narrowed.0.count(), 2);
    assert_eq!(
        p.try_coalesce_with(narrowed).unwrap().as_slice(),
        b"hello world"
    );
}

#[test]
fn empty_prefix_coalesces_with_any_fresh_frozen() {
    let p = P::copy_from_slice(b"");
    let f = O::copy_from_slice(b"whole").freeze();
    assert_eq!(p.try_coalesce_with(f).unwrap().as_slice(), b"whole");
}

#[test]
fn non_empty_prefix_never_coalesces_with_a_fresh_frozen() {
    let p = P::copy_from_slice(b"x");
    let f = O::copy_from_slice(b"whole").freeze();
    assert!(!p.can_coalesce_with(&f));
    assert!(p.try_coalesce_with(f).is_err());
}

#[test]
fn prefix_clone_coalesces_only_after_the_original_is_dropped() {
    let (p, t) = O::copy_from_slice(b"hello").split_at(2);
    let mut copy = p.clone();
    assert!(!copy.aliases(&t));
    assert!(!copy.can_coalesce_with(&t));
    drop(p);
    copy.copy_from_slice(b"HE");
    assert_eq!(copy.try_coalesce_with(t).unwrap().as_slice(), b"HEllo");
}

#[test]
fn frozen_split_at_len_round_trips() {
    let (p, t) = O::copy_from_slice(b"hello").freeze().split_at(5);
    assert!(t.is_empty());
    assert_eq!(p.try_coalesce_with(t).unwrap().as_slice(), b"hello");
}

#[test]
fn coalesced_frame_spans_the_block_length_not_the_capacity() {
    let mut o = O::with_capacity(100);
    o.spare_capacity_mut()[..4].iter_mut().for_each(|b| {
        b.write(7);
    });
    // SAFETY: bytes 0..4 were just written.
    unsafe { o.set_len(4) };
    let (p, t) = o.split_at(1);
    assert_eq!(p.try_coalesce_with(t).unwrap().as_slice(), &[7, 7, 7, 7]);
}

// --- Owned -------------------------------------------------------------------------

#[test]
fn owned_zeroed_is_zero_and_aligned() {
    let o = Owned::<4096>::zeroed(5);
    assert_eq!(o.as_slice(), &[0; 5]);
    assert!(o.capacity() >= 5);
    assert_eq!(o.as_ptr().addr() % 4096, 0);
}

#[test]
fn default_alignment_is_message_align() {
    for f in [
        Owned::<MESSAGE_ALIGN>::copy_from_slice(b"x").freeze(),
        Prefix::<MESSAGE_ALIGN>::copy_from_slice(b"y").freeze(),
        Owned::<MESSAGE_ALIGN>::new().freeze(),
    ] {
        assert_eq!(f.as_ptr().addr() % MESSAGE_ALIGN, 0);
    }
    let o: Owned = Owned::zeroed(1);
    assert_eq!(o.as_ptr().addr() % 4096, 0);
}

#[test]
fn with_capacity_zero_allocates_nothing() {
    let o = O::with_capacity(0);
    assert_eq!((o.len(), o.capacity()), (0, 0));
    assert_eq!(o.into_aligned_vec().capacity(), 0);
}

#[test]
fn with_capacity_gives_at_least_the_capacity_and_len_zero() {
    for cap in [1, 7, 8, 255, 256, 4096] {
        let o = O::with_capacity(cap);
        assert_eq!(o.len(), 0);
        assert!(
            o.capacity() >= cap && o.capacity() < cap + 8,
            "{cap} -> {}",
            o.capacity()
        );
    }
}

#[test]
fn spare_capacity_starts_at_len_and_ends_at_capacity() {
    let mut o = O::copy_from_slice(b"abc");
    o.reserve(10);
    let (cap, start) = (o.capacity(), o.as_ptr().wrapping_add(3));
    let spare = o.spare_capacity_mut();
    assert_eq!(spare.len(), cap - 3);
    assert_eq!(spare.as_ptr().cast::<u8>(), start);
}

/// The hole `as_uninit` had: safe code wrote `MaybeUninit::uninit()` over initialised
/// bytes, and `as_slice` then read uninitialised memory. Writing uninit over the whole
/// spare capacity must leave `[0, len)` readable (Miri reports UB otherwise).
#[test]
fn writing_uninit_into_spare_capacity_keeps_the_bytes_initialised() {
    let mut o = O::copy_from_slice(b"abc");
    o.reserve(5);
    o.spare_capacity_mut()
        .iter_mut()
        .for_each(|b| *b = core::mem::MaybeUninit::uninit());
    assert_eq!(o.as_slice(), b"abc");
}

#[test]
fn truncate_shortens_and_keeps_the_capacity_and_never_grows() {
    let mut o = O::copy_from_slice(b"abcdef");
    let (cap, ptr) = (o.capacity(), o.as_ptr());
    o.truncate(8);
    assert_eq!(o.as_slice(), b"abcdef");
    o.truncate(2);
    assert_eq!(o.as_slice(), b"ab");
    assert_eq!((o.capacity(), o.as_ptr()), (cap, ptr));
    o.truncate(0);
    assert!(o.is_empty());
}

#[test]
fn set_len_may_shrink_and_refuses_beyond_capacity() {
    let mut o = O::copy_from_slice(b"abcdef");
    // SAFETY: shrinking keeps the bytes initialised.
    unsafe { o.set_len(2) };
    assert_eq!(o.as_slice(), b"ab");
    let cap = o.capacity();
    // SAFETY: refused before anything is read.
    assert_eq!(unsafe { o.try_set_len(cap + 1) }, Err(BufError::OutOfRange));
    assert_eq!(o.as_slice(), b"ab");
}

#[test]
#[should_panic(expected = "beyond capacity")]
fn set_len_panics_beyond_capacity() {
    let mut o = O::with_capacity(8);
    let cap = o.capacity();
    // SAFETY: panics before the length changes.
    unsafe { o.set_len(cap + 1) };
}

#[test]
fn reserve_grows_keeps_bytes_and_alignment() {
    let mut o = Owned::<4096>::copy_from_slice(b"abc");
    o.reserve(5000);
    assert!(o.capacity() >= 5003);
    assert_eq!(o.as_slice(), b"abc");
    assert_eq!(o.as_ptr().addr() % 4096, 0);
    let before = o.capacity();
    o.reserve(1);
    assert_eq!(o.capacity(), before, "no-op when the room is there");
}

#[test]
fn reserve_over_allocates_and_reserve_exact_does_not() {
    let mut a = O::with_capacity(64);
    a.reserve(65);
    assert!(a.capacity() >= 128);
    let mut b = O::with_capacity(64);
    b.reserve_exact(65);
    assert!(b.capacity() >= 65 && b.capacity() < 65 + 8);
}

#[test]
fn reserve_overflow_and_huge_sizes_are_out_of_memory() {
    let mut o = O::copy_from_slice(b"abc");
    assert_eq!(o.try_reserve(usize::MAX), Err(BufError::OutOfMemory));
    assert_eq!(
        o.try_reserve_exact(usize::MAX - 2),
        Err(BufError::OutOfMemory)
    );
    assert_eq!(
        o.try_reserve(isize::MAX as usize),
        Err(BufError::OutOfMemory)
    );
    assert_eq!(o.as_slice(), b"abc");
    // Rejected before the allocator is called (Miri would flag the call): the size plus
    // the control block slot exceeds `isize::MAX - 4095`, whatever `ALIGN` is.
    for huge in [usize::MAX, isize::MAX as usize, isize::MAX as usize - 4095] {
        assert_eq!(
            Owned::<4096>::try_with_capacity(huge).unwrap_err(),
            BufError::OutOfMemory
        );
        assert_eq!(
            Owned::<4096>::try_zeroed(huge).unwrap_err(),
            BufError::OutOfMemory
        );
    }
    for huge in [
        usize::MAX,
        isize::MAX as usize - 63,
        isize::MAX as usize - 4095 - 24,
    ] {
        assert_eq!(
            O::try_with_capacity(huge).unwrap_err(),
            BufError::OutOfMemory
        );
    }
}

#[test]
fn owned_clone_is_a_deep_copy() {
    let mut a = O::copy_from_slice(b"abc");
    let b = a.clone();
    a[0] = b'X';
    assert_eq!((a.as_slice(), b.as_slice()), (&b"Xbc"[..], &b"abc"[..]));
    assert_ne!(a.as_ptr(), b.as_ptr());
}

#[test]
fn freeze_is_zero_copy_and_keeps_capacity() {
    let mut o = O::with_capacity(100);
    o.spare_capacity_mut()[0].write(1);
    // SAFETY: byte 0 was written.
    unsafe { o.set_len(1) };
    let ptr = o.as_ptr();
    let f = o.freeze();
    assert_eq!((f.as_ptr(), f.len(), f.0.count()), (ptr, 1, 1));
}

#[test]
fn empty_buffers_freeze_and_split() {
    let f = O::new().freeze();
    assert!(f.is_empty());
    let (p, t) = O::new().split_at(0);
    assert!(p.is_empty() && t.is_empty() && p.aliases(&t));
    assert!(p.try_coalesce_with(t).unwrap().is_empty());
}

#[test]
fn owned_split_out_of_range_hands_the_buffer_back() {
    let o = O::copy_from_slice(b"abc");
    let r = o.try_split_at(4).unwrap_err();
    assert_eq!(r.error, BufError::OutOfRange);
    assert_eq!(r.input.as_slice(), b"abc");
}

#[test]
#[should_panic(expected = "out of range")]
fn owned_split_at_panics_out_of_range() {
    let _ = O::copy_from_slice(b"abc").split_at(4);
}

#[test]
fn aligned_vec_round_trips_and_gains_a_slot_when_full() {
    let v = avec(b"exactly-full");
    let o = O::try_from_aligned_vec(v).unwrap();
    assert_eq!(o.as_slice(), b"exactly-full");
    let f = o.freeze();
    assert_eq!(f.as_slice(), b"exactly-full");

    let mut roomy = AlignedVec::<64>::with_capacity(64, 256);
    roomy.extend_from_slice(b"abc");
    let ptr = roomy.as_ptr();
    let o = O::try_from_aligned_vec(roomy).unwrap();
    assert_eq!(o.as_ptr(), ptr, "zero-copy when there is room");
    let back = o.into_aligned_vec();
    assert_eq!((back.as_ptr(), back.as_slice()), (ptr, &b"abc"[..]));
}

#[test]
fn raw_parts_round_trip() {
    let o = O::copy_from_slice(b"abc");
    let (ptr, len, cap) = o.into_raw_parts();
    // SAFETY: the parts come from `into_raw_parts` and are used once.
    let o = unsafe { O::from_raw_parts(ptr, len, cap) };
    assert_eq!(o.as_slice(), b"abc");
    let (p, t) = o.split_at(1);
    let (a, b, c) = p.into_raw_parts();
    let (d, e, f) = t.into_raw_parts();
    // SAFETY: as above.
    let (p, t) = unsafe { (P::from_raw_parts(a, b, c), F::from_raw_parts(d, e, f)) };
    assert_eq!(p.try_coalesce_with(t).unwrap().as_slice(), b"abc");
}

// --- Prefix and Frozen -------------------------------------------------------------

#[test]
fn prefix_clone_is_a_deep_copy_and_freeze_moves_the_share() {
    let (p, t) = O::copy_from_slice(b"hello").split_at(2);
    let c = p.clone();
    assert_eq!(c.as_slice(), b"he");
    assert_eq!(t.0.count(), 2, "a clone takes no share of the allocation");
    assert_eq!(c.0.count(), 1);
    let f = p.freeze();
    assert_eq!(f.as_slice(), b"he");
    assert_eq!(t.0.count(), 2, "freezing moves the prefix's share");
}

#[test]
fn debug_prints_only_the_length() {
    let (p, t) = O::copy_from_slice(b"secret").split_at(2);
    assert_eq!(format!("{p:?}"), "Prefix { len: 2 }");
    assert_eq!(format!("{t:?}"), "Frozen { len: 4 }");
}

#[test]
fn frozen_split_copies_the_prefix_and_keeps_the_share() {
    let f = O::copy_from_slice(b"abcdef").freeze();
    let other = f.clone();
    let (p, t) = f.split_at(2);
    assert_eq!((p.as_slice(), t.as_slice()), (&b"ab"[..], &b"cdef"[..]));
    assert!(!p.aliases(&t));
    assert_eq!(t.0.count(), 2, "tail reuses the handle's share");
    assert_eq!(other.as_slice(), b"abcdef");
}

#[test]
fn frozen_split_out_of_range_hands_the_view_back() {
    let f = O::copy_from_slice(b"abc").freeze();
    let r = f.try_split_at(4).unwrap_err();
    assert_eq!(
        (r.error, r.input.as_slice()),
        (BufError::OutOfRange, &b"abc"[..])
    );
    assert_eq!(r.input.0.count(), 1);
}

#[test]
fn slice_bounds_follow_the_reference() {
    use core::ops::Bound::*;
    let f = O::copy_from_slice(b"abcdef").freeze();
    assert_eq!(f.slice(..).as_slice(), b"abcdef");
    assert_eq!(f.slice(2..).as_slice(), b"cdef");
    assert_eq!(f.slice(..=2).as_slice(), b"abc");
    assert_eq!(f.slice((Excluded(1), Included(3))).as_slice(), b"cd");
    assert!(f.slice(6..6).is_empty());
    for bad in [
        f.try_slice(7..),
        f.try_slice((Included(3), Excluded(2))),
        f.try_slice(..=6),
        f.try_slice(..7),
        f.try_slice(..=usize::MAX),
        f.try_slice((Excluded(usize::MAX), Unbounded)),
    ] {
        assert_eq!(bad.unwrap_err(), BufError::OutOfRange);
    }
    assert_eq!(f.0.count(), 1, "refused slices add no share");
}

#[test]
fn slice_is_relative_to_the_current_view() {
    let f = O::copy_from_slice(b"abcdefgh").freeze().slice(2..);
    assert_eq!(f.slice(1..3).as_slice(), b"de");
}

#[test]
#[should_panic(expected = "out of range")]
fn slice_panics_out_of_range() {
    let _ = O::copy_from_slice(b"abc").freeze().slice(2..9);
}

#[test]
fn prefix_and_tail_released_on_different_threads() {
    let rounds = if cfg!(miri) { 3 } else { 100 };
    for _ in 0..rounds {
        let (p, t) = O::copy_from_slice(b"hello world").split_at(5);
        let a = std::thread::spawn(move || assert_eq!(p.as_slice(), b"hello"));
        let b = std::thread::spawn(move || assert_eq!(t.as_slice(), b" world"));
        a.join().unwrap();
        b.join().unwrap();
    }
}

#[test]
fn frozen_is_shareable_across_threads_by_reference() {
    let f = Arc::new(O::copy_from_slice(b"payload").freeze());
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let f = Arc::clone(&f);
            std::thread::spawn(move || {
                let s = f.slice(i..i + 3);
                assert_eq!(s.as_slice(), &b"payload"[i..i + 3]);
                s
            })
        })
        .collect();
    let slices: Vec<F> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(f.0.count(), 5);
    drop(slices);
    assert_eq!(f.0.count(), 1);
}

#[test]
fn handles_are_three_words() {
    assert!(core::mem::size_of::<Owned>() <= 4 * core::mem::size_of::<usize>());
    assert_eq!(
        core::mem::size_of::<Frozen>(),
        3 * core::mem::size_of::<usize>()
    );
    assert_eq!(
        core::mem::size_of::<Prefix>(),
        3 * core::mem::size_of::<usize>()
    );
}

#[test]
fn unwinding_guard_keeps_handles_consistent() {
    let f = O::copy_from_slice(b"abc").freeze();
    let r = catch_unwind(AssertUnwindSafe(|| {
        let _c = f.clone();
        panic!("drop the clone while unwinding");
    }));
    assert!(r.is_err());
    assert_eq!(f.0.count(), 1);
}

// --- boundaries and both sides of each formula (issue 15, mutation testing) ----------

/// Bytes the control block slot takes, and the alignment of its offset.
const SLOT: usize = core::mem::size_of::<super::shared::Ctrl<MESSAGE_ALIGN>>();
const SLOT_ALIGN: usize = core::mem::align_of::<super::shared::Ctrl<MESSAGE_ALIGN>>();

/// A pattern that makes any overwritten byte visible.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + 3) as u8).collect()
}

#[test]
fn a_full_vector_larger_than_the_slot_gains_room_for_it_and_survives_freezing() {
    for len in [SLOT, SLOT + 1, 256, 4096] {
        let bytes = pattern(len);
        let v = avec(&bytes);
        assert_eq!(v.capacity(), v.len(), "the vector is full");
        let o = O::try_from_aligned_vec(v).unwrap();
        assert!(
            o.capacity() >= len,
            "capacity {} below len {len}",
            o.capacity()
        );
        assert_eq!(o.as_slice(), &bytes[..]);
        let f = o.freeze();
        let clone = f.clone();
        assert_eq!(f.as_slice(), &bytes[..], "the control block overwrote data");
        drop(f);
        assert_eq!(clone.as_slice(), &bytes[..]);
    }
}

#[test]
fn a_vector_with_exactly_the_slot_after_its_length_is_wrapped_in_place() {
    // Capacity len + SLOT: the slot fits after the data, so no reallocation.
    let len = 64;
    let mut v = AlignedVec::<64>::with_capacity(64, len + SLOT);
    assert_eq!(v.capacity(), len + SLOT);
    v.extend_from_slice(&pattern(len));
    let ptr = v.as_ptr();
    let o = O::try_from_aligned_vec(v).unwrap();
    assert_eq!(o.as_ptr(), ptr, "wrapped without growing");
    assert_eq!(o.capacity(), len);
    // A vector of exactly the slot, empty: room for the slot and nothing else.
    let v = AlignedVec::<64>::with_capacity(64, SLOT);
    let ptr = v.as_ptr();
    let o = O::try_from_aligned_vec(v).unwrap();
    assert_eq!((o.as_ptr(), o.capacity()), (ptr, 0));
    assert!(o.freeze().is_empty());
}

#[test]
fn reserve_exact_on_a_non_empty_buffer_grows_to_exactly_what_is_needed() {
    for len in [1usize, 3, 100, 1000] {
        let mut o = O::copy_from_slice(&pattern(len));
        o.reserve_exact(500);
        let needed = len + 500;
        let exact = needed.next_multiple_of(SLOT_ALIGN);
        assert_eq!(o.capacity(), exact, "len {len}");
        assert_eq!(o.into_aligned_vec().capacity(), exact + SLOT, "len {len}");
    }
}

#[test]
fn reserve_on_a_non_empty_buffer_at_least_doubles_the_vector() {
    let mut o = O::copy_from_slice(&pattern(100));
    let room = o.capacity() - o.len();
    let vec_before = O::copy_from_slice(&pattern(100))
        .into_aligned_vec()
        .capacity();
    o.reserve(room);
    assert_eq!(
        o.capacity(),
        100 + room,
        "no growth while the room is there"
    );
    o.reserve(room + 1);
    assert_eq!(o.as_slice(), &pattern(100)[..]);
    assert_eq!(o.into_aligned_vec().capacity(), 2 * vec_before);
}

#[test]
fn with_capacity_sizes_the_vector_for_the_capacity_and_the_slot() {
    for n in [1usize, 7, 8, 9, 100] {
        let o = O::with_capacity(n);
        let exact = n.next_multiple_of(SLOT_ALIGN);
        assert_eq!(o.capacity(), exact);
        assert_eq!(o.into_aligned_vec().capacity(), exact + SLOT);
    }
}

/// The largest vector capacity for `ALIGN`, as `storage.rs` states it.
const fn max_vec_capacity(align: usize) -> usize {
    let a = if align > MESSAGE_ALIGN {
        align
    } else {
        MESSAGE_ALIGN
    };
    isize::MAX as usize - (a - 1)
}

fn capacity_limit_holds<const ALIGN: usize>() {
    use super::storage::Align;
    let max = max_vec_capacity(ALIGN);
    let largest = max - SLOT;
    assert_eq!(largest % SLOT_ALIGN, 0);
    assert_eq!(
        Align::<ALIGN>::vec_capacity_for(largest),
        Some(max),
        "ALIGN {ALIGN}: exactly the limit is accepted"
    );
    assert_eq!(
        Align::<ALIGN>::vec_capacity_for(largest + 1),
        None,
        "ALIGN {ALIGN}: one past the limit is refused"
    );
    assert_eq!(Align::<ALIGN>::vec_capacity_for(0), Some(SLOT));
    assert_eq!(Align::<ALIGN>::vec_capacity_for(1), Some(SLOT_ALIGN + SLOT));
    assert_eq!(Align::<ALIGN>::vec_capacity_for(usize::MAX), None);
    // Growth doubles, but never past the limit, and never below what is needed.
    assert_eq!(Align::<ALIGN>::grown_capacity_for(1, 100), Some(200));
    assert_eq!(
        Align::<ALIGN>::grown_capacity_for(1, max / 2 + 1),
        Some(max),
        "ALIGN {ALIGN}: doubling is capped at the limit"
    );
    assert_eq!(
        Align::<ALIGN>::grown_capacity_for(300, 100),
        Some(300usize.next_multiple_of(SLOT_ALIGN) + SLOT)
    );
    assert_eq!(Align::<ALIGN>::grown_capacity_for(largest + 1, 100), None);
}

#[test]
fn vec_capacity_for_accepts_exactly_the_limit_and_refuses_one_past_it() {
    capacity_limit_holds::<8>();
    capacity_limit_holds::<64>();
    capacity_limit_holds::<4096>();
    capacity_limit_holds::<8192>();
    capacity_limit_holds::<65536>();
}

#[test]
fn usable_capacity_is_what_lies_before_the_aligned_slot() {
    use super::storage::{has_slot_after, usable};
    assert_eq!(usable(0), 0);
    assert_eq!(usable(SLOT - 1), 0);
    assert_eq!(usable(SLOT), 0);
    assert_eq!(usable(SLOT + SLOT_ALIGN - 1), 0);
    assert_eq!(usable(SLOT + SLOT_ALIGN), SLOT_ALIGN);
    assert_eq!(usable(SLOT + 100), 100 / SLOT_ALIGN * SLOT_ALIGN);
    assert!(has_slot_after(SLOT, 0));
    assert!(!has_slot_after(SLOT - 1, 0));
    assert!(!has_slot_after(SLOT, 1));
    assert!(has_slot_after(SLOT + SLOT_ALIGN, SLOT_ALIGN));
    assert!(!has_slot_after(SLOT + SLOT_ALIGN, SLOT_ALIGN + 1));
    // A full vector at least as large as the slot has no slot after its length.
    assert!(!has_slot_after(4096, 4096));
    assert!(!has_slot_after(SLOT, SLOT));
}

#[test]
fn is_empty_is_false_for_every_non_empty_handle() {
    let o = O::copy_from_slice(b"ab");
    assert!(!o.is_empty());
    assert!(O::new().is_empty());
    let (p, t) = o.split_at(1);
    assert!(!p.is_empty() && !t.is_empty());
    let f = p.freeze();
    assert!(!f.is_empty());
    assert!(f.slice(1..).is_empty());
    let (p, t) = O::copy_from_slice(b"ab").split_at(2);
    assert!(!p.is_empty() && t.is_empty());
}

#[test]
fn deref_and_as_ref_give_the_bytes_of_each_handle() {
    let mut o = O::copy_from_slice(b"abc");
    assert_eq!(&*o, b"abc");
    o[0] = b'x';
    assert_eq!(o.as_slice(), b"xbc");
    let (mut p, t) = o.split_at(1);
    assert_eq!(&*p, b"x");
    p[0] = b'y';
    assert_eq!(p.as_slice(), b"y");
    assert_eq!(&*t, b"bc");
    let r: &[u8] = t.as_ref();
    assert_eq!(r, b"bc");
    assert_eq!(t.first(), Some(&b'b'));
}

#[test]
fn owned_debug_prints_the_length_and_capacity_only() {
    let mut o = O::with_capacity(16);
    o.extend_from_slice(b"secret");
    assert_eq!(format!("{o:?}"), "Owned { len: 6, capacity: 16 }");
}

#[test]
fn buf_errors_display_their_reason() {
    assert_eq!(
        BufError::OutOfRange.to_string(),
        "index or length out of range"
    );
    assert_eq!(
        BufError::OutOfMemory.to_string(),
        "allocation failed or size too large"
    );
    let e: &dyn std::error::Error = &BufError::OutOfMemory;
    assert!(e.source().is_none());
}

#[test]
fn check_range_accepts_both_ends_and_refuses_one_past_either() {
    assert_eq!(BufError::check_range(0, 0, 0), Ok(()));
    assert_eq!(BufError::check_range(2, 2, 2), Ok(()));
    assert_eq!(BufError::check_range(1, 2, 2), Ok(()));
    assert_eq!(BufError::check_range(2, 1, 2), Err(BufError::OutOfRange));
    assert_eq!(BufError::check_range(0, 3, 2), Err(BufError::OutOfRange));
    assert_eq!(
        BufError::OutOfRange.status(),
        crate::status::Status::OUT_OF_RANGE
    );
    assert_eq!(
        BufError::OutOfMemory.status(),
        crate::status::Status::OUT_OF_MEMORY
    );
}
