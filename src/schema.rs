//! The self-description behind `ges_backups_schema_json`: every config key, query
//! argument and result attribute with its type and description, for bindings and
//! the Terraform provider to build their schemas from.

/// The schema JSON, NUL-terminated for C.
pub const SCHEMA_JSON_NUL: &str = concat!(include_str!("schema.json"), "\0");

pub fn schema_json() -> &'static str {
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
        assert_eq!(attributes.len(), 17);
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
