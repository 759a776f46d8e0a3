//! ReplyHeader (§b.4, primary → client): command Reply (8), not sealed, rejected on a
//! replica's inbound path.

use super::{Header, ReplyHeader, ValidationError, own_command};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;

impl Header for ReplyHeader {
    const COMMAND: Command = Command::Reply;

    /// Only the command is checked; status, padding and reserved bytes are free.
    fn validate(&self) -> Result<(), ValidationError> {
        own_command(
            self,
            ConsensusError::ReplyInvalidCommand,
            c"command must be Reply",
        )
    }
}
