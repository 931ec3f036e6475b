//! Reading one config key by its declaration (`keys`): the JSON's value, else its
//! environment variables in order, else its default; each checked for its kind
//! and range, and for a value bound for an HTTP header, `header_safe`.

use crate::args::{check_one_of, header_safe, Arg, Args, Default};
use crate::error::Error;

pub(crate) struct Reader<'a> {
    args: &'a Args,
    /// A variable's value; `None` when unset or empty.
    env: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Reader<'a> {
    pub fn new(args: &'a Args, env: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Reader { args, env }
    }

    pub fn env(&self) -> &'a dyn Fn(&str) -> Option<String> {
        self.env
    }

    /// The key's value from the JSON only (credentials are read source by
    /// source, not key by key).
    pub fn json(&self, key: &Arg) -> Result<Option<String>, Error> {
        self.args
            .string(key)?
            .map(|v| header_safe(&format!("\"{}\"", key.name), v))
            .transpose()
    }

    /// The key's value and what named it (`"key"` or a variable), from the JSON
    /// or its variables; `None` when unset or turned off with `""`.
    pub fn named(&self, key: &Arg) -> Result<Option<(String, String)>, Error> {
        if let Some(value) = self.json(key)? {
            return Ok(Some((value, format!("\"{}\"", key.name))));
        }
        if self.is_turned_off(key) {
            return Ok(None);
        }
        for var in key.env {
            if let Some(value) = (self.env)(var) {
                check_one_of(&format!("config: {var}"), key, &value)?;
                return Ok(Some((header_safe(var, value)?, var.to_string())));
            }
        }
        Ok(None)
    }

    pub fn string(&self, key: &Arg) -> Result<Option<String>, Error> {
        Ok(self.named(key)?.map(|(value, _)| value))
    }

    /// True when the JSON gives the key as `""` and that turns it off.
    pub fn is_turned_off(&self, key: &Arg) -> bool {
        self.args.is_turned_off(key)
    }

    /// An integer key: the JSON's, else a variable's, else the default.
    pub fn int(&self, key: &Arg) -> Result<i64, Error> {
        if let Some(n) = self.args.int(key)? {
            return Ok(n);
        }
        let range = key.range();
        for var in key.env {
            if let Some(raw) = (self.env)(var) {
                return match raw.trim().parse::<i64>() {
                    Ok(n) if range.contains(&n) => Ok(n),
                    _ => Err(Error::invalid(format!(
                        "config: {var} must be an integer from {} to {}",
                        range.start(),
                        range.end()
                    ))),
                };
            }
        }
        match key.default {
            Default::Integer(n) => Ok(n),
            _ => unreachable!("integer key {} declares an integer default", key.name),
        }
    }

    /// A boolean key: the JSON's, else a variable's (`true`/`false`, `1`/`0`),
    /// else the default.
    pub fn bool(&self, key: &Arg) -> Result<bool, Error> {
        if let Some(b) = self.args.bool(key)? {
            return Ok(b);
        }
        for var in key.env {
            if let Some(raw) = (self.env)(var) {
                return match raw.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => Ok(true),
                    "false" | "0" => Ok(false),
                    _ => Err(Error::invalid(format!(
                        "config: {var} must be true or false"
                    ))),
                };
            }
        }
        Ok(matches!(key.default, Default::Bool(true)))
    }
}
