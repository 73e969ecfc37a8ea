//! A document nested too deep, refused before it is parsed.
//!
//! async-graphql's parser turns a nested list or object value (`[[[…]]]`, `{a:{a:…}}`) into
//! its value by recursion, with no limit of its own short of several thousand levels: a
//! document of a few kilobytes, `[` sixteen hundred times, overflowed a worker's stack and
//! aborted the process, before any token was checked. So every document is scanned first,
//! in one pass that skips strings, block strings and comments, and one whose brackets
//! (`{`, `[` and `(` together) nest deeper than [`MAX_NESTING`] is never parsed. No
//! selection Concord allows (16 fields deep) or input it takes comes near it.

use async_graphql::ServerError;

/// How deep `{`, `[` and `(` may nest in one document.
pub const MAX_NESTING: usize = 128;

/// Whether brackets outside strings and comments nest deeper than [`MAX_NESTING`].
pub fn too_deep(document: &str) -> bool {
    let bytes = document.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        match byte {
            b'#' => {
                while bytes.get(at).is_some_and(|b| *b != b'\n' && *b != b'\r') {
                    at += 1;
                }
            }
            b'"' if bytes.get(at..at + 2) == Some(b"\"\"") => {
                at += 2;
                // A block string ends at the first `"""` not escaped as `\"""`.
                while at < bytes.len() && bytes.get(at..at + 3) != Some(b"\"\"\"") {
                    at += if bytes.get(at..at + 4) == Some(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                at += 3;
            }
            b'"' => {
                while let Some(&b) = bytes.get(at) {
                    at += 1;
                    match b {
                        b'\\' => at += 1,
                        b'"' | b'\n' | b'\r' => break,
                        _ => {}
                    }
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return true;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The refusal of a document nested too deep to parse safely, `LIMIT_EXCEEDED`.
pub fn refusal(document: &str) -> Option<ServerError> {
    if !too_deep(document) {
        return None;
    }
    Some(super::limits::limit_exceeded(
        &format!("the document nests brackets more than {MAX_NESTING} deep"),
        MAX_NESTING,
        "nesting",
        MAX_NESTING + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_count_outside_strings_and_comments_only() {
        let deep = |open: &str, close: &str, n: usize| {
            format!("{{ f(x: {}1{}) }}", open.repeat(n), close.repeat(n))
        };
        assert!(!too_deep(&deep("[", "]", MAX_NESTING - 2)));
        assert!(too_deep(&deep("[", "]", MAX_NESTING)));
        assert!(too_deep(&deep("{a:", "}", 1600)));
        let quoted = format!("{{ f(x: \"{}\") }}", "[".repeat(1000));
        assert!(!too_deep(&quoted));
        let escaped = format!("{{ f(x: \"\\\"{}\") }}", "[".repeat(1000));
        assert!(!too_deep(&escaped));
        let block = format!("{{ f(x: \"\"\" \\\"\"\" {} \"\"\") }}", "[".repeat(1000));
        assert!(!too_deep(&block));
        let comment = format!("# {}\n{{ a }}", "{".repeat(1000));
        assert!(!too_deep(&comment));
        // Closing more than was opened does not buy depth.
        let unbalanced = format!("{}{}", "]".repeat(500), "[".repeat(MAX_NESTING + 1));
        assert!(too_deep(&unbalanced));
        assert!(refusal("{ a { b } }").is_none());
    }
}
