//! The Tera engine (2.x).
//!
//! Tera 2 rather than 1.20: its hand-written parser compiles our 100-file
//! benchmark template in ~4 ms where 1.20's pest grammar takes ~90 ms (the
//! text between tags is scanned character by character there), and its
//! errors carry a line and column at render time too. The template language
//! we use is the same in both. Tera 2 treats an undefined name inside `if`
//! as false, so `TemplateSet` checks every template's free variables against
//! the declared ones before rendering (see `variables`).

use std::collections::HashMap;

use rayon::prelude::*;

use super::limit::{too_large_message, CappedBuffer};
use super::{Engine, RenderError};
use crate::manifest::EngineKind;

/// Templates are parsed in parallel, in shards of one `Tera` each, unless
/// one of them refers to another (include, extends, import, macros): then
/// all share one instance so the reference resolves.
pub struct TeraEngine {
    shards: Vec<tera::Tera>,
    shard_of: HashMap<String, usize>,
}

impl TeraEngine {
    pub fn new() -> Self {
        TeraEngine {
            shards: Vec::new(),
            shard_of: HashMap::new(),
        }
    }

    fn shard(&self, name: &str) -> Result<&tera::Tera, RenderError> {
        self.shard_of
            .get(name)
            .map(|&i| &self.shards[i])
            .ok_or_else(|| RenderError {
                template: name.to_string(),
                line: None,
                message: "no such template (internal error)".into(),
            })
    }
}

/// Below this many templates one shard is as fast as several.
const MIN_TEMPLATES_TO_SHARD: usize = 64;

/// Whether a template names another template, which must then be in the same instance.
fn links_templates(source: &str) -> bool {
    source.match_indices("{%").any(|(i, _)| {
        let tag = source[i + 2..].trim_start_matches('-').trim_start();
        ["include", "extends", "import", "macro", "component"]
            .iter()
            .any(|kw| tag.starts_with(kw))
    })
}

/// Splits templates into `n` groups of similar total size (largest first, into the lightest group).
fn balance(templates: Vec<(String, String)>, n: usize) -> Vec<Vec<(String, String)>> {
    let mut sorted = templates;
    sorted.sort_by_key(|(_, s)| std::cmp::Reverse(s.len()));
    let mut groups: Vec<(usize, Vec<(String, String)>)> = (0..n).map(|_| (0, Vec::new())).collect();
    for t in sorted {
        let lightest = groups
            .iter_mut()
            .min_by_key(|(bytes, _)| *bytes)
            .expect("n >= 1");
        lightest.0 += t.1.len();
        lightest.1.push(t);
    }
    groups
        .into_iter()
        .map(|(_, g)| g)
        .filter(|g| !g.is_empty())
        .collect()
}

/// Generated files are code and config, not HTML: never escape.
fn fresh() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::<&str>::new());
    tera
}

fn error(name: &str, err: &tera::Error) -> RenderError {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let template = if report.filename().is_empty() {
                name
            } else {
                report.filename()
            };
            RenderError {
                template: template.to_string(),
                line: Some(report.span().start_line),
                message: report.message().to_string(),
            }
        }
        _ => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            RenderError {
                template: name.to_string(),
                line: None,
                message,
            }
        }
    }
}

/// A shard's template names, and the shard or its errors.
type CompiledShard = (Vec<String>, Result<tera::Tera, Vec<RenderError>>);

/// One shard; on error, every broken template of the group is reported.
fn compile_group(group: &[(String, String)]) -> Result<tera::Tera, Vec<RenderError>> {
    let mut tera = fresh();
    let all_at_once = tera.add_raw_templates(group.iter().map(|(n, s)| (n.as_str(), s.as_str())));
    let Err(together) = all_at_once else {
        return Ok(tera);
    };
    // Slow path, only on error: one by one, to report every broken template.
    let mut errors: Vec<RenderError> = group
        .iter()
        .filter_map(|(name, source)| {
            fresh()
                .add_raw_template(name, source)
                .err()
                .map(|e| error(name, &e))
        })
        .collect();
    if errors.is_empty() {
        errors.push(error("templates", &together));
    }
    Err(errors)
}

impl Engine for TeraEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Tera
    }

    fn compile(&mut self, templates: Vec<(String, String)>) -> Result<(), Vec<RenderError>> {
        let linked = templates.iter().any(|(_, s)| links_templates(s));
        let shards = if linked || templates.len() < MIN_TEMPLATES_TO_SHARD {
            1
        } else {
            rayon::current_num_threads().max(1)
        };
        let groups = balance(templates, shards);
        let built: Vec<CompiledShard> = groups
            .into_par_iter()
            .map(|group| {
                let names = group.iter().map(|(n, _)| n.clone()).collect();
                (names, compile_group(&group))
            })
            .collect();
        let mut errors = Vec::new();
        for (names, result) in built {
            match result {
                Ok(tera) => {
                    let index = self.shards.len();
                    self.shards.push(tera);
                    self.shard_of.extend(names.into_iter().map(|n| (n, index)));
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn render(&self, name: &str, context: &serde_json::Value) -> Result<String, RenderError> {
        let ctx = tera::Context::from_serialize(context).map_err(|e| error(name, &e))?;
        let mut out = CappedBuffer::default();
        let rendered = self.shard(name)?.render_to(name, &ctx, &mut out);
        if out.overflowed {
            return Err(RenderError {
                template: name.to_string(),
                line: None,
                message: too_large_message(),
            });
        }
        rendered.map_err(|e| error(name, &e))?;
        String::from_utf8(out.bytes).map_err(|_| RenderError {
            template: name.to_string(),
            line: None,
            message: "rendered text that is not UTF-8".into(),
        })
    }

    fn variables(&self, name: &str) -> Option<Vec<String>> {
        let vars = self.shard(name).ok()?.get_template_variables(name).ok()?;
        let mut vars: Vec<String> = vars.into_iter().map(str::to_string).collect();
        vars.sort();
        Some(vars)
    }
}
