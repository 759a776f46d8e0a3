//! [`MessageBag`]: the replica's inbound dispatch over messages (wire spec §g.4).

use super::{Invalid, Message};
use crate::buf::Owned;
use crate::wire::dispatch::{Variant, route};
use crate::wire::header::*;
use crate::wire::{Command, METADATA_GROUP, Operation};

/// A received frame, dispatched on its command and typed accordingly: one variant per
/// row of the inbound dispatch table.
#[derive(Debug)]
#[allow(missing_docs)]
pub enum MessageBag {
    /// Command 5, typed as the routed shape.
    Request(Message<RoutedRequestHeader>),
    Prepare(Message<PrepareHeader>),
    PrepareOk(Message<PrepareOkHeader>),
    Commit(Message<CommitHeader>),
    StartViewChange(Message<StartViewChangeHeader>),
    DoViewChange(Message<DoViewChangeHeader>),
    StartView(Message<StartViewHeader>),
    RequestStartView(Message<RequestStartViewHeader>),
    RequestPrepares(Message<RequestPreparesHeader>),
    RepairPrepare(Message<RepairPrepareHeader>),
    /// Commands 20 (RepairDone) and 21 (RangeEvicted).
    RepairRangeReply(Message<RepairRangeReplyHeader>),
    RequestStateTransfer(Message<RequestStateTransferHeader>),
    StateTransferTarget(Message<StateTransferTargetHeader>),
    RequestStateChunk(Message<RequestStateChunkHeader>),
    StateChunk(Message<StateChunkHeader>),
    ForwardRegister(Message<ForwardRegisterHeader>),
    ForwardRegisterResult(Message<ForwardRegisterResultHeader>),
    ForwardLogout(Message<ForwardLogoutHeader>),
    ForwardLogoutResult(Message<ForwardLogoutResultHeader>),
}

/// Runs `$body` with `$m` bound to the message of whichever variant `$bag` is.
macro_rules! each_variant {
    ($bag:expr, $m:ident => $body:expr) => {
        match $bag {
            MessageBag::Request($m) => $body,
            MessageBag::Prepare($m) => $body,
            MessageBag::PrepareOk($m) => $body,
            MessageBag::Commit($m) => $body,
            MessageBag::StartViewChange($m) => $body,
            MessageBag::DoViewChange($m) => $body,
            MessageBag::StartView($m) => $body,
            MessageBag::RequestStartView($m) => $body,
            MessageBag::RequestPrepares($m) => $body,
            MessageBag::RepairPrepare($m) => $body,
            MessageBag::RepairRangeReply($m) => $body,
            MessageBag::RequestStateTransfer($m) => $body,
            MessageBag::StateTransferTarget($m) => $body,
            MessageBag::RequestStateChunk($m) => $body,
            MessageBag::StateChunk($m) => $body,
            MessageBag::ForwardRegister($m) => $body,
            MessageBag::ForwardRegisterResult($m) => $body,
            MessageBag::ForwardLogout($m) => $body,
            MessageBag::ForwardLogoutResult($m) => $body,
        }
    };
}

impl MessageBag {
    /// The inbound path (E3): generic construction, dispatch on the command (Reply and
    /// Eviction are `ClientBoundCommand`, commands 0–4 and 14–16 `InvalidCommand`),
    /// typed conversion to the dispatched type (bit pattern, seal, `validate()`).
    /// On failure the buffer comes back unchanged.
    pub fn try_from_owned(buffer: Owned) -> Result<Self, Invalid<Owned>> {
        let generic = Message::<GenericHeader>::try_from_owned(buffer)?;
        let variant = match route(generic.command()) {
            Ok(variant) => variant,
            Err(error) => {
                return Err(Invalid {
                    error,
                    buffer: generic.into_buffer(),
                });
            }
        };
        fn typed<T: Header>(
            m: Message<GenericHeader>,
            wrap: fn(Message<T>) -> MessageBag,
        ) -> Result<MessageBag, Invalid<Owned>> {
            m.try_into_typed::<T>()
                .map(wrap)
                .map_err(|(error, m)| Invalid {
                    error,
                    buffer: m.into_buffer(),
                })
        }
        match variant {
            Variant::Request => typed(generic, MessageBag::Request),
            Variant::Prepare => typed(generic, MessageBag::Prepare),
            Variant::PrepareOk => typed(generic, MessageBag::PrepareOk),
            Variant::Commit => typed(generic, MessageBag::Commit),
            Variant::StartViewChange => typed(generic, MessageBag::StartViewChange),
            Variant::DoViewChange => typed(generic, MessageBag::DoViewChange),
            Variant::StartView => typed(generic, MessageBag::StartView),
            Variant::RequestStartView => typed(generic, MessageBag::RequestStartView),
            Variant::RequestPrepares => typed(generic, MessageBag::RequestPrepares),
            Variant::RepairPrepare => typed(generic, MessageBag::RepairPrepare),
            Variant::RepairRangeReply => typed(generic, MessageBag::RepairRangeReply),
            Variant::RequestStateTransfer => typed(generic, MessageBag::RequestStateTransfer),
            Variant::StateTransferTarget => typed(generic, MessageBag::StateTransferTarget),
            Variant::RequestStateChunk => typed(generic, MessageBag::RequestStateChunk),
            Variant::StateChunk => typed(generic, MessageBag::StateChunk),
            Variant::ForwardRegister => typed(generic, MessageBag::ForwardRegister),
            Variant::ForwardRegisterResult => typed(generic, MessageBag::ForwardRegisterResult),
            Variant::ForwardLogout => typed(generic, MessageBag::ForwardLogout),
            Variant::ForwardLogoutResult => typed(generic, MessageBag::ForwardLogoutResult),
        }
    }

