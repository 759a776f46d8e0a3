//! Each `validate()` rule of wire spec §e.1, broken on its own, in each header type.

use super::*;
use crate::wire::error::SuffixFrame;
use crate::wire::{EvictionReason, ForwardLogoutOutcome, ForwardRegisterOutcome, Operation};
use bytemuck::Zeroable;

/// `validate()`'s reference error alone, as the rules' tables state them.
trait Verdict {
    fn verdict(&self) -> Result<(), ConsensusError>;
}

impl<H: Header> Verdict for H {
    fn verdict(&self) -> Result<(), ConsensusError> {
        self.validate().map_err(|e| {
            assert_eq!(e.rule, Rule::Validate);
            assert!(!e.reason().is_empty(), "{e:?} has no reason");
            if let ConsensusError::InvalidField(FieldError::Rule(text)) = e.error {
                assert_eq!(e.reason(), text, "a fixed-text rule's reason is its text");
            }
            e.error
        })
    }
}

fn text(e: Result<(), ConsensusError>) -> String {
    e.unwrap_err().to_string()
}

fn invalid_command(expected: Command, found: Command) -> Result<(), ConsensusError> {
    Err(ConsensusError::InvalidCommand { expected, found })
}

fn request() -> RequestHeader {
    RequestHeader {
        command: Command::Request,
        size: 256,
        client: 7,
        operation: Operation::CreateStream,
        session: 1,
        request: 1,
        ..Zeroable::zeroed()
    }
}

#[test]
fn request_rules_in_order() {
    assert_eq!(request().verdict(), Ok(()));
    let mut h = request();
    h.command = Command::Prepare;
    assert_eq!(
        h.verdict(),
        invalid_command(Command::Request, Command::Prepare)
    );
    let mut h = request();
    h.client = 0;
    h.operation = Operation::Reserved;
    assert_eq!(
        text(h.verdict()),
        "invalid field: request: client must be != 0"
    );
    h.client = 1;
    assert_eq!(
        text(h.verdict()),
        "invalid field: operation must not be Reserved"
    );
    h.operation = Operation::Register;
    assert_eq!(
        text(h.verdict()),
        "invalid field: register: session must be 0"
    );
    h.session = 0;
    assert_eq!(
        text(h.verdict()),
        "invalid field: register: request must be 0"
    );
    h.request = 0;
    assert_eq!(h.verdict(), Ok(()));
    h.operation = Operation::Logout;
    assert_eq!(
        text(h.verdict()),
        "invalid field: non-register: session must be > 0"
    );
    h.session = 5;
    assert_eq!(
        text(h.verdict()),
        "invalid field: non-register: request must be > 0"
    );
    h.operation = Operation::NonReplicated;
    h.session = 0;
    assert_eq!(
        h.verdict(),
        Ok(()),
        "NonReplicated has no session or request rule"
    );
    h.operation = Operation::TruncatePartition;
    h.session = 1;
    h.request = 1;
    assert_eq!(h.verdict(), Ok(()), "internal operations pass validate");
}

#[test]
fn routed_request_has_the_request_rules() {
    let mut h: RoutedRequestHeader = bytemuck::checked::cast(request());
    h.group = u64::MAX;
    assert_eq!(h.verdict(), Ok(()));
    h.client = 0;
    assert_eq!(
        text(h.verdict()),
        "invalid field: request: client must be != 0"
    );
}

#[test]
fn reply_checks_only_its_command() {
    let mut h = ReplyHeader {
        command: Command::Reply,
        status: 9,
        ..Zeroable::zeroed()
    };
    h.reserved = [0xff; 36];
    h.operation_padding = [1; 7];
    assert_eq!(h.verdict(), Ok(()));
    h.command = Command::Request;
    assert_eq!(h.verdict(), Err(ConsensusError::ReplyInvalidCommand));
}

fn eviction() -> EvictionHeader {
    EvictionHeader {
        command: Command::Eviction,
        size: 256,
        client: 1,
        reason: EvictionReason::NoSession,
        ..Zeroable::zeroed()
    }
}

