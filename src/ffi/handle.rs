//! The one place where C handle structs become Rust buffers and back.
//!
//! A handle is four machine words of caller memory. A live handle holds the raw parts
//! of one Rust value (pointer first, then length, then capacity or control block, then
//! a zero word); an empty handle is all zero, and the pointer word alone tells the two
//! apart (a live value's pointer is never NULL). The parts are written and read as
//! pointer-typed words, so pointer provenance survives the round trip through C memory.
//!
//! Reading a handle for shared access rebuilds the value bitwise inside a
//! `ManuallyDrop` (no share is taken or released); taking a handle rebuilds it and
//! zeroes the memory; putting writes all 32 bytes.
//!
//! Every export that returns a status checks its pointer arguments with one
//! [`check_args!`] call, which gives each argument a kind ([`Ref`], [`Exclusive`],
//! [`Out`]) and runs the checks in the documented precedence for all of them at once:
//! NULL, then empty handle, then the call's range check, then aliasing. Only the values
//! it returns can take, write or consume a handle, so nothing is taken before every
//! check passed.

use crate::buf::{BufError, Frozen, Owned, Prefix, Rejected};
use crate::status::Status;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;

/// The word type of the opaque handle arrays: `uintptr_t` in C. Pointer-typed on the
/// Rust side, so that moving a handle in Rust keeps the provenance of the pointers the
/// library stores in it.
pub type HandleWord = *mut core::ffi::c_void;

/// A unique, mutable, growable buffer: a caller-owned, fixed-size, opaque handle.
/// All zero (`IGGY_BUF_EMPTY`) is empty. Never copy a live handle by value (`a = b`
/// makes an untracked alias); release it exactly once with `iggy_buf_free`.
#[repr(C)]
pub struct iggy_buf {
    /// Private to the library.
    pub opaque: [HandleWord; 4],
}

/// The unique, writable head of a split: a caller-owned, fixed-size, opaque handle.
/// All zero (`IGGY_PREFIX_EMPTY`) is empty. Never copy a live handle by value; release
/// it with `iggy_prefix_free`, or consume it by freezing or coalescing.
#[repr(C)]
pub struct iggy_prefix {
    /// Private to the library.
    pub opaque: [HandleWord; 4],
}

/// A shared, immutable, reference-counted view: a caller-owned, fixed-size, opaque
/// handle. All zero (`IGGY_FROZEN_EMPTY`) is empty. Never copy a live handle by value:
/// share it with `iggy_frozen_clone`, and release every handle with
/// `iggy_frozen_release`.
#[repr(C)]
pub struct iggy_frozen {
    /// Private to the library.
    pub opaque: [HandleWord; 4],
}

macro_rules! handle_traits {
    ($($handle:ident),*) => {$(
        impl Default for $handle {
            /// The empty handle (all zero), like `IGGY_*_EMPTY` in C.
            fn default() -> Self {
                Self { opaque: [core::ptr::null_mut(); 4] }
            }
        }

        // SAFETY: a handle is the raw parts of a `Send` and `Sync` Rust value (`Owned`,
        // `Prefix`, `Frozen`); the C contract's `&`/`&mut` rule (const functions may
        // share a handle, the others need it alone) is Rust's own.
        unsafe impl Send for $handle {}
        // SAFETY: as above.
        unsafe impl Sync for $handle {}
    )*};
}

/// Which word of a live `iggy_buf`, `iggy_prefix` or `iggy_frozen` holds its data
/// pointer (the value of `iggy_*_data`), as a `uintptr_t`: an ABI promise, kept in
/// every release with this ABI version. The header's `static inline` `iggy_*_data`
/// read it; an empty handle holds 0 there. Asserted below against the parts layouts.
pub const IGGY_HANDLE_DATA_WORD: usize = 0;
/// Which word of a live `iggy_buf`, `iggy_prefix` or `iggy_frozen` holds its length
/// (the value of `iggy_*_len`): an ABI promise like `IGGY_HANDLE_DATA_WORD`. An empty
/// handle holds 0 there.
pub const IGGY_HANDLE_LEN_WORD: usize = 1;

