//! Every public golden vector of kinds `typed`, `inbound` and `seal` agrees with the
//! reference implementation: same verdict, same error text, same failing rule.

use crate::common;

use common::{Vector, vectors};
use iggy_consensus::buf::Owned;
use iggy_consensus::status::Status;
use iggy_consensus::wire::header::*;
use iggy_consensus::wire::validate::{
    Rule, ValidationError, construct, construct_generic, convert, frame_is_valid, frame_status,
    validate_frame, validate_inbound,
};
use iggy_consensus::wire::{Command, HeaderVisitor, checksum};

/// What each typed path of the library says about one input, for one header type.
struct Verdicts {
    /// `wire::validate::construct` (E1 on bytes).
    construct: Result<(), ValidationError>,
    /// E1 on the bytes in a 4096-aligned buffer (the header read in place).
    in_buffer: Result<(), ValidationError>,
    /// Generic construction, then typed conversion (E3 steps 1–4, then E2).
    via_generic: Result<(), ValidationError>,
}

fn verdicts<H: Header>(bytes: &[u8]) -> Verdicts {
    let buffer: Owned = Owned::copy_from_slice(bytes);
    Verdicts {
        construct: construct::<H>(bytes).map(drop),
        in_buffer: construct::<H>(buffer.as_slice()).map(drop),
        via_generic: construct_generic(bytes).and_then(|_| convert::<H>(bytes)),
    }
}

/// The header type the vectors README chooses from byte 60 (the library's
/// `Command::frame_header`, `GenericHeader` for a command with none or no command),
/// and the verdicts with it. The vectors' `header` field checks the choice.
fn construct_as_chosen(bytes: &[u8]) -> (&'static str, Verdicts) {
    struct Chosen<'a>(&'a [u8]);
    impl HeaderVisitor for Chosen<'_> {
        type Output = Verdicts;
        fn visit<H: Header>(self) -> Verdicts {
            verdicts::<H>(self.0)
        }
    }
    let command = if bytes.len() > 60 {
        Command::from_u8(bytes[60])
    } else {
        None
    };
    match command.and_then(|c| Some((c.frame_header()?, c.visit_frame_header(Chosen(bytes))?))) {
        Some((layout, verdicts)) => (layout.name, verdicts),
        None => (GenericHeader::LAYOUT.name, verdicts::<GenericHeader>(bytes)),
    }
}

/// The vectors' `rule` tag of a rule.
fn rule(rule: Rule) -> &'static str {
    match rule {
        Rule::ShortBuffer => "short_buffer",
        Rule::BitPattern => "bit_pattern",
        Rule::SizeFloor => "size_floor",
        Rule::SizeExceedsBuffer => "size_exceeds_buffer",
        Rule::Unroutable => "unroutable",
        Rule::ClientBound => "client_bound",
        Rule::CommandMismatch => "command_mismatch",
        Rule::Seal => "seal",
        Rule::Validate => "validate",
        Rule::None | Rule::FrameTooLarge | Rule::Batch => {
            panic!("validation never reports {rule}")
        }
    }
}

/// Compares a verdict with `expect`, and on error with `display` and `rule`.
fn agree(v: &Vector, got: Result<(), ValidationError>, expect: &str, display: Option<&str>) {
    match got {
        Ok(()) => assert_eq!("ok", expect, "{}", v.id),
        Err(e) => {
            assert_eq!(e.error.name(), expect, "{}", v.id);
            if let Some(display) = display {
                assert_eq!(e.error.to_string(), display, "{}", v.id);
            }
            assert!(!e.reason().is_empty(), "{}", v.id);
            if let Some(r) = &v.rule {
                if expect == v.expect {
                    assert_eq!(rule(e.rule), r, "{}", v.id);
                }
            }
        }
    }
}

/// The same bytes at another address: the verdict must not depend on alignment.
fn misaligned(bytes: &[u8], offset: usize) -> Vec<u8> {
    let mut v = vec![0u8; bytes.len() + offset];
    v[offset..].copy_from_slice(bytes);
    v
}

#[test]
fn typed_vectors_agree_with_the_reference() {
    let all = vectors("typed");
    assert!(!all.is_empty());
    for v in &all {
        let (header, got) = construct_as_chosen(&v.bytes);
        assert_eq!(Some(header), v.header.as_deref(), "{}", v.id);
        agree(v, got.construct, &v.expect, v.display.as_deref());
        agree(v, got.in_buffer, &v.expect, v.display.as_deref());
        let via_generic = v.expect_via_generic.as_deref().expect("expect_via_generic");
        agree(
            v,
            got.via_generic,
            via_generic,
            v.display_via_generic.as_deref(),
        );
    }
}