#[test]
fn eviction_rules_in_order() {
    assert_eq!(eviction().verdict(), Ok(()));
    let mut h = eviction();
    h.command = Command::Reply;
    assert_eq!(
        h.verdict(),
        invalid_command(Command::Eviction, Command::Reply)
    );
    let mut h = eviction();
    h.size = 257;
    h.client = 0;
    assert_eq!(
        h.verdict(),
        Err(ConsensusError::InvalidSize {
            expected: 256,
            found: 257
        })
    );
    h.size = 256;
    h.reserved_frame[65] = 1;
    assert_eq!(
        text(h.verdict()),
        "invalid field: eviction: client must be != 0"
    );
    h.client = 1;
    assert_eq!(
        text(h.verdict()),
        "invalid field: eviction: reserved_frame bytes must be zero"
    );
    h.reserved_frame[65] = 0;
    h.reserved[102] = 1;
    assert_eq!(
        text(h.verdict()),
        "invalid field: eviction: reserved bytes must be zero"
    );
    h.reserved[102] = 0;
    h.reason = EvictionReason::Reserved;
    assert_eq!(
        text(h.verdict()),
        "invalid field: eviction: reason must not be Reserved"
    );
    h.reason = EvictionReason::IncompatibleProtocol;
    let window =
        "invalid field: eviction: incompatible-protocol window must satisfy 1 <= min <= max";
    assert_eq!(text(h.verdict()), window, "min == 0");
    (h.server_protocol_version, h.server_protocol_version_min) = (2, 3);
    assert_eq!(text(h.verdict()), window, "max < min");
    (h.server_protocol_version, h.server_protocol_version_min) = (3, 3);
    assert_eq!(h.verdict(), Ok(()), "min == max");
    h.reason = EvictionReason::StaleClient;
    assert_eq!(
        text(h.verdict()),
        "invalid field: eviction: protocol window bytes must be zero"
    );
    h.server_protocol_version = 0;
    assert_eq!(
        text(h.verdict()),
        "invalid field: eviction: protocol window bytes must be zero"
    );
    h.release = 99;
    h.server_protocol_version_min = 0;
    assert_eq!(h.verdict(), Ok(()), "release is not checked");
}

#[test]
fn prepare_and_repair_prepare_rules() {
    let mut p = PrepareHeader {
        command: Command::Prepare,
        size: 256,
        ..Zeroable::zeroed()
    };
    p.operation_padding = [9; 7];
    p.client = 0;
    assert_eq!(p.verdict(), Ok(()));
    p.reserved_frame[0] = 1;
    p.reserved[0] = 1;
    assert_eq!(
        text(p.verdict()),
        "invalid field: prepare: reserved_frame bytes must be zero"
    );
    p.reserved_frame[0] = 0;
    assert_eq!(
        text(p.verdict()),
        "invalid field: prepare: reserved bytes must be zero"
    );
    p.reserved[0] = 0;
    p.command = Command::RepairPrepare;
    assert_eq!(
        p.verdict(),
        invalid_command(Command::Prepare, Command::RepairPrepare)
    );

    let mut r = RepairPrepareHeader(p);
    assert_eq!(r.verdict(), Ok(()));
    r.reserved_frame[65] = 1;
    r.reserved[27] = 1;
    assert_eq!(
        text(r.verdict()),
        "invalid field: repair_prepare: reserved_frame bytes must be zero"
    );
    r.reserved_frame[65] = 0;
    assert_eq!(
        text(r.verdict()),
        "invalid field: repair_prepare: reserved bytes must be zero"
    );
    r.command = Command::Prepare;
    assert_eq!(
        r.verdict(),
        invalid_command(Command::RepairPrepare, Command::Prepare)
    );
}

#[test]
fn prepare_ok_checks_only_its_command() {
    let mut h = PrepareOkHeader {
        command: Command::PrepareOk,
        size: 999,
        ..Zeroable::zeroed()
    };
    h.reserved = [1; 48];
    assert_eq!(h.verdict(), Ok(()));
    h.command = Command::Commit;
    assert_eq!(
        h.verdict(),
        invalid_command(Command::PrepareOk, Command::Commit)
    );
}

#[test]
fn commit_rules() {
    let mut h = CommitHeader {
        command: Command::Commit,
        size: 256,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()));
    h.size = 100;
    assert_eq!(h.verdict(), Err(ConsensusError::CommitInvalidSize(100)));
    h.command = Command::Reply;
    assert_eq!(h.verdict(), Err(ConsensusError::CommitInvalidCommand));
}

