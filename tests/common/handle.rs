//! Caller-owned handles (`iggy_buf`, `iggy_prefix`, `iggy_frozen`) as Rust tests hold
//! them: in `MaybeUninit`, like C memory, so that a handle can hold arbitrary words and
//! moving it (into a thread, through a channel, out of a helper) copies its bytes with
//! their provenance. A bare `iggy_*` struct moved in Rust is a typed copy of
//! `[usize; 4]`, which drops that provenance (see `tests/ffi_buffers.rs`).
//!
//! The FFI tests include this one file (`#[path]`).

#![allow(dead_code)]

use iggy_consensus::ffi::{iggy_buf, iggy_frozen, iggy_prefix};
use std::mem::MaybeUninit;

/// What an uninitialised output holds in these tests.
pub const GARBAGE: [usize; 4] = [0xA5A5_A5A5_A5A5_A5A5_u64 as usize; 4];
/// An empty handle (`IGGY_*_EMPTY`).
pub const ZERO: [usize; 4] = [0; 4];

/// A handle struct that can hold arbitrary words, like C memory.
pub struct H<T>(pub MaybeUninit<T>);

pub type Buf = H<iggy_buf>;
pub type Pre = H<iggy_prefix>;
pub type Fro = H<iggy_frozen>;

impl<T> H<T> {
    /// A handle holding `words`.
    pub fn with(words: [usize; 4]) -> Self {
        assert_eq!(size_of::<T>(), size_of::<[usize; 4]>());
        let mut h = Self(MaybeUninit::uninit());
        // SAFETY: every handle type is four words.
        unsafe { h.0.as_mut_ptr().cast::<[usize; 4]>().write(words) };
        h
    }
    /// An empty handle (`IGGY_*_EMPTY`).
    pub fn empty() -> Self {
        Self::with(ZERO)
    }
    /// An output as an uninitialised struct might hold it.
    pub fn garbage() -> Self {
        Self::with(GARBAGE)
    }
    pub fn p(&self) -> *const T {
        self.0.as_ptr()
    }
    pub fn m(&mut self) -> *mut T {
        self.0.as_mut_ptr()
    }
    /// The four words, as integers (for comparisons only).
    pub fn words(&self) -> [usize; 4] {
        // SAFETY: four initialised words.
        unsafe { self.0.as_ptr().cast::<[usize; 4]>().read() }
    }
}
