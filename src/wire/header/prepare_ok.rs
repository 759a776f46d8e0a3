//! PrepareOkHeader (§b.8, replica → primary): command PrepareOk (7), sealed.

use super::{Header, assert_layout, expect_command};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use crate::wire::operation::Operation;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// A replica's acknowledgement of a prepare.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct PrepareOkHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub parent: u128,
    /// `checksum` of the prepare being acknowledged.
    pub prepare_checksum: u128,
    pub op: u64,
    pub commit: u64,
    pub timestamp: u64,
    pub request: u64,
    pub operation: Operation,
    pub operation_padding: [u8; 7],
    pub group: u64,
    pub reserved: [u8; 48],
}

assert_layout!(PrepareOkHeader {
    parent: 128,
    prepare_checksum: 144,
    op: 160,
    commit: 168,
    timestamp: 176,
    request: 184,
    operation: 192,
    operation_padding: 193,
    group: 200,
    reserved: 208,
});

impl Header for PrepareOkHeader {
    const COMMAND: Command = Command::PrepareOk;

    /// Only the command is checked.
    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)
    }
}