#[test]
fn start_view_change_release_rule() {
    let mut h = StartViewChangeHeader {
        command: Command::StartViewChange,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()));
    h.release = 1;
    assert_eq!(text(h.verdict()), "invalid field: release != 0");
    h.command = Command::StartView;
    assert_eq!(
        h.verdict(),
        invalid_command(Command::StartViewChange, Command::StartView)
    );
}

fn dvc(entries: u32) -> DoViewChangeHeader {
    DoViewChangeHeader {
        command: Command::DoViewChange,
        size: 256 + 256 * entries,
        view: 5,
        log_view: 5,
        op: 9,
        commit: 9,
        ..Zeroable::zeroed()
    }
}

#[test]
fn do_view_change_rules_in_order() {
    assert_eq!(
        dvc(0).verdict(),
        Ok(()),
        "log_view == view and commit == op are allowed"
    );
    let mut h = dvc(0);
    h.release = 1;
    h.log_view = 6;
    assert_eq!(text(h.verdict()), "invalid field: release must be 0");
    h.release = 0;
    assert_eq!(
        text(h.verdict()),
        "invalid field: log_view cannot exceed view"
    );
    h.log_view = 5;
    h.commit = 10;
    assert_eq!(text(h.verdict()), "invalid field: commit cannot exceed op");
    h.commit = 0;
    h.size = 255;
    assert_eq!(
        text(h.verdict()),
        "invalid field: do_view_change: size 255 is shorter than the 256-byte header"
    );
    h.size = 256 + 100;
    assert_eq!(
        text(h.verdict()),
        "invalid field: do_view_change: body of 100 bytes is not a whole number of headers"
    );
    h.size = 256 + 256 * 129;
    assert_eq!(
        text(h.verdict()),
        "invalid field: do_view_change: 129 suffix entries exceeds the maximum 128"
    );
}

#[test]
fn do_view_change_bitsets_stop_at_the_suffix() {
    let mut h = dvc(0);
    h.present_bitset = 1;
    assert_eq!(
        text(h.verdict()),
        "invalid field: do_view_change: bitset bits set past the 0-entry suffix"
    );
    let mut h = dvc(3);
    h.nack_bitset = 0b111;
    h.present_bitset = 0b101;
    assert_eq!(h.verdict(), Ok(()), "bit k-1 is inside");
    h.nack_bitset = 0b1000;
    assert_eq!(
        h.verdict(),
        Err(ConsensusError::InvalidField(FieldError::BitsetPastSuffix {
            entries: 3
        })),
        "bit k is past"
    );
    h.present_bitset = 0b1000;
    assert!(h.verdict().is_err(), "bit k is past in both bitsets");
    let mut h = dvc(128);
    h.nack_bitset = u128::MAX;
    h.present_bitset = u128::MAX;
    assert_eq!(h.verdict(), Ok(()), "no check at k = 128");
}

#[test]
fn start_view_rules_in_order() {
    let mut h = StartViewHeader {
        command: Command::StartView,
        size: 256 + 256 * 128,
        op: 3,
        commit: 3,
        incarnation: u128::MAX,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()));
    h.release = 1;
    h.commit = 4;
    assert_eq!(text(h.verdict()), "invalid field: release must be 0");
    h.release = 0;
    assert_eq!(text(h.verdict()), "invalid field: commit cannot exceed op");
    h.commit = 0;
    h.size = 0;
    assert_eq!(
        h.verdict(),
        Err(ConsensusError::InvalidField(
            FieldError::SuffixSizeBelowHeader {
                frame: SuffixFrame::StartView,
                size: 0
            }
        ))
    );
    h.size = 512 + 1;
    assert_eq!(
        text(h.verdict()),
        "invalid field: start_view: body of 257 bytes is not a whole number of headers"
    );
    h.size = 256 + 256 * 129;
    assert_eq!(
        text(h.verdict()),
        "invalid field: start_view: 129 suffix entries exceeds the maximum 128"
    );
}

#[test]
fn request_start_view_release_rule() {
    let mut h = RequestStartViewHeader {
        command: Command::RequestStartView,
        size: 1000,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()), "size is not pinned");
    h.release = 2;
    assert_eq!(text(h.verdict()), "invalid field: release must be 0");
}

