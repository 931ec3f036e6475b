//! The `--output table` rendering: aligned columns a person can scan.

use crate::escape::escape;
use ges_backups::BackupList;

const HEADERS: [&str; 8] = [
    "ID",
    "NAME",
    "GRAPH",
    "METHOD",
    "STATUS",
    "SIZE (MB)",
    "STARTED",
    "DURATION (s)",
];
/// Numeric columns are right-aligned.
const RIGHT_ALIGNED: [bool; 8] = [false, false, false, false, false, true, false, true];

pub fn render(list: &BackupList) -> String {
    // Escaped: the strings come from the service and must not drive the terminal.
    let text = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "-".to_string(), |s| escape(s).into_owned())
    };
    let number = |v: Option<i64>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
    let rows: Vec<[String; 8]> = list
        .backups
        .iter()
        .map(|b| {
            [
                text(&b.id),
                text(&b.name),
                text(&b.graph_name),
                text(&b.backup_method),
                text(&b.status),
                number(b.size),
                text(&b.start_time).replace('T', " "),
                number(b.duration),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 8]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .zip(RIGHT_ALIGNED)
            .map(|((cell, width), right)| {
                if right {
                    format!("{cell:>width$}")
                } else {
                    format!("{cell:<width$}")
                }
            })
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(HEADERS);
    for row in &rows {
        out += &line(row.each_ref().map(String::as_str));
    }
    out += &format!(
        "{} backup(s) shown; the service reports {} in all\n",
        list.backups.len(),
        list.total_count
    );
    out
}
