//! CommitHeader (§b.9, primary → replicas, header-only): command Commit (9), sealed.

use super::{Header, ValidationError, header};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use crate::wire::validate::Rule;

header! {
    /// The primary's commit heartbeat: how far the log is committed. Header-only.
    pub struct CommitHeader {
        /// The `checksum` of the prepare at `commit`.
        commit_checksum: u128 = 128,
        /// The primary's monotonic clock when it sent the heartbeat (not checked).
        timestamp_monotonic: u64 = 144,
        /// The primary's commit number: every op up to it is committed.
        commit: u64 = 152,
        /// The op of the latest checkpoint.
        checkpoint_op: u64 = 160,
        /// The consensus group (a partition, or the metadata plane at 2^63).
        group: u64 = 168,
        /// Not checked.
        reserved: [u8; 80] = 176,
    }
}

impl Header for CommitHeader {
    const COMMAND: Command = Command::Commit;

    fn validate(&self) -> Result<(), ValidationError> {
        if self.command != Command::Commit {
            return Err(ValidationError::new(
                Rule::Validate,
                ConsensusError::CommitInvalidCommand,
                c"command must be Commit",
            ));
        }
        if self.size as usize != HEADER_SIZE {
            return Err(ValidationError::new(
                Rule::Validate,
                ConsensusError::CommitInvalidSize(self.size),
                c"commit size must be 256",
            )
            .with(HEADER_SIZE as u64, self.size.into()));
        }
        Ok(())
    }
}
