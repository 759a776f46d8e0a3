//! The header types table: every header type's fields, in offset order, with their
//! types (which enum a byte holds), offsets and meanings (wire spec §b.1–§b.23). Each
//! [`header!`] declaration defines the flat `#[repr(C)]` struct (the shared preamble,
//! bytes 0–127, first), asserts its layout at compile time and records it as the type's
//! `LAYOUT`; the generator writes the C and Go views from these. The `validate()` rules
//! of each type are in the file named for it.

use super::header;
use crate::wire::table::HeaderLayout;
use crate::wire::{EvictionReason, ForwardLogoutOutcome, ForwardRegisterOutcome, Operation};

/// Every header type's layout, in the order of the wire spec (§b.1–§b.23).
pub const HEADERS: [&HeaderLayout; 23] = [
    &GenericHeader::LAYOUT,
    &RequestHeader::LAYOUT,
    &RoutedRequestHeader::LAYOUT,
    &ReplyHeader::LAYOUT,
    &EvictionHeader::LAYOUT,
    &PrepareHeader::LAYOUT,
    &RepairPrepareHeader::LAYOUT,
    &PrepareOkHeader::LAYOUT,
    &CommitHeader::LAYOUT,
    &StartViewChangeHeader::LAYOUT,
    &DoViewChangeHeader::LAYOUT,
    &StartViewHeader::LAYOUT,
    &RequestStartViewHeader::LAYOUT,
    &RequestPreparesHeader::LAYOUT,
    &RepairRangeReplyHeader::LAYOUT,
    &RequestStateTransferHeader::LAYOUT,
    &StateTransferTargetHeader::LAYOUT,
    &RequestStateChunkHeader::LAYOUT,
    &StateChunkHeader::LAYOUT,
    &ForwardRegisterHeader::LAYOUT,
    &ForwardRegisterResultHeader::LAYOUT,
    &ForwardLogoutHeader::LAYOUT,
    &ForwardLogoutResultHeader::LAYOUT,
];

header! {
    /// Any frame, seen through the preamble. Its only constrained byte is the command
    /// (any of 0..=29); `validate()` always passes. Commands 14–16 (the replica
    /// handshake) carry their data in `reserved_command`, which this layer does not check.
    pub struct GenericHeader {
        /// Opaque per-command bytes (the replica handshake's nonces and MACs).
        reserved_command: [u8; 128] = 128,
    }
}

header! {
    /// A client request, as it arrives from a client.
    pub struct RequestHeader {
        /// The client id; must be non-zero.
        client: u128 = 128,
        /// Integrity stamp over the payload; 0 = unstamped. Not checked.
        request_checksum: u128 = 144,
        /// The client's clock. Not checked.
        timestamp: u64 = 160,
        /// The client's request number: 0 for Register, non-zero otherwise.
        request: u64 = 168,
        /// What the request asks for; must not be Reserved.
        operation: Operation = 176,
        /// Not checked.
        operation_padding: [u8; 7] = 177,
        /// The session fence epoch: 0 for Register, non-zero otherwise.
        session: u64 = 184,
        /// The acting user, stamped by the server (the client's value is not trusted).
        user_id: u32 = 192,
        /// Not checked. Bytes 0..4 carry the legacy command code of a NonReplicated
        /// request; bytes 52..60 become the routed `group`.
        reserved: [u8; 60] = 196,
    }
}

header! {
    /// A request after the primary resolved its consensus group: the last 8 reserved
    /// bytes of [`RequestHeader`] are `group`. The inbound `Request` variant has this type.
    pub struct RoutedRequestHeader {
        /// As in [`RequestHeader`].
        client: u128 = 128,
        /// As in [`RequestHeader`].
        request_checksum: u128 = 144,
        /// As in [`RequestHeader`].
        timestamp: u64 = 160,
        /// As in [`RequestHeader`].
        request: u64 = 168,
        /// As in [`RequestHeader`].
        operation: Operation = 176,
        /// Not checked.
        operation_padding: [u8; 7] = 177,
        /// As in [`RequestHeader`].
        session: u64 = 184,
        /// As in [`RequestHeader`].
        user_id: u32 = 192,
        /// The same bytes as `RequestHeader::reserved[0..52]`. Not checked.
        reserved: [u8; 52] = 196,
        /// The resolved consensus group (a partition, or the metadata plane at 2^63). Not
        /// checked.
        group: u64 = 248,
    }
}

