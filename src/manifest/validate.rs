//! Semantic checks on a parsed manifest. Every check runs and every problem
//! is reported, each with the line and field it is about.

use globset::Glob;
use regex::Regex;
use serde_json::Value;

use super::references::{expression_variables, is_template, template_variables};
use super::{locate::SpanIndex, Manifest, VarType, Variable};
use crate::error::{did_you_mean, Location, Problem, Problems, Result};

/// Names the engine puts in every render context; variables may not use them.
pub const RESERVED_NAMES: &[&str] = &["scaffold", "value"];

/// A golden path's or layer's name: also the name of its folder, so it can
/// never hold a path separator or a dot segment.
pub fn is_golden_path_name(name: &str) -> bool {
    let mut chars = name.strip_prefix('_').unwrap_or(name).chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

pub fn validate(
    m: &Manifest,
    spans: &SpanIndex,
    file: &str,
    inherited: &super::Inherited,
) -> Result<()> {
    let mut v = Validator {
        spans,
        file,
        problems: Problems::default(),
    };
    v.identity(m);
    let mut all = inherited.clone();
    all.extend(m);
    v.secret_flow(m, &all.secrets);
    let mut declared: Vec<String> = inherited.names.clone();
    for (name, var) in &m.variables {
        v.variable(name, var, &declared, m);
        if !declared.contains(name) {
            declared.push(name.clone());
        }
    }
    v.request(m, &declared);
    v.rules(m, &declared);
    v.migrations(m);
    v.problems.into_result(())
}

struct Validator<'a> {
    spans: &'a SpanIndex,
    file: &'a str,
    problems: Problems,
}

