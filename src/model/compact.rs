//! Backups as decoded: every string of an answer in one buffer, each backup a
//! fixed-size record of offsets and numbers. Decoding allocates no string, and
//! the C list points straight into the buffer instead of copying it.

use super::fields::{backup_struct, IntField, StrField, INT_FIELDS, STR_FIELDS};
use super::Backup;
use std::ffi::CStr;

/// Marks a string field the answer left out (or gave as `null`).
pub(crate) const ABSENT: u32 = u32::MAX;

/// One backup. Strings and integers are in their fields' slots (`model::FIELDS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    /// Offset of each string field's first byte in the text, or `ABSENT`.
    pub strings: [u32; STR_FIELDS],
    /// The integer fields; 0 when absent.
    pub ints: [i64; INT_FIELDS],
    /// Bit k set: `ints[k]` was in the answer.
    pub present: u8,
    /// 1 true, 0 false, -1 absent: as C gets it.
    pub encrypted: i8,
    /// The id's length: ids are looked up often while a listing is checked.
    pub id_len: u32,
}

impl Record {
    pub const EMPTY: Record = Record {
        strings: [ABSENT; STR_FIELDS],
        ints: [0; INT_FIELDS],
        present: 0,
        encrypted: -1,
        id_len: 0,
    };

    /// Sets string field `field` to the `len` bytes at `offset`.
    pub fn set_string(&mut self, field: StrField, offset: u32, len: usize) {
        self.strings[field.slot()] = offset;
        if field == StrField::Id {
            self.id_len = len as u32;
        }
    }

    /// Where string field `field` starts in the text, or `ABSENT`.
    pub fn string(&self, field: StrField) -> u32 {
        self.strings[field.slot()]
    }

    pub fn set_int(&mut self, field: IntField, value: i64) {
        self.ints[field.slot()] = value;
        self.present |= 1 << field.slot();
    }

    pub fn int(&self, field: IntField) -> Option<i64> {
        (self.present & (1 << field.slot()) != 0).then_some(self.int_or_zero(field))
    }

    /// As C gets it: 0 when absent.
    pub fn int_or_zero(&self, field: IntField) -> i64 {
        self.ints[field.slot()]
    }

    /// `start_timestamp`, 0 when absent: the listing's sort key.
    pub fn start_timestamp(&self) -> i64 {
        self.int_or_zero(IntField::StartTimestamp)
    }

    pub fn encrypted(&self) -> Option<bool> {
        match self.encrypted {
            -1 => None,
            e => Some(e == 1),
        }
    }
}

/// Decoded backups and the text their strings live in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Backups {
    /// Every string, each followed by a NUL; only ever built from `&str` pieces.
    pub text: Vec<u8>,
    pub records: Vec<Record>,
}

impl Backups {
    /// The least memory a decoded backup takes: its record.
    pub const MIN_HEAP_BYTES_PER_BACKUP: u64 = std::mem::size_of::<Record>() as u64;

    /// The memory these backups take beyond their own struct.
    pub fn heap_bytes(&self) -> u64 {
        (self.text.capacity() + self.records.capacity() * std::mem::size_of::<Record>()) as u64
    }

    /// The string at `offset` (from a `Record`), `None` for `ABSENT`.
    pub fn get(&self, offset: u32) -> Option<&str> {
        if offset == ABSENT {
            return None;
        }
        let tail = &self.text[offset as usize..];
        let s = CStr::from_bytes_until_nul(tail)
            .expect("every string is NUL-terminated")
            .to_bytes();
        // SAFETY: the text is made of whole `&str`s and NULs, and `offset` is the
        // start of one of those strings, which ends at its NUL.
        Some(unsafe { std::str::from_utf8_unchecked(s) })
    }

    /// String field `field` of `record`.
    pub fn string(&self, record: &Record, field: StrField) -> Option<&str> {
        self.get(record.string(field))
    }

    /// A backup's id; every decoded backup has one.
    pub fn id(&self, record: &Record) -> &str {
        let at = record.string(StrField::Id);
        if at == ABSENT {
            return "";
        }
        let bytes = &self.text[at as usize..at as usize + record.id_len as usize];
        // SAFETY: `set_string` recorded where a whole pushed `&str` starts and its length.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// Appends `s` and its NUL; returns its offset.
    pub fn push_str(&mut self, s: &str) -> u32 {
        let at = self.text.len();
        self.text.extend_from_slice(s.as_bytes());
        self.text.push(0);
        u32::try_from(at).expect("an answer's text stays far below 4 GiB")
    }

    /// The owned form of one record.
    pub fn to_backup(&self, record: &Record) -> Backup {
        backup_struct!(
            Backup,
            |f| self.string(record, f).map(str::to_string),
            |f| record.int(f),
            record.encrypted()
        )
    }

    /// Copies one record of `from` here, strings and all; returns its new record.
    pub fn copy_record(&mut self, from: &Backups, record: &Record) -> Record {
        let mut copy = *record;
        for offset in &mut copy.strings {
            if let Some(s) = from.get(*offset) {
                *offset = self.push_str(s);
            }
        }
        copy
    }
}
