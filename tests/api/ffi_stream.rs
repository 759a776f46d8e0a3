//! The frame reader and writer through the C ABI (c-api.md §10): the argument rules of
//! each call, the details of `next`, feeding bytes the reader owns, and a stream of
//! frames written through iovecs and read back, under Miri too.

use core::mem::MaybeUninit;
use iggy_consensus::ffi::*;
use iggy_consensus::status::Status;
use iggy_consensus::wire::checksum::seal;
use iggy_consensus::wire::validate::Rule;

const OK: u32 = Status::OK.0;

/// A sealed Commit (256 bytes) with `commit` set to `n`.
fn commit(n: u64) -> Vec<u8> {
    let mut f = vec![0u8; 256];
    f[48..52].copy_from_slice(&256u32.to_le_bytes());
    f[60] = 9;
    f[152..160].copy_from_slice(&n.to_le_bytes());
    seal(&mut f).unwrap();
    f
}

fn reader(config: Option<iggy_reader_config>) -> iggy_reader {
    let mut r = iggy_reader::default();
    let config = config.as_ref().map_or(core::ptr::null(), |c| c as *const _);
    // SAFETY: a readable config or NULL, a writable handle.
    assert_eq!(unsafe { iggy_reader_init(config, &mut r) }, OK);
    r
}

/// `iggy_reader_next` with a detail.
fn next(r: &mut iggy_reader) -> (u32, iggy_buf, iggy_validation_detail) {
    let mut frame = iggy_buf::default();
    let mut detail = MaybeUninit::uninit();
    // SAFETY: live reader, writable outputs.
    let status = unsafe { iggy_reader_next(r, &mut frame, detail.as_mut_ptr()) };
    // SAFETY: filled on every return.
    (status, frame, unsafe { detail.assume_init() })
}

fn bytes(b: &mut iggy_buf) -> Vec<u8> {
    // SAFETY: a live buffer of `len` initialised bytes.
    unsafe { core::slice::from_raw_parts(iggy_buf_data(b), iggy_buf_len(b)) }.to_vec()
}

/// Reads `stream` through `buffer`/`commit` in chunks of `chunk`, and takes every frame.
fn read_all(r: &mut iggy_reader, stream: &[u8], chunk: usize) -> (Vec<Vec<u8>>, u32) {
    let mut frames = Vec::new();
    let mut rest = stream;
    loop {
        loop {
            let (status, mut frame, _) = next(r);
            if status != OK {
                if status != Status::INCOMPLETE.0 {
                    return (frames, status);
                }
                break;
            }
            frames.push(bytes(&mut frame));
            // SAFETY: a live buffer of this test.
            unsafe { iggy_buf_free(&mut frame) };
        }
        if rest.is_empty() {
            // SAFETY: a live reader.
            return (frames, unsafe { iggy_reader_finish(r) });
        }
        let (mut ptr, mut len) = (core::ptr::null_mut(), 0);
        // SAFETY: live reader, writable outputs.
        let status = unsafe { iggy_reader_buffer(r, &mut ptr, &mut len) };
        if status != OK {
            return (frames, status);
        }
        let n = chunk.min(len).min(rest.len());
        // SAFETY: the offer is writable for `len >= n` bytes.
        unsafe { core::ptr::copy_nonoverlapping(rest.as_ptr(), ptr, n) };
        rest = &rest[n..];
        // SAFETY: `n` bytes of the offer were written.
        let status = unsafe { iggy_reader_commit(r, n) };
        if status != OK {
            let (more, _) = read_all(r, &[], chunk);
            frames.extend(more);
            return (frames, status);
        }
    }
}

#[test]
fn frames_come_back_in_order_whatever_the_chunks() {
    let stream: Vec<u8> = (0..20).flat_map(commit).collect();
    for chunk in [1, 7, 255, 256, 257, 4096] {
        if cfg!(miri) && chunk < 256 {
            continue;
        }
        let mut r = reader(None);
        let (frames, status) = read_all(&mut r, &stream, chunk);
        assert_eq!(status, OK, "chunk {chunk}");
        assert_eq!(frames.concat(), stream, "chunk {chunk}");
        assert_eq!(frames.len(), 20);
        // SAFETY: a live reader.
        unsafe { iggy_reader_free(&mut r) };
        assert!(
            // SAFETY: live handles and valid slices of this test.
            unsafe { iggy_reader_is_empty(&r) },
            "free zeroes the handle"
        );
    }
}

