//! The 23 header types (wire spec §b), one file per concept, each with its layout (a
//! [`header!`](super::table) declaration: fields, offsets, docs, and the compile-time
//! assertions that follow from them) and its `validate()` rules in the spec's order.
//!
//! Every header is exactly 256 bytes, `#[repr(C)]`, aligned to 16 (it holds `u128`s),
//! with no implicit padding (the `NoUninit` derive refuses padding). Bytes 0–127 are
//! the shared preamble (§a.1). Enum fields are Rust enums, so the `CheckedBitPattern`
//! derive is exactly the bit-pattern check of §c.6.

use super::HEADER_SIZE;
use super::command::Command;
use super::error::{ConsensusError, FieldError};
use super::table::header;
use super::validate::{Rule, ValidationError};
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};
use core::ffi::CStr;

mod commit;
mod do_view_change;
mod eviction;
mod forward;
mod generic;
mod layouts;
mod prepare;
mod prepare_ok;
mod reply;
mod request;
mod request_prepares;
mod request_start_view;
mod start_view;
mod start_view_change;
mod state_transfer;
mod suffix;

pub use layouts::*;
pub(crate) use request::request_rules_hold;

mod sealed {
    pub trait Sealed {}
}

/// A 256-byte header type of the wire format.
///
/// Sealed: only the types of this module implement it, which is what makes
/// [`Header::as_generic`] sound.
pub trait Header:
    sealed::Sealed + CheckedBitPattern + NoUninit + Zeroable + core::fmt::Debug + Send + Sync + 'static
{
    /// The type's own command: the `expected` of its `InvalidCommand` errors.
    const COMMAND: Command;

    /// Whether a typed conversion to this type accepts `command` (E2 step 2). Equality
    /// with [`Header::COMMAND`], except RepairRangeReply (20 and 21).
    fn accepts(command: Command) -> bool {
        command == Self::COMMAND
    }

    /// The type's `validate()` rules, in order (wire spec §e.1). A failed rule is
    /// reported where it fails, with [`Rule::Validate`], its reason and its values.
    fn validate(&self) -> Result<(), ValidationError>;

    /// The same 256 bytes seen through the preamble-only [`GenericHeader`].
    fn as_generic(&self) -> &GenericHeader {
        const {
            assert!(core::mem::size_of::<Self>() == core::mem::size_of::<GenericHeader>());
            assert!(core::mem::align_of::<Self>() == core::mem::align_of::<GenericHeader>());
        };
        // SAFETY: same size and alignment (checked above); every header type has the
        // preamble at the same offsets, so a valid `Self` has a valid `Command` at byte
        // 60, which is the only constrained byte of `GenericHeader`. The trait is
        // sealed, so no other type can reach this cast.
        unsafe { &*(self as *const Self).cast::<GenericHeader>() }
    }
}

/// An `InvalidField` rule with a fixed text: the text is the reason too.
const fn field(text: &'static CStr) -> ValidationError {
    ValidationError::new(
        Rule::Validate,
        ConsensusError::InvalidField(FieldError::Rule(text)),
        text,
    )
}

/// Fails unless `holds`: `InvalidField` with the rule's text.
#[inline(always)]
fn rule(holds: bool, text: &'static CStr) -> Result<(), ValidationError> {
    if holds { Ok(()) } else { Err(field(text)) }
}

/// The first rule of most `validate()`s: the command must be the type's own.
#[inline(always)]
fn expect_command<H: Header>(found: Command) -> Result<(), ValidationError> {
    if found == H::COMMAND {
        return Ok(());
    }
    Err(ValidationError::new(
        Rule::Validate,
        ConsensusError::InvalidCommand {
            expected: H::COMMAND,
            found,
        },
        c"command does not match the header type",
    ))
}

/// The command check of the types whose mismatch is an error of their own (Commit,
/// Reply): `error`, with `text`, unless `header`'s command is its type's.
fn own_command<H: Header>(
    header: &H,
    error: ConsensusError,
    text: &'static CStr,
) -> Result<(), ValidationError> {
    if header.as_generic().command == H::COMMAND {
        return Ok(());
    }
    Err(ValidationError::new(Rule::Validate, error, text))
}

/// A header-only frame: `size != 256` is `InvalidSize{256, size}`.
fn header_only(size: u32) -> Result<(), ValidationError> {
    if size as usize == HEADER_SIZE {
        return Ok(());
    }
    let expected = HEADER_SIZE as u32;
    Err(ValidationError::new(
        Rule::Validate,
        ConsensusError::InvalidSize {
            expected,
            found: size,
        },
        c"size must be 256 (header-only frame)",
    )
    .with(expected.into(), size.into()))
}

/// Whether every byte is zero.
fn all_zero(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == 0)
}

#[cfg(test)]
mod tests;
