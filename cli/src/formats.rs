//! The formats of `--output` for programs: the result JSON, one backup's JSON
//! a line (ndjson), and csv. Backups are written as `ges_backups::Backup`
//! serializes: its fields, in its order, are the result JSON's, so neither
//! format keeps a list of fields of its own.

use ges_backups::{Backup, BackupList};

/// The result JSON on one line.
pub fn json(list: &BackupList) -> String {
    list.to_json() + "\n"
}

/// One line per backup: its object as in the result JSON's `backups`, absent
/// fields `null`. Nothing else, so that each line stands alone (`jq -c`, `grep`).
pub fn ndjson(list: &BackupList) -> String {
    let mut out = String::new();
    for backup in &list.backups {
        out += &serde_json::to_string(backup).expect("a backup serializes");
        out.push('\n');
    }
    out
}

/// RFC 4180: CRLF after every row; a field holding a comma, a quote, CR or LF
/// is quoted, its quotes doubled. A header row of the field names, then one row
/// per backup: an absent value is an empty cell, `encrypted` is `true`,
/// `false` or empty. Strings are exactly as the service sent them.
pub fn csv(list: &BackupList) -> String {
    let mut writer = csv_writer().has_headers(false).from_writer(Vec::new());
    let written = writer
        .write_record(&header())
        .and_then(|()| list.backups.iter().try_for_each(|b| writer.serialize(b)));
    written.expect("backups serialize as csv records");
    let bytes = writer.into_inner().expect("writing to memory succeeds");
    String::from_utf8(bytes).expect("csv of UTF-8 strings is UTF-8")
}

fn csv_writer() -> csv::WriterBuilder {
    let mut builder = csv::WriterBuilder::new();
    builder.terminator(csv::Terminator::CRLF);
    builder
}

/// `Backup`'s field names, in order, as csv's serializer names them in the
/// header it writes before the first row; taken from a row of its own, so that
/// an empty listing has the header too.
fn header() -> csv::StringRecord {
    let mut probe = csv_writer().has_headers(true).from_writer(Vec::new());
    probe
        .serialize(Backup::default())
        .expect("a backup serializes as a csv record");
    let bytes = probe.into_inner().expect("writing to memory succeeds");
    csv::Reader::from_reader(bytes.as_slice())
        .headers()
        .expect("the header just written reads back")
        .clone()
}
