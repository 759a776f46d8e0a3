//! `iggy_buf_*`: the owned, unique, mutable, growable buffer.

use super::handle::{
    Exclusive, Out, check_args, copy_into, iggy_buf, iggy_frozen, iggy_prefix, is_empty, make_into,
    release, split_into, view,
};
use super::panic::{boundary, boundary_or, status_boundary};
use super::status::iggy_status;
use crate::buf::{BufError, Owned};
use crate::status::Status;

/// `(ptr, len)` as a slice: `(NULL, 0)` is empty, NULL with a length is
/// `IGGY_ERR_NULL_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` points to `len` readable bytes that stay valid and unchanged for
/// `'a`.
pub(crate) unsafe fn input_slice<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], Status> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Status::NULL_ARGUMENT);
    }
    // SAFETY: the caller guarantees `len` readable bytes at a non-NULL `ptr`.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Creates a buffer of `len` zero bytes, 4096-aligned, into `*out`.
/// One allocation (none for `len == 0`); no atomic.
///
/// # Safety
/// `out` is NULL or points to writable `iggy_buf` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_new_zeroed(len: usize, out: *mut iggy_buf) -> iggy_status {
    status_boundary(|| {
        // SAFETY: caller contract.
        unsafe { make_into(out, || Owned::try_zeroed(len)) }
    })
}

/// Creates an empty buffer (len 0) with room for at least `capacity` bytes into
/// `*out`, for writing through `iggy_buf_data` and then `iggy_buf_set_len`. The bytes
/// are not initialised. One allocation (none for `capacity == 0`); no atomic.
///
/// # Safety
/// `out` is NULL or points to writable `iggy_buf` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_with_capacity(
    capacity: usize,
    out: *mut iggy_buf,
) -> iggy_status {
    status_boundary(|| {
        // SAFETY: caller contract.
        unsafe { make_into(out, || Owned::try_with_capacity(capacity)) }
    })
}

/// Creates a buffer holding a copy of `src[0..len)` into `*out`. `(NULL, 0)` gives an
/// empty (but live) buffer. One allocation, one copy; no atomic.
///
/// # Safety
/// `src` is NULL or points to `len` readable bytes; `out` is NULL or points to
/// writable `iggy_buf` memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_copy_from(
    src: *const u8,
    len: usize,
    out: *mut iggy_buf,
) -> iggy_status {
    status_boundary(|| {
        // SAFETY: caller contract.
        unsafe { copy_into(src, len, out, Owned::try_copy_from_slice) }
    })
}

/// The start of the buffer's capacity (4096-aligned), writable over
/// `[0, iggy_buf_capacity)`. NULL for a NULL or empty handle; never NULL for a live
/// one (dangling when the capacity is 0: do not dereference). Valid until the handle
/// is grown, consumed or freed.
///
/// # Safety
/// `buf` is NULL or points to a readable `iggy_buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_data(buf: *mut iggy_buf) -> *mut u8 {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(buf) }.map_or(core::ptr::null_mut(), |mut b| b.as_mut_ptr())
    })
}

/// The number of initialised bytes; 0 for a NULL or empty handle.
///
/// # Safety
/// `buf` is NULL or points to a readable `iggy_buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_len(buf: *const iggy_buf) -> usize {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(buf) }.map_or(0, |b| b.len())
    })
}

/// The number of bytes the buffer holds without growing; 0 for a NULL or empty handle.
///
/// # Safety
/// `buf` is NULL or points to a readable `iggy_buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_capacity(buf: *const iggy_buf) -> usize {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { view(buf) }.map_or(0, |b| b.capacity())
    })
}

/// Sets the length (growing or shrinking) to `len <= capacity`, else
/// `IGGY_ERR_OUT_OF_RANGE`. The caller has written bytes `[old len, len)`.
///
/// # Safety
/// `buf` is NULL or points to an `iggy_buf` nobody else uses meanwhile; bytes
/// `[0, len)` are initialised.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_set_len(buf: *mut iggy_buf, len: usize) -> iggy_status {
    status_boundary(|| {
        let buf = check_args!(buf: Exclusive)?;
        // SAFETY: the caller has initialised `[0, len)` (caller contract).
        buf.with_mut(|b| unsafe { b.try_set_len(len) })
            .map_err(BufError::status)
    })
}

/// Makes room for at least `additional` bytes after `len`: a no-op when the room is
/// there, else one reallocation that may **move** the data (pointers from
/// `iggy_buf_data` become invalid). A total that overflows, or an allocation that
/// fails, is `IGGY_ERR_OUT_OF_MEMORY` with the buffer unchanged.
///
/// # Safety
/// `buf` is NULL or points to an `iggy_buf` nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_reserve(buf: *mut iggy_buf, additional: usize) -> iggy_status {
    status_boundary(|| {
        let buf = check_args!(buf: Exclusive)?;
        buf.with_mut(|b| b.try_reserve(additional))
            .map_err(BufError::status)
    })
}

/// Splits the buffer into a writable prefix `[0, at)` and a frozen tail `[at, len)`
/// sharing one allocation (count 2). Zero-copy; allocates only for a buffer of
/// capacity 0; one atomic store. On `IGGY_OK` `*buf` is consumed (zeroed); on error
/// nothing changes. `at > len` is `IGGY_ERR_OUT_OF_RANGE`.
///
/// # Safety
/// Every pointer is NULL or points to its writable handle type; `*buf` is not used
/// elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_split_at(
    buf: *mut iggy_buf,
    at: usize,
    prefix_out: *mut iggy_prefix,
    tail_out: *mut iggy_frozen,
) -> iggy_status {
    status_boundary(|| {
        // SAFETY: caller contract.
        unsafe { split_into(buf, at, prefix_out, tail_out, Owned::try_split_at) }
    })
}

/// Freezes the buffer into a shared, immutable `iggy_frozen` over `[0, len)` (count
/// 1). Zero-copy, capacity kept; allocates only for a buffer of capacity 0. On
/// `IGGY_OK` `*buf` is consumed (zeroed).
///
/// # Safety
/// Every pointer is NULL or points to its writable handle type; `*buf` is not used
/// elsewhere meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_freeze(buf: *mut iggy_buf, out: *mut iggy_frozen) -> iggy_status {
    status_boundary(|| {
        let (buf, out) = check_args!(buf: Exclusive, out: Out)?;
        out.put(buf.consume(Owned::try_freeze)?);
        Ok(())
    })
}

/// Frees the buffer and zeroes the handle. NULL and empty handles are a no-op, so a
/// second free is harmless.
///
/// # Safety
/// `buf` is NULL or points to a writable `iggy_buf` nobody else uses meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_free(buf: *mut iggy_buf) {
    boundary(|| {
        // SAFETY: caller contract.
        unsafe { release(buf) }
    })
}

/// Whether the handle is empty; true for NULL.
///
/// # Safety
/// `buf` is NULL or points to a readable `iggy_buf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn iggy_buf_is_empty(buf: *const iggy_buf) -> bool {
    boundary_or(
        || true,
        || {
            // SAFETY: caller contract.
            unsafe { is_empty(buf) }
        },
    )
}
