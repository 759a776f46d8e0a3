//! DoViewChangeHeader (§b.11): command DoViewChange (11), sealed. The body is a suffix
//! of PrepareHeaders (rule S in `suffix.rs`).

use super::suffix::Suffix;
use super::{DoViewChangeHeader, Header, Rule, ValidationError, rule};
use crate::wire::DVC_HEADERS_MAX;
use crate::wire::command::Command;
use crate::wire::error::{ConsensusError, FieldError, SuffixFrame};

impl Header for DoViewChangeHeader {
    const COMMAND: Command = Command::DoViewChange;

    fn validate(&self) -> Result<(), ValidationError> {
        Suffix::command_and_release::<Self>(self.command, self.release)?;
        rule(self.log_view <= self.view, c"log_view cannot exceed view")?;
        rule(self.commit <= self.op, c"commit cannot exceed op")?;
        let entries = Suffix::of(SuffixFrame::DoViewChange).len(self.size)?;
        if entries < DVC_HEADERS_MAX {
            let past_suffix = u128::MAX << entries;
            if (self.nack_bitset | self.present_bitset) & past_suffix != 0 {
                return Err(ValidationError::new(
                    Rule::Validate,
                    ConsensusError::InvalidField(FieldError::BitsetPastSuffix { entries }),
                    c"do_view_change: bitset bits set past the suffix",
                )
                .with(entries.into(), 0));
            }
        }
        Ok(())
    }
}
