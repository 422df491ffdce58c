//! Maps a field path (`variables.port.default`, `conditions.1.when`) to the
//! line it is written on, so semantic errors found after deserialising can
//! still point at a line without wrapping every manifest field in a span type.

use toml_edit::{Document, Item, Value};

/// Line lookup for one TOML document.
pub struct SpanIndex {
    doc: Option<Document<String>>,
    text: String,
}

impl SpanIndex {
    pub fn new(text: &str) -> Self {
        SpanIndex {
            doc: Document::parse(text.to_string()).ok(),
            text: text.to_string(),
        }
    }

    /// The 1-based line of the deepest part of `path` that exists.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let doc = self.doc.as_ref()?;
        let segments: Vec<&str> = path.split('.').collect();
        let mut deepest = None;
        walk_item(doc.as_item(), &segments, &mut deepest);
        deepest.map(|offset| self.line_at(offset))
    }

    /// 1-based line of a byte offset.
    pub fn line_at(&self, offset: usize) -> usize {
        crate::error::line_at(&self.text, offset)
    }
}

fn walk_item(item: &Item, path: &[&str], deepest: &mut Option<usize>) {
    let Some((head, rest)) = path.split_first() else {
        return;
    };
    match item {
        Item::Table(table) => {
            if let Some(span) = table.key(head).and_then(toml_edit::Key::span) {
                *deepest = Some(span.start);
            }
            if let Some(child) = table.get(head) {
                walk_item(child, rest, deepest);
            }
        }
        Item::ArrayOfTables(array) => {
            if let Some(table) = head.parse::<usize>().ok().and_then(|i| array.get(i)) {
                if let Some(span) = table.span() {
                    *deepest = Some(span.start);
                }
                walk_item_in_table(table, rest, deepest);
            }
        }
        Item::Value(value) => walk_value(value, path, deepest),
        Item::None => {}
    }
}

fn walk_item_in_table(table: &toml_edit::Table, path: &[&str], deepest: &mut Option<usize>) {
    let Some((head, rest)) = path.split_first() else {
        return;
    };
    if let Some(span) = table.key(head).and_then(toml_edit::Key::span) {
        *deepest = Some(span.start);
    }
    if let Some(child) = table.get(head) {
        walk_item(child, rest, deepest);
    }
}

fn walk_value(value: &Value, path: &[&str], deepest: &mut Option<usize>) {
    let Some((head, rest)) = path.split_first() else {
        return;
    };
    match value {
        Value::InlineTable(table) => {
            if let Some(span) = table.key(head).and_then(toml_edit::Key::span) {
                *deepest = Some(span.start);
            }
            if let Some(child) = table.get(head) {
                walk_value(child, rest, deepest);
            }
        }
        Value::Array(array) => {
            if let Some(child) = head.parse::<usize>().ok().and_then(|i| array.get(i)) {
                if let Some(span) = child.span() {
                    *deepest = Some(span.start);
                }
                walk_value(child, rest, deepest);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::SpanIndex;

    #[test]
    fn finds_lines_of_nested_fields() {
        let text = "name = \"x\"\n\n[variables.port]\ntype = \"integer\"\ndefault = 1\n\n[[conditions]]\npaths = [\"a\"]\n\n[[conditions]]\npaths = [\"b\", \"c\"]\nwhen = \"x\"\n";
        let idx = SpanIndex::new(text);
        assert_eq!(idx.line_of("name"), Some(1));
        assert_eq!(idx.line_of("variables.port.default"), Some(5));
        assert_eq!(idx.line_of("variables.port.missing"), Some(3));
        assert_eq!(idx.line_of("conditions.1.when"), Some(12));
        assert_eq!(idx.line_of("conditions.1.paths.1"), Some(11));
    }
}
