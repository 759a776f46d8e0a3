//! Reference-counted, aligned IO buffers: [`Owned`], [`Prefix`] and [`Frozen`].
//!
//! The model (`shared/spec/iobuf.md`): one **allocation** whose first byte is aligned to
//! `ALIGN` ([`MESSAGE_ALIGN`] = 4096 by default), and up to three kinds of handle over it.
//!
//! * [`Owned`] is a unique, mutable, growable buffer. It has no reference count.
//! * Splitting or freezing an `Owned` makes the allocation **shared**: a control block
//!   (an atomic count, the allocation's base, length and capacity) is written into the
//!   allocation itself, after the usable capacity, so a message costs one heap
//!   allocation, not two. Every live extent owns one share of the count.
//! * [`Prefix`] is a unique, mutable extent: the head of a split.
//! * [`Frozen`] is a shared, immutable extent. Cloning and slicing add a share (one
//!   relaxed atomic add); dropping releases one.
//!
//! When the last share is released the allocation is freed, whichever thread drops it.
//!
//! A [`Prefix`] and a [`Frozen`] tail can be reunited into one `Frozen` by
//! [`Prefix::try_coalesce_with`] (rules in `coalesce.rs`), without allocating.
//!
//! Errors never consume or change their inputs: fallible operations that take `self`
//! hand it back in [`Rejected`], and a refused coalesce hands back both halves in
//! [`CoalesceError`]. Operations that the reference implements by panicking (bad
//! indexes) or aborting (allocation failure) have `try_` forms that return [`BufError`].
//!
//! `ALIGN` is a const parameter defaulting to [`MESSAGE_ALIGN`]. Rust applies a
//! default in type position only: `let b: Owned = Owned::zeroed(n)` uses 4096, while a
//! bare `Owned::zeroed(n)` in an expression needs `Owned::<MESSAGE_ALIGN>::zeroed(n)`.
//!
//! Threads: all three types are `Send` and `Sync`. `&Frozen` may be used from many
//! threads at once; distinct handles over one allocation may be used and dropped on
//! different threads concurrently.

/// `Deref<Target = [u8]>` through `as_slice` (with `mut`, also `DerefMut` through
/// `as_mut_slice`): the same impls for every buffer type.
macro_rules! deref_to_bytes {
    ($ty:ident) => {
        impl<const ALIGN: usize> core::ops::Deref for $ty<ALIGN> {
            type Target = [u8];
            fn deref(&self) -> &[u8] {
                self.as_slice()
            }
        }
    };
    ($ty:ident, mut) => {
        deref_to_bytes!($ty);

        impl<const ALIGN: usize> core::ops::DerefMut for $ty<ALIGN> {
            fn deref_mut(&mut self) -> &mut [u8] {
                self.as_mut_slice()
            }
        }
    };
}

/// `Clone` as a deep copy through `try_clone`, panicking on allocation failure: the same
/// impl for the buffer types that own their bytes alone ([`Owned`], [`Prefix`]).
macro_rules! clone_by_copy {
    ($ty:ident) => {
        impl<const ALIGN: usize> Clone for $ty<ALIGN> {
            #[doc = concat!("A deep copy. Panics on allocation failure; see [`", stringify!($ty), "::try_clone`].")]
            fn clone(&self) -> Self {
                self.try_clone().expect(concat!(stringify!($ty), "::clone"))
            }
        }
    };
}

/// `into_raw_parts`/`from_raw_parts` of a handle over one counted share (an `Extent`
/// in field 0): the same pair for [`Prefix`] and [`Frozen`]; `$what` names it in the
/// docs.
macro_rules! extent_raw_parts {
    ($ty:ident, $what:literal) => {
        impl<const ALIGN: usize> $ty<ALIGN> {
            #[doc = concat!("Decomposes the ", $what, " into `(pointer, len, control block)` without")]
            #[doc = concat!("releasing its share. The only way back is [`", stringify!($ty), "::from_raw_parts`].")]
            pub fn into_raw_parts(self) -> (NonNull<u8>, usize, NonNull<()>) {
                let (ptr, len, ctrl) = self.0.into_raw_parts();
                (ptr, len, ctrl.cast())
            }

            #[doc = concat!("Rebuilds a ", $what, " from [`", stringify!($ty), "::into_raw_parts`].")]
            ///
            /// # Safety
            #[doc = concat!("The parts come from `into_raw_parts` of a `", stringify!($ty), "<ALIGN>` and are used once.")]
            pub unsafe fn from_raw_parts(ptr: NonNull<u8>, len: usize, ctrl: NonNull<()>) -> Self {
                // SAFETY: forwarded to the caller; the parts carry one counted share.
                Self(unsafe { Extent::from_parts(ptr, len, ctrl.cast::<Ctrl<ALIGN>>()) })
            }
        }
    };
}

mod coalesce;
mod frozen;
mod owned;
mod prefix;
mod shared;
mod storage;
mod sync;

pub use coalesce::CoalesceError;
pub use frozen::Frozen;
pub use owned::Owned;
pub use prefix::Prefix;
pub use storage::AlignedVec;

/// Alignment of every message buffer: frames can be read in place as header structs.
pub const MESSAGE_ALIGN: usize = 4096;

/// Why a buffer operation failed. Inputs are left unchanged on every error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BufError {
    /// An index, range or length lies outside the buffer.
    OutOfRange,
    /// The allocator returned no memory, or the size cannot be represented (above
    /// `isize::MAX - (ALIGN - 1)` bytes).
    OutOfMemory,
}

impl core::fmt::Display for BufError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            BufError::OutOfRange => "index or length out of range",
            BufError::OutOfMemory => "allocation failed or size too large",
        })
    }
}

impl std::error::Error for BufError {}

impl BufError {
    /// `OutOfRange` unless `start <= end <= len`: the one range check of every buffer
    /// operation (split, slice, set_len), which the C layer also calls before it
    /// takes anything.
    #[inline]
    pub const fn check_range(start: usize, end: usize, len: usize) -> Result<(), BufError> {
        if start <= end && end <= len {
            Ok(())
        } else {
            Err(BufError::OutOfRange)
        }
    }

    /// The status code.
    pub const fn status(self) -> crate::status::Status {
        match self {
            BufError::OutOfRange => crate::status::Status::OUT_OF_RANGE,
            BufError::OutOfMemory => crate::status::Status::OUT_OF_MEMORY,
        }
    }
}

/// A consuming operation that failed: the input, unchanged, and the reason.
#[derive(Debug)]
pub struct Rejected<T> {
    /// The value the operation was given, exactly as it was.
    pub input: T,
    /// Why the operation failed.
    pub error: BufError,
}

#[cfg(test)]
mod tests;

#[cfg(all(test, loom))]
mod loom_tests;
