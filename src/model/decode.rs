//! The list answer decoder: serde_json drives it, and each string goes straight
//! from the answer (borrowed, or unescaped by serde_json) into one text buffer,
//! so a page of backups costs a few allocations instead of twelve per backup.
//! Integers are taken as numbers or digit strings without buffering the value.

use super::compact::{Backups, Record, ABSENT};
use super::fields::{self, FieldKind, StrField, FIELDS};
use crate::error::Error;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One list answer, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    /// `backupCount`: how many backups the service holds in all (not on this page).
    pub total_count: i64,
    pub backups: Backups,
}

/// Decoding state shared by the visitors.
struct State {
    backups: Backups,
    /// The first backup with a NUL in a string, and which of its fields hold one
    /// (bit i: `FIELDS[i]`).
    nul: Option<(usize, u32)>,
}

/// Decodes a 2xx answer body, or says precisely why it is not a list answer.
pub fn decode_answer(body: &[u8]) -> Result<Answer, Error> {
    decode(body)
}

fn decode(body: &[u8]) -> Result<Answer, Error> {
    let invalid = |e: serde_json::Error| Error::decode(format!("invalid list answer: {e}"));
    let mut state = State {
        backups: Backups {
            // Strings are shorter than the body that quotes them: no reallocation.
            text: Vec::with_capacity(body.len()),
            // A backup takes a few hundred bytes of JSON; growing by doubling
            // would copy the records about twice over.
            records: Vec::with_capacity(body.len() / 256),
        },
        nul: None,
    };
    // One UTF-8 check of the whole body is far cheaper than serde_json's check of
    // each string; a body that fails it is decoded from bytes for the precise error.
    let count = match std::str::from_utf8(body) {
        Ok(text) => decode_with(&mut serde_json::Deserializer::from_str(text), &mut state),
        Err(_) => decode_with(&mut serde_json::Deserializer::from_slice(body), &mut state),
    }
    .map_err(invalid)?;
    let total_count = count.ok_or_else(|| Error::decode("invalid list answer: no backupCount"))?;
    if total_count < 0 {
        return Err(Error::decode(format!(
            "invalid list answer: negative backupCount {total_count}"
        )));
    }
    for (i, record) in state.backups.records.iter().enumerate() {
        if record.string(StrField::Id) == ABSENT {
            return Err(Error::decode(format!(
                "invalid list answer: backup {i} has no id"
            )));
        }
        if let Some((at, fields)) = state.nul.filter(|&(at, _)| at == i) {
            let field = FIELDS[fields.trailing_zeros() as usize].name;
            return Err(Error::decode(format!(
                "invalid list answer: backup {at} field {field} holds a NUL character"
            )));
        }
    }
    Ok(Answer {
        total_count,
        backups: state.backups,
    })
}

fn decode_with<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    state: &mut State,
) -> Result<Option<i64>, serde_json::Error> {
    let count = AnswerSeed(state).deserialize(&mut *de)?;
    de.end()?;
    Ok(count)
}

// Each field has a bit in a u32 for the duplicate and NUL checks.
const _: () = assert!(FIELDS.len() <= 32);

/// A map key, classified by `classify` without allocating.
struct KeySeed<F>(F);

impl<'de, T, F: FnOnce(&str) -> T> DeserializeSeed<'de> for KeySeed<F> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        struct KeyVisitor<F>(F);
        impl<T, F: FnOnce(&str) -> T> Visitor<'_> for KeyVisitor<F> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<T, E> {
                Ok((self.0)(key))
            }
        }
        d.deserialize_identifier(KeyVisitor(self.0))
    }
}

/// The answer object: `backupCount` is returned, the backups go into the state.
struct AnswerSeed<'s>(&'s mut State);

