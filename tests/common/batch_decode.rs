//! `iggy_batch_decode` called from Rust. tests/api/ffi_batch.rs and the fuzz check
//! fuzz/src/frame_check.rs (also run by tests/fuzz_regressions.rs) include this one
//! file (`#[path]`).

use iggy_consensus::ffi::{iggy_batch, iggy_batch_decode, iggy_status, iggy_validation_detail};
use iggy_consensus::status::Status;
use std::mem::MaybeUninit;

/// `iggy_batch_decode` of `frame`: the status, the batch (on `IGGY_OK` only) and the
/// detail.
pub fn decode(frame: &[u8]) -> (iggy_status, Option<iggy_batch>, iggy_validation_detail) {
    let mut out = MaybeUninit::<iggy_batch>::uninit();
    let mut detail = MaybeUninit::<iggy_validation_detail>::uninit();
    // SAFETY: valid slice, writable outputs.
    let status = unsafe {
        iggy_batch_decode(
            frame.as_ptr(),
            frame.len(),
            out.as_mut_ptr(),
            detail.as_mut_ptr(),
        )
    };
    // SAFETY: `detail` is filled on every return.
    let detail = unsafe { detail.assume_init() };
    // SAFETY: `out` is filled on IGGY_OK.
    let out = (status == Status::OK.0).then(|| unsafe { out.assume_init() });
    (status, out, detail)
}
