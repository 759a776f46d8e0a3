//! Forwarded session operations between a backup and the primary (§b.20–§b.23), all
//! sealed and header-only: ForwardRegister (26), ForwardRegisterResult (27),
//! ForwardLogout (28), ForwardLogoutResult (29), and the shared forward frame rule F.
//! `reserved_frame` is not checked on these frames.

use super::{
    ForwardLogoutHeader, ForwardLogoutResultHeader, ForwardRegisterHeader,
    ForwardRegisterResultHeader, Header, ValidationError, all_zero, expect_command, header_only,
    rule,
};
use crate::wire::ForwardLogoutOutcome;
use crate::wire::ForwardRegisterOutcome;
use crate::wire::command::Command;

/// The type's command, then rule F(client, nonce, reserved): header-only, non-zero
/// client and nonce, zero reserved bytes (the per-type `reserved` array only).
fn forward_frame<H: Header>(
    command: Command,
    size: u32,
    client: u128,
    nonce: u128,
    reserved: &[u8],
) -> Result<(), ValidationError> {
    expect_command::<H>(command)?;
    header_only(size)?;
    rule(client != 0, c"forward client must be non-zero")?;
    rule(nonce != 0, c"forward nonce must be non-zero")?;
    rule(all_zero(reserved), c"forward reserved bytes must be zero")
}

/// `impl Header` for a forward type: its command and rule F, then the type's own rules
/// (`$rules`, over the header `$h`).
macro_rules! forward_rules {
    ($header:ident: $command:ident, |$h:ident| $rules:expr) => {
        impl Header for $header {
            const COMMAND: Command = Command::$command;

            fn validate(&self) -> Result<(), ValidationError> {
                let $h = self;
                forward_frame::<Self>($h.command, $h.size, $h.client, $h.nonce, &$h.reserved)?;
                $rules
            }
        }
    };
}

forward_rules!(ForwardRegisterHeader: ForwardRegister, |_h| Ok(()));

forward_rules!(ForwardRegisterResultHeader: ForwardRegisterResult, |h| rule(
    h.outcome == ForwardRegisterOutcome::Ok || (h.epoch == 0 && h.watermark == 0),
    c"forward register result bind must be zero on failure",
));

forward_rules!(ForwardLogoutHeader: ForwardLogout, |h| {
    rule(h.session != 0, c"forward logout session must be non-zero")?;
    rule(h.request != 0, c"forward logout request must be non-zero")
});

forward_rules!(ForwardLogoutResultHeader: ForwardLogoutResult, |h| rule(
    h.outcome == ForwardLogoutOutcome::Ok || h.commit == 0,
    c"forward logout result commit must be zero on failure",
));
