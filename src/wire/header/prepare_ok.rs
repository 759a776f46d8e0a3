//! PrepareOkHeader (§b.8, replica → primary): command PrepareOk (7), sealed.

use super::{Header, ValidationError, expect_command, header};
use crate::wire::command::Command;
use crate::wire::operation::Operation;

header! {
    /// A backup's acknowledgement that a prepare is durably in its log.
    pub struct PrepareOkHeader {
        /// The acknowledged prepare's `parent`.
        parent: u128 = 128,
        /// The `checksum` (identity) of the prepare being acknowledged.
        prepare_checksum: u128 = 144,
        /// The acknowledged prepare's op number.
        op: u64 = 160,
        /// The sender's commit number.
        commit: u64 = 168,
        /// The acknowledged prepare's timestamp.
        timestamp: u64 = 176,
        /// The acknowledged prepare's client request number.
        request: u64 = 184,
        /// The acknowledged prepare's operation.
        operation: Operation = 192,
        /// Not checked.
        operation_padding: [u8; 7] = 193,
        /// The consensus group.
        group: u64 = 200,
        /// Not checked.
        reserved: [u8; 48] = 208,
    }
}

impl Header for PrepareOkHeader {
    const COMMAND: Command = Command::PrepareOk;

    /// Only the command is checked.
    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)
    }
}
