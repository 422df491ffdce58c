//! All templates of one golden path, compiled once.

use std::collections::HashMap;

use super::{new_engine, translate, Engine, RenderError};
use crate::manifest::{DelimiterSpec, EngineKind};

/// One template to compile: its unique name, text, engine and delimiters.
pub struct TemplateSource {
    pub name: String,
    pub text: String,
    pub engine: EngineKind,
    pub delimiters: Option<DelimiterSpec>,
    /// What to name in errors (a file, or a manifest field); defaults to `name`.
    pub origin: Option<String>,
}

impl TemplateSource {
    /// A Tera template with default delimiters (file names, defaults, tasks).
    pub fn tera(name: impl Into<String>, text: impl Into<String>) -> Self {
        TemplateSource {
            name: name.into(),
            text: text.into(),
            engine: EngineKind::Tera,
            delimiters: None,
            origin: None,
        }
    }

    /// A boolean Tera expression (`when`, `validate`), evaluated by `TemplateSet::is_true`.
    pub fn expression(name: impl Into<String>, expr: &str) -> Self {
        Self::tera(name, format!("{{% if {expr} %}}true{{% endif %}}"))
    }

    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }
}

/// Compiled templates of every engine a golden path uses.
pub struct TemplateSet {
    engines: HashMap<EngineKind, Box<dyn Engine>>,
    owner: HashMap<String, EngineKind>,
    origins: HashMap<String, String>,
}

impl TemplateSet {
    /// Compiles everything, grouped by engine; reports every broken template.
    pub fn compile(sources: Vec<TemplateSource>) -> Result<TemplateSet, Vec<RenderError>> {
        let mut grouped: HashMap<EngineKind, Vec<(String, String)>> = HashMap::new();
        let mut owner = HashMap::with_capacity(sources.len());
        let mut origins = HashMap::new();
        for source in sources {
            if let Some(origin) = &source.origin {
                origins.insert(source.name.clone(), origin.clone());
            }
            let text = match &source.delimiters {
                Some(spec) => translate(&source.text, spec, source.engine),
                None => source.text,
            };
            owner.insert(source.name.clone(), source.engine);
            grouped
                .entry(source.engine)
                .or_default()
                .push((source.name, text));
        }
        let mut engines = HashMap::new();
        let mut errors = Vec::new();
        for (kind, templates) in grouped {
            let mut engine = new_engine(kind);
            if let Err(e) = engine.compile(templates) {
                errors.extend(e.into_iter().map(|e| relabel(&origins, e)));
            }
            engines.insert(kind, engine);
        }
        if errors.is_empty() {
            Ok(TemplateSet {
                engines,
                owner,
                origins,
            })
        } else {
            errors.sort_by(|a, b| (&a.template, a.line).cmp(&(&b.template, b.line)));
            Err(errors)
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.owner.contains_key(name)
    }

    pub fn render(&self, name: &str, context: &serde_json::Value) -> Result<String, RenderError> {
        let kind = self.owner.get(name).ok_or_else(|| RenderError {
            template: name.to_string(),
            line: None,
            message: "no such template (internal error)".into(),
        })?;
        self.engines[kind]
            .render(name, context)
            .map_err(|e| relabel(&self.origins, e))
    }

    /// The free variables `name` reads (`None` when its engine cannot tell).
    pub fn variables(&self, name: &str) -> Option<Vec<String>> {
        self.owner
            .get(name)
            .and_then(|kind| self.engines[kind].variables(name))
    }

    /// Every template's name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.owner.keys().map(String::as_str)
    }

    /// Where errors about `name` should point.
    pub fn origin<'a>(&'a self, name: &'a str) -> &'a str {
        self.origins.get(name).map_or(name, String::as_str)
    }

    /// Evaluates a template compiled with `TemplateSource::expression`.
    pub fn is_true(&self, name: &str, context: &serde_json::Value) -> Result<bool, RenderError> {
        Ok(self.render(name, context)? == "true")
    }
}

fn relabel(origins: &HashMap<String, String>, mut e: RenderError) -> RenderError {
    if let Some(origin) = origins.get(&e.template) {
        e.template = origin.clone();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_both_engines_and_expressions() {
        let set = TemplateSet::compile(vec![
            TemplateSource::tera("a", "hi {{ name }}"),
            TemplateSource {
                name: "b".into(),
                text: "hey {{name}}".into(),
                engine: EngineKind::Handlebars,
                delimiters: None,
                origin: None,
            },
            TemplateSource::expression("c", "n > 2"),
        ])
        .unwrap();
        let ctx = json!({"name": "x", "n": 3});
        assert_eq!(set.render("a", &ctx).unwrap(), "hi x");
        assert_eq!(set.render("b", &ctx).unwrap(), "hey x");
        assert!(set.is_true("c", &ctx).unwrap());
        assert!(!set.is_true("c", &json!({"n": 1})).unwrap());
    }

    #[test]
    fn undefined_variables_are_errors_with_a_line() {
        let set = TemplateSet::compile(vec![
            TemplateSource::tera("file:a.txt", "line one\n{{ missing }}\n").with_origin("a.txt"),
            TemplateSource {
                name: "file:b.txt".into(),
                text: "x\n{{missing}}".into(),
                engine: EngineKind::Handlebars,
                delimiters: None,
                origin: None,
            },
        ])
        .unwrap();
        let e = set.render("file:a.txt", &json!({})).unwrap_err();
        assert_eq!((e.template.as_str(), e.line), ("a.txt", Some(2)));
        assert!(e.message.contains("`missing`"), "{}", e.message);
        let e = set.render("file:b.txt", &json!({})).unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn syntax_errors_are_all_reported_with_lines() {
        let errors = TemplateSet::compile(vec![
            TemplateSource::tera("file:a", "ok\n{% if %}\n"),
            TemplateSource::tera("file:b", "{{ x "),
            TemplateSource::tera("file:c", "fine"),
        ])
        .err()
        .unwrap();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].template, "file:a");
        assert_eq!(errors[0].line, Some(2));
    }

    #[test]
    fn helm_and_actions_syntax_survive_alternative_delimiters() {
        let spec = DelimiterSpec {
            variable: ["[[".into(), "]]".into()],
            block: Some(["[%".into(), "%]".into()]),
            comment: None,
        };
        let src = "name: [[ service ]]\nimage: {{ .Values.image | quote }}\nrun: echo ${{ secrets.TOKEN }}\n[% if ha %]replicas: 2[% endif %]\n";
        let set = TemplateSet::compile(vec![TemplateSource {
            name: "f".into(),
            text: src.into(),
            engine: EngineKind::Tera,
            delimiters: Some(spec),
            origin: None,
        }])
        .unwrap();
        let out = set
            .render("f", &json!({"service": "orders", "ha": true}))
            .unwrap();
        assert_eq!(out, "name: orders\nimage: {{ .Values.image | quote }}\nrun: echo ${{ secrets.TOKEN }}\nreplicas: 2\n");
    }
}