#[test]
fn next_fills_the_detail_on_ok_incomplete_and_a_bad_frame() {
    let mut r = reader(None);
    let (status, _, detail) = next(&mut r);
    assert_eq!(
        (status, detail.status, detail.rule),
        (Status::INCOMPLETE.0, Status::INCOMPLETE.0, 0)
    );
    let mut bad = commit(1);
    bad[0] ^= 1; // the seal no longer matches
    let mut stream = commit(0);
    stream.extend(&bad);
    // SAFETY: a live reader and a valid slice.
    let fed = unsafe { iggy_reader_feed(&mut r, stream.as_ptr(), stream.len()) };
    assert_eq!(fed, Status::FRAME_CHECKSUM_MISMATCH.0);
    let (status, mut first, detail) = next(&mut r);
    assert_eq!(
        (status, detail.status, detail.expected, detail.found),
        (OK, OK, 0, 0)
    );
    assert_eq!(bytes(&mut first), commit(0));
    // SAFETY: a live buffer.
    unsafe { iggy_buf_free(&mut first) };
    for _ in 0..2 {
        let (status, frame, detail) = next(&mut r);
        assert_eq!(status, Status::FRAME_CHECKSUM_MISMATCH.0);
        assert_eq!((detail.command, detail.rule), (9, Rule::Seal as u8));
        assert!(iggy_buf_is_empty_(&frame));
    }
    // SAFETY: a live reader.
    assert_eq!(
        // SAFETY: live handles and valid slices of this test.
        unsafe { iggy_reader_finish(&r) },
        Status::FRAME_CHECKSUM_MISMATCH.0
    );
    // SAFETY: a live reader.
    unsafe { iggy_reader_free(&mut r) };
}

fn iggy_buf_is_empty_(b: &iggy_buf) -> bool {
    // SAFETY: a readable handle.
    unsafe { iggy_buf_is_empty(b) }
}

#[test]
fn a_huge_size_is_refused_on_the_header_with_its_detail() {
    let mut r = reader(Some(iggy_reader_config {
        max_frame: 4096,
        ..Default::default()
    }));
    let mut header = commit(0);
    header[48..52].copy_from_slice(&(1u32 << 30).to_le_bytes());
    // SAFETY: a live reader and a valid slice.
    let fed = unsafe { iggy_reader_feed(&mut r, header.as_ptr(), header.len()) };
    assert_eq!(fed, Status::FRAME_TOO_LARGE.0);
    let (status, _, detail) = next(&mut r);
    assert_eq!(status, Status::FRAME_TOO_LARGE.0);
    assert_eq!(
        (detail.command, detail.rule, detail.expected, detail.found),
        (9, Rule::FrameTooLarge as u8, 4096, 1 << 30)
    );
    // SAFETY: a live reader.
    unsafe { iggy_reader_free(&mut r) };
}

#[test]
fn bad_configurations_and_arguments_are_refused() {
    let mut r = iggy_reader::default();
    for config in [
        iggy_reader_config {
            validate: 3,
            ..Default::default()
        },
        iggy_reader_config {
            max_frame: 255,
            ..Default::default()
        },
        iggy_reader_config {
            read_ahead: 64 * 1024 * 1024 + 1,
            ..Default::default()
        },
    ] {
        // SAFETY: a readable config, a writable handle.
        assert_eq!(
            // SAFETY: live handles and valid slices of this test.
            unsafe { iggy_reader_init(&config, &mut r) },
            Status::INVALID_ARGUMENT.0
        );
        // SAFETY: live handles and valid slices of this test.
        assert!(unsafe { iggy_reader_is_empty(&r) });
    }
    let (mut ptr, mut len) = (core::ptr::null_mut(), 0);
    // SAFETY: NULL and empty handles are checked before use.
    unsafe {
        assert_eq!(
            iggy_reader_buffer(&mut r, &mut ptr, &mut len),
            Status::EMPTY_HANDLE.0
        );
        assert_eq!(
            iggy_reader_buffer(&mut r, core::ptr::null_mut(), &mut len),
            Status::NULL_ARGUMENT.0
        );
        assert_eq!(
            iggy_reader_commit(core::ptr::null_mut(), 1),
            Status::NULL_ARGUMENT.0
        );
        assert_eq!(iggy_reader_finish(&r), Status::EMPTY_HANDLE.0);
        assert_eq!(
            iggy_reader_feed(&mut r, core::ptr::null(), 3),
            Status::NULL_ARGUMENT.0
        );
    }
    let mut r = reader(None);
    // SAFETY: a live reader; no offer is outstanding.
    assert_eq!(
        // SAFETY: live handles and valid slices of this test.
        unsafe { iggy_reader_commit(&mut r, 1) },
        Status::OUT_OF_RANGE.0
    );
    // SAFETY: live reader, writable outputs.
    assert_eq!(
        // SAFETY: live handles and valid slices of this test.
        unsafe { iggy_reader_buffer(&mut r, &mut ptr, &mut len) },
        OK
    );
    // SAFETY: the offer lies in the reader's own memory: refused before it is read.
    assert_eq!(
        // SAFETY: live handles and valid slices of this test.
        unsafe { iggy_reader_feed(&mut r, ptr, 1) },
        Status::INVALID_ARGUMENT.0
    );
    // SAFETY: a live reader; `len + 1` is out of range.
    assert_eq!(
        // SAFETY: live handles and valid slices of this test.
        unsafe { iggy_reader_commit(&mut r, len + 1) },
        Status::OUT_OF_RANGE.0
    );
    // SAFETY: a fresh reader is between frames.
    assert_eq!(unsafe { iggy_reader_finish(&r) }, OK);
    // SAFETY: a live reader.
    unsafe { iggy_reader_free(&mut r) };
}

