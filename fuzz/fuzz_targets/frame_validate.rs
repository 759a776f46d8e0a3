//! Arbitrary bytes through `iggy_frame_validate`, `iggy_frame_validate_inbound`,
//! `iggy_header_seal` and `iggy_batch_decode` (checks in `src/frame_check.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;

iggy_consensus_fuzz::target_asan_options!();

fuzz_target!(|data: &[u8]| {
    iggy_consensus_fuzz::frame_check::check(data);
});
