//! PrepareHeader (§b.6, primary → replicas) and RepairPrepareHeader (§b.7, a journaled
//! prepare re-sent for repair): commands Prepare (6) and RepairPrepare (19). Not sealed:
//! `checksum` holds the prepare identity (§f.2), stamped but not verified here.

use super::{
    Header, PrepareHeader, RepairPrepareHeader, ValidationError, all_zero, expect_command, rule,
};
use crate::wire::command::Command;

/// The Prepare rules, with the texts of `H` (`prepare:` or `repair_prepare:`): the
/// command, then zero `reserved_frame` and `reserved` bytes. Not checked:
/// `operation_padding`, `operation == Reserved`, op/commit order, `client`, the identity.
fn validate_prepare<H: Header>(prepare: &PrepareHeader) -> Result<(), ValidationError> {
    let (reserved_frame, reserved) = if H::COMMAND == Command::RepairPrepare {
        (
            c"repair_prepare: reserved_frame bytes must be zero",
            c"repair_prepare: reserved bytes must be zero",
        )
    } else {
        (
            c"prepare: reserved_frame bytes must be zero",
            c"prepare: reserved bytes must be zero",
        )
    };
    expect_command::<H>(prepare.command)?;
    rule(all_zero(&prepare.reserved_frame), reserved_frame)?;
    rule(all_zero(&prepare.reserved), reserved)
}

impl Header for PrepareHeader {
    const COMMAND: Command = Command::Prepare;

    fn validate(&self) -> Result<(), ValidationError> {
        validate_prepare::<Self>(self)
    }
}

impl Header for RepairPrepareHeader {
    const COMMAND: Command = Command::RepairPrepare;

    fn validate(&self) -> Result<(), ValidationError> {
        validate_prepare::<Self>(self)
    }
}
