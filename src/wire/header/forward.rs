//! Forwarded session operations between a backup and the primary (§b.20–§b.23), all
//! sealed and header-only: ForwardRegister (26), ForwardRegisterResult (27),
//! ForwardLogout (28), ForwardLogoutResult (29); their outcome enums (§c.4, §c.5) and
//! the shared forward frame rule F. `reserved_frame` is not checked on these frames.

use super::{Header, all_zero, assert_layout, expect_command, field};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// The outcome of a forwarded register (byte 255): valid bytes 0..=6.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub enum ForwardRegisterOutcome {
    Ok = 0,
    NotPrimary = 1,
    NotCaughtUp = 2,
    PipelineFull = 3,
    InProgress = 4,
    Canceled = 5,
    ClientIdOwnedByAnotherUser = 6,
}

/// The outcome of a forwarded logout (byte 255): valid bytes 0..=4.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub enum ForwardLogoutOutcome {
    Ok = 0,
    NotPrimary = 1,
    PipelineFull = 2,
    InProgress = 3,
    Canceled = 4,
}

/// Rule F(client, nonce, reserved): header-only, non-zero client and nonce, zero
/// reserved bytes (the per-type `reserved` array only).
fn forward_frame(
    size: u32,
    client: u128,
    nonce: u128,
    reserved: &[u8],
) -> Result<(), ConsensusError> {
    if size as usize != HEADER_SIZE {
        return Err(ConsensusError::InvalidSize {
            expected: HEADER_SIZE as u32,
            found: size,
        });
    }
    if client == 0 {
        return Err(field(c"forward client must be non-zero"));
    }
    if nonce == 0 {
        return Err(field(c"forward nonce must be non-zero"));
    }
    if !all_zero(reserved) {
        return Err(field(c"forward reserved bytes must be zero"));
    }
    Ok(())
}

/// A backup forwarding a client's register to the primary.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct ForwardRegisterHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: u128,
    pub nonce: u128,
    /// The authenticated user.
    pub user_id: u32,
    pub reserved: [u8; 92],
}

assert_layout!(ForwardRegisterHeader {
    client: 128,
    nonce: 144,
    user_id: 160,
    reserved: 164
});

impl Header for ForwardRegisterHeader {
    const COMMAND: Command = Command::ForwardRegister;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)
    }
}

/// The primary's answer to a forwarded register. Note the order: `nonce` first.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct ForwardRegisterResultHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: u128,
    pub client: u128,
    /// 0 unless the outcome is Ok.
    pub epoch: u64,
    /// 0 unless the outcome is Ok.
    pub watermark: u64,
    pub reserved: [u8; 79],
    pub outcome: ForwardRegisterOutcome,
}

assert_layout!(ForwardRegisterResultHeader {
    nonce: 128,
    client: 144,
    epoch: 160,
    watermark: 168,
    reserved: 176,
    outcome: 255,
});

impl Header for ForwardRegisterResultHeader {
    const COMMAND: Command = Command::ForwardRegisterResult;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)?;
        if self.outcome != ForwardRegisterOutcome::Ok && (self.epoch != 0 || self.watermark != 0) {
            return Err(field(
                c"forward register result bind must be zero on failure",
            ));
        }
        Ok(())
    }
}

/// A backup forwarding a client's logout to the primary.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct ForwardLogoutHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: u128,
    pub nonce: u128,
    /// Must be non-zero.
    pub session: u64,
    /// Must be non-zero.
    pub request: u64,
    pub reserved: [u8; 80],
}

assert_layout!(ForwardLogoutHeader {
    client: 128,
    nonce: 144,
    session: 160,
    request: 168,
    reserved: 176,
});

impl Header for ForwardLogoutHeader {
    const COMMAND: Command = Command::ForwardLogout;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)?;
        if self.session == 0 {
            return Err(field(c"forward logout session must be non-zero"));
        }
        if self.request == 0 {
            return Err(field(c"forward logout request must be non-zero"));
        }
        Ok(())
    }
}

/// The primary's answer to a forwarded logout. Note the order: `nonce` first.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct ForwardLogoutResultHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: u128,
    pub client: u128,
    /// 0 unless the outcome is Ok.
    pub commit: u64,
    pub reserved: [u8; 87],
    pub outcome: ForwardLogoutOutcome,
}

assert_layout!(ForwardLogoutResultHeader {
    nonce: 128,
    client: 144,
    commit: 160,
    reserved: 168,
    outcome: 255,
});

impl Header for ForwardLogoutResultHeader {
    const COMMAND: Command = Command::ForwardLogoutResult;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        forward_frame(self.size, self.client, self.nonce, &self.reserved)?;
        if self.outcome != ForwardLogoutOutcome::Ok && self.commit != 0 {
            return Err(field(
                c"forward logout result commit must be zero on failure",
            ));
        }
        Ok(())
    }
}
