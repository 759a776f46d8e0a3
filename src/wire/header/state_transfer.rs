//! State transfer (§b.16–§b.19), all sealed: RequestStateTransferHeader (22) asks for
//! a snapshot, StateTransferTargetHeader (23) offers one, RequestStateChunkHeader (24)
//! asks for a chunk, StateChunkHeader (25) carries it.

use super::{Header, ValidationError, expect_command, header, header_only, rule};
use crate::wire::HEADER_SIZE;
use crate::wire::command::Command;

header! {
    /// A lagging replica's request for a state transfer. Header-only.
    pub struct RequestStateTransferHeader {
        /// Matches the offer to the request. Not checked.
        nonce: u128 = 128,
        /// The consensus group.
        group: u64 = 144,
        /// Not checked.
        reserved: [u8; 104] = 152,
    }
}

impl Header for RequestStateTransferHeader {
    const COMMAND: Command = Command::RequestStateTransfer;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        header_only(self.size)
    }
}

header! {
    /// A state transfer offer. With `available = 1` the body is a manifest (any size);
    /// with `available = 0` the frame is header-only.
    pub struct StateTransferTargetHeader {
        /// The `nonce` of the request this answers.
        nonce: u128 = 128,
        /// The serving primary's applied frontier (the last op its state includes).
        commit_op: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// 1: a snapshot is offered (manifest in the body); 0: none. Must be 0 or 1.
        available: u8 = 160,
        /// With `available = 0`: 1 if the lack is transient. Must be 0 or 1, and 0 when
        /// `available = 1`.
        unavailable_transient: u8 = 161,
        /// Not checked.
        reserved_alignment: [u8; 6] = 162,
        /// The serving replica's commit_max.
        commit_max: u64 = 168,
        /// Not checked.
        reserved: [u8; 80] = 176,
    }
}

impl Header for StateTransferTargetHeader {
    const COMMAND: Command = Command::StateTransferTarget;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.available <= 1, c"available must be 0 or 1")?;
        rule(
            self.unavailable_transient <= 1,
            c"unavailable_transient must be 0 or 1",
        )?;
        rule(
            !(self.available == 1 && self.unavailable_transient == 1),
            c"unavailable_transient must be 0 on an available offer",
        )?;
        rule(
            self.available == 1 || self.size as usize == HEADER_SIZE,
            c"unavailable descriptor must be header-only",
        )
    }
}

header! {
    /// A request for `len` bytes at `offset` of artifact `artifact`. Header-only.
    pub struct RequestStateChunkHeader {
        /// Matches the chunk to the request.
        nonce: u128 = 128,
        /// The byte offset within the artifact.
        offset: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// The requested chunk length in bytes; must be non-zero.
        len: u32 = 160,
        /// The index of the artifact in the offered manifest. Not checked here.
        artifact: u32 = 164,
        /// Not checked.
        reserved: [u8; 88] = 168,
    }
}

impl Header for RequestStateChunkHeader {
    const COMMAND: Command = Command::RequestStateChunk;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.len != 0, c"chunk len must be non-zero")?;
        header_only(self.size)
    }
}

header! {
    /// One chunk of state; the body is the chunk's bytes.
    pub struct StateChunkHeader {
        /// The `nonce` of the request this answers.
        nonce: u128 = 128,
        /// The byte offset of the chunk within the artifact.
        offset: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// The index of the artifact in the manifest. Not checked here.
        artifact: u32 = 160,
        /// Not checked.
        reserved: [u8; 92] = 164,
    }
}

impl Header for StateChunkHeader {
    const COMMAND: Command = Command::StateChunk;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(
            self.size as usize >= HEADER_SIZE,
            c"state chunk size below header size",
        )
    }
}
