//! Name conversions between the tables' Rust names and the C and Go spellings, and
//! doc text for comments in another language.

/// `PrepareOk` → `PREPARE_OK`: a `_` before each capital that follows a lowercase
/// letter or a digit.
pub fn screaming(camel: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in camel.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `PrepareOkHeader` → `prepare_ok_header`.
pub fn snake(camel: &str) -> String {
    screaming(camel).to_ascii_lowercase()
}

/// `NULL_ARGUMENT` or `user_id` → `NullArgument` or `UserID`: each word capitalised,
/// with Go's initialism `ID`.
pub fn go_camel(words: &str) -> String {
    words
        .split('_')
        .map(|word| match word.to_ascii_lowercase().as_str() {
            "id" => "ID".to_owned(),
            lower => {
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            }
        })
        .collect()
}

/// The C name of a header view: `PrepareOkHeader` → `iggy_prepare_ok_header`.
pub fn c_view(header: &str) -> String {
    format!("iggy_{}", snake(header))
}

/// The lines of a doc comment from the tables, as plain text for a comment in C or Go:
/// Rust intra-doc links become their text. Panics on text the generated files must not
/// carry (a `§` reference into the wire specification, which users do not have).
pub fn doc_lines(doc: &str) -> Vec<String> {
    assert!(
        !doc.contains('§'),
        "a table doc cites the wire specification, which users cannot read: {doc:?}"
    );
    doc.lines()
        .map(|line| unlink(line.trim()))
        .filter(|line| !line.is_empty())
        .collect()
}

/// `[`Name`]` → `` `Name` ``, `[text](target)` → `text`.
fn unlink(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|i| open + i) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[close + 1..];
        if let Some(end) = rest.find(')').filter(|_| rest.starts_with('(')) {
            rest = &rest[end + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// One line of doc text, for a one-line comment.
pub fn doc_line(doc: &str) -> String {
    doc_lines(doc).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(screaming("PrepareOk"), "PREPARE_OK");
        assert_eq!(
            screaming("ClientIdOwnedByAnotherUser"),
            "CLIENT_ID_OWNED_BY_ANOTHER_USER"
        );
        assert_eq!(c_view("PrepareOkHeader"), "iggy_prepare_ok_header");
        assert_eq!(go_camel("user_id"), "UserID");
        assert_eq!(go_camel("NULL_ARGUMENT"), "NullArgument");
        assert_eq!(go_camel("checksum_body"), "ChecksumBody");
        assert_eq!(
            unlink("as in [`RequestHeader`], see [docs](x.md)"),
            "as in `RequestHeader`, see docs"
        );
    }
}
