//! ReplyHeader (§b.4, primary → client): command Reply (8), not sealed, rejected on a
//! replica's inbound path.

use super::{Header, assert_layout};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use crate::wire::operation::Operation;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// The answer to a client request.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct ReplyHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    /// Echoed from the request.
    pub request_checksum: u128,
    /// 0 in practice.
    pub context: u128,
    pub client: u128,
    pub op: u64,
    pub commit: u64,
    pub timestamp: u64,
    pub request: u64,
    pub operation: Operation,
    pub operation_padding: [u8; 7],
    /// 0 = ok; otherwise an IggyError code for a denial before commit. Not checked.
    pub status: u32,
    pub reserved: [u8; 36],
}

assert_layout!(ReplyHeader {
    request_checksum: 128,
    context: 144,
    client: 160,
    op: 176,
    commit: 184,
    timestamp: 192,
    request: 200,
    operation: 208,
    operation_padding: 209,
    status: 216,
    reserved: 220,
});

impl Header for ReplyHeader {
    const COMMAND: Command = Command::Reply;

    /// Only the command is checked; status, padding and reserved bytes are free.
    fn validate(&self) -> Result<(), ConsensusError> {
        if self.command != Command::Reply {
            return Err(ConsensusError::ReplyInvalidCommand);
        }
        Ok(())
    }
}
