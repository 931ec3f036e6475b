//! Progress on stderr: shown on a terminal for a listing over a second,
//! silenced by --quiet, never written to a file or a pipe.

use crate::common::{command, isolated, ConfigFile, Run, BINARY};
use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use serde_json::json;
use std::process::Command;

/// Each answer takes 300 ms; 50 backups in pages of 10, one page at a time:
/// five requests, a listing of about 1.5 s.
fn slow_emulator() -> Emulator {
    Emulator::start(EmulatorConfig {
        latency_ms: 300,
        dataset: Dataset::Generated {
            backups: 50,
            graphs: 2,
            seed: 5,
        },
        ..EmulatorConfig::default()
    })
    .unwrap()
}

/// Runs the binary on a pseudo-terminal (util-linux `script`), so that its
/// stderr is a tty; returns all it wrote there, stdout and stderr mixed.
fn on_a_terminal(args: &[&str]) -> Run {
    let line = std::iter::once(BINARY)
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    isolated(Command::new("script"))
        .args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("util-linux script runs")
        .into()
}

#[test]
fn a_slow_listing_shows_progress_on_a_terminal_only() {
    let emulator = slow_emulator();
    let config = ConfigFile::new(
        emulator.base_url(),
        json!({"page_size": 10, "max_concurrency": 1}),
    );
    let list = ["list", "--config", config.arg()];

    let shown = on_a_terminal(&list);
    shown.expect_code(0, "on a terminal");
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("\rges-backups: listing... 1."), "{text:?}");
    // Requests answered, counted from the library's DEBUG log.
    assert!(text.contains(" request(s)"), "{text:?}");
    // The progress line is erased before the table starts.
    assert!(text.contains("\r\x1b[KID "), "{text:?}");

    let quiet = on_a_terminal(&[&list[..], &["--quiet"]].concat());
    quiet.expect_code(0, "--quiet on a terminal");
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert!(!text.contains("listing..."), "{text:?}");
    assert!(text.contains("50 backup(s) shown"), "{text:?}");

    // stderr a pipe: no progress, however slow.
    let piped: Run = command().args(list).output().unwrap().into();
    piped.expect_code(0, "stderr a pipe");
    assert_eq!(piped.stderr, "");
}
