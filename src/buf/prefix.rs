//! [`Prefix`]: the unique, writable head of a split.

use super::shared::{Ctrl, Extent};
use super::storage::AlignedVec;
use super::{BufError, Frozen, MESSAGE_ALIGN, Owned, Rejected};
use core::ptr::NonNull;

/// A unique, **mutable** view of the head of a buffer, counted as one share of its
/// allocation.
///
/// Layout: pointer, length, control block (three words). Writes through a prefix never
/// touch bytes that any other live view can see. A prefix made by
/// [`Owned::try_split_at`] shares its allocation with the tail; one made by
/// [`Frozen::try_split_at`] or copied from a slice has an allocation of its own.
///
/// Cost: [`Prefix::freeze`] is free (the share moves to the [`Frozen`]); [`Clone`] is a
/// **deep copy**, not a count increment. Thread-safety: `Send` and `Sync`.
pub struct Prefix<const ALIGN: usize = MESSAGE_ALIGN>(pub(super) Extent<ALIGN>);

impl<const ALIGN: usize> Prefix<ALIGN> {
    pub(super) fn from_extent(extent: Extent<ALIGN>) -> Self {
        Self(extent)
    }

    /// Wraps an aligned vector with a control block of its own (count 1). Zero-copy
    /// when the vector has room for the block after its length; otherwise it grows
    /// once. On failure the vector comes back unchanged.
    pub fn try_from_aligned_vec(
        vec: AlignedVec<ALIGN>,
    ) -> Result<Self, Rejected<AlignedVec<ALIGN>>> {
        let owned = Owned::try_from_aligned_vec(vec)?;
        owned.into_prefix().map_err(|r| Rejected {
            input: r.input.into_aligned_vec(),
            error: r.error,
        })
    }

    /// A prefix holding a copy of `bytes`, in a fresh allocation with its own control
    /// block. One allocation, one copy.
    pub fn try_copy_from_slice(bytes: &[u8]) -> Result<Self, BufError> {
        Owned::try_copy_from_slice(bytes)?
            .into_prefix()
            .map_err(|r| r.error)
    }

    /// [`Prefix::try_copy_from_slice`], panicking on allocation failure.
    pub fn copy_from_slice(bytes: &[u8]) -> Self {
        Self::try_copy_from_slice(bytes).expect("Prefix::copy_from_slice")
    }

    /// The bytes of the prefix.
    pub fn as_slice(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The bytes of the prefix, writable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: a prefix's bytes are never viewed by another live extent: the tail of
        // its split starts after them, and copies and clones have their own allocation.
        unsafe { self.0.as_mut_slice() }
    }

    /// Start of the prefix, writable over `[0, len)`. Never null.
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.0.ptr().as_ptr()
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether `len == 0`.
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    /// A deep copy into a fresh allocation and control block. It does **not** share
    /// this prefix's allocation.
    pub fn try_clone(&self) -> Result<Self, BufError> {
        Self::try_copy_from_slice(self.as_slice())
    }

    /// Turns the prefix into a [`Frozen`] over the same bytes. The share moves over:
    /// no allocation, no copy, the count is unchanged.
    pub fn freeze(self) -> Frozen<ALIGN> {
        Frozen::from_extent(self.0)
    }

    /// Whether this prefix and `tail` count on the same control block (they came from
    /// one [`Owned::try_split_at`]).
    pub fn aliases(&self, tail: &Frozen<ALIGN>) -> bool {
        self.0.same_block(&tail.0)
    }
}

extent_raw_parts!(Prefix, "prefix");

clone_by_copy!(Prefix);

deref_to_bytes!(Prefix, mut);

impl<const ALIGN: usize> core::fmt::Debug for Prefix<ALIGN> {
    /// Prints only the length.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Prefix").field("len", &self.len()).finish()
    }
}
