//! StartViewChangeHeader (§b.10, header-only): command StartViewChange (10), sealed.

use super::{Header, StartViewChangeHeader, ValidationError, expect_command, rule};
use crate::wire::command::Command;

impl Header for StartViewChangeHeader {
    const COMMAND: Command = Command::StartViewChange;

    /// The command, then `release == 0`.
    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.release == 0, c"release != 0")
    }
}
