//! `golden-path.toml`: the types a template author writes by hand.
//!
//! The types derive `JsonSchema` so `scaffold schema` can publish exactly what
//! the parser accepts, and `deny_unknown_fields` so a typo is an error with a
//! "did you mean" rather than a silently ignored key. Semantic checks (types of
//! defaults, references between variables, globs, versions) live in
//! `validate.rs`; finding the line of a field lives in `locate.rs`.

mod locate;
mod parse;
mod references;
mod validate;

pub use locate::SpanIndex;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{Error, Location, Problem};
pub use parse::{parse_manifest, peek_extends, Inherited, MANIFEST_FILE};
pub use references::{expression_variables, is_template, string_literal_end, template_variables};
pub use validate::{is_golden_path_name, RESERVED_NAMES};

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The whole manifest. Field order here is the order `scaffold schema` shows.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[schemars(
    title = "golden-path.toml",
    description = "A golden path: a versioned blueprint that `scaffold new` renders into a repository."
)]
pub struct Manifest {
    /// Identifier used on the command line and in tags (`NAME/vX.Y.Z`): lowercase, digits, `-`, `_`.
    pub name: String,
    /// Semantic version of this golden path (`1.4.0`).
    pub version: String,
    /// One line shown by `scaffold list`.
    #[serde(default)]
    pub description: String,
    /// The team that owns the golden path (shown in the catalog, recorded in generated repos).
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Oldest `scaffold` engine version that can render this golden path.
    #[serde(default)]
    pub min_engine_version: Option<String>,
    /// Another golden path of the same source whose files and variables this one inherits.
    #[serde(default)]
    pub extends: Option<String>,
    /// Default engine for files under `template/`.
    #[serde(default)]
    pub engine: EngineKind,
    /// How a platform `ServiceRequest` maps onto the variables.
    #[serde(default)]
    pub request: Option<RequestMapping>,
    /// Questions, in the order they are asked. Keys are variable names.
    #[serde(default)]
    pub variables: IndexMap<String, Variable>,
    #[serde(default)]
    pub files: FileRules,
    /// Files or folders produced only when a condition holds.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Per-glob engine and delimiter overrides; later entries win.
    #[serde(default)]
    pub render: Vec<RenderRule>,
    /// Commands run in the new repository after rendering, only with `--trust`.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Files or folders this version moved: an upgrade moves the user's copy, with its edits.
    #[serde(default)]
    pub renames: Vec<Rename>,
    /// How answers recorded by earlier versions become answers of this one.
    #[serde(default)]
    pub migrations: Vec<Migration>,
    /// How `scaffold test` checks the scenarios under `tests/`.
    #[serde(default)]
    pub test: TestRules,
}

/// `[test]`: checks `scaffold test` runs on every scenario's rendered output.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TestRules {
    /// Commands run with `sh -c` in each rendered scenario (e.g. `helm lint --strict deploy/helm/*`);
    /// each must exit 0. Layers' validators run too, base first.
    #[serde(default)]
    pub validators: Vec<String>,
    /// How to install the tools the validators run, shown when one is missing
    /// (e.g. `bash tools/validators/install.sh`). A layer's is used unless the
    /// golden path gives its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    #[default]
    Tera,
    Handlebars,
}

