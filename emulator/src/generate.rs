//! Deterministic, realistic-looking backups for `--backups N` and for the
//! control API's `generate` and the `mutate` fault.

use crate::backup::{self, Backup};
use crate::limits::MAX_TIMESTAMP_MS;
use ges_signing::format_sdk_date;
use std::time::{Duration, UNIX_EPOCH};

/// SplitMix64. Hand-rolled on purpose: the same seed must give byte-identical
/// data on every platform and with every dependency version, which a general
/// RNG crate does not promise.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A version-4-looking UUID.
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            8 + (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// The graph fields a backup repeats.
#[derive(Debug, Clone)]
pub struct Graph {
    pub id: String,
    pub name: String,
    pub status: String,
    pub size_type_index: String,
    pub data_store_version: String,
    pub arch: String,
}

const TOPICS: &[&str] = &[
    "social", "fraud", "movies", "supply", "risk", "routes", "recsys", "kg",
];
const VERSIONS: &[&str] = &["2.2.21", "2.2.23", "2.3.10", "2.3.12"];

impl Graph {
    pub fn random(rng: &mut Rng, index: usize) -> Graph {
        Graph {
            id: rng.uuid(),
            name: format!("ges_{}_{:02}", rng.pick(TOPICS), index + 1),
            // "200" is a running graph; "400" a stopped one, as in the samples.
            status: if rng.below(5) == 0 { "400" } else { "200" }.to_string(),
            size_type_index: rng.below(5).to_string(),
            data_store_version: rng.pick(VERSIONS).to_string(),
            arch: if rng.below(4) == 0 {
                "aarch64"
            } else {
                "x86_64"
            }
            .to_string(),
        }
    }

    /// The graph a backup belongs to, as that backup tells it.
    pub fn of(b: &Backup) -> Graph {
        Graph {
            id: b.graph_id.clone(),
            name: b.graph_name.clone(),
            status: b.graph_status.clone(),
            size_type_index: b.graph_size_type_index.clone(),
            data_store_version: b.data_store_version.clone(),
            arch: b.arch.clone(),
        }
    }
}

/// Newest generated backup starts here (2024-06-01T00:00:00Z), not at "now",
/// so that generated data does not depend on when it was made.
const NEWEST_MS: i64 = 1_717_200_000_000;

/// `count` backups spread over `graphs` graphs (at least one), newest first.
pub fn dataset(count: usize, graphs: usize, seed: u64) -> Vec<Backup> {
    let mut rng = Rng::new(seed);
    let graphs: Vec<Graph> = (0..graphs.max(1))
        .map(|i| Graph::random(&mut rng, i))
        .collect();
    let mut start_ms = NEWEST_MS;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let graph = rng.pick(&graphs).clone();
        // Only the very newest backup may still be running.
        let running = i == 0 && rng.below(2) == 0;
        out.push(backup_at(&mut rng, &graph, start_ms, running));
        start_ms -= rng.range(600, 12 * 3600) * 1000;
    }
    backup::sort(&mut out);
    out
}

/// `count` finished backups of `graph`, all newer than `after_ms`, one minute apart.
pub fn newer_than(rng: &mut Rng, graph: &Graph, after_ms: i64, count: usize) -> Vec<Backup> {
    (1..=count as i64)
        // Clamped: a posted backup may already sit at the end of time.
        .map(|k| {
            let start_ms = after_ms.saturating_add(k.saturating_mul(60_000));
            backup_at(rng, graph, start_ms.min(MAX_TIMESTAMP_MS), false)
        })
        .collect()
}

