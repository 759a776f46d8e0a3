//! RequestStartViewHeader (§b.13): command RequestStartView (17), sealed.

use super::{Header, RequestStartViewHeader, ValidationError, expect_command, rule};
use crate::wire::command::Command;

impl Header for RequestStartViewHeader {
    const COMMAND: Command = Command::RequestStartView;

    /// The command, then `release == 0`.
    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.release == 0, c"release must be 0")
    }
}