#[test]
fn request_prepares_range_rule() {
    let mut h = RequestPreparesHeader {
        command: Command::RequestPrepares,
        from_op: 4,
        to_op: 4,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()), "from_op == to_op");
    h.from_op = 5;
    assert_eq!(
        text(h.verdict()),
        "invalid field: repair range must be non-empty and 1-based"
    );
    h.from_op = 0;
    assert_eq!(
        text(h.verdict()),
        "invalid field: repair range must be non-empty and 1-based"
    );
}

#[test]
fn repair_range_reply_accepts_both_commands() {
    let mut h = RepairRangeReplyHeader {
        command: Command::RepairDone,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()));
    h.command = Command::RangeEvicted;
    assert_eq!(h.verdict(), Ok(()));
    h.command = Command::RequestPrepares;
    assert_eq!(
        h.verdict(),
        invalid_command(Command::RepairDone, Command::RequestPrepares)
    );
    assert!(RepairRangeReplyHeader::accepts(Command::RangeEvicted));
    assert!(!CommitHeader::accepts(Command::RangeEvicted));
}

#[test]
fn state_transfer_rules() {
    let mut h = RequestStateTransferHeader {
        command: Command::RequestStateTransfer,
        size: 256,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()));
    h.size = 512;
    assert_eq!(
        h.verdict(),
        Err(ConsensusError::InvalidSize {
            expected: 256,
            found: 512
        })
    );

    let mut t = StateTransferTargetHeader {
        command: Command::StateTransferTarget,
        size: 256,
        ..Zeroable::zeroed()
    };
    assert_eq!(t.verdict(), Ok(()));
    t.available = 2;
    t.unavailable_transient = 2;
    assert_eq!(text(t.verdict()), "invalid field: available must be 0 or 1");
    t.available = 1;
    assert_eq!(
        text(t.verdict()),
        "invalid field: unavailable_transient must be 0 or 1"
    );
    t.unavailable_transient = 1;
    assert_eq!(
        text(t.verdict()),
        "invalid field: unavailable_transient must be 0 on an available offer"
    );
    t.unavailable_transient = 0;
    t.size = 9000;
    assert_eq!(t.verdict(), Ok(()), "an available offer may have a body");
    t.available = 0;
    assert_eq!(
        text(t.verdict()),
        "invalid field: unavailable descriptor must be header-only"
    );

    let mut c = RequestStateChunkHeader {
        command: Command::RequestStateChunk,
        size: 300,
        ..Zeroable::zeroed()
    };
    assert_eq!(
        text(c.verdict()),
        "invalid field: chunk len must be non-zero"
    );
    c.len = 1;
    assert_eq!(
        c.verdict(),
        Err(ConsensusError::InvalidSize {
            expected: 256,
            found: 300
        })
    );
    c.size = 256;
    assert_eq!(c.verdict(), Ok(()));

    let mut s = StateChunkHeader {
        command: Command::StateChunk,
        size: 255,
        ..Zeroable::zeroed()
    };
    assert_eq!(
        text(s.verdict()),
        "invalid field: state chunk size below header size"
    );
    s.size = 4096;
    assert_eq!(s.verdict(), Ok(()));
}

