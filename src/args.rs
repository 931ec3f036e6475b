//! Named arguments, declared once and read strictly: the config keys and the
//! query arguments are each one `Arg` (name, kind, range, default, environment,
//! secrecy, description), from which the readers, the builders and the schema
//! (`ges_backups_schema_json`) all come. `Args` reads a JSON object of them:
//! every key must be known, every value of the right type and range, and an
//! error names the key. `null` counts as absent, so bindings can pass unset
//! values through. Also the check every value bound for an HTTP header passes
//! (`header_safe`).

use crate::error::Error;
use serde_json::{Map, Value};

/// What values an argument takes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Text,
    /// An `https://` or `http://` base URL.
    Url,
    /// A file's path.
    Path,
    /// One of these strings, exactly.
    OneOf(&'static [&'static str]),
    Integer {
        min: i64,
        max: i64,
    },
    Bool,
    /// An object with these attributes, or an array of such objects.
    List(&'static [Arg]),
}

/// An argument's default, as it applies or as the schema shows it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Default {
    None,
    Integer(i64),
    Bool(bool),
    /// Derived or applied elsewhere; the text says what it is.
    Shown(&'static str),
}

/// One config key or query argument.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arg {
    pub name: &'static str,
    pub kind: Kind,
    /// Variables read, in order, when the JSON lacks the key.
    pub env: &'static [&'static str],
    pub default: Default,
    /// Never shown: not in messages, logs or `Debug` output.
    pub secret: bool,
    /// `""` turns the key off, its environment variables included (else `""` is absent).
    pub empty_turns_off: bool,
    pub description: &'static str,
}

impl Arg {
    const fn of(kind: Kind, description: &'static str) -> Arg {
        Arg {
            name: "",
            kind,
            env: &[],
            default: Default::None,
            secret: false,
            empty_turns_off: false,
            description,
        }
    }
    pub const fn text(description: &'static str) -> Arg {
        Arg::of(Kind::Text, description)
    }
    pub const fn url(description: &'static str) -> Arg {
        Arg::of(Kind::Url, description)
    }
    pub const fn path(description: &'static str) -> Arg {
        Arg::of(Kind::Path, description)
    }
    pub const fn one_of(values: &'static [&'static str], description: &'static str) -> Arg {
        Arg::of(Kind::OneOf(values), description)
    }
    pub const fn integer(min: i64, max: i64, description: &'static str) -> Arg {
        Arg::of(Kind::Integer { min, max }, description)
    }
    pub const fn bool(description: &'static str) -> Arg {
        Arg::of(Kind::Bool, description)
    }
    pub const fn list(attributes: &'static [Arg], description: &'static str) -> Arg {
        Arg::of(Kind::List(attributes), description)
    }
    pub const fn named(mut self, name: &'static str) -> Arg {
        self.name = name;
        self
    }
    pub const fn env(mut self, names: &'static [&'static str]) -> Arg {
        self.env = names;
        self
    }
    pub const fn default(mut self, default: Default) -> Arg {
        self.default = default;
        self
    }
    pub const fn secret(mut self) -> Arg {
        self.secret = true;
        self
    }
    pub const fn empty_turns_off(mut self) -> Arg {
        self.empty_turns_off = true;
        self
    }

    /// The range of an integer argument.
    pub fn range(&self) -> std::ops::RangeInclusive<i64> {
        match self.kind {
            Kind::Integer { min, max } => min..=max,
            _ => unreachable!("{} is not an integer argument", self.name),
        }
    }

    /// An integer argument's value checked against its range: the error names
    /// the argument (for a value set in code after it was read).
    pub fn check_range(&self, what: &str, value: i64) -> Result<(), Error> {
        let range = self.range();
        if range.contains(&value) {
            return Ok(());
        }
        Err(Error::invalid(format!(
            "{what}: {:?} must be from {} to {}",
            self.name,
            range.start(),
            range.end()
        )))
    }
}

