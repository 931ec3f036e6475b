//! W3: one in-memory answer decoded and converted to a `GesBackupList`, as
//! `ges_list_backups` does it, against a plain serde_json decode of the same
//! answer into owned Rust structs. Rounds alternate the two so that both see
//! the same machine; time is the thread's CPU time, so "per core" is literal.

use crate::cpu;
use ges_backups::ffi::{decode_answer_to_c_list, ges_backup_list_free};
use serde::Deserialize;
use std::time::Duration;

/// The baseline: the v1.0 shape as plain owned structs, nothing tolerant.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // decoded to be measured, never read
struct PlainAnswer {
    backup_count: i64,
    backup_list: Vec<PlainBackup>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainBackup {
    id: String,
    name: String,
    backup_method: String,
    graph_id: String,
    graph_name: String,
    graph_status: String,
    graph_size_type_index: String,
    data_store_version: String,
    arch: String,
    status: String,
    start_timestamp: i64,
    start_time: String,
    end_timestamp: i64,
    end_time: String,
    size: i64,
    duration: i64,
    #[serde(default)]
    encrypted: Option<bool>,
}

/// Backups in the answer, checked the same way by both contenders.
fn ours(body: &[u8]) -> usize {
    let list = decode_answer_to_c_list(body).expect("the answer decodes");
    // SAFETY: a live list from the library, freed once.
    let len = unsafe { (*list).len };
    unsafe { ges_backup_list_free(list) };
    len
}

fn plain(body: &[u8]) -> usize {
    let answer: PlainAnswer = serde_json::from_slice(body).expect("the answer decodes");
    answer.backup_list.len()
}

#[derive(serde::Serialize)]
pub struct Report {
    pub backups: usize,
    pub answer_bytes: usize,
    pub rounds: usize,
    /// Backups per second per core, one figure per round.
    pub ours: Vec<f64>,
    pub serde_owned: Vec<f64>,
}

/// Backups per CPU-second of `f` over at least `budget` of this thread's CPU time.
fn rate(body: &[u8], f: fn(&[u8]) -> usize, budget: Duration) -> f64 {
    let start = cpu::thread();
    let (mut backups, mut spent) = (0usize, Duration::ZERO);
    while spent < budget {
        backups += std::hint::black_box(f(std::hint::black_box(body)));
        spent = cpu::thread() - start;
    }
    backups as f64 / spent.as_secs_f64()
}

pub fn run(body: &[u8], rounds: usize, budget: Duration) -> Report {
    let backups = ours(body);
    assert_eq!(backups, plain(body), "both decode every backup");
    let (mut ours_rates, mut plain_rates) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        ours_rates.push(rate(body, ours, budget));
        plain_rates.push(rate(body, plain, budget));
    }
    Report {
        backups,
        answer_bytes: body.len(),
        rounds,
        ours: ours_rates,
        serde_owned: plain_rates,
    }
}

/// A fixed number of decodes of one contender, for `valgrind --tool=callgrind`.
pub fn repeat(body: &[u8], contender: &str, iterations: usize) -> usize {
    let f = match contender {
        "ours" => ours,
        "serde_owned" => plain,
        other => panic!("no contender {other:?}: ours or serde_owned"),
    };
    (0..iterations).map(|_| std::hint::black_box(f(body))).sum()
}