#[test]
fn forward_frame_rule_in_every_forward_type() {
    let mut r = ForwardRegisterHeader {
        command: Command::ForwardRegister,
        size: 256,
        client: 1,
        nonce: 1,
        ..Zeroable::zeroed()
    };
    r.reserved_frame = [1; 66];
    assert_eq!(
        r.verdict(),
        Ok(()),
        "reserved_frame is not checked on forward frames"
    );
    r.size = 257;
    r.client = 0;
    assert_eq!(
        r.verdict(),
        Err(ConsensusError::InvalidSize {
            expected: 256,
            found: 257
        })
    );
    r.size = 256;
    r.nonce = 0;
    assert_eq!(
        text(r.verdict()),
        "invalid field: forward client must be non-zero"
    );
    r.client = 1;
    assert_eq!(
        text(r.verdict()),
        "invalid field: forward nonce must be non-zero"
    );
    r.nonce = 1;
    r.reserved[91] = 1;
    assert_eq!(
        text(r.verdict()),
        "invalid field: forward reserved bytes must be zero"
    );

    let mut rr = ForwardRegisterResultHeader {
        command: Command::ForwardRegisterResult,
        size: 256,
        client: 1,
        nonce: 1,
        epoch: 3,
        watermark: 4,
        ..Zeroable::zeroed()
    };
    assert_eq!(rr.verdict(), Ok(()));
    rr.outcome = ForwardRegisterOutcome::NotPrimary;
    assert_eq!(
        text(rr.verdict()),
        "invalid field: forward register result bind must be zero on failure"
    );
    rr.epoch = 0;
    assert_eq!(
        text(rr.verdict()),
        "invalid field: forward register result bind must be zero on failure"
    );
    rr.watermark = 0;
    assert_eq!(rr.verdict(), Ok(()));
    rr.reserved[78] = 1;
    assert_eq!(
        text(rr.verdict()),
        "invalid field: forward reserved bytes must be zero"
    );

    let mut l = ForwardLogoutHeader {
        command: Command::ForwardLogout,
        size: 256,
        client: 1,
        nonce: 1,
        ..Zeroable::zeroed()
    };
    assert_eq!(
        text(l.verdict()),
        "invalid field: forward logout session must be non-zero"
    );
    l.session = 1;
    assert_eq!(
        text(l.verdict()),
        "invalid field: forward logout request must be non-zero"
    );
    l.request = 1;
    assert_eq!(l.verdict(), Ok(()));
    l.size = 0;
    assert_eq!(
        l.verdict(),
        Err(ConsensusError::InvalidSize {
            expected: 256,
            found: 0
        })
    );

    let mut lr = ForwardLogoutResultHeader {
        command: Command::ForwardLogoutResult,
        size: 256,
        client: 1,
        nonce: 1,
        commit: 8,
        ..Zeroable::zeroed()
    };
    assert_eq!(lr.verdict(), Ok(()));
    lr.outcome = ForwardLogoutOutcome::Canceled;
    assert_eq!(
        text(lr.verdict()),
        "invalid field: forward logout result commit must be zero on failure"
    );
    lr.commit = 0;
    assert_eq!(lr.verdict(), Ok(()));
    lr.command = Command::ForwardLogout;
    assert_eq!(
        lr.verdict(),
        invalid_command(Command::ForwardLogoutResult, Command::ForwardLogout)
    );
}

#[test]
fn generic_accepts_anything_and_views_the_preamble() {
    let h = GenericHeader {
        command: Command::Ping,
        ..Zeroable::zeroed()
    };
    assert_eq!(h.verdict(), Ok(()));
    let c = CommitHeader {
        command: Command::Commit,
        size: 256,
        view: 3,
        ..Zeroable::zeroed()
    };
    let g = c.as_generic();
    assert_eq!((g.command, g.size, g.view), (Command::Commit, 256, 3));
}

#[test]
fn enum_bytes_are_checked_bit_patterns() {
    use bytemuck::checked::try_from_bytes;
    #[repr(C, align(16))]
    struct Aligned([u8; 256]);
    let mut b = Aligned([0; 256]);
    b.0[60] = Command::Eviction as u8;
    b.0[255] = 15;
    assert!(try_from_bytes::<EvictionHeader>(&b.0).is_ok());
    b.0[255] = 16;
    assert!(try_from_bytes::<EvictionHeader>(&b.0).is_err());
    assert!(
        try_from_bytes::<GenericHeader>(&b.0).is_ok(),
        "byte 255 is free in Generic"
    );
    b.0[60] = 27;
    b.0[255] = 6;
    assert!(try_from_bytes::<ForwardRegisterResultHeader>(&b.0).is_ok());
    b.0[255] = 7;
    assert!(try_from_bytes::<ForwardRegisterResultHeader>(&b.0).is_err());
    b.0[60] = 29;
    b.0[255] = 5;
    assert!(try_from_bytes::<ForwardLogoutResultHeader>(&b.0).is_err());
    b.0[255] = 4;
    assert!(try_from_bytes::<ForwardLogoutResultHeader>(&b.0).is_ok());
    b.0[60] = 7;
    b.0[192] = 4;
    assert!(
        try_from_bytes::<PrepareOkHeader>(&b.0).is_err(),
        "operation 4 is undefined"
    );
    b.0[192] = 162;
    assert!(try_from_bytes::<PrepareOkHeader>(&b.0).is_ok());
    b.0[60] = 30;
    assert!(try_from_bytes::<GenericHeader>(&b.0).is_err());
}
