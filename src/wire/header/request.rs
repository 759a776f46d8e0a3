//! RequestHeader (§b.2, client → primary) and RoutedRequestHeader (§b.3, its
//! server-internal shape): command Request (5), not sealed, the same rules.

use super::{
    Header, RequestHeader, RoutedRequestHeader, ValidationError, expect_command, field, rule,
};
use crate::wire::Operation;
use crate::wire::command::Command;

/// The request rules (§e.1), shared by both shapes. Inlined, so that a caller that
/// wants only the verdict (`frame_is_valid`) compiles to the comparisons alone.
#[inline(always)]
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

/// Whether a Request's `validate()` passes on these field values: the verdict of the
/// same rules, for the status-only fast path (`wire::validate::frame_is_valid`).
#[inline(always)]
pub(crate) fn request_rules_hold(
    client: u128,
    operation: Operation,
    session: u64,
    request: u64,
) -> bool {
    validate_request(Command::Request, client, operation, session, request).is_ok()
}

/// Both shapes have the request's fields under the same names, and the same rules.
macro_rules! request_rules {
    ($($header:ident),*) => {$(
        impl Header for $header {
            const COMMAND: Command = Command::Request;

            #[inline]
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
    )*};
}

request_rules!(RequestHeader, RoutedRequestHeader);
