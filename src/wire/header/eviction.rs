//! EvictionHeader (§b.5, primary → client, ends the session, header-only): command
//! Eviction (13), not sealed, rejected on a replica's inbound path. And its reason enum
//! (§c.3).

use super::{Header, ValidationError, all_zero, expect_command, field, header, header_only, rule};
use crate::wire::command::Command;
use crate::wire::table::wire_enum;

wire_enum! {
    /// Why a client was evicted (byte 255 of an Eviction). Valid bytes are 0..=15;
    /// Reserved (0) is rejected by `validate()`.
    pub enum EvictionReason {
        /// Rejected by `validate()`.
        Reserved = 0,
        /// The client has no session.
        NoSession = 1,
        /// The client's release is too old.
        ClientReleaseTooLow = 2,
        /// The client's release is too new.
        ClientReleaseTooHigh = 3,
        /// The request's operation is not allowed.
        InvalidRequestOperation = 4,
        /// The request's body is malformed.
        InvalidRequestBody = 5,
        /// The request's body has the wrong size.
        InvalidRequestBodySize = 6,
        /// The session number is too low (a stale session).
        SessionTooLow = 7,
        /// The session's release does not match.
        SessionReleaseMismatch = 8,
        /// Login failed.
        InvalidCredentials = 9,
        /// The access token is invalid.
        InvalidToken = 10,
        /// The user is inactive.
        UserInactive = 11,
        /// A session error.
        SessionError = 12,
        /// The client was evicted as stale.
        StaleClient = 13,
        /// The protocol versions do not overlap; the frame carries the server's window
        /// at bytes 144 and 148.
        IncompatibleProtocol = 14,
        /// The login request was malformed.
        MalformedLogin = 15,
    }
}

header! {
    /// The end of a client session, with the reason. Header-only.
    pub struct EvictionHeader {
        /// The evicted client; must be non-zero.
        client: u128 = 128,
        /// The newest protocol version the server accepts (IncompatibleProtocol only).
        server_protocol_version: u32 = 144,
        /// The oldest protocol version the server accepts (IncompatibleProtocol only).
        server_protocol_version_min: u32 = 148,
        /// Must be all zero.
        reserved: [u8; 103] = 152,
        /// Why the client was evicted; must not be Reserved.
        reason: EvictionReason = 255,
    }
}

impl Header for EvictionHeader {
    const COMMAND: Command = Command::Eviction;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        header_only(self.size)?;
        rule(self.client != 0, c"eviction: client must be != 0")?;
        rule(
            all_zero(&self.reserved_frame),
            c"eviction: reserved_frame bytes must be zero",
        )?;
        rule(
            all_zero(&self.reserved),
            c"eviction: reserved bytes must be zero",
        )?;
        let (max, min) = (
            self.server_protocol_version,
            self.server_protocol_version_min,
        );
        match self.reason {
            EvictionReason::Reserved => Err(field(c"eviction: reason must not be Reserved")),
            EvictionReason::IncompatibleProtocol => rule(
                min != 0 && min <= max,
                c"eviction: incompatible-protocol window must satisfy 1 <= min <= max",
            ),
            _ => rule(
                max == 0 && min == 0,
                c"eviction: protocol window bytes must be zero",
            ),
        }
    }
}
