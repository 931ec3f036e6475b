//! Test helpers: safe wrappers over the exported C functions (the tests go through
//! the C ABI, not the Rust API) and an emulator on loopback with its control API.
#![allow(dead_code)]

use ges_backups::ffi::*;
use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::ffi::{c_char, CStr, CString};
use std::ptr;

/// A `GesError` copied out of C, then freed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CError {
    pub kind: GesErrorKind,
    pub message: String,
    pub http_status: u16,
    pub code: Option<String>,
    pub request_id: Option<String>,
}

unsafe fn opt_string(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| {
        CStr::from_ptr(p)
            .to_str()
            .expect("UTF-8 from the library")
            .to_string()
    })
}

/// Takes ownership of an error returned by the library.
pub fn take_error(err: *mut GesError) -> Option<CError> {
    if err.is_null() {
        return None;
    }
    unsafe {
        let message = ges_error_message(err);
        assert!(!message.is_null(), "ges_error_message is never NULL");
        let copied = CError {
            kind: ges_error_kind(err),
            message: opt_string(message).unwrap(),
            http_status: ges_error_http_status(err),
            code: opt_string(ges_error_code(err)),
            request_id: opt_string(ges_error_request_id(err)),
        };
        ges_error_free(err);
        Some(copied)
    }
}

/// A backup as C sees it, copied into Rust values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CBackup {
    pub id: Option<String>,
    pub name: Option<String>,
    pub backup_method: Option<String>,
    pub graph_id: Option<String>,
    pub graph_name: Option<String>,
    pub graph_status: Option<String>,
    pub graph_size_type_index: Option<String>,
    pub data_store_version: Option<String>,
    pub arch: Option<String>,
    pub status: Option<String>,
    pub start_timestamp: i64,
    pub start_time: Option<String>,
    pub end_timestamp: i64,
    pub end_time: Option<String>,
    pub size: i64,
    pub duration: i64,
    pub encrypted: i8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CList {
    pub id: String,
    pub total_count: i64,
    pub backups: Vec<CBackup>,
}

impl CList {
    pub fn ids(&self) -> Vec<String> {
        self.backups.iter().map(|b| b.id.clone().unwrap()).collect()
    }
}

pub struct CClient(*mut GesClient);

// The C ABI promises a GesClient may be shared across threads.
unsafe impl Send for CClient {}
unsafe impl Sync for CClient {}

impl Drop for CClient {
    fn drop(&mut self) {
        unsafe { ges_client_free(self.0) }
    }
}

/// How many backups a listing of everything returns, on a new client for `config`.
pub fn backups_listed(config: &Value) -> usize {
    CClient::new(config)
        .unwrap()
        .list(&json!({}))
        .unwrap()
        .backups
        .len()
}

pub fn c_string(s: &str) -> CString {
    CString::new(s).unwrap()
}

impl CClient {
    pub fn new(config: &Value) -> Result<CClient, CError> {
        let json = c_string(&config.to_string());
        let mut out: *mut GesClient = ptr::dangling_mut();
        let err = unsafe { ges_client_new(json.as_ptr(), &mut out) };
        match take_error(err) {
            Some(e) => {
                assert!(out.is_null(), "no partial result on error");
                Err(e)
            }
            None => {
                assert!(!out.is_null());
                Ok(CClient(out))
            }
        }
    }

    pub fn raw(&self) -> *const GesClient {
        self.0
    }

    pub fn list(&self, query: &Value) -> Result<CList, CError> {
        list_raw(self.0, &c_string(&query.to_string()))
    }

    pub fn list_json(&self, query: &Value) -> Result<Value, CError> {
        let q = c_string(&query.to_string());
        let mut out: *mut c_char = ptr::dangling_mut();
        let err = unsafe { ges_list_backups_json(self.0, q.as_ptr(), &mut out) };
        if let Some(e) = take_error(err) {
            assert!(out.is_null(), "no partial result on error");
            return Err(e);
        }
        let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
        unsafe { ges_string_free(out) };
        Ok(serde_json::from_str(&text).expect("the result is JSON"))
    }
}

pub fn list_raw(client: *const GesClient, query: &CStr) -> Result<CList, CError> {
    let mut out: *mut GesBackupList = ptr::dangling_mut();
    let err = unsafe { ges_list_backups(client, query.as_ptr(), &mut out) };
    if let Some(e) = take_error(err) {
        assert!(out.is_null(), "no partial result on error");
        return Err(e);
    }
    unsafe {
        let list = &*out;
        let items: &[GesBackup] = if list.len == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(list.items, list.len)
        };
        let backups = items
            .iter()
            .map(|b| CBackup {
                id: opt_string(b.id),
                name: opt_string(b.name),
                backup_method: opt_string(b.backup_method),
                graph_id: opt_string(b.graph_id),
                graph_name: opt_string(b.graph_name),
                graph_status: opt_string(b.graph_status),
                graph_size_type_index: opt_string(b.graph_size_type_index),
                data_store_version: opt_string(b.data_store_version),
                arch: opt_string(b.arch),
                status: opt_string(b.status),
                start_timestamp: b.start_timestamp,
                start_time: opt_string(b.start_time),
                end_timestamp: b.end_timestamp,
                end_time: opt_string(b.end_time),
                size: b.size,
                duration: b.duration,
                encrypted: b.encrypted,
            })
            .collect();
        let copied = CList {
            id: opt_string(list.id).unwrap(),
            total_count: list.total_count,
            backups,
        };
        ges_backup_list_free(out);
        Ok(copied)
    }
}

