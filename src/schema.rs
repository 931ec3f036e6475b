//! The self-description behind `ges_backups_schema_json`: every config key,
//! query argument and result attribute, written from the tables that declare
//! them (`config::keys`, `query`'s arguments, `model::FIELDS`). The bindings
//! generate their declarations from it; `docs/schema.json` is a committed copy.

use crate::args::{Arg, Default, Kind};
use crate::model::{FieldKind, FIELDS};

/// The schema of ABI `abi_version`, one entry a line.
pub(crate) fn schema_json(abi_version: u32) -> String {
    let config: Vec<String> = crate::keys::KEYS
        .iter()
        .map(|key| format!("    {}", entry(key, true)))
        .collect();
    let query: Vec<String> = crate::query::ARGUMENTS
        .iter()
        .map(|arg| format!("    {}", entry(arg, false)))
        .collect();
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
                json(field.name),
                json(field.description)
            )
        })
        .collect();
    format!(
        r#"{{
  "abi_version": {abi},
  "config": [
{config}
  ],
  "query": [
{query}
  ],
  "result": [
    {{"name": "id", "type": "string", "description": "Data source id: a digest of the query, equal for equal queries."}},
    {{"name": "total_count", "type": "integer", "description": "backupCount as the service reported it."}},
    {{"name": "backups", "type": "list", "description": "The backups, newest first then by id; with offset and limit, that one page in the service's order.", "attributes": [
{attributes}
    ]}}
  ]
}}
"#,
        abi = abi_version,
        config = config.join(",\n"),
        query = query.join(",\n"),
        attributes = attributes.join(",\n"),
    )
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// One argument as a JSON object, its members in a fixed order. Config keys
/// also say their variables, default, secrecy and what `""` does.
fn entry(arg: &Arg, config: bool) -> String {
    let kind = match arg.kind {
        Kind::Text | Kind::Url | Kind::Path | Kind::OneOf(_) => "string",
        Kind::Integer { .. } => "integer",
        Kind::Bool => "bool",
        Kind::List(_) => "list",
    };
    let mut members = vec![
        format!("\"name\": {}", json(arg.name)),
        format!("\"type\": \"{kind}\""),
    ];
    if config {
        let env = match arg.env {
            [] => "null".to_string(),
            names => json(&names.join(", ")),
        };
        let default = match arg.default {
            Default::None => "null".to_string(),
            Default::Integer(n) => n.to_string(),
            Default::Bool(b) => b.to_string(),
            Default::Shown(text) => json(text),
        };
        members.push(format!("\"env\": {env}"));
        members.push(format!("\"default\": {default}"));
    }
    match arg.kind {
        Kind::Integer { min, max } => {
            members.push(format!("\"minimum\": {min}"));
            members.push(format!("\"maximum\": {max}"));
        }
        Kind::OneOf(values) => {
            let values: Vec<String> = values.iter().map(|v| json(v)).collect();
            members.push(format!("\"allowed\": [{}]", values.join(", ")));
        }
        _ => {}
    }
    if config {
        members.push(format!("\"sensitive\": {}", arg.secret));
        if arg.empty_turns_off {
            members.push("\"empty_string\": \"off\"".to_string());
        }
    }
    members.push(format!("\"description\": {}", json(arg.description)));
    if let Kind::List(attributes) = arg.kind {
        let attributes: Vec<String> = attributes.iter().map(|a| entry(a, config)).collect();
        members.push(format!("\"attributes\": [{}]", attributes.join(", ")));
    }
    format!("{{{}}}", members.join(", "))
}

