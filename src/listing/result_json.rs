//! The result JSON (docs/contract.md, "Result") written straight from a `Listing`: byte for byte what
//! serde_json makes of its `BackupList`, without building one (no owned string per
//! field on the way out either).

use super::Listing;
use crate::model::{Backups, Record, DURATION, END_TIMESTAMP, SIZE, START_TIMESTAMP};
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

/// One backup's object, fields in `Backup`'s declaration order.
fn backup(out: &mut Vec<u8>, page: &Backups, record: &Record) {
    let s = |out: &mut Vec<u8>, name: &str, k: usize| {
        write!(out, "\"{name}\":").expect("to a Vec");
        string(out, page.get(record.strings[k]));
    };
    let int = |out: &mut Vec<u8>, name: &str, k: usize| match record.int(k) {
        Some(n) => write!(out, "\"{name}\":{n}").expect("to a Vec"),
        None => write!(out, "\"{name}\":null").expect("to a Vec"),
    };
    out.push(b'{');
    s(out, "id", 0);
    for (name, k) in [
        ("name", 1),
        ("backup_method", 2),
        ("graph_id", 3),
        ("graph_name", 4),
        ("graph_status", 5),
        ("graph_size_type_index", 6),
        ("data_store_version", 7),
        ("arch", 8),
        ("status", 9),
    ] {
        out.push(b',');
        s(out, name, k);
    }
    out.push(b',');
    int(out, "start_timestamp", START_TIMESTAMP);
    out.push(b',');
    s(out, "start_time", 10);
    out.push(b',');
    int(out, "end_timestamp", END_TIMESTAMP);
    out.push(b',');
    s(out, "end_time", 11);
    out.push(b',');
    int(out, "size", SIZE);
    out.push(b',');
    int(out, "duration", DURATION);
    out.extend_from_slice(match record.encrypted {
        1 => b",\"encrypted\":true}".as_slice(),
        0 => b",\"encrypted\":false}",
        _ => b",\"encrypted\":null}",
    });
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
