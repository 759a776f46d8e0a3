//! The checks behind the fuzz targets, std-only so that `tests/fuzz_regressions.rs`
//! runs exactly the same code on saved inputs (it includes these files by path).

pub mod alloc_count;
pub mod buffer_model;
pub mod frame_check;
pub mod stream_check;

/// Defines ASan's default options for a fuzz target (every target here); the
/// environment's `ASAN_OPTIONS` come after and win. A 16 MB quarantine instead of
/// 256 MB: one input frees a few hundred KB at most, so a use after free inside it is
/// still caught, and the allocator reuses warm memory instead of faulting in fresh
/// pages (a quarter to a third of the time went there). No fake stack for
/// use-after-return: the library hands out heap memory only (buffers, frames, views
/// into the caller's frame) and static reason texts (`&'static CStr` in the library),
/// and the fake stack frames of every call through the C layer cost another quarter.
#[macro_export]
macro_rules! target_asan_options {
    () => {
        #[unsafe(no_mangle)]
        pub extern "C" fn __asan_default_options() -> *const core::ffi::c_char {
            c"quarantine_size_mb=16:detect_stack_use_after_return=0".as_ptr()
        }
    };
}

/// Defines a fuzz target that checks the library's buffers against a model
/// (`buffer_ops`, `stream`): `check(data, stats)` on every input, under the counting
/// allocator of [`alloc_count`] (which `stats` reads), so that the check can prove
/// everything is freed, with the ASan options of [`target_asan_options!`].
#[macro_export]
macro_rules! model_target {
    ($check:path) => {
        #[global_allocator]
        static ALLOC: $crate::alloc_count::Counting = $crate::alloc_count::Counting;

        $crate::target_asan_options!();

        ::libfuzzer_sys::fuzz_target!(|data: &[u8]| {
            $check(data, $crate::alloc_count::stats);
        });
    };
}
