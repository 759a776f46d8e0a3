//! Every public golden vector of kind `batch` agrees with the reference's
//! `decode_prepare_slice`: same verdict, same error text, same first failing rule (§h.3),
//! the same message count, at any alignment.

use crate::common;

use common::{Vector, vectors};
use iggy_consensus::wire::batch::{BatchRule, decode_prepare};

/// The rule of a vector's `rule` tag, from its `Bn_` prefix.
fn rule(tag: &str) -> BatchRule {
    use BatchRule::*;
    let (id, _) = tag.split_once('_').expect("a Bn_ prefix");
    match id {
        "B1" => ShortFrame,
        "B2" => PrepareBitPattern,
        "B3" => SizeBelowHeader,
        "B4" => SizeExceedsBuffer,
        "B5" => BodyShorterThanBatchHeader,
        "B6" => LengthBelowHeader,
        "B7" => ReservedNonzero,
        "B8" => BodyLengthNeBatchLength,
        "B9" => MessageChecksum,
        "B10" => FramesDoNotTile,
        "B11" => BatchChecksum,
        _ => panic!("unknown batch rule {tag}"),
    }
}

/// Decodes `bytes` and compares the verdict with the vector.
fn agree(v: &Vector, bytes: &[u8]) {
    match decode_prepare(bytes) {
        Ok(batch) => {
            assert_eq!(v.expect, "ok", "{}", v.id);
            let count = v.count.expect("count on ok");
            assert_eq!(u64::from(batch.message_count), count, "{}", v.id);
            assert_eq!(batch.messages().count() as u64, count, "{}", v.id);
        }
        Err(e) => {
            assert_eq!(e.name(), v.expect, "{}", v.id);
            assert_eq!(Some(e.to_string()), v.display, "{}", v.id);
            assert_eq!(Some(e.rule), v.rule.as_deref().map(rule), "{}", v.id);
            assert!(!e.reason().is_empty(), "{}", v.id);
        }
    }
}

/// One test, not two: under Miri, loading the vectors is most of the cost.
#[test]
fn batch_vectors_agree_with_the_reference_at_any_alignment() {
    let all = vectors("batch");
    assert!(!all.is_empty());
    for v in &all {
        agree(v, &v.bytes);
        for offset in [1, 7] {
            let mut shifted = vec![0u8; v.bytes.len() + offset];
            shifted[offset..].copy_from_slice(&v.bytes);
            agree(v, &shifted[offset..]);
        }
    }
}
