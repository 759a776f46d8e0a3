//! The allocation behind every buffer, and the slot its control block lives in.
//!
//! Storage is an [`AlignedVec`]. Its capacity always leaves room for a control block
//! after the bytes a buffer may use: the usable capacity of a vector of `c` bytes is
//! [`usable`]`(c)`, and once the buffer is shared the control block sits at that offset.
//! A vector of capacity 0 has no allocation and no slot; it gets both (one allocation)
//! when it is first shared.

use super::MESSAGE_ALIGN;
use super::shared::Ctrl;
use aligned_vec::{AVec, ConstAlign};
use core::mem::{align_of, size_of};
use core::ptr::NonNull;

/// An aligned byte vector from the `aligned-vec` crate: the storage of every buffer.
pub type AlignedVec<const ALIGN: usize = MESSAGE_ALIGN> = AVec<u8, ConstAlign<ALIGN>>;

/// Bytes reserved for the control block.
const SLOT: usize = size_of::<Ctrl<MESSAGE_ALIGN>>();
/// The control block's alignment; the slot offset is a multiple of it.
const SLOT_ALIGN: usize = align_of::<Ctrl<MESSAGE_ALIGN>>();

/// Compile-time checks on `ALIGN`, evaluated where a buffer type is instantiated.
pub(super) struct Align<const ALIGN: usize>;

impl<const ALIGN: usize> Align<ALIGN> {
    /// Fails the build for an `ALIGN` that is not a power of two or too small to keep
    /// the control block slot aligned.
    pub(super) const CHECK: () = assert!(
        ALIGN.is_power_of_two() && ALIGN >= SLOT_ALIGN,
        "ALIGN must be a power of two of at least the control block's alignment"
    );

    /// The largest vector capacity requested from the allocator: `isize::MAX - 4095`
    /// (`iobuf.md`), or less when `ALIGN` is above 4096, so that `Layout` accepts it.
    const MAX_VEC_CAPACITY: usize = isize::MAX as usize - (max(ALIGN, MESSAGE_ALIGN) - 1);

    /// The vector capacity that provides `usable` bytes plus the slot, or `None` when
    /// that exceeds [`Self::MAX_VEC_CAPACITY`]. Checked before any allocator call.
    pub(super) fn vec_capacity_for(usable: usize) -> Option<usize> {
        let capacity = usable
            .checked_next_multiple_of(SLOT_ALIGN)?
            .checked_add(SLOT)?;
        (capacity <= Self::MAX_VEC_CAPACITY).then_some(capacity)
    }

    /// The vector capacity to grow to for `usable` bytes: at least double the current
    /// one (amortised growth), never above the limit of [`Self::vec_capacity_for`].
    pub(super) fn grown_capacity_for(usable: usize, current: usize) -> Option<usize> {
        let needed = Self::vec_capacity_for(usable)?;
        Some(needed.max(current.saturating_mul(2).min(Self::MAX_VEC_CAPACITY)))
    }
}

/// The larger of two sizes, in a const context.
const fn max(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

/// Usable bytes of a vector of `vec_capacity` bytes: what lies before the slot.
pub(super) const fn usable(vec_capacity: usize) -> usize {
    if vec_capacity < SLOT {
        0
    } else {
        (vec_capacity - SLOT) & !(SLOT_ALIGN - 1)
    }
}

/// Whether a vector of `vec_capacity` bytes holds `len` bytes and, after its usable
/// capacity, the control block slot.
pub(super) const fn has_slot_after(vec_capacity: usize, len: usize) -> bool {
    vec_capacity >= SLOT && usable(vec_capacity) >= len
}

/// A storage vector taken apart into raw parts. Dropping it frees the allocation (the
/// guard that keeps a buffer from leaking while it is being shared or unshared);
/// [`RawStorage::into_vec`] defuses it and hands the vector back.
pub(super) struct RawStorage<const ALIGN: usize> {
    base: NonNull<u8>,
    len: usize,
    capacity: usize,
}

impl<const ALIGN: usize> RawStorage<ALIGN> {
    /// Takes `vec` apart. No allocation, no copy.
    pub(super) fn from_vec(vec: AlignedVec<ALIGN>) -> Self {
        let (ptr, _align, len, capacity) = vec.into_raw_parts();
        // SAFETY: an AVec's pointer is never null (dangling-but-aligned when empty).
        let base = unsafe { NonNull::new_unchecked(ptr) };
        Self {
            base,
            len,
            capacity,
        }
    }

    /// Start of the allocation.
    pub(super) fn base(&self) -> NonNull<u8> {
        self.base
    }

    /// Initialised length of the vector when it was taken apart.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Capacity of the vector, slot included.
    pub(super) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Puts the vector back together without freeing it (defuses the guard).
    #[cfg(test)]
    pub(super) fn into_vec(self) -> AlignedVec<ALIGN> {
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: the parts came from `AVec::into_raw_parts` of a vector with this
        // `ALIGN`, and `ManuallyDrop` keeps `Drop` from freeing them a second time.
        unsafe { AVec::from_raw_parts(this.base.as_ptr(), ALIGN, this.len, this.capacity) }
    }
}

impl<const ALIGN: usize> Drop for RawStorage<ALIGN> {
    fn drop(&mut self) {
        // SAFETY: the parts came from `AVec::into_raw_parts` with this `ALIGN`, and a
        // `RawStorage` is dropped at most once (`into_vec` forgets it).
        drop(unsafe {
            AVec::<u8, ConstAlign<ALIGN>>::from_raw_parts(
                self.base.as_ptr(),
                ALIGN,
                self.len,
                self.capacity,
            )
        });
    }
}
