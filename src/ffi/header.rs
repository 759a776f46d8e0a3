//! Header views (c-api.md §5): one flat `#[repr(C)]` struct per header type of the wire
//! spec (§b.1–§b.23), for C code that reads and writes headers in place (every buffer
//! is 4096-aligned). Fields are named and placed exactly as in the wire spec; enum
//! bytes are `uint8_t`, `u128` fields are [`iggy_u128`]. Each view is 256 bytes; the
//! assertions below tie every field offset to the core header type, and the generated
//! C header repeats them as `_Static_assert`s.

use crate::wire::header as core_header;

/// A wire `u128`: the two little-endian halves, least significant first.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct iggy_u128 {
    /// Bits 0..64.
    pub lo: u64,
    /// Bits 64..128.
    pub hi: u64,
}

impl From<u128> for iggy_u128 {
    fn from(value: u128) -> Self {
        Self {
            lo: value as u64,
            hi: (value >> 64) as u64,
        }
    }
}

impl From<iggy_u128> for u128 {
    fn from(value: iggy_u128) -> Self {
        u128::from(value.hi) << 64 | u128::from(value.lo)
    }
}

/// Asserts at compile time that a view is 256 bytes and that each listed field sits
/// where the core header type has it.
macro_rules! same_layout {
    ($view:ident = $core:ty { $($field:ident),* $(,)? }) => {
        const _: () = {
            use core::mem::{offset_of, size_of};
            assert!(size_of::<$view>() == crate::wire::HEADER_SIZE);
            $(assert!(offset_of!($view, $field) == offset_of!($core, $field));)*
        };
    };
}

/// C view of `GenericHeader` (wire spec §b.1).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_generic_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub reserved_command: [u8; 128],
}

same_layout!(
    iggy_generic_header = core_header::GenericHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        reserved_command
    }
);

/// C view of `RequestHeader` (wire spec §b.2).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_request_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: iggy_u128,
    pub request_checksum: iggy_u128,
    pub timestamp: u64,
    pub request: u64,
    /// `Operation` byte.
    pub operation: u8,
    pub operation_padding: [u8; 7],
    pub session: u64,
    pub user_id: u32,
    pub reserved: [u8; 60],
}

same_layout!(
    iggy_request_header = core_header::RequestHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        client,
        request_checksum,
        timestamp,
        request,
        operation,
        operation_padding,
        session,
        user_id,
        reserved
    }
);

/// C view of `RoutedRequestHeader` (wire spec §b.3).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_routed_request_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: iggy_u128,
    pub request_checksum: iggy_u128,
    pub timestamp: u64,
    pub request: u64,
    /// `Operation` byte.
    pub operation: u8,
    pub operation_padding: [u8; 7],
    pub session: u64,
    pub user_id: u32,
    pub reserved: [u8; 52],
    pub group: u64,
}

same_layout!(
    iggy_routed_request_header = core_header::RoutedRequestHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        client,
        request_checksum,
        timestamp,
        request,
        operation,
        operation_padding,
        session,
        user_id,
        reserved,
        group
    }
);

/// C view of `ReplyHeader` (wire spec §b.4).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_reply_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub request_checksum: iggy_u128,
    pub context: iggy_u128,
    pub client: iggy_u128,
    pub op: u64,
    pub commit: u64,
    pub timestamp: u64,
    pub request: u64,
    /// `Operation` byte.
    pub operation: u8,
    pub operation_padding: [u8; 7],
    pub status: u32,
    pub reserved: [u8; 36],
}

same_layout!(
    iggy_reply_header = core_header::ReplyHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        request_checksum,
        context,
        client,
        op,
        commit,
        timestamp,
        request,
        operation,
        operation_padding,
        status,
        reserved
    }
);

/// C view of `EvictionHeader` (wire spec §b.5).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_eviction_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: iggy_u128,
    pub server_protocol_version: u32,
    pub server_protocol_version_min: u32,
    pub reserved: [u8; 103],
    /// `EvictionReason` byte.
    pub reason: u8,
}

same_layout!(
    iggy_eviction_header = core_header::EvictionHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        client,
        server_protocol_version,
        server_protocol_version_min,
        reserved,
        reason
    }
);

