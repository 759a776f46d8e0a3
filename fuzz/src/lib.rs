//! The checks behind the fuzz targets, std-only so that `tests/fuzz_regressions.rs`
//! runs exactly the same code on saved inputs (it includes these files by path).

pub mod alloc_count;
pub mod buffer_model;
pub mod frame_check;
pub mod stream_check;
