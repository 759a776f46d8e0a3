//! The batch functions of the C ABI, called from Rust: every batch vector through
//! `iggy_batch_decode` (status per rule B1–B11, detail, count), the zero-copy iterator,
//! and an encode → decode round trip through `iggy_batch_encode`. Runs under Miri too.

#[path = "../common/batch_decode.rs"]
mod batch_decode;
use crate::common;

use iggy_consensus::status::Status;

use batch_decode::decode;
use iggy_consensus::ffi::*;
use std::mem::MaybeUninit;

/// The status of a vector's `rule` tag (`B7_batch_reserved_nonzero` → 206).
fn rule_status(rule: &str) -> iggy_status {
    let n: u32 = rule[1..rule.find('_').unwrap()].parse().unwrap();
    Status::BATCH_SHORT_FRAME.0 + n - 1
}

fn messages(batch: &iggy_batch) -> Vec<iggy_batch_message> {
    let mut it = MaybeUninit::<iggy_batch_iter>::uninit();
    let mut all = Vec::new();
    let mut message = MaybeUninit::<iggy_batch_message>::uninit();
    // SAFETY: `batch` outlives the iteration; outputs are writable.
    unsafe {
        iggy_batch_iter_begin(batch, it.as_mut_ptr());
        while iggy_batch_next(it.as_mut_ptr(), message.as_mut_ptr()) {
            all.push(message.assume_init());
        }
    }
    all
}

#[test]
fn batch_vectors_agree_through_the_c_api() {
    let vectors = common::vectors("batch");
    assert!(!vectors.is_empty());
    for v in &vectors {
        let (status, batch, detail) = decode(&v.bytes);
        assert_eq!(detail.status, status, "{}", v.id);
        match &v.rule {
            None => {
                assert_eq!(status, Status::OK.0, "{}", v.id);
                let batch = batch.unwrap();
                assert_eq!(Some(u64::from(batch.message_count)), v.count, "{}", v.id);
                assert_eq!(messages(&batch).len() as u64, v.count.unwrap(), "{}", v.id);
            }
            Some(rule) => {
                assert_eq!(status, rule_status(rule), "{}", v.id);
                assert!(batch.is_none());
            }
        }
    }
}

#[test]
fn encode_then_decode_round_trips_through_the_c_api() {
    let payloads: [&[u8]; 3] = [b"hi", b"", b"payload"];
    let inputs: Vec<iggy_batch_input> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| iggy_batch_input {
            id: (i as u128 + 1).into(),
            offset_delta: i as u32,
            timestamp_delta: 10 * i as u32,
            payload: if p.is_empty() {
                std::ptr::null()
            } else {
                p.as_ptr()
            },
            payload_len: p.len(),
            user_headers: b"uh".as_ptr(),
            user_headers_len: 2,
        })
        .collect();
    let mut buf = MaybeUninit::<iggy_buf>::uninit();
    // SAFETY: valid inputs and outputs throughout; every handle is freed.
    unsafe {
        assert_eq!(iggy_buf_new_zeroed(256, buf.as_mut_ptr()), Status::OK.0);
        let buf = buf.as_mut_ptr();
        let status = iggy_batch_encode(7, 100, 5, 1000, inputs.as_ptr(), inputs.len(), buf);
        assert_eq!(status, Status::OK.0);
        let len = iggy_buf_len(buf);
        let frame = std::slice::from_raw_parts_mut(iggy_buf_data(buf), len);
        frame[48..52].copy_from_slice(&(len as u32).to_le_bytes());
        frame[60] = iggy_consensus::wire::Command::Prepare as u8;
        frame[208] = iggy_consensus::wire::Operation::SendMessages as u8;
        let (status, batch, _) = decode(frame);
        assert_eq!(status, Status::OK.0);
        let batch = batch.unwrap();
        assert_eq!(
            (batch.partition_id, batch.base_offset, batch.message_count),
            (7, 100, 3)
        );
        let got = messages(&batch);
        assert_eq!(got.len(), 3);
        for (i, m) in got.iter().enumerate() {
            assert_eq!(u128::from(m.id), i as u128 + 1);
            assert_eq!(
                (m.offset, m.timestamp),
                (100 + i as u64, 1000 + 10 * i as u64)
            );
            assert_eq!(
                std::slice::from_raw_parts(m.payload, m.payload_len),
                payloads[i]
            );
            assert_eq!(
                std::slice::from_raw_parts(m.user_headers, m.user_headers_len),
                b"uh"
            );
        }
        iggy_buf_free(buf);
    }
}

