//! Error messages about claim records that name the field and the problem, never the value.
//!
//! serde's messages quote what they rejected (`invalid type: string "123-45-6789", expected
//! u32`, ``unknown variant `...` ``), and a JSON path names map keys the sender chose. A claim
//! record is PHI, so every message that leaves the library passes through here: quoted values
//! become their kind (`a string`), quoted names are kept only when they look like a field
//! name (a short snake_case identifier), and path segments that are not field names or
//! indices become `?`. The rewriting works on serde's message grammar rather than on our own
//! types because serde builds these messages itself.

/// Longest name kept in a message or path.
const MAX_NAME: usize = 40;

/// Whether `text` reads as a field name: a short identifier of lowercase letters, digits
/// and `_`, starting with a letter.
pub(crate) fn is_field_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_NAME
        && text.as_bytes()[0].is_ascii_lowercase()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A JSON path (`lines[0].code`, `report.facts.SOMEKEY`) with every segment that is not a
/// field name (and index) replaced by `?`.
pub(crate) fn redact_path(path: &str) -> String {
    path.split('.')
        .map(|segment| {
            let name = segment.split('[').next().unwrap_or(segment);
            let indices = &segment[name.len()..];
            let indices_ok = indices
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'[' || b == b']');
            if is_field_name(name) && indices_ok && indices.len() <= 12 {
                segment.to_owned()
            } else {
                "?".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// serde's message with the value it quotes replaced by its kind, and the name it quotes
/// kept only when it is a field name. Messages of our own types (custom errors) already name
/// no value and pass unchanged, examples and all.
pub(crate) fn redact_message(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (unexpected, expected) = match rest.rfind(", expected ") {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            return format!("{prefix}{}{expected}", kind_of(unexpected));
        }
    }
    for prefix in ["unknown variant ", "unknown field ", "duplicate field "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return format!("{prefix}{}", redact_first_quoted(rest));
        }
    }
    message.to_owned()
}

/// What serde's `Unexpected` names, without its value.
fn kind_of(unexpected: &str) -> &'static str {
    let kinds = [
        ("string", "a string"),
        ("integer", "an integer"),
        ("floating point", "a number"),
        ("boolean", "a boolean"),
        ("char", "a character"),
        ("map", "an object"),
        ("sequence", "an array"),
        ("null", "null"),
        ("unit", "null"),
    ];
    kinds
        .iter()
        .find(|(k, _)| unexpected.starts_with(k))
        .map_or("a value", |(_, kind)| kind)
}

/// Text whose leading `` `quoted` `` part is kept only when it is a field name. The quoted
/// part ends at the last "`, expected" (serde appends what it expected after it), so a value
/// holding a backtick cannot push part of itself past the quote.
fn redact_first_quoted(text: &str) -> String {
    let Some(body) = text.strip_prefix('`') else {
        return text.to_owned();
    };
    let end = body
        .rfind("`, expected")
        .or_else(|| body.rfind('`'))
        .unwrap_or(body.len());
    let inner = &body[..end];
    let after = body.get(end + 1..).unwrap_or("");
    if is_field_name(inner) {
        format!("`{inner}`{after}")
    } else {
        format!("(value withheld){after}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn values_never_survive_and_field_names_do() {
        let cases = [
            (
                "invalid type: string \"123-45-6789\", expected u32",
                "invalid type: a string, expected u32",
            ),
            (
                "invalid value: integer `987654321`, expected a date",
                "invalid value: an integer, expected a date",
            ),
            (
                "unknown variant `SSN 123-45-6789`, expected one of `professional`, `institutional`",
                "unknown variant (value withheld), expected one of `professional`, `institutional`",
            ),
            (
                "unknown field `ssn`, expected one of `id`, `payer`",
                "unknown field `ssn`, expected one of `id`, `payer`",
            ),
            (
                "unknown field `Jane Doe`, expected `id`",
                "unknown field (value withheld), expected `id`",
            ),
            ("missing field `patient`", "missing field `patient`"),
            ("duplicate field `id", "duplicate field `id`"),
            ("duplicate field `Jane", "duplicate field (value withheld)"),
            (
                "unknown variant `a`, expected`, expected one of `x`",
                "unknown variant (value withheld), expected one of `x`",
            ),
            (
                "invalid modifier: expected 2 letters or digits (e.g. `26`, `TC`, `XS`)",
                "invalid modifier: expected 2 letters or digits (e.g. `26`, `TC`, `XS`)",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(redact_message(input), expected, "{input}");
        }
    }

    #[test]
    fn paths_keep_field_names_and_indices_only() {
        assert_eq!(redact_path("lines[0].code"), "lines[0].code");
        assert_eq!(redact_path("report.facts.Jane Doe"), "report.facts.?");
        assert_eq!(
            redact_path("report.facts.independent_workstation"),
            "report.facts.independent_workstation"
        );
        assert_eq!(redact_path("123-45-6789"), "?");
    }
}
