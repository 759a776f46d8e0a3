//! Apache Iggy's consensus (Viewstamped Replication) wire format and its zero-copy,
//! reference-counted, 4096-aligned message buffers.
//!
//! * [`buf`]: [`Owned`](buf::Owned), [`Prefix`](buf::Prefix) and [`Frozen`](buf::Frozen)
//!   buffers (split, freeze, clone, slice, coalesce).
//!
//! The C ABI over this crate lives in the `ffi` module; nothing else here knows about C.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

#[cfg(not(target_endian = "little"))]
compile_error!("the Iggy wire format is little-endian and headers are read in place");

pub mod buf;
pub mod ffi;
pub mod message;
pub mod wire;
