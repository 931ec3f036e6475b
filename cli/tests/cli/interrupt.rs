//! Ctrl-C during a slow listing: status 130, promptly, nothing on stdout, and
//! no request sent after it.

use crate::common::{command, ConfigFile, Run};
use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use serde_json::json;
use std::io::Read;
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every answer takes 2 s; 50 backups in pages of 10, one page at a time.
fn slow_emulator() -> Emulator {
    Emulator::start(EmulatorConfig {
        latency_ms: 2000,
        dataset: Dataset::Generated {
            backups: 50,
            graphs: 2,
            seed: 3,
        },
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn requests_seen(emulator: &Emulator) -> u64 {
    let addr = emulator.base_url().trim_start_matches("http://");
    let mut socket = TcpStream::connect(addr).unwrap();
    std::io::Write::write_all(
        &mut socket,
        format!("GET /__emulator/stats HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    serde_json::from_str::<serde_json::Value>(body).unwrap()["requests"]
        .as_u64()
        .unwrap()
}

#[test]
fn ctrl_c_cancels_the_listing_and_exits_130() {
    let emulator = slow_emulator();
    let config = ConfigFile::new(
        emulator.base_url(),
        json!({"page_size": 10, "max_concurrency": 1, "timeout_ms": 30000}),
    );
    let child = command()
        .args(["list", "--config", config.arg()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Half-way through the first request's 2 s.
    std::thread::sleep(Duration::from_millis(700));
    let interrupted = Instant::now();
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let run: Run = child.wait_with_output().unwrap().into();
    let took = interrupted.elapsed();
    run.expect_code(130, "SIGINT during a listing");
    assert!(run.stdout.is_empty(), "no partial listing on stdout");
    // The library returned CANCELLED: the listing was cancelled, not killed.
    assert_eq!(
        run.stderr,
        "ges-backups: interrupted (Ctrl-C): the listing was cancelled\n"
    );
    assert!(
        took < Duration::from_millis(1000),
        "exited {} ms after SIGINT",
        took.as_millis()
    );
    eprintln!("ctrl-c: exit 130 after {} ms", took.as_millis());

    // The request in flight was the last one: nothing follows the cancel.
    let seen = requests_seen(&emulator);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(requests_seen(&emulator), seen, "a request after Ctrl-C");
    assert!(seen <= 1, "{seen} requests in 0.7 s at 2 s each");
}
