//! The result JSON (docs/contract.md, "Result") written straight from a `Listing`: byte for byte what
//! serde_json makes of its `BackupList`, without building one (no owned string per
//! field on the way out either).

use super::Listing;
use crate::model::{Backups, FieldKind, Record, FIELDS};
use std::io::Write;

impl Listing {
    pub fn to_json(&self) -> String {
        let text: usize = self.pages.iter().map(|p| p.text.len()).sum();
        let mut out = Vec::with_capacity(64 + text + self.order.len() * 320);
        out.extend_from_slice(b"{\"id\":");
        string(&mut out, Some(&self.id));
        write!(out, ",\"total_count\":{},\"backups\":[", self.total_count).expect("to a Vec");
        for (i, (page, record)) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            backup(&mut out, page, record);
        }
        out.extend_from_slice(b"]}");
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }
}

/// One backup's object, fields in table order (that of `Backup`).
fn backup(out: &mut Vec<u8>, page: &Backups, record: &Record) {
    for (i, field) in FIELDS.iter().enumerate() {
        out.push(if i == 0 { b'{' } else { b',' });
        write!(out, "\"{}\":", field.name).expect("to a Vec");
        match field.kind {
            FieldKind::Str(f) => string(out, page.string(record, f)),
            FieldKind::Int(f) => match record.int(f) {
                Some(n) => write!(out, "{n}").expect("to a Vec"),
                None => out.extend_from_slice(b"null"),
            },
            FieldKind::Bool => out.extend_from_slice(match record.encrypted() {
                Some(true) => b"true".as_slice(),
                Some(false) => b"false",
                None => b"null",
            }),
        }
    }
    out.push(b'}');
}

/// A JSON string escaped exactly as serde_json escapes it, or `null`.
fn string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => serde_json::to_writer(&mut *out, s).expect("to a Vec"),
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use crate::listing::Listing;
    use crate::model::decode_answer;

    #[test]
    fn writes_what_serde_writes_for_the_backup_list() {
        let body = br#"{"backupCount": 3, "backupList": [
            {"id": "a\"b\\c\u00e9\ud83d\ude00\n\t\u0001", "name": null, "startTimestamp": "-12",
             "size": 7, "encrypted": true, "graphName": "g</script>"},
            {"id": "x", "backup_method": "auto", "graph_id": "g", "graph_status": "200",
             "graph_size_type_index": "2", "data_store_version": "2.3", "arch": "arm",
             "status": "failed", "start_timestamp": 5, "start_time": "t", "end_timestamp": 6,
             "end_time": "u", "size": 0, "duration": 8, "encrypted": false},
            {"id": ""}]}"#;
        let mut listing = Listing::of_answer(decode_answer(body).unwrap());
        listing.id = "q\u{1}id".to_string();
        assert_eq!(listing.to_json(), listing.to_backup_list().to_json());
        listing.order.clear();
        assert_eq!(listing.to_json(), listing.to_backup_list().to_json());
    }
}
