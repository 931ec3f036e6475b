//! The manual page: what `ges-backups manpage` prints, as `man` renders it.
//! (`tests/install/run.sh` checks that `make install` puts it in
//! share/man/man1 and `make uninstall` removes it.)

use crate::common::{run, TempFile};
use crate::help::LIST_FLAGS;
use std::process::Command;

/// The page as `man -l` shows it, plain text.
fn rendered(page: &[u8]) -> String {
    let file = TempFile::new("ges-backups.1", page);
    let out = Command::new("man")
        .args(["-l", file.arg()])
        .env("MANWIDTH", "200")
        .env("MANPAGER", "cat")
        .env("MAN_KEEP_FORMATTING", "")
        .output()
        .expect("man (man-db) is installed");
    assert!(
        out.status.success(),
        "man -l: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_manual_page_documents_every_list_flag_and_exit_status() {
    let got = run(&["manpage"]);
    got.expect_code(0, "manpage");
    assert!(got.stdout.starts_with(b".ie "), "roff, from clap_mangen");
    let text = rendered(&got.stdout);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "GES-BACKUPS LIST",
        "GES-BACKUPS COMPLETIONS",
        "EXIT STATUS",
    ] {
        assert!(
            text.lines().any(|l| l == section),
            "no section {section}:\n{text}"
        );
    }
    // Each list flag as an option entry, with its help text below it.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for flag in LIST_FLAGS {
        let entry = lines
            .iter()
            .position(|l| l.split(", ").any(|f| f.split(' ').next() == Some(flag)))
            .unwrap_or_else(|| panic!("no entry for {flag}:\n{text}"));
        assert!(lines[entry + 1].len() > 10, "{flag}: no help:\n{text}");
    }
    let statuses = &text[text.find("\nEXIT STATUS\n").unwrap()..];
    for status in ["0", "2", "3", "4", "5", "6", "70", "74", "130"] {
        assert!(
            statuses
                .lines()
                .any(|l| l.split_whitespace().next() == Some(status)),
            "no status {status}:\n{statuses}"
        );
    }
    assert!(text.contains(env!("CARGO_PKG_VERSION")));
    // The page does not describe the subcommand that prints it.
    assert!(!text.contains("manpage"), "{text}");
}