/// Declares a list of arguments once: a constant per argument, the list of
/// them, and a builder setter per argument, from lines of
/// `name CONSTANT: constructor(...).modifier(...)...;` where the constructor is
/// one of `Arg`'s (`text`, `url`, `path`, `one_of`, `integer`, `bool`) and picks
/// the setter's type. The builder has `fn set(self, &str, impl Into<Value>) -> Self`.
macro_rules! declare_args {
    (
        $(#[$list_doc:meta])* list $list:ident for $builder:ty;
        $($(#[$doc:meta])* $name:ident $konst:ident: $ctor:ident($($ctor_arg:expr),*) $(.$modifier:ident($($arg:expr),*))*;)*
    ) => {
        $(
            pub(crate) const $konst: $crate::args::Arg =
                $crate::args::Arg::$ctor($($ctor_arg),*)$(.$modifier($($arg),*))*.named(stringify!($name));
        )*

        $(#[$list_doc])*
        pub(crate) const $list: &[&$crate::args::Arg] = &[$(&$konst),*];

        impl $builder {
            $(declare_args!(@setter $ctor $name $(#[$doc])*);)*
        }
    };
    (@setter integer $name:ident $(#[$doc:meta])*) => {
        $(#[$doc])*
        pub fn $name(self, value: i64) -> Self {
            self.set(stringify!($name), value)
        }
    };
    (@setter list $name:ident $(#[$doc:meta])*) => {
        $(#[$doc])*
        pub fn $name(self, value: impl Into<serde_json::Value>) -> Self {
            self.set(stringify!($name), value)
        }
    };
    (@setter bool $name:ident $(#[$doc:meta])*) => {
        $(#[$doc])*
        pub fn $name(self, value: bool) -> Self {
            self.set(stringify!($name), value)
        }
    };
    (@setter $string_kind:ident $name:ident $(#[$doc:meta])*) => {
        $(#[$doc])*
        pub fn $name(self, value: impl Into<String>) -> Self {
            self.set(stringify!($name), value.into())
        }
    };
}
pub(crate) use declare_args;

pub struct Args {
    /// Names the object in messages: "config", "query", `config: "assume_role"[0]`.
    what: String,
    map: Map<String, Value>,
}

impl Args {
    /// `what` names the object in messages: "config" or "query".
    pub fn parse(what: &str, json: &str, known: &[&Arg]) -> Result<Args, Error> {
        let value: Value = serde_json::from_str(json)
            .map_err(|e| Error::invalid(format!("{what} is not valid JSON: {e}")))?;
        let Value::Object(map) = value else {
            return Err(Error::invalid(format!("{what} must be a JSON object")));
        };
        Self::from_map(what, map, known)
    }

    /// As `parse`, from arguments already in a map (builders).
    pub fn from_map(what: &str, map: Map<String, Value>, known: &[&Arg]) -> Result<Args, Error> {
        if let Some(unknown) = map
            .keys()
            .find(|k| !known.iter().any(|arg| arg.name == k.as_str()))
        {
            let names: Vec<&str> = known.iter().map(|arg| arg.name).collect();
            return Err(Error::invalid(format!(
                "{what}: unknown key {unknown:?}; known keys: {}",
                names.join(", ")
            )));
        }
        Ok(Args {
            what: what.to_string(),
            map,
        })
    }

    pub(crate) fn present(&self, arg: &Arg) -> Option<&Value> {
        self.map.get(arg.name).filter(|v| !v.is_null())
    }

    /// A string argument; an empty string counts as absent. One of `OneOf`
    /// must be one of its values (exactly, case included).
    pub fn string(&self, arg: &Arg) -> Result<Option<String>, Error> {
        let value = match self.present(arg) {
            None => return Ok(None),
            Some(Value::String(s)) if s.is_empty() => return Ok(None),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(Error::invalid(format!(
                    "{}: {:?} must be a string",
                    self.what, arg.name
                )))
            }
        };
        check_one_of(&self.what, arg, &value)?;
        Ok(Some(value))
    }

    /// True when the argument is given as `""` and that turns it off.
    pub fn is_turned_off(&self, arg: &Arg) -> bool {
        arg.empty_turns_off && matches!(self.present(arg), Some(Value::String(s)) if s.is_empty())
    }

    pub fn bool(&self, arg: &Arg) -> Result<Option<bool>, Error> {
        match self.present(arg) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Error::invalid(format!(
                "{}: {:?} must be true or false",
                self.what, arg.name
            ))),
        }
    }

    pub fn int(&self, arg: &Arg) -> Result<Option<i64>, Error> {
        let Some(value) = self.present(arg) else {
            return Ok(None);
        };
        let range = arg.range();
        match value.as_i64() {
            Some(n) if range.contains(&n) => Ok(Some(n)),
            // The value is not echoed: a secret pasted into the wrong key must
            // not come back in an error message.
            _ => Err(Error::invalid(format!(
                "{}: {:?} must be an integer from {} to {}, got {}",
                self.what,
                arg.name,
                range.start(),
                range.end(),
                kind_of(value)
            ))),
        }
    }
}

impl Args {
    /// A list argument: each of its objects (one object counts as a list of
    /// one), read against the list's attributes; `None` when absent.
    pub fn list(&self, arg: &Arg) -> Result<Option<Vec<Args>>, Error> {
        let Kind::List(attributes) = arg.kind else {
            unreachable!("{} is not a list argument", arg.name)
        };
        let known: Vec<&Arg> = attributes.iter().collect();
        let objects = match self.present(arg) {
            None => return Ok(None),
            Some(Value::Array(items)) => items.clone(),
            Some(object @ Value::Object(_)) => vec![object.clone()],
            Some(other) => {
                return Err(Error::invalid(format!(
                    "{}: {:?} must be an object or an array of objects, got {}",
                    self.what,
                    arg.name,
                    kind_of(other)
                )))
            }
        };
        objects
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let what = format!("{}: {:?}[{i}]", self.what, arg.name);
                match item {
                    Value::Object(map) => Args::from_map(&what, map, &known),
                    other => Err(Error::invalid(format!(
                        "{what} must be an object, got {}",
                        kind_of(&other)
                    ))),
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

/// Refuses a value of a `OneOf` argument that is not one of its values; the
/// value is not echoed.
pub(crate) fn check_one_of(what: &str, arg: &Arg, value: &str) -> Result<(), Error> {
    match arg.kind {
        Kind::OneOf(allowed) if !allowed.contains(&value) => Err(Error::invalid(format!(
            "{what}: {:?} must be one of {}",
            arg.name,
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// What a refused value is, without its content.
pub(crate) fn kind_of(value: &Value) -> &'static str {
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
        const N: Arg = Arg::integer(1, 10, "n").named("n");
        const M: Arg = Arg::integer(1, 10, "m").named("m");
        const K: Arg = Arg::integer(1, 10, "k").named("k");
        const STATUS: Arg = Arg::one_of(&["success"], "s").named("status");
        let args = Args::parse(
            "config",
            r#"{"n": "s3cr3t-pasted-here", "m": 10.5, "k": 99, "status": "SUCCESS"}"#,
            &[&N, &M, &K, &STATUS],
        )
        .unwrap();
        let n = args.int(&N).unwrap_err().message;
        assert!(!n.contains("s3cr3t") && n.contains("got a string"), "{n}");
        let m = args.int(&M).unwrap_err().message;
        assert!(m.contains("got a fractional number"), "{m}");
        let k = args.int(&K).unwrap_err().message;
        assert!(
            k.contains("from 1 to 10, got an integer out of range"),
            "{k}"
        );
        let s = args.string(&STATUS).unwrap_err().message;
        assert!(
            s.contains("\"status\" must be one of success") && !s.contains("SUCCESS"),
            "{s}"
        );
    }
}