fn backup_at(rng: &mut Rng, graph: &Graph, start_ms: i64, running: bool) -> Backup {
    let auto = rng.below(5) < 3;
    let status = if running {
        "backing_up"
    } else if rng.below(10) == 0 {
        "failed"
    } else {
        "success"
    };
    let (size, duration) = match status {
        "success" => {
            // Sizes from 1 MB to 16 GB, small ones more likely.
            let magnitude = rng.below(15);
            let size = 1 + rng.below(1 << magnitude) as i64;
            (size, size / 40 + rng.range(0, 120))
        }
        "failed" => (0, rng.range(1, 300)),
        _ => (0, 0),
    };
    let end_ms = start_ms
        .saturating_add(duration * 1000)
        .min(MAX_TIMESTAMP_MS);
    let stamp = compact_time(start_ms);
    let name = if auto {
        format!("{}_{stamp}_auto", graph.name)
    } else {
        format!("{}-{stamp}", graph.name)
    };
    Backup {
        id: rng.uuid(),
        name,
        backup_method: if auto { "auto" } else { "manual" }.to_string(),
        graph_id: graph.id.clone(),
        graph_name: graph.name.clone(),
        graph_status: graph.status.clone(),
        graph_size_type_index: graph.size_type_index.clone(),
        data_store_version: graph.data_store_version.clone(),
        arch: graph.arch.clone(),
        status: status.to_string(),
        start_timestamp: start_ms,
        start_time: api_time(start_ms),
        end_timestamp: end_ms,
        end_time: api_time(end_ms),
        size,
        duration,
        encrypted: match rng.below(3) {
            0 => Some(true),
            1 => Some(false),
            _ => None,
        },
    }
}

/// `YYYYMMDDHHMMSS` (UTC), as in the API's backup names.
fn compact_time(ms: i64) -> String {
    let ms = ms.clamp(0, MAX_TIMESTAMP_MS) as u64;
    let sdk = format_sdk_date(UNIX_EPOCH + Duration::from_millis(ms));
    sdk.replace(['T', 'Z'], "")
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC), as in the API's `startTime`/`endTime`.
pub fn api_time(ms: i64) -> String {
    let c = compact_time(ms);
    format!(
        "{}-{}-{}T{}:{}:{}",
        &c[0..4],
        &c[4..6],
        &c[6..8],
        &c[8..10],
        &c[10..12],
        &c[12..14]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::{Answer, Api};
    use std::collections::HashSet;

    #[test]
    fn times_match_the_samples_format() {
        // The first sample: 1623160513000 is 2021-06-08T13:55:13.
        assert_eq!(api_time(1_623_160_513_000), "2021-06-08T13:55:13");
        assert_eq!(compact_time(1_623_160_513_000), "20210608135513");
        assert_eq!(api_time(NEWEST_MS), "2024-06-01T00:00:00");
    }

    #[test]
    fn same_arguments_same_bytes() {
        let bytes = |seed| {
            let data = dataset(500, 4, seed);
            Answer {
                api: Api::V1,
                count: data.len() as i64,
                page: &data,
            }
            .to_bytes()
        };
        assert_eq!(bytes(1), bytes(1));
        assert_ne!(bytes(1), bytes(2));
    }

    #[test]
    fn data_looks_like_the_api() {
        let data = dataset(300, 4, 7);
        assert_eq!(data.len(), 300);
        let ids: HashSet<&str> = data.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids.len(), 300, "ids are unique");
        let graphs: HashSet<&str> = data.iter().map(|b| b.graph_id.as_str()).collect();
        assert!(graphs.len() <= 4 && graphs.len() >= 2);
        assert!(data
            .windows(2)
            .all(|w| w[0].start_timestamp > w[1].start_timestamp));
        for b in &data {
            assert_eq!(b.id.len(), 36);
            assert_eq!(b.start_time, api_time(b.start_timestamp));
            assert_eq!(b.end_timestamp, b.start_timestamp + b.duration * 1000);
            assert!(["auto", "manual"].contains(&b.backup_method.as_str()));
            assert!(["success", "failed", "backing_up"].contains(&b.status.as_str()));
            assert!(b.name.starts_with(&b.graph_name));
        }
        let encrypted: HashSet<Option<bool>> = data.iter().map(|b| b.encrypted).collect();
        assert_eq!(encrypted.len(), 3, "true, false and absent all occur");
    }

    #[test]
    fn newer_than_sorts_first() {
        let mut rng = Rng::new(3);
        let graph = Graph::random(&mut rng, 0);
        let added = newer_than(&mut rng, &graph, 1_000, 2);
        assert_eq!(added[0].start_timestamp, 61_000);
        assert_eq!(added[1].start_timestamp, 121_000);
        assert!(added.iter().all(|b| b.graph_id == graph.id));
    }
}
