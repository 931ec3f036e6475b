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
        (
            vec!["--signing-algorithm", "hmacsha256"],
            "expected one of HmacSHA256, HmacSM3, EcdsaP256SHA256, SM2SM3",
        ),
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

/// What `ps` shows of a process: its command line.
fn command_line(child: &Child) -> String {
    let raw = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap();
    String::from_utf8_lossy(&raw).replace('\0', " ")
}

#[test]
fn secrets_from_the_environment_stay_out_of_ps() {
    const SK: &str = "SK-ENV-HUSH-4";
    const TOKEN: &str = "TOKEN-ENV-HUSH-5";
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--access-key", "AKVISIBLE"])
        .env("GES_EMULATOR_SECRET_KEY", SK)
        .env("GES_EMULATOR_AUTH_TOKEN", TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim_end();
    let shown = command_line(&child);
    assert!(shown.contains("AKVISIBLE"), "{shown}");
    assert!(!shown.contains("HUSH"), "ps shows a secret: {shown}");

    // Both are in force: the token, and signatures made with the key.
    let path = "/v1.0/demo-project/graphs/backups";
    let with = |token: &str| {
        crate::common::get_with(&format!("{url}{path}"), &[("X-Auth-Token", token)]).status
    };
    assert_eq!(with(TOKEN), 200);
    assert_eq!(with("another-token"), 401);
    let now = std::time::SystemTime::now();
    let signed = crate::common::signed_get_at(url, path, "AKVISIBLE", SK, now);
    assert_eq!(signed.status, 200);
    let wrong = crate::common::signed_get_at(url, path, "AKVISIBLE", "SK-other", now);
    assert_eq!(wrong.status, 401);

    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
    assert!(!stderr_of(&mut child).contains("HUSH"));

    // An access key whose secret key comes from nowhere is a usage error.
    let out = Command::new(BIN)
        .args(["--access-key", "AK"])
        .env_remove("GES_EMULATOR_SECRET_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("GES_EMULATOR_SECRET_KEY"));
}

#[test]
fn a_non_loopback_address_gets_a_warning() {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the bind fails,
    // after the warning, and nothing listens beyond loopback. Should a host
    // allow binding foreign addresses, the emulator is stopped at once.
    let mut child = Command::new(BIN)
        .args(["--listen", "192.0.2.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
    }
    let status = child.wait().unwrap();
    let stderr = stderr_of(&mut child);
    assert!(
        stderr.contains("warning: 192.0.2.1:0 is not a loopback address"),
        "{stderr}"
    );
    assert_ne!(status.code(), Some(0), "{stderr}");

    let (mut child, _) = spawn(&["--listen", "127.0.0.1:0"]);
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
    let stderr = stderr_of(&mut child);
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn sizes_on_the_command_line_are_bounded() {
    for args in [
        vec!["--backups", "1000000000000"],
        vec!["--backups", "1000001"],
        vec!["--backups", "10", "--graphs", "1000000000"],
        vec!["--latency-ms", "18446744073709551615"],
        vec!["--latency-ms", "600001"],
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(args[args.len() - 2]), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_cloud_comes_from_a_config_file() {
    let dir = std::env::temp_dir().join(format!("ges-emulator-cloud-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cloud.json");
    let config = serde_json::json!({
        "iam": {"users": [{"domain_name": "acme", "name": "alice", "password": "PW-HUSH-4"}],
                "token_lifetime_ms": 60_000},
        "pod_identity": {"authorization_tokens": ["POD-HUSH-5"], "shape": "top_level"},
    });
    std::fs::write(&file, config.to_string()).unwrap();
    let (mut child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--cloud-config",
        file.to_str().unwrap(),
    ]);
    let token = crate::common::post_json(
        &format!("{url}/v3/auth/tokens"),
        &serde_json::json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "alice", "password": "PW-HUSH-4", "domain": {"name": "acme"}}}}}}),
        &[],
    );
    assert_eq!(token.status, 201);
    let pod = crate::common::post_json(
        &format!("{url}/pod-identity/credentials"),
        &serde_json::json!({}),
        &[("Authorization", "POD-HUSH-5")],
    );
    assert!(pod.json()["access_key_id"].is_string());
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
    assert!(!stderr_of(&mut child).contains("HUSH"));

    // A file that cannot be used: missing, not JSON, or refused.
    std::fs::write(dir.join("bad.json"), "{not json").unwrap();
    std::fs::write(
        dir.join("refused.json"),
        r#"{"iam": {"agencies": [{"name": "a"}]}}"#,
    )
    .unwrap();
    for (name, expect) in [
        ("missing.json", "missing.json"),
        ("bad.json", "not JSON"),
        ("refused.json", "domain_name"),
    ] {
        let out = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--cloud-config"])
            .arg(dir.join(name))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expect), "{name}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn signing_algorithm_requires_that_one() {
    use ges_signing::Algorithm;
    let (mut child, url) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--access-key",
        "AKCLI",
        "--secret-key",
        "SKCLI",
        "--signing-algorithm",
        "SM2SM3",
    ]);
    let target = format!("{url}/v1.0/demo-project/graphs/backups");
    for algorithm in Algorithm::ALL {
        let sent = crate::common::signed_headers_with(
            algorithm,
            "GET",
            &target,
            &[],
            b"",
            ("AKCLI", "SKCLI"),
            std::time::SystemTime::now(),
        );
        let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let got = crate::common::send("GET", &target, &sent, b"");
        let expected = if algorithm == Algorithm::Sm2Sm3 {
            200
        } else {
            401
        };
        assert_eq!(got.status, expected, "{algorithm}");
    }
    let signing = crate::common::get(&format!("{url}/__emulator/signing")).json();
    assert_eq!(signing, serde_json::json!({"algorithm": "SM2SM3"}));
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
}
