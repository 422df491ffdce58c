//! The manifest's expressions (`when`, `validate`, `computed`, templated
//! defaults, conditions, tasks) as Tera templates, compiled with the files.

use serde_json::{json, Value};

use crate::error::{Location, Problem};
use crate::manifest::{is_template, Manifest};
use crate::render::TemplateSource;

/// The manifest's expressions and templated defaults as templates, named
/// `var-default:NAME`, `var-when:NAME`, `var-validate:NAME`, `var-computed:NAME`,
/// `cond:I`, `task-when:I`, `task-run:I`.
pub fn compile_expressions(m: &Manifest, label: &str) -> Vec<TemplateSource> {
    let origin = |field: String| format!("{label} [{field}]");
    let mut out = Vec::new();
    for (name, var) in &m.variables {
        if let Some(Value::String(d)) = &var.default {
            if is_template(d) {
                out.push(
                    TemplateSource::tera(format!("var-default:{name}"), d.clone())
                        .with_origin(origin(format!("variables.{name}.default"))),
                );
            }
        }
        if let Some(w) = &var.when {
            out.push(
                TemplateSource::expression(format!("var-when:{name}"), w)
                    .with_origin(origin(format!("variables.{name}.when"))),
            );
        }
        if let Some(v) = &var.validate {
            out.push(
                TemplateSource::expression(format!("var-validate:{name}"), v)
                    .with_origin(origin(format!("variables.{name}.validate"))),
            );
        }
        if let Some(c) = &var.computed {
            out.push(
                TemplateSource::tera(format!("var-computed:{name}"), c.clone())
                    .with_origin(origin(format!("variables.{name}.computed"))),
            );
        }
    }
    for (i, c) in m.conditions.iter().enumerate() {
        out.push(
            TemplateSource::expression(format!("cond:{i}"), &c.when)
                .with_origin(origin(format!("conditions.{i}.when"))),
        );
    }
    for (i, t) in m.tasks.iter().enumerate() {
        out.push(
            TemplateSource::tera(format!("task-run:{i}"), t.run.clone())
                .with_origin(origin(format!("tasks.{i}.run"))),
        );
        if let Some(w) = &t.when {
            out.push(
                TemplateSource::expression(format!("task-when:{i}"), w)
                    .with_origin(origin(format!("tasks.{i}.when"))),
            );
        }
    }
    out
}

pub(crate) fn render_problem(e: crate::render::RenderError) -> Problem {
    let (file, field) = match e.template.split_once(" [") {
        Some((file, field)) => (
            file.to_string(),
            Some(field.trim_end_matches(']').to_string()),
        ),
        None => (e.template.clone(), None),
    };
    let loc = match field {
        // A manifest expression: the field locates it; its own line 1 would mislead.
        Some(f) => Location::file(file).with_field(f),
        None => Location::file(file).with_line(e.line),
    };
    Problem::new(loc, e.message)
}

/// Metadata every template can read under `scaffold`.
pub fn metadata(golden_path: &str, version: &str) -> Value {
    json!({ "golden_path": golden_path, "version": version, "engine_version": env!("CARGO_PKG_VERSION") })
}
