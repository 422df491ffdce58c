//! Upgrade safety: what repositories generated from the previous published
//! version (the newest tag below this version in the golden path's git
//! repository, or else the newest snapshot under `releases/` beside it) would
//! meet when they upgrade to this one.

use std::path::Path;

use semver::Version;

use super::{FieldLocator, Finding, Severity};
use crate::error::{Location, Problem};
use crate::source::{self, Config, GoldenPath};

pub(super) fn check(
    dir: &Path,
    gp: &GoldenPath,
    config: &Config,
    fields: &FieldLocator,
) -> (Option<String>, Vec<Finding>) {
    let current = gp.manifest.semver();
    // Published versions are the tags of the golden path's git repository, or,
    // without any, the snapshots kept beside it under `releases/<version>/`.
    let published = source::Published::find(dir, &gp.manifest.name).map(|p| p.spec());
    let kept = source::SourceSpec::Folder {
        path: dir.to_path_buf(),
        name: None,
    };
    let Some((spec, previous)) = published.into_iter().chain([kept]).find_map(|spec| {
        let versions = source::available_versions(&spec, config).ok()?;
        let previous = versions.into_iter().filter(|v| *v < current).max()?;
        Some((spec, previous))
    }) else {
        return (None, Vec::new());
    };
    let Ok(old) = source::load(&spec, Some(&previous.to_string()), config) else {
        return (Some(previous.to_string()), Vec::new());
    };
    let mut out = Vec::new();
    let m = &gp.manifest;
    let migrated_to = |name: &str| {
        m.migrations.iter().any(|mig| {
            mig.set.as_ref().is_some_and(|s| s.variable == name)
                || mig.rename.as_ref().is_some_and(|r| r.to == name)
        })
    };
    let migrated_from = |name: &str| {
        m.migrations.iter().any(|mig| {
            mig.drop.as_deref() == Some(name) || mig.rename.as_ref().is_some_and(|r| r.from == name)
        })
    };
    let mut added = false;
    let mut breaking = Vec::new();
    for (name, var) in &m.variables {
        if old.manifest.variables.contains_key(name) {
            continue;
        }
        added = true;
        if var.default.is_none() && var.computed.is_none() && !var.secret && !migrated_to(name) {
            out.push(error(
                "new-variable-without-default",
                fields.locate(&format!("variables.{name}")),
                format!("`{name}` is new since {previous} and has no default: repositories generated from {previous} cannot answer it on upgrade"),
                format!("give it a `default`, or a migration `[[migrations]] set = {{ variable = \"{name}\", value = \"...\" }}`"),
            ));
        }
    }
    let renamed_to = |name: &str| {
        m.migrations.iter().find_map(|mig| {
            mig.rename
                .as_ref()
                .filter(|r| r.from == name && m.variables.contains_key(&r.to))
        })
    };
    for (name, var) in &old.manifest.variables {
        if m.variables.contains_key(name) || var.computed.is_some() {
            continue;
        }
        // A rename the migrations carry answers across is not a removal:
        // every repository keeps its answer under the new name.
        if renamed_to(name).is_some() {
            added = true;
            continue;
        }
        breaking.push(format!("variable `{name}` removed"));
        if !migrated_from(name) {
            out.push(error(
                "removed-variable-without-migration",
                fields.locate("migrations"),
                format!("`{name}` existed in {previous} and is gone, with no migration for its recorded answers"),
                format!("add `[[migrations]] drop = \"{name}\"` (or a `rename`)"),
            ));
        }
    }
    for path in old.files.keys() {
        if gp.files.contains_key(path) {
            continue;
        }
        let renamed = m.renames.iter().any(|r| r.from == path.as_str());
        if !renamed {
            breaking.push(format!("file `{path}` removed"));
            out.push(Finding::new(
                "removed-file",
                Severity::Warning,
                Problem::new(
                    fields.locate("renames"),
                    format!("template file `{path}` of {previous} is gone and no `[[renames]]` says where it went: upgrades delete it from repositories"),
                )
                .hint(format!("if it moved, declare `[[renames]] from = \"{path}\" to = \"...\"`; if it is meant to go, this is a breaking change")),
            ));
        }
    }
    let needed = required_bump(&previous, !breaking.is_empty(), added);
    if let Some((kind, at_least)) = needed {
        if current < at_least {
            out.push(error(
                "semver",
                fields.locate("version"),
                format!(
                    "{kind} since {previous} ({}), so the version must be at least {at_least}, not {current}",
                    if breaking.is_empty() { "new variables".to_string() } else { breaking.join(", ") }
                ),
                format!("set `version = \"{at_least}\"`"),
            ));
        }
    }
    (Some(previous.to_string()), out)
}

/// The smallest version a change needs: breaking changes bump the major (the minor
/// before 1.0), additions the minor.
fn required_bump(
    previous: &Version,
    breaking: bool,
    added: bool,
) -> Option<(&'static str, Version)> {
    if breaking {
        let v = if previous.major == 0 {
            Version::new(0, previous.minor + 1, 0)
        } else {
            Version::new(previous.major + 1, 0, 0)
        };
        return Some(("a breaking change", v));
    }
    added.then(|| {
        (
            "an addition",
            Version::new(previous.major, previous.minor + 1, 0),
        )
    })
}

fn error(rule: &'static str, location: Location, message: String, hint: String) -> Finding {
    Finding::new(
        rule,
        Severity::Error,
        Problem::new(location, message).hint(hint),
    )
}
