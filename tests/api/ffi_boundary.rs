//! Every `extern "C"` function of `src/ffi/` is one call to a panic boundary of
//! `src/ffi/panic.rs` and nothing else, so no code of an export runs outside
//! `catch_unwind` and a panic can never unwind into C. A source check: it reads the
//! files, so it does not run under Miri (whose file access is isolated).

use std::path::Path;

/// The functions of `panic.rs` that run a body inside `catch_unwind`.
const BOUNDARIES: [&str; 4] = [
    "boundary",
    "boundary_or",
    "status_boundary",
    "detail_boundary",
];

/// Removes `// ...` comments.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The index just past the bracket that closes the one at `open`.
fn matching(text: &str, open: usize) -> usize {
    let (opening, closing) = match text.as_bytes()[open] {
        b'{' => (b'{', b'}'),
        b'(' => (b'(', b')'),
        other => panic!("not a bracket: {}", other as char),
    };
    let mut depth = 0;
    for (i, &b) in text.as_bytes()[open..].iter().enumerate() {
        if b == opening {
            depth += 1;
        } else if b == closing {
            depth -= 1;
            if depth == 0 {
                return open + i + 1;
            }
        }
    }
    panic!("unbalanced brackets")
}

/// The name and body of every `extern "C" fn` in `source`.
fn exports(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("extern \"C\" fn ") {
        let after = &rest[at + "extern \"C\" fn ".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let params = after.find('(').expect("a parameter list");
        let signature_end = matching(after, params);
        let open = signature_end + after[signature_end..].find('{').expect("a body");
        let close = matching(after, open);
        found.push((name, after[open + 1..close - 1].to_owned()));
        rest = &after[close..];
    }
    found
}

/// Whether `body` is exactly one call to a boundary function, possibly inside
/// `unsafe { }` and with a module path.
fn is_one_boundary_call(body: &str) -> bool {
    let mut code = body.trim();
    if let Some(inner) = code.strip_prefix("unsafe") {
        let inner = inner.trim_start();
        if inner.starts_with('{') && inner.ends_with('}') {
            code = inner[1..inner.len() - 1].trim();
        }
    }
    let code = code.strip_prefix("super::panic::").unwrap_or(code);
    let Some(open) = code.find('(') else {
        return false;
    };
    BOUNDARIES.contains(&code[..open].trim()) && code[matching(code, open)..].trim().is_empty()
}

#[test]
#[cfg_attr(miri, ignore = "reads the source files")]
fn every_export_body_is_one_call_to_a_panic_boundary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ffi");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("src/ffi") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = strip_comments(&std::fs::read_to_string(&path).expect("readable"));
        for (name, body) in exports(&source) {
            assert!(
                is_one_boundary_call(&body),
                "{}: the body of {name} is not one call to a panic boundary of panic.rs:\n{body}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 40,
        "only {checked} exports found: is the scan broken?"
    );
}

#[test]
fn the_check_refuses_code_outside_the_boundary() {
    assert!(is_one_boundary_call(" status_boundary(|| { Ok(()) }) "));
    assert!(is_one_boundary_call(
        " unsafe { super::panic::boundary(|| f()) } "
    ));
    assert!(!is_one_boundary_call(" let x = g(); boundary(|| f(x)) "));
    assert!(!is_one_boundary_call(" boundary(|| f()); g() "));
    assert!(!is_one_boundary_call(" unsafe { g() } "));
}
