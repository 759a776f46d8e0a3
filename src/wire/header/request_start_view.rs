//! RequestStartViewHeader (§b.13): command RequestStartView (17), sealed.

use super::{Header, assert_layout, expect_command, field};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// A recovering replica's request for the current view. `size` is not pinned.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct RequestStartViewHeader {
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
    pub reserved: [u8; 104],
    /// The requester's per-boot incarnation; 0 means no claim.
    pub incarnation: u128,
}

assert_layout!(RequestStartViewHeader {
    group: 128,
    reserved: 136,
    incarnation: 240
});

impl Header for RequestStartViewHeader {
    const COMMAND: Command = Command::RequestStartView;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.release != 0 {
            return Err(field(c"release must be 0"));
        }
        Ok(())
    }
}
