//! Every flag has a help line, and the exit statuses are documented.

use crate::common::run;

/// The flags of `ges-backups list`, each of which must be documented.
const LIST_FLAGS: &[&str] = &[
    "--graph-id",
    "--graph-name",
    "--name",
    "--backup-id",
    "--status",
    "--backup-method",
    "--most-recent",
    "--offset",
    "--limit",
    "--output",
    "--config",
    "--emulator",
    "--quiet",
    "--verbose",
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
        for status in ["0 ", "2 ", "3 ", "4 ", "5 ", "6 ", "70 ", "130 "] {
            assert!(
                text.lines().any(|l| l.trim_start().starts_with(status)),
                "exit status {status}missing from {args:?}:\n{text}"
            );
        }
    }
}
