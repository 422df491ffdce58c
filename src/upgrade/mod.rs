//! `scaffold upgrade`: moving a generated repository to a newer golden-path
//! version. `plan` computes everything in memory (three trees and a decision
//! per path); writing the result is a separate step, so `--dry-run`, JSON
//! plans and fleet mode share one code path.

mod answer_changes;
mod base;
mod execute;
mod migrate;
mod moves;
mod plan;
mod shared;
mod state;
mod user_renames;

pub use answer_changes::{AnswerChanged, AnswerChanges, AnswerRenamed, AnswerValue};
pub use base::BaseSource;
pub use execute::{
    abort, check_repository, continue_upgrade, discard_state, execute, lock, outcome_of,
    AbortOutcome, ChangedPath, ConflictStyle, ExecuteOptions, UpgradeOutcome,
};
pub use migrate::ask_again;
pub use plan::{plan, plan_shared, UpgradePlan, UpgradeRequest};
pub use shared::Shared;
pub use state::UpgradeState;
pub use user_renames::UserRename;

/// The upgrade waiting for `--continue` (conflicts to resolve), if there is one.
pub fn pending(repo: &std::path::Path) -> crate::error::Result<Option<UpgradeState>> {
    if !crate::git::is_repository_root(repo) {
        return Ok(None);
    }
    Ok(state::load(repo)?.filter(|s| s.pending && s.done))
}
