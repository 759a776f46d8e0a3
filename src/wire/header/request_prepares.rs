//! Log repair: RequestPreparesHeader (§b.14, command 18) asks for a range of prepares;
//! RepairRangeReplyHeader (§b.15, commands RepairDone 20 and RangeEvicted 21) ends the
//! answer. Both sealed.

use super::{
    Header, RepairRangeReplyHeader, RequestPreparesHeader, Rule, ValidationError, expect_command,
    rule,
};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;

impl Header for RequestPreparesHeader {
    const COMMAND: Command = Command::RequestPrepares;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(
            self.from_op != 0 && self.from_op <= self.to_op,
            c"repair range must be non-empty and 1-based",
        )
    }
}

impl Header for RepairRangeReplyHeader {
    const COMMAND: Command = Command::RepairDone;

    fn accepts(command: Command) -> bool {
        matches!(command, Command::RepairDone | Command::RangeEvicted)
    }

    fn validate(&self) -> Result<(), ValidationError> {
        if Self::accepts(self.command) {
            return Ok(());
        }
        Err(ValidationError::new(
            Rule::Validate,
            ConsensusError::InvalidCommand {
                expected: Self::COMMAND,
                found: self.command,
            },
            c"command does not match the header type",
        ))
    }
}
