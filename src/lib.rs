//! goldpath: render golden paths into new repositories and keep them current.
//!
//! Rendering is a pure function `(golden path @ version, answers) -> Tree`;
//! everything else is an operation on trees. See `ARCHITECTURE.md` for the
//! layers and which module may import which (a module imports from the layers
//! above it, and from others of its own layer only without cycles).

// layer 0: vocabulary
pub mod error;
pub mod redact;
pub mod report;
pub mod tree;

// layer 1: data and text
pub mod answers;
pub mod lock;
pub mod manifest;
pub mod merge;
pub mod render;
pub mod textdiff;

// layer 2: I/O
pub mod apply;
pub mod git;
pub mod render_plan;
pub mod repo_lock;
pub mod source;
pub mod tasks;
pub mod worktree;

// layer 3: workflows
pub mod backstage;
pub mod drift;
pub mod freshness;
pub mod generate;
pub mod lint;
pub mod show;
pub mod upgrade;

// layer 4: many at once
pub mod fleet;
pub mod publish;
pub mod scenarios;