/// C view of `PrepareHeader` (wire spec §b.6).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_prepare_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: iggy_u128,
    pub parent: iggy_u128,
    pub request_checksum: iggy_u128,
    pub op: u64,
    pub commit: u64,
    pub timestamp: u64,
    pub request: u64,
    /// `Operation` byte.
    pub operation: u8,
    pub operation_padding: [u8; 7],
    pub group: u64,
    pub user_id: u32,
    pub reserved: [u8; 28],
}

same_layout!(
    iggy_prepare_header = core_header::PrepareHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        client,
        parent,
        request_checksum,
        op,
        commit,
        timestamp,
        request,
        operation,
        operation_padding,
        group,
        user_id,
        reserved
    }
);

/// C view of `RepairPrepareHeader` (wire spec §b.7).
/// The PrepareHeader layout; command RepairPrepare (19).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_repair_prepare_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: iggy_u128,
    pub parent: iggy_u128,
    pub request_checksum: iggy_u128,
    pub op: u64,
    pub commit: u64,
    pub timestamp: u64,
    pub request: u64,
    /// `Operation` byte.
    pub operation: u8,
    pub operation_padding: [u8; 7],
    pub group: u64,
    pub user_id: u32,
    pub reserved: [u8; 28],
}

same_layout!(
    iggy_repair_prepare_header = core_header::PrepareHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        client,
        parent,
        request_checksum,
        op,
        commit,
        timestamp,
        request,
        operation,
        operation_padding,
        group,
        user_id,
        reserved
    }
);

/// C view of `PrepareOkHeader` (wire spec §b.8).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_prepare_ok_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub parent: iggy_u128,
    pub prepare_checksum: iggy_u128,
    pub op: u64,
    pub commit: u64,
    pub timestamp: u64,
    pub request: u64,
    /// `Operation` byte.
    pub operation: u8,
    pub operation_padding: [u8; 7],
    pub group: u64,
    pub reserved: [u8; 48],
}

same_layout!(
    iggy_prepare_ok_header = core_header::PrepareOkHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        parent,
        prepare_checksum,
        op,
        commit,
        timestamp,
        request,
        operation,
        operation_padding,
        group,
        reserved
    }
);

/// C view of `CommitHeader` (wire spec §b.9).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_commit_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub commit_checksum: iggy_u128,
    pub timestamp_monotonic: u64,
    pub commit: u64,
    pub checkpoint_op: u64,
    pub group: u64,
    pub reserved: [u8; 80],
}

same_layout!(
    iggy_commit_header = core_header::CommitHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        commit_checksum,
        timestamp_monotonic,
        commit,
        checkpoint_op,
        group,
        reserved
    }
);

/// C view of `StartViewChangeHeader` (wire spec §b.10).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_start_view_change_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub group: u64,
    pub reserved: [u8; 120],
}

same_layout!(
    iggy_start_view_change_header = core_header::StartViewChangeHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        group,
        reserved
    }
);

/// C view of `DoViewChangeHeader` (wire spec §b.11).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_do_view_change_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub op: u64,
    pub commit: u64,
    pub group: u64,
    pub log_view: u32,
    pub reserved: [u8; 68],
    pub nack_bitset: iggy_u128,
    pub present_bitset: iggy_u128,
}

same_layout!(
    iggy_do_view_change_header = core_header::DoViewChangeHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        op,
        commit,
        group,
        log_view,
        reserved,
        nack_bitset,
        present_bitset
    }
);

/// C view of `StartViewHeader` (wire spec §b.12).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_start_view_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub op: u64,
    pub commit: u64,
    pub group: u64,
    pub reserved: [u8; 88],
    pub incarnation: iggy_u128,
}

same_layout!(
    iggy_start_view_header = core_header::StartViewHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        op,
        commit,
        group,
        reserved,
        incarnation
    }
);

/// C view of `RequestStartViewHeader` (wire spec §b.13).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_request_start_view_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub group: u64,
    pub reserved: [u8; 104],
    pub incarnation: iggy_u128,
}

same_layout!(
    iggy_request_start_view_header = core_header::RequestStartViewHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        group,
        reserved,
        incarnation
    }
);

/// C view of `RequestPreparesHeader` (wire spec §b.14).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_request_prepares_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub from_op: u64,
    pub to_op: u64,
    pub group: u64,
    pub reserved: [u8; 88],
}

