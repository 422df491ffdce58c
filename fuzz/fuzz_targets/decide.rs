//! The upgrade decision table: one decision per path, never a panic, and the
//! invariants that keep every change (what both sides agree on is kept,
//! seed-once files are never written).
#![no_main]

use goldpath::merge::{decide, Action, MergedText, PathRules};
use goldpath::tree::{FileEntry, RelPath, Tree};
use libfuzzer_sys::fuzz_target;

fn tree(spec: &[(u8, u8, bool)]) -> Tree {
    spec.iter()
        .map(|(p, c, x)| {
            let path = RelPath::new(&format!("f{}", p % 6)).unwrap();
            let content = match c % 5 {
                0 => b"a\n".to_vec(),
                1 => b"b\n".to_vec(),
                2 => b"a\nb\n".to_vec(),
                3 => vec![0, 1, *c],
                _ => Vec::new(),
            };
            let entry = if c % 11 == 10 {
                FileEntry::symlink(b"a".to_vec())
            } else {
                FileEntry::new(content, *x)
            };
            (path, entry)
        })
        .collect()
}

fuzz_target!(|input: (Vec<(u8, u8, bool)>, Vec<(u8, u8, bool)>, Vec<(u8, u8, bool)>, u8)| {
    let (b, o, t, seed) = input;
    let (base, ours, theirs) = (tree(&b), tree(&o), tree(&t));
    let seed_once = vec![RelPath::new(&format!("f{}", seed % 6)).unwrap()];
    let rules = PathRules {
        seed_once: &seed_once,
        binary: &|p: &RelPath| p.as_str() == "f5",
    };
    let mut merge = |b: &[u8], o: &[u8], t: &[u8]| {
        Ok(MergedText {
            content: [o, t].concat(),
            conflicted: b != o && b != t,
        })
    };
    let decisions = decide(&base, &ours, &theirs, &rules, &mut merge).unwrap();
    let mut all: Vec<&RelPath> = base.paths().chain(ours.paths()).chain(theirs.paths()).collect();
    all.sort();
    all.dedup();
    assert_eq!(decisions.len(), all.len(), "one decision per path");
    for d in &decisions {
        let (o, t) = (ours.get(&d.path), theirs.get(&d.path));
        if o == t {
            assert_eq!(d.action, Action::Keep, "{}: both sides agree", d.path);
        }
        if seed_once.contains(&d.path) && (base.get(&d.path).is_some() || o.is_some()) {
            assert_eq!(d.action, Action::Keep, "{}: seed-once", d.path);
        }
        if let Action::Write(e) = &d.action {
            if t.is_none() && o.is_none() {
                panic!("{}: wrote a file nobody has: {e:?}", d.path);
            }
        }
    }
});