/// The words of an `iggy_reader` handle (the library's choice, at most 16).
pub const IGGY_READER_WORDS: usize = 4;
/// The words of an `iggy_writer` handle.
pub const IGGY_WRITER_WORDS: usize = 4;

/// A frame reader: a caller-owned, fixed-size, opaque handle. All zero
/// (`IGGY_READER_EMPTY`) is empty. Never copy a live handle by value; free it with
/// `iggy_reader_free`.
#[repr(C)]
pub struct iggy_reader {
    /// Private to the library.
    pub opaque: [HandleWord; IGGY_READER_WORDS],
}

/// A frame writer: a caller-owned, fixed-size, opaque handle. All zero
/// (`IGGY_WRITER_EMPTY`) is empty. Never copy a live handle by value; free it with
/// `iggy_writer_free`.
#[repr(C)]
pub struct iggy_writer {
    /// Private to the library.
    pub opaque: [HandleWord; IGGY_WRITER_WORDS],
}

handle_traits!(iggy_buf, iggy_prefix, iggy_frozen, iggy_reader, iggy_writer);

/// The parts of an [`Owned`] as stored in an [`iggy_buf`].
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct BufParts {
    ptr: *mut u8,
    len: usize,
    capacity: usize,
    zero: usize,
}

/// The parts of a [`Prefix`] or a [`Frozen`] as stored in their handles.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct ExtentParts {
    ptr: *mut u8,
    len: usize,
    ctrl: *mut (),
    zero: usize,
}

/// How one handle type stores one Rust type. Implemented for the three pairs below.
pub(crate) trait Handle: Sized {
    /// The Rust value a live handle holds.
    type Value;
    /// The raw parts as stored.
    type Parts: Copy;

    fn into_parts(value: Self::Value) -> Self::Parts;
    /// # Safety
    /// `parts` were written by `into_parts` and are used once as an owner.
    unsafe fn from_parts(parts: Self::Parts) -> Self::Value;
    /// Whether the pointers `from_parts` needs besides the first (which tells live from
    /// empty, checked before this) are non-NULL. A live handle's are; parts read from
    /// another handle type (an argument aliasing one of a different kind) may not be,
    /// and such a handle counts as empty instead of reaching `from_parts`. Parts with
    /// no other pointer are always well formed.
    fn well_formed(_parts: &Self::Parts) -> bool {
        true
    }
}

// The Rust side checks at compile time that the parts fit the handle, are no more
// aligned than it, and start with the pointer that tells live from empty.
const _: () = {
    use core::mem::{align_of, offset_of, size_of};
    assert!(offset_of!(BufParts, ptr) == 0 && offset_of!(ExtentParts, ptr) == 0);
    assert!(size_of::<BufParts>() == size_of::<iggy_buf>());
    assert!(size_of::<ExtentParts>() == size_of::<iggy_frozen>());
    assert!(size_of::<ExtentParts>() == size_of::<iggy_prefix>());
    assert!(align_of::<BufParts>() <= align_of::<iggy_buf>());
    assert!(align_of::<ExtentParts>() <= align_of::<iggy_frozen>());
    assert!(align_of::<ExtentParts>() <= align_of::<iggy_prefix>());
    // The documented words (the header's inline accessors read them): the data pointer
    // and the length of every buffer handle.
    let word = size_of::<HandleWord>();
    assert!(offset_of!(BufParts, ptr) == IGGY_HANDLE_DATA_WORD * word);
    assert!(offset_of!(BufParts, len) == IGGY_HANDLE_LEN_WORD * word);
    assert!(offset_of!(ExtentParts, ptr) == IGGY_HANDLE_DATA_WORD * word);
    assert!(offset_of!(ExtentParts, len) == IGGY_HANDLE_LEN_WORD * word);
    assert!(size_of::<usize>() == word && size_of::<*mut u8>() == word);
};

impl Handle for iggy_buf {
    type Value = Owned;
    type Parts = BufParts;

