//! `scaffold show`: one golden path as its users see it in the catalog: versions,
//! the questions it asks (with help, defaults, choices and when they are asked),
//! the files it produces (and under which condition), and its changelog.

mod conditions;

use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::manifest::{Manifest, VarType};
use crate::render_plan::{self, Compiled};
use crate::source::{self, Config, GoldenPath, SourceSpec};
use conditions::{Constants, Simplified};

#[derive(Debug, Clone, Serialize)]
pub struct Description {
    pub name: String,
    pub version: String,
    pub description: String,
    pub owner: String,
    pub source: String,
    pub tags: Vec<String>,
    /// Published versions, oldest first (the loaded one alone for a plain folder).
    pub versions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_type: Option<String>,
    pub variables: Vec<VariableInfo>,
    pub files: Vec<FileInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changelog: Option<String>,
}

/// A question (computed values are not questions and are left out).
#[derive(Debug, Clone, Serialize)]
pub struct VariableInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: VarType,
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// What people read for each choice (the value, unless the manifest labels it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choice_labels: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub secret: bool,
    /// It has a default (hidden for secrets): an answer is optional.
    pub has_default: bool,
}

/// A template file: its path as written (names may be templates) and the
/// conditions it is produced under (all must hold).
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub path: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<String>,
}

pub fn describe(spec: &SourceSpec, version: Option<&str>, config: &Config) -> Result<Description> {
    let gp = source::load(spec, version, config)?;
    let compiled = render_plan::compile(&gp)?;
    let versions = source::available_versions(spec, config)?
        .into_iter()
        .map(|v| v.to_string())
        .collect();
    let m = &gp.manifest;
    let constants = Constants::of(m, &compiled.templates);
    Ok(Description {
        name: m.name.clone(),
        version: m.version.clone(),
        description: m.description.clone(),
        owner: m.owner.clone(),
        source: gp.origin.source.clone(),
        tags: m.tags.clone(),
        versions,
        request_type: m.request.as_ref().map(|r| r.kind.clone()),
        variables: questions(m, &constants),
        files: files(&gp, &compiled, &constants),
        changelog: gp.changelog.clone(),
    })
}

/// The questions a render may ask: computed values are not questions, and
/// a question whose condition never holds here is never asked.
fn questions(m: &Manifest, constants: &Constants) -> Vec<VariableInfo> {
    m.variables
        .iter()
        .filter(|(_, v)| v.computed.is_none())
        .filter_map(|(name, v)| {
            let when = match v.when.as_deref().map(|w| constants.simplify(w)) {
                None | Some(Simplified::Always) => None,
                Some(Simplified::Never) => return None,
                Some(Simplified::When(w)) => Some(w),
            };
            Some((name, v, when))
        })
        .map(|(name, v, when)| VariableInfo {
            name: name.clone(),
            kind: v.kind,
            prompt: v.prompt.clone().unwrap_or_else(|| name.clone()),
            help: v.help.clone(),
            default: if v.secret { None } else { v.default.clone() },
            choices: v.choices.iter().map(|c| c.value().to_string()).collect(),
            choice_labels: if v.choices.iter().any(|c| c.label() != c.value()) {
                v.choices.iter().map(|c| c.label().to_string()).collect()
            } else {
                Vec::new()
            },
            regex: v.regex.clone(),
            validate: v.validate.clone(),
            when,
            secret: v.secret,
            has_default: v.default.is_some(),
        })
        .collect()
}

/// The template files a render may produce, with the conditions left to
/// decide from the answers; files that are never produced here are left out.
fn files(gp: &GoldenPath, compiled: &Compiled, constants: &Constants) -> Vec<FileInfo> {
    compiled
        .conditions_of()
        .filter_map(|(path, conditions)| {
            let mut when = Vec::new();
            for &i in conditions {
                match constants.simplify(&gp.manifest.conditions[i].when) {
                    Simplified::Always => {}
                    Simplified::Never => return None,
                    Simplified::When(w) => when.push(w),
                }
            }
            Some(FileInfo {
                path: path.as_str().to_string(),
                when,
            })
        })
        .collect()
}
