//! Arbitrary bytes as a stream cut into arbitrary chunks through the frame reader (Rust
//! `feed`, `buffer`/`commit`, the C layer), and a script through the frame writer, each
//! against a plain model (checks in `src/stream_check.rs`).

#![no_main]

use iggy_consensus_fuzz::alloc_count::{Counting, stats};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: Counting = Counting;

iggy_consensus_fuzz::target_asan_options!();

fuzz_target!(|data: &[u8]| {
    iggy_consensus_fuzz::stream_check::check(data, stats);
});
