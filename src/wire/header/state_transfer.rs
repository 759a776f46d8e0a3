//! State transfer (§b.16–§b.19), all sealed: RequestStateTransferHeader (22) asks for
//! a snapshot, StateTransferTargetHeader (23) offers one, RequestStateChunkHeader (24)
//! asks for a chunk, StateChunkHeader (25) carries it.

use super::{
    Header, RequestStateChunkHeader, RequestStateTransferHeader, StateChunkHeader,
    StateTransferTargetHeader, ValidationError, expect_command, header_only, rule,
};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;

impl Header for RequestStateTransferHeader {
    const COMMAND: Command = Command::RequestStateTransfer;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        header_only(self.size)
    }
}

impl Header for StateTransferTargetHeader {
    const COMMAND: Command = Command::StateTransferTarget;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.available <= 1, c"available must be 0 or 1")?;
        rule(
            self.unavailable_transient <= 1,
            c"unavailable_transient must be 0 or 1",
        )?;
        rule(
            !(self.available == 1 && self.unavailable_transient == 1),
            c"unavailable_transient must be 0 on an available offer",
        )?;
        rule(
            self.available == 1 || self.size as usize == HEADER_SIZE,
            c"unavailable descriptor must be header-only",
        )
    }
}

impl Header for RequestStateChunkHeader {
    const COMMAND: Command = Command::RequestStateChunk;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.len != 0, c"chunk len must be non-zero")?;
        header_only(self.size)
    }
}

impl Header for StateChunkHeader {
    const COMMAND: Command = Command::StateChunk;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(
            self.size as usize >= HEADER_SIZE,
            c"state chunk size below header size",
        )
    }
}