header! {
    /// The answer to a client request; the body is the result.
    pub struct ReplyHeader {
        /// Echoed from the request.
        request_checksum: u128 = 128,
        /// 0 in practice.
        context: u128 = 144,
        /// The client the reply is for.
        client: u128 = 160,
        /// The op of the prepare that answered the request.
        op: u64 = 176,
        /// The commit number (equal to `op` for a reply to a committed prepare).
        commit: u64 = 184,
        /// The prepare's timestamp.
        timestamp: u64 = 192,
        /// The client's request number.
        request: u64 = 200,
        /// The operation of the request.
        operation: Operation = 208,
        /// Not checked.
        operation_padding: [u8; 7] = 209,
        /// 0 = ok; otherwise an IggyError code for a denial before commit. Not checked.
        status: u32 = 216,
        /// Not checked.
        reserved: [u8; 36] = 220,
    }
}

header! {
    /// The end of a client session, with the reason. Header-only.
    pub struct EvictionHeader {
        /// The evicted client; must be non-zero.
        client: u128 = 128,
        /// The newest protocol version the server accepts (IncompatibleProtocol only).
        server_protocol_version: u32 = 144,
        /// The oldest protocol version the server accepts (IncompatibleProtocol only).
        server_protocol_version_min: u32 = 148,
        /// Must be all zero.
        reserved: [u8; 103] = 152,
        /// Why the client was evicted; must not be Reserved.
        reason: EvictionReason = 255,
    }
}

header! {
    /// A request turned into a log entry. The body is the request body, byte for byte;
    /// the primary builds it by rewriting the request's header in place.
    pub struct PrepareHeader {
        /// The client that sent the request (copied from it). Not checked.
        client: u128 = 128,
        /// The `checksum` of the previous prepare: the log's hash chain.
        parent: u128 = 144,
        /// Copied from the request.
        request_checksum: u128 = 160,
        /// The op number: this entry's position in the log.
        op: u64 = 176,
        /// The primary's commit number (commit_max) when it prepared this entry.
        commit: u64 = 184,
        /// The primary's monotonic timestamp for this entry, applied by every replica.
        timestamp: u64 = 192,
        /// The client's request number (copied from the request).
        request: u64 = 200,
        /// The operation (copied from the request); Reserved is allowed here.
        operation: Operation = 208,
        /// Not checked.
        operation_padding: [u8; 7] = 209,
        /// The consensus group of the primary that built it.
        group: u64 = 216,
        /// The acting user (copied from the request).
        user_id: u32 = 224,
        /// Must be all zero.
        reserved: [u8; 28] = 228,
    }
}

header! {
    /// A journaled prepare re-sent verbatim for repair, with byte 60 rewritten from 6 to
    /// 19: exactly the [`PrepareHeader`] layout. Its `checksum` is the identity computed
    /// while byte 60 was 6; the receiver rewrites it back before verifying.
    pub struct RepairPrepareHeader = PrepareHeader;
}

header! {
    /// A backup's acknowledgement that a prepare is durably in its log.
    pub struct PrepareOkHeader {
        /// The acknowledged prepare's `parent`.
        parent: u128 = 128,
        /// The `checksum` (identity) of the prepare being acknowledged.
        prepare_checksum: u128 = 144,
        /// The acknowledged prepare's op number.
        op: u64 = 160,
        /// The sender's commit number.
        commit: u64 = 168,
        /// The acknowledged prepare's timestamp.
        timestamp: u64 = 176,
        /// The acknowledged prepare's client request number.
        request: u64 = 184,
        /// The acknowledged prepare's operation.
        operation: Operation = 192,
        /// Not checked.
        operation_padding: [u8; 7] = 193,
        /// The consensus group.
        group: u64 = 200,
        /// Not checked.
        reserved: [u8; 48] = 208,
    }
}

