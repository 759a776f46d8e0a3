//! CommitHeader (§b.9, primary → replicas, header-only): command Commit (9), sealed.

use super::{CommitHeader, Header, ValidationError, own_command};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use crate::wire::validate::Rule;

impl Header for CommitHeader {
    const COMMAND: Command = Command::Commit;

    #[inline]
    fn validate(&self) -> Result<(), ValidationError> {
        own_command(
            self,
            ConsensusError::CommitInvalidCommand,
            c"command must be Commit",
        )?;
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
