//! RequestHeader (§b.2, client → primary) and RoutedRequestHeader (§b.3, its
//! server-internal shape): command Request (5), not sealed, the same rules.

use super::{Header, assert_layout, expect_command, field};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use crate::wire::operation::Operation;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// A client request, as it arrives from a client.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct RequestHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    /// Client id; must be non-zero.
    pub client: u128,
    /// Integrity stamp over the payload; 0 = unstamped. Not checked.
    pub request_checksum: u128,
    pub timestamp: u64,
    /// Client request number.
    pub request: u64,
    pub operation: Operation,
    pub operation_padding: [u8; 7],
    /// Session fence epoch.
    pub session: u64,
    /// Acting user, stamped by the server.
    pub user_id: u32,
    /// Not checked. `reserved[0..4]` carries the legacy command code of a
    /// NonReplicated request; `reserved[52..60]` becomes the routed `group`.
    pub reserved: [u8; 60],
}

assert_layout!(RequestHeader {
    client: 128,
    request_checksum: 144,
    timestamp: 160,
    request: 168,
    operation: 176,
    operation_padding: 177,
    session: 184,
    user_id: 192,
    reserved: 196,
});

/// A request after the primary resolved its consensus group: the last 8 reserved
/// bytes of [`RequestHeader`] are `group`. The inbound `Request` variant has this type.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct RoutedRequestHeader {
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
    pub request_checksum: u128,
    pub timestamp: u64,
    pub request: u64,
    pub operation: Operation,
    pub operation_padding: [u8; 7],
    pub session: u64,
    pub user_id: u32,
    /// Same bytes as `RequestHeader::reserved[0..52]`. Not checked.
    pub reserved: [u8; 52],
    /// The resolved consensus group (§a.2). Not checked.
    pub group: u64,
}

assert_layout!(RoutedRequestHeader {
    client: 128,
    request_checksum: 144,
    timestamp: 160,
    request: 168,
    operation: 176,
    operation_padding: 177,
    session: 184,
    user_id: 192,
    reserved: 196,
    group: 248,
});

/// The request rules (§e.1), shared by both shapes.
fn validate_request(
    command: Command,
    client: u128,
    operation: Operation,
    session: u64,
    request: u64,
) -> Result<(), ConsensusError> {
    expect_command::<RequestHeader>(command)?;
    if client == 0 {
        return Err(field(c"request: client must be != 0"));
    }
    match operation {
        Operation::Reserved => Err(field(c"operation must not be Reserved")),
        Operation::Register if session != 0 => Err(field(c"register: session must be 0")),
        Operation::Register if request != 0 => Err(field(c"register: request must be 0")),
        Operation::Register | Operation::NonReplicated => Ok(()),
        _ if session == 0 => Err(field(c"non-register: session must be > 0")),
        _ if request == 0 => Err(field(c"non-register: request must be > 0")),
        _ => Ok(()),
    }
}

impl Header for RequestHeader {
    const COMMAND: Command = Command::Request;

    fn validate(&self) -> Result<(), ConsensusError> {
        validate_request(
            self.command,
            self.client,
            self.operation,
            self.session,
            self.request,
        )
    }
}

impl Header for RoutedRequestHeader {
    const COMMAND: Command = Command::Request;

    fn validate(&self) -> Result<(), ConsensusError> {
        validate_request(
            self.command,
            self.client,
            self.operation,
            self.session,
            self.request,
        )
    }
}