    fn into_parts(value: Owned) -> BufParts {
        let (ptr, len, capacity) = value.into_raw_parts();
        BufParts {
            ptr: ptr.as_ptr(),
            len,
            capacity,
            zero: 0,
        }
    }
    unsafe fn from_parts(p: BufParts) -> Owned {
        // SAFETY: the caller guarantees the parts came from `into_parts`, whose pointer
        // is never NULL.
        unsafe { Owned::from_raw_parts(NonNull::new_unchecked(p.ptr), p.len, p.capacity) }
    }
}

/// A Prefix and a Frozen are stored alike: pointer, length, control block.
macro_rules! extent_handle {
    ($handle:ty, $value:ty) => {
        impl Handle for $handle {
            type Value = $value;
            type Parts = ExtentParts;

            fn into_parts(value: $value) -> ExtentParts {
                let (ptr, len, ctrl) = value.into_raw_parts();
                ExtentParts {
                    ptr: ptr.as_ptr(),
                    len,
                    ctrl: ctrl.as_ptr(),
                    zero: 0,
                }
            }

            fn well_formed(p: &ExtentParts) -> bool {
                !p.ctrl.is_null()
            }

            unsafe fn from_parts(p: ExtentParts) -> $value {
                // SAFETY: the caller guarantees the parts came from `into_parts`; both
                // pointers of a live extent are non-NULL.
                unsafe {
                    <$value>::from_raw_parts(
                        NonNull::new_unchecked(p.ptr),
                        p.len,
                        NonNull::new_unchecked(p.ctrl),
                    )
                }
            }
        }
    };
}

extent_handle!(iggy_prefix, Prefix);
extent_handle!(iggy_frozen, Frozen);

/// A value on the heap, owned through a raw pointer: what a reader or writer handle
/// holds (they are larger than a handle). Unlike `Box`, rebuilding one bitwise from a
/// handle for the length of a call claims no uniqueness the handle's other copies
/// could break.
pub(crate) struct Boxed<T>(NonNull<T>);

impl<T> Boxed<T> {
    /// Moves `value` to the heap; `IGGY_ERR_OUT_OF_MEMORY` when the allocation fails
    /// (never an abort).
    pub(crate) fn try_new(value: T) -> Result<Self, Status> {
        let layout = std::alloc::Layout::new::<T>();
        const { assert!(size_of::<T>() > 0) };
        // SAFETY: the layout has a non-zero size (asserted above).
        let ptr = NonNull::new(unsafe { std::alloc::alloc(layout) }.cast::<T>())
            .ok_or(Status::OUT_OF_MEMORY)?;
        // SAFETY: freshly allocated for a `T`, so valid for writes and aligned.
        unsafe { ptr.write(value) };
        Ok(Self(ptr))
    }
}

impl<T> core::ops::Deref for Boxed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the pointer holds a live `T` this value owns.
        unsafe { self.0.as_ref() }
    }
}

impl<T> core::ops::DerefMut for Boxed<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as above, and `&mut self` is the only access.
        unsafe { self.0.as_mut() }
    }
}

impl<T> Drop for Boxed<T> {
    fn drop(&mut self) {
        // SAFETY: the `T` is live and owned here, and was allocated by `try_new` with
        // `T`'s layout; nothing uses it afterwards.
        unsafe {
            self.0.drop_in_place();
            std::alloc::dealloc(self.0.as_ptr().cast(), std::alloc::Layout::new::<T>());
        }
    }
}

// SAFETY: a `Boxed<T>` owns its `T` alone, like a `Box<T>`.
unsafe impl<T: Send> Send for Boxed<T> {}
// SAFETY: `&Boxed<T>` gives only `&T`.
unsafe impl<T: Sync> Sync for Boxed<T> {}

/// The parts of a [`Boxed`] value as stored in its handle: the pointer, then zeros.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct BoxedParts {
    ptr: *mut (),
    zero: [usize; 3],
}

