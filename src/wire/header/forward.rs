//! Forwarded session operations between a backup and the primary (§b.20–§b.23), all
//! sealed and header-only: ForwardRegister (26), ForwardRegisterResult (27),
//! ForwardLogout (28), ForwardLogoutResult (29); their outcome enums (§c.4, §c.5) and
//! the shared forward frame rule F. `reserved_frame` is not checked on these frames.

use super::{Header, ValidationError, all_zero, expect_command, header, header_only, rule};
use crate::wire::command::Command;
use crate::wire::table::wire_enum;

wire_enum! {
    /// The outcome of a forwarded register (byte 255 of a ForwardRegisterResult):
    /// valid bytes 0..=6.
    pub enum ForwardRegisterOutcome {
        /// The client is registered; `epoch` and `watermark` are set.
        Ok = 0,
        /// The receiver is not the primary.
        NotPrimary = 1,
        /// The primary has not caught up yet.
        NotCaughtUp = 2,
        /// The primary's pipeline is full.
        PipelineFull = 3,
        /// A register of this client is already in progress.
        InProgress = 4,
        /// The register was canceled.
        Canceled = 5,
        /// The client id belongs to another user.
        ClientIdOwnedByAnotherUser = 6,
    }
}

wire_enum! {
    /// The outcome of a forwarded logout (byte 255 of a ForwardLogoutResult): valid
    /// bytes 0..=4.
    pub enum ForwardLogoutOutcome {
        /// The client is logged out; `commit` is set.
        Ok = 0,
        /// The receiver is not the primary.
        NotPrimary = 1,
        /// The primary's pipeline is full.
        PipelineFull = 2,
        /// A logout of this client is already in progress.
        InProgress = 3,
        /// The logout was canceled.
        Canceled = 4,
    }
}

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

header! {
    /// A backup forwarding a client's register to the primary.
    pub struct ForwardRegisterHeader {
        /// The registering client; must be non-zero.
        client: u128 = 128,
        /// Matches the result to the request; must be non-zero.
        nonce: u128 = 144,
        /// The authenticated user.
        user_id: u32 = 160,
        /// Must be all zero.
        reserved: [u8; 92] = 164,
    }
}

impl Header for ForwardRegisterHeader {
    const COMMAND: Command = Command::ForwardRegister;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)
    }
}

header! {
    /// The primary's answer to a forwarded register. Note the order: `nonce` first.
    pub struct ForwardRegisterResultHeader {
        /// The `nonce` of the ForwardRegister; must be non-zero.
        nonce: u128 = 128,
        /// The registering client; must be non-zero.
        client: u128 = 144,
        /// The session's epoch; 0 unless the outcome is Ok.
        epoch: u64 = 160,
        /// The session's request watermark; 0 unless the outcome is Ok.
        watermark: u64 = 168,
        /// Must be all zero.
        reserved: [u8; 79] = 176,
        /// How the register ended.
        outcome: ForwardRegisterOutcome = 255,
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

header! {
    /// A backup forwarding a client's logout to the primary.
    pub struct ForwardLogoutHeader {
        /// The client logging out; must be non-zero.
        client: u128 = 128,
        /// Matches the result to the request; must be non-zero.
        nonce: u128 = 144,
        /// The client's session; must be non-zero.
        session: u64 = 160,
        /// The client's request number; must be non-zero.
        request: u64 = 168,
        /// Must be all zero.
        reserved: [u8; 80] = 176,
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

header! {
    /// The primary's answer to a forwarded logout. Note the order: `nonce` first.
    pub struct ForwardLogoutResultHeader {
        /// The `nonce` of the ForwardLogout; must be non-zero.
        nonce: u128 = 128,
        /// The client logging out; must be non-zero.
        client: u128 = 144,
        /// The op that committed the logout; 0 unless the outcome is Ok.
        commit: u64 = 160,
        /// Must be all zero.
        reserved: [u8; 87] = 168,
        /// How the logout ended.
        outcome: ForwardLogoutOutcome = 255,
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
