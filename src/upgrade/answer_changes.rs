//! What an upgrade does to the recorded answers, said plainly in the summary
//! and in `--json`: questions the new version added (with the value taken),
//! answers its migrations renamed or dropped, and answers changed by `--set`
//! or a migration's `set`. Secrets and computed values are never recorded,
//! so they never appear here.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::migrate::applicable;
use crate::source::GoldenPath;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnswerChanges {
    /// Questions new to this version, with the value the upgrade took.
    pub added: Vec<AnswerValue>,
    /// Answers a migration moved to a new name.
    pub renamed: Vec<AnswerRenamed>,
    /// Answers whose value changed (`--set`, or a migration's `set`).
    pub changed: Vec<AnswerChanged>,
    /// Answers a migration dropped or the new version no longer asks.
    pub dropped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerValue {
    pub name: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerRenamed {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerChanged {
    pub name: String,
    pub from: Value,
    pub to: Value,
}

impl AnswerChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.renamed.is_empty()
            && self.changed.is_empty()
            && self.dropped.is_empty()
    }
}

/// `recorded` (the lock's answers) against `now` (what the new lock will
/// record), given the target and the version upgraded from.
pub(super) fn between(
    recorded: &BTreeMap<String, Value>,
    now: &BTreeMap<String, Value>,
    no_longer_asked: &[String],
    target: &GoldenPath,
    from: &semver::Version,
) -> AnswerChanges {
    let mut changes = AnswerChanges::default();
    // Where each recorded answer lives after the migrations' renames.
    let mut home: BTreeMap<String, String> =
        recorded.keys().map(|k| (k.clone(), k.clone())).collect();
    let mut dropped = BTreeSet::new();
    for (_, m) in applicable(target, from) {
        if let Some(r) = &m.rename {
            let moved: Vec<String> = home
                .iter()
                .filter(|(_, now_at)| **now_at == r.from)
                .map(|(original, _)| original.clone())
                .collect();
            for original in moved {
                home.insert(original.clone(), r.to.clone());
                changes.renamed.push(AnswerRenamed {
                    from: original,
                    to: r.to.clone(),
                });
            }
        }
        if let Some(name) = &m.drop {
            let gone: Vec<String> = home
                .iter()
                .filter(|(_, now_at)| *now_at == name)
                .map(|(original, _)| original.clone())
                .collect();
            for original in gone {
                home.remove(&original);
                dropped.insert(original);
            }
        }
    }
    dropped.extend(no_longer_asked.iter().cloned());
    let homes: BTreeSet<&String> = home.values().collect();
    for (name, value) in now {
        if !homes.contains(name) {
            changes.added.push(AnswerValue {
                name: name.clone(),
                value: value.clone(),
            });
        }
    }
    for (original, name) in &home {
        if let (Some(old), Some(new)) = (recorded.get(original), now.get(name)) {
            if old != new {
                changes.changed.push(AnswerChanged {
                    name: name.clone(),
                    from: old.clone(),
                    to: new.clone(),
                });
            }
        }
    }
    changes.dropped = dropped.into_iter().collect();
    changes
}
