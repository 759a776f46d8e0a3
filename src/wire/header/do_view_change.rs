//! DoViewChangeHeader (§b.11): command DoViewChange (11), sealed. The body is a suffix
//! of PrepareHeaders (rule S in `suffix.rs`).

use super::suffix::suffix_len;
use super::{Header, assert_layout, expect_command, field};
use crate::wire::DVC_HEADERS_MAX;
use crate::wire::command::Command;
use crate::wire::error::{ConsensusError, FieldError, SuffixFrame};
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// A replica's log summary sent to the new primary.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct DoViewChangeHeader {
    pub checksum: u128,
    pub checksum_body: u128,
    pub cluster: u128,
    /// `256 + 256 × k`, `k <= 128`.
    pub size: u32,
    pub view: u32,
    /// Must be 0.
    pub release: u32,
    pub command: Command,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    /// Highest op in the sender's log.
    pub op: u64,
    /// Highest committed op; must not exceed `op`.
    pub commit: u64,
    pub group: u64,
    /// The view in which the sender's status was last normal; must not exceed `view`.
    pub log_view: u32,
    pub reserved: [u8; 68],
    /// Bit i: the sender never prepared suffix entry i. No bit at or past `k`.
    pub nack_bitset: u128,
    /// Bit i: the sender can serve the body of suffix entry i. No bit at or past `k`.
    pub present_bitset: u128,
}

assert_layout!(DoViewChangeHeader {
    op: 128,
    commit: 136,
    group: 144,
    log_view: 152,
    reserved: 156,
    nack_bitset: 224,
    present_bitset: 240,
});

impl Header for DoViewChangeHeader {
    const COMMAND: Command = Command::DoViewChange;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.release != 0 {
            return Err(field(c"release must be 0"));
        }
        if self.log_view > self.view {
            return Err(field(c"log_view cannot exceed view"));
        }
        if self.commit > self.op {
            return Err(field(c"commit cannot exceed op"));
        }
        let entries = suffix_len(SuffixFrame::DoViewChange, self.size)?;
        if entries < DVC_HEADERS_MAX {
            let past_suffix = u128::MAX << entries;
            if (self.nack_bitset | self.present_bitset) & past_suffix != 0 {
                return Err(ConsensusError::InvalidField(FieldError::BitsetPastSuffix {
                    entries,
                }));
            }
        }
        Ok(())
    }
}