header! {
    /// The primary's commit heartbeat: how far the log is committed. Header-only.
    pub struct CommitHeader {
        /// The `checksum` of the prepare at `commit`.
        commit_checksum: u128 = 128,
        /// The primary's monotonic clock when it sent the heartbeat (not checked).
        timestamp_monotonic: u64 = 144,
        /// The primary's commit number: every op up to it is committed.
        commit: u64 = 152,
        /// The op of the latest checkpoint.
        checkpoint_op: u64 = 160,
        /// The consensus group (a partition, or the metadata plane at 2^63).
        group: u64 = 168,
        /// Not checked.
        reserved: [u8; 80] = 176,
    }
}

header! {
    /// A replica's vote to leave the current view (`view` is the view it proposes).
    pub struct StartViewChangeHeader {
        /// The consensus group.
        group: u64 = 128,
        /// Not checked.
        reserved: [u8; 120] = 136,
    }
}

header! {
    /// A replica's log summary, sent to the new primary during a view change. The body
    /// is `k` PrepareHeaders (the suffix of its log), `size = 256 + 256 × k`, `k <= 128`.
    pub struct DoViewChangeHeader {
        /// The highest op in the sender's log.
        op: u64 = 128,
        /// The highest committed op; must not exceed `op`.
        commit: u64 = 136,
        /// The consensus group.
        group: u64 = 144,
        /// The view in which the sender's status was last normal; must not exceed `view`.
        log_view: u32 = 152,
        /// Not checked.
        reserved: [u8; 68] = 156,
        /// Bit i: the sender never prepared suffix entry i. No bit at or past `k`.
        nack_bitset: u128 = 224,
        /// Bit i: the sender can serve the body of suffix entry i. No bit at or past `k`.
        present_bitset: u128 = 240,
    }
}

header! {
    /// The new primary's announcement of the view, with the suffix of its log: the body
    /// is `k` PrepareHeaders, `size = 256 + 256 × k`, `k <= 128`.
    pub struct StartViewHeader {
        /// The highest op in the new primary's log.
        op: u64 = 128,
        /// The maximum commit over the DoViewChanges; must not exceed `op`.
        commit: u64 = 136,
        /// The consensus group.
        group: u64 = 144,
        /// Not checked.
        reserved: [u8; 88] = 152,
        /// Echoed from a RequestStartView; 0 on an unsolicited StartView. Not checked.
        incarnation: u128 = 240,
    }
}

header! {
    /// A recovering replica's request for the current view. `size` is not pinned.
    pub struct RequestStartViewHeader {
        /// The consensus group.
        group: u64 = 128,
        /// Not checked.
        reserved: [u8; 104] = 136,
        /// The requester's per-boot incarnation, echoed in the StartView; 0 means no claim.
        incarnation: u128 = 240,
    }
}

header! {
    /// A request for the prepares `from_op..=to_op` (log repair).
    pub struct RequestPreparesHeader {
        /// Matches the answer to the request. Not checked (0 is allowed).
        nonce: u128 = 128,
        /// The first op of the range: `1 <= from_op <= to_op`.
        from_op: u64 = 144,
        /// The last op of the range, inclusive.
        to_op: u64 = 152,
        /// The consensus group.
        group: u64 = 160,
        /// Not checked.
        reserved: [u8; 88] = 168,
    }
}

header! {
    /// The end of a repair answer: RepairDone (20, `op` = the last op served) or
    /// RangeEvicted (21, `op` = the oldest op still retained). One layout for both; the
    /// type's own command is RepairDone.
    pub struct RepairRangeReplyHeader {
        /// The `nonce` of the RequestPrepares this answers.
        nonce: u128 = 128,
        /// RepairDone: the last op served. RangeEvicted: the oldest op still retained.
        op: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// Not checked.
        reserved: [u8; 96] = 160,
    }
}

header! {
    /// A lagging replica's request for a state transfer. Header-only.
    pub struct RequestStateTransferHeader {
        /// Matches the offer to the request. Not checked.
        nonce: u128 = 128,
        /// The consensus group.
        group: u64 = 144,
        /// Not checked.
        reserved: [u8; 104] = 152,
    }
}

