//! `scaffold export backstage`: a golden path as a Backstage Software Template
//! (`scaffolder.backstage.io/v1beta3`, `kind: Template`), so a portal offers it
//! unchanged. Parameters come from the questions (types, defaults, choices,
//! regex, help); a simple `when` (`VAR == 'x'`, `VAR != 'x'`, a boolean `VAR`)
//! becomes a JSON Schema `dependencies` block, so the field appears exactly when
//! `scaffold new` would ask it. The steps run `scaffold new` with the answers
//! (through the `goldpath:scaffold:new` action of `integrations/backstage/`, a
//! thin wrapper around the CLI), then publish the repository (to GitHub or
//! GitLab, as the `ci` answer says) and register its catalog entry.
//!
//! Backstage form defaults are static, so a templated default
//! (`The {{ service_name }} service`) is left out of the form and described
//! instead: the action leaves empty answers out, and `scaffold new` computes
//! the default from the other answers, exactly as on the command line.

use regex::Regex;
use serde_json::{json, Map, Value};

use crate::manifest::VarType;
use crate::show::{Description, VariableInfo};

/// Choices of the export that are not in the golden path.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Hosts the repository picker offers (default: github.com, and gitlab.com
    /// when the golden path can target GitLab CI).
    pub allowed_hosts: Vec<String>,
}

/// [`template`] as the YAML file Backstage reads.
pub fn template_yaml(desc: &Description, options: &ExportOptions) -> String {
    serde_norway::to_string(&template(desc, options)).expect("a JSON value is YAML")
}

/// The publish step of each forge a golden path's `ci` question can choose.
struct Forge {
    ci: &'static str,
    step: &'static str,
    action: &'static str,
    default_host: &'static str,
}

const FORGES: [Forge; 2] = [
    Forge {
        ci: "github-actions",
        step: "publish-github",
        action: "publish:github",
        default_host: "github.com",
    },
    Forge {
        ci: "gitlab",
        step: "publish-gitlab",
        action: "publish:gitlab",
        default_host: "gitlab.com",
    },
];

pub fn template(desc: &Description, options: &ExportOptions) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut dependencies: Map<String, Value> = Map::new();
    let when_eq =
        Regex::new(r"^\s*([a-z_][a-z0-9_]*)\s*(==|!=)\s*'([^']*)'\s*$").expect("static regex");
    let when_bool = Regex::new(r"^\s*(not\s+)?([a-z_][a-z0-9_]*)\s*$").expect("static regex");
    for var in &desc.variables {
        let schema = field(var);
        let condition = var.when.as_deref().and_then(|w| {
            if let Some(c) = when_eq.captures(w) {
                let controller = desc.variables.iter().find(|v| v.name == c[1])?;
                let (op, lit) = (&c[2], c[3].to_string());
                let values: Vec<Value> = if op == "==" {
                    vec![json!(lit)]
                } else {
                    controller
                        .choices
                        .iter()
                        .filter(|x| **x != lit)
                        .map(|x| json!(x))
                        .collect()
                };
                Some((controller.name.clone(), json!({ "enum": values })))
            } else if let Some(c) = when_bool.captures(w) {
                let controller = desc
                    .variables
                    .iter()
                    .find(|v| v.name == c[2] && v.kind == VarType::Boolean)?;
                Some((
                    controller.name.clone(),
                    json!({ "const": c.get(1).is_none() }),
                ))
            } else {
                None
            }
        });
        if let Some((controller, matches)) = condition {
            let entry = dependencies
                .entry(controller.clone())
                .or_insert_with(|| json!({ "oneOf": [] }));
            let mut props = Map::new();
            props.insert(controller, matches);
            props.insert(var.name.clone(), schema);
            let mut branch = json!({ "properties": props });
            if !var.has_default {
                branch["required"] = json!([var.name]);
            }
            entry["oneOf"].as_array_mut().expect("oneOf").push(branch);
        } else {
            let mut schema = schema;
            if let Some(w) = &var.when {
                append_description(&mut schema, &format!("Used when `{w}`."));
            }
            if !var.has_default && var.when.is_none() {
                required.push(var.name.clone());
            }
            properties.insert(var.name.clone(), schema);
        }
    }
    let mut parameters = json!({
        "title": format!("{} {}", desc.name, desc.version),
        "required": required,
        "properties": properties,
    });
    if !dependencies.is_empty() {
        parameters["dependencies"] = Value::Object(dependencies);
    }
    let answers: Map<String, Value> = desc
        .variables
        .iter()
        .filter(|v| !v.secret)
        .map(|v| {
            (
                v.name.clone(),
                json!(format!("${{{{ parameters.{} }}}}", v.name)),
            )
        })
        .collect();
    let secrets: Map<String, Value> = desc
        .variables
        .iter()
        .filter(|v| v.secret)
        .map(|v| {
            (
                v.name.clone(),
                json!(format!("${{{{ secrets.{} }}}}", v.name)),
            )
        })
        .collect();
    let service = if desc.variables.iter().any(|v| v.name == "service_name") {
        "${{ parameters.service_name }}"
    } else {
        "${{ parameters.name }}"
    };
    let forges = forges_of(desc);
    let allowed_hosts: Vec<&str> = if options.allowed_hosts.is_empty() {
        forges.iter().map(|f| f.default_host).collect()
    } else {
        options.allowed_hosts.iter().map(String::as_str).collect()
    };
    let mut steps = vec![json!({
        "id": "scaffold",
        "name": format!("scaffold new {} {}", desc.name, desc.version),
        "action": "goldpath:scaffold:new",
        "input": {
            "source": desc.source,
            "version": desc.version,
            "answers": answers,
            "secrets": secrets,
        }
    })];
    for forge in &forges {
        let mut step = json!({
            "id": forge.step,
            "name": format!("Publish ({})", forge.action),
            "action": forge.action,
            "input": {
                "repoUrl": "${{ parameters.repoUrl }}",
                "description": desc.description,
                "defaultBranch": "main",
            }
        });
        if forges.len() > 1 {
            step["if"] = json!(format!("${{{{ parameters.ci == '{}' }}}}", forge.ci));
        }
        steps.push(step);
    }
    let published = |field: &str| {
        let parts: Vec<String> = forges
            .iter()
            .map(|f| format!("steps['{}'].output.{field}", f.step))
            .collect();
        format!("${{{{ {} }}}}", parts.join(" or "))
    };
    steps.push(json!({
        "id": "register",
        "name": "Register in the catalog",
        "action": "catalog:register",
        "input": {
            "repoContentsUrl": published("repoContentsUrl"),
            "catalogInfoPath": "/catalog-info.yaml",
        }
    }));
    json!({
        "apiVersion": "scaffolder.backstage.io/v1beta3",
        "kind": "Template",
        "metadata": {
            "name": desc.name,
            "title": desc.name,
            "description": desc.description,
            "tags": desc.tags,
            "annotations": {
                "goldpath.dev/golden-path": desc.name,
                "goldpath.dev/golden-path-version": desc.version,
            },
        },
        "spec": {
            "owner": desc.owner,
            "type": desc.request_type.clone().unwrap_or_else(|| "service".into()),
            "parameters": [
                parameters,
                {
                    "title": "Repository",
                    "required": ["repoUrl"],
                    "properties": {
                        "repoUrl": {
                            "title": "Repository location",
                            "type": "string",
                            "ui:field": "RepoUrlPicker",
                            "ui:options": { "allowedHosts": allowed_hosts },
                        }
                    }
                }
            ],
            "steps": steps,
            "output": {
                "links": [
                    { "title": "Repository", "url": published("remoteUrl") },
                    { "title": "Open in catalog", "icon": "catalog", "entityRef": "${{ steps.register.output.entityRef }}" }
                ],
                "text": [{ "title": "Service", "content": format!("Created {service} from {} {}.", desc.name, desc.version) }]
            }
        }
    })
}

