//! EvictionHeader (§b.5, primary → client, ends the session, header-only): command
//! Eviction (13), not sealed, rejected on a replica's inbound path. And its reason enum
//! (§c.3).

use super::{Header, all_zero, assert_layout, expect_command, field};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// Why a client was evicted (byte 255). Valid bytes are 0..=15; Reserved (0) is
/// rejected by `validate()`.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub enum EvictionReason {
    Reserved = 0,
    NoSession = 1,
    ClientReleaseTooLow = 2,
    ClientReleaseTooHigh = 3,
    InvalidRequestOperation = 4,
    InvalidRequestBody = 5,
    InvalidRequestBodySize = 6,
    SessionTooLow = 7,
    SessionReleaseMismatch = 8,
    InvalidCredentials = 9,
    InvalidToken = 10,
    UserInactive = 11,
    SessionError = 12,
    StaleClient = 13,
    /// Carries the server's accepted protocol window at 144/148.
    IncompatibleProtocol = 14,
    MalformedLogin = 15,
}

/// The end of a client session.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct EvictionHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    /// Must be all zero.
    pub reserved_frame: [u8; 66],
    /// Must be non-zero.
    pub client: u128,
    /// The "max" of the accepted protocol window (IncompatibleProtocol only).
    pub server_protocol_version: u32,
    /// The "min" of the window (IncompatibleProtocol only).
    pub server_protocol_version_min: u32,
    /// Must be all zero.
    pub reserved: [u8; 103],
    pub reason: EvictionReason,
}

assert_layout!(EvictionHeader {
    client: 128,
    server_protocol_version: 144,
    server_protocol_version_min: 148,
    reserved: 152,
    reason: 255,
});

impl Header for EvictionHeader {
    const COMMAND: Command = Command::Eviction;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.size as usize != HEADER_SIZE {
            return Err(ConsensusError::InvalidSize {
                expected: HEADER_SIZE as u32,
                found: self.size,
            });
        }
        if self.client == 0 {
            return Err(field(c"eviction: client must be != 0"));
        }
        if !all_zero(&self.reserved_frame) {
            return Err(field(c"eviction: reserved_frame bytes must be zero"));
        }
        if !all_zero(&self.reserved) {
            return Err(field(c"eviction: reserved bytes must be zero"));
        }
        let (max, min) = (
            self.server_protocol_version,
            self.server_protocol_version_min,
        );
        match self.reason {
            EvictionReason::Reserved => Err(field(c"eviction: reason must not be Reserved")),
            EvictionReason::IncompatibleProtocol if min == 0 || max < min => Err(field(
                c"eviction: incompatible-protocol window must satisfy 1 <= min <= max",
            )),
            EvictionReason::IncompatibleProtocol => Ok(()),
            _ if max != 0 || min != 0 => {
                Err(field(c"eviction: protocol window bytes must be zero"))
            }
            _ => Ok(()),
        }
    }
}
