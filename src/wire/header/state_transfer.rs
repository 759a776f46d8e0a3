//! State transfer (§b.16–§b.19), all sealed: RequestStateTransferHeader (22) asks for
//! a snapshot, StateTransferTargetHeader (23) offers one, RequestStateChunkHeader (24)
//! asks for a chunk, StateChunkHeader (25) carries it.

use super::{Header, assert_layout, expect_command, field};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;
use crate::wire::error::ConsensusError;
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// `size != 256` → `InvalidSize{256, size}`.
fn header_only(size: u32) -> Result<(), ConsensusError> {
    if size as usize == HEADER_SIZE {
        Ok(())
    } else {
        Err(ConsensusError::InvalidSize {
            expected: HEADER_SIZE as u32,
            found: size,
        })
    }
}

/// A request for a state transfer (header-only: `size` must be 256).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct RequestStateTransferHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: u128,
    pub group: u64,
    pub reserved: [u8; 104],
}

assert_layout!(RequestStateTransferHeader {
    nonce: 128,
    group: 144,
    reserved: 152
});

impl Header for RequestStateTransferHeader {
    const COMMAND: Command = Command::RequestStateTransfer;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        header_only(self.size)
    }
}

/// A state transfer offer. With `available = 1` the body is a manifest (any size);
/// with `available = 0` the frame is header-only.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct StateTransferTargetHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: u128,
    /// The serving primary's applied frontier.
    pub commit_op: u64,
    pub group: u64,
    /// 0 or 1 (a validated integer, not an enum).
    pub available: u8,
    /// 0 or 1, and 0 when `available = 1`.
    pub unavailable_transient: u8,
    pub reserved_alignment: [u8; 6],
    /// The serving replica's commit_max.
    pub commit_max: u64,
    pub reserved: [u8; 80],
}

assert_layout!(StateTransferTargetHeader {
    nonce: 128,
    commit_op: 144,
    group: 152,
    available: 160,
    unavailable_transient: 161,
    reserved_alignment: 162,
    commit_max: 168,
    reserved: 176,
});

impl Header for StateTransferTargetHeader {
    const COMMAND: Command = Command::StateTransferTarget;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.available > 1 {
            return Err(field(c"available must be 0 or 1"));
        }
        if self.unavailable_transient > 1 {
            return Err(field(c"unavailable_transient must be 0 or 1"));
        }
        if self.available == 1 && self.unavailable_transient == 1 {
            return Err(field(
                c"unavailable_transient must be 0 on an available offer",
            ));
        }
        if self.available == 0 && self.size as usize != HEADER_SIZE {
            return Err(field(c"unavailable descriptor must be header-only"));
        }
        Ok(())
    }
}

/// A request for `len` bytes at `offset` of artifact `artifact` (header-only).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct RequestStateChunkHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: u128,
    /// Byte offset within the artifact.
    pub offset: u64,
    pub group: u64,
    /// Requested chunk length; must be non-zero.
    pub len: u32,
    /// Index into the offered manifest. Not checked here.
    pub artifact: u32,
    pub reserved: [u8; 88],
}

assert_layout!(RequestStateChunkHeader {
    nonce: 128,
    offset: 144,
    group: 152,
    len: 160,
    artifact: 164,
    reserved: 168,
});

impl Header for RequestStateChunkHeader {
    const COMMAND: Command = Command::RequestStateChunk;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.len == 0 {
            return Err(field(c"chunk len must be non-zero"));
        }
        header_only(self.size)
    }
}

/// A chunk of state; the body is the chunk payload.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct StateChunkHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: u128,
    pub offset: u64,
    pub group: u64,
    /// Not checked here.
    pub artifact: u32,
    pub reserved: [u8; 92],
}

assert_layout!(StateChunkHeader {
    nonce: 128,
    offset: 144,
    group: 152,
    artifact: 160,
    reserved: 164,
});

impl Header for StateChunkHeader {
    const COMMAND: Command = Command::StateChunk;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if (self.size as usize) < HEADER_SIZE {
            return Err(field(c"state chunk size below header size"));
        }
        Ok(())
    }
}