/// An emulator on loopback with its control API at hand.
pub struct Emu {
    pub emulator: Emulator,
    agent: ureq::Agent,
}

pub fn emulator(config: EmulatorConfig) -> Emu {
    let emulator = Emulator::start(config).expect("emulator starts");
    // The control API is test scaffolding: it need not verify the test's own certificate.
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .disable_verification(true)
                .build(),
        )
        .build()
        .new_agent();
    Emu { emulator, agent }
}

pub fn generated(backups: usize, graphs: usize) -> EmulatorConfig {
    EmulatorConfig {
        dataset: Dataset::Generated {
            backups,
            graphs,
            seed: 7,
        },
        ..EmulatorConfig::default()
    }
}

impl Emu {
    pub fn url(&self) -> &str {
        self.emulator.base_url()
    }

    /// Client config for this emulator with an IAM token (the emulator then checks none).
    pub fn config(&self) -> Value {
        json!({"endpoint": self.url(), "project_id": "demo-project", "auth_token": "demo-token", "max_retries": 3})
    }

    pub fn config_with(&self, extra: Value) -> Value {
        let mut config = self.config();
        for (k, v) in extra.as_object().unwrap() {
            config[k] = v.clone();
        }
        config
    }

    pub fn client(&self, extra: Value) -> CClient {
        CClient::new(&self.config_with(extra)).expect("client")
    }

    pub fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/__emulator/{path}", self.url());
        let response = match (method, body) {
            ("POST", Some(body)) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body.to_string()),
            ("POST", None) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send_empty(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        };
        let mut response = response.expect("control API answers");
        assert!(
            response.status().is_success(),
            "{method} {path}: {}",
            response.status()
        );
        let text = response.body_mut().read_to_string().unwrap();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub fn fault(&self, fault: Value) {
        self.control("POST", "faults", Some(fault));
    }

    pub fn requests(&self) -> u64 {
        self.control("GET", "stats", None)["requests"]
            .as_u64()
            .unwrap()
    }

    /// The emulator's own v1.0 answer for one page, fetched raw (no client involved).
    pub fn raw_page(&self, path: &str) -> Value {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.url()))
            .call()
            .unwrap();
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
    }
}

impl CClient {
    /// A client from raw config text, for malformed JSON.
    pub fn new_raw(config: &str) -> Result<CClient, CError> {
        let json = c_string(config);
        let mut out: *mut GesClient = ptr::dangling_mut();
        match take_error(unsafe { ges_client_new(json.as_ptr(), &mut out) }) {
            Some(e) => {
                assert!(out.is_null());
                Err(e)
            }
            None => Ok(CClient(out)),
        }
    }
}

// ---- Environment variables are only ever set in child processes. ----

const CHILD: &str = "GES_ABI_TEST_CHILD_CONFIG";
/// The test that, in a child, lists with the config it is given (main.rs).
const CHILD_TEST: &str = "child_process";

/// This test binary, run again for `CHILD_TEST` alone with exactly `env` (and
/// `HOME`): lists backups with `config`, and reports the count or the error
/// (`"{kind:?} {status} {code} {message}"`).
pub fn in_child(
    config: &Value,
    home: &std::path::Path,
    env: &[(&str, String)],
) -> Result<u64, String> {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env_clear()
        .env(CHILD, config.to_string())
        .env("HOME", home)
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("CHILD-RESULT ").map(|(_, result)| result))
        .unwrap_or_else(|| {
            panic!(
                "child said nothing: {stdout} {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let result: Value = serde_json::from_str(line).unwrap();
    match result["count"].as_u64() {
        Some(n) => Ok(n),
        None => Err(result["error"].as_str().unwrap().to_string()),
    }
}

/// In a child started by `in_child`: lists with its config and reports.
pub fn child_main() {
    let Ok(config) = std::env::var(CHILD) else {
        return;
    };
    let config: Value = serde_json::from_str(&config).unwrap();
    let result = CClient::new(&config).and_then(|c| c.list(&json!({})));
    let line = match result {
        Ok(list) => json!({"count": list.backups.len()}),
        Err(e) => json!({"error": format!("{:?} {} {} {}", e.kind, e.http_status,
            e.code.as_deref().unwrap_or("-"), e.message)}),
    };
    println!("CHILD-RESULT {line}");
}

/// A scratch directory, removed at the end, with the folders of the CLI's and
/// the SDKs' files (`.hcloud`, `.huaweicloud`) so it can stand for `HOME`.
pub struct Scratch(pub std::path::PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "ges-abi-{name}-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        std::fs::create_dir_all(dir.join(".hcloud")).unwrap();
        std::fs::create_dir_all(dir.join(".huaweicloud")).unwrap();
        Scratch(dir)
    }

    pub fn path(&self, rel: &str) -> String {
        self.0.join(rel).to_str().unwrap().to_string()
    }

    /// Writes `text` at `rel` and gives its path.
    pub fn write(&self, rel: &str, text: &str) -> String {
        std::fs::write(self.0.join(rel), text).unwrap();
        self.path(rel)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
