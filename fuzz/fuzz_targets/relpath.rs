//! `RelPath` is the boundary every written path passes: whatever it
//! accepts stays under the root and out of `.git`, and is stable.
#![no_main]

use goldpath::tree::{is_git_dir_alias, RelPath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    for parsed in [RelPath::new(raw), RelPath::rendered(raw)] {
        let Ok(path) = parsed else { continue };
        let s = path.as_str();
        assert!(!s.is_empty() && !s.starts_with('/') && !s.contains('\\') && !s.contains('\0'));
        for c in path.components() {
            assert!(!c.is_empty() && c != "." && c != "..", "{s:?}");
            assert!(!is_git_dir_alias(c), "{s:?}");
        }
        assert_eq!(RelPath::new(s).as_ref(), Ok(&path), "normalising is idempotent");
    }
});