/// A reader or a writer is stored as a [`Boxed`] pointer.
macro_rules! boxed_handle {
    ($handle:ty, $value:ty) => {
        const _: () = {
            assert!(size_of::<BoxedParts>() == size_of::<$handle>());
            assert!(align_of::<BoxedParts>() <= align_of::<$handle>());
        };

        impl Handle for $handle {
            type Value = Boxed<$value>;
            type Parts = BoxedParts;

            fn into_parts(value: Boxed<$value>) -> BoxedParts {
                let value = ManuallyDrop::new(value);
                BoxedParts {
                    ptr: value.0.as_ptr().cast(),
                    zero: [0; 3],
                }
            }

            unsafe fn from_parts(p: BoxedParts) -> Boxed<$value> {
                // SAFETY: the caller guarantees the parts came from `into_parts`, whose
                // pointer is never NULL and holds a live value.
                Boxed(unsafe { NonNull::new_unchecked(p.ptr.cast()) })
            }
        }
    };
}

boxed_handle!(iggy_reader, crate::stream::FrameReader);
boxed_handle!(iggy_writer, crate::stream::FrameWriter);

/// The stored parts of a handle, if it is live.
///
/// # Safety
/// `handle` is non-NULL and points to a readable handle struct.
unsafe fn parts<H: Handle>(handle: *const H) -> Option<H::Parts> {
    // SAFETY: the caller guarantees a readable, aligned handle; every parts type has the
    // handle's size, no stricter alignment and its pointer first (checked above).
    let live = unsafe { !handle.cast::<*const u8>().read().is_null() };
    // SAFETY: as above.
    live.then(|| unsafe { handle.cast::<H::Parts>().read() })
        .filter(H::well_formed)
}

/// Shared access to the value of a handle, if it is live.
///
/// # Safety
/// `handle` is non-NULL and points to a readable handle struct whose value stays alive
/// while the view is used, and nobody writes the handle meanwhile.
unsafe fn view_live<H: Handle>(handle: NonNull<H>) -> Option<ManuallyDrop<H::Value>> {
    // SAFETY: forwarded to the caller.
    let parts = unsafe { parts(handle.as_ptr()) }?;
    // SAFETY: live parts came from `into_parts`; `ManuallyDrop` keeps this bitwise
    // copy from releasing what the handle still owns.
    Some(ManuallyDrop::new(unsafe { H::from_parts(parts) }))
}

/// The value of a handle for the accessors that return a neutral value (NULL, 0,
/// false) for a NULL or empty handle: `None` then.
///
/// # Safety
/// `handle` is NULL or points to a readable handle struct, as for [`view_live`].
pub(crate) unsafe fn view<H: Handle>(handle: *const H) -> Option<ManuallyDrop<H::Value>> {
    // SAFETY: forwarded to the caller; `view_live` gets a non-NULL pointer.
    NonNull::new(handle.cast_mut()).and_then(|h| unsafe { view_live(h) })
}

/// Whether a handle pointer is NULL or holds an empty handle.
///
/// # Safety
/// `handle` is NULL or points to a readable handle struct.
pub(crate) unsafe fn is_empty<H: Handle>(handle: *const H) -> bool {
    // SAFETY: forwarded; `parts` is only called on a non-NULL pointer.
    handle.is_null() || unsafe { parts(handle) }.is_none()
}

/// Releases the value of a handle and zeroes it; NULL and empty handles are a no-op.
///
/// # Safety
/// `handle` is NULL or points to a writable handle struct nobody else uses meanwhile.
pub(crate) unsafe fn release<H: Handle>(handle: *mut H) {
    if let Some(handle) = NonNull::new(handle) {
        // SAFETY: forwarded to the caller.
        if let Some(value) = unsafe { view_live(handle) } {
            // SAFETY: writable (caller contract); zero is the empty handle, and the
            // value, now the only owner, is dropped after.
            unsafe { handle.cast::<u8>().write_bytes(0, size_of::<H::Parts>()) };
            drop(ManuallyDrop::into_inner(value));
        }
    }
}

/// One kind of pointer argument: what its NULL check yields and what its handle check
/// yields. The checks run in [`check_args!`], all NULL checks before all handle checks.
pub(crate) trait Arg: Sized {
    /// The C pointer.
    type Raw;
    /// The argument after its handle check.
    type Checked;
    /// `IGGY_ERR_NULL_ARGUMENT` for NULL.
    fn non_null(raw: Self::Raw) -> Result<Self, Status>;
    /// `IGGY_ERR_EMPTY_HANDLE` for an empty handle, where the kind needs a live one.
    ///
    /// # Safety
    /// The pointer points to its handle type, readable (and writable for the kinds that
    /// write), and nobody else writes it during the call.
    unsafe fn check(self) -> Result<Self::Checked, Status>;
}

