//! The fields of a backup, in one table: result name (also the v2 wire name),
//! v1.0 camelCase wire name, kind, slot in a decoded `Record`, and description.
//! The decoder, the filters, the C list, the result JSON writer and the schema
//! read it; `Backup` and the frozen `GesBackup` are checked against it by tests.
//! A new field is a row appended here, a field of `Backup` and a line of
//! `backup_struct!`; `GesBackup` is frozen, so C gets it another way (docs/abi.md,
//! "A new backup field"), and the tests here say where the table and a struct part.

/// A string field: its slot in `Record::strings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StrField {
    Id,
    Name,
    BackupMethod,
    GraphId,
    GraphName,
    GraphStatus,
    GraphSizeTypeIndex,
    DataStoreVersion,
    Arch,
    Status,
    StartTime,
    EndTime,
}

/// An integer field: its slot in `Record::ints`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntField {
    StartTimestamp,
    EndTimestamp,
    Size,
    Duration,
}

/// What a field holds; absent is always possible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Str(StrField),
    Int(IntField),
    /// `encrypted`, the only one.
    Bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// In the result JSON, `Backup`, `GesBackup`, the schema and v2 answers.
    pub name: &'static str,
    /// In v1.0 answers.
    #[cfg_attr(not(test), allow(dead_code))] // the lookup matches it as a literal
    pub camel_name: &'static str,
    pub kind: FieldKind,
    /// The schema's description.
    pub description: &'static str,
}

use FieldKind::{Bool, Int, Str};

/// The table, and from it the decoder's key lookup as a `match` on the names:
/// the compiler turns that into a few word compares per key, where a loop over
/// the table would call `memcmp` for each candidate (the decoding's hot path).
macro_rules! fields {
    ($($name:literal $camel_name:literal $kind:expr, $description:literal;)*) => {
        /// Every field, in result order (that of `Backup` and `GesBackup`).
        pub(crate) const FIELDS: [Field; [$($name),*].len()] = [$(Field {
            name: $name,
            camel_name: $camel_name,
            kind: $kind,
            description: $description,
        }),*];

        /// The field a wire key names (v1.0 or v2 spelling): its bit (bit i for
        /// `FIELDS[i]`), and its kind.
        #[allow(unreachable_patterns)] // where both spellings are one
        #[inline]
        pub(crate) fn of_wire_name(key: &str) -> Option<(u32, FieldKind)> {
            match key {
                $($name | $camel_name => Some((const { 1 << index_of($name) }, $kind)),)*
                _ => None,
            }
        }
    };
}

// result name, also v2    v1.0 name
fields! {
    "id"                    "id"                 Str(StrField::Id),
        "Backup ID.";
    "name"                  "name"               Str(StrField::Name),
        "Backup name.";
    "backup_method"         "backupMethod"       Str(StrField::BackupMethod),
        "How the backup was made: auto or manual.";
    "graph_id"              "graphId"            Str(StrField::GraphId),
        "ID of the graph the backup belongs to.";
    "graph_name"            "graphName"          Str(StrField::GraphName),
        "Name of the graph the backup belongs to.";
    "graph_status"          "graphStatus"        Str(StrField::GraphStatus),
        "Status code of the graph, e.g. 200.";
    "graph_size_type_index" "graphSizeTypeIndex" Str(StrField::GraphSizeTypeIndex),
        "Size class of the graph, e.g. 1.";
    "data_store_version"    "dataStoreVersion"   Str(StrField::DataStoreVersion),
        "Version of the graph, e.g. 2.2.21.";
    "arch"                  "arch"               Str(StrField::Arch),
        "CPU architecture of the graph, e.g. x86_64.";
    "status"                "status"             Str(StrField::Status),
        "Backup status: backing_up, success or failed.";
    "start_timestamp"       "startTimestamp"     Int(IntField::StartTimestamp),
        "Backup start, milliseconds since the Unix epoch.";
    "start_time"            "startTime"          Str(StrField::StartTime),
        "Backup start, e.g. 2021-06-08T13:55:13.";
    "end_timestamp"         "endTimestamp"       Int(IntField::EndTimestamp),
        "Backup end, milliseconds since the Unix epoch.";
    "end_time"              "endTime"            Str(StrField::EndTime),
        "Backup end, e.g. 2021-06-08T13:56:08.";
    "size"                  "size"               Int(IntField::Size),
        "Backup size in MB.";
    "duration"              "duration"           Int(IntField::Duration),
        "Backup duration in seconds.";
    "encrypted"             "encrypted"          Bool,
        "Whether the backup is encrypted; null when the service does not say.";
}

/// The index in `FIELDS` of the field named `name`, for the lookup's arms.
const fn index_of(name: &str) -> u32 {
    let mut i = 0;
    while !same(FIELDS[i].name.as_bytes(), name.as_bytes()) {
        i += 1;
    }
    i as u32
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() && a[i] == b[i] {
        i += 1;
    }
    i == a.len()
}

