//! The self-description behind `ges_backups_schema_json`: every config key, query
//! argument and result attribute with its type and description, for bindings and
//! the Terraform provider to build their schemas from.

use crate::model::{FieldKind, FIELDS};
use std::sync::LazyLock;

/// The schema but for the result attributes, which come from the table of
/// fields (`model::FIELDS`) and take the place of `ATTRIBUTES_SLOT`.
const TEMPLATE: &str = include_str!("schema.json");
const ATTRIBUTES_SLOT: &str = "\"attributes\": []";

/// The schema JSON, NUL-terminated for C.
static SCHEMA_JSON_NUL: LazyLock<String> = LazyLock::new(|| {
    let (head, tail) = TEMPLATE
        .split_once(ATTRIBUTES_SLOT)
        .expect("schema.json holds the attributes slot");
    let attributes: Vec<String> = FIELDS
        .iter()
        .map(|field| {
            let kind = match field.kind {
                FieldKind::Str(_) => "string",
                FieldKind::Int(_) => "integer",
                FieldKind::Bool => "bool",
            };
            format!(
                "      {{\"name\": {}, \"type\": \"{kind}\", \"description\": {}}}",
                serde_json::to_string(field.name).expect("a string"),
                serde_json::to_string(field.description).expect("a string"),
            )
        })
        .collect();
    format!(
        "{head}\"attributes\": [\n{}\n    ]{tail}\0",
        attributes.join(",\n")
    )
});

pub fn schema_json_nul() -> &'static str {
    &SCHEMA_JSON_NUL
}

#[cfg(test)]
fn schema_json() -> &'static str {
    &SCHEMA_JSON_NUL[..SCHEMA_JSON_NUL.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{config, query, Backup, BackupList};
    use serde_json::Value;

    fn names(v: &Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn describes_exactly_what_the_code_accepts_and_returns() {
        let schema: Value = serde_json::from_str(schema_json()).unwrap();
        assert_eq!(names(&schema["config"]), config::KEYS);
        assert_eq!(names(&schema["query"]), query::ARGUMENTS);
        let list = BackupList {
            id: String::new(),
            total_count: 0,
            backups: vec![Backup::default()],
        };
        let result: Value = serde_json::from_str(&list.to_json()).unwrap();
        assert_eq!(names(&schema["result"]), ["id", "total_count", "backups"]);
        let attributes = names(&schema["result"][2]["attributes"]);
        let mut returned: Vec<String> = result["backups"][0]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut described = attributes.clone();
        returned.sort();
        described.sort();
        assert_eq!(described, returned);
        let fields: Vec<&str> = crate::model::FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(attributes, fields);
        assert_eq!(TEMPLATE.matches(ATTRIBUTES_SLOT).count(), 1);
        for entry in schema["config"]
            .as_array()
            .unwrap()
            .iter()
            .chain(schema["query"].as_array().unwrap())
        {
            assert!(!entry["description"].as_str().unwrap().is_empty());
        }
    }
}
