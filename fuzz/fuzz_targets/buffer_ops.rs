//! The input as a sequence of buffer operations through the C ABI, checked against a
//! model after every step, with a counting allocator proving that everything is freed
//! (checks in `src/buffer_model.rs`).

#![no_main]

use iggy_consensus_fuzz::alloc_count::{Counting, stats};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: Counting = Counting;

iggy_consensus_fuzz::target_asan_options!();

fuzz_target!(|data: &[u8]| {
    iggy_consensus_fuzz::buffer_model::check(data, stats);
});