    /// Which variant this is.
    pub fn variant(&self) -> Variant {
        use MessageBag as M;
        match self {
            M::Request(_) => Variant::Request,
            M::Prepare(_) => Variant::Prepare,
            M::PrepareOk(_) => Variant::PrepareOk,
            M::Commit(_) => Variant::Commit,
            M::StartViewChange(_) => Variant::StartViewChange,
            M::DoViewChange(_) => Variant::DoViewChange,
            M::StartView(_) => Variant::StartView,
            M::RequestStartView(_) => Variant::RequestStartView,
            M::RequestPrepares(_) => Variant::RequestPrepares,
            M::RepairPrepare(_) => Variant::RepairPrepare,
            M::RepairRangeReply(_) => Variant::RepairRangeReply,
            M::RequestStateTransfer(_) => Variant::RequestStateTransfer,
            M::StateTransferTarget(_) => Variant::StateTransferTarget,
            M::RequestStateChunk(_) => Variant::RequestStateChunk,
            M::StateChunk(_) => Variant::StateChunk,
            M::ForwardRegister(_) => Variant::ForwardRegister,
            M::ForwardRegisterResult(_) => Variant::ForwardRegisterResult,
            M::ForwardLogout(_) => Variant::ForwardLogout,
            M::ForwardLogoutResult(_) => Variant::ForwardLogoutResult,
        }
    }

    /// The frame's command byte (RepairRangeReply keeps 20 or 21).
    pub fn command(&self) -> Command {
        each_variant!(self, m => m.command())
    }

    /// The header's `size` field.
    pub fn size(&self) -> u32 {
        each_variant!(self, m => m.size())
    }

    /// The operation of Request, Prepare, PrepareOk and RepairPrepare; Reserved for the
    /// others.
    pub fn operation(&self) -> Operation {
        match self {
            MessageBag::Request(m) => m.header().operation,
            MessageBag::Prepare(m) => m.header().operation,
            MessageBag::PrepareOk(m) => m.header().operation,
            MessageBag::RepairPrepare(m) => m.header().operation,
            _ => Operation::Reserved,
        }
    }

    /// `(operation, group)`: the type's `group` field (a request's is the routed one at
    /// byte 248); the four Forward* types have none and route to [`METADATA_GROUP`].
    pub fn routing(&self) -> (Operation, u64) {
        use MessageBag as M;
        let group = match self {
            M::Request(m) => m.header().group,
            M::Prepare(m) => m.header().group,
            M::PrepareOk(m) => m.header().group,
            M::Commit(m) => m.header().group,
            M::StartViewChange(m) => m.header().group,
            M::DoViewChange(m) => m.header().group,
            M::StartView(m) => m.header().group,
            M::RequestStartView(m) => m.header().group,
            M::RequestPrepares(m) => m.header().group,
            M::RepairPrepare(m) => m.header().group,
            M::RepairRangeReply(m) => m.header().group,
            M::RequestStateTransfer(m) => m.header().group,
            M::StateTransferTarget(m) => m.header().group,
            M::RequestStateChunk(m) => m.header().group,
            M::StateChunk(m) => m.header().group,
            M::ForwardRegister(_)
            | M::ForwardRegisterResult(_)
            | M::ForwardLogout(_)
            | M::ForwardLogoutResult(_) => METADATA_GROUP,
        };
        (self.operation(), group)
    }

    /// Gives up the typing and returns the buffer.
    pub fn into_buffer(self) -> Owned {
        each_variant!(self, m => m.into_buffer())
    }
}
