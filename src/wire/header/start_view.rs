//! StartViewHeader (§b.12): command StartView (12), sealed. The body is a suffix of
//! PrepareHeaders (rule S in `suffix.rs`).

use super::suffix::suffix_len;
use super::{Header, assert_layout, expect_command, field};
use crate::wire::command::Command;
use crate::wire::error::{ConsensusError, SuffixFrame};
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// The new primary's announcement of the view.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, CheckedBitPattern, NoUninit, Zeroable)]
#[allow(missing_docs)]
pub struct StartViewHeader {
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
    /// Highest op in the new primary's log.
    pub op: u64,
    /// The maximum commit over the DVCs; must not exceed `op`.
    pub commit: u64,
    pub group: u64,
    pub reserved: [u8; 88],
    /// Echoed from a RequestStartView; 0 on an unsolicited StartView. Free.
    pub incarnation: u128,
}

assert_layout!(StartViewHeader {
    op: 128,
    commit: 136,
    group: 144,
    reserved: 152,
    incarnation: 240,
});

impl Header for StartViewHeader {
    const COMMAND: Command = Command::StartView;

    fn validate(&self) -> Result<(), ConsensusError> {
        expect_command::<Self>(self.command)?;
        if self.release != 0 {
            return Err(field(c"release must be 0"));
        }
        if self.commit > self.op {
            return Err(field(c"commit cannot exceed op"));
        }
        suffix_len(SuffixFrame::StartView, self.size).map(drop)
    }
}
