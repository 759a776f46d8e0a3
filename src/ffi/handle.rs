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

use super::status::buf_status;
use super::status::{
    IGGY_ERR_EMPTY_HANDLE, IGGY_ERR_INVALID_ARGUMENT, IGGY_ERR_NULL_ARGUMENT, iggy_status,
};
use crate::buf::{Frozen, Owned, Prefix, Rejected};
use core::mem::ManuallyDrop;
use core::ptr::NonNull;

/// The word type of the opaque handle arrays: `uintptr_t` in C. Pointer-typed on the
/// Rust side, so that moving a handle in Rust keeps the provenance of the pointers the
/// library stores in it.
pub type HandleWord = *mut core::ffi::c_void;

/// An all-zero (empty) handle's words.
const EMPTY: [HandleWord; 4] = [core::ptr::null_mut(); 4];

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
                Self { opaque: EMPTY }
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

handle_traits!(iggy_buf, iggy_prefix, iggy_frozen);

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

/// A non-NULL pointer, or `IGGY_ERR_NULL_ARGUMENT`.
pub(crate) fn non_null<T>(ptr: *const T) -> Result<*const T, iggy_status> {
    if ptr.is_null() {
        Err(IGGY_ERR_NULL_ARGUMENT)
    } else {
        Ok(ptr)
    }
}

/// A non-NULL mutable pointer, or `IGGY_ERR_NULL_ARGUMENT`.
pub(crate) fn non_null_mut<T>(ptr: *mut T) -> Result<*mut T, iggy_status> {
    if ptr.is_null() {
        Err(IGGY_ERR_NULL_ARGUMENT)
    } else {
        Ok(ptr)
    }
}

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
}

/// Whether a handle pointer is NULL or holds an empty handle.
///
/// # Safety
/// `handle` is NULL or points to a readable handle struct.
pub(crate) unsafe fn is_empty<H: Handle>(handle: *const H) -> bool {
    // SAFETY: forwarded; `parts` is only called on a non-NULL pointer.
    handle.is_null() || unsafe { parts(handle) }.is_none()
}

/// Shared access to the value of a live handle: `IGGY_ERR_NULL_ARGUMENT` or
/// `IGGY_ERR_EMPTY_HANDLE` otherwise. The value is a bitwise view; dropping the
/// returned guard releases nothing.
///
/// # Safety
/// `handle` is NULL or points to a readable handle struct whose value stays alive
/// while the view is used, and nobody writes the handle meanwhile.
pub(crate) unsafe fn view<H: Handle>(
    handle: *const H,
) -> Result<ManuallyDrop<H::Value>, iggy_status> {
    let handle = non_null(handle)?;
    // SAFETY: forwarded to the caller.
    let parts = unsafe { parts(handle) }.ok_or(IGGY_ERR_EMPTY_HANDLE)?;
    // SAFETY: live parts came from `into_parts`; `ManuallyDrop` keeps this bitwise
    // copy from releasing what the handle still owns.
    Ok(ManuallyDrop::new(unsafe { H::from_parts(parts) }))
}

/// Checks that a handle is live without touching it: `IGGY_ERR_NULL_ARGUMENT` or
/// `IGGY_ERR_EMPTY_HANDLE` otherwise.
///
/// # Safety
/// As for [`view`].
pub(crate) unsafe fn check_live<H: Handle>(handle: *const H) -> Result<(), iggy_status> {
    // SAFETY: forwarded to the caller.
    unsafe { view(handle) }.map(drop)
}

/// Takes the value out of a live handle and zeroes the handle.
///
/// # Safety
/// `handle` is non-NULL, points to a writable handle struct, and is live (check with
/// [`view`] or [`check_live`] first).
pub(crate) unsafe fn take<H: Handle>(handle: *mut H) -> H::Value {
    // SAFETY: forwarded to the caller.
    let parts = unsafe { parts(handle) }.expect("take() on a checked, live handle");
    // SAFETY: the caller guarantees a writable handle struct; zero is the empty handle.
    unsafe { handle.cast::<u8>().write_bytes(0, size_of::<H::Parts>()) };
    // SAFETY: live parts came from `into_parts`, and the handle no longer holds them.
    unsafe { H::from_parts(parts) }
}

/// Writes `value` into an output handle (all 32 bytes; the previous contents are
/// ignored and, if live, leaked: outputs are write-only).
///
/// # Safety
/// `out` is non-NULL and points to a writable handle struct.
pub(crate) unsafe fn put<H: Handle>(out: *mut H, value: H::Value) {
    // SAFETY: the caller guarantees a writable handle struct; the parts have its size.
    unsafe { out.cast::<H::Parts>().write(H::into_parts(value)) };
}

/// Runs `f` on the value of a live handle with exclusive access, then stores the
/// value back (also when `f` panics), since `f` may move the buffer (growth).
///
/// # Safety
/// `handle` is NULL or points to a writable handle struct that nobody else uses
/// meanwhile.
pub(crate) unsafe fn with_mut<H: Handle, R>(
    handle: *mut H,
    f: impl FnOnce(&mut H::Value) -> R,
) -> Result<R, iggy_status> {
    // SAFETY: forwarded to the caller.
    let value = unsafe { view(handle) }?;
    struct StoreBack<H: Handle> {
        handle: *mut H,
        value: ManuallyDrop<H::Value>,
    }
    impl<H: Handle> Drop for StoreBack<H> {
        fn drop(&mut self) {
            // SAFETY: the value was taken from this handle, which the caller lets us
            // write; storing it back keeps the handle the only owner.
            unsafe { put(self.handle, ManuallyDrop::take(&mut self.value)) };
        }
    }
    let mut guard = StoreBack { handle, value };
    Ok(f(&mut guard.value))
}

/// Runs a consuming operation on the value of a live handle: the handle is emptied,
/// and when the operation refuses, its input goes back unchanged and the refusal
/// becomes the status.
///
/// # Safety
/// `handle` is non-NULL, writable, live (checked), and nobody else uses it meanwhile.
pub(crate) unsafe fn consume<H: Handle, R>(
    handle: *mut H,
    op: impl FnOnce(H::Value) -> Result<R, Rejected<H::Value>>,
) -> Result<R, iggy_status> {
    // SAFETY: forwarded to the caller.
    op(unsafe { take(handle) }).map_err(|rejected| {
        // SAFETY: `take` emptied the handle; the unchanged input goes back in.
        unsafe { put(handle, rejected.input) };
        buf_status(rejected.error)
    })
}

/// Whether two handle-sized structs overlap in memory (an output aliasing an input).
pub(crate) fn overlap<A, B>(a: *const A, b: *const B) -> bool {
    let (a, b) = (a.addr(), b.addr());
    a.abs_diff(b) < size_of::<BufParts>()
}

/// `IGGY_ERR_INVALID_ARGUMENT` when any two of the given handle pointers overlap.
pub(crate) fn distinct(pointers: &[*const ()]) -> Result<(), iggy_status> {
    for (i, &a) in pointers.iter().enumerate() {
        if pointers[i + 1..].iter().any(|&b| overlap(a, b)) {
            return Err(IGGY_ERR_INVALID_ARGUMENT);
        }
    }
    Ok(())
}
