//! Names and descriptions through the C ABI (c-api.md §11): the names of every byte,
//! and `iggy_frame_describe`'s snprintf rules on every public vector.

use crate::common;

use core::ffi::{CStr, c_char};
use iggy_consensus::ffi::*;
use iggy_consensus::status::Status;
use iggy_consensus::wire::{Command, Operation};

fn text(ptr: *const c_char) -> &'static str {
    assert!(!ptr.is_null());
    // SAFETY: the names are static NUL-terminated strings.
    unsafe { CStr::from_ptr(ptr) }.to_str().unwrap()
}

/// For every byte, `export` gives the core table's name, or "unknown" where the table
/// has none.
fn every_byte_named(
    export: extern "C" fn(u8) -> *const c_char,
    table: fn(u8) -> Option<&'static str>,
) {
    for byte in 0..=255u8 {
        let expected = table(byte).unwrap_or("unknown");
        assert_eq!(text(export(byte)), expected, "{byte}");
    }
}

#[test]
fn every_command_byte_has_its_name_or_unknown() {
    every_byte_named(iggy_command_name, |b| {
        Command::from_u8(b).map(Command::name)
    });
    assert_eq!(text(iggy_command_name(7)), "PrepareOk");
    assert_eq!(text(iggy_command_name(10)), "StartViewChange");
}

#[test]
fn every_operation_byte_has_its_name_or_unknown() {
    every_byte_named(iggy_operation_name, |b| {
        Operation::from_u8(b).map(Operation::name)
    });
    assert_eq!(text(iggy_operation_name(160)), "SendMessages");
}

#[test]
fn every_status_has_its_macro_name_and_others_are_unknown() {
    assert_eq!(text(iggy_status_name(0)), "IGGY_OK");
    assert_eq!(
        text(iggy_status_name(103)),
        "IGGY_ERR_FRAME_CHECKSUM_MISMATCH"
    );
    assert_eq!(text(iggy_status_name(9)), "IGGY_ERR_FRAME_TOO_LARGE");
    for &status in Status::ALL {
        assert!(text(iggy_status_name(status.0)).starts_with("IGGY_"));
    }
    for undefined in [12, 99, 115, 199, 211, u32::MAX] {
        assert_eq!(text(iggy_status_name(undefined)), "unknown");
        assert_eq!(text(iggy_status_str(undefined)), "unknown status");
    }
}

/// The whole line, through a buffer large enough.
fn describe(frame: &[u8]) -> String {
    let mut out = vec![0 as c_char; 4096];
    // SAFETY: a valid slice and a writable buffer of `out.len()` bytes.
    let n =
        unsafe { iggy_frame_describe(frame.as_ptr(), frame.len(), out.as_mut_ptr(), out.len()) };
    assert!(n < out.len());
    // SAFETY: NUL-terminated by the call.
    let line = unsafe { CStr::from_ptr(out.as_ptr()) }.to_str().unwrap();
    assert_eq!(line.len(), n);
    line.to_owned()
}

#[test]
fn descriptions_end_with_the_frame_validate_verdict() {
    for v in common::vectors("typed") {
        let line = describe(&v.bytes);
        let status = {
            let mut detail = core::mem::MaybeUninit::uninit();
            // SAFETY: a valid slice and a writable detail.
            let status = unsafe {
                iggy_frame_validate(v.bytes.as_ptr(), v.bytes.len(), detail.as_mut_ptr())
            };
            // SAFETY: filled on every return.
            let detail = unsafe { detail.assume_init() };
            (status, text(detail.reason))
        };
        let verdict = if status.0 == Status::OK.0 {
            ": ok".to_owned()
        } else {
            format!(": {} ({})", text(iggy_status_name(status.0)), status.1)
        };
        assert!(line.ends_with(&verdict), "{}: {line}", v.id);
        if v.bytes.len() > 60 {
            let name = text(iggy_command_name(v.bytes[60]));
            assert!(line.starts_with(name), "{}: {line}", v.id);
        }
        assert!(!line.contains('\n'));
    }
}

#[test]
fn describe_follows_snprintf() {
    let frame = [0u8; 256];
    let whole = describe(&frame);
    let len = whole.len();
    // cap 0: nothing written, out may be NULL, the length returned.
    assert_eq!(
        // SAFETY: cap 0 writes nothing.
        unsafe { iggy_frame_describe(frame.as_ptr(), 256, core::ptr::null_mut(), 0) },
        len
    );
    // out NULL with cap > 0: nothing written, 0.
    assert_eq!(
        // SAFETY: NULL out writes nothing.
        unsafe { iggy_frame_describe(frame.as_ptr(), 256, core::ptr::null_mut(), 8) },
        0
    );
    for cap in [1, 2, 10, len, len + 1] {
        let mut out = vec![b'#' as c_char; cap + 4];
        // SAFETY: `cap` writable bytes.
        let n = unsafe { iggy_frame_describe(frame.as_ptr(), 256, out.as_mut_ptr(), cap) };
        assert_eq!(n, len, "cap {cap}");
        let kept = (cap - 1).min(len);
        let bytes: Vec<u8> = out.iter().map(|&c| c as u8).collect();
        assert_eq!(&bytes[..kept], &whole.as_bytes()[..kept], "cap {cap}");
        assert_eq!(bytes[kept], 0, "NUL at {kept} for cap {cap}");
        assert!(
            bytes[cap..].iter().all(|&b| b == b'#'),
            "wrote past cap {cap}"
        );
    }
}

#[test]
fn describe_takes_any_length_and_null() {
    assert!(describe(&[]).starts_with("frame of 0 bytes"));
    let mut out = [0 as c_char; 128];
    // SAFETY: NULL with a length is refused without reading.
    let n = unsafe { iggy_frame_describe(core::ptr::null(), 5, out.as_mut_ptr(), out.len()) };
    // SAFETY: NUL-terminated.
    let line = unsafe { CStr::from_ptr(out.as_ptr()) }.to_str().unwrap();
    assert_eq!((n, line.contains("NULL")), (line.len(), true));
    let unaligned = [7u8; 300];
    assert!(describe(&unaligned[3..]).starts_with("PrepareOk size="));
}
