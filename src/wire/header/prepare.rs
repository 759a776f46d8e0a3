//! PrepareHeader (§b.6, primary → replicas) and RepairPrepareHeader (§b.7, a journaled
//! prepare re-sent for repair): commands Prepare (6) and RepairPrepare (19). Not sealed:
//! `checksum` holds the prepare identity (§f.2), stamped but not verified here.

use super::{Header, ValidationError, all_zero, expect_command, header, rule};
use crate::wire::command::Command;
use crate::wire::operation::Operation;

header! {
    /// A request turned into a log entry. The body is the request body, byte for byte;
    /// the primary builds it by rewriting the request's header in place.
    pub struct PrepareHeader {
        /// The client that sent the request (copied from it). Not checked.
        client: u128 = 128,
        /// The `checksum` of the previous prepare: the log's hash chain.
        parent: u128 = 144,
        /// Copied from the request.
        request_checksum: u128 = 160,
        /// The op number: this entry's position in the log.
        op: u64 = 176,
        /// The primary's commit number (commit_max) when it prepared this entry.
        commit: u64 = 184,
        /// The primary's monotonic timestamp for this entry, applied by every replica.
        timestamp: u64 = 192,
        /// The client's request number (copied from the request).
        request: u64 = 200,
        /// The operation (copied from the request); Reserved is allowed here.
        operation: Operation = 208,
        /// Not checked.
        operation_padding: [u8; 7] = 209,
        /// The consensus group of the primary that built it.
        group: u64 = 216,
        /// The acting user (copied from the request).
        user_id: u32 = 224,
        /// Must be all zero.
        reserved: [u8; 28] = 228,
    }
}

header! {
    /// A journaled prepare re-sent verbatim for repair, with byte 60 rewritten from 6 to
    /// 19: exactly the [`PrepareHeader`] layout. Its `checksum` is the identity computed
    /// while byte 60 was 6; the receiver rewrites it back before verifying.
    pub struct RepairPrepareHeader = PrepareHeader;
}

/// The Prepare rules, with the texts of `H` (`prepare:` or `repair_prepare:`): the
/// command, then zero `reserved_frame` and `reserved` bytes. Not checked:
/// `operation_padding`, `operation == Reserved`, op/commit order, `client`, the identity.
fn validate_prepare<H: Header>(
    prepare: &PrepareHeader,
    reserved_frame: &'static core::ffi::CStr,
    reserved: &'static core::ffi::CStr,
) -> Result<(), ValidationError> {
    expect_command::<H>(prepare.command)?;
    rule(all_zero(&prepare.reserved_frame), reserved_frame)?;
    rule(all_zero(&prepare.reserved), reserved)
}

impl Header for PrepareHeader {
    const COMMAND: Command = Command::Prepare;

    fn validate(&self) -> Result<(), ValidationError> {
        validate_prepare::<Self>(
            self,
            c"prepare: reserved_frame bytes must be zero",
            c"prepare: reserved bytes must be zero",
        )
    }
}

impl Header for RepairPrepareHeader {
    const COMMAND: Command = Command::RepairPrepare;

    fn validate(&self) -> Result<(), ValidationError> {
        validate_prepare::<Self>(
            self,
            c"repair_prepare: reserved_frame bytes must be zero",
            c"repair_prepare: reserved bytes must be zero",
        )
    }
}