impl Validator<'_> {
    fn at(&self, field: &str) -> Location {
        Location::file(self.file)
            .with_line(self.spans.line_of(field))
            .with_field(field)
    }

    fn push(&mut self, field: &str, message: impl Into<String>) {
        let p = Problem::new(self.at(field), message);
        self.problems.push(p);
    }

    fn push_hint(&mut self, field: &str, message: impl Into<String>, hint: impl Into<String>) {
        let p = Problem::new(self.at(field), message).hint(hint);
        self.problems.push(p);
    }

    fn identity(&mut self, m: &Manifest) {
        if !is_golden_path_name(&m.name) {
            self.push_hint("name", format!("`{}` is not a valid golden-path name", m.name),
                "use lowercase letters, digits, `-` and `_` (a leading `_` marks a layer that is only extended)");
        }
        if let Some(base) = &m.extends {
            if !is_golden_path_name(base) {
                self.push_hint(
                    "extends",
                    format!("`{base}` is not the name of a layer"),
                    "name a sibling folder of the same source, e.g. `extends = \"_base\"`",
                );
            }
        }
        if let Err(e) = semver::Version::parse(&m.version) {
            self.push_hint(
                "version",
                format!("`{}` is not a semantic version: {e}", m.version),
                "write MAJOR.MINOR.PATCH, e.g. `1.2.0`",
            );
        }
        if let Some(min) = &m.min_engine_version {
            match semver::Version::parse(min) {
                Err(e) => self.push(
                    "min-engine-version",
                    format!("`{min}` is not a semantic version: {e}"),
                ),
                Ok(min) => {
                    let ours =
                        semver::Version::parse(env!("CARGO_PKG_VERSION")).expect("own version");
                    if min > ours {
                        self.push_hint(
                            "min-engine-version",
                            format!(
                                "this golden path needs scaffold {min} or newer; this is {ours}"
                            ),
                            "upgrade scaffold (`cargo install goldpath`)",
                        );
                    }
                }
            }
        }
    }

    fn variable(&mut self, name: &str, var: &Variable, earlier: &[String], m: &Manifest) {
        let field = |f: &str| format!("variables.{name}.{f}");
        let ident = Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("static regex");
        if !ident.is_match(name) {
            self.push_hint(&format!("variables.{name}"), format!("`{name}` is not a valid variable name"),
                "use letters, digits and `_`, starting with a letter (templates refer to it as `{{ name }}`)");
        }
        if RESERVED_NAMES.contains(&name) {
            self.push(
                &format!("variables.{name}"),
                format!("`{name}` is reserved by the engine; choose another name"),
            );
        }
        let is_choice = matches!(var.kind, VarType::Choice | VarType::MultiChoice);
        if is_choice && var.choices.is_empty() {
            self.push_hint(
                &format!("variables.{name}"),
                format!("{} variable `{name}` has no choices", var.kind.as_str()),
                "add `choices = [\"a\", \"b\"]`",
            );
        }
        if !is_choice && !var.choices.is_empty() {
            self.push_hint(
                &field("choices"),
                format!(
                    "`choices` only applies to choice variables, and `{name}` is {}",
                    var.kind.with_article()
                ),
                "set `type = \"choice\"` or remove `choices`",
            );
        }
        let mut seen = Vec::new();
        for choice in &var.choices {
            if seen.contains(&choice.value()) {
                self.push(
                    &field("choices"),
                    format!("choice `{}` is listed twice", choice.value()),
                );
            }
            seen.push(choice.value());
        }
        if var.secret && var.kind != VarType::String {
            self.push(
                &field("secret"),
                format!(
                    "only string variables can be secret; `{name}` is {}",
                    var.kind.with_article()
                ),
            );
        }
        if let Some(computed) = &var.computed {
            for conflicting in ["default", "prompt"] {
                let set = if conflicting == "default" {
                    var.default.is_some()
                } else {
                    var.prompt.is_some()
                };
                if set {
                    self.push(&field(conflicting), format!("`{name}` is computed, so it is never asked and cannot have a `{conflicting}`"));
                }
            }
            self.references(
                &field("computed"),
                &template_variables(computed),
                earlier,
                m,
                name,
            );
        }
        let regex = var
            .regex
            .as_ref()
            .and_then(|r| match Regex::new(&format!("^(?:{r})$")) {
                Ok(re) => Some(re),
                Err(e) => {
                    self.push(
                        &field("regex"),
                        format!(
                            "invalid regular expression: {}",
                            e.to_string().lines().last().unwrap_or_default()
                        ),
                    );
                    None
                }
            });
        if let Some(default) = &var.default {
            self.default_value(name, var, default, regex.as_ref(), earlier, m);
        }
        if let Some(when) = &var.when {
            self.references(
                &field("when"),
                &expression_variables(when),
                earlier,
                m,
                name,
            );
        }
        if let Some(validate) = &var.validate {
            let mut allowed = earlier.to_vec();
            allowed.push("value".into());
            allowed.push(name.to_string());
            self.references(
                &field("validate"),
                &expression_variables(validate),
                &allowed,
                m,
                name,
            );
        }
    }

    fn default_value(
        &mut self,
        name: &str,
        var: &Variable,
        default: &Value,
        regex: Option<&Regex>,
        earlier: &[String],
        m: &Manifest,
    ) {
        let field = format!("variables.{name}.default");
        if let Value::String(s) = default {
            if is_template(s) {
                self.references(&field, &template_variables(s), earlier, m, name);
                return;
            }
        }
        let values: Vec<&Value> = match (var.kind, default) {
            (VarType::String | VarType::Choice, Value::String(_)) => {
                vec![default]
            }
            (VarType::Integer, Value::Number(n)) if n.is_i64() => vec![],
            (VarType::Boolean, Value::Bool(_)) => vec![],
            (VarType::MultiChoice | VarType::List, Value::Array(items))
                if items.iter().all(Value::is_string) =>
            {
                items.iter().collect()
            }
            (kind, other) => {
                self.push(
                    &field,
                    format!("default {other} is not {}", kind.with_article()),
                );
                return;
            }
        };
        for value in values {
            let text = value.as_str().unwrap_or_default();
            if matches!(var.kind, VarType::Choice | VarType::MultiChoice)
                && !var.choices.iter().any(|c| c.value() == text)
            {
                let choices: Vec<&str> = var.choices.iter().map(super::Choice::value).collect();
                self.push_hint(
                    &field,
                    format!("default `{text}` is not one of the choices"),
                    format!("choices are: {}", choices.join(", ")),
                );
            }
            if let Some(re) = regex {
                if !re.is_match(text) {
                    self.push(
                        &field,
                        format!(
                            "default `{text}` does not match its own regex `{}`",
                            var.regex.as_deref().unwrap_or_default()
                        ),
                    );
                }
            }
        }
    }

    /// Reports names used in `field` that are not among `known`.
    fn references(
        &mut self,
        field: &str,
        used: &[String],
        known: &[String],
        m: &Manifest,
        this: &str,
    ) {
        for name in used {
            if known.contains(name) || RESERVED_NAMES.contains(&name.as_str()) {
                continue;
            }
            let declared_later = m.variables.contains_key(name) && name != this;
            if declared_later {
                self.push_hint(field, format!("`{name}` is used before it is asked"),
                    format!("move `[variables.{name}]` above the variable that uses it; answers are resolved in order"));
            } else if name == this {
                self.push(field, format!("`{name}` refers to itself"));
            } else {
                let candidates: Vec<&str> = m
                    .variables
                    .keys()
                    .map(String::as_str)
                    .chain(known.iter().map(String::as_str))
                    .collect();
                let message = format!("variable `{name}` is not declared");
                match did_you_mean(name, candidates) {
                    Some(best) => self.push_hint(field, message, format!("did you mean `{best}`?")),
                    None => self.push_hint(
                        field,
                        message,
                        format!("declare it under `[variables.{name}]`"),
                    ),
                }
            }
        }
    }

    /// Secrets are tainted: a value derived from one would be recorded in
    /// the lock and rendered into files and commits. So a non-secret
    /// default or computed value may not read a secret, and a task reads
    /// secrets from its environment, never from its command line (which
    /// `ps`, logs and `--json` show).
    fn secret_flow(&mut self, m: &Manifest, secrets: &[String]) {
        if secrets.is_empty() {
            return;
        }
        let secret_in = |text: &str| {
            template_variables(text)
                .into_iter()
                .find(|name| secrets.contains(name))
        };
        for (name, var) in &m.variables {
            if var.secret {
                continue;
            }
            let derived = [
                ("default", var.default.as_ref().and_then(Value::as_str)),
                ("computed", var.computed.as_deref()),
            ];
            for (field, text) in derived {
                if let Some(secret) = text.and_then(secret_in) {
                    self.push_hint(
                        &format!("variables.{name}.{field}"),
                        format!("`{name}` is not secret but its {field} reads the secret `{secret}`, which would then be recorded in the lock and written into files"),
                        format!("mark `{name}` as `secret = true` too, or do not derive it from `{secret}`"),
                    );
                }
            }
        }
        for (i, task) in m.tasks.iter().enumerate() {
            if let Some(secret) = secret_in(&task.run) {
                self.push_hint(
                    &format!("tasks.{i}.run"),
                    format!("the command reads the secret `{secret}`, which would put it on a command line"),
                    format!(
                        "read it from the environment instead: \"$SCAFFOLD_SECRET_{}\"",
                        secret.to_ascii_uppercase()
                    ),
                );
            }
        }
    }

    fn request(&mut self, m: &Manifest, declared: &[String]) {
        let Some(request) = &m.request else { return };
        for (var, path) in &request.fields {
            if !declared.contains(var) {
                let message =
                    format!("request field `{path}` maps onto `{var}`, which is not declared");
                match did_you_mean(var, declared.iter().map(String::as_str)) {
                    Some(best) => self.push_hint(
                        &format!("request.fields.{var}"),
                        message,
                        format!("did you mean `{best}`?"),
                    ),
                    None => self.push(&format!("request.fields.{var}"), message),
                }
            }
        }
    }

    fn rules(&mut self, m: &Manifest, declared: &[String]) {
        let glob_lists = [
            ("files.exclude", &m.files.exclude),
            ("files.copy", &m.files.copy),
            ("files.seed-once", &m.files.seed_once),
        ];
        for (field, globs) in glob_lists {
            self.globs(field, globs);
        }
        for (i, c) in m.conditions.iter().enumerate() {
            self.globs(&format!("conditions.{i}.paths"), &c.paths);
            self.references(
                &format!("conditions.{i}.when"),
                &expression_variables(&c.when),
                declared,
                m,
                "",
            );
        }
        for (i, r) in m.render.iter().enumerate() {
            self.globs(&format!("render.{i}.paths"), &r.paths);
            if let Some(d) = &r.delimiters {
                let field = format!("render.{i}.delimiters");
                let pairs = [Some(&d.variable), d.block.as_ref(), d.comment.as_ref()];
                for pair in pairs.into_iter().flatten() {
                    let blank = |d: &str| {
                        d.is_empty() || d.chars().any(|c| c.is_whitespace() || c.is_control())
                    };
                    if blank(&pair[0]) || blank(&pair[1]) || pair[0] == pair[1] {
                        self.push(
                            &field,
                            format!(
                                "delimiters `{}` … `{}` must be non-empty, without spaces or line breaks, and differ",
                                pair[0], pair[1]
                            ),
                        );
                    }
                }
                let engine = r.engine.unwrap_or(m.engine);
                if engine == super::EngineKind::Handlebars
                    && (d.block.is_some() || d.comment.is_some())
                {
                    self.push_hint(&field, "handlebars has no separate block or comment delimiters",
                        "keep only `variable`; handlebars blocks use the same delimiters (`[[#if x]]`)");
                }
            }
            if r.engine.is_none() && r.delimiters.is_none() {
                self.push(
                    &format!("render.{i}"),
                    "a render rule needs `engine`, `delimiters` or both",
                );
            }
        }
        for (i, t) in m.tasks.iter().enumerate() {
            self.references(
                &format!("tasks.{i}.run"),
                &template_variables(&t.run),
                declared,
                m,
                "",
            );
            if let Some(when) = &t.when {
                self.references(
                    &format!("tasks.{i}.when"),
                    &expression_variables(when),
                    declared,
                    m,
                    "",
                );
            }
        }
    }

    fn migrations(&mut self, m: &Manifest) {
        for (i, mig) in m.migrations.iter().enumerate() {
            let field = format!("migrations.{i}");
            let steps = [mig.rename.is_some(), mig.set.is_some(), mig.drop.is_some()]
                .iter()
                .filter(|b| **b)
                .count();
            if steps != 1 {
                self.push_hint(&field, format!("a migration does exactly one thing; this one does {steps}"), "write one of `rename = {{ from, to }}`, `set = {{ variable, value }}`, `drop = \"name\"`");
            }
            if let Some(since) = &mig.since {
                if semver::Version::parse(since).is_err() {
                    self.push(
                        &format!("{field}.since"),
                        format!("`{since}` is not a semantic version"),
                    );
                }
            }
        }
    }

    fn globs(&mut self, field: &str, globs: &[String]) {
        for (i, g) in globs.iter().enumerate() {
            if let Err(e) = Glob::new(g) {
                self.push(
                    &format!("{field}.{i}"),
                    format!("invalid glob `{g}`: {}", e.kind()),
                );
            }
        }
    }
}
