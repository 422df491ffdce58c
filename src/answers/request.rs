//! The platform's `ServiceRequest` (platform-request.yaml): a golden path's
//! `[request.fields]` map its dotted paths onto variables, and `spec.type`
//! picks the golden path when no SOURCE is given.

use std::path::Path;

use serde_json::Value;

use super::{file::io_reason, Answers, LabelledAnswers};
use crate::error::{Error, Location, Problem, Problems, Result};
use crate::manifest::RequestMapping;

pub const REQUEST_KIND: &str = "ServiceRequest";

/// A parsed request document.
#[derive(Debug, Clone)]
pub struct ServiceRequest {
    pub label: String,
    pub document: Value,
    /// The YAML as written, to find the line of a field.
    text: String,
}

impl ServiceRequest {
    pub fn load(path: &Path) -> Result<ServiceRequest> {
        let label = path.display().to_string();
        let text = fs_err::read_to_string(path).map_err(|e| {
            Error::invalid(Problem::new(
                Location::file(&label),
                format!("cannot read request: {}", io_reason(&e)),
            ))
        })?;
        let document: Value = serde_norway::from_str(&text).map_err(|e| {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            Error::invalid(Problem::new(
                Location::file(&label).with_line(e.location().map(|l| l.line())),
                format!("malformed YAML: {first}"),
            ))
        })?;
        let mut problems = Problems::default();
        let kind = document.get("kind").and_then(Value::as_str);
        if kind != Some(REQUEST_KIND) {
            problems.push(Problem::new(
                Location::file(&label).with_field("kind"),
                format!(
                    "expected `kind: {REQUEST_KIND}`, found {}",
                    kind.map_or("nothing".to_string(), |k| format!("`{k}`"))
                ),
            ));
        }
        if document.get("apiVersion").and_then(Value::as_str).is_none() {
            problems.push(Problem::new(
                Location::file(&label).with_field("apiVersion"),
                "missing `apiVersion` (e.g. `platform.company.com/v1`)",
            ));
        }
        if !document.get("spec").is_some_and(Value::is_object) {
            problems.push(Problem::new(
                Location::file(&label).with_field("spec"),
                "missing `spec` mapping",
            ));
        }
        problems.into_result(ServiceRequest {
            label,
            document,
            text,
        })
    }

    /// `spec.type`, which selects a golden path.
    pub fn service_type(&self) -> Option<&str> {
        self.get("spec.type").and_then(Value::as_str)
    }

    pub fn get(&self, dotted: &str) -> Option<&Value> {
        dotted
            .split('.')
            .try_fold(&self.document, |v, key| v.get(key))
    }

    /// The answers the mapping yields, and the request's leaf fields it leaves unused.
    pub fn answers(&self, mapping: &RequestMapping) -> (LabelledAnswers, Vec<String>) {
        let mut values = Answers::new();
        let mut places = super::places::Places::new();
        for (var, path) in &mapping.fields {
            if let Some(v) = self.get(path) {
                values.insert(var.clone(), v.clone());
                let place = super::places::Place {
                    field: path.clone(),
                    line: super::places::line_of(&self.text, path),
                };
                places.insert(var.clone(), place);
            }
        }
        let used: Vec<&str> = mapping.fields.values().map(String::as_str).collect();
        let mut unused = Vec::new();
        collect_leaves(&self.document, String::new(), &mut |path| {
            let structural = ["apiVersion", "kind", "spec.type"].contains(&path.as_str());
            let covered = used
                .iter()
                .any(|u| path == *u || path.starts_with(&format!("{u}.")));
            if !structural && !covered {
                unused.push(path);
            }
        });
        (
            LabelledAnswers {
                label: self.label.clone(),
                values,
                places,
            },
            unused,
        )
    }
}

fn collect_leaves(value: &Value, prefix: String, out: &mut impl FnMut(String)) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                collect_leaves(v, path, out);
            }
        }
        _ => out(prefix),
    }
}
