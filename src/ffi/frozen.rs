//! `iggy_frozen_*`: the shared, immutable, reference-counted view.

use super::handle::{
    Out, Ref, check_args, copy_into, iggy_frozen, iggy_prefix, is_empty, release, split_into, view,
};
use super::panic::{boundary, boundary_or, status_boundary};
use super::status::iggy_status;
use crate::buf::{BufError, Frozen, Owned};

/// A frozen view (count 1) of a copy of `src[0..len)` into `*out`: a frame from bytes
/// in one call. One allocation (the reference count lives in it), `len` bytes copied,
/// no atomic. `(NULL, 0)` gives a live view of length 0 (then the one allocation is
/// the count's).
///
/// # Safety
/// `src` is NULL or points to `len` readable bytes; `out` is NULL or points to
/// writable `iggy_frozen` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_copy_from(
    src: *const u8,
    len: usize,
    out: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        // SAFETY: caller contract.
        unsafe {
            copy_into(src, len, out, |src| {
                Owned::try_copy_from_slice(src)
                    .and_then(|owned| owned.try_freeze().map_err(|r| r.error))
            })
        }
    })
}

/// The view's bytes, readable over `[0, iggy_frozen_len)`. NULL for a NULL or empty
/// handle; never NULL for a live one. Valid while this handle is live.
///
/// # Safety
/// `frozen` is NULL or points to a readable `iggy_frozen`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_data(frozen: *const iggy_frozen) -> *const u8 {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(frozen) }.map_or(core::ptr::null(), |f| f.as_ptr())
    })
}

/// The view's length; 0 for a NULL or empty handle.
///
/// # Safety
/// `frozen` is NULL or points to a readable `iggy_frozen`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_len(frozen: *const iggy_frozen) -> usize {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(frozen) }.map_or(0, |f| f.len())
    })
}

/// Another handle to the same bytes into `*out`: one atomic add (relaxed), no
/// allocation, no copy. May run concurrently with other reads, clones and slices of
/// the same handle.
///
/// # Safety
/// `frozen` is NULL or points to a readable `iggy_frozen`; `out` is NULL or points to
/// writable `iggy_frozen` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_clone(
    frozen: *const iggy_frozen,
    out: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        let (frozen, out) = check_args!(frozen: Ref, out: Out)?;
        out.put(Frozen::clone(&frozen));
        Ok(())
    })
}

/// A handle to `[start, end)` of this view into `*out`: one atomic add (relaxed), no
/// allocation, no copy. It outlives this handle. `start > end` or `end > len` is
/// `IGGY_ERR_OUT_OF_RANGE`.
///
/// # Safety
/// As for `iggy_frozen_clone`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_slice(
    frozen: *const iggy_frozen,
    start: usize,
    end: usize,
    out: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        let (frozen, out) = check_args!(
            frozen: Ref, out: Out;
            range: BufError::check_range(start, end, frozen.len())
        )?;
        out.put(frozen.try_slice(start..end).map_err(BufError::status)?);
        Ok(())
    })
}

/// Splits into a prefix holding a **copy** of `[0, at)` (one allocation, `at` bytes
/// copied) and the tail `[at, len)`, which keeps this handle's share (no atomic). On
/// `IGGY_OK` `*frozen` is consumed (zeroed); other clones are unaffected.
/// `at > len` is `IGGY_ERR_OUT_OF_RANGE`.
///
/// # Safety
/// Every pointer is NULL or points to its writable handle type; `*frozen` is not used
/// elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_split_at(
    frozen: *mut iggy_frozen,
    at: usize,
    prefix_out: *mut iggy_prefix,
    tail_out: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        // SAFETY: caller contract.
        unsafe { split_into(frozen, at, prefix_out, tail_out, Frozen::try_split_at) }
    })
}

/// Releases this handle's share (one atomic subtract, release; the last share frees
/// the allocation after an acquire load) and zeroes the handle. NULL and empty
/// handles are a no-op, so a second release is harmless. Handles sharing the buffer
/// may be released on other threads concurrently.
///
/// # Safety
/// `frozen` is NULL or points to a writable `iggy_frozen` nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_release(frozen: *mut iggy_frozen) {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { release(frozen) }
    })
}

/// Whether the handle is empty; true for NULL.
///
/// # Safety
/// `frozen` is NULL or points to a readable `iggy_frozen`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_frozen_is_empty(frozen: *const iggy_frozen) -> bool {
    boundary_or(
        || true,
        || {
            // SAFETY: caller contract.
            unsafe { is_empty(frozen) }
        },
    )
}
