//! Variables: declared but never read, and defaults that fail the variable's
//! own type, choices, regex or `validate`. (Duplicate choices, unknown names in
//! `when` and bad types are the manifest validation's, shared with `new`.)

use super::{placeholder_answers, FieldLocator, Finding, Severity};
use crate::answers::{metadata, resolve};
use crate::error::{Error, Problem};
use crate::render_plan::Compiled;
use crate::source::GoldenPath;

pub(super) fn check(gp: &GoldenPath, compiled: &Compiled, fields: &FieldLocator) -> Vec<Finding> {
    let mut out = Vec::new();
    unused(gp, compiled, fields, &mut out);
    failing_defaults(gp, compiled, fields, &mut out);
    out
}

fn unused(gp: &GoldenPath, compiled: &Compiled, fields: &FieldLocator, out: &mut Vec<Finding>) {
    let (used, opaque) = compiled.used_variables();
    let opaque_text: String = opaque
        .iter()
        .map(|p| String::from_utf8_lossy(&gp.files[p].entry.content).into_owned())
        .collect();
    for (name, var) in &gp.manifest.variables {
        // A computed value that nothing reads costs nothing: layers use them as switches.
        let read = var.computed.is_some()
            || used.contains(name)
            || contains_word(&opaque_text, name)
            // Secrets reach tasks only, as environment variables.
            || (var.secret && !gp.manifest.tasks.is_empty());
        if !read {
            out.push(Finding::new(
                "unused-variable",
                Severity::Warning,
                Problem::new(
                    fields.locate(&format!("variables.{name}")),
                    format!("variable `{name}` is never used by a file, a file name or an expression"),
                )
                .hint("remove it (with a `drop` migration if a version with it was published), or use it"),
            ));
        }
    }
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

/// Resolves every default as `scaffold new --defaults` would, giving variables
/// without a default a placeholder; what fails is a default that breaks its own rules.
fn failing_defaults(
    gp: &GoldenPath,
    compiled: &Compiled,
    fields: &FieldLocator,
    out: &mut Vec<Finding>,
) {
    let m = &gp.manifest;
    let inputs = placeholder_answers(m);
    let meta = metadata(&m.name, &m.version);
    let Err(Error::Invalid(problems)) = resolve(
        m,
        gp.manifest_label(),
        &compiled.templates,
        &inputs,
        &meta,
        None,
    ) else {
        return;
    };
    for p in problems {
        let field = p.location.field.clone().unwrap_or_default();
        if !field.starts_with("variables.") {
            continue;
        }
        let location = fields.locate(&field);
        out.push(Finding::new(
            "default-fails-validation",
            Severity::Error,
            Problem { location, ..p },
        ));
    }
}
