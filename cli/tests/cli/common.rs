//! Helpers: running the binary, starting emulators, scripting their faults.

use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Output};

pub const BINARY: &str = env!("CARGO_BIN_EXE_ges-backups");

/// What a run gave: its exit status (None when a signal ended it) and output.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Fails with the whole output when the status is not `code`.
    pub fn expect_code(&self, code: i32, what: &str) {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{what}: {}", self.stderr);
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// `ges-backups` with no credentials or endpoint from the test's environment.
pub fn command() -> Command {
    isolated(Command::new(BINARY))
}

/// `command` without the environment's credentials, endpoint, region,
/// project and profile.
pub fn isolated(mut command: Command) -> Command {
    for name in [
        "GES_ENDPOINT",
        "HW_REGION_NAME",
        "HW_PROJECT_ID",
        "HW_ACCESS_KEY",
        "HW_SECRET_KEY",
        "HW_SECURITY_TOKEN",
        "HW_AUTH_TOKEN",
        "HW_CLOUD",
        "HW_PROFILE",
        "HW_SHARED_CONFIG_FILE",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "HUAWEICLOUD_SDK_IAM_ENDPOINT",
    ] {
        command.env_remove(name);
    }
    command
}

pub fn run(args: &[&str]) -> Run {
    run_with(&[], args)
}

/// `run` with these environment variables set.
pub fn run_with(env: &[(&str, &str)], args: &[&str]) -> Run {
    command()
        .envs(env.iter().copied())
        .args(args)
        .output()
        .expect("the binary runs")
        .into()
}

/// A file of the test's under the temporary directory, removed on drop.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str, contents: &[u8]) -> TempFile {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("ges-cli-test-{}-{n}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    pub fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A config file for `endpoint` with a token, and `extra` keys (`null`
/// removes one); removed on drop.
pub struct ConfigFile(TempFile);

impl ConfigFile {
    pub fn new(endpoint: &str, extra: Value) -> ConfigFile {
        let mut config = json!({"endpoint": endpoint, "project_id": "demo-project",
                                "auth_token": "cli-test-token", "max_retries": 0,
                                "timeout_ms": 5000});
        // `null` removes a key.
        for (key, value) in extra.as_object().expect("an object") {
            match value {
                Value::Null => drop(config.as_object_mut().unwrap().remove(key)),
                value => config[key] = value.clone(),
            }
        }
        ConfigFile(TempFile::new("config.json", config.to_string().as_bytes()))
    }

    pub fn arg(&self) -> &str {
        self.0.arg()
    }

    /// `ges-backups list --config THIS ARGS...`, run to its end.
    pub fn list(&self, args: &[&str]) -> Run {
        self.list_with(&[], args)
    }

    /// `list` with these environment variables set.
    pub fn list_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        run_with(env, &[&["list", "--config", self.arg()], args].concat())
    }
}

pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

pub fn emulator_with(backups: usize) -> Emulator {
    Emulator::start(EmulatorConfig {
        dataset: Dataset::Generated {
            backups,
            graphs: 4,
            seed: 7,
        },
        ..EmulatorConfig::default()
    })
    .expect("emulator starts")
}

/// `METHOD /__emulator/PATH` with a JSON body (none for `null`) over a plain
/// socket; asserts a 2xx answer.
pub fn control(emulator: &Emulator, method: &str, path: &str, body: &Value) {
    let addr = emulator.base_url().trim_start_matches("http://");
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let mut socket = TcpStream::connect(addr).unwrap();
    write!(
        socket,
        "{method} /__emulator/{path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
}

/// Every list request from now on gets this fault action.
pub fn always(emulator: &Emulator, action: Value) {
    control(emulator, "DELETE", "faults", &json!(null));
    control(
        emulator,
        "POST",
        "faults",
        &json!({"times": 0, "action": action}),
    );
}

/// A loopback port that nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}
