//! The input as a sequence of buffer operations through the C ABI, checked against a
//! model after every step, with a counting allocator proving that everything is freed
//! (checks in `src/buffer_model.rs`).

#![no_main]

use iggy_consensus_fuzz::alloc_count::{Counting, stats};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: Counting = Counting;

/// ASan's options for this target (the environment's `ASAN_OPTIONS` come after and
/// win). A 16 MB quarantine instead of 256 MB: one input frees a few hundred KB at most,
/// so a use after free inside it is still caught, and the allocator reuses warm memory
/// instead of faulting in fresh pages (a quarter of the time went there). No fake
/// stack for use-after-return: the library hands out heap memory only, and the fake
/// stack frames of every call through the C layer cost another quarter.
#[unsafe(no_mangle)]
pub extern "C" fn __asan_default_options() -> *const core::ffi::c_char {
    c"quarantine_size_mb=16:detect_stack_use_after_return=0".as_ptr()
}

fuzz_target!(|data: &[u8]| {
    iggy_consensus_fuzz::buffer_model::check(data, stats);
});
