//! Log repair: RequestPreparesHeader (§b.14, command 18) asks for a range of prepares;
//! RepairRangeReplyHeader (§b.15, commands RepairDone 20 and RangeEvicted 21) ends the
//! answer. Both sealed.

use super::{Header, assert_layout, expect_command, field};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// A request for the prepares `from_op..=to_op`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct RequestPreparesHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    /// Not checked (0 is allowed).
    pub nonce: u128,
    /// First op of the range: `1 <= from_op <= to_op`.
    pub from_op: u64,
    /// Last op of the range, inclusive.
    pub to_op: u64,
    pub group: u64,
    pub reserved: [u8; 88],
}

assert_layout!(RequestPreparesHeader {
    nonce: 128,
    from_op: 144,
    to_op: 152,
    group: 160,
    reserved: 168,
});

impl Header for RequestPreparesHeader {
    const COMMAND: Command = Command::RequestPrepares;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.from_op == 0 || self.from_op > self.to_op {
            return Err(field(c"repair range must be non-empty and 1-based"));
        }
        Ok(())
    }
}

/// The end of a repair answer: RepairDone (20, `op` = the last op served) or
/// RangeEvicted (21, `op` = the oldest op still retained). One layout for both; the
/// type's own command is RepairDone.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct RepairRangeReplyHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: u128,
    pub op: u64,
    pub group: u64,
    pub reserved: [u8; 96],
}

assert_layout!(RepairRangeReplyHeader {
    nonce: 128,
    op: 144,
    group: 152,
    reserved: 160,
});

impl Header for RepairRangeReplyHeader {
    const COMMAND: Command = Command::RepairDone;

    fn accepts(command: Command) -> bool {
        matches!(command, Command::RepairDone | Command::RangeEvicted)
    }

    fn validate(&self) -> Result<(), ConsensusError> {
        if Self::accepts(self.command) {
            Ok(())
        } else {
            Err(ConsensusError::InvalidCommand {
                expected: Self::COMMAND,
                found: self.command,
            })
        }
    }
}
