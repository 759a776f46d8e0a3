//! RequestStartViewHeader (§b.13): command RequestStartView (17), sealed.

use super::{Header, ValidationError, expect_command, header, rule};
use crate::wire::command::Command;

header! {
    /// A recovering replica's request for the current view. `size` is not pinned.
    pub struct RequestStartViewHeader {
        /// The consensus group.
        group: u64 = 128,
        /// Not checked.
        reserved: [u8; 104] = 136,
        /// The requester's per-boot incarnation, echoed in the StartView; 0 means no claim.
        incarnation: u128 = 240,
    }
}

impl Header for RequestStartViewHeader {
    const COMMAND: Command = Command::RequestStartView;

    /// The command, then `release == 0`.
    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.release == 0, c"release must be 0")
    }
}
