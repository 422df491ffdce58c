//! Source URL normalisation for trust: what it accepts is credential-free,
//! query-free, stable under a second pass, and trusted by its own pattern.
#![no_main]

use goldpath::source::{parse_remote, SourcePattern};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(url) = parse_remote(raw) else { return };
    assert!(!url.clean.contains('?') && !url.clean.contains('#'), "{}", url.clean);
    assert!(!url.clean.contains("/../") && !url.clean.contains("/./"), "{}", url.clean);
    if url.scheme == "http" || url.scheme == "https" {
        let authority = url.clean.split_once("://").map(|(_, r)| r).unwrap_or_default();
        let host_part = authority.split('/').next().unwrap_or_default();
        assert!(!host_part.contains('@'), "credentials left in {}", url.clean);
    }
    let again = parse_remote(&url.clean).expect("a clean URL parses");
    assert_eq!(again.clean, url.clean, "normalising is idempotent");
    // A trailing `*` makes a pattern a prefix: not the same thing.
    if url.scheme != "file" && !url.clean.ends_with('*') {
        let pattern = SourcePattern::parse(&url.clean).expect("a clean URL is a pattern");
        assert!(pattern.matches(&url.clean));
    }
});
