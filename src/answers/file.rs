//! `--answers FILE`: TOML, YAML or JSON, chosen by extension.

use std::path::Path;

use serde_json::Value;

use super::{Answers, LabelledAnswers};
use crate::error::{line_at, Error, Location, Problem, Result};

/// Reads an answers file: a map of variable name to value. A file with a
/// top-level `answers` table (such as a generated repo's lock) is read from there.
pub fn load_answers_file(path: &Path) -> Result<LabelledAnswers> {
    let label = path.display().to_string();
    let text = fs_err::read_to_string(path).map_err(|e| {
        Error::invalid(Problem::new(
            Location::file(&label),
            format!("cannot read answers file: {}", io_reason(&e)),
        ))
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let value: Value = match ext.as_str() {
        "json" => serde_json::from_str(&text)
            .map_err(|e| syntax(&label, Some(e.line()), &e.to_string()))?,
        "yaml" | "yml" => serde_norway::from_str(&text)
            .map_err(|e| syntax(&label, e.location().map(|l| l.line()), &e.to_string()))?,
        "toml" => toml::from_str::<Value>(&text).map_err(|e| {
            let line = e.span().map(|s| line_at(&text, s.start));
            syntax(&label, line, e.message())
        })?,
        _ => {
            return Err(Error::invalid(
                Problem::new(Location::file(&label), "unknown answers file format")
                    .hint("use a .toml, .yaml, .yml or .json file"),
            ))
        }
    };
    let value = match value {
        Value::Object(mut map) if matches!(map.get("answers"), Some(Value::Object(_))) => {
            map.remove("answers").expect("checked")
        }
        other => other,
    };
    match value {
        Value::Object(map) => {
            let places = map
                .keys()
                .map(|name| {
                    let place = super::places::Place {
                        field: name.clone(),
                        line: super::places::line_of(&text, name),
                    };
                    (name.clone(), place)
                })
                .collect();
            Ok(LabelledAnswers {
                label,
                values: map.into_iter().collect::<Answers>(),
                places,
            })
        }
        Value::Null => Ok(LabelledAnswers {
            label,
            ..LabelledAnswers::default()
        }),
        _ => Err(Error::invalid(Problem::new(
            Location::file(&label),
            "an answers file must be a map of variable names to values",
        ))),
    }
}

fn syntax(label: &str, line: Option<usize>, message: &str) -> Error {
    let first = message.lines().next().unwrap_or_default().to_string();
    Error::invalid(Problem::new(
        Location::file(label).with_line(line),
        format!("malformed answers file: {first}"),
    ))
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}
