//! A small xorshift64 generator: deterministic, no dependency. The integration tests
//! and the crate's own unit tests include this one file (`#[path]`), so that there is
//! one generator.

#![allow(dead_code)]

/// xorshift64 (Marsaglia); the state must not be 0.
pub struct XorShift(pub u64);

impl XorShift {
    /// The next 64 bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `[0, n)`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A length below `max`, zero one time in four.
    pub fn len(&mut self, max: usize) -> usize {
        if self.below(4) == 0 {
            0
        } else {
            self.below(max)
        }
    }
}
