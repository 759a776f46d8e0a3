//! The writer rules of docs/c-api.md, one scenario per test. Allocation failure is in
//! `tests/stream_vectors.rs`.

use super::*;
use crate::buf::{Owned, Prefix};

fn frozen(bytes: &[u8]) -> Frozen {
    Owned::copy_from_slice(bytes).freeze()
}

/// A frame and a witness of it: the witness's prefix coalesces with `tail` only when
/// no other share of the frame (the writer's) is alive.
struct Watched {
    prefix: Prefix,
    tail: Frozen,
}

impl Watched {
    /// `bytes` as a frame to push, and its witness.
    fn new(bytes: &[u8]) -> (Frozen, Self) {
        let mut owned = Owned::copy_from_slice(b"#");
        owned.extend_from_slice(bytes);
        let (prefix, tail) = owned.split_at(1);
        (tail.clone(), Self { prefix, tail })
    }

    fn released(&self) -> bool {
        self.prefix.can_coalesce_with(&self.tail)
    }
}

/// The unsent bytes as `io_slices` gives them, with room for `cap` slices.
fn slices(w: &FrameWriter, cap: usize) -> Vec<Vec<u8>> {
    let mut out = vec![IoSlice::new(&[]); cap];
    let k = w.io_slices(&mut out);
    out[..k].iter().map(|s| s.to_vec()).collect()
}

#[test]
fn zero_max_frames_means_1024() {
    let mut w = FrameWriter::try_new(0, 0).unwrap();
    let x = frozen(b"x");
    for _ in 0..1024 {
        w.try_push(x.clone()).unwrap();
    }
    let (error, back) = w.try_push(frozen(b"y")).unwrap_err();
    assert_eq!(
        (error, back.as_slice()),
        (WriterError::QueueFull, &b"y"[..])
    );
    assert_eq!(w.pending_frames(), 1024);
}

#[test]
fn a_push_past_max_frames_is_refused_and_the_frame_comes_back_unchanged() {
    let mut w = FrameWriter::try_new(2, 0).unwrap();
    w.try_push(frozen(b"a")).unwrap();
    w.try_push(frozen(b"b")).unwrap();
    let f = frozen(b"c");
    let ptr = f.as_ptr();
    let (error, back) = w.try_push(f).unwrap_err();
    assert_eq!(error, WriterError::QueueFull);
    assert_eq!((back.as_ptr(), back.as_slice()), (ptr, &b"c"[..]));
    assert_eq!((w.pending_frames(), w.pending_bytes()), (2, 2));
    w.advance(1).unwrap();
    w.try_push(back).unwrap();
    assert_eq!(slices(&w, 8), [b"b".to_vec(), b"c".to_vec()]);
}

#[test]
fn a_push_past_max_bytes_is_refused_unless_the_queue_is_empty() {
    let mut w = FrameWriter::try_new(0, 10).unwrap();
    w.try_push(frozen(&[1; 6])).unwrap();
    w.try_push(frozen(&[2; 4])).unwrap(); // exactly 10
    let (error, _) = w.try_push(frozen(&[3; 1])).unwrap_err();
    assert_eq!(error, WriterError::QueueFull);
    w.advance(10).unwrap();
    // Longer than max_bytes: accepted into the empty queue, and nothing after it.
    w.try_push(frozen(&[4; 25])).unwrap();
    assert_eq!(w.pending_bytes(), 25);
    assert_eq!(
        w.try_push(frozen(&[5; 1])).unwrap_err().0,
        WriterError::QueueFull
    );
}

#[test]
fn zero_length_frames_are_accepted_uncounted_released_at_once_and_never_sent() {
    let mut w = FrameWriter::try_new(1, 1).unwrap();
    w.try_push(frozen(b"a")).unwrap();
    let (empty, witness) = Watched::new(b"");
    w.try_push(empty).unwrap(); // the queue is full, yet accepted
    assert!(witness.released());
    assert_eq!((w.pending_frames(), w.pending_bytes()), (1, 1));
    assert_eq!(slices(&w, 8), [b"a".to_vec()]);
    assert_eq!(w.unsent().count(), 1);
}

