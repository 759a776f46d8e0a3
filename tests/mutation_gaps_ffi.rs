//! The C layer's behaviours that mutation testing (issue 15) found untested.

use core::ffi::CStr;
use core::mem::MaybeUninit;
use iggy_consensus::ffi::*;
use iggy_consensus::status::Status;
use iggy_consensus::wire::checksum::{frame_seal, seal};
use iggy_consensus::wire::validate::Rule;

/// A sealed Commit (256 bytes).
fn commit() -> [u8; 256] {
    let mut f = [0u8; 256];
    f[48..52].copy_from_slice(&256u32.to_le_bytes());
    f[60] = 9;
    seal(&mut f).unwrap();
    f
}

#[test]
fn the_reader_reports_expected_and_found_of_a_bad_seal() {
    let mut r = iggy_reader::default();
    // SAFETY: NULL config (the defaults), a writable handle.
    assert_eq!(unsafe { iggy_reader_init(core::ptr::null(), &mut r) }, 0);
    let mut bad = commit();
    let expected = frame_seal(&bad) as u64;
    bad[0] ^= 1;
    let found = u64::from_le_bytes(bad[..8].try_into().unwrap());
    // SAFETY: a live reader and a valid slice.
    let fed = unsafe { iggy_reader_feed(&mut r, bad.as_ptr(), bad.len()) };
    assert_eq!(fed, Status::FRAME_CHECKSUM_MISMATCH.0);
    let mut frame = iggy_buf::default();
    let mut detail = MaybeUninit::uninit();
    // SAFETY: a live reader, writable outputs.
    let status = unsafe { iggy_reader_next(&mut r, &mut frame, detail.as_mut_ptr()) };
    // SAFETY: filled on every return.
    let detail = unsafe { detail.assume_init() };
    assert_eq!(status, Status::FRAME_CHECKSUM_MISMATCH.0);
    assert_eq!(
        (detail.status, detail.command, detail.rule),
        (status, 9, Rule::Seal as u8)
    );
    assert_eq!((detail.expected, detail.found), (expected, found));
    // SAFETY: the reason is a static NUL-terminated string.
    let reason = unsafe { CStr::from_ptr(detail.reason) };
    assert_eq!(reason, c"header checksum does not cover the frame");
    // SAFETY: a live reader.
    unsafe { iggy_reader_free(&mut r) };
}
