//! Apache Iggy's consensus (Viewstamped Replication) wire format and its zero-copy,
//! reference-counted, 4096-aligned message buffers.
//!
//! * [`buf`]: [`Owned`](buf::Owned), [`Prefix`](buf::Prefix) and [`Frozen`](buf::Frozen)
//!   buffers (split, freeze, clone, slice, coalesce).
//! * [`wire`]: every header type, the validation rules in the reference's order, the
//!   checksums, the inbound dispatch and the SendMessages batch body.
//! * [`status`]: the outcome codes, each with its number, name and text.
//! * [`stream`]: a sans-I/O frame reader (framing, validation, zero-copy large bodies)
//!   and a frame writer (a bounded queue of frozen frames for vectored writes).
//!
//! The C ABI over this crate lives in the `ffi` module (cargo feature `capi`, on by
//! default); nothing else here knows about C, and the crate builds without it.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

#[cfg(not(target_endian = "little"))]
compile_error!("the Iggy wire format is little-endian and headers are read in place");

/// The library version, `MAJOR.MINOR.PATCH` (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod buf;
#[cfg(feature = "capi")]
pub mod ffi;
pub mod status;
pub mod stream;
pub mod wire;
