//! ReplyHeader (§b.4, primary → client): command Reply (8), not sealed, rejected on a
//! replica's inbound path.

use super::{Header, ValidationError, header};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use crate::wire::operation::Operation;
use crate::wire::validate::Rule;

header! {
    /// The answer to a client request; the body is the result.
    pub struct ReplyHeader {
        /// Echoed from the request.
        request_checksum: u128 = 128,
        /// 0 in practice.
        context: u128 = 144,
        /// The client the reply is for.
        client: u128 = 160,
        /// The op of the prepare that answered the request.
        op: u64 = 176,
        /// The commit number (equal to `op` for a reply to a committed prepare).
        commit: u64 = 184,
        /// The prepare's timestamp.
        timestamp: u64 = 192,
        /// The client's request number.
        request: u64 = 200,
        /// The operation of the request.
        operation: Operation = 208,
        /// Not checked.
        operation_padding: [u8; 7] = 209,
        /// 0 = ok; otherwise an IggyError code for a denial before commit. Not checked.
        status: u32 = 216,
        /// Not checked.
        reserved: [u8; 36] = 220,
    }
}

impl Header for ReplyHeader {
    const COMMAND: Command = Command::Reply;

    /// Only the command is checked; status, padding and reserved bytes are free.
    fn validate(&self) -> Result<(), ValidationError> {
        if self.command != Command::Reply {
            return Err(ValidationError::new(
                Rule::Validate,
                ConsensusError::ReplyInvalidCommand,
                c"command must be Reply",
            ));
        }
        Ok(())
    }
}
