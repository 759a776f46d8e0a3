//! [`Owned`]: a unique, mutable, growable aligned buffer.

use super::shared::Extent;
use super::storage::{Align, AlignedVec, RawStorage, has_slot_after, usable};
use super::{BufError, Frozen, MESSAGE_ALIGN, Prefix, Rejected};
use core::mem::MaybeUninit;
use core::ptr::NonNull;

/// A unique, mutable, growable buffer whose first byte is aligned to `ALIGN`.
///
/// Layout: an [`AlignedVec`] (pointer, length, capacity). It has no control block and
/// no reference count until it is shared by [`Owned::try_freeze`] or
/// [`Owned::try_split_at`]; both write the control block into a slot the allocation
/// keeps after the usable capacity, so sharing never allocates (except for a buffer of
/// capacity 0, which has no allocation yet and gets one).
///
/// Cost: constructors allocate once; [`Clone`] is a deep copy; nothing else allocates
/// except growth. Thread-safety: `Send` and `Sync`, like a `Vec<u8>`.
pub struct Owned<const ALIGN: usize = MESSAGE_ALIGN> {
    /// Invariant: capacity 0 (no allocation), or `has_slot_after(capacity, len)`.
    vec: AlignedVec<ALIGN>,
}

impl<const ALIGN: usize> Owned<ALIGN> {
    /// An empty buffer. Allocates nothing.
    pub fn new() -> Self {
        let () = Align::<ALIGN>::CHECK;
        Self {
            vec: AlignedVec::new(ALIGN),
        }
    }

    /// An empty buffer with room for at least `capacity` bytes, meant to be filled
    /// through [`Owned::spare_capacity_mut`] and [`Owned::set_len`]. One allocation (none for
    /// `capacity == 0`); the bytes are not initialised.
    pub fn try_with_capacity(capacity: usize) -> Result<Self, BufError> {
        let mut this = Self::new();
        this.try_reserve_exact(capacity)?;
        Ok(this)
    }

