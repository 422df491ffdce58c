//! `scaffold export backstage`: a golden path as a Backstage Software Template
//! (`scaffolder.backstage.io/v1beta3`, `kind: Template`), so a portal offers it
//! unchanged. Parameters come from the questions (types, defaults, choices,
//! regex, help); a simple `when` (`VAR == 'x'`, `VAR != 'x'`, a boolean `VAR`)
//! becomes a JSON Schema `dependencies` block, so the field appears exactly when
//! `scaffold new` would ask it. The steps run `scaffold new` with the answers
//! (through the `goldpath:scaffold:new` action, a thin wrapper around the CLI),
//! then publish the repository and register its catalog entry.

use regex::Regex;
use serde_json::{json, Map, Value};

use crate::manifest::VarType;
use crate::show::{Description, VariableInfo};

pub fn template(desc: &Description) -> Value {
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
        match condition {
            Some((controller, matches)) => {
                let entry = dependencies
                    .entry(controller.clone())
                    .or_insert_with(|| json!({ "oneOf": [] }));
                let mut props = Map::new();
                props.insert(controller, matches);
                props.insert(var.name.clone(), schema);
                let mut branch = json!({ "properties": props });
                if var.default.is_none() {
                    branch["required"] = json!([var.name]);
                }
                entry["oneOf"].as_array_mut().expect("oneOf").push(branch);
            }
            None => {
                let mut schema = schema;
                if let Some(w) = &var.when {
                    let note = format!("Used when `{w}`.");
                    schema["description"] =
                        json!(match schema.get("description").and_then(Value::as_str) {
                            Some(d) => format!("{d} {note}"),
                            None => note,
                        });
                }
                if var.default.is_none() && var.when.is_none() {
                    required.push(var.name.clone());
                }
                properties.insert(var.name.clone(), schema);
            }
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
                            "ui:options": { "allowedHosts": ["github.com"] },
                        }
                    }
                }
            ],
            "steps": [
                {
                    "id": "scaffold",
                    "name": format!("scaffold new {} {}", desc.name, desc.version),
                    "action": "goldpath:scaffold:new",
                    "input": {
                        "source": desc.source,
                        "version": desc.version,
                        "answers": answers,
                        "secrets": secrets,
                    }
                },
                {
                    "id": "publish",
                    "name": "Publish",
                    "action": "publish:github",
                    "input": {
                        "repoUrl": "${{ parameters.repoUrl }}",
                        "description": desc.description,
                        "defaultBranch": "main",
                    }
                },
                {
                    "id": "register",
                    "name": "Register in the catalog",
                    "action": "catalog:register",
                    "input": {
                        "repoContentsUrl": "${{ steps.publish.output.repoContentsUrl }}",
                        "catalogInfoPath": "/catalog-info.yaml",
                    }
                }
            ],
            "output": {
                "links": [
                    { "title": "Repository", "url": "${{ steps.publish.output.remoteUrl }}" },
                    { "title": "Open in catalog", "icon": "catalog", "entityRef": "${{ steps.register.output.entityRef }}" }
                ],
                "text": [{ "title": "Service", "content": format!("Created {service} from {} {}.", desc.name, desc.version) }]
            }
        }
    })
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
        }
        VarType::MultiChoice => {
            f.insert("type".into(), json!("array"));
            f.insert(
                "items".into(),
                json!({ "type": "string", "enum": var.choices }),
            );
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
    if let Some(d) = &var.default {
        // Templated defaults (`{{ service_name }}-db`) are computed by scaffold: left empty here.
        if !d.as_str().is_some_and(crate::manifest::is_template) {
            f.insert("default".into(), d.clone());
        }
    }
    Value::Object(f)
}
