//! Text from repositories is data, not markup. Repository names, file
//! names, error messages and changelogs reach Markdown reports, pull-request
//! descriptions, `JUnit` and HTML; each format gets its own escaping here, so
//! a file called `<script>` or `[x](javascript:…)` renders as those characters.

/// `text` as a Markdown code span: shown literally (no links, emphasis or
/// HTML), on one line, and safe inside a table cell.
pub fn md_code(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    let longest = longest_run(&flat, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') || flat.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// `text` as a fenced Markdown block: every line shown as written.
pub fn md_block(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

/// `text` escaped for XML and HTML text and attribute values.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 has no place for most control characters.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_shows_hostile_names_as_text() {
        assert_eq!(md_code("a.txt"), "`a.txt`");
        assert_eq!(
            md_code("[x](javascript:alert(1))"),
            "`[x](javascript:alert(1))`"
        );
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x`"), "`` `x` ``");
        assert_eq!(md_code("a|b\nc"), "`a\\|b c`");
        assert!(md_block("```\nx").starts_with("````text"));
    }

    #[test]
    fn xml_escapes_everything_that_could_be_markup() {
        assert_eq!(
            xml("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(xml("a\u{1b}b"), "a\u{fffd}b");
    }
}