    /// [`Owned::try_with_capacity`], panicking on allocation failure.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::try_with_capacity(capacity).expect("Owned::with_capacity")
    }

    /// `len` zero bytes. One allocation (none for `len == 0`).
    pub fn try_zeroed(len: usize) -> Result<Self, BufError> {
        let mut this = Self::try_with_capacity(len)?;
        // SAFETY: the capacity is at least `len`; the bytes are written before `set_len`.
        unsafe {
            this.vec.as_mut_ptr().write_bytes(0, len);
            this.vec.set_len(len);
        }
        Ok(this)
    }

    /// [`Owned::try_zeroed`], panicking on allocation failure.
    pub fn zeroed(len: usize) -> Self {
        Self::try_zeroed(len).expect("Owned::zeroed")
    }

    /// A new buffer holding a copy of `bytes`. One allocation, one copy.
    pub fn try_copy_from_slice(bytes: &[u8]) -> Result<Self, BufError> {
        let mut this = Self::try_with_capacity(bytes.len())?;
        this.try_extend_from_slice(bytes)?;
        Ok(this)
    }

    /// [`Owned::try_copy_from_slice`], panicking on allocation failure.
    pub fn copy_from_slice(bytes: &[u8]) -> Self {
        Self::try_copy_from_slice(bytes).expect("Owned::copy_from_slice")
    }

    /// Wraps an aligned vector. Zero-copy when the vector has room for the control block
    /// slot after its length; otherwise the vector grows once (one reallocation, which
    /// may copy `len` bytes). On failure the vector is handed back unchanged.
    ///
    /// `ALIGN` must keep the control block aligned, as for every buffer type; a vector
    /// aligned to less does not build:
    ///
    /// ```compile_fail
    /// use iggy_consensus::buf::{AlignedVec, Owned};
    /// let _ = Owned::<4>::try_from_aligned_vec(AlignedVec::<4>::from_slice(4, b"abc"));
    /// ```
    ///
    /// ```
    /// use iggy_consensus::buf::{AlignedVec, Owned};
    /// let _ = Owned::<64>::try_from_aligned_vec(AlignedVec::<64>::from_slice(64, b"abc"));
    /// ```
    pub fn try_from_aligned_vec(
        vec: AlignedVec<ALIGN>,
    ) -> Result<Self, Rejected<AlignedVec<ALIGN>>> {
        let () = Align::<ALIGN>::CHECK;
        let mut this = Self { vec };
        let len = this.vec.len();
        if this.vec.capacity() != 0 && !has_slot_after(this.vec.capacity(), len) {
            if let Err(error) = this.grow_to(Align::<ALIGN>::vec_capacity_for(len)) {
                return Err(Rejected {
                    input: this.vec,
                    error,
                });
            }
        }
        Ok(this)
    }

    /// Unwraps into the aligned vector. Zero-copy; the vector's capacity includes the
    /// control block slot.
    pub fn into_aligned_vec(self) -> AlignedVec<ALIGN> {
        self.vec
    }

    /// The initialised bytes `[0, len)`.
    pub fn as_slice(&self) -> &[u8] {
        self.vec.as_slice()
    }

    /// The initialised bytes `[0, len)`, writable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        self.vec.as_mut_slice()
    }

    /// The spare capacity `[len, capacity)` as maybe-uninitialised bytes, for writing
    /// into before [`Owned::set_len`] (like `Vec::spare_capacity_mut`). Index 0 is byte
    /// `len` of the buffer. The initialised bytes `[0, len)` are not reachable through
    /// it, so safe code cannot de-initialise them.
    pub fn spare_capacity_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        let (len, capacity) = (self.len(), self.capacity());
        // SAFETY: `len <= capacity`, and `[len, capacity)` lies inside the allocation
        // (or is empty, at a dangling but aligned pointer). It does not overlap
        // `[0, len)`, which `&mut self` keeps from being borrowed meanwhile; and
        // `MaybeUninit<u8>` accepts any byte, initialised or not.
        unsafe {
            core::slice::from_raw_parts_mut(self.vec.as_mut_ptr().add(len).cast(), capacity - len)
        }
    }

    /// Start of the buffer (the first byte of the capacity), `ALIGN`-aligned. Never
    /// null; dangling when the capacity is 0.
    pub fn as_ptr(&self) -> *const u8 {
        self.vec.as_ptr()
    }

    /// Start of the buffer, writable over `[0, capacity)`.
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.vec.as_mut_ptr()
    }

    /// Number of initialised bytes.
    pub fn len(&self) -> usize {
        self.vec.len()
    }

    /// Whether `len == 0`.
    pub fn is_empty(&self) -> bool {
        self.vec.is_empty()
    }

    /// Bytes the buffer can hold without growing.
    pub fn capacity(&self) -> usize {
        usable(self.vec.capacity())
    }

    /// Sets the length, growing or shrinking.
    ///
    /// # Safety
    /// Bytes `[0, new_len)` must be initialised.
    ///
    /// # Panics
    /// When `new_len > capacity`.
    pub unsafe fn set_len(&mut self, new_len: usize) {
        // SAFETY: forwarded to the caller.
        unsafe { self.try_set_len(new_len) }.expect("Owned::set_len: length beyond capacity");
    }

    /// Sets the length; [`BufError::OutOfRange`] (nothing changed) when
    /// `new_len > capacity`.
    ///
    /// # Safety
    /// Bytes `[0, new_len)` must be initialised.
    pub unsafe fn try_set_len(&mut self, new_len: usize) -> Result<(), BufError> {
        BufError::check_range(new_len, new_len, self.capacity())?;
        // SAFETY: `new_len` is within the capacity; the caller initialised the bytes.
        unsafe { self.vec.set_len(new_len) };
        Ok(())
    }

    /// Shortens the buffer to `len` bytes (like `Vec::truncate`); a no-op when `len` is
    /// not below the current length. The capacity is kept; nothing is freed or copied.
    pub fn truncate(&mut self, len: usize) {
        self.vec.truncate(len);
    }

    /// Makes room for at least `additional` more bytes after `len`. A no-op when the
    /// room is there; otherwise one reallocation (at least doubling the capacity) that
    /// may move the data. Alignment and `[0, len)` are kept. On failure nothing changes.
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), BufError> {
        let Some(needed) = self.len().checked_add(additional) else {
            return Err(BufError::OutOfMemory);
        };
        if needed <= self.capacity() {
            return Ok(());
        }
        self.grow_to(Align::<ALIGN>::grown_capacity_for(
            needed,
            self.vec.capacity(),
        ))
    }

    /// [`Owned::try_reserve`], panicking on allocation failure.
    pub fn reserve(&mut self, additional: usize) {
        self.try_reserve(additional).expect("Owned::reserve");
    }

    /// As [`Owned::try_reserve`], but grows to exactly what is needed.
    pub fn try_reserve_exact(&mut self, additional: usize) -> Result<(), BufError> {
        let Some(needed) = self.len().checked_add(additional) else {
            return Err(BufError::OutOfMemory);
        };
        if needed <= self.capacity() {
            return Ok(());
        }
        self.grow_to(Align::<ALIGN>::vec_capacity_for(needed))
    }

    /// [`Owned::try_reserve_exact`], panicking on allocation failure.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.try_reserve_exact(additional)
            .expect("Owned::reserve_exact");
    }

    /// Grows the vector to `vec_capacity` bytes (`None`: too large to represent).
    fn grow_to(&mut self, vec_capacity: Option<usize>) -> Result<(), BufError> {
        let vec_capacity = vec_capacity.ok_or(BufError::OutOfMemory)?;
        debug_assert!(vec_capacity > self.vec.capacity());
        self.vec
            .try_reserve_exact(vec_capacity - self.vec.len())
            .map_err(|_| BufError::OutOfMemory)
    }

    /// Appends a copy of `bytes`, growing like [`Owned::try_reserve`] when needed. On
    /// failure nothing changes.
    pub fn try_extend_from_slice(&mut self, bytes: &[u8]) -> Result<(), BufError> {
        self.try_reserve(bytes.len())?;
        let len = self.len();
        // SAFETY: the capacity holds `len + bytes.len()` bytes; `bytes` cannot overlap
        // the spare capacity (a `&[u8]` into this buffer could only cover `[0, len)`,
        // and `&mut self` rules that out anyway); the bytes are written before `set_len`.
        unsafe {
            core::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                self.vec.as_mut_ptr().add(len),
                bytes.len(),
            );
            self.vec.set_len(len + bytes.len());
        }
        Ok(())
    }

    /// [`Owned::try_extend_from_slice`], panicking on allocation failure.
    pub fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.try_extend_from_slice(bytes)
            .expect("Owned::extend_from_slice");
    }

    /// A deep copy into a new allocation. One allocation, one copy.
    pub fn try_clone(&self) -> Result<Self, BufError> {
        Self::try_copy_from_slice(self.as_slice())
    }

    /// Shares the allocation: writes a control block with `count` shares into the slot
    /// (allocating the slot first when the capacity is 0) and returns an extent over
    /// `[0, len)`. On failure `self` comes back unchanged.
    fn into_shared(mut self, count: usize) -> Result<Extent<ALIGN>, Rejected<Self>> {
        if self.vec.capacity() == 0 {
            if let Err(error) = self.grow_to(Align::<ALIGN>::vec_capacity_for(0)) {
                return Err(Rejected { input: self, error });
            }
        }
        // SAFETY: the vector has an allocation, and the struct invariant places
        // `len <= usable(capacity)` and the slot inside it.
        Ok(unsafe { Extent::share(RawStorage::from_vec(self.vec), count) })
    }

    /// Shares the buffer as a writable [`Prefix`] over `[0, len)` with a control block
    /// of its own (count 1). Allocates only when the capacity is 0.
    pub(super) fn into_prefix(self) -> Result<Prefix<ALIGN>, Rejected<Self>> {
        self.into_shared(1).map(Prefix::from_extent)
    }

    /// Freezes the buffer into a shared, immutable [`Frozen`] over `[0, len)`.
    /// Zero-copy; the capacity is kept. Allocates only when the capacity is 0.
    /// On failure (allocation) the buffer comes back unchanged.
    pub fn try_freeze(self) -> Result<Frozen<ALIGN>, Rejected<Self>> {
        self.into_shared(1).map(Frozen::from_extent)
    }

    /// [`Owned::try_freeze`], panicking on allocation failure.
    pub fn freeze(self) -> Frozen<ALIGN> {
        self.try_freeze()
            .unwrap_or_else(|r| panic!("Owned::freeze: {}", r.error))
    }

    /// Splits into a writable [`Prefix`] over `[0, at)` and a [`Frozen`] tail over
    /// `[at, len)`, sharing one control block (count 2). Zero-copy; allocates only when
    /// the capacity is 0. `at == 0` gives an empty prefix, `at == len` an empty tail.
    /// On failure ([`BufError::OutOfRange`] when `at > len`, or allocation) the buffer
    /// comes back unchanged.
    #[inline]
    pub fn try_split_at(self, at: usize) -> Result<(Prefix<ALIGN>, Frozen<ALIGN>), Rejected<Self>> {
        if let Err(error) = BufError::check_range(at, at, self.len()) {
            return Err(Rejected { input: self, error });
        }
        let (base, len, ctrl) = self.into_shared(2)?.into_raw_parts();
        // SAFETY: the block counts two shares, one for each extent; `at <= len`, so
        // both ranges lie inside the initialised bytes and do not overlap.
        unsafe {
            let prefix = Extent::from_parts(base, at, ctrl);
            let tail = Extent::from_parts(base.add(at), len - at, ctrl);
            Ok((Prefix::from_extent(prefix), Frozen::from_extent(tail)))
        }
    }

    /// [`Owned::try_split_at`], panicking when `at > len` or on allocation failure.
    pub fn split_at(self, at: usize) -> (Prefix<ALIGN>, Frozen<ALIGN>) {
        self.try_split_at(at)
            .unwrap_or_else(|r| panic!("Owned::split_at({at}): {}", r.error))
    }

    /// Decomposes the buffer into `(pointer, len, raw capacity)` without freeing it.
    /// The only way back is [`Owned::from_raw_parts`]. The pointer is never null.
    pub fn into_raw_parts(self) -> (NonNull<u8>, usize, usize) {
        let storage = RawStorage::from_vec(self.vec);
        let parts = (storage.base(), storage.len(), storage.capacity());
        core::mem::forget(storage);
        parts
    }

    /// Rebuilds a buffer from [`Owned::into_raw_parts`].
    ///
    /// # Safety
    /// The parts come from `into_raw_parts` of an `Owned<ALIGN>` and are used once.
    pub unsafe fn from_raw_parts(ptr: NonNull<u8>, len: usize, raw_capacity: usize) -> Self {
        // SAFETY: forwarded to the caller: the parts are those of an `AlignedVec<ALIGN>`.
        let vec = unsafe { AlignedVec::from_raw_parts(ptr.as_ptr(), ALIGN, len, raw_capacity) };
        Self { vec }
    }
}

impl<const ALIGN: usize> Default for Owned<ALIGN> {
    fn default() -> Self {
        Self::new()
    }
}

clone_by_copy!(Owned);

deref_to_bytes!(Owned, mut);

impl<const ALIGN: usize> core::fmt::Debug for Owned<ALIGN> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Owned")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}