/// The forges the golden path can publish to: those its `ci` question
/// offers, else GitHub.
fn forges_of(desc: &Description) -> Vec<&'static Forge> {
    let offered: Vec<&'static Forge> = desc
        .variables
        .iter()
        .find(|v| v.name == "ci" && v.kind == VarType::Choice)
        .map(|ci| {
            FORGES
                .iter()
                .filter(|f| ci.choices.iter().any(|c| c == f.ci))
                .collect()
        })
        .unwrap_or_default();
    if offered.is_empty() {
        vec![&FORGES[0]]
    } else {
        offered
    }
}

fn field(var: &VariableInfo) -> Value {
    let mut f = Map::new();
    f.insert("title".into(), json!(var.prompt));
    if let Some(help) = &var.help {
        f.insert("description".into(), json!(help));
    }
    match var.kind {
        VarType::String => {
            f.insert("type".into(), json!("string"));
            if let Some(re) = &var.regex {
                f.insert("pattern".into(), json!(format!("^(?:{re})$")));
            }
            if var.secret {
                f.insert("ui:field".into(), json!("Secret"));
            }
        }
        VarType::Integer => {
            f.insert("type".into(), json!("integer"));
        }
        VarType::Boolean => {
            f.insert("type".into(), json!("boolean"));
        }
        VarType::Choice => {
            f.insert("type".into(), json!("string"));
            f.insert("enum".into(), json!(var.choices));
            if !var.choice_labels.is_empty() {
                f.insert("enumNames".into(), json!(var.choice_labels));
            }
        }
        VarType::MultiChoice => {
            f.insert("type".into(), json!("array"));
            let mut items = json!({ "type": "string", "enum": var.choices });
            if !var.choice_labels.is_empty() {
                items["enumNames"] = json!(var.choice_labels);
            }
            f.insert("items".into(), items);
            f.insert("uniqueItems".into(), json!(true));
            f.insert("ui:widget".into(), json!("checkboxes"));
        }
        VarType::List => {
            f.insert("type".into(), json!("array"));
            let mut items = json!({ "type": "string" });
            if let Some(re) = &var.regex {
                items["pattern"] = json!(format!("^(?:{re})$"));
            }
            f.insert("items".into(), items);
        }
    }
    let mut f = Value::Object(f);
    if let Some(d) = &var.default {
        match d.as_str().filter(|t| crate::manifest::is_template(t)) {
            // Computed by scaffold from the other answers when left empty.
            Some(templated) => {
                let note = format!(
                    "Leave empty for the golden path's default: {}.",
                    readable_template(templated)
                );
                append_description(&mut f, &note);
            }
            None => {
                f["default"] = d.clone();
            }
        }
    }
    f
}

/// `note` after the field's description (its help), or as the description.
fn append_description(field: &mut Value, note: &str) {
    let described = match field.get("description").and_then(Value::as_str) {
        Some(help) => format!("{help} {note}"),
        None => note.to_string(),
    };
    field["description"] = json!(described);
}

/// A templated default as people read it: `The {{ service_name }} service`
/// becomes `The <service_name> service`; filters are left out.
fn readable_template(template: &str) -> String {
    static EXPR: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"\{\{\s*([a-z_][a-z0-9_]*)[^}]*\}\}").expect("static regex")
    });
    EXPR.replace_all(template, "<$1>").into_owned()
}
