//! The `rule` of `iggy_validation_detail`: every public vector's rule through the C
//! ABI, and the two "read more" rules told apart from malformed frames.

use crate::common;

use core::mem::MaybeUninit;
use iggy_consensus::ffi::*;
use iggy_consensus::wire::validate::Rule;

fn detail_of(
    f: unsafe extern "C" fn(*const u8, usize, *mut iggy_validation_detail) -> iggy_status,
    frame: &[u8],
) -> iggy_validation_detail {
    let mut detail = MaybeUninit::uninit();
    // SAFETY: a valid slice and a writable detail.
    unsafe { f(frame.as_ptr(), frame.len(), detail.as_mut_ptr()) };
    // SAFETY: filled on every return.
    unsafe { detail.assume_init() }
}

/// The number of a vector's `rule` tag.
fn rule_number(tag: &str) -> u8 {
    let rule = match tag {
        "short_buffer" => Rule::ShortBuffer,
        "size_exceeds_buffer" => Rule::SizeExceedsBuffer,
        "size_floor" => Rule::SizeFloor,
        "bit_pattern" => Rule::BitPattern,
        "unroutable" => Rule::Unroutable,
        "client_bound" => Rule::ClientBound,
        "command_mismatch" => Rule::CommandMismatch,
        "seal" => Rule::Seal,
        "validate" => Rule::Validate,
        other => panic!("unknown rule tag {other}"),
    };
    rule as u8
}

#[test]
fn inbound_vectors_report_their_rule() {
    for v in common::vectors("inbound") {
        let detail = detail_of(iggy_frame_validate_inbound, &v.bytes);
        match &v.rule {
            Some(tag) => assert_eq!(detail.rule, rule_number(tag), "{}", v.id),
            None => assert_eq!(detail.rule, Rule::None as u8, "{}", v.id),
        }
    }
}

#[test]
fn short_frames_and_frames_shorter_than_size_say_read_more() {
    let mut frame = vec![0u8; 512];
    frame[48..52].copy_from_slice(&512u32.to_le_bytes());
    frame[60] = 1; // Ping: no typed header
    assert_eq!(
        detail_of(iggy_frame_validate, &frame).rule,
        Rule::None as u8
    );
    assert_eq!(
        detail_of(iggy_frame_validate, &frame[..300]).rule,
        Rule::SizeExceedsBuffer as u8
    );
    assert_eq!(
        detail_of(iggy_frame_validate, &frame[..100]).rule,
        Rule::ShortBuffer as u8
    );
    frame[60] = 30;
    assert_eq!(
        detail_of(iggy_frame_validate, &frame).rule,
        Rule::BitPattern as u8
    );
}

#[test]
fn batch_rules_b1_to_b4_are_frame_rules() {
    let mut detail = MaybeUninit::uninit();
    let mut batch = MaybeUninit::uninit();
    let short = [0u8; 100];
    // SAFETY: a valid slice and writable outputs.
    unsafe {
        iggy_batch_decode(
            short.as_ptr(),
            short.len(),
            batch.as_mut_ptr(),
            detail.as_mut_ptr(),
        )
    };
    // SAFETY: filled on every return.
    let detail = unsafe { detail.assume_init() };
    assert_eq!(detail.rule, Rule::ShortBuffer as u8);
}
