//! EvictionHeader (§b.5, primary → client, ends the session, header-only): command
//! Eviction (13), not sealed, rejected on a replica's inbound path.

use super::{
    EvictionHeader, Header, ValidationError, all_zero, expect_command, field, header_only, rule,
};
use crate::wire::EvictionReason;
use crate::wire::command::Command;

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
