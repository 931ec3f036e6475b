//! A backup as the service describes it, and the decoding of list answers (docs/contract.md, "Query"):
//! both key styles (v1.0 camelCase, v2 snake_case), integers as numbers or digit
//! strings, unknown fields ignored. `decode` reads answers into the `compact` form
//! that the listing and the C list work on; `Backup` is the owned Rust form.

mod compact;
mod decode;
mod fields;

pub(crate) use compact::{Backups, Record, ABSENT};
pub(crate) use decode::{decode_answer, Answer};
pub(crate) use fields::{backup_struct, FieldKind, IntField, StrField, FIELDS, STR_FIELDS};

use crate::error::Error;
use serde::Serialize;

/// Largest answer body accepted.
pub(crate) const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// One backup, owned. The result JSON's `backups` items are this, serialized.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Backup {
    pub id: Option<String>,
    pub name: Option<String>,
    pub backup_method: Option<String>,
    pub graph_id: Option<String>,
    pub graph_name: Option<String>,
    pub graph_status: Option<String>,
    pub graph_size_type_index: Option<String>,
    pub data_store_version: Option<String>,
    pub arch: Option<String>,
    pub status: Option<String>,
    pub start_timestamp: Option<i64>,
    pub start_time: Option<String>,
    pub end_timestamp: Option<i64>,
    pub end_time: Option<String>,
    pub size: Option<i64>,
    pub duration: Option<i64>,
    pub encrypted: Option<bool>,
}

impl Backup {
    /// The string fields in declaration order, for checks that apply to all of them.
    pub fn strings(&self) -> [(&'static str, &Option<String>); STR_FIELDS] {
        let mut strings = FIELDS.iter().filter_map(|f| match f.kind {
            FieldKind::Str(field) => Some((f.name, self.string(field))),
            _ => None,
        });
        std::array::from_fn(|_| strings.next().expect("STR_FIELDS of them"))
    }

    fn string(&self, field: StrField) -> &Option<String> {
        match field {
            StrField::Id => &self.id,
            StrField::Name => &self.name,
            StrField::BackupMethod => &self.backup_method,
            StrField::GraphId => &self.graph_id,
            StrField::GraphName => &self.graph_name,
            StrField::GraphStatus => &self.graph_status,
            StrField::GraphSizeTypeIndex => &self.graph_size_type_index,
            StrField::DataStoreVersion => &self.data_store_version,
            StrField::Arch => &self.arch,
            StrField::Status => &self.status,
            StrField::StartTime => &self.start_time,
            StrField::EndTime => &self.end_time,
        }
    }

    /// The order of a full listing: newest first, then by id.
    pub fn listing_order(a: &Backup, b: &Backup) -> std::cmp::Ordering {
        b.start_timestamp
            .unwrap_or(0)
            .cmp(&a.start_timestamp.unwrap_or(0))
            .then_with(|| a.id.cmp(&b.id))
    }
}

/// One page of a list answer, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// `backupCount`: how many backups the service holds in all (not on this page).
    pub total_count: i64,
    pub backups: Vec<Backup>,
}