/// An input handle read in place (`const T *`): non-NULL and live.
pub(crate) struct Ref<H>(NonNull<H>);

/// A live handle the call may read, change, consume or release (`T *`): non-NULL,
/// live, and used by this call alone.
pub(crate) struct Exclusive<H>(NonNull<H>);

/// An output handle (`T *`): non-NULL; its old contents are ignored.
pub(crate) struct Out<H>(NonNull<H>);

/// A checked [`Ref`]: the handle's value, read bitwise (no share taken).
pub(crate) struct Shared<H: Handle> {
    addr: usize,
    value: ManuallyDrop<H::Value>,
}

/// A checked [`Exclusive`]: the handle and its value.
pub(crate) struct Live<H: Handle> {
    handle: NonNull<H>,
    value: ManuallyDrop<H::Value>,
}

impl<H: Handle> Arg for Ref<H> {
    type Raw = *const H;
    type Checked = Shared<H>;
    fn non_null(raw: *const H) -> Result<Self, Status> {
        NonNull::new(raw.cast_mut())
            .map(Self)
            .ok_or(Status::NULL_ARGUMENT)
    }
    unsafe fn check(self) -> Result<Shared<H>, Status> {
        // SAFETY: forwarded to the caller.
        let value = unsafe { view_live(self.0) }.ok_or(Status::EMPTY_HANDLE)?;
        Ok(Shared {
            addr: self.0.addr().get(),
            value,
        })
    }
}

impl<H: Handle> Arg for Exclusive<H> {
    type Raw = *mut H;
    type Checked = Live<H>;
    fn non_null(raw: *mut H) -> Result<Self, Status> {
        NonNull::new(raw).map(Self).ok_or(Status::NULL_ARGUMENT)
    }
    unsafe fn check(self) -> Result<Live<H>, Status> {
        // SAFETY: forwarded to the caller.
        let value = unsafe { view_live(self.0) }.ok_or(Status::EMPTY_HANDLE)?;
        Ok(Live {
            handle: self.0,
            value,
        })
    }
}

impl<H: Handle> Arg for Out<H> {
    type Raw = *mut H;
    type Checked = Out<H>;
    fn non_null(raw: *mut H) -> Result<Self, Status> {
        NonNull::new(raw).map(Self).ok_or(Status::NULL_ARGUMENT)
    }
    unsafe fn check(self) -> Result<Out<H>, Status> {
        Ok(self)
    }
}

/// A byte or element slice `(pointer, count)`: `(NULL, 0)` is empty; NULL with a
/// count is `IGGY_ERR_NULL_ARGUMENT`. Not a handle: not part of the aliasing check.
pub(crate) struct Slice<'a, T>(&'a [T]);

impl<'a, T> Arg for Slice<'a, T> {
    type Raw = (*const T, usize);
    type Checked = &'a [T];
    fn non_null((ptr, len): (*const T, usize)) -> Result<Self, Status> {
        if len == 0 {
            return Ok(Self(&[]));
        }
        if ptr.is_null() {
            return Err(Status::NULL_ARGUMENT);
        }
        // SAFETY: the export's contract: a non-NULL pointer points to `len` readable
        // elements that stay valid and unchanged for the call.
        Ok(Self(unsafe { core::slice::from_raw_parts(ptr, len) }))
    }
    unsafe fn check(self) -> Result<&'a [T], Status> {
        Ok(self.0)
    }
}

impl<'a, T> Slice<'a, T> {
    /// The slice, after its NULL check.
    pub(crate) fn into_inner(self) -> &'a [T] {
        self.0
    }
}

/// The handle address a checked argument occupies, for the aliasing check (`None` for
/// what is not a handle).
pub(crate) trait Addr {
    fn addr(&self) -> Option<usize>;
}

