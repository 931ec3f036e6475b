//! Strict reading of a JSON object of named arguments (the config and the query):
//! every key must be known, every value of the right type and range, and an error
//! names the key. `null` counts as absent, so bindings can pass unset values through.

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
            _ => Err(Error::invalid(format!(
                "{}: {key:?} must be an integer from {} to {}",
                self.what,
                range.start(),
                range.end()
            ))),
        }
    }
}
