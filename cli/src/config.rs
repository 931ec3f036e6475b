//! The config JSON the library gets: the --config file's object with the
//! connection flags set over it, or pointed at the in-process emulator. The
//! library reads the environment only for keys left unset, so a flag, being
//! set, wins over the environment too.

use crate::args::Connection;
use serde_json::{json, Map, Value};
use std::path::Path;

/// The --config file's JSON object (`{}` without one), with the flags' keys
/// set over its own. The error is a usage message.
pub fn assemble(file: Option<&Path>, flags: &Connection) -> Result<Map<String, Value>, String> {
    let mut config = match file {
        Some(path) => read(path).map_err(|e| format!("--config {}: {e}", path.display()))?,
        None => Map::new(),
    };
    let Value::Object(set) = serde_json::to_value(flags).expect("strings serialize") else {
        unreachable!("a struct serializes as an object");
    };
    config.extend(set);
    Ok(config)
}

/// As the library reads a config: a syntax error says where, never quoting the
/// file (which may hold secrets).
fn read(path: &Path) -> Result<Map<String, Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("config must be a JSON object".into()),
        Err(e) => Err(format!("config is not valid JSON: {e}")),
    }
}

/// The config pointed at the in-process emulator, with its demo token.
pub fn point_at_emulator(config: &mut Map<String, Value>, base_url: &str) {
    config.insert("endpoint".into(), json!(base_url));
    config.insert("project_id".into(), json!("demo-project"));
    config.insert("auth_token".into(), json!("demo-token"));
    for key in ["region", "access_key", "secret_key", "security_token"] {
        config.remove(key);
    }
}
