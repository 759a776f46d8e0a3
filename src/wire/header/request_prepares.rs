//! Log repair: RequestPreparesHeader (§b.14, command 18) asks for a range of prepares;
//! RepairRangeReplyHeader (§b.15, commands RepairDone 20 and RangeEvicted 21) ends the
//! answer. Both sealed.

use super::{Header, Rule, ValidationError, expect_command, header, rule};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;

header! {
    /// A request for the prepares `from_op..=to_op` (log repair).
    pub struct RequestPreparesHeader {
        /// Matches the answer to the request. Not checked (0 is allowed).
        nonce: u128 = 128,
        /// The first op of the range: `1 <= from_op <= to_op`.
        from_op: u64 = 144,
        /// The last op of the range, inclusive.
        to_op: u64 = 152,
        /// The consensus group.
        group: u64 = 160,
        /// Not checked.
        reserved: [u8; 88] = 168,
    }
}

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

header! {
    /// The end of a repair answer: RepairDone (20, `op` = the last op served) or
    /// RangeEvicted (21, `op` = the oldest op still retained). One layout for both; the
    /// type's own command is RepairDone.
    pub struct RepairRangeReplyHeader {
        /// The `nonce` of the RequestPrepares this answers.
        nonce: u128 = 128,
        /// RepairDone: the last op served. RangeEvicted: the oldest op still retained.
        op: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// Not checked.
        reserved: [u8; 96] = 160,
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
