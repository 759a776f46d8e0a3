//! Arbitrary bytes as a stream cut into arbitrary chunks through the frame reader (Rust
//! `feed`, `buffer`/`commit`, the C layer), and a script through the frame writer, each
//! against a plain model (checks in `src/stream_check.rs`).

#![no_main]

use iggy_consensus_fuzz::alloc_count::{Counting, stats};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: Counting = Counting;

/// ASan's options for this target (the environment's `ASAN_OPTIONS` come after and
/// win): as for `buffer_ops`, a 16 MB quarantine (six readers per input free a few
/// hundred KB; with 256 MB a third of the time went to faulting in fresh pages) and no
/// fake stack (the library hands out heap memory only).
#[unsafe(no_mangle)]
pub extern "C" fn __asan_default_options() -> *const core::ffi::c_char {
    c"quarantine_size_mb=16:detect_stack_use_after_return=0".as_ptr()
}

fuzz_target!(|data: &[u8]| {
    iggy_consensus_fuzz::stream_check::check(data, stats);
});