#[test]
fn typed_vectors_whole_frame_check_agrees() {
    for v in &vectors("typed") {
        let expect = v.frame_validate.as_deref().expect("frame_validate");
        let got = validate_frame(&v.bytes).map(drop);
        // The whole-frame verdict is the generic-then-typed path's, except for frames
        // with no typed header, which take the construction verdict (vectors README).
        let display = if v.header.as_deref() == Some("GenericHeader") {
            assert_eq!(expect, v.expect, "{}", v.id);
            v.display.as_deref()
        } else {
            assert_eq!(Some(expect), v.expect_via_generic.as_deref(), "{}", v.id);
            v.display_via_generic.as_deref()
        };
        agree(v, got, expect, display);
        // Under Miri one misaligned copy stands for all (the native run checks four).
        let offsets: &[usize] = if cfg!(miri) { &[3] } else { &[1, 3, 8, 15] };
        for &offset in offsets {
            let shifted = misaligned(&v.bytes, offset);
            assert_eq!(
                validate_frame(&shifted[offset..]),
                validate_frame(&v.bytes),
                "{} at +{offset}",
                v.id
            );
        }
    }
}

/// The verdict-first fast path (`frame_is_valid`, `frame_status`: what the status-only
/// C calls run) agrees with `validate_frame` on every vector of every kind, and on each
/// vector with one byte flipped at every offset of the header (native runs).
#[test]
fn the_fast_path_agrees_with_the_whole_frame_check() {
    let mut checked = 0;
    for kind in ["typed", "inbound", "seal"] {
        for v in &vectors(kind) {
            let mut check = |bytes: &[u8]| {
                let full = validate_frame(bytes);
                assert_eq!(frame_is_valid(bytes), full.is_ok(), "{}", v.id);
                let status = full.map_or_else(|e| e.error.status(), |_| Status::OK);
                assert_eq!(frame_status(bytes), status, "{}", v.id);
                checked += 1;
            };
            check(&v.bytes);
            let shifted = misaligned(&v.bytes, 3);
            check(&shifted[3..]);
            if cfg!(miri) {
                continue;
            }
            for i in 0..v.bytes.len().min(256) {
                let mut flipped = v.bytes.clone();
                flipped[i] ^= 0x81;
                check(&flipped);
            }
        }
    }
    assert!(checked > 0);
}

#[test]
fn inbound_vectors_agree_with_the_reference() {
    let all = vectors("inbound");
    assert!(!all.is_empty());
    for v in &all {
        let got = validate_inbound(&v.bytes);
        agree(v, got.map(drop), &v.expect, v.display.as_deref());
        if let Ok(variant) = got {
            assert_eq!(Some(variant.name()), v.variant.as_deref(), "{}", v.id);
        }
        let buffer: Owned = Owned::copy_from_slice(&v.bytes);
        assert_eq!(
            validate_inbound(buffer.as_slice()),
            got,
            "{} in a buffer",
            v.id
        );
        let shifted = misaligned(&v.bytes, 5);
        assert_eq!(validate_inbound(&shifted[5..]), got, "{} misaligned", v.id);
    }
}

#[test]
fn seal_vectors_agree_with_the_reference() {
    let all = vectors("seal");
    assert!(!all.is_empty());
    for v in &all {
        let mut bytes = v.bytes.clone();
        checksum::seal(&mut bytes).expect("sealable");
        assert_eq!(
            hex::encode(&bytes[..16]),
            v.sealed_hex.as_deref().unwrap(),
            "{}",
            v.id
        );
        assert_eq!(
            bytes[16..],
            v.bytes[16..],
            "{}: only bytes 0..16 change",
            v.id
        );
        let mut shifted = misaligned(&v.bytes, 7);
        checksum::seal(&mut shifted[7..]).unwrap();
        assert_eq!(shifted[7..], bytes[..], "{} misaligned", v.id);
    }
}

#[test]
fn the_vector_file_has_the_documented_counts() {
    if cfg!(miri) {
        return; // Miri reads every 8th line only.
    }
    let count = |kind| vectors(kind).len();
    assert_eq!(
        (
            count("typed"),
            count("inbound"),
            count("seal"),
            count("batch")
        ),
        (202, 202, 20, 42)
    );
}
