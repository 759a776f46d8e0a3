//! PrepareHeader (§b.6, primary → replicas) and RepairPrepareHeader (§b.7, a journaled
//! prepare re-sent for repair): commands Prepare (6) and RepairPrepare (19). Not sealed:
//! `checksum` holds the prepare identity (§f.2), stamped but not verified here.

use super::{Header, all_zero, assert_layout, expect_command, field};
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use crate::wire::operation::Operation;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// A request turned into a log entry. The body is the request body, byte for byte; the
/// primary builds it by rewriting the request's header in place.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct PrepareHeader {
    /// The prepare identity (§f.2); 0 = not stamped.
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    /// Must be all zero.
    pub reserved_frame: [u8; 66],
    pub client: u128,
    /// The `checksum` of the previous prepare (hash chain).
    pub parent: u128,
    pub request_checksum: u128,
    pub op: u64,
    /// The primary's commit_max.
    pub commit: u64,
    pub timestamp: u64,
    pub request: u64,
    /// Reserved is allowed here.
    pub operation: Operation,
    /// Not checked.
    pub operation_padding: [u8; 7],
    pub group: u64,
    pub user_id: u32,
    /// Must be all zero.
    pub reserved: [u8; 28],
}

assert_layout!(PrepareHeader {
    client: 128,
    parent: 144,
    request_checksum: 160,
    op: 176,
    commit: 184,
    timestamp: 192,
    request: 200,
    operation: 208,
    operation_padding: 209,
    group: 216,
    user_id: 224,
    reserved: 228,
});

impl Header for PrepareHeader {
    const COMMAND: Command = Command::Prepare;

    /// Not checked: `operation_padding`, `operation == Reserved`, op/commit order,
    /// `client`, the identity checksum.
    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if !all_zero(&self.reserved_frame) {
            return Err(field(c"prepare: reserved_frame bytes must be zero"));
        }
        if !all_zero(&self.reserved) {
            return Err(field(c"prepare: reserved bytes must be zero"));
        }
        Ok(())
    }
}

/// A journaled prepare re-sent verbatim for repair, with byte 60 rewritten from 6 to
/// 19: exactly the [`PrepareHeader`] layout. Its `checksum` is the identity computed
/// while byte 60 was 6; the receiver rewrites it back before verifying.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
pub struct RepairPrepareHeader(pub PrepareHeader);

const _: () = assert!(core::mem::size_of::<RepairPrepareHeader>() == crate::wire::HEADER_SIZE);
impl super::sealed::Sealed for RepairPrepareHeader {}

impl core::ops::Deref for RepairPrepareHeader {
    type Target = PrepareHeader;
    fn deref(&self) -> &PrepareHeader {
        &self.0
    }
}

impl core::ops::DerefMut for RepairPrepareHeader {
    fn deref_mut(&mut self) -> &mut PrepareHeader {
        &mut self.0
    }
}

impl Header for RepairPrepareHeader {
    const COMMAND: Command = Command::RepairPrepare;

    /// The Prepare rules, with command 19 and `repair_prepare:` texts.
    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if !all_zero(&self.reserved_frame) {
            return Err(field(c"repair_prepare: reserved_frame bytes must be zero"));
        }
        if !all_zero(&self.reserved) {
            return Err(field(c"repair_prepare: reserved bytes must be zero"));
        }
        Ok(())
    }
}
