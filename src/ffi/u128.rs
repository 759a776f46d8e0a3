//! `iggy_u128`: a wire `u128` as C sees it. The header views that use it (one per header
//! type) are written into the C header by the generator (`make gen`) from the core's
//! layout tables; Rust code reads headers through the core types instead.

/// A wire `u128`: the two little-endian halves, least significant first.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct iggy_u128 {
    /// Bits 0..64.
    pub lo: u64,
    /// Bits 64..128.
    pub hi: u64,
}

impl From<u128> for iggy_u128 {
    fn from(value: u128) -> Self {
        Self {
            lo: value as u64,
            hi: (value >> 64) as u64,
        }
    }
}

impl From<iggy_u128> for u128 {
    fn from(value: iggy_u128) -> Self {
        u128::from(value.hi) << 64 | u128::from(value.lo)
    }
}
