//! GenericHeader (§b.1): the type-erased view of any frame.

use super::{Header, assert_layout};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// Any frame, seen through the preamble. Its only constrained byte is the command
/// (any of 0..=29); `validate()` always passes. Commands 14–16 (the replica handshake)
/// carry their data in `reserved_command`, which this layer does not check.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct GenericHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub reserved_command: [u8; 128],
}

assert_layout!(GenericHeader {
    reserved_command: 128
});

impl Header for GenericHeader {
    const COMMAND: Command = Command::Reserved;

    fn validate(&self) -> Result<(), ConsensusError> {
        Ok(())
    }
}
