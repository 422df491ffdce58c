//! Which variables an expression or template refers to.
//!
//! A small lexer rather than Tera's parser: manifests hold short expressions
//! (`database != 'none' and cache == 'redis'`), and we need the free names in
//! them to report "not declared" before anything renders. It skips string
//! literals, attribute access (`a.b` yields `a`), filter and test names
//! (`| upper`, `is defined`), function calls, named arguments and keywords.

const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "is",
    "true",
    "false",
    "True",
    "False",
    "if",
    "else",
    "elif",
    "endif",
    "for",
    "endfor",
    "set",
    "set_global",
    "endset",
    "raw",
    "endraw",
    "loop",
    "filter",
    "endfilter",
    "macro",
    "endmacro",
    "block",
    "endblock",
    "include",
    "import",
    "extends",
    "break",
    "continue",
    "as",
    "with",
    "none",
    "None",
    "null",
];

/// Just past the string literal that opens at `bytes[i]` (Tera's `"`, `'`
/// or backtick; a backslash escapes the next byte), or `None` when none opens
/// there. An unclosed literal runs to the end.
pub fn string_literal_end(bytes: &[u8], i: usize) -> Option<usize> {
    let quote = *bytes.get(i)?;
    if !matches!(quote, b'"' | b'\'' | b'`') {
        return None;
    }
    let mut j = i + 1;
    while j < bytes.len() && bytes[j] != quote {
        if bytes[j] == b'\\' {
            j += 1;
        }
        j += 1;
    }
    Some(j + 1)
}

/// Free variable names in a Tera expression, in order of first use.
pub fn expression_variables(expr: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut locals: Vec<String> = Vec::new();
    let bytes = expr.as_bytes();
    let mut i = 0;
    let mut prev_significant: Option<u8> = None;
    let mut prev_word: Option<String> = None;
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(end) = string_literal_end(bytes, i) {
            i = end;
            prev_significant = Some(b'"');
            prev_word = None;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &expr[start..i];
            let next = expr[i..].trim_start();
            let is_call = next.starts_with('(');
            let is_named_arg = next.starts_with('=') && !next.starts_with("==");
            let after_dot_or_pipe = matches!(prev_significant, Some(b'.' | b'|'));
            let after_is = prev_word.as_deref() == Some("is")
                || prev_word.as_deref() == Some("not") && found_is_before(&expr[..start]);
            let after_for = prev_word.as_deref() == Some("for");
            let after_set = matches!(prev_word.as_deref(), Some("set" | "set_global"));
            if after_for || after_set {
                locals.push(word.to_string());
            } else if !KEYWORDS.contains(&word)
                && !is_call
                && !is_named_arg
                && !after_dot_or_pipe
                && !after_is
                && !locals.iter().any(|l| l == word)
                && !found.iter().any(|f| f == word)
            {
                found.push(word.to_string());
            }
            prev_word = Some(word.to_string());
            prev_significant = Some(b'a');
            continue;
        }
        if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
            prev_significant = Some(b'0');
            prev_word = None;
            continue;
        }
        if !c.is_ascii_whitespace() {
            prev_significant = Some(c);
            if c != b',' {
                prev_word = None;
            }
        }
        i += 1;
    }
    found
}

fn found_is_before(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches("not")
        .trim_end()
        .ends_with(" is")
}

/// Free variable names used in the tags of a Tera template string
/// (`"{{ service_name }}-db"`). Text outside tags is ignored.
pub fn template_variables(template: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut locals: Vec<String> = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find(['{']) {
        let after = &rest[start..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            rest = &rest[start + 1..];
            continue;
        };
        let Some(end) = after[2..].find(close) else {
            break;
        };
        let inner = after[2..2 + end].trim_matches(|c| c == '-' || c == ' ');
        for (kw, target) in [("for ", true), ("set ", true), ("set_global ", true)] {
            if let Some(body) = inner.strip_prefix(kw) {
                if target {
                    if let Some(name) = body.split([' ', '=', ',']).next() {
                        locals.push(name.trim().to_string());
                    }
                }
            }
        }
        for name in expression_variables(inner) {
            if !locals.contains(&name) && !found.contains(&name) {
                found.push(name);
            }
        }
        rest = &after[2 + end + 2..];
    }
    found
}

/// Whether a string holds Tera tags at all (a plain default needs no rendering).
pub fn is_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        assert_eq!(
            expression_variables("database != 'none' and cache == \"redis\""),
            ["database", "cache"]
        );
        assert_eq!(
            expression_variables("value | length <= max_len"),
            ["value", "max_len"]
        );
        assert_eq!(expression_variables("scaling.min > 1"), ["scaling"]);
        assert_eq!(
            expression_variables("x is defined and not y is string"),
            ["x", "y"]
        );
        assert_eq!(expression_variables("'metrics' in features"), ["features"]);
        assert_eq!(
            expression_variables("now(timestamp=true) > 0"),
            Vec::<String>::new()
        );
        assert_eq!(
            expression_variables("a | replace(from='-', to=sep)"),
            ["a", "sep"]
        );
        assert_eq!(expression_variables("1.5 > ratio"), ["ratio"]);
    }

    #[test]
    fn templates() {
        assert_eq!(
            template_variables("{{ service_name }}-db"),
            ["service_name"]
        );
        assert_eq!(
            template_variables("{% for r in routes %}{{ r.path }}{{ prefix }}{% endfor %}"),
            ["routes", "prefix"]
        );
        assert_eq!(
            template_variables("plain text { not a tag }"),
            Vec::<String>::new()
        );
        assert!(is_template("{{ a }}"));
        assert!(!is_template("a-b"));
    }
}
