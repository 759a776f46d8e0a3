//! StartViewHeader (§b.12): command StartView (12), sealed. The body is a suffix of
//! PrepareHeaders (rule S in `suffix.rs`).

use super::suffix::Suffix;
use super::{Header, ValidationError, expect_command, header, rule};
use crate::wire::command::Command;
use crate::wire::error::SuffixFrame;

header! {
    /// The new primary's announcement of the view, with the suffix of its log: the body
    /// is `k` PrepareHeaders, `size = 256 + 256 × k`, `k <= 128`.
    pub struct StartViewHeader {
        /// The highest op in the new primary's log.
        op: u64 = 128,
        /// The maximum commit over the DoViewChanges; must not exceed `op`.
        commit: u64 = 136,
        /// The consensus group.
        group: u64 = 144,
        /// Not checked.
        reserved: [u8; 88] = 152,
        /// Echoed from a RequestStartView; 0 on an unsolicited StartView. Not checked.
        incarnation: u128 = 240,
    }
}

/// The suffix rules with StartView's texts.
const SUFFIX: Suffix = Suffix {
    frame: SuffixFrame::StartView,
    below_header: c"start_view: size is shorter than the 256-byte header",
    not_whole: c"start_view: body is not a whole number of headers",
    too_long: c"start_view: suffix entries exceed the maximum 128",
};

impl Header for StartViewHeader {
    const COMMAND: Command = Command::StartView;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.release == 0, c"release must be 0")?;
        rule(self.commit <= self.op, c"commit cannot exceed op")?;
        SUFFIX.len(self.size).map(drop)
    }
}
