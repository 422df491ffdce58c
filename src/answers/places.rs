//! Where each answer sits in the file it came from, so a bad answer in a
//! YAML, JSON or TOML answers file (or a `ServiceRequest`) is reported at its
//! line and under the name the file uses, as manifest errors are. The parsed
//! values lose their positions, so keys are found in the text again.

use std::collections::BTreeMap;

/// Per variable: the field as the file names it, and its line.
pub type Places = BTreeMap<String, Place>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The key, or the dotted path of a request field (`spec.database`).
    pub field: String,
    pub line: Option<usize>,
}

/// The 1-based line of `dotted` (keys nested by indentation, `a.b.c`) in
/// `text`: each key is looked for after the previous one's line, deeper
/// indented. Keys may be quoted; `:` (YAML, JSON) and `=` (TOML) both end one.
pub fn line_of(text: &str, dotted: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    let mut indent: Option<usize> = None;
    let mut found = None;
    for key in dotted.split('.') {
        let (i, depth) = lines
            .iter()
            .enumerate()
            .skip(from)
            .take_while(|(_, l)| {
                // A key further out than the parent's ends the parent.
                indent.is_none_or(|p| l.trim().is_empty() || leading(l) > p)
            })
            .find(|(_, l)| is_key_line(l, key))
            .map(|(i, l)| (i, leading(l)))?;
        found = Some(i + 1);
        from = i + 1;
        indent = Some(depth);
    }
    found
}

fn leading(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_key_line(line: &str, key: &str) -> bool {
    let t = line.trim_start().trim_start_matches("- ");
    let rest = ["\"", "'", ""].iter().find_map(|q| {
        t.strip_prefix(q)
            .and_then(|r| r.strip_prefix(key))
            .and_then(|r| r.strip_prefix(q))
    });
    rest.is_some_and(|r| {
        let r = r.trim_start();
        r.starts_with(':') || r.starts_with('=')
    })
}

#[cfg(test)]
mod tests {
    use super::line_of;

    #[test]
    fn finds_keys_in_yaml_toml_and_json() {
        let yaml =
            "apiVersion: v1\nspec:\n  name: orders\n  database:\n    engine: postgres\nname: top\n";
        assert_eq!(line_of(yaml, "spec.database.engine"), Some(5));
        assert_eq!(line_of(yaml, "spec.name"), Some(3));
        assert_eq!(
            line_of(yaml, "name"),
            Some(3),
            "first match when not nested"
        );
        assert_eq!(line_of(yaml, "spec.missing"), None);
        assert_eq!(line_of("[answers]\nport = 80\n", "port"), Some(2));
        assert_eq!(line_of("{\n  \"port\": \"x\"\n}\n", "port"), Some(2));
    }
}
