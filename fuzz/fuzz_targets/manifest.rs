//! The manifest parser and validator never panic, whatever the text.
#![no_main]

use goldpath::manifest::{parse_manifest, Inherited};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = parse_manifest(text, "golden-path.toml", &Inherited::default());
});
