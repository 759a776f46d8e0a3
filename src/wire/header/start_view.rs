//! StartViewHeader (§b.12): command StartView (12), sealed. The body is a suffix of
//! PrepareHeaders (rule S in `suffix.rs`).

use super::suffix::Suffix;
use super::{Header, StartViewHeader, ValidationError, expect_command, rule};
use crate::wire::command::Command;
use crate::wire::error::SuffixFrame;

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
