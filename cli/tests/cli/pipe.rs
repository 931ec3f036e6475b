//! A closed or full stdout ends the CLI quietly, never with a panic.

use crate::common::{command, emulator_with, isolated, ConfigFile, Run, BINARY};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// Enough backups for the table to overflow any pipe buffer (about 0.9 MB).
const BACKUPS: usize = 6000;

#[test]
fn a_reader_that_stops_after_one_line_gets_a_quiet_success() {
    let emulator = emulator_with(BACKUPS);
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    let mut child = command()
        .args(["list", "--config", config.arg()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe's read end closes mid-output.
    assert!(first.starts_with("ID "), "{first}");
    let run: Run = child.wait_with_output().unwrap().into();
    run.expect_code(0, "stdout closed after one line");
    assert_eq!(run.stderr, "", "nothing on stderr");
}

#[test]
fn head_in_a_pipefail_shell_succeeds() {
    let emulator = emulator_with(BACKUPS);
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    for output in ["table", "json"] {
        let script = format!(
            "set -o pipefail; '{BINARY}' list --config '{}' --output {output} | head -c 10 >/dev/null",
            config.arg()
        );
        let shell: Run = isolated(std::process::Command::new("bash"))
            .args(["-c", &script])
            .output()
            .unwrap()
            .into();
        shell.expect_code(0, &format!("| head, --output {output}"));
        assert_eq!(shell.stderr, "", "{output}");
    }
}

#[test]
fn a_stdout_closed_before_the_first_byte_is_quiet_too() {
    let emulator = emulator_with(BACKUPS);
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    let mut child = command()
        .args(["list", "--config", config.arg()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let run: Run = child.wait_with_output().unwrap().into();
    run.expect_code(0, "stdout closed at once");
    assert_eq!(run.stderr, "");
}

#[test]
fn a_full_stdout_is_reported_with_74() {
    let emulator = emulator_with(BACKUPS);
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let run: Run = command()
        .args(["list", "--config", config.arg()])
        .stdout(full)
        .output()
        .unwrap()
        .into();
    run.expect_code(74, "stdout on /dev/full");
    assert!(
        run.stderr
            .starts_with("ges-backups: cannot write the output"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