impl<H: Handle> Addr for Shared<H> {
    fn addr(&self) -> Option<usize> {
        Some(self.addr)
    }
}

impl<H: Handle> Addr for Live<H> {
    fn addr(&self) -> Option<usize> {
        Some(self.handle.addr().get())
    }
}

impl<H> Addr for Out<H> {
    fn addr(&self) -> Option<usize> {
        Some(self.0.addr().get())
    }
}

impl<T> Addr for &[T] {
    fn addr(&self) -> Option<usize> {
        None
    }
}

impl<H: Handle> core::ops::Deref for Shared<H> {
    type Target = H::Value;
    fn deref(&self) -> &H::Value {
        &self.value
    }
}

impl<H: Handle> core::ops::Deref for Live<H> {
    type Target = H::Value;
    fn deref(&self) -> &H::Value {
        &self.value
    }
}

impl<H: Handle> Live<H> {
    /// Takes the value out and zeroes the handle: the caller owns it now.
    pub(crate) fn take(self) -> H::Value {
        // SAFETY: the handle is writable and used by this call alone (checked kind);
        // zero is the empty handle, and the value read at the check is the one it held.
        unsafe {
            self.handle
                .cast::<u8>()
                .write_bytes(0, size_of::<H::Parts>())
        };
        ManuallyDrop::into_inner(self.value)
    }

    /// Takes the value out and zeroes the handle, keeping the (now empty) handle as an
    /// output, so that a refused operation can put its input back.
    pub(crate) fn take_with_slot(self) -> (H::Value, Out<H>) {
        let slot = Out(self.handle);
        (self.take(), slot)
    }

    /// Runs a consuming operation: the handle is emptied, and when the operation
    /// refuses, its input goes back unchanged and the refusal becomes the status.
    pub(crate) fn consume<R>(
        self,
        op: impl FnOnce(H::Value) -> Result<R, Rejected<H::Value>>,
    ) -> Result<R, Status> {
        let (value, slot) = self.take_with_slot();
        op(value).map_err(|rejected| {
            slot.put(rejected.input);
            rejected.error.status()
        })
    }

    /// Runs `f` on the value with exclusive access, then stores the value back (also
    /// when `f` panics), since `f` may move the buffer (growth).
    pub(crate) fn with_mut<R>(self, f: impl FnOnce(&mut H::Value) -> R) -> R {
        struct StoreBack<H: Handle> {
            handle: NonNull<H>,
            value: ManuallyDrop<H::Value>,
        }
        impl<H: Handle> Drop for StoreBack<H> {
            fn drop(&mut self) {
                // SAFETY: the value was read from this handle, which the call may
                // write; storing it back keeps the handle its only owner.
                unsafe { put(self.handle.as_ptr(), ManuallyDrop::take(&mut self.value)) };
            }
        }
        let mut guard = StoreBack {
            handle: self.handle,
            value: self.value,
        };
        f(&mut guard.value)
    }
}

impl<H: Handle> Out<H> {
    /// Writes `value` (all 32 bytes of the handle).
    pub(crate) fn put(self, value: H::Value) {
        // SAFETY: a checked output is non-NULL and writable (the export's contract).
        unsafe { put(self.0.as_ptr(), value) };
    }
}

/// The body of the exports that make a new value into `*out`: `out`'s NULL check, then
/// `make`'s value into it, or its error's status.
///
/// # Safety
/// `out` is NULL or points to writable memory of its handle type.
#[inline(always)]
pub(crate) unsafe fn make_into<H: Handle>(
    out: *mut H,
    make: impl FnOnce() -> Result<H::Value, BufError>,
) -> Result<(), Status> {
    let out = check_args!(out: Out)?;
    out.put(make().map_err(BufError::status)?);
    Ok(())
}

