//! Errors the library returns, and the `Problem` list used when we validate
//! something and want to report every mistake at once rather than the first.
//!
//! Every problem names where it is (file, line, field) because the person
//! reading it has to go and fix it; "invalid value" alone is never enough.

use std::fmt;
use std::path::PathBuf;

/// Where a problem is: a file (manifest, answers file, template), optionally
/// a 1-based line and a dotted field path inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub field: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            ..Default::default()
        }
    }

    pub fn with_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            wrote = true;
        }
        if let Some(field) = &self.field {
            if wrote {
                write!(f, " ")?;
            }
            write!(f, "[{field}]")?;
        }
        Ok(())
    }
}

/// One thing wrong with the input, with a hint on how to fix it when we know one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Problem {
            location,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location.to_string();
        if loc.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{loc}: {}", self.message)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].split(|&b| b == b'\n').count()
}

impl Problem {
    /// A TOML syntax or type error in `file`, at its line.
    pub fn from_toml(e: &toml::de::Error, text: &str, file: impl Into<String>) -> Problem {
        let line = e.span().map(|s| line_at(text, s.start));
        Problem::new(
            Location::file(file).with_line(line),
            e.message().to_string(),
        )
    }
}

/// Everything that can go wrong. All variants are "the user's input or
/// environment is not as expected"; the CLI maps them to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems found while validating input; all are reported.
    #[error("{}", render_problems(.0))]
    Invalid(Vec<Problem>),

    #[error("{0}")]
    Io(#[from] std::io::Error),

    #[error("git: {0}")]
    Git(String),

    #[error("source `{source_name}`: {message}")]
    Source {
        source_name: String,
        message: String,
    },

    #[error("destination {}: {message}", .path.display())]
    Destination { path: PathBuf, message: String },

    #[error("task `{command}` failed: {message}")]
    Task { command: String, message: String },
}

impl Error {
    pub fn invalid(problem: Problem) -> Self {
        Error::Invalid(vec![problem])
    }

    pub fn source_error(source: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Source {
            source_name: source.into(),
            message: message.into(),
        }
    }

    pub fn destination(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Destination {
            path: path.into(),
            message: message.into(),
        }
    }
}

fn render_problems(problems: &[Problem]) -> String {
    let mut out = String::new();
    if problems.len() > 1 {
        out.push_str(&format!("{} problems found:\n", problems.len()));
    }
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if problems.len() > 1 {
            out.push_str("- ");
        }
        out.push_str(&p.to_string());
    }
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects problems during validation so that a check can keep going after
/// the first mistake.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Problem>) {
        self.0.extend(other);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(value)` when nothing was found, else every problem as one error.
    pub fn into_result<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
