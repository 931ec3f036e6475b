//! Strict reading of a JSON object of named arguments (the config and the query):
//! every key must be known, every value of the right type and range, and an error
//! names the key. `null` counts as absent, so bindings can pass unset values through.
//! Also the check every value bound for an HTTP header passes (`header_safe`).

use crate::error::Error;
use serde_json::{Map, Value};
use std::ops::RangeInclusive;

pub struct Args {
    what: &'static str,
    map: Map<String, Value>,
}

impl Args {
    /// `what` names the object in messages: "config" or "query".
    pub fn parse(what: &'static str, json: &str, known: &[&str]) -> Result<Args, Error> {
        let value: Value = serde_json::from_str(json)
            .map_err(|e| Error::invalid(format!("{what} is not valid JSON: {e}")))?;
        let Value::Object(map) = value else {
            return Err(Error::invalid(format!("{what} must be a JSON object")));
        };
        Self::from_map(what, map, known)
    }

    /// As `parse`, from arguments already in a map (builders).
    pub fn from_map(
        what: &'static str,
        map: Map<String, Value>,
        known: &[&str],
    ) -> Result<Args, Error> {
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(Error::invalid(format!(
                "{what}: unknown key {unknown:?}; known keys: {}",
                known.join(", ")
            )));
        }
        Ok(Args { what, map })
    }

    fn present(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A string argument; an empty string counts as absent.
    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::invalid(format!(
                "{}: {key:?} must be a string",
                self.what
            ))),
        }
    }

    /// True when the key is given as `""`, which some keys read as "turned off".
    pub fn is_empty_string(&self, key: &str) -> bool {
        matches!(self.present(key), Some(Value::String(s)) if s.is_empty())
    }

    /// A string argument that must be one of `allowed` (exactly, case included).
    pub fn one_of(&self, key: &str, allowed: &[&str]) -> Result<Option<String>, Error> {
        match self.string(key)? {
            Some(v) if !allowed.contains(&v.as_str()) => Err(Error::invalid(format!(
                "{}: {key:?} must be one of {}",
                self.what,
                allowed.join(", ")
            ))),
            other => Ok(other),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Error::invalid(format!(
                "{}: {key:?} must be true or false",
                self.what
            ))),
        }
    }

    pub fn int(&self, key: &str, range: RangeInclusive<i64>) -> Result<Option<i64>, Error> {
        let Some(value) = self.present(key) else {
            return Ok(None);
        };
        match value.as_i64() {
            Some(n) if range.contains(&n) => Ok(Some(n)),
            // The value is not echoed: a secret pasted into the wrong key must
            // not come back in an error message.
            _ => Err(Error::invalid(format!(
                "{}: {key:?} must be an integer from {} to {}, got {}",
                self.what,
                range.start(),
                range.end(),
                kind_of(value)
            ))),
        }
    }
}

/// What a refused value is, without its content.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer out of range",
        Value::Number(_) => "a fractional number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Refuses a value that cannot go into an HTTP header (CR, LF, NUL and the other
/// control characters); `name` names it, the value is never echoed.
pub(crate) fn header_safe(name: &str, value: String) -> Result<String, Error> {
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "config: {name} holds a control character (CR, LF, NUL or another); \
             it cannot go into an HTTP header"
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_values_are_named_by_kind_never_echoed() {
        let args = Args::parse(
            "config",
            r#"{"n": "s3cr3t-pasted-here", "m": 10.5, "k": 99, "status": "SUCCESS"}"#,
            &["n", "m", "k", "status"],
        )
        .unwrap();
        let n = args.int("n", 1..=10).unwrap_err().message;
        assert!(!n.contains("s3cr3t") && n.contains("got a string"), "{n}");
        let m = args.int("m", 1..=10).unwrap_err().message;
        assert!(m.contains("got a fractional number"), "{m}");
        let k = args.int("k", 1..=10).unwrap_err().message;
        assert!(
            k.contains("from 1 to 10, got an integer out of range"),
            "{k}"
        );
        let s = args.one_of("status", &["success"]).unwrap_err().message;
        assert!(
            s.contains("\"status\" must be one of success") && !s.contains("SUCCESS"),
            "{s}"
        );
    }
}
