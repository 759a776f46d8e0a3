//! StartViewChangeHeader (§b.10, header-only): command StartViewChange (10), sealed.

use super::{Header, assert_layout, expect_command, field};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// A replica's vote to leave the current view.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct StartViewChangeHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    /// Must be 0.
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub group: u64,
    pub reserved: [u8; 120],
}

assert_layout!(StartViewChangeHeader {
    group: 128,
    reserved: 136
});

impl Header for StartViewChangeHeader {
    const COMMAND: Command = Command::StartViewChange;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.release != 0 {
            return Err(field(c"release != 0"));
        }
        Ok(())
    }
}
