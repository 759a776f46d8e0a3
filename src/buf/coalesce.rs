//! Coalescing: reuniting a [`Prefix`] and a [`Frozen`] tail into one `Frozen`.
//!
//! The rules (`iobuf.md` §3):
//!
//! * **Same control block** (both came from one [`super::Owned::try_split_at`]): allowed
//!   iff the count is exactly 2, this prefix and this tail, with no other clone or slice
//!   alive. Pointers and lengths are not compared.
//! * **Different control blocks**: allowed iff the tail's count is exactly 1 and the
//!   tail starts `prefix.len()` bytes after its allocation's base. The prefix's bytes are
//!   then copied over the tail allocation's `[0, prefix.len())`.
//!
//! The result spans the **whole original allocation**, `[0, block len)`, not
//! `prefix.len() + tail.len()`: bytes outside a narrowed tail come back (the
//! reference's documented quirk, reproduced). It reuses the tail's control block with a
//! count of 1, so coalescing allocates nothing; in the different-block case the
//! prefix's own allocation is freed.

use super::{Frozen, Prefix};

/// A refused coalesce: both inputs, unchanged.
#[derive(Debug)]
pub struct CoalesceError<const ALIGN: usize> {
    /// The prefix, as it was passed in.
    pub prefix: Prefix<ALIGN>,
    /// The tail, as it was passed in.
    pub tail: Frozen<ALIGN>,
}

impl<const ALIGN: usize> Prefix<ALIGN> {
    /// Whether [`Prefix::try_coalesce_with`] would succeed now: one `Acquire` load of
    /// the tail's count (rules in the module documentation).
    pub fn can_coalesce_with(&self, tail: &Frozen<ALIGN>) -> bool {
        if self.0.same_block(&tail.0) {
            tail.0.count() == 2
        } else {
            tail.0.count() == 1 && tail.0.offset() == self.len()
        }
    }

    /// Reunites this prefix and `tail` into one [`Frozen`] over the whole allocation.
    /// No allocation. Same block: no copy and no atomic read-modify-write (one
    /// `Acquire` load, then the prefix's share is handed over with a plain store).
    /// Different blocks: `prefix.len()` bytes copied, and the prefix's share released.
    /// When the rules refuse, both come back unchanged.
    ///
    /// The uniqueness checked here cannot be lost before the merge: the caller owns
    /// every share the rules allow (count 2 = this prefix and this tail; count 1 = the
    /// tail), and nobody else can add a share without holding one. Other threads can
    /// only *drop* shares, which can make a refused coalesce succeed on retry.
    #[inline]
    pub fn try_coalesce_with(
        self,
        tail: Frozen<ALIGN>,
    ) -> Result<Frozen<ALIGN>, CoalesceError<ALIGN>> {
        if !self.can_coalesce_with(&tail) {
            return Err(CoalesceError { prefix: self, tail });
        }
        if self.0.same_block(&tail.0) {
            // SAFETY: same block, count 2 (checked above), and we own both shares.
            unsafe { self.0.release_to(&tail.0) };
        } else {
            self.copy_over_head_of(&tail);
        }
        // SAFETY: the tail now holds the only share (checked above, and the prefix's
        // share, if it was on this block, was just released).
        Ok(Frozen::from_extent(unsafe { tail.0.into_whole() }))
    }

    /// The different-block case: copies the prefix over the tail allocation's head and
    /// releases the prefix. Out of line, so the same-block path inlines.
    #[cold]
    #[inline(never)]
    fn copy_over_head_of(self, tail: &Frozen<ALIGN>) {
        // SAFETY: the tail holds the only share of its allocation, and the bytes
        // `[0, prefix.len())` lie before the tail (its offset is `prefix.len()`),
        // so no live view sees them; the prefix's bytes are in another allocation.
        unsafe {
            core::ptr::copy_nonoverlapping(
                self.0.ptr().as_ptr(),
                tail.0.base().as_ptr(),
                self.len(),
            )
        };
        // Frees the prefix's own allocation unless its split's tail still lives.
        drop(self);
    }
}