/// The body of the `*_copy_from` exports: the NULL checks of `(src, len)` (`(NULL, 0)`
/// is empty) and `out`, then `copy`'s value of the bytes into `*out`, or its error's
/// status.
///
/// # Safety
/// `src` is NULL or points to `len` readable bytes; `out` is NULL or points to writable
/// memory of its handle type.
#[inline(always)]
pub(crate) unsafe fn copy_into<H: Handle>(
    src: *const u8,
    len: usize,
    out: *mut H,
    copy: impl FnOnce(&[u8]) -> Result<H::Value, BufError>,
) -> Result<(), Status> {
    let src = (src, len);
    let (src, out) = check_args!(src: Slice, out: Out)?;
    out.put(copy(src).map_err(BufError::status)?);
    Ok(())
}

/// The body of the `*_split_at` exports: the checks of the three handles (`at` past
/// the value's length is `IGGY_ERR_OUT_OF_RANGE`), then `split` consumes `*handle` at
/// `at` into `*prefix_out` and `*tail_out`; a refused split puts the value back.
///
/// # Safety
/// Every pointer is NULL or points to its writable handle type; `*handle` is not used
/// elsewhere meanwhile.
#[inline(always)]
pub(crate) unsafe fn split_into<H: Handle>(
    handle: *mut H,
    at: usize,
    prefix_out: *mut iggy_prefix,
    tail_out: *mut iggy_frozen,
    split: impl FnOnce(H::Value, usize) -> Result<(Prefix, Frozen), Rejected<H::Value>>,
) -> Result<(), Status>
where
    H::Value: core::ops::Deref<Target = [u8]>,
{
    let (handle, prefix_out, tail_out) = check_args!(
        handle: Exclusive, prefix_out: Out, tail_out: Out;
        range: BufError::check_range(at, at, handle.len())
    )?;
    let (prefix, tail) = handle.consume(|value| split(value, at))?;
    prefix_out.put(prefix);
    tail_out.put(tail);
    Ok(())
}

/// Writes `value` into a handle (all 32 bytes; the previous contents are ignored and,
/// if live, leaked: outputs are write-only).
///
/// # Safety
/// `out` is non-NULL and points to a writable handle struct.
unsafe fn put<H: Handle>(out: *mut H, value: H::Value) {
    // SAFETY: the caller guarantees a writable handle struct; the parts have its size.
    unsafe { out.cast::<H::Parts>().write(H::into_parts(value)) };
}

/// Whether two handle-sized structs overlap in memory.
fn overlap(a: usize, b: usize) -> bool {
    a.abs_diff(b) < size_of::<BufParts>()
}

/// `IGGY_ERR_INVALID_ARGUMENT` when any two handle arguments overlap: an output must not
/// be an input or another output (Rust may not hold two `&mut` to one place).
pub(crate) fn distinct(addrs: &[Option<usize>]) -> Result<(), Status> {
    for (i, a) in addrs.iter().enumerate() {
        let Some(a) = *a else { continue };
        if addrs[i + 1..].iter().flatten().any(|&b| overlap(a, b)) {
            return Err(Status::INVALID_ARGUMENT);
        }
    }
    Ok(())
}

/// Checks an export's handle arguments in the documented precedence, for all of them
/// at once: every NULL check, then every empty-handle check, then the optional range
/// check (`range: expr`, a `Result<_, BufError>` that may use the checked arguments),
/// then that no two handle arguments overlap. Returns the checked arguments, the only
/// values that can take, write or consume a handle.
///
/// `check_args!(buf: Exclusive, out: Out; range: BufError::check_range(at, at, buf.len()))`;
/// a slice argument is a `(pointer, count)` tuple of kind `Slice`.
macro_rules! check_args {
    ($($name:ident: $kind:ident),+ $(; range: $range:expr)?) => {
        (|| -> Result<_, $crate::status::Status> {
            use $crate::ffi::handle::{Addr as _, Arg as _};
            $( let $name = $kind::non_null($name)?; )+
            // SAFETY: the export's contract: each non-NULL pointer points to its handle
            // type, readable, writable for the kinds that write, and used by this call
            // alone where the kind is exclusive.
            $( let $name = unsafe { $name.check() }?; )+
            $( $range.map_err($crate::buf::BufError::status)?; )?
            $crate::ffi::handle::distinct(&[$( $name.addr() ),+])?;
            Ok(($($name),+))
        })()
    };
}
pub(crate) use check_args;