impl EngineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Tera => "tera",
            EngineKind::Handlebars => "handlebars",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RequestMapping {
    /// The `spec.type` value that selects this golden path when `scaffold new` is given no SOURCE.
    #[serde(rename = "type")]
    pub kind: String,
    /// Variable name = dotted path in the request (`service_name = "metadata.name"`).
    #[serde(default)]
    pub fields: IndexMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VarType {
    #[default]
    String,
    Integer,
    Boolean,
    Choice,
    MultiChoice,
    /// A list of strings (comma-separated on the command line).
    List,
}

impl VarType {
    /// `an integer`, `a string`: for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            VarType::String => "a string",
            VarType::Integer => "an integer",
            VarType::Boolean => "a boolean",
            VarType::Choice => "a choice",
            VarType::MultiChoice => "a multi-choice",
            VarType::List => "a list",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VarType::String => "string",
            VarType::Integer => "integer",
            VarType::Boolean => "boolean",
            VarType::Choice => "choice",
            VarType::MultiChoice => "multi-choice",
            VarType::List => "list",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Variable {
    #[serde(rename = "type", default)]
    pub kind: VarType,
    /// The question asked on a terminal (defaults to the variable name).
    #[serde(default)]
    pub prompt: Option<String>,
    /// Longer explanation shown with the question and in `scaffold show`.
    #[serde(default)]
    pub help: Option<String>,
    /// Default answer; strings may be templates over earlier answers (`"{{ service_name }}-db"`).
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// Allowed values for `choice` and `multi-choice`.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// A regular expression every string answer (or list item) must match in full.
    #[serde(default)]
    pub regex: Option<String>,
    /// A Tera expression over `value` and earlier answers that must be true (`"value >= 1 and value <= 10"`).
    #[serde(default)]
    pub validate: Option<String>,
    /// Message shown when `regex` or `validate` fails.
    #[serde(default)]
    pub error: Option<String>,
    /// A Tera expression; the question is asked only when it is true.
    #[serde(default)]
    pub when: Option<String>,
    /// A template computing this value from earlier answers; never asked, never recorded as an answer.
    #[serde(default)]
    pub computed: Option<String>,
    /// Prompted without echo; never written to disk by the engine; passed to tasks only.
    #[serde(default)]
    pub secret: bool,
}

/// A choice: a bare value, or a value with the label shown in prompts.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Choice {
    Value(String),
    Labelled { value: String, label: String },
}

impl Choice {
    pub fn value(&self) -> &str {
        match self {
            Choice::Value(v) | Choice::Labelled { value: v, .. } => v,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Choice::Value(v) => v,
            Choice::Labelled { label, .. } => label,
        }
    }
}

/// Globs over paths under `template/` (as written in the source, before names are rendered).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FileRules {
    /// Never produced.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Copied byte for byte, never rendered (images, files full of foreign `{{ }}`).
    #[serde(default)]
    pub copy: Vec<String>,
    /// Written by `scaffold new`, never touched by an upgrade.
    #[serde(default)]
    pub seed_once: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Condition {
    /// Globs; a folder glob like `db/**` covers everything under it.
    pub paths: Vec<String>,
    /// A Tera expression over the answers.
    pub when: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RenderRule {
    pub paths: Vec<String>,
    #[serde(default)]
    pub engine: Option<EngineKind>,
    #[serde(default)]
    pub delimiters: Option<DelimiterSpec>,
}

/// Alternative delimiters for files whose own syntax uses `{{ }}` (Helm, GitHub Actions).
/// Inside such files the default delimiters are plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DelimiterSpec {
    /// Start and end of a substitution, e.g. `["[[", "]]"]`.
    pub variable: [String; 2],
    /// Start and end of a block tag (`if`, `for`), e.g. `["[%", "%]"]`. Tera only.
    #[serde(default)]
    pub block: Option<[String; 2]>,
    /// Start and end of a comment, e.g. `["[#", "#]"]`. Tera only.
    #[serde(default)]
    pub comment: Option<[String; 2]>,
}

/// A path an earlier version generated and this one generates elsewhere.
/// Both are output paths and may be templates (`deploy/helm/{{ service_name }}/values.yml`);
/// a folder (`docs`) moves everything under it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Rename {
    pub from: String,
    pub to: String,
}

/// One step from recorded answers to this version's: exactly one of
/// `rename`, `set`, `drop`. New variables need no migration: their default applies.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Migration {
    /// Apply only when upgrading from a version older than this one.
    #[serde(default)]
    pub since: Option<String>,
    /// A variable renamed: the recorded answer moves to the new name.
    #[serde(default)]
    pub rename: Option<AnswerRename>,
    /// A variable's answer computed from the recorded answers (a template).
    #[serde(default)]
    pub set: Option<AnswerSet>,
    /// A variable removed: its recorded answer is forgotten.
    #[serde(default)]
    pub drop: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AnswerRename {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AnswerSet {
    pub variable: String,
    /// A Tera template over the recorded answers, e.g. `"{{ replicas * 2 }}"`.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Task {
    /// Shell command (run with `sh -c` in the new repository); a template over the answers.
    pub run: String,
    /// Shown before the command runs.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub when: Option<String>,
}

impl Manifest {
    /// The JSON Schema of this file format, for editors.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Manifest)).expect("schema serialises")
    }

    pub fn semver(&self) -> semver::Version {
        semver::Version::parse(&self.version).expect("validated at parse time")
    }
}

/// A glob set where `*` stays within one folder and `dir` also covers `dir/**`.
pub fn globset(patterns: &[String]) -> crate::error::Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_end_matches('/');
        for p in [trimmed.to_string(), format!("{trimmed}/**")] {
            let glob: Glob = GlobBuilder::new(&p)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    Error::invalid(Problem::new(
                        Location::default(),
                        format!("invalid glob `{pattern}`: {}", e.kind()),
                    ))
                })?;
            builder.add(glob);
        }
    }
    builder
        .build()
        .map_err(|e| Error::invalid(Problem::new(Location::default(), e.to_string())))
}
