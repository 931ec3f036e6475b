//! Backups as decoded: every string of an answer in one buffer, each backup a
//! fixed-size record of offsets and numbers. Decoding allocates no string, and
//! the C list points straight into the buffer instead of copying it.

use super::Backup;
use std::ffi::CStr;

/// Marks a string field the answer left out (or gave as `null`).
pub(crate) const ABSENT: u32 = u32::MAX;

/// Integer fields: index into `Record::ints`.
pub(crate) const START_TIMESTAMP: usize = 0;
pub(crate) const END_TIMESTAMP: usize = 1;
pub(crate) const SIZE: usize = 2;
pub(crate) const DURATION: usize = 3;

/// One backup. Strings are in the order of `Backup::strings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Offset of each string field's first byte in the text, or `ABSENT`.
    pub strings: [u32; 12],
    /// start_timestamp, end_timestamp, size, duration; 0 when absent.
    pub ints: [i64; 4],
    /// Bit k set: `ints[k]` was in the answer.
    pub present: u8,
    /// 1 true, 0 false, -1 absent: as C gets it.
    pub encrypted: i8,
    /// The id's length: ids are looked up often while a listing is checked.
    pub id_len: u32,
}

impl Record {
    pub const EMPTY: Record = Record {
        strings: [ABSENT; 12],
        ints: [0; 4],
        present: 0,
        encrypted: -1,
        id_len: 0,
    };

    /// Sets string field `k` to the `len` bytes at `offset`.
    pub fn set_string(&mut self, k: usize, offset: u32, len: usize) {
        self.strings[k] = offset;
        if k == 0 {
            self.id_len = len as u32;
        }
    }

    pub fn int(&self, k: usize) -> Option<i64> {
        (self.present & (1 << k) != 0).then_some(self.ints[k])
    }

    /// `start_timestamp`, 0 when absent: the listing's sort key.
    pub fn start_timestamp(&self) -> i64 {
        self.ints[START_TIMESTAMP]
    }
}

/// Decoded backups and the text their strings live in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Backups {
    /// Every string, each followed by a NUL; only ever built from `&str` pieces.
    pub text: Vec<u8>,
    pub records: Vec<Record>,
}

impl Backups {
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

    /// A backup's id; every decoded backup has one.
    pub fn id(&self, record: &Record) -> &str {
        if record.strings[0] == ABSENT {
            return "";
        }
        let at = record.strings[0] as usize;
        let bytes = &self.text[at..at + record.id_len as usize];
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
        let s = |k: usize| self.get(record.strings[k]).map(str::to_string);
        Backup {
            id: s(0),
            name: s(1),
            backup_method: s(2),
            graph_id: s(3),
            graph_name: s(4),
            graph_status: s(5),
            graph_size_type_index: s(6),
            data_store_version: s(7),
            arch: s(8),
            status: s(9),
            start_timestamp: record.int(START_TIMESTAMP),
            start_time: s(10),
            end_timestamp: record.int(END_TIMESTAMP),
            end_time: s(11),
            size: record.int(SIZE),
            duration: record.int(DURATION),
            encrypted: match record.encrypted {
                -1 => None,
                e => Some(e == 1),
            },
        }
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
