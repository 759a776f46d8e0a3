//! The replica's inbound dispatch (wire spec §g.4): which typed header each command
//! is converted to, and which commands are refused.

use super::Command;
use super::error::ConsensusError;
use super::header::*;
use super::validate::{Check, ValidationError, convert};

/// The 19 variants of the inbound dispatch (`MessageBag` in the reference).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Variant {
    /// Command 5, typed as [`RoutedRequestHeader`].
    Request,
    Prepare,
    PrepareOk,
    Commit,
    StartViewChange,
    DoViewChange,
    StartView,
    RequestStartView,
    RequestPrepares,
    RepairPrepare,
    /// Commands 20 (RepairDone) and 21 (RangeEvicted).
    RepairRangeReply,
    RequestStateTransfer,
    StateTransferTarget,
    RequestStateChunk,
    StateChunk,
    ForwardRegister,
    ForwardRegisterResult,
    ForwardLogout,
    ForwardLogoutResult,
}

/// Dispatches a command: Reply and Eviction are `ClientBoundCommand`; commands 0–4
/// and 14–16 are `InvalidCommand{Reserved, command}`.
pub fn route(command: Command) -> Result<Variant, ValidationError> {
    use Command as C;
    Ok(match command {
        C::Request => Variant::Request,
        C::Prepare => Variant::Prepare,
        C::PrepareOk => Variant::PrepareOk,
        C::Commit => Variant::Commit,
        C::StartViewChange => Variant::StartViewChange,
        C::DoViewChange => Variant::DoViewChange,
        C::StartView => Variant::StartView,
        C::RequestStartView => Variant::RequestStartView,
        C::RequestPrepares => Variant::RequestPrepares,
        C::RepairPrepare => Variant::RepairPrepare,
        C::RepairDone | C::RangeEvicted => Variant::RepairRangeReply,
        C::RequestStateTransfer => Variant::RequestStateTransfer,
        C::StateTransferTarget => Variant::StateTransferTarget,
        C::RequestStateChunk => Variant::RequestStateChunk,
        C::StateChunk => Variant::StateChunk,
        C::ForwardRegister => Variant::ForwardRegister,
        C::ForwardRegisterResult => Variant::ForwardRegisterResult,
        C::ForwardLogout => Variant::ForwardLogout,
        C::ForwardLogoutResult => Variant::ForwardLogoutResult,
        C::Reply | C::Eviction => {
            return Err(ValidationError {
                check: Check::ClientBound,
                error: ConsensusError::ClientBoundCommand(command),
            });
        }
        C::Reserved
        | C::Ping
        | C::Pong
        | C::PingClient
        | C::PongClient
        | C::ReplicaHello
        | C::ReplicaChallenge
        | C::ReplicaFinish => {
            return Err(ValidationError {
                check: Check::Unroutable,
                error: ConsensusError::InvalidCommand {
                    expected: Command::Reserved,
                    found: command,
                },
            });
        }
    })
}

impl Variant {
    /// The variant's name, as the reference spells it.
    pub fn name(self) -> &'static str {
        use Variant::*;
        match self {
            Request => "Request",
            Prepare => "Prepare",
            PrepareOk => "PrepareOk",
            Commit => "Commit",
            StartViewChange => "StartViewChange",
            DoViewChange => "DoViewChange",
            StartView => "StartView",
            RequestStartView => "RequestStartView",
            RequestPrepares => "RequestPrepares",
            RepairPrepare => "RepairPrepare",
            RepairRangeReply => "RepairRangeReply",
            RequestStateTransfer => "RequestStateTransfer",
            StateTransferTarget => "StateTransferTarget",
            RequestStateChunk => "RequestStateChunk",
            StateChunk => "StateChunk",
            ForwardRegister => "ForwardRegister",
            ForwardRegisterResult => "ForwardRegisterResult",
            ForwardLogout => "ForwardLogout",
            ForwardLogoutResult => "ForwardLogoutResult",
        }
    }

    /// Typed conversion (E2) of a constructed frame to this variant's header type.
    pub(crate) fn convert(self, frame: &[u8]) -> Result<(), ValidationError> {
        use Variant::*;
        match self {
            Request => convert::<RoutedRequestHeader>(frame),
            Prepare => convert::<PrepareHeader>(frame),
            PrepareOk => convert::<PrepareOkHeader>(frame),
            Commit => convert::<CommitHeader>(frame),
            StartViewChange => convert::<StartViewChangeHeader>(frame),
            DoViewChange => convert::<DoViewChangeHeader>(frame),
            StartView => convert::<StartViewHeader>(frame),
            RequestStartView => convert::<RequestStartViewHeader>(frame),
            RequestPrepares => convert::<RequestPreparesHeader>(frame),
            RepairPrepare => convert::<RepairPrepareHeader>(frame),
            RepairRangeReply => convert::<RepairRangeReplyHeader>(frame),
            RequestStateTransfer => convert::<RequestStateTransferHeader>(frame),
            StateTransferTarget => convert::<StateTransferTargetHeader>(frame),
            RequestStateChunk => convert::<RequestStateChunkHeader>(frame),
            StateChunk => convert::<StateChunkHeader>(frame),
            ForwardRegister => convert::<ForwardRegisterHeader>(frame),
            ForwardRegisterResult => convert::<ForwardRegisterResultHeader>(frame),
            ForwardLogout => convert::<ForwardLogoutHeader>(frame),
            ForwardLogoutResult => convert::<ForwardLogoutResultHeader>(frame),
        }
    }
}

impl core::fmt::Display for Variant {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