const fn count(strings: bool) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        match FIELDS[i].kind {
            Str(_) if strings => n += 1,
            Int(_) if !strings => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

/// String fields: the length of `Record::strings`.
pub(crate) const STR_FIELDS: usize = count(true);
/// Integer fields: the length of `Record::ints`.
pub(crate) const INT_FIELDS: usize = count(false);

// Each slot in the table once, and every variant in it: the last variants are
// the last slots.
const _: () = {
    let (mut strings, mut ints) = ([false; STR_FIELDS], [false; INT_FIELDS]);
    let mut i = 0;
    while i < FIELDS.len() {
        match FIELDS[i].kind {
            Str(f) => {
                assert!(!strings[f as usize], "a string slot twice in FIELDS");
                strings[f as usize] = true;
            }
            Int(f) => {
                assert!(!ints[f as usize], "an integer slot twice in FIELDS");
                ints[f as usize] = true;
            }
            Bool => {}
        }
        i += 1;
    }
    assert!(StrField::EndTime as usize == STR_FIELDS - 1);
    assert!(IntField::Duration as usize == INT_FIELDS - 1);
};

impl StrField {
    pub const fn slot(self) -> usize {
        self as usize
    }
}

impl IntField {
    pub const fn slot(self) -> usize {
        self as usize
    }
}

/// A `Backup` or a `GesBackup` as a struct literal: each string field from
/// `$str(StrField)`, each integer field from `$int(IntField)`, `encrypted` from
/// `$encrypted`. The one place that ties the structs' field names to the
/// table's slots (checked against `FIELDS` by tests; the compiler checks that
/// no field is left out).
macro_rules! backup_struct {
    ($ty:ident, $str:expr, $int:expr, $encrypted:expr) => {{
        use $crate::model::{IntField as I, StrField as S};
        let (s, int) = ($str, $int);
        $ty {
            id: s(S::Id),
            name: s(S::Name),
            backup_method: s(S::BackupMethod),
            graph_id: s(S::GraphId),
            graph_name: s(S::GraphName),
            graph_status: s(S::GraphStatus),
            graph_size_type_index: s(S::GraphSizeTypeIndex),
            data_store_version: s(S::DataStoreVersion),
            arch: s(S::Arch),
            status: s(S::Status),
            start_timestamp: int(I::StartTimestamp),
            start_time: s(S::StartTime),
            end_timestamp: int(I::EndTimestamp),
            end_time: s(S::EndTime),
            size: int(I::Size),
            duration: int(I::Duration),
            encrypted: $encrypted,
        }
    }};
}
pub(crate) use backup_struct;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{decode_page, Backups, Record};

    /// What `Backup` serializes to when every string field holds its own name,
    /// every integer field its slot + 1 and `encrypted` true: the table's names
    /// in the table's order, each with its own slot's value.
    fn expected_json() -> String {
        let members: Vec<String> = FIELDS
            .iter()
            .map(|f| match f.kind {
                Str(_) => format!("\"{}\":\"{}\"", f.name, f.name),
                Int(i) => format!("\"{}\":{}", f.name, i.slot() + 1),
                Bool => format!("\"{}\":true", f.name),
            })
            .collect();
        format!("{{{}}}", members.join(","))
    }

    #[test]
    fn backup_has_the_tables_fields_in_order_and_slots() {
        let (mut page, mut record) = (Backups::default(), Record::EMPTY);
        for f in FIELDS {
            match f.kind {
                Str(s) => record.set_string(s, page.push_str(f.name), f.name.len()),
                Int(i) => record.set_int(i, i.slot() as i64 + 1),
                Bool => record.encrypted = 1,
            }
        }
        let backup = page.to_backup(&record);
        assert_eq!(serde_json::to_string(&backup).unwrap(), expected_json());
        let strings: Vec<_> = FIELDS
            .iter()
            .filter(|f| matches!(f.kind, Str(_)))
            .map(|f| (f.name, Some(f.name.to_string())))
            .collect();
        let got: Vec<_> = backup
            .strings()
            .into_iter()
            .map(|(name, value)| (name, value.clone()))
            .collect();
        assert_eq!(got, strings);
    }

    #[test]
    fn the_decoder_reads_both_wire_names_of_every_field() {
        for wire_name in [|f: &Field| f.name, |f: &Field| f.camel_name] {
            let members: Vec<String> = FIELDS
                .iter()
                .map(|f| match f.kind {
                    Str(_) => format!("\"{}\":\"{}\"", wire_name(f), f.name),
                    Int(i) => format!("\"{}\":{}", wire_name(f), i.slot() + 1),
                    Bool => format!("\"{}\":true", wire_name(f)),
                })
                .collect();
            let body = format!(
                "{{\"backupCount\":1,\"backupList\":[{{{}}}]}}",
                members.join(",")
            );
            let page = decode_page(body.as_bytes()).unwrap();
            let json = serde_json::to_string(&page.backups[0]).unwrap();
            assert_eq!(json, expected_json(), "{body}");
        }
    }

    #[test]
    fn names_are_distinct_and_camel_names_are_the_names_in_camel_case() {
        let mut seen = std::collections::HashSet::new();
        for f in FIELDS {
            let camel: String = f
                .name
                .split('_')
                .enumerate()
                .map(|(i, word)| match i {
                    0 => word.to_string(),
                    _ => word[..1].to_uppercase() + &word[1..],
                })
                .collect();
            assert_eq!(f.camel_name, camel);
            assert!(seen.insert(f.name) && (f.camel_name == f.name || seen.insert(f.camel_name)));
            let (bit, kind) = of_wire_name(f.name).unwrap();
            let i = bit.trailing_zeros() as usize;
            assert_eq!(
                (bit.count_ones(), FIELDS[i].name, kind),
                (1, f.name, f.kind)
            );
            assert_eq!(of_wire_name(f.camel_name), Some((bit, kind)));
            assert!(!f.description.is_empty());
        }
        assert_eq!(of_wire_name("backupCount"), None);
    }
}
