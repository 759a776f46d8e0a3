//! Forwarded session operations between a backup and the primary (§b.20–§b.23), all
//! sealed and header-only: ForwardRegister (26), ForwardRegisterResult (27),
//! ForwardLogout (28), ForwardLogoutResult (29), and the shared forward frame rule F.
//! `reserved_frame` is not checked on these frames.

use super::{
    ForwardLogoutHeader, ForwardLogoutResultHeader, ForwardRegisterHeader,
    ForwardRegisterResultHeader, Header, ValidationError, all_zero, expect_command, header_only,
    rule,
};
use crate::wire::ForwardLogoutOutcome;
use crate::wire::ForwardRegisterOutcome;
use crate::wire::command::Command;

/// Rule F(client, nonce, reserved): header-only, non-zero client and nonce, zero
/// reserved bytes (the per-type `reserved` array only).
fn forward_frame(
    size: u32,
    client: u128,
    nonce: u128,
    reserved: &[u8],
) -> Result<(), ValidationError> {
    header_only(size)?;
    rule(client != 0, c"forward client must be non-zero")?;
    rule(nonce != 0, c"forward nonce must be non-zero")?;
    rule(all_zero(reserved), c"forward reserved bytes must be zero")
}

impl Header for ForwardRegisterHeader {
    const COMMAND: Command = Command::ForwardRegister;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)
    }
}

impl Header for ForwardRegisterResultHeader {
    const COMMAND: Command = Command::ForwardRegisterResult;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)?;
        rule(
            self.outcome == ForwardRegisterOutcome::Ok || (self.epoch == 0 && self.watermark == 0),
            c"forward register result bind must be zero on failure",
        )
    }
}

impl Header for ForwardLogoutHeader {
    const COMMAND: Command = Command::ForwardLogout;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)?;
        rule(
            self.session != 0,
            c"forward logout session must be non-zero",
        )?;
        rule(
            self.request != 0,
            c"forward logout request must be non-zero",
        )
    }
}

impl Header for ForwardLogoutResultHeader {
    const COMMAND: Command = Command::ForwardLogoutResult;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)?;
        rule(
            self.outcome == ForwardLogoutOutcome::Ok || self.commit == 0,
            c"forward logout result commit must be zero on failure",
        )
    }
}
