//! The control block and the extents that share it.
//!
//! A control block lives inside the allocation it counts, at the slot after the usable
//! capacity (see `storage.rs`), so sharing a buffer allocates nothing. Each live
//! [`Extent`] (a [`super::Prefix`] or a [`super::Frozen`]) owns exactly one share.
//!
//! Memory orderings (`iobuf.md` §4):
//! * a new share (clone, slice) is a `Relaxed` add: the new extent is made from an
//!   existing one, which already keeps the allocation alive;
//! * a release is a `Release` subtract; the thread that takes the count from 1 to 0
//!   loads it again with `Acquire` before freeing, so every other thread's accesses to
//!   the buffer happen before the free (the reference uses an `Acquire` fence: the
//!   same synchronisation, but ThreadSanitizer models loads, not fences);
//! * the uniqueness checks of coalescing load with `Acquire`, pairing with the
//!   `Release` of the handles dropped before them.
//!
//! The atomics come from `super::sync`: loom's under `--cfg loom`, whose models
//! (`loom_tests.rs`) check these orderings.

use super::storage::{RawStorage, usable};
use super::sync::{AtomicUsize, Ordering};
use core::ptr::NonNull;

/// The shared state of one allocation.
#[repr(C)]
pub(super) struct Ctrl<const ALIGN: usize> {
    refcount: AtomicUsize,
    /// The allocation as it was when the block was written: base, initialised length
    /// and vector capacity. Taken out and dropped by the last release.
    storage: RawStorage<ALIGN>,
    /// Loom only: the allocation's bytes as loom sees them (`sync::Uses`).
    #[cfg(all(test, loom))]
    uses: super::sync::Uses,
}

/// A view `[ptr, ptr + len)` into an allocation with a control block. Owns one share.
pub(super) struct Extent<const ALIGN: usize> {
    ptr: NonNull<u8>,
    len: usize,
    ctrl: NonNull<Ctrl<ALIGN>>,
}

// SAFETY: an extent's bytes are reached only through `&self`/`&mut self` methods that
// follow Rust's aliasing rules, and its share is counted atomically, so extents can be
// moved to and used from other threads.
unsafe impl<const ALIGN: usize> Send for Extent<ALIGN> {}
// SAFETY: `&Extent` gives only reads of its bytes and atomic updates of the count.
unsafe impl<const ALIGN: usize> Sync for Extent<ALIGN> {}

impl<const ALIGN: usize> Extent<ALIGN> {
    /// Writes a control block with `count` shares into `storage`'s slot and returns an
    /// extent over the whole initialised length. The caller creates the other
    /// `count - 1` extents with [`Extent::from_parts`].
    ///
    /// # Safety
    /// `storage` must have an allocation with a slot: `usable(capacity) + size_of::<Ctrl>()
    /// <= capacity` and `len <= usable(capacity)`.
    pub(super) unsafe fn share(storage: RawStorage<ALIGN>, count: usize) -> Self {
        // `ALIGN` keeps the slot aligned for the block (a build error otherwise).
        let () = super::storage::Align::<ALIGN>::CHECK;
        let base = storage.base();
        let len = storage.len();
        // SAFETY: the caller guarantees the slot lies inside the allocation; `usable`
        // is a multiple of the block's alignment and `base` is `ALIGN`-aligned.
        let ctrl = unsafe { base.add(usable(storage.capacity())).cast::<Ctrl<ALIGN>>() };
        // SAFETY: the slot is inside the allocation, aligned, and no extent uses it yet.
        unsafe {
            ctrl.write(Ctrl {
                refcount: AtomicUsize::new(count),
                storage,
                #[cfg(all(test, loom))]
                uses: super::sync::Uses::new(),
            })
        };
        Self {
            ptr: base,
            len,
            ctrl,
        }
    }

    /// An extent over `[ptr, ptr + len)` that takes over one already counted share.
    ///
    /// # Safety
    /// `ctrl` is a live control block, one of its shares is not owned by any extent,
    /// and `[ptr, ptr + len)` lies inside its allocation's usable bytes.
    pub(super) unsafe fn from_parts(
        ptr: NonNull<u8>,
        len: usize,
        ctrl: NonNull<Ctrl<ALIGN>>,
    ) -> Self {
        Self { ptr, len, ctrl }
    }

