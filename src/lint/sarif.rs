//! SARIF 2.1.0, the format CI code-scanning (GitHub, GitLab) reads.

use serde_json::{json, Value};

use super::{Report, Severity};

pub fn to_sarif(report: &Report) -> Value {
    let mut rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut message = f.message.clone();
            if let Some(hint) = &f.hint {
                message.push_str(&format!(" (hint: {hint})"));
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": f.file.clone().unwrap_or_default() }
                }
            });
            if let Some(line) = f.line {
                location["physicalLocation"]["region"] = json!({ "startLine": line });
            }
            json!({
                "ruleId": f.rule,
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": message },
                "locations": [location],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "scaffold lint",
                "informationUri": "https://github.com/goldpath/goldpath",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({ "id": r })).collect::<Vec<_>>(),
            }},
            "results": results,
        }]
    })
}
