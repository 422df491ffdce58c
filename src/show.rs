//! `scaffold show`: one golden path as its users see it in the catalog: versions,
//! the questions it asks (with help, defaults, choices and when they are asked),
//! the files it produces (and under which condition), and its changelog.

use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::manifest::{Manifest, VarType};
use crate::plan::{self, Compiled};
use crate::source::{self, Config, GoldenPath, SourceSpec};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub secret: bool,
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
    let compiled = plan::compile(&gp)?;
    let versions = source::available_versions(spec, config)?
        .into_iter()
        .map(|v| v.to_string())
        .collect();
    let m = &gp.manifest;
    Ok(Description {
        name: m.name.clone(),
        version: m.version.clone(),
        description: m.description.clone(),
        owner: m.owner.clone(),
        source: gp.origin.source.clone(),
        tags: m.tags.clone(),
        versions,
        request_type: m.request.as_ref().map(|r| r.kind.clone()),
        variables: questions(m),
        files: files(&gp, &compiled),
        changelog: gp.changelog.clone(),
    })
}

pub fn questions(m: &Manifest) -> Vec<VariableInfo> {
    m.variables
        .iter()
        .filter(|(_, v)| v.computed.is_none())
        .map(|(name, v)| VariableInfo {
            name: name.clone(),
            kind: v.kind,
            prompt: v.prompt.clone().unwrap_or_else(|| name.clone()),
            help: v.help.clone(),
            default: if v.secret { None } else { v.default.clone() },
            choices: v.choices.iter().map(|c| c.value().to_string()).collect(),
            regex: v.regex.clone(),
            validate: v.validate.clone(),
            when: v.when.clone(),
            secret: v.secret,
        })
        .collect()
}

fn files(gp: &GoldenPath, compiled: &Compiled) -> Vec<FileInfo> {
    compiled
        .conditions_of()
        .map(|(path, conditions)| FileInfo {
            path: path.as_str().to_string(),
            when: conditions
                .iter()
                .map(|&i| gp.manifest.conditions[i].when.clone())
                .collect(),
        })
        .collect()
}