#[test]
fn advance_by_every_n_on_three_frames_leaves_exactly_the_unsent_bytes() {
    let frames: [&[u8]; 3] = [b"abc", b"de", b"fghij"];
    let all = frames.concat();
    for n in 0..=all.len() {
        let mut w = FrameWriter::try_new(0, 0).unwrap();
        let mut witnesses = Vec::new();
        for f in frames {
            let (frame, witness) = Watched::new(f);
            w.try_push(frame).unwrap();
            witnesses.push(witness);
        }
        w.advance(n).unwrap();
        assert_eq!(w.pending_bytes(), all.len() - n, "n {n}");
        let got = slices(&w, 8);
        assert!(got.iter().all(|s| !s.is_empty()), "n {n}: an empty slice");
        assert_eq!(got.concat(), &all[n..], "n {n}");
        assert_eq!(got.len(), w.pending_frames(), "n {n}");
        // A frame is released exactly when it was sent whole.
        let mut end = 0;
        for (f, witness) in frames.iter().zip(&witnesses) {
            end += f.len();
            assert_eq!(witness.released(), n >= end, "n {n}, frame ending at {end}");
        }
        // The rest, in a second step, gives the same as one step.
        w.advance(all.len() - n).unwrap();
        assert_eq!((w.pending_frames(), w.pending_bytes()), (0, 0));
        assert!(witnesses.iter().all(Watched::released));
    }
}

#[test]
fn advance_past_pending_is_out_of_range_and_changes_nothing() {
    let mut w = FrameWriter::try_new(0, 0).unwrap();
    assert_eq!(w.advance(1), Err(WriterError::OutOfRange));
    assert_eq!(w.advance(0), Ok(()));
    w.try_push(frozen(b"abc")).unwrap();
    w.advance(1).unwrap();
    assert_eq!(w.advance(3), Err(WriterError::OutOfRange));
    assert_eq!(w.advance(usize::MAX), Err(WriterError::OutOfRange));
    assert_eq!(slices(&w, 8), [b"bc".to_vec()]);
    assert_eq!(w.pending_bytes(), 2);
}

#[test]
fn io_slices_fills_at_most_out_len_and_matches_unsent() {
    let mut w = FrameWriter::try_new(0, 0).unwrap();
    for f in [&b"one"[..], b"two", b"three", b"four"] {
        w.try_push(frozen(f)).unwrap();
    }
    w.advance(1).unwrap();
    assert_eq!(slices(&w, 0), Vec::<Vec<u8>>::new());
    assert_eq!(slices(&w, 2), [b"ne".to_vec(), b"two".to_vec()]);
    assert_eq!(slices(&w, 9).len(), 4);
    let unsent: Vec<Vec<u8>> = w.unsent().map(<[u8]>::to_vec).collect();
    assert_eq!(unsent, slices(&w, 4));
}

#[test]
fn the_slices_point_into_the_queued_frames() {
    let mut w = FrameWriter::try_new(0, 0).unwrap();
    let f = frozen(b"zero copy");
    let ptr = f.as_ptr();
    w.try_push(f).unwrap();
    w.advance(5).unwrap();
    assert_eq!(w.unsent().next().unwrap().as_ptr(), ptr.wrapping_add(5));
}

#[test]
fn dropping_the_writer_releases_every_queued_frame() {
    let mut w = FrameWriter::try_new(0, 0).unwrap();
    let (frame, witness) = Watched::new(b"queued");
    w.try_push(frame).unwrap();
    assert!(!witness.released());
    drop(w);
    assert!(witness.released());
}

#[test]
fn display_names_the_problem() {
    assert_eq!(
        WriterError::QueueFull.to_string(),
        "the writer's queue is full"
    );
}
