//! The order of the steps of each entry point, the detail values, and robustness on
//! arbitrary bytes at any alignment.

use super::*;
use crate::wire::checksum::seal;
use crate::wire::dispatch::Variant;

fn frame(command: u8, size: u32, len: usize) -> Vec<u8> {
    let mut f = vec![0u8; len];
    f[48..52].copy_from_slice(&size.to_le_bytes());
    f[60] = command;
    f
}

fn sealed(mut f: Vec<u8>) -> Vec<u8> {
    seal(&mut f).unwrap();
    f
}

#[test]
fn construction_runs_validate_before_the_size_rules() {
    // E1: a Commit with size 100 reports CommitInvalidSize, not a size error.
    let e = construct::<CommitHeader>(&frame(9, 100, 256)).unwrap_err();
    assert_eq!(
        (e.rule, e.error),
        (Rule::Validate, ConsensusError::CommitInvalidSize(100))
    );
    assert_eq!((e.expected(), e.found()), (256, 100));
}

#[test]
fn construction_does_not_verify_the_seal() {
    assert!(construct::<CommitHeader>(&frame(9, 256, 256)).is_ok());
}

#[test]
fn construction_length_failures_name_the_target_type() {
    let e = construct::<PrepareOkHeader>(&[0u8; 255]).unwrap_err();
    assert_eq!(e.rule, Rule::ShortBuffer);
    assert_eq!(
        e.error,
        ConsensusError::InvalidCommand {
            expected: Command::PrepareOk,
            found: Command::Reserved
        }
    );
    assert_eq!((e.expected(), e.found()), (256, 255));
    let e = construct::<PrepareOkHeader>(&frame(7, 255, 256)).unwrap_err();
    assert_eq!(
        (e.rule, e.expected(), e.found()),
        (Rule::SizeFloor, 256, 255)
    );
    let e = construct::<PrepareOkHeader>(&frame(7, 300, 299)).unwrap_err();
    assert_eq!(e.rule, Rule::SizeExceedsBuffer);
    assert_eq!((e.expected(), e.found()), (299, 300));
    let e = construct::<RepairRangeReplyHeader>(&[]).unwrap_err();
    assert_eq!(
        e.error,
        ConsensusError::InvalidCommand {
            expected: Command::RepairDone,
            found: Command::Reserved
        }
    );
}

#[test]
fn construction_keeps_trailing_bytes() {
    assert!(construct::<PrepareOkHeader>(&frame(7, 256, 4000)).is_ok());
    assert!(validate_frame(&sealed(frame(7, 256, 4000))).is_ok());
}

#[test]
fn whole_frame_checks_size_before_validate_and_seal_before_validate() {
    // Size problems are InvalidCommand{Reserved, Reserved}, before CommitInvalidSize.
    let e = validate_frame(&frame(9, 100, 256)).unwrap_err();
    assert_eq!((e.rule, e.found()), (Rule::SizeFloor, 100));
    assert_eq!(
        e.error,
        ConsensusError::InvalidCommand {
            expected: Command::Reserved,
            found: Command::Reserved
        }
    );
    // A Commit with size 512 in a 512-byte buffer fails the seal before validate().
    let e = validate_frame(&frame(9, 512, 512)).unwrap_err();
    assert_eq!(e.rule, Rule::Seal);
    assert_eq!(
        (e.expected(), e.found()),
        (frame_seal_low(&frame(9, 512, 512)), 0)
    );
    // Sealed, it reaches validate().
    let e = validate_frame(&sealed(frame(9, 512, 512))).unwrap_err();
    assert_eq!(e.error, ConsensusError::CommitInvalidSize(512));
}

fn frame_seal_low(f: &[u8]) -> u64 {
    crate::wire::checksum::frame_seal(f[..256].try_into().unwrap()) as u64
}

#[test]
fn whole_frame_accepts_commands_without_a_typed_header() {
    for c in [0, 1, 2, 3, 4, 14, 15, 16] {
        assert_eq!(validate_frame(&frame(c, 256, 256)).map(|c| c as u8), Ok(c));
    }
    assert_eq!(
        validate_frame(&frame(30, 256, 256)).unwrap_err().rule,
        Rule::BitPattern
    );
}

#[test]
fn whole_frame_checks_the_typed_bit_pattern() {
    let mut f = frame(13, 256, 256);
    f[255] = 16; // undefined EvictionReason
    let e = validate_frame(&f).unwrap_err();
    assert_eq!(
        (e.rule, e.error),
        (Rule::BitPattern, ConsensusError::InvalidBitPattern)
    );
    assert_eq!(construct_generic(&f), Ok(Command::Eviction));
}

