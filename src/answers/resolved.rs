//! What `resolve` gives: every value, and which are secret or computed,
//! with the views the rest of the engine needs (what the lock records, what
//! templates and tasks see, what must be masked).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Answers;

/// The outcome: every value, and which are secret or computed.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub values: Answers,
    pub secrets: Vec<String>,
    pub computed: Vec<String>,
}

impl Resolved {
    /// `recorded`, in the order the questions were resolved.
    pub fn recorded_in_order(&self) -> Vec<(String, Value)> {
        self.values
            .iter()
            .filter(|(k, _)| !self.secrets.contains(k) && !self.computed.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// What the lock records: answers that are neither secret nor computed.
    pub fn recorded(&self) -> BTreeMap<String, Value> {
        self.recorded_in_order().into_iter().collect()
    }

    /// Masks the values of this run's secrets in text meant for people.
    pub fn redactor(&self) -> crate::redact::Redactor {
        crate::redact::Redactor::new(
            self.secrets
                .iter()
                .filter_map(|name| self.values.get(name).and_then(Value::as_str)),
        )
    }

    /// The context files are rendered with: no secrets, plus `scaffold` metadata.
    pub fn render_context(&self, meta: Value) -> Value {
        self.context(meta, |name| !self.secrets.iter().any(|s| s == name))
    }

    /// The context expressions and tasks see: everything.
    pub fn full_context(&self, meta: Value) -> Value {
        self.context(meta, |_| true)
    }

    fn context(&self, meta: Value, keep: impl Fn(&str) -> bool) -> Value {
        let mut map: Map<String, Value> = self
            .values
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        map.insert("scaffold".into(), meta);
        Value::Object(map)
    }
}