/// Decodes a 2xx answer body into an owned page, or says precisely why it is not
/// one. The library itself keeps answers in the compact form (`decode_answer`).
pub fn decode_page(body: &[u8]) -> Result<Page, Error> {
    let answer = decode_answer(body)?;
    let backups = &answer.backups;
    Ok(Page {
        total_count: answer.total_count,
        backups: backups
            .records
            .iter()
            .map(|r| backups.to_backup(r))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn decodes_the_api_page_example() {
        let page = decode_page(&fixture("seed_response_v1.json")).unwrap();
        assert_eq!(page.total_count, 3);
        assert_eq!(page.backups.len(), 3);
        let b = &page.backups[0];
        assert_eq!(
            b.id.as_deref(),
            Some("ada3e720-ab87-48cb-bff7-3ec5ae1a9652")
        );
        assert_eq!(b.backup_method.as_deref(), Some("manual"));
        assert_eq!(b.graph_size_type_index.as_deref(), Some("1"));
        assert_eq!(b.start_timestamp, Some(1_623_160_513_000));
        assert_eq!(b.end_time.as_deref(), Some("2021-06-08T13:56:08"));
        assert_eq!((b.size, b.duration, b.encrypted), (Some(1), Some(54), None));
    }

    #[test]
    fn decodes_v2_snake_case() {
        let body = br#"{"backup_count": 1, "backup_list": [{"id": "x", "backup_method": "auto", "graph_id": "g",
            "graph_name": "n", "graph_status": "200", "graph_size_type_index": "2", "data_store_version": "2.3",
            "arch": "arm", "status": "failed", "start_timestamp": 5, "start_time": "t", "end_timestamp": 6,
            "end_time": "u", "size": 7, "duration": 8, "encrypted": true}]}"#;
        let page = decode_page(body).unwrap();
        let b = &page.backups[0];
        assert_eq!(page.total_count, 1);
        assert_eq!(
            (
                b.graph_id.as_deref(),
                b.graph_size_type_index.as_deref(),
                b.arch.as_deref()
            ),
            (Some("g"), Some("2"), Some("arm"))
        );
        assert_eq!(
            (
                b.start_timestamp,
                b.end_timestamp,
                b.size,
                b.duration,
                b.encrypted
            ),
            (Some(5), Some(6), Some(7), Some(8), Some(true))
        );
    }

    #[test]
    fn integers_may_be_digit_strings_and_unknown_fields_are_ignored() {
        let body = br#"{"backupCount": "2", "extra": {"a": [1]}, "backupList": [
            {"id": "a", "startTimestamp": "1623160513000", "size": "12", "duration": null, "novel": 1},
            {"id": "b", "endTimestamp": -1}]}"#;
        let page = decode_page(body).unwrap();
        assert_eq!(page.total_count, 2);
        assert_eq!(page.backups[0].start_timestamp, Some(1_623_160_513_000));
        assert_eq!(
            (page.backups[0].size, page.backups[0].duration),
            (Some(12), None)
        );
        assert_eq!(page.backups[1].end_timestamp, Some(-1));
    }

    #[test]
    fn refuses_what_is_not_a_list_answer() {
        for (body, why) in [
            (
                &br#"{"backupCount": 1, "backupList": [{"id": "a", "size": "1.5"}]}"#[..],
                "integer",
            ),
            (
                br#"{"backupCount": 1, "backupList": [{"id": "a", "size": 1.5}]}"#,
                "integer",
            ),
            (
                br#"{"backupCount": 1, "backupList": [{"id": 5}]}"#,
                "string",
            ),
            (
                br#"{"backupCount": 1, "backupList": [{"name": "no id"}]}"#,
                "no id",
            ),
            (
                br#"{"backupCount": 1, "backupList": [{"id": "a\u0000b"}]}"#,
                "NUL",
            ),
            (
                br#"{"backupCount": 1, "backupList": [{"id": "a", "graphName": "x", "graph_name": "y"}]}"#,
                "duplicate field `graph_name`",
            ),
            (
                br#"{"backupCount": 1, "backupList": [{"id": "a", "endTime": "\u0000"}]}"#,
                "field end_time holds a NUL",
            ),
            (br#"{"backupList": []}"#, "backupCount"),
            (br#"{"backupCount": -1}"#, "negative"),
            (br#"{"backupCount": 99999999999999999999}"#, "integer"),
            (br#"{"backupCount": 1, "backupList": [{"id": "a"}"#, "EOF"),
            (b"[]", "invalid"),
        ] {
            let err = decode_page(body).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::Decode);
            assert!(
                err.message.contains(why),
                "{}: {}",
                String::from_utf8_lossy(body),
                err.message
            );
        }
    }
}
