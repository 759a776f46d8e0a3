//! DoViewChangeHeader (§b.11): command DoViewChange (11), sealed. The body is a suffix
//! of PrepareHeaders (rule S in `suffix.rs`).

use super::suffix::Suffix;
use super::{DoViewChangeHeader, Header, Rule, ValidationError, expect_command, rule};
use crate::wire::DVC_HEADERS_MAX;
use crate::wire::command::Command;
use crate::wire::error::{ConsensusError, FieldError, SuffixFrame};

/// The suffix rules with DoViewChange's texts.
const SUFFIX: Suffix = Suffix {
    frame: SuffixFrame::DoViewChange,
    below_header: c"do_view_change: size is shorter than the 256-byte header",
    not_whole: c"do_view_change: body is not a whole number of headers",
    too_long: c"do_view_change: suffix entries exceed the maximum 128",
};

impl Header for DoViewChangeHeader {
    const COMMAND: Command = Command::DoViewChange;

    fn validate(&self) -> Result<(), ValidationError> {
        expect_command::<Self>(self.command)?;
        rule(self.release == 0, c"release must be 0")?;
        rule(self.log_view <= self.view, c"log_view cannot exceed view")?;
        rule(self.commit <= self.op, c"commit cannot exceed op")?;
        let entries = SUFFIX.len(self.size)?;
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
