//! The replica's inbound dispatch (wire spec §g.4): the variants and the header type
//! each is converted to. Which command goes to which variant is the commands table's
//! `route` column (`command.rs`).

use super::Command;
use super::command::HeaderVisitor;
use super::error::ConsensusError;
use super::header::*;
use super::validate::{Rule, ValidationError};

/// Where the inbound dispatch sends a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// Converted to the variant's header type.
    Dispatch(Variant),
    /// Reply and Eviction: `ClientBoundCommand`.
    ClientBound,
    /// Commands 0–4 and 14–16: `InvalidCommand{Reserved, command}`.
    Unroutable,
}

/// The variants table: each dispatch variant and the header type it is converted to.
macro_rules! variants {
    ($( $(#[doc = $doc:literal])* $variant:ident => $header:ident, )*) => {
        /// The 19 variants of the inbound dispatch (`MessageBag` in the reference).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Variant {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Variant {
            /// Every variant, in declaration order.
            pub const ALL: &[Variant] = &[$(Variant::$variant,)*];

            /// The variant's name, as the reference spells it.
            pub const fn name(self) -> &'static str {
                match self {
                    $( Variant::$variant => stringify!($variant), )*
                }
            }

            /// Runs `visitor` on the variant's header type.
            pub(crate) fn visit_header<V: HeaderVisitor>(self, visitor: V) -> V::Output {
                match self {
                    $( Variant::$variant => visitor.visit::<$header>(), )*
                }
            }
        }
    };
}

variants! {
    /// Command 5, typed as its routed shape.
    Request => RoutedRequestHeader,
    /// Command 6.
    Prepare => PrepareHeader,
    /// Command 7.
    PrepareOk => PrepareOkHeader,
    /// Command 9.
    Commit => CommitHeader,
    /// Command 10.
    StartViewChange => StartViewChangeHeader,
    /// Command 11.
    DoViewChange => DoViewChangeHeader,
    /// Command 12.
    StartView => StartViewHeader,
    /// Command 17.
    RequestStartView => RequestStartViewHeader,
    /// Command 18.
    RequestPrepares => RequestPreparesHeader,
    /// Command 19.
    RepairPrepare => RepairPrepareHeader,
    /// Commands 20 (RepairDone) and 21 (RangeEvicted).
    RepairRangeReply => RepairRangeReplyHeader,
    /// Command 22.
    RequestStateTransfer => RequestStateTransferHeader,
    /// Command 23.
    StateTransferTarget => StateTransferTargetHeader,
    /// Command 24.
    RequestStateChunk => RequestStateChunkHeader,
    /// Command 25.
    StateChunk => StateChunkHeader,
    /// Command 26.
    ForwardRegister => ForwardRegisterHeader,
    /// Command 27.
    ForwardRegisterResult => ForwardRegisterResultHeader,
    /// Command 28.
    ForwardLogout => ForwardLogoutHeader,
    /// Command 29.
    ForwardLogoutResult => ForwardLogoutResultHeader,
}

/// Dispatches a command: the variant, or the reference's rejection (Reply and Eviction
/// are `ClientBoundCommand`; commands 0–4 and 14–16 are `InvalidCommand{Reserved,
/// command}`).
pub fn route(command: Command) -> Result<Variant, ValidationError> {
    match command.route() {
        Route::Dispatch(variant) => Ok(variant),
        Route::ClientBound => Err(ValidationError::new(
            Rule::ClientBound,
            ConsensusError::ClientBoundCommand(command),
            c"client-bound command cannot be dispatched on the inbound path",
        )
        .with(0, command as u64)),
        Route::Unroutable => Err(ValidationError::new(
            Rule::Unroutable,
            ConsensusError::InvalidCommand {
                expected: Command::Reserved,
                found: command,
            },
            c"command is not dispatched on the inbound path",
        )
        .with(0, command as u64)),
    }
}

impl core::fmt::Display for Variant {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_is_reached_by_some_command() {
        for &variant in Variant::ALL {
            let reached = Command::TABLE
                .values
                .iter()
                .any(|v| Command::from_u8(v.value).unwrap().route() == Route::Dispatch(variant));
            assert!(reached, "{variant}");
        }
    }

    #[test]
    fn reply_and_eviction_are_client_bound_and_0_to_4_14_to_16_unroutable() {
        for v in Command::TABLE.values {
            let command = Command::from_u8(v.value).unwrap();
            let expected = match v.value {
                8 | 13 => Route::ClientBound,
                0..=4 | 14..=16 => Route::Unroutable,
                _ => continue,
            };
            assert_eq!(command.route(), expected, "{command}");
        }
    }
}