/// The table of config keys in docs/configuration.md, one row a key: what
/// users read, from the same declarations.
#[cfg(test)]
fn config_table() -> String {
    let mut rows = vec![
        "| key | type | environment | default | meaning |".to_string(),
        "|---|---|---|---|---|".to_string(),
    ];
    let code = |s: &str| format!("`{s}`");
    for key in crate::keys::KEYS {
        let kind = match key.kind {
            Kind::Text | Kind::Url | Kind::Path => "string".to_string(),
            Kind::OneOf(values) => values
                .iter()
                .map(|v| code(v))
                .collect::<Vec<_>>()
                .join(", "),
            Kind::Integer { min, max } => format!("integer, {min} to {max}"),
            Kind::Bool => "bool".to_string(),
            Kind::List(attributes) => format!(
                "object or array of objects: {}",
                attributes
                    .iter()
                    .map(|a| code(a.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let env: Vec<String> = match key.kind {
            Kind::List(attributes) => attributes
                .iter()
                .flat_map(|a| a.env)
                .map(|v| code(v))
                .collect(),
            _ => key.env.iter().map(|v| code(v)).collect(),
        };
        let default = match key.default {
            Default::None => String::new(),
            Default::Integer(n) => n.to_string(),
            Default::Bool(b) => b.to_string(),
            Default::Shown(text) => code(text),
        };
        let mut meaning = key.description.replace('|', "\\|");
        if key.secret {
            meaning.push_str(" A secret: never shown.");
        }
        rows.push(format!(
            "| `{}` | {kind} | {} | {default} | {meaning} |",
            key.name,
            env.join(", ")
        ));
    }
    rows.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::BackupList;
    use crate::model::Backup;
    use serde_json::Value;

    const CONFIGURATION: &str = "docs/configuration.md";
    const TABLE_BEGIN: &str = "<!-- the keys: generated from src/keys.rs -->\n";
    const TABLE_END: &str = "<!-- end of the keys -->\n";

    /// docs/configuration.md's table of keys is what the declarations give.
    #[test]
    fn the_configuration_docs_list_every_key_as_declared() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CONFIGURATION);
        let read = || std::fs::read_to_string(&path).unwrap();
        let with_table = |doc: &str| {
            let (head, rest) = doc
                .split_once(TABLE_BEGIN)
                .expect("the table's first marker");
            let (_, tail) = rest.split_once(TABLE_END).expect("the table's last marker");
            format!("{head}{TABLE_BEGIN}{}{TABLE_END}{tail}", config_table())
        };
        if std::env::var_os("GES_BLESS_SCHEMA").is_some() {
            std::fs::write(&path, with_table(&read())).unwrap();
        }
        let doc = read();
        let current = with_table(&doc);
        assert!(
            doc == current,
            "{CONFIGURATION}'s table differs from the key declarations: \
             run `GES_BLESS_SCHEMA=1 cargo test --lib schema` and commit it"
        );
    }

    fn names(v: &Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn describes_exactly_what_the_code_accepts_and_returns() {
        let schema: Value = serde_json::from_str(&schema_json(1)).unwrap();
        let keys: Vec<&str> = crate::config::key_names().collect();
        assert_eq!(names(&schema["config"]), keys);
        let arguments: Vec<&str> = crate::query::ARGUMENTS.iter().map(|a| a.name).collect();
        assert_eq!(names(&schema["query"]), arguments);
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
        let fields: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(attributes, fields);
        for entry in schema["config"]
            .as_array()
            .unwrap()
            .iter()
            .chain(schema["query"].as_array().unwrap())
        {
            assert!(!entry["description"].as_str().unwrap().is_empty());
        }
    }

    /// What the schema says of an integer key is what the reader does: its
    /// range is enforced, its default applies, its variable is read.
    #[test]
    fn ranges_defaults_and_variables_are_the_readers() {
        let schema: Value = serde_json::from_str(&schema_json(1)).unwrap();
        let base = r#""endpoint":"http://127.0.0.1:1","project_id":"p","auth_token":"t""#;
        let read = |extra: &str, env: &dyn Fn(&str) -> Option<String>| {
            crate::config::Config::from_json_with_env(&format!("{{{base}{extra}}}"), env)
                .map(|c| format!("{c:?}"))
        };
        let no_env = |_: &str| None;
        let mut checked = 0;
        for key in schema["config"].as_array().unwrap() {
            let name = key["name"].as_str().unwrap();
            let (Some(min), Some(max)) = (key["minimum"].as_i64(), key["maximum"].as_i64()) else {
                continue;
            };
            let set = |value: i64| format!(r#","{name}":{value}"#);
            assert!(read(&set(min), &no_env).is_ok() && read(&set(max), &no_env).is_ok());
            assert!(read(&set(min - 1), &no_env).is_err(), "{name}");
            if max < i64::MAX {
                assert!(read(&set(max + 1), &no_env).is_err(), "{name}");
            }
            let default = key["default"].as_i64().unwrap();
            assert_eq!(read("", &no_env), read(&set(default), &no_env), "{name}");
            if let Some(var) = key["env"].as_str() {
                let env = |v: &str| (v == var).then(|| min.to_string());
                assert_eq!(read("", &env), read(&set(min), &no_env), "{name}");
            }
            checked += 1;
        }
        assert!(checked >= 6, "{checked} integer keys");
    }
}
