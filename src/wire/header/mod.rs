//! The 23 header types (wire spec §b), one file per concept, each with its layout, its
//! compile-time layout assertions and its `validate()` rules in the spec's order.
//!
//! Every header is exactly 256 bytes, `#[repr(C)]`, aligned to 16 (it holds `u128`s),
//! with no implicit padding (the `NoUninit` derive refuses padding). Bytes 0–127 are
//! the shared preamble (§a.1). Enum fields are Rust enums, so the `CheckedBitPattern`
//! derive is exactly the bit-pattern check of §c.6.

use super::command::Command;
use super::error::{ConsensusError, FieldError};
use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};
use core::ffi::CStr;

mod commit;
mod do_view_change;
mod eviction;
mod forward;
mod generic;
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

pub use commit::CommitHeader;
pub use do_view_change::DoViewChangeHeader;
pub use eviction::{EvictionHeader, EvictionReason};
pub use forward::{
    ForwardLogoutHeader, ForwardLogoutOutcome, ForwardLogoutResultHeader, ForwardRegisterHeader,
    ForwardRegisterOutcome, ForwardRegisterResultHeader,
};
pub use generic::GenericHeader;
pub use prepare::{PrepareHeader, RepairPrepareHeader};
pub use prepare_ok::PrepareOkHeader;
pub use reply::ReplyHeader;
pub use request::{RequestHeader, RoutedRequestHeader};
pub use request_prepares::{RepairRangeReplyHeader, RequestPreparesHeader};
pub use request_start_view::RequestStartViewHeader;
pub use start_view::StartViewHeader;
pub use start_view_change::StartViewChangeHeader;
pub use state_transfer::{
    RequestStateChunkHeader, RequestStateTransferHeader, StateChunkHeader,
    StateTransferTargetHeader,
};

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

    /// The type's `validate()` rules, in order (wire spec §e.1).
    fn validate(&self) -> Result<(), ConsensusError>;

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

/// Asserts at compile time that a header is 256 bytes, aligned to 16, with the shared
/// preamble and the listed fields at the listed offsets.
macro_rules! assert_layout {
    ($ty:ty { $($field:ident : $offset:expr),* $(,)? }) => {
        const _: () = {
            use core::mem::{align_of, offset_of, size_of};
            assert!(size_of::<$ty>() == $crate::wire::HEADER_SIZE);
            assert!(align_of::<$ty>() == 16);
            assert!(offset_of!($ty, checksum) == 0);
            assert!(offset_of!($ty, checksum_body) == 16);
            assert!(offset_of!($ty, cluster) == 32);
            assert!(offset_of!($ty, size) == 48);
            assert!(offset_of!($ty, view) == 52);
            assert!(offset_of!($ty, release) == 56);
            assert!(offset_of!($ty, command) == 60);
            assert!(offset_of!($ty, replica) == 61);
            assert!(offset_of!($ty, reserved_frame) == 62);
            $(assert!(offset_of!($ty, $field) == $offset);)*
        };
        impl $crate::wire::header::sealed::Sealed for $ty {}
    };
}
pub(crate) use assert_layout;

/// `InvalidField` with a fixed text.
fn field(text: &'static CStr) -> ConsensusError {
    ConsensusError::InvalidField(FieldError::Rule(text))
}

/// The first rule of most `validate()`s: the command must be the type's own.
fn expect_command<H: Header>(found: Command) -> Result<(), ConsensusError> {
    if found == H::COMMAND {
        Ok(())
    } else {
        Err(ConsensusError::InvalidCommand {
            expected: H::COMMAND,
            found,
        })
    }
}

/// Whether every byte is zero.
fn all_zero(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == 0)
}

#[cfg(test)]
mod tests;