impl<'de> DeserializeSeed<'de> for AnswerSeed<'_> {
    type Value = Option<i64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnswerSeed<'_> {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<i64>, A::Error> {
        #[derive(PartialEq)]
        enum Key {
            Count,
            List,
            Other,
        }
        let (mut count, mut seen_count, mut seen_list) = (None, false, false);
        while let Some(key) = map.next_key_seed(KeySeed(|k: &str| match k {
            "backupCount" | "backup_count" => Key::Count,
            "backupList" | "backup_list" => Key::List,
            _ => Key::Other,
        }))? {
            match key {
                Key::Count if seen_count => return Err(de::Error::duplicate_field("backupCount")),
                Key::Count => {
                    seen_count = true;
                    count = map.next_value_seed(IntSeed)?;
                }
                Key::List if seen_list => return Err(de::Error::duplicate_field("backupList")),
                Key::List => {
                    seen_list = true;
                    map.next_value_seed(ListSeed(&mut *self.0))?;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(count)
    }
}

/// `backupList`: `null` or an array of backups.
struct ListSeed<'s>(&'s mut State);

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of backups")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(BackupSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One backup object, appended to the state's records.
struct BackupSeed<'s>(&'s mut State);

impl<'de> DeserializeSeed<'de> for BackupSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BackupSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a backup object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        let index = state.backups.records.len();
        let mut record = Record::EMPTY;
        let mut seen = 0u32;
        while let Some(field) = map.next_key_seed(KeySeed(fields::of_wire_name))? {
            // Unknown keys are ignored, and may repeat.
            let Some((bit, kind)) = field else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if seen & bit != 0 {
                let name = FIELDS[bit.trailing_zeros() as usize].name;
                return Err(de::Error::duplicate_field(name));
            }
            seen |= bit;
            match kind {
                FieldKind::Str(field) => {
                    let (offset, len, nul) = map.next_value_seed(StrSeed(&mut state.backups))?;
                    record.set_string(field, offset, len);
                    if nul {
                        match &mut state.nul {
                            Some((at, fields)) if *at == index => *fields |= bit,
                            Some(_) => {}
                            None => state.nul = Some((index, bit)),
                        }
                    }
                }
                FieldKind::Int(field) => {
                    if let Some(value) = map.next_value_seed(IntSeed)? {
                        record.set_int(field, value);
                    }
                }
                FieldKind::Bool => {
                    record.encrypted = map.next_value::<Option<bool>>()?.map_or(-1, i8::from);
                }
            }
        }
        state.backups.records.push(record);
        Ok(())
    }
}

/// A string or `null`, appended to the text: `(offset or ABSENT, length, holds a NUL)`.
struct StrSeed<'s>(&'s mut Backups);

impl<'de> DeserializeSeed<'de> for StrSeed<'_> {
    type Value = (u32, usize, bool);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(u32, usize, bool), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for StrSeed<'_> {
    type Value = (u32, usize, bool);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_none<E: de::Error>(self) -> Result<(u32, usize, bool), E> {
        Ok((ABSENT, 0, false))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(u32, usize, bool), D::Error> {
        d.deserialize_str(self)
    }
    /// A string straight from the answer: it had no escape, so it holds no NUL
    /// (JSON strings cannot hold raw control characters).
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<(u32, usize, bool), E> {
        Ok((self.0.push_str(s), s.len(), false))
    }
    /// A string serde_json unescaped: `\u0000` may have made a NUL.
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(u32, usize, bool), E> {
        Ok((self.0.push_str(s), s.len(), s.as_bytes().contains(&0)))
    }
}

/// An integer as a JSON number or a string of digits; `null` is absent.
struct IntSeed;

const NOT_AN_INTEGER: &str = "expected an integer (a number or a string of digits)";

impl<'de> DeserializeSeed<'de> for IntSeed {
    type Value = Option<i64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IntSeed {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer (a number or a string of digits)")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<i64>, E> {
        Ok(Some(n))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<i64>, E> {
        i64::try_from(n)
            .map(Some)
            .map_err(|_| E::custom(NOT_AN_INTEGER))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<i64>, E> {
        Err(E::custom(NOT_AN_INTEGER))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<i64>, E> {
        Err(E::custom(NOT_AN_INTEGER))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<i64>, E> {
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::custom(format!(
                "expected an integer, got the string {s:?}"
            )));
        }
        s.parse()
            .map(Some)
            .map_err(|_| E::custom(format!("integer out of range: {s:?}")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Option<i64>, A::Error> {
        Err(de::Error::custom(NOT_AN_INTEGER))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Option<i64>, A::Error> {
        Err(de::Error::custom(NOT_AN_INTEGER))
    }
}
