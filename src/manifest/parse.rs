//! Turns `golden-path.toml` text into a `Manifest`, translating TOML and serde
//! errors into a `Problem` with the file, line and a "did you mean".

use super::{locate::SpanIndex, validate, Manifest};
use crate::error::{did_you_mean, line_at, Error, Location, Problem, Result};

/// The manifest's file name at the root of every golden path.
pub const MANIFEST_FILE: &str = "golden-path.toml";

/// What a manifest inherits from the layers it extends.
#[derive(Debug, Clone, Default)]
pub struct Inherited {
    /// The variables they declare (in order), which it may reference.
    pub names: Vec<String>,
    /// Those that are secret: nothing recorded or rendered may derive from them.
    pub secrets: Vec<String>,
}

impl Inherited {
    /// Adds the variables `m` declares (a layer further up now inherits them).
    pub fn extend(&mut self, m: &Manifest) {
        for (name, var) in &m.variables {
            if !self.names.contains(name) {
                self.names.push(name.clone());
            }
            self.secrets.retain(|s| s != name);
            if var.secret {
                self.secrets.push(name.clone());
            }
        }
    }
}

/// Parses and checks one manifest on its own, on top of what it inherits.
pub fn parse_manifest(text: &str, file: &str, inherited: &Inherited) -> Result<Manifest> {
    let manifest: Manifest =
        toml::from_str(text).map_err(|e| Error::invalid(toml_problem(&e, text, file)))?;
    let spans = SpanIndex::new(text);
    validate::validate(&manifest, &spans, file, inherited)?;
    Ok(manifest)
}

/// Reads the manifest's `extends` without validating the rest, so a loader
/// can fetch the base layer first.
pub fn peek_extends(text: &str) -> Option<String> {
    let value: toml::Table = toml::from_str(text).ok()?;
    value.get("extends")?.as_str().map(str::to_string)
}

fn toml_problem(e: &toml::de::Error, text: &str, file: &str) -> Problem {
    let line = e.span().map(|s| line_at(text, s.start));
    let message = e.message().trim().to_string();
    let mut location = Location::file(file).with_line(line);
    if let Some((unknown, expected)) = parse_unknown_field(&message) {
        location = location.with_field(unknown.clone());
        let mut problem = Problem::new(location, format!("unknown key `{unknown}`"));
        let candidates: Vec<&str> = expected.iter().map(String::as_str).collect();
        problem = match did_you_mean(&unknown, candidates.iter().copied()) {
            Some(best) => problem.hint(format!("did you mean `{best}`?")),
            None if !expected.is_empty() => {
                problem.hint(format!("expected one of: {}", expected.join(", ")))
            }
            None => problem,
        };
        return problem;
    }
    if let Some(variant) = message.strip_prefix("unknown variant ") {
        return Problem::new(location, format!("unknown value {variant}"));
    }
    Problem::new(location, message)
}

/// The field and the fields serde expected, from its message
/// ``unknown field `x`, expected one of `a`, `b` `` gives `x` and `[a, b]`.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((name.to_string(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_message() {
        let (name, expected) = parse_unknown_field(
            "unknown field `descripton`, expected one of `name`, `description`",
        )
        .unwrap();
        assert_eq!(name, "descripton");
        assert_eq!(expected, ["name", "description"]);
    }

    #[test]
    fn typo_gets_a_suggestion_and_a_line() {
        let text = "name = \"x\"\nversion = \"1.0.0\"\ndescripton = \"oops\"\n";
        let err = parse_manifest(text, "golden-path.toml", &Inherited::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("golden-path.toml:3"), "{err}");
        assert!(err.contains("did you mean `description`?"), "{err}");
    }
}
