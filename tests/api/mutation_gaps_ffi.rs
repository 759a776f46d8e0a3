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

/// `iggy_frame_validate` and `iggy_frame_validate_inbound` with a detail.
fn validate_both(frame: &[u8]) -> [(u32, iggy_validation_detail); 2] {
    [iggy_frame_validate, iggy_frame_validate_inbound].map(|f| {
        let mut detail = MaybeUninit::uninit();
        // SAFETY: a valid slice and a writable detail.
        let status = unsafe { f(frame.as_ptr(), frame.len(), detail.as_mut_ptr()) };
        // SAFETY: filled on every return.
        (status, unsafe { detail.assume_init() })
    })
}

#[test]
fn the_validation_detail_carries_the_rules_expected_and_found_values() {
    // A Commit of 257 bytes, sealed: the seal passes, validate() refuses the size.
    let mut frame = commit().to_vec();
    frame[48..52].copy_from_slice(&257u32.to_le_bytes());
    frame.push(0);
    seal(&mut frame).unwrap();
    for (status, detail) in validate_both(&frame) {
        assert_eq!(status, Status::COMMIT_INVALID_SIZE.0);
        assert_eq!(
            (detail.status, detail.command, detail.rule),
            (status, 9, Rule::Validate as u8)
        );
        assert_eq!((detail.expected, detail.found), (256, 257));
        // SAFETY: the reason is a static NUL-terminated string.
        let reason = unsafe { CStr::from_ptr(detail.reason) };
        assert_eq!(reason, c"commit size must be 256");
    }
    // A bad seal: expected and found are the checksums' low halves.
    let mut bad = commit();
    let expected = frame_seal(&bad) as u64;
    bad[0] ^= 1;
    let found = u64::from_le_bytes(bad[..8].try_into().unwrap());
    for (status, detail) in validate_both(&bad) {
        assert_eq!(status, Status::FRAME_CHECKSUM_MISMATCH.0);
        assert_eq!((detail.expected, detail.found), (expected, found));
    }
    // Success: nothing expected, nothing found.
    for (status, detail) in validate_both(&commit()) {
        assert_eq!((status, detail.status, detail.rule), (0, 0, 0));
        assert_eq!((detail.expected, detail.found), (0, 0));
    }
}

#[test]
fn the_status_only_inbound_check_reports_a_rejected_frame() {
    let mut bad = commit();
    bad[0] ^= 1;
    // SAFETY: a valid slice; NULL detail (the status-only path).
    let inbound =
        unsafe { iggy_frame_validate_inbound(bad.as_ptr(), bad.len(), core::ptr::null_mut()) };
    assert_eq!(inbound, Status::FRAME_CHECKSUM_MISMATCH.0);
    let good = commit();
    // SAFETY: as above.
    let inbound =
        unsafe { iggy_frame_validate_inbound(good.as_ptr(), good.len(), core::ptr::null_mut()) };
    assert_eq!(inbound, Status::OK.0);
}

#[test]
fn a_wire_u128_converts_both_halves_each_way() {
    let value = 0x0011_2233_4455_6677_8899_aabb_ccdd_eeffu128;
    let halves = iggy_u128::from(value);
    assert_eq!(
        (halves.lo, halves.hi),
        (0x8899_aabb_ccdd_eeff, 0x0011_2233_4455_6677)
    );
    assert_eq!(u128::from(halves), value);
    let high_bits_only = iggy_u128 {
        lo: 0,
        hi: u64::MAX,
    };
    assert_eq!(u128::from(high_bits_only), (u64::MAX as u128) << 64);
}

#[test]
fn the_wire_revision_is_the_core_s() {
    // SAFETY: a static NUL-terminated string.
    let revision = unsafe { CStr::from_ptr(iggy_wire_revision()) };
    assert_eq!(revision.to_str(), Ok(iggy_consensus::wire::WIRE_REVISION));
}
