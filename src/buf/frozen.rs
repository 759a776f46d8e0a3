//! [`Frozen`]: a shared, immutable, reference-counted view.

use super::shared::{Ctrl, Extent};
use super::{BufError, MESSAGE_ALIGN, Prefix, Rejected};
use core::ops::{Bound, RangeBounds};
use core::ptr::NonNull;

/// A shared, **immutable** view of bytes in a reference-counted allocation.
///
/// Layout: pointer, length, control block (three words). [`Clone`] and
/// [`Frozen::try_slice`] add one share (one `Relaxed` atomic add, no allocation, no
/// copy); dropping releases one (`Release` subtract; the last one frees the allocation
/// after an `Acquire` load). A slice outlives the view it was taken from.
///
/// Thread-safety: `Send` and `Sync`. `&Frozen` may be read, cloned and sliced from many
/// threads at once; clones may be dropped on any thread.
pub struct Frozen<const ALIGN: usize = MESSAGE_ALIGN>(pub(super) Extent<ALIGN>);

impl<const ALIGN: usize> Frozen<ALIGN> {
    pub(super) fn from_extent(extent: Extent<ALIGN>) -> Self {
        Self(extent)
    }

    /// The bytes of this view.
    pub fn as_slice(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// Start of the view. Never null (one past the end of the allocation's bytes for
    /// an empty tail).
    pub fn as_ptr(&self) -> *const u8 {
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

    /// A new view of `range`, relative to this view, with a share of its own (`+1`,
    /// `Relaxed`). It may outlive `self`. [`BufError::OutOfRange`] unless
    /// `start <= end <= len` (an `Excluded` start or `Included` end of `usize::MAX` is
    /// out of range too).
    pub fn try_slice(&self, range: impl RangeBounds<usize>) -> Result<Self, BufError> {
        let start = match range.start_bound() {
            Bound::Included(&n) => n,
            Bound::Excluded(&n) => n.checked_add(1).ok_or(BufError::OutOfRange)?,
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&n) => n.checked_add(1).ok_or(BufError::OutOfRange)?,
            Bound::Excluded(&n) => n,
            Bound::Unbounded => self.len(),
        };
        BufError::check_range(start, end, self.len())?;
        Ok(Self(self.0.share_range(start, end)))
    }

    /// [`Frozen::try_slice`], panicking when the range is out of range.
    pub fn slice(&self, range: impl RangeBounds<usize>) -> Self {
        self.try_slice(range).expect("Frozen::slice: out of range")
    }

    /// Splits into a [`Prefix`] holding a **copy** of `[0, at)` (a fresh allocation) and
    /// this view narrowed to `[at, len)`, which keeps this handle's share: the count of
    /// the original block is unchanged and other clones are unaffected.
    /// On failure ([`BufError::OutOfRange`] when `at > len`, or allocation) `self`
    /// comes back unchanged.
    pub fn try_split_at(mut self, at: usize) -> Result<(Prefix<ALIGN>, Self), Rejected<Self>> {
        if let Err(error) = BufError::check_range(at, at, self.len()) {
            return Err(Rejected { input: self, error });
        }
        let prefix = match Prefix::try_copy_from_slice(&self.as_slice()[..at]) {
            Ok(prefix) => prefix,
            Err(error) => return Err(Rejected { input: self, error }),
        };
        self.0.advance(at);
        Ok((prefix, self))
    }

    /// [`Frozen::try_split_at`], panicking when `at > len` or on allocation failure.
    pub fn split_at(self, at: usize) -> (Prefix<ALIGN>, Self) {
        self.try_split_at(at)
            .unwrap_or_else(|r| panic!("Frozen::split_at({at}): {}", r.error))
    }
}

extent_raw_parts!(Frozen, "view");

impl<const ALIGN: usize> Clone for Frozen<ALIGN> {
    /// Another view of the same bytes: one `Relaxed` atomic add, nothing allocated.
    fn clone(&self) -> Self {
        Self(self.0.share_range(0, self.len()))
    }
}

deref_to_bytes!(Frozen);

impl<const ALIGN: usize> AsRef<[u8]> for Frozen<ALIGN> {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl<const ALIGN: usize> core::fmt::Debug for Frozen<ALIGN> {
    /// Prints only the length.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Frozen").field("len", &self.len()).finish()
    }
}
