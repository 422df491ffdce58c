//! Secrets are never printed: not in commands, errors, task output or
//! `--json`. Whatever text may carry a secret's value goes through
//! `Redactor::apply` before it leaves the library.

/// What replaces a secret's value.
pub const MASK: &str = "***";

/// The secret values of one run, longest first (so a secret that contains
/// another is masked whole).
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    values: Vec<String>,
}

impl Redactor {
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut values: Vec<String> = values
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        values.dedup();
        Redactor { values }
    }

    /// `text` with every secret value replaced by `***`.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in &self.values {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), MASK);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_value_longest_first() {
        let r = Redactor::new(["tok", "token-123", ""]);
        assert_eq!(
            r.apply("curl -H 'x: token-123' tok"),
            "curl -H 'x: ***' ***"
        );
        assert_eq!(Redactor::default().apply("as is"), "as is");
    }
}
