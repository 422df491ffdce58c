//! Per-glob alternative delimiters by translation.
//!
//! A Helm template written with `[[ ]]` becomes, for Tera,
//! `{% raw %}{{ .Values.x }}{% endraw %}` for the literal Helm part and
//! `{{ service_name }}` for ours. Newlines are never added or removed, so
//! an error's line in the translated text is its line in the author's file.

use crate::manifest::{DelimiterSpec, EngineKind};

#[derive(Clone, Copy)]
enum TagKind {
    Variable,
    Block,
    Comment,
}

/// Rewrites `source`, written with `spec`'s delimiters, into `engine`'s own syntax.
pub fn translate(source: &str, spec: &DelimiterSpec, engine: EngineKind) -> String {
    let mut openers: Vec<(&str, &str, TagKind)> =
        vec![(&spec.variable[0], &spec.variable[1], TagKind::Variable)];
    if let Some([open, close]) = &spec.block {
        openers.push((open, close, TagKind::Block));
    }
    if let Some([open, close]) = &spec.comment {
        openers.push((open, close, TagKind::Comment));
    }
    // Longest opener first, so `[[%` is not read as `[[` followed by `%`.
    openers.sort_by_key(|(open, _, _)| std::cmp::Reverse(open.len()));

    let mut out = String::with_capacity(source.len() + 64);
    let mut literal_start = 0;
    let mut i = 0;
    while i < source.len() {
        let rest = &source[i..];
        let found = openers.iter().find(|(open, _, _)| rest.starts_with(*open));
        let Some((open, close, kind)) = found else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        push_literal(&mut out, &source[literal_start..i], engine, true);
        let inner_start = i + open.len();
        let (inner, next, closed) = match source[inner_start..].find(*close) {
            Some(end) => (
                &source[inner_start..inner_start + end],
                inner_start + end + close.len(),
                true,
            ),
            // Unclosed: hand the rest to the engine, which reports it at this line.
            None => (&source[inner_start..], source.len(), false),
        };
        let (engine_open, engine_close) = engine_delimiters(engine, *kind);
        out.push_str(engine_open);
        out.push_str(inner);
        if closed {
            out.push_str(engine_close);
        }
        i = next;
        literal_start = next;
    }
    push_literal(&mut out, &source[literal_start..], engine, false);
    out
}

fn engine_delimiters(engine: EngineKind, kind: TagKind) -> (&'static str, &'static str) {
    match (engine, kind) {
        (EngineKind::Tera, TagKind::Variable) => ("{{", "}}"),
        (EngineKind::Tera, TagKind::Block) => ("{%", "%}"),
        (EngineKind::Tera, TagKind::Comment) => ("{#", "#}"),
        (EngineKind::Handlebars, TagKind::Comment) => ("{{!--", "--}}"),
        (EngineKind::Handlebars, _) => ("{{", "}}"),
    }
}

/// Appends text that must come out exactly as written. `before_tag`: one of the
/// engine's tags follows, so a trailing `{` (`PromQL`'s `{[[ selector ]]}`) must not merge
/// with the tag's `{{` into a `{{{` the engine would misread.
fn push_literal(out: &mut String, text: &str, engine: EngineKind, before_tag: bool) {
    let brace_before_tag = before_tag && text.ends_with('{');
    match engine {
        EngineKind::Tera => {
            if brace_before_tag || ["{{", "{%", "{#"].iter().any(|d| text.contains(d)) {
                out.push_str("{% raw %}");
                out.push_str(text);
                out.push_str("{% endraw %}");
            } else {
                out.push_str(text);
            }
        }
        // Handlebars prints `\{{` as a literal `{{`, and our helper prints a `{`.
        EngineKind::Handlebars => {
            let escaped = text.replace("{{", "\\{{");
            match escaped.strip_suffix('{').filter(|_| brace_before_tag) {
                Some(head) => {
                    out.push_str(head);
                    out.push_str("{{");
                    out.push_str(super::handlebars::OPEN_BRACE_HELPER);
                    out.push_str("}}");
                }
                None => out.push_str(&escaped),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> DelimiterSpec {
        DelimiterSpec {
            variable: ["[[".into(), "]]".into()],
            block: Some(["[%".into(), "%]".into()]),
            comment: Some(["[#".into(), "#]".into()]),
        }
    }

    #[test]
    fn helm_text_becomes_raw_for_tera() {
        let src = "name: [[ service_name ]]\nimage: {{ .Values.image }}\n[% if x %]y[% endif %]";
        let out = translate(src, &square(), EngineKind::Tera);
        assert_eq!(
            out,
            "name: {{ service_name }}{% raw %}\nimage: {{ .Values.image }}\n{% endraw %}{% if x %}y{% endif %}"
        );
        assert_eq!(out.lines().count(), src.lines().count());
    }

    #[test]
    fn actions_text_is_escaped_for_handlebars() {
        let spec = DelimiterSpec {
            variable: ["<<".into(), ">>".into()],
            block: None,
            comment: None,
        };
        let out = translate(
            "run: ${{ secrets.X }} << name >>",
            &spec,
            EngineKind::Handlebars,
        );
        assert_eq!(out, "run: $\\{{ secrets.X }} {{ name }}");
    }

    #[test]
    fn a_brace_right_before_a_tag_stays_a_brace() {
        let src = "up{[[ selector ]]} [% if x %]{[% endif %]{[[ y ]]}";
        let out = translate(src, &square(), EngineKind::Tera);
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t", &out).unwrap();
        let mut context = tera::Context::new();
        context.insert("selector", "job=\"a\"");
        context.insert("x", &true);
        context.insert("y", "b");
        assert_eq!(
            tera.render("t", &context).unwrap().replace("&quot;", "\""),
            "up{job=\"a\"} {{b}"
        );

        let spec = DelimiterSpec {
            variable: ["<<".into(), ">>".into()],
            block: None,
            comment: None,
        };
        let out = translate("up{<< selector >>}", &spec, EngineKind::Handlebars);
        let mut handlebars = handlebars::Handlebars::new();
        handlebars.register_escape_fn(handlebars::no_escape);
        super::super::handlebars::register_helpers(&mut handlebars);
        let rendered = handlebars
            .render_template(&out, &serde_json::json!({ "selector": "job=\"a\"" }))
            .unwrap();
        assert_eq!(rendered, "up{job=\"a\"}");
    }

    #[test]
    fn unclosed_tag_is_left_for_the_engine_to_report() {
        let out = translate("a [[ b", &square(), EngineKind::Tera);
        assert_eq!(out, "a {{ b");
    }
}
