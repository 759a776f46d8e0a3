//! GenericHeader (§b.1): the type-erased view of any frame.

use super::{Header, ValidationError, header};
use crate::wire::command::Command;

header! {
    /// Any frame, seen through the preamble. Its only constrained byte is the command
    /// (any of 0..=29); `validate()` always passes. Commands 14–16 (the replica
    /// handshake) carry their data in `reserved_command`, which this layer does not check.
    pub struct GenericHeader {
        /// Opaque per-command bytes (the replica handshake's nonces and MACs).
        reserved_command: [u8; 128] = 128,
    }
}

impl Header for GenericHeader {
    const COMMAND: Command = Command::Reserved;

    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}
