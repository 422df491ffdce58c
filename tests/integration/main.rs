//! One integration-test binary (faster to link than one per file). Every
//! test drives the real `scaffold` binary; git repositories are real.

// Tests build their fixtures, repositories and edits directly.
#![allow(clippy::disallowed_methods)]

mod authoring;
mod backstage_action;
mod catalog;
mod check;
mod conflicts;
mod diff;
mod errors;
mod fleet;
mod fleet_hostile;
mod fleet_scale;
mod git_sources;
mod golden_paths;
mod hardening;
mod java_builds;
mod java_upgrades;
mod lint;
mod merge_corpus;
mod new;
mod output;
mod snapshots;
mod support;
mod upgrade;
mod upgrade_plan;
mod upgrade_safety;
