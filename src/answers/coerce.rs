//! Turning loosely typed input (`--set port=8080`, YAML's `enabled`) into
//! the value type a variable declares.

use serde_json::Value;

use crate::manifest::VarType;

/// An answer as `--set` takes it and people read it: strings bare, lists
/// comma-separated, numbers and booleans as written.
pub fn loose_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

/// Converts `raw` to `kind`, or says what was expected.
pub fn coerce(kind: VarType, raw: &Value) -> Result<Value, String> {
    match (kind, raw) {
        (VarType::String | VarType::Choice, Value::String(_)) => Ok(raw.clone()),
        (VarType::String | VarType::Choice, Value::Number(n)) => Ok(Value::String(n.to_string())),
        (VarType::String | VarType::Choice, Value::Bool(b)) => Ok(Value::String(b.to_string())),
        (VarType::Integer, Value::Number(n)) if n.is_i64() => Ok(raw.clone()),
        (VarType::Integer, Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("expected an integer, got `{s}`")),
        (VarType::Boolean, Value::Bool(_)) => Ok(raw.clone()),
        (VarType::Boolean, Value::String(s)) => parse_bool(s).map(Value::Bool).ok_or_else(|| {
            format!("expected true or false (or yes/no, on/off, enabled/disabled), got `{s}`")
        }),
        (VarType::MultiChoice | VarType::List, Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(_) => Ok(item.clone()),
                Value::Number(n) => Ok(Value::String(n.to_string())),
                other => Err(format!("expected a list of strings, found {other}")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (VarType::MultiChoice | VarType::List, Value::String(s)) => Ok(Value::Array(
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(|x| Value::String(x.to_string()))
                .collect(),
        )),
        (kind, other) => Err(format!("expected {}, got {other}", describe(kind))),
    }
}

fn describe(kind: VarType) -> &'static str {
    match kind {
        VarType::String => "a string",
        VarType::Integer => "an integer",
        VarType::Boolean => "true or false",
        VarType::Choice => "one of the choices",
        VarType::MultiChoice => "a list of choices",
        VarType::List => "a list of strings",
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "on" | "1" | "enabled" => Some(true),
        "false" | "no" | "n" | "off" | "0" | "disabled" => Some(false),
        _ => None,
    }
}

/// Splits `key=value` from `--set`; the value stays a string until coerced.
pub fn parse_set(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "`--set {raw}` is not of the form key=value (e.g. `--set service_name=orders`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coercions() {
        assert_eq!(
            coerce(VarType::Integer, &json!("8080")).unwrap(),
            json!(8080)
        );
        assert!(coerce(VarType::Integer, &json!("80a"))
            .unwrap_err()
            .contains("integer"));
        assert_eq!(
            coerce(VarType::Boolean, &json!("enabled")).unwrap(),
            json!(true)
        );
        assert_eq!(
            coerce(VarType::List, &json!("a, b,,c")).unwrap(),
            json!(["a", "b", "c"])
        );
        assert_eq!(coerce(VarType::String, &json!(1.5)).unwrap(), json!("1.5"));
        assert!(coerce(VarType::Boolean, &json!([1])).is_err());
    }

    #[test]
    fn set_syntax() {
        assert_eq!(parse_set("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(parse_set("novalue").is_err());
        assert!(parse_set("=x").is_err());
    }
}
