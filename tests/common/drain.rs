//! Draining a frame reader. The reader's unit tests (src/stream/reader_tests.rs) and
//! tests/stream_vectors.rs include this one file (`#[path]`); the including module
//! brings `FrameReader`, `Owned` and `ReadError` into scope.

use super::{FrameReader, Owned, ReadError};

/// Every frame `next` gives, and the error that stopped it.
pub fn drain(reader: &mut FrameReader) -> (Vec<Owned>, ReadError) {
    let mut frames = Vec::new();
    loop {
        match reader.next() {
            Ok(frame) => frames.push(frame),
            Err(error) => return (frames, error),
        }
    }
}
