//! The golden vectors (`tests/vectors/wire-public.jsonl`, format in its README),
//! embedded so the tests also run under Miri, where file access is isolated.

#![allow(dead_code)]

use serde_json::Value;

const VECTORS: &str = include_str!("../vectors/wire-public.jsonl");

/// One vector; the fields a kind does not have are `None`.
pub struct Vector {
    pub id: String,
    pub kind: String,
    pub bytes: Vec<u8>,
    pub expect: String,
    pub display: Option<String>,
    pub rule: Option<String>,
    pub header: Option<String>,
    pub variant: Option<String>,
    pub frame_validate: Option<String>,
    pub expect_via_generic: Option<String>,
    pub display_via_generic: Option<String>,
    pub sealed_hex: Option<String>,
    pub count: Option<u64>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The vectors of one kind. Under Miri only every 8th vector of the kind is checked
/// (Miri is about 1000 times slower); the full file runs natively.
pub fn vectors(kind: &str) -> Vec<Vector> {
    let step = if cfg!(miri) { 8 } else { 1 };
    // Every line starts with its id, `{"id":"pub-<kind>-...`: a cheap filter.
    let prefix = format!("{{\"id\":\"pub-{kind}-");
    VECTORS
        .lines()
        .filter(|line| line.starts_with(&prefix))
        .step_by(step)
        .map(|line| serde_json::from_str::<Value>(line).expect("a JSON line"))
        .inspect(|v| assert_eq!(v["kind"], kind))
        .map(|v| Vector {
            id: text(&v, "id").unwrap(),
            kind: text(&v, "kind").unwrap(),
            bytes: hex::decode(v["hex"].as_str().unwrap()).unwrap(),
            expect: text(&v, "expect").unwrap(),
            display: text(&v, "display"),
            rule: text(&v, "rule"),
            header: text(&v, "header"),
            variant: text(&v, "variant"),
            frame_validate: text(&v, "frame_validate"),
            expect_via_generic: text(&v, "expect_via_generic"),
            display_via_generic: text(&v, "display_via_generic"),
            sealed_hex: text(&v, "sealed_hex"),
            count: v.get("count").and_then(Value::as_u64),
        })
        .collect()
}