#[test]
fn inbound_rejects_client_bound_and_unroutable_commands() {
    let e = validate_inbound(&frame(8, 256, 256)).unwrap_err();
    assert_eq!(e.error, ConsensusError::ClientBoundCommand(Command::Reply));
    assert_eq!((e.rule, e.expected(), e.found()), (Rule::ClientBound, 0, 8));
    let e = validate_inbound(&frame(15, 256, 256)).unwrap_err();
    assert_eq!(
        e.error,
        ConsensusError::InvalidCommand {
            expected: Command::Reserved,
            found: Command::ReplicaChallenge
        }
    );
    assert_eq!((e.rule, e.found()), (Rule::Unroutable, 15));
}

#[test]
fn inbound_seal_wins_over_validate() {
    // RequestStateChunk with len 0 (a validate failure) and a zero seal.
    let e = validate_inbound(&frame(24, 256, 256)).unwrap_err();
    assert_eq!(e.rule, Rule::Seal);
    assert!(e.to_string().ends_with("with the cluster down"));
    let e = validate_inbound(&sealed(frame(24, 256, 256))).unwrap_err();
    assert_eq!(e.rule, Rule::Validate);
    assert_eq!(e.reason(), c"chunk len must be non-zero");
}

#[test]
fn inbound_dispatches_requests_as_routed_and_both_repair_replies() {
    let mut request = frame(5, 256, 256);
    request[128] = 1; // client
    request[176] = 2; // NonReplicated: no session/request rule
    assert_eq!(validate_inbound(&request), Ok(Variant::Request));
    assert_eq!(
        validate_inbound(&sealed(frame(20, 256, 256))),
        Ok(Variant::RepairRangeReply)
    );
    assert_eq!(
        validate_inbound(&sealed(frame(21, 256, 256))),
        Ok(Variant::RepairRangeReply)
    );
}

#[test]
fn seal_upper_half_has_its_own_reason() {
    let mut f = sealed(frame(9, 256, 256));
    f[8] = 1;
    let e = validate_frame(&f).unwrap_err();
    assert_eq!(e.reason(), c"header checksum upper 64 bits are non-zero");
    assert_eq!(e.found(), u64::from_le_bytes(f[..8].try_into().unwrap()));
}

#[test]
fn detail_values_of_suffix_rules() {
    let mut f = frame(11, 256 + 256 * 129, 256 + 256 * 129);
    f = sealed(f);
    let e = validate_frame(&f).unwrap_err();
    assert_eq!((e.expected(), e.found()), (128, 129));
    let mut f = frame(11, 256 + 512, 256 + 512);
    f[240] = 0b100; // present bit 2, k = 2
    let e = validate_frame(&sealed(f)).unwrap_err();
    assert_eq!((e.expected(), e.found()), (2, 0));
    assert_eq!(
        e.reason(),
        c"do_view_change: bitset bits set past the suffix"
    );
}

/// A small deterministic generator, so the robustness test needs no dependency.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn arbitrary_bytes_never_panic_and_alignment_never_matters() {
    let rounds = if cfg!(miri) { 40 } else { 20_000 };
    let mut state = 0x9e3779b97f4a7c15;
    let mut buf = vec![0u8; 600];
    for _ in 0..rounds {
        let len = (xorshift(&mut state) % 560) as usize;
        for b in &mut buf[..len + 16] {
            *b = xorshift(&mut state) as u8;
        }
        // Make the interesting cases common: a defined command and a plausible size.
        if len > 60 {
            buf[60] = (xorshift(&mut state) % 31) as u8;
            let size = 200 + (xorshift(&mut state) % 400) as u32;
            buf[48..52].copy_from_slice(&size.to_le_bytes());
            if xorshift(&mut state) % 2 == 0 {
                let _ = seal(&mut buf[..len]);
            }
        }
        let base = (validate_frame(&buf[..len]), validate_inbound(&buf[..len]));
        assert_eq!(frame_is_valid(&buf[..len]), base.0.is_ok(), "the fast path");
        assert_eq!(
            frame_status(&buf[..len]),
            base.0
                .map_or_else(|e| e.error.status(), |_| crate::status::Status::OK)
        );
        assert_eq!(
            construct_generic(&buf[..len]),
            construct::<GenericHeader>(&buf[..len]).map(|h| h.command),
            "the direct generic construction is E1 with GenericHeader"
        );
        for offset in 1..16 {
            let mut copy = vec![0u8; len + offset];
            copy[offset..].copy_from_slice(&buf[..len]);
            let got = (
                validate_frame(&copy[offset..]),
                validate_inbound(&copy[offset..]),
            );
            assert_eq!(got, base);
            assert_eq!(frame_is_valid(&copy[offset..]), base.0.is_ok());
        }
        if let Err(e) = base.0 {
            assert!(!e.reason().is_empty());
        }
    }
}
