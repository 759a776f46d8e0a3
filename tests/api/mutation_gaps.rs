//! Behaviours that mutation testing (`make mutants`, issue 15) found untested: each
//! test pins one rule on both sides of its boundary, or a text nothing else compared.

use iggy_consensus::wire::checksum::{
    checksum_body, frame_seal, seal, suffix_checksum_body, verify_frame, xxh3_64,
};
use iggy_consensus::wire::header::{CommitHeader, Header, ReplyHeader, RequestStateTransferHeader};
use iggy_consensus::wire::validate::{Rule, construct, validate_frame};
use iggy_consensus::wire::{Command, ConsensusError};
use std::ffi::CStr;

/// A 256-byte header with `size` and `command`, the rest zero.
fn header(size: u32, command: Command) -> [u8; 256] {
    let mut h = [0u8; 256];
    h[48..52].copy_from_slice(&size.to_le_bytes());
    h[60] = command as u8;
    h
}

#[test]
fn suffix_checksum_body_of_a_non_empty_body_is_its_xxh3() {
    let body = [7u8; 256];
    assert_eq!(suffix_checksum_body(&body), u128::from(xxh3_64(&body)));
    assert_eq!(suffix_checksum_body(&body), checksum_body(&body));
    assert_ne!(suffix_checksum_body(&body), 0);
    assert_eq!(suffix_checksum_body(b"hello"), 0x9555e8555c62dcfd);
    assert_eq!(suffix_checksum_body(&[]), 0);
    assert_eq!(
        checksum_body(&[]),
        0x2d06800538d394c2,
        "XXH3 of nothing is not 0"
    );
}

#[test]
fn a_header_only_frame_of_the_wrong_size_says_why() {
    let mut frame = header(300, Command::RequestStateTransfer).to_vec();
    frame.resize(300, 0);
    let e = construct::<RequestStateTransferHeader>(&frame).unwrap_err();
    assert_eq!(e.rule, Rule::Validate);
    assert_eq!(
        e.error,
        ConsensusError::InvalidSize {
            expected: 256,
            found: 300
        }
    );
    assert_eq!(e.reason(), c"size must be 256 (header-only frame)");
    assert_eq!((e.expected(), e.found()), (256, 300));
    assert_eq!(e.to_string(), "invalid size: expected 256, found 300");
    assert_eq!(e.error.name(), "InvalidSize");
    assert!(
        construct::<RequestStateTransferHeader>(&header(256, Command::RequestStateTransfer))
            .is_ok()
    );
}

#[test]
fn a_commit_of_the_wrong_size_or_command_says_why() {
    let mut frame = header(257, Command::Commit).to_vec();
    frame.push(0);
    let e = construct::<CommitHeader>(&frame).unwrap_err();
    assert_eq!(e.error, ConsensusError::CommitInvalidSize(257));
    assert_eq!(e.reason(), c"commit size must be 256");
    assert_eq!((e.expected(), e.found()), (256, 257));
    assert_eq!(e.to_string(), "size must be 256, found 257");
    assert_eq!(e.error.name(), "CommitInvalidSize");

    rejects_another_command::<CommitHeader>(
        Command::Prepare,
        ConsensusError::CommitInvalidCommand,
        c"command must be Commit",
    );
}

/// `H` over `wrong` fails its own-command rule with `error`, whose reason, display
/// text and name say so; over its own command it passes.
fn rejects_another_command<H: Header>(wrong: Command, error: ConsensusError, reason: &CStr) {
    let e = construct::<H>(&header(256, wrong)).unwrap_err();
    assert_eq!((e.rule, e.error), (Rule::Validate, error));
    assert_eq!(e.reason(), reason);
    assert_eq!(e.to_string(), reason.to_str().unwrap());
    assert_eq!(e.error.name(), format!("{error:?}"));
    assert!(construct::<H>(&header(256, H::COMMAND)).is_ok());
}

#[test]
fn a_reply_header_over_another_command_says_why() {
    rejects_another_command::<ReplyHeader>(
        Command::Commit,
        ConsensusError::ReplyInvalidCommand,
        c"command must be Reply",
    );
}

#[test]
fn an_ordinary_seal_mismatch_reports_both_checksums() {
    let mut commit = header(256, Command::Commit);
    seal(&mut commit).unwrap();
    assert_eq!(validate_frame(&commit), Ok(Command::Commit));
    let expected = frame_seal(&commit);
    // A wrong low half, upper half zero: the ordinary mismatch.
    commit[0] ^= 1;
    let found = u128::from_le_bytes(commit[..16].try_into().unwrap());
    let e = verify_frame(&commit, Command::Commit).unwrap_err();
    assert_eq!(e.rule, Rule::Seal);
    assert_eq!(e.reason(), c"header checksum does not cover the frame");
    assert_eq!((e.expected(), e.found()), (expected as u64, found as u64));
    assert_eq!(
        e.error,
        ConsensusError::FrameChecksumMismatch {
            command: Command::Commit,
            expected,
            found
        }
    );
    assert_eq!(
        e.to_string(),
        format!(
            "Commit: header checksum {found:#034x} does not cover the frame (expected {expected:#034x})"
        )
    );
    assert_eq!(validate_frame(&commit).unwrap_err(), e);

    // The right low half with a non-zero upper half is a mismatch too, with its reason.
    commit[0] ^= 1;
    commit[8] = 1;
    let e = verify_frame(&commit, Command::Commit).unwrap_err();
    assert_eq!(e.reason(), c"header checksum upper 64 bits are non-zero");
    assert_eq!(
        (e.expected(), e.found()),
        (expected as u64, expected as u64)
    );

    // Unsealed commands pass whatever their checksum.
    let mut reply = header(256, Command::Reply);
    reply[0] = 0xFF;
    assert_eq!(verify_frame(&reply, Command::Reply), Ok(()));
}

#[test]
fn the_wire_constants_have_the_spec_values() {
    use iggy_consensus::wire::{MAX_MESSAGE_SIZE, METADATA_GROUP};
    assert_eq!(
        METADATA_GROUP, 0x8000_0000_0000_0000,
        "the metadata plane is group 2^63"
    );
    assert_eq!(MAX_MESSAGE_SIZE, 67_108_864, "TCP framing accepts 64 MiB");
}

#[test]
fn a_dispatch_variant_displays_as_its_name() {
    use iggy_consensus::wire::dispatch::Variant;
    use iggy_consensus::wire::validate::validate_inbound;
    let mut commit = header(256, Command::Commit);
    seal(&mut commit).unwrap();
    let variant = validate_inbound(&commit).unwrap();
    assert_eq!(variant.name(), "Commit");
    assert_eq!(variant.to_string(), "Commit");
    for &v in Variant::ALL {
        assert_eq!(v.to_string(), v.name());
        assert!(!v.name().is_empty());
    }
}
