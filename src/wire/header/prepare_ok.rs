//! PrepareOkHeader (§b.8, replica → primary): command PrepareOk (7), sealed.

use super::{Header, PrepareOkHeader, ValidationError, expect_command};
use crate::wire::command::Command;

impl Header for PrepareOkHeader {
    const COMMAND: Command = Command::PrepareOk;

    /// Only the command is checked.
    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)
    }
}
