//! The `ges-emulator` binary: first stdout line, signals, flags, secrets.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ges-emulator");

fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim_end().to_string())
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("ges-emulator did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn prints_the_base_url_first_and_sigterm_exits_zero() {
    let (mut child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--backups",
        "12",
        "--graphs",
        "2",
    ]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let answer =
        crate::common::get(&format!("{url}/v2/demo-project/graphs/backups?limit=100")).json();
    assert_eq!(answer["backup_count"], 12);
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
}

#[test]
fn sigint_exits_zero() {
    let (mut child, url) = spawn(&["--listen", "127.0.0.1:0", "--project-id", "p1"]);
    let got = crate::common::get(&format!("{url}/v1.0/p1/graphs/backups"));
    assert_eq!(got.status, 200);
    signal(&child, "INT");
    assert_eq!(wait(&mut child).code(), Some(0));
}

#[test]
fn secrets_are_never_printed() {
    let (mut child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--access-key",
        "AKVISIBLE",
        "--secret-key",
        "SK-HUSH-1",
        "--auth-token",
        "TOKEN-HUSH-2",
    ]);
    let got = crate::common::get_with(
        &format!("{url}/v1.0/demo-project/graphs/backups"),
        &[("X-Auth-Token", "TOKEN-HUSH-2")],
    );
    assert_eq!(got.status, 200);
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let printed = format!("{url}\n{stdout}{}", stderr_of(&mut child));
    assert!(!printed.contains("HUSH"), "{printed}");

    // Nor in the error for a half-given key pair.
    let out = Command::new(BIN)
        .args(["--secret-key", "SK-HUSH-3"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("HUSH"));
}

#[test]
fn bad_flags_fail_with_a_clear_message() {
    for (args, expect) in [
        (vec!["--latency-ms", "soon"], "--latency-ms"),
        (vec!["--data", "x.json", "--backups", "3"], "--data"),
        (vec!["--graphs", "3"], "--backups"),
        (vec!["--backups", "3", "--graphs", "0"], "--graphs"),
        (vec!["--access-key", "AK"], "--secret-key"),
        (vec!["--tls-cert", "c.pem"], "--tls-key"),
        (vec!["--no-such-flag"], "--no-such-flag"),
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
    }
}

#[test]
fn startup_errors_exit_non_zero() {
    let out = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--data",
            "/nonexistent/data.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/data.json"));

    let out = Command::new(BIN)
        .args(["--listen", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not-an-address"));
}

#[test]
fn serves_https_from_the_command_line() {
    let (cert, key, _) = crate::tls::self_signed("ges-emulator-cli-tls");
    let (mut child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
    std::fs::remove_dir_all(cert.parent().unwrap()).unwrap();
}