#[test]
fn encode_refuses_bad_arguments_and_leaves_the_buffer_alone() {
    let bad = iggy_batch_input {
        id: 1u128.into(),
        offset_delta: 0,
        timestamp_delta: 0,
        payload: std::ptr::null(),
        payload_len: 3,
        user_headers: std::ptr::null(),
        user_headers_len: 0,
    };
    let mut buf = MaybeUninit::<iggy_buf>::uninit();
    // SAFETY: valid outputs; the bad input is refused before it is read.
    unsafe {
        assert_eq!(iggy_buf_new_zeroed(256, buf.as_mut_ptr()), Status::OK.0);
        let buf = buf.as_mut_ptr();
        assert_eq!(
            iggy_batch_encode(0, 0, 0, 0, &bad, 1, buf),
            Status::NULL_ARGUMENT.0
        );
        assert_eq!(
            iggy_batch_encode(0, 0, 0, 0, std::ptr::null(), 1, buf),
            Status::NULL_ARGUMENT.0
        );
        assert_eq!(
            iggy_batch_encode(0, 0, 0, 0, &bad, 0, std::ptr::null_mut()),
            Status::NULL_ARGUMENT.0
        );
        assert_eq!(iggy_buf_len(buf), 256);
        assert_eq!(
            iggy_batch_encode(0, 0, 0, 0, std::ptr::null(), 0, buf),
            Status::OK.0
        );
        assert_eq!(iggy_buf_len(buf), 256 + 256, "an empty batch is its header");
        iggy_buf_free(buf);
        let mut empty = MaybeUninit::<iggy_buf>::zeroed();
        assert_eq!(
            iggy_batch_encode(0, 0, 0, 0, std::ptr::null(), 0, empty.as_mut_ptr()),
            Status::EMPTY_HANDLE.0
        );
    }
}

#[test]
fn encode_refuses_inputs_inside_the_buffer_it_grows() {
    let mut buf = MaybeUninit::<iggy_buf>::uninit();
    // SAFETY: valid outputs; every input lies in readable memory (the buffer's own
    // bytes or `outside`), and the refusals happen before anything is read or grown.
    unsafe {
        assert_eq!(iggy_buf_new_zeroed(300, buf.as_mut_ptr()), Status::OK.0);
        let buf = buf.as_mut_ptr();
        let (data, capacity) = (iggy_buf_data(buf), iggy_buf_capacity(buf));
        let input = |payload: *const u8, payload_len, user_headers: *const u8, user_headers_len| {
            iggy_batch_input {
                id: 1u128.into(),
                offset_delta: 0,
                timestamp_delta: 0,
                payload,
                payload_len,
                user_headers,
                user_headers_len,
            }
        };
        let outside = [7u8; 8];
        // A payload in the buffer's bytes, a user-header block ending in its last byte:
        // the reservation would move the buffer and free both.
        for bad in [
            input(data, 300, outside.as_ptr(), 8),
            input(outside.as_ptr(), 8, data.add(capacity - 1), 1),
        ] {
            assert_eq!(
                iggy_batch_encode(0, 0, 0, 0, &bad, 1, buf),
                Status::INVALID_ARGUMENT.0
            );
            assert_eq!((iggy_buf_data(buf), iggy_buf_len(buf)), (data, 300));
        }
        // The input array itself in the buffer.
        let inside = data.cast::<iggy_batch_input>();
        inside.write_unaligned(input(outside.as_ptr(), 8, std::ptr::null(), 0));
        assert_eq!(
            iggy_batch_encode(0, 0, 0, 0, inside, 1, buf),
            Status::INVALID_ARGUMENT.0
        );
        // An empty block may point anywhere, the buffer included.
        let fine = input(outside.as_ptr(), 8, data, 0);
        assert_eq!(iggy_batch_encode(0, 0, 0, 0, &fine, 1, buf), Status::OK.0);
        iggy_buf_free(buf);
    }
}

#[test]
fn decode_and_iterate_handle_null_arguments() {
    let mut out = MaybeUninit::<iggy_batch>::uninit();
    let mut detail = MaybeUninit::<iggy_validation_detail>::uninit();
    // SAFETY: NULL arguments are refused before anything is read or written.
    unsafe {
        let status = iggy_batch_decode(std::ptr::null(), 10, out.as_mut_ptr(), detail.as_mut_ptr());
        assert_eq!(status, Status::NULL_ARGUMENT.0);
        assert_eq!(detail.assume_init().status, Status::NULL_ARGUMENT.0);
        let status = iggy_batch_decode(
            std::ptr::null(),
            0,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        assert_eq!(status, Status::NULL_ARGUMENT.0);
        let (status, _, detail) = decode(&[]);
        assert_eq!(
            (status, detail.expected, detail.found),
            (Status::BATCH_SHORT_FRAME.0, 256, 0)
        );
        let mut it = MaybeUninit::<iggy_batch_iter>::uninit();
        iggy_batch_iter_begin(std::ptr::null(), it.as_mut_ptr());
        let mut message = MaybeUninit::<iggy_batch_message>::uninit();
        assert!(!iggy_batch_next(it.as_mut_ptr(), message.as_mut_ptr()));
        assert!(!iggy_batch_next(std::ptr::null_mut(), message.as_mut_ptr()));
        iggy_batch_iter_begin(std::ptr::null(), std::ptr::null_mut());
    }
}
