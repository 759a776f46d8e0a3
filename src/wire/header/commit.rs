//! CommitHeader (§b.9, primary → replicas, header-only): command Commit (9), sealed.

use super::{Header, assert_layout};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// The primary's commit heartbeat.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct CommitHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    /// Must be 256.
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub commit_checksum: u128,
    pub timestamp_monotonic: u64,
    pub commit: u64,
    pub checkpoint_op: u64,
    pub group: u64,
    pub reserved: [u8; 80],
}

assert_layout!(CommitHeader {
    commit_checksum: 128,
    timestamp_monotonic: 144,
    commit: 152,
    checkpoint_op: 160,
    group: 168,
    reserved: 176,
});

impl Header for CommitHeader {
    const COMMAND: Command = Command::Commit;

    fn validate(&self) -> Result<(), ConsensusError> {
        if self.command != Command::Commit {
            return Err(ConsensusError::CommitInvalidCommand);
        }
        if self.size as usize != HEADER_SIZE {
            return Err(ConsensusError::CommitInvalidSize(self.size));
        }
        Ok(())
    }
}
