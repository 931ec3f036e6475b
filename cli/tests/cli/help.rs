//! Every flag has a help line, and the exit statuses are documented: in
//! `--help`, and the same ones in the READMEs and docs/contract.md.

use crate::common::run;
use std::collections::BTreeSet;

/// The flags of `ges-backups list`, each of which must be documented.
pub const LIST_FLAGS: &[&str] = &[
    "--graph-id",
    "--graph-name",
    "--name",
    "--backup-id",
    "--status",
    "--backup-method",
    "--most-recent",
    "--offset",
    "--limit",
    "--deadline-ms",
    "--output",
    "--config",
    "--emulator",
    "--quiet",
    "--verbose",
    "--region",
    "--endpoint",
    "--project-id",
    "--profile",
    "--help",
];

/// The `-h` lines that name a flag, as (flag, help text).
fn flag_lines(help: &str) -> Vec<(String, String)> {
    help.lines()
        .filter(|line| line.trim_start().starts_with('-'))
        .map(|line| {
            let line = line.trim_start();
            // "-q, --quiet   Print ..." or "--limit <N>   Fetch ...": the help
            // text starts after the first run of two or more spaces.
            let (spec, text) = line.split_once("  ").unwrap_or((line, ""));
            let flag = spec
                .split([',', ' '])
                .find(|part| part.starts_with("--"))
                .unwrap_or(spec)
                .to_string();
            (flag, text.trim().to_string())
        })
        .collect()
}

#[test]
fn every_list_flag_has_a_help_line() {
    let help = run(&["list", "-h"]);
    help.expect_code(0, "list -h");
    let lines = flag_lines(&help.stdout_text());
    for flag in LIST_FLAGS {
        let (_, text) = lines
            .iter()
            .find(|(f, _)| f == flag)
            .unwrap_or_else(|| panic!("{flag} is missing from:\n{}", help.stdout_text()));
        assert!(text.len() > 10, "{flag} has no help line: {text:?}");
    }
    for (flag, text) in &lines {
        assert!(!text.is_empty(), "{flag} has no help line");
        assert!(
            LIST_FLAGS.contains(&flag.as_str()),
            "{flag}: add it to LIST_FLAGS"
        );
    }
}

#[test]
fn top_level_flags_have_help_and_exit_statuses_are_listed() {
    let top = run(&["-h"]);
    top.expect_code(0, "-h");
    let lines = flag_lines(&top.stdout_text());
    assert!(lines.len() >= 2, "{}", top.stdout_text());
    for (flag, text) in lines {
        assert!(!text.is_empty(), "{flag} has no help line");
    }
    for args in [&["-h"][..], &["list", "-h"][..], &["list", "--help"][..]] {
        let help = run(args);
        help.expect_code(0, &format!("{args:?}"));
        let text = help.stdout_text();
        for status in ["0 ", "2 ", "3 ", "4 ", "5 ", "6 ", "70 ", "74 ", "130 "] {
            assert!(
                text.lines().any(|l| l.trim_start().starts_with(status)),
                "exit status {status}missing from {args:?}:\n{text}"
            );
        }
    }
}

/// The statuses `--help` lists (from the code's table).
fn statuses_in_help() -> BTreeSet<u32> {
    let help = run(&["-h"]).stdout_text();
    let (_, list) = help
        .split_once("Exit status:")
        .expect("an exit status list");
    list.lines()
        .filter_map(|line| line.split_whitespace().next()?.parse().ok())
        .collect()
}

fn numbers(text: &str) -> BTreeSet<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

/// The part of a Markdown file under `heading`, up to the next heading of its level.
fn section(path: &str, heading: &str) -> String {
    let file = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&file).unwrap();
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("{heading:?} in {path}"));
    let body = &text[start + heading.len() + 2..];
    let level = heading.split(' ').next().unwrap();
    let end = body.find(&format!("\n{level} ")).unwrap_or(body.len());
    body[..end].to_string()
}

#[test]
fn the_docs_list_exactly_the_exit_statuses_of_the_code() {
    let code = statuses_in_help();
    assert_eq!(code.len(), 9, "{code:?}");
    for path in ["README.md", "docs/contract.md"] {
        let section = section(path, "## Command line");
        // The paragraph that starts with "Exit status".
        let from = section
            .find("Exit status")
            .unwrap_or_else(|| panic!("no exit statuses in {path}"));
        let paragraph = section[from..].split("\n\n").next().unwrap();
        assert_eq!(numbers(paragraph), code, "{path}: {paragraph}");
    }
    // cli/README.md: the first column of the table.
    let table: BTreeSet<u32> = section("cli/README.md", "## Exit status")
        .lines()
        .filter_map(|row| row.strip_prefix("| ")?.split(' ').next()?.parse().ok())
        .collect();
    assert_eq!(table, code, "cli/README.md");
}
