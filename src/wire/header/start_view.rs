//! StartViewHeader (§b.12): command StartView (12), sealed. The body is a suffix of
//! PrepareHeaders (rule S in `suffix.rs`).

use super::suffix::Suffix;
use super::{Header, StartViewHeader, ValidationError, rule};
use crate::wire::command::Command;
use crate::wire::error::SuffixFrame;

impl Header for StartViewHeader {
    const COMMAND: Command = Command::StartView;

    fn validate(&self) -> Result<(), ValidationError> {
        Suffix::command_and_release::<Self>(self.command, self.release)?;
        rule(self.commit <= self.op, c"commit cannot exceed op")?;
        Suffix::of(SuffixFrame::StartView).len(self.size).map(drop)
    }
}
