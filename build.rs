//! Embeds `golden-paths/` into the binary so `cargo install` users get the
//! built-in catalog. Generated rather than `include_dir!` because we must
//! keep each file's executable bit, which `include_dir` drops.

// Writes the generated source file into OUT_DIR.
#![allow(clippy::disallowed_methods)]
// Cargo reads a build script's instructions from its stdout.
#![allow(clippy::disallowed_macros)]

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden-paths");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = String::from("pub static FILES: &[(&str, &[u8], bool)] = &[\n");
    if root.is_dir() {
        let walk = walkdir::WalkDir::new(&root).sort_by_file_name().into_iter();
        for entry in walk {
            let entry = entry.expect("readable golden-paths/");
            println!("cargo:rerun-if-changed={}", entry.path().display());
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&root).expect("under root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            // `scaffold test` scenarios (answers, expected trees) stay out of the binary.
            if rel.split('/').nth(1) == Some("tests") {
                continue;
            }
            let executable = is_executable(&entry.metadata().expect("metadata"));
            writeln!(
                entries,
                "    ({rel:?}, include_bytes!({:?}), {executable}),",
                entry.path().display().to_string()
            )
            .expect("write to string");
        }
    }
    entries.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_files.rs");
    std::fs::write(out, entries).expect("write builtin_files.rs");
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}
