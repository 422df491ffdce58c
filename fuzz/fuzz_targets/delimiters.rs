//! Delimiter translation never panics and keeps every line where it was (so
//! error lines point into the author's file).
#![no_main]

use goldpath::manifest::{DelimiterSpec, EngineKind};
use goldpath::render::translate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u8, &str)| {
    let (text, variant, raw) = input;
    let pair = |s: &str| -> [String; 2] {
        let mut parts = s.splitn(2, ' ');
        [
            parts.next().unwrap_or("[[").chars().take(3).collect(),
            parts.next().unwrap_or("]]").chars().take(3).collect(),
        ]
    };
    let variable = pair(raw);
    // What the manifest validator accepts: no blanks, no line breaks, distinct.
    let blank = |d: &str| d.is_empty() || d.chars().any(|c| c.is_whitespace() || c.is_control());
    if blank(&variable[0]) || blank(&variable[1]) || variable[0] == variable[1] {
        return;
    }
    let spec = DelimiterSpec {
        variable,
        block: (variant & 1 == 1).then(|| ["[%".to_string(), "%]".to_string()]),
        comment: (variant & 2 == 2).then(|| ["[#".to_string(), "#]".to_string()]),
    };
    let engine = if variant & 4 == 4 { EngineKind::Handlebars } else { EngineKind::Tera };
    let out = translate(text, &spec, engine);
    assert_eq!(
        out.matches('\n').count(),
        text.matches('\n').count(),
        "lines must stay where they were"
    );
});