same_layout!(
    iggy_request_prepares_header = core_header::RequestPreparesHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        from_op,
        to_op,
        group,
        reserved
    }
);

/// C view of `RepairRangeReplyHeader` (wire spec §b.15).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_repair_range_reply_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub op: u64,
    pub group: u64,
    pub reserved: [u8; 96],
}

same_layout!(
    iggy_repair_range_reply_header = core_header::RepairRangeReplyHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        op,
        group,
        reserved
    }
);

/// C view of `RequestStateTransferHeader` (wire spec §b.16).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_request_state_transfer_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub group: u64,
    pub reserved: [u8; 104],
}

same_layout!(
    iggy_request_state_transfer_header = core_header::RequestStateTransferHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        group,
        reserved
    }
);

/// C view of `StateTransferTargetHeader` (wire spec §b.17).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_state_transfer_target_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub commit_op: u64,
    pub group: u64,
    pub available: u8,
    pub unavailable_transient: u8,
    pub reserved_alignment: [u8; 6],
    pub commit_max: u64,
    pub reserved: [u8; 80],
}

same_layout!(
    iggy_state_transfer_target_header = core_header::StateTransferTargetHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        commit_op,
        group,
        available,
        unavailable_transient,
        reserved_alignment,
        commit_max,
        reserved
    }
);

/// C view of `RequestStateChunkHeader` (wire spec §b.18).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_request_state_chunk_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub offset: u64,
    pub group: u64,
    pub len: u32,
    pub artifact: u32,
    pub reserved: [u8; 88],
}

same_layout!(
    iggy_request_state_chunk_header = core_header::RequestStateChunkHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        offset,
        group,
        len,
        artifact,
        reserved
    }
);

/// C view of `StateChunkHeader` (wire spec §b.19).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_state_chunk_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub offset: u64,
    pub group: u64,
    pub artifact: u32,
    pub reserved: [u8; 92],
}

same_layout!(
    iggy_state_chunk_header = core_header::StateChunkHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        offset,
        group,
        artifact,
        reserved
    }
);

/// C view of `ForwardRegisterHeader` (wire spec §b.20).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_forward_register_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: iggy_u128,
    pub nonce: iggy_u128,
    pub user_id: u32,
    pub reserved: [u8; 92],
}

same_layout!(
    iggy_forward_register_header = core_header::ForwardRegisterHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        client,
        nonce,
        user_id,
        reserved
    }
);

/// C view of `ForwardRegisterResultHeader` (wire spec §b.21).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_forward_register_result_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub client: iggy_u128,
    pub epoch: u64,
    pub watermark: u64,
    pub reserved: [u8; 79],
    /// `ForwardRegisterOutcome` byte.
    pub outcome: u8,
}

same_layout!(
    iggy_forward_register_result_header = core_header::ForwardRegisterResultHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        client,
        epoch,
        watermark,
        reserved,
        outcome
    }
);

/// C view of `ForwardLogoutHeader` (wire spec §b.22).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_forward_logout_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub client: iggy_u128,
    pub nonce: iggy_u128,
    pub session: u64,
    pub request: u64,
    pub reserved: [u8; 80],
}

same_layout!(
    iggy_forward_logout_header = core_header::ForwardLogoutHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        client,
        nonce,
        session,
        request,
        reserved
    }
);

/// C view of `ForwardLogoutResultHeader` (wire spec §b.23).
#[repr(C)]
#[allow(missing_docs)]
pub struct iggy_forward_logout_result_header {
    pub checksum: iggy_u128,
    pub checksum_body: iggy_u128,
    pub cluster: iggy_u128,
    pub size: u32,
    pub view: u32,
    pub release: u32,
    /// `Command` byte.
    pub command: u8,
    pub replica: u8,
    pub reserved_frame: [u8; 66],
    pub nonce: iggy_u128,
    pub client: iggy_u128,
    pub commit: u64,
    pub reserved: [u8; 87],
    /// `ForwardLogoutOutcome` byte.
    pub outcome: u8,
}

same_layout!(
    iggy_forward_logout_result_header = core_header::ForwardLogoutResultHeader {
        checksum,
        checksum_body,
        cluster,
        size,
        view,
        release,
        command,
        replica,
        reserved_frame,
        nonce,
        client,
        commit,
        reserved,
        outcome
    }
);
