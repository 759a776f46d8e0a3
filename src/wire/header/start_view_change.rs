//! StartViewChangeHeader (§b.10, header-only): command StartViewChange (10), sealed.

use super::{Header, ValidationError, expect_command, header, rule};
use crate::wire::command::Command;

header! {
    /// A replica's vote to leave the current view (`view` is the view it proposes).
    pub struct StartViewChangeHeader {
        /// The consensus group.
        group: u64 = 128,
        /// Not checked.
        reserved: [u8; 120] = 136,
    }
}

impl Header for StartViewChangeHeader {
    const COMMAND: Command = Command::StartViewChange;

    /// The command, then `release == 0`.
    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.release == 0, c"release != 0")
    }
}
