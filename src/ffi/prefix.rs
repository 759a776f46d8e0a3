//! `iggy_prefix_*`: the unique, writable head of a split, and coalescing.

use super::handle::{
    Exclusive, Out, check_args, copy_into, iggy_frozen, iggy_prefix, is_empty, release, view,
};
use super::panic::{boundary, boundary_or, status_boundary};
use super::status::iggy_status;
use crate::buf::Prefix;
use crate::status::Status;

/// Creates a prefix holding a copy of `src[0..len)`, in its own allocation with its own
/// count (1), into `*out`. `(NULL, 0)` gives an empty (but live) prefix. One
/// allocation, one copy, one atomic store.
///
/// # Safety
/// `src` is NULL or points to `len` readable bytes; `out` is NULL or points to
/// writable `iggy_prefix` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_copy_from(
    src: *const u8,
    len: usize,
    out: *mut iggy_prefix,
) -> iggy_status {
    status_boundary(|| {
        // SAFETY: caller contract.
        unsafe { copy_into(src, len, out, Prefix::try_copy_from_slice) }
    })
}

/// The prefix's bytes, writable over `[0, iggy_prefix_len)`. NULL for a NULL or empty
/// handle; never NULL for a live one. Writes never touch bytes any other handle sees.
///
/// # Safety
/// `prefix` is NULL or points to a readable `iggy_prefix`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_data(prefix: *mut iggy_prefix) -> *mut u8 {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(prefix) }.map_or(core::ptr::null_mut(), |mut p| p.as_mut_ptr())
    })
}

/// The prefix's length; 0 for a NULL or empty handle.
///
/// # Safety
/// `prefix` is NULL or points to a readable `iggy_prefix`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_len(prefix: *const iggy_prefix) -> usize {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(prefix) }.map_or(0, |p| p.len())
    })
}

/// Turns the prefix into a frozen view of the same bytes. The share moves over: no
/// allocation, no copy, no atomic. On `IGGY_OK` `*prefix` is consumed (zeroed).
///
/// # Safety
/// Both pointers are NULL or point to their writable handle type; `*prefix` is not
/// used elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_freeze(
    prefix: *mut iggy_prefix,
    out: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        let (prefix, out) = check_args!(prefix: Exclusive, out: Out)?;
        out.put(prefix.take().freeze());
        Ok(())
    })
}

/// Whether the prefix and `tail` share one allocation (they came from one
/// `iggy_buf_split_at`). False when either is NULL or empty. No atomic.
///
/// # Safety
/// Each pointer is NULL or points to a readable handle of its type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_aliases(
    prefix: *const iggy_prefix,
    tail: *const iggy_frozen,
) -> bool {
    boundary(|| {
        // SAFETY: caller contract.
        match unsafe { (view(prefix), view(tail)) } {
            (Some(p), Some(t)) => p.aliases(&t),
            _ => false,
        }
    })
}

/// Whether `iggy_prefix_coalesce` would succeed now: same allocation and the tail's
/// count exactly 2, or different allocations, the tail's count exactly 1 and the tail
/// starting `iggy_prefix_len` bytes into its allocation. False when either is NULL or
/// empty. One atomic load (acquire).
///
/// # Safety
/// Each pointer is NULL or points to a readable handle of its type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_can_coalesce(
    prefix: *const iggy_prefix,
    tail: *const iggy_frozen,
) -> bool {
    boundary(|| {
        // SAFETY: caller contract.
        match unsafe { (view(prefix), view(tail)) } {
            (Some(p), Some(t)) => p.can_coalesce_with(&t),
            _ => false,
        }
    })
}

/// Reunites a prefix and its tail into one frozen frame over the **whole original
/// allocation** `[0, length when first shared)`, even if the tail was narrowed. No
/// allocation; no copy when they share an allocation, `iggy_prefix_len` bytes copied
/// over the tail allocation's head otherwise. On `IGGY_OK` both are consumed (zeroed)
/// and `*out` holds the frame (count 1). `IGGY_ERR_COALESCE_REFUSED`: both untouched
/// and still the caller's.
///
/// # Safety
/// Every pointer is NULL or points to its writable handle type; `*prefix` and `*tail`
/// are not used elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_coalesce(
    prefix: *mut iggy_prefix,
    tail: *mut iggy_frozen,
    out: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        let (prefix, tail, out) = check_args!(prefix: Exclusive, tail: Exclusive, out: Out)?;
        let ((prefix, prefix_slot), (tail, tail_slot)) =
            (prefix.take_with_slot(), tail.take_with_slot());
        match prefix.try_coalesce_with(tail) {
            Ok(whole) => {
                out.put(whole);
                Ok(())
            }
            Err(refused) => {
                prefix_slot.put(refused.prefix);
                tail_slot.put(refused.tail);
                Err(Status::COALESCE_REFUSED)
            }
        }
    })
}

/// Releases the prefix's share (one atomic subtract; the last share frees the
/// allocation) and zeroes the handle. NULL and empty handles are a no-op.
///
/// # Safety
/// `prefix` is NULL or points to a writable `iggy_prefix` nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_free(prefix: *mut iggy_prefix) {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { release(prefix) }
    })
}

/// Whether the handle is empty; true for NULL.
///
/// # Safety
/// `prefix` is NULL or points to a readable `iggy_prefix`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_prefix_is_empty(prefix: *const iggy_prefix) -> bool {
    boundary_or(
        || true,
        || {
            // SAFETY: caller contract.
            unsafe { is_empty(prefix) }
        },
    )
}
