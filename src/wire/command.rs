//! `Command`: the message type in byte 60 of every header, and the table of what each
//! command is (wire spec §c.1): its byte and name, its checksum, the header type a
//! whole-frame check reads it as, and where the replica's inbound dispatch sends it.

use super::dispatch::Route;
use super::header::*;
use super::table::{HeaderLayout, wire_enum};

/// What the `checksum` field of a command's header holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumKind {
    /// Nothing this layer sets or verifies.
    Unsealed,
    /// The frame seal: XXH3-64 of header bytes `[16, 256)`, verified on typed conversion.
    FrameSeal,
    /// The prepare identity, stamped by [`seal`](super::checksum::seal), not verified.
    PrepareIdentity,
}

/// Runs a generic function on a header type chosen at run time (a command's or a
/// dispatch variant's): see [`Command::visit_frame_header`].
pub trait HeaderVisitor {
    /// What `visit` returns.
    type Output;
    /// Called with the chosen header type.
    fn visit<H: Header>(self) -> Self::Output;
}

/// The table: one row per command. Each row declares the command's byte and name,
/// its checksum kind, the header type `validate_frame` converts it to (`[]`: none, the
/// frame is valid once generic construction passes), and its inbound route (a dispatch
/// variant, `ClientBound` or `Unroutable`).
macro_rules! commands {
    (
        $(#[doc = $doc:literal])*
        pub enum Command {
            $(
                $(#[doc = $vdoc:literal])*
                $name:ident = $byte:tt, $checksum:ident, [$($header:ident)?], $route:ident;
            )*
        }
    ) => {
        wire_enum! {
            $(#[doc = $doc])*
            pub enum Command {
                $( $(#[doc = $vdoc])* $name = $byte, )*
            }
        }

        impl Command {
            /// What the header's `checksum` field holds for this command.
            pub const fn checksum_kind(self) -> ChecksumKind {
                match self {
                    $( Self::$name => ChecksumKind::$checksum, )*
                }
            }

            /// Where the replica's inbound dispatch sends this command (§g.4).
            pub const fn route(self) -> Route {
                match self {
                    $( Self::$name => commands!(@route $route), )*
                }
            }

            /// The header type the whole-frame check reads this command as, if any.
            pub const fn frame_header(self) -> Option<&'static HeaderLayout> {
                match self {
                    $( Self::$name => commands!(@layout $($header)?), )*
                }
            }

            /// Runs `visitor` on [`Command::frame_header`]'s type; `None` when the
            /// command has none.
            pub fn visit_frame_header<V: HeaderVisitor>(self, visitor: V) -> Option<V::Output> {
                match self {
                    $( Self::$name => commands!(@visit visitor $($header)?), )*
                }
            }
        }
    };
    (@route ClientBound) => { Route::ClientBound };
    (@route Unroutable) => { Route::Unroutable };
    (@route $variant:ident) => { Route::Dispatch(super::dispatch::Variant::$variant) };
    (@layout) => { None };
    (@layout $header:ident) => { Some(&$header::LAYOUT) };
    (@visit $visitor:ident) => { None };
    (@visit $visitor:ident $header:ident) => { Some($visitor.visit::<$header>()) };
}

commands! {
    /// The message type (byte 60 of every header). A byte is a command iff it is `<= 29`.
    pub enum Command {
        /// Never sent: the zero byte.
        Reserved = 0, Unsealed, [], Unroutable;
        /// Replica to replica keep-alive.
        Ping = 1, Unsealed, [], Unroutable;
        /// The answer to a Ping.
        Pong = 2, Unsealed, [], Unroutable;
        /// Client to replica keep-alive.
        PingClient = 3, Unsealed, [], Unroutable;
        /// The answer to a PingClient.
        PongClient = 4, Unsealed, [], Unroutable;
        /// Client to primary: an operation to replicate.
        Request = 5, Unsealed, [RequestHeader], Request;
        /// Primary to backups: a request turned into a log entry.
        Prepare = 6, PrepareIdentity, [PrepareHeader], Prepare;
        /// Backup to primary: a prepare is durably in its log.
        PrepareOk = 7, FrameSeal, [PrepareOkHeader], PrepareOk;
        /// Primary to client: the result of a request.
        Reply = 8, Unsealed, [ReplyHeader], ClientBound;
        /// Primary to backups: the commit number (a heartbeat).
        Commit = 9, FrameSeal, [CommitHeader], Commit;
        /// Replica to replicas: a vote to leave the current view.
        StartViewChange = 10, FrameSeal, [StartViewChangeHeader], StartViewChange;
        /// Replica to the new primary: its log summary for the view change.
        DoViewChange = 11, FrameSeal, [DoViewChangeHeader], DoViewChange;
        /// New primary to replicas: the new view and its log suffix.
        StartView = 12, FrameSeal, [StartViewHeader], StartView;
        /// Primary to client: the session ends.
        Eviction = 13, Unsealed, [EvictionHeader], ClientBound;
        /// Replica handshake, step 1 (data in `reserved_command`).
        ReplicaHello = 14, Unsealed, [], Unroutable;
        /// Replica handshake, step 2.
        ReplicaChallenge = 15, Unsealed, [], Unroutable;
        /// Replica handshake, step 3.
        ReplicaFinish = 16, Unsealed, [], Unroutable;
        /// A recovering replica asks for the current view.
        RequestStartView = 17, FrameSeal, [RequestStartViewHeader], RequestStartView;
        /// A replica asks for a range of prepares (log repair).
        RequestPrepares = 18, FrameSeal, [RequestPreparesHeader], RequestPrepares;
        /// A journaled prepare re-sent for repair.
        RepairPrepare = 19, PrepareIdentity, [RepairPrepareHeader], RepairPrepare;
        /// The end of a repair answer: every requested prepare was sent.
        RepairDone = 20, FrameSeal, [RepairRangeReplyHeader], RepairRangeReply;
        /// The end of a repair answer: the range starts before the oldest op kept.
        RangeEvicted = 21, FrameSeal, [RepairRangeReplyHeader], RepairRangeReply;
        /// A lagging replica asks for a state transfer.
        RequestStateTransfer = 22, FrameSeal, [RequestStateTransferHeader], RequestStateTransfer;
        /// A state transfer offer (with a manifest when available).
        StateTransferTarget = 23, FrameSeal, [StateTransferTargetHeader], StateTransferTarget;
        /// A request for one chunk of state.
        RequestStateChunk = 24, FrameSeal, [RequestStateChunkHeader], RequestStateChunk;
        /// One chunk of state.
        StateChunk = 25, FrameSeal, [StateChunkHeader], StateChunk;
        /// Backup to primary: a client's register, forwarded.
        ForwardRegister = 26, FrameSeal, [ForwardRegisterHeader], ForwardRegister;
        /// Primary to backup: the outcome of a forwarded register.
        ForwardRegisterResult = 27, FrameSeal, [ForwardRegisterResultHeader], ForwardRegisterResult;
        /// Backup to primary: a client's logout, forwarded.
        ForwardLogout = 28, FrameSeal, [ForwardLogoutHeader], ForwardLogout;
        /// Primary to backup: the outcome of a forwarded logout.
        ForwardLogoutResult = 29, FrameSeal, [ForwardLogoutResultHeader], ForwardLogoutResult;
    }
}

impl Default for Command {
    /// Reserved, as in the reference.
    fn default() -> Self {
        Command::Reserved
    }
}

impl Command {
    /// Whether the header's `checksum` is a frame seal (§f.1): commands 7, 9–12, 17, 18
    /// and 20–29.
    #[inline]
    pub const fn is_sealed(self) -> bool {
        matches!(self.checksum_kind(), ChecksumKind::FrameSeal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_up_to_29_is_a_command_and_no_other() {
        for b in 0..=255u8 {
            let c = Command::from_u8(b);
            assert_eq!(c.is_some(), b <= Command::ForwardLogoutResult as u8, "{b}");
            if let Some(c) = c {
                assert_eq!(c as u8, b);
            }
        }
    }

    #[test]
    fn sealed_commands_are_7_9_to_12_17_18_and_20_to_29() {
        let sealed: Vec<u8> = (0..=29)
            .filter(|&b| Command::from_u8(b).unwrap().is_sealed())
            .collect();
        let expected: Vec<u8> = [7, 9, 10, 11, 12, 17, 18]
            .into_iter()
            .chain(20..=29)
            .collect();
        assert_eq!(sealed, expected);
    }

    #[test]
    fn only_prepare_and_repair_prepare_carry_the_identity() {
        let identity: Vec<Command> = (0..=29)
            .filter_map(Command::from_u8)
            .filter(|c| c.checksum_kind() == ChecksumKind::PrepareIdentity)
            .collect();
        assert_eq!(identity, [Command::Prepare, Command::RepairPrepare]);
    }

    #[test]
    fn names_render_as_in_the_spec() {
        assert_eq!(Command::RangeEvicted.to_string(), "RangeEvicted");
        assert_eq!(Command::PrepareOk.to_string(), "PrepareOk");
        assert_eq!(Command::default(), Command::Reserved);
    }

    #[test]
    fn the_table_lists_every_command_once_in_byte_order() {
        let values: Vec<u8> = Command::TABLE.values.iter().map(|v| v.value).collect();
        assert_eq!(values, (0..=29).collect::<Vec<u8>>());
        for v in Command::TABLE.values {
            assert_eq!(Command::from_u8(v.value).unwrap().name(), v.name);
        }
    }

    #[test]
    fn frame_headers_follow_the_spec_table() {
        let name = |b: u8| Command::from_u8(b).unwrap().frame_header().map(|h| h.name);
        for b in [0, 1, 2, 3, 4, 14, 15, 16] {
            assert_eq!(name(b), None, "{b}");
        }
        assert_eq!(name(5), Some("RequestHeader"));
        assert_eq!(name(19), Some("RepairPrepareHeader"));
        assert_eq!(name(20), Some("RepairRangeReplyHeader"));
        assert_eq!(name(21), Some("RepairRangeReplyHeader"));
        assert_eq!(name(29), Some("ForwardLogoutResultHeader"));
    }
}
