//! Delimiter collisions: a file rendered with the engine's own `{{ }}` that also
//! holds GitHub Actions `${{ ... }}` or Helm `{{ .Values ... }}`. The engine would
//! take those for its own (a parse error, or worse, an empty string), so each
//! line is reported with the fix: a `[[render]]` rule with other delimiters, or
//! `[files] copy` for a file with nothing to render.

use regex::Regex;

use super::{Finding, Severity};
use crate::error::{Location, Problem};
use crate::render_plan::globset;
use crate::source::GoldenPath;

pub(super) fn collisions(gp: &GoldenPath) -> Vec<Finding> {
    let m = &gp.manifest;
    let foreign = Regex::new(
        r"\$\{\{|\{\{-?\s*(\.Values|\.Release|\.Chart|\.Files|\.Capabilities|include\s|template\s|toYaml\s|tpl\s|\$\.)",
    )
    .expect("static regex");
    let Ok(copy) = globset(&m.files.copy) else {
        return Vec::new();
    };
    let Ok(exclude) = globset(&m.files.exclude) else {
        return Vec::new();
    };
    let mut own_delimiters = Vec::new();
    for rule in m.render.iter().filter(|r| r.delimiters.is_some()) {
        if let Ok(set) = globset(&rule.paths) {
            own_delimiters.push(set);
        }
    }
    let mut out = Vec::new();
    for (path, file) in &gp.files {
        let p = path.as_str();
        if copy.is_match(p)
            || exclude.is_match(p)
            || file.entry.is_verbatim()
            || own_delimiters.iter().any(|s| s.is_match(p))
        {
            continue;
        }
        let text = String::from_utf8_lossy(&file.entry.content);
        for (n, line) in text.lines().enumerate() {
            let Some(found) = foreign.find(line) else {
                continue;
            };
            let what = if found.as_str().starts_with('$') {
                "GitHub Actions `${{ }}`"
            } else {
                "Helm `{{ }}`"
            };
            let label = match gp.layers.get(file.layer) {
                Some(layer) => layer
                    .manifest_label
                    .replace(crate::manifest::MANIFEST_FILE, &format!("template/{p}")),
                None => p.to_string(),
            };
            out.push(Finding::new(
                "delimiter-collision",
                Severity::Error,
                Problem::new(
                    Location::file(label).with_line(Some(n + 1)),
                    format!("{what} in a file rendered with the engine's own `{{{{ }}}}`: `{}`", line.trim()),
                )
                .hint(format!(
                    "add `[[render]] paths = [\"{p}\"] delimiters = {{ variable = [\"[[\", \"]]\"], block = [\"[%\", \"%]\"], comment = [\"[#\", \"#]\"] }}`, or list it under `[files] copy`"
                )),
            ));
        }
    }
    out
}
