//! RequestHeader (§b.2, client → primary) and RoutedRequestHeader (§b.3, its
//! server-internal shape): command Request (5), not sealed, the same rules.

use super::{Header, ValidationError, expect_command, field, header, rule};
use crate::wire::command::Command;
use crate::wire::operation::Operation;

header! {
    /// A client request, as it arrives from a client.
    pub struct RequestHeader {
        /// The client id; must be non-zero.
        client: u128 = 128,
        /// Integrity stamp over the payload; 0 = unstamped. Not checked.
        request_checksum: u128 = 144,
        /// The client's clock. Not checked.
        timestamp: u64 = 160,
        /// The client's request number: 0 for Register, non-zero otherwise.
        request: u64 = 168,
        /// What the request asks for; must not be Reserved.
        operation: Operation = 176,
        /// Not checked.
        operation_padding: [u8; 7] = 177,
        /// The session fence epoch: 0 for Register, non-zero otherwise.
        session: u64 = 184,
        /// The acting user, stamped by the server (the client's value is not trusted).
        user_id: u32 = 192,
        /// Not checked. Bytes 0..4 carry the legacy command code of a NonReplicated
        /// request; bytes 52..60 become the routed `group`.
        reserved: [u8; 60] = 196,
    }
}

header! {
    /// A request after the primary resolved its consensus group: the last 8 reserved
    /// bytes of [`RequestHeader`] are `group`. The inbound `Request` variant has this type.
    pub struct RoutedRequestHeader {
        /// As in [`RequestHeader`].
        client: u128 = 128,
        /// As in [`RequestHeader`].
        request_checksum: u128 = 144,
        /// As in [`RequestHeader`].
        timestamp: u64 = 160,
        /// As in [`RequestHeader`].
        request: u64 = 168,
        /// As in [`RequestHeader`].
        operation: Operation = 176,
        /// Not checked.
        operation_padding: [u8; 7] = 177,
        /// As in [`RequestHeader`].
        session: u64 = 184,
        /// As in [`RequestHeader`].
        user_id: u32 = 192,
        /// The same bytes as `RequestHeader::reserved[0..52]`. Not checked.
        reserved: [u8; 52] = 196,
        /// The resolved consensus group (a partition, or the metadata plane at 2^63). Not
        /// checked.
        group: u64 = 248,
    }
}

/// The request rules (§e.1), shared by both shapes.
fn validate_request(
    command: Command,
    client: u128,
    operation: Operation,
    session: u64,
    request: u64,
) -> Result<(), ValidationError> {
    expect_command::<RequestHeader>(command)?;
    rule(client != 0, c"request: client must be != 0")?;
    match operation {
        Operation::Reserved => Err(field(c"operation must not be Reserved")),
        Operation::Register => {
            rule(session == 0, c"register: session must be 0")?;
            rule(request == 0, c"register: request must be 0")
        }
        Operation::NonReplicated => Ok(()),
        _ => {
            rule(session != 0, c"non-register: session must be > 0")?;
            rule(request != 0, c"non-register: request must be > 0")
        }
    }
}

impl Header for RequestHeader {
    const COMMAND: Command = Command::Request;

    fn validate(&self) -> Result<(), ValidationError> {
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

    fn validate(&self) -> Result<(), ValidationError> {
        validate_request(
            self.command,
            self.client,
            self.operation,
            self.session,
            self.request,
        )
    }
}