    pub(super) fn ptr(&self) -> NonNull<u8> {
        self.ptr
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    fn block(&self) -> &Ctrl<ALIGN> {
        // SAFETY: this extent owns a share, so the block stays alive while `self` does.
        unsafe { self.ctrl.as_ref() }
    }

    /// Start of the allocation.
    pub(super) fn base(&self) -> NonNull<u8> {
        self.block().storage.base()
    }

    /// This extent's offset from the start of its allocation.
    pub(super) fn offset(&self) -> usize {
        self.ptr.as_ptr().addr() - self.base().as_ptr().addr()
    }

    /// The number of live shares, loaded with `Acquire`.
    pub(super) fn count(&self) -> usize {
        self.block().refcount.load(Ordering::Acquire)
    }

    /// Whether both extents count on one control block.
    pub(super) fn same_block(&self, other: &Self) -> bool {
        self.ctrl == other.ctrl
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        #[cfg(all(test, loom))]
        self.uses().access();
        // SAFETY: `[ptr, ptr + len)` is initialised memory inside the allocation, kept
        // alive by this share, and no live extent writes to it (only a `Prefix` writes,
        // and a prefix's bytes are never viewed by any other extent).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    /// Mutable access to the bytes.
    ///
    /// # Safety
    /// No other live extent may view any byte of `[ptr, ptr + len)`.
    pub(super) unsafe fn as_mut_slice(&mut self) -> &mut [u8] {
        #[cfg(all(test, loom))]
        self.uses().access();
        // SAFETY: as in `as_slice`; the caller guarantees that nobody else views these
        // bytes, and `&mut self` that this extent is not read meanwhile.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Loom only: the allocation's bytes as loom sees them.
    #[cfg(all(test, loom))]
    pub(super) fn uses(&self) -> &super::sync::Uses {
        &self.block().uses
    }

    /// A new extent over `[start, end)` of this one, with a share of its own.
    /// The caller checks `start <= end <= len`.
    pub(super) fn share_range(&self, start: usize, end: usize) -> Self {
        debug_assert!(start <= end && end <= self.len);
        let old = self.block().refcount.fetch_add(1, Ordering::Relaxed);
        // As `Arc`: 2^63 live shares cannot exist (each handle is at least 24 bytes),
        // so this is unreachable unless memory is corrupted; stop before it wraps.
        if old > isize::MAX as usize {
            std::process::abort();
        }
        Self {
            // SAFETY: `start <= len`, so the pointer stays inside or one past the extent.
            ptr: unsafe { self.ptr.add(start) },
            len: end - start,
            ctrl: self.ctrl,
        }
    }

    /// Narrows this extent to `[start, len)` in place, keeping its share.
    /// The caller checks `start <= len`.
    pub(super) fn advance(&mut self, start: usize) {
        debug_assert!(start <= self.len);
        // SAFETY: `start <= len`, so the pointer stays inside or one past the extent.
        self.ptr = unsafe { self.ptr.add(start) };
        self.len -= start;
    }

    /// Gives up this extent's share to `other`, which holds the only other one: the
    /// count goes from 2 to 1 with a plain store instead of an atomic subtract, since
    /// no other handle exists that could race with it.
    ///
    /// # Safety
    /// Both extents count on the same block, and its count, loaded with `Acquire` by
    /// the caller that owns both, is 2.
    pub(super) unsafe fn release_to(self, other: &Self) {
        debug_assert!(self.same_block(other));
        debug_assert_eq!(other.count(), 2);
        core::mem::forget(self);
        other.block().refcount.store(1, Ordering::Relaxed);
    }

    /// Turns this extent, which must hold the **only** share, into an extent over the
    /// whole allocation, `[0, block len)`, keeping the block and its count of 1.
    ///
    /// # Safety
    /// The count is 1: no other extent of this allocation is alive.
    pub(super) unsafe fn into_whole(self) -> Self {
        let this = core::mem::ManuallyDrop::new(self);
        let block = this.block();
        debug_assert_eq!(block.refcount.load(Ordering::Relaxed), 1);
        Self {
            ptr: block.storage.base(),
            len: block.storage.len(),
            ctrl: this.ctrl,
        }
    }

    /// Decomposes the extent without releasing its share.
    pub(super) fn into_raw_parts(self) -> (NonNull<u8>, usize, NonNull<Ctrl<ALIGN>>) {
        let this = core::mem::ManuallyDrop::new(self);
        (this.ptr, this.len, this.ctrl)
    }
}

impl<const ALIGN: usize> Drop for Extent<ALIGN> {
    fn drop(&mut self) {
        let old = self.block().refcount.fetch_sub(1, Ordering::Release);
        if old != 1 {
            if old == 0 {
                panic!("control block refcount underflow");
            }
            return;
        }
        // Acquire: the load reads the value this subtract wrote, the end of the release
        // sequence of every earlier release, so it synchronises as `iobuf.md`'s acquire
        // fence does, and ThreadSanitizer, which does not model fences, sees it.
        let _ = self.block().refcount.load(Ordering::Acquire);
        #[cfg(all(test, loom))]
        self.uses().free();
        // SAFETY: the count went from 1 to 0, so this was the last share: nobody else
        // can reach the block. Its storage is moved out (the block lives inside that
        // storage) and then dropped, which frees the allocation.
        let storage = unsafe { core::ptr::addr_of!((*self.ctrl.as_ptr()).storage).read() };
        drop(storage);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Ordering;
    use crate::buf::Owned;

    /// The overflow guard of `share_range` stops only past `isize::MAX` shares: at
    /// exactly that count the share is still taken (2^63 live handles cannot exist, so
    /// the count is set by hand, then put back to the two real shares).
    #[test]
    fn a_share_at_a_count_of_isize_max_is_still_taken() {
        let frozen = Owned::<64>::copy_from_slice(b"abcd").freeze();
        let refcount = &frozen.0.block().refcount;
        refcount.store(isize::MAX as usize, Ordering::Relaxed);
        let share = frozen.0.share_range(1, 3);
        assert_eq!(frozen.0.count(), isize::MAX as usize + 1);
        assert_eq!(share.as_slice(), b"bc");
        refcount.store(2, Ordering::Relaxed);
        drop(crate::buf::Frozen(share));
        assert_eq!(frozen.0.count(), 1);
    }
}