fn frozen(bytes: &[u8]) -> iggy_frozen {
    let (mut b, mut f) = (iggy_buf::default(), iggy_frozen::default());
    // SAFETY: a valid slice and writable handles.
    unsafe {
        assert_eq!(iggy_buf_copy_from(bytes.as_ptr(), bytes.len(), &mut b), OK);
        assert_eq!(iggy_buf_freeze(&mut b, &mut f), OK);
    }
    f
}

/// Sends everything the writer holds, `most` bytes per "write".
fn drain(w: &mut iggy_writer, most: usize) -> Vec<u8> {
    let mut sent = Vec::new();
    let mut iov = [iggy_iovec {
        base: core::ptr::null(),
        len: 0,
    }; 8];
    // SAFETY: a live writer throughout; the iovecs point into its frames.
    while unsafe { iggy_writer_pending_bytes(w) } > 0 {
        // SAFETY: live handles and valid slices of this test.
        let count = unsafe { iggy_writer_iovecs(w, iov.as_mut_ptr(), iov.len()) };
        let mut n = 0;
        for v in &iov[..count] {
            assert!(v.len > 0);
            let take = v.len.min(most - n);
            // SAFETY: live handles and valid slices of this test.
            sent.extend_from_slice(unsafe {
                core::slice::from_raw_parts(v.base.cast::<u8>(), take)
            });
            n += take;
            if n == most {
                break;
            }
        }
        // SAFETY: live handles and valid slices of this test.
        assert_eq!(unsafe { iggy_writer_advance(w, n) }, OK);
    }
    sent
}

#[test]
fn the_writer_sends_what_it_queued_in_partial_writes_and_refuses_when_full() {
    let mut w = iggy_writer::default();
    // SAFETY: a writable handle.
    assert_eq!(unsafe { iggy_writer_init(2, 0, &mut w) }, OK);
    let (mut a, mut b, mut c) = (frozen(b"first"), frozen(b"second"), frozen(b"third"));
    // SAFETY: live handles of this test.
    unsafe {
        assert_eq!(iggy_writer_push(&mut w, &mut a), OK);
        assert!(iggy_frozen_is_empty(&a), "push consumes the frame");
        assert_eq!(iggy_writer_push(&mut w, &mut b), OK);
        assert_eq!(iggy_writer_push(&mut w, &mut c), Status::QUEUE_FULL.0);
        assert_eq!(
            iggy_frozen_len(&c),
            5,
            "a refused frame stays with the caller"
        );
        assert_eq!(
            (
                iggy_writer_pending_frames(&w),
                iggy_writer_pending_bytes(&w)
            ),
            (2, 11)
        );
        assert_eq!(iggy_writer_advance(&mut w, 12), Status::OUT_OF_RANGE.0);
        // The writer's own handle, read as a frame, is not a live frame.
        let as_frame = (&mut w as *mut iggy_writer).cast::<iggy_frozen>();
        assert_eq!(iggy_writer_push(&mut w, as_frame), Status::EMPTY_HANDLE.0);
    }
    assert_eq!(drain(&mut w, 3), b"firstsecond");
    // SAFETY: live handles of this test.
    unsafe {
        assert_eq!(iggy_writer_push(&mut w, &mut c), OK);
        assert_eq!(drain(&mut w, 100), b"third");
        iggy_writer_free(&mut w);
        assert!(iggy_writer_is_empty(&w));
    }
}

#[test]
fn writer_frames_read_back_through_the_reader() {
    let frames: Vec<Vec<u8>> = (0..if cfg!(miri) { 4 } else { 300 }).map(commit).collect();
    let mut w = iggy_writer::default();
    // SAFETY: a writable handle, then live handles of this test.
    unsafe {
        assert_eq!(iggy_writer_init(0, 0, &mut w), OK);
        for f in &frames {
            let mut handle = frozen(f);
            assert_eq!(iggy_writer_push(&mut w, &mut handle), OK);
        }
    }
    let wire = drain(&mut w, 1000);
    let mut r = reader(None);
    let (back, status) = read_all(&mut r, &wire, 777);
    assert_eq!((status, back), (OK, frames));
    // SAFETY: live handles.
    unsafe {
        iggy_reader_free(&mut r);
        iggy_writer_free(&mut w);
    }
}