header! {
    /// A state transfer offer. With `available = 1` the body is a manifest (any size);
    /// with `available = 0` the frame is header-only.
    pub struct StateTransferTargetHeader {
        /// The `nonce` of the request this answers.
        nonce: u128 = 128,
        /// The serving primary's applied frontier (the last op its state includes).
        commit_op: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// 1: a snapshot is offered (manifest in the body); 0: none. Must be 0 or 1.
        available: u8 = 160,
        /// With `available = 0`: 1 if the lack is transient. Must be 0 or 1, and 0 when
        /// `available = 1`.
        unavailable_transient: u8 = 161,
        /// Not checked.
        reserved_alignment: [u8; 6] = 162,
        /// The serving replica's commit_max.
        commit_max: u64 = 168,
        /// Not checked.
        reserved: [u8; 80] = 176,
    }
}

header! {
    /// A request for `len` bytes at `offset` of artifact `artifact`. Header-only.
    pub struct RequestStateChunkHeader {
        /// Matches the chunk to the request.
        nonce: u128 = 128,
        /// The byte offset within the artifact.
        offset: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// The requested chunk length in bytes; must be non-zero.
        len: u32 = 160,
        /// The index of the artifact in the offered manifest. Not checked here.
        artifact: u32 = 164,
        /// Not checked.
        reserved: [u8; 88] = 168,
    }
}

header! {
    /// One chunk of state; the body is the chunk's bytes.
    pub struct StateChunkHeader {
        /// The `nonce` of the request this answers.
        nonce: u128 = 128,
        /// The byte offset of the chunk within the artifact.
        offset: u64 = 144,
        /// The consensus group.
        group: u64 = 152,
        /// The index of the artifact in the manifest. Not checked here.
        artifact: u32 = 160,
        /// Not checked.
        reserved: [u8; 92] = 164,
    }
}

header! {
    /// A backup forwarding a client's register to the primary.
    pub struct ForwardRegisterHeader {
        /// The registering client; must be non-zero.
        client: u128 = 128,
        /// Matches the result to the request; must be non-zero.
        nonce: u128 = 144,
        /// The authenticated user.
        user_id: u32 = 160,
        /// Must be all zero.
        reserved: [u8; 92] = 164,
    }
}

header! {
    /// The primary's answer to a forwarded register. Note the order: `nonce` first.
    pub struct ForwardRegisterResultHeader {
        /// The `nonce` of the ForwardRegister; must be non-zero.
        nonce: u128 = 128,
        /// The registering client; must be non-zero.
        client: u128 = 144,
        /// The session's epoch; 0 unless the outcome is Ok.
        epoch: u64 = 160,
        /// The session's request watermark; 0 unless the outcome is Ok.
        watermark: u64 = 168,
        /// Must be all zero.
        reserved: [u8; 79] = 176,
        /// How the register ended.
        outcome: ForwardRegisterOutcome = 255,
    }
}

header! {
    /// A backup forwarding a client's logout to the primary.
    pub struct ForwardLogoutHeader {
        /// The client logging out; must be non-zero.
        client: u128 = 128,
        /// Matches the result to the request; must be non-zero.
        nonce: u128 = 144,
        /// The client's session; must be non-zero.
        session: u64 = 160,
        /// The client's request number; must be non-zero.
        request: u64 = 168,
        /// Must be all zero.
        reserved: [u8; 80] = 176,
    }
}

header! {
    /// The primary's answer to a forwarded logout. Note the order: `nonce` first.
    pub struct ForwardLogoutResultHeader {
        /// The `nonce` of the ForwardLogout; must be non-zero.
        nonce: u128 = 128,
        /// The client logging out; must be non-zero.
        client: u128 = 144,
        /// The op that committed the logout; 0 unless the outcome is Ok.
        commit: u64 = 160,
        /// Must be all zero.
        reserved: [u8; 87] = 168,
        /// How the logout ended.
        outcome: ForwardLogoutOutcome = 255,
    }
}
