//! The integration tests that need no process of their own, in one test binary: one
//! build and one link instead of ten (every `cargo test` and every mutant of
//! `make mutants` pays for each binary). Each module is one subject and says what it
//! checks. The tests that count allocations with a global allocator or install a panic
//! hook stay in binaries of their own (`tests/*.rs`), since a process has one of each.

#[path = "../common/mod.rs"]
mod common;

mod abi_version;
mod batch_vectors;
mod ffi_batch;
mod ffi_boundary;
mod ffi_names;
mod ffi_stream;
mod ffi_validate;
mod mutation_gaps;
mod mutation_gaps_ffi;
mod vectors;
