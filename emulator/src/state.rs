//! The emulator's mutable world (backups, faults, counters, clock) and the
//! fixed settings beside it.

use crate::auth::Auth;
use crate::backup::{self, Backup};
use crate::cloud::Cloud;
use crate::faults::FaultQueue;
use crate::generate::{self, Graph, Rng};
use crate::limits::MAX_BACKUPS;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// About 50 years either way: further back would fall before 1970, which
/// `Date` cannot express.
pub const MAX_CLOCK_OFFSET_S: u64 = 50 * 365 * 86_400;

/// Shared by every connection. The one `Mutex` is fine for a test server;
/// it is never held across an `.await`.
pub struct App {
    pub project_id: String,
    pub auth: Auth,
    pub latency: Duration,
    /// The services around GES: IAM, the metadata service (`cloud.rs`).
    pub cloud: Cloud,
    /// TCP connections: accepted in all, open now, and the most open at once
    /// (since the start or the last reset), for tests of a client's bounds.
    pub connections: ConnectionCounts,
    state: Mutex<State>,
}

#[derive(Default)]
pub struct ConnectionCounts {
    pub accepted: AtomicU64,
    pub open: AtomicU64,
    pub peak: AtomicU64,
}

impl ConnectionCounts {
    pub fn opened(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
        let open = self.open.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(open, Ordering::Relaxed);
    }

    pub fn closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn reset(&self) {
        self.accepted.store(0, Ordering::Relaxed);
        self.peak
            .store(self.open.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

impl App {
    pub fn new(project_id: String, auth: Auth, latency: Duration, state: State) -> App {
        App {
            cloud: Cloud::new(&project_id),
            project_id,
            auth,
            latency,
            connections: ConnectionCounts::default(),
            state: Mutex::new(state),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking handler must not take the whole emulator down with it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub struct State {
    /// Always in API order (see `backup::sort`).
    pub backups: Vec<Backup>,
    pub faults: FaultQueue,
    /// List requests received, faulted or not.
    pub requests: u64,
    pub clock_offset_s: i64,
    /// Text of the backups posted since the start or the last reset, in bytes
    /// (see `limits::MAX_POSTED_BYTES`).
    pub posted_bytes: usize,
    rng: Rng,
    initial: Initial,
}

/// What `reset` goes back to.
struct Initial {
    backups: Vec<Backup>,
    clock_offset_s: i64,
    seed: u64,
}

impl State {
    pub fn new(backups: Vec<Backup>, clock_offset_s: i64, seed: u64) -> State {
        let mut backups = backups;
        backup::sort(&mut backups);
        State {
            backups: backups.clone(),
            faults: FaultQueue::default(),
            requests: 0,
            clock_offset_s,
            posted_bytes: 0,
            // Offset from the dataset's seed so that added backups differ from it.
            rng: Rng::new(seed ^ 0x5EED),
            initial: Initial {
                backups,
                clock_offset_s,
                seed,
            },
        }
    }

    /// Whether an offset keeps the clock within what HTTP dates can show.
    pub fn valid_offset(offset_s: i64) -> bool {
        offset_s.unsigned_abs() <= MAX_CLOCK_OFFSET_S
    }

    /// The emulator's clock: real time shifted by the offset.
    pub fn now(&self) -> SystemTime {
        let shift = Duration::from_secs(self.clock_offset_s.unsigned_abs());
        if self.clock_offset_s >= 0 {
            SystemTime::now() + shift
        } else {
            SystemTime::now() - shift
        }
    }

    pub fn reset(&mut self) {
        let fresh = State::new(
            self.initial.backups.clone(),
            self.initial.clock_offset_s,
            self.initial.seed,
        );
        *self = fresh;
    }

    /// Adds backups; one with an id already present replaces that one.
    pub fn add(&mut self, added: Vec<Backup>) {
        let mut index: HashMap<String, usize> = (self.backups.iter().enumerate())
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        for b in added {
            match index.get(&b.id) {
                Some(&i) => self.backups[i] = b,
                None => {
                    index.insert(b.id.clone(), self.backups.len());
                    self.backups.push(b);
                }
            }
        }
        backup::sort(&mut self.backups);
    }

    /// Adds `count` generated backups newer than every backup in the view of
    /// `graph_id` (all graphs when `None`).
    pub fn add_generated(&mut self, count: usize, graph_id: Option<&str>) {
        let graph = self.graph_for(graph_id);
        self.add_to_graph(&graph, count);
    }

    /// Adds at most as many as keep the total within `MAX_BACKUPS`.
    fn add_to_graph(&mut self, graph: &Graph, count: usize) {
        let count = count.min(MAX_BACKUPS.saturating_sub(self.backups.len()));
        let newest = self
            .backups
            .iter()
            .map(|b| b.start_timestamp)
            .max()
            .unwrap_or(0);
        let added = generate::newer_than(&mut self.rng, graph, newest, count);
        self.add(added);
    }

    fn graph_for(&mut self, graph_id: Option<&str>) -> Graph {
        let known = |b: &&Backup| graph_id.is_none_or(|g| b.graph_id == g);
        let candidates: Vec<&Backup> = self.backups.iter().filter(known).collect();
        if candidates.is_empty() {
            let mut graph = Graph::random(&mut self.rng, 0);
            if let Some(id) = graph_id {
                graph.id = id.to_string();
            }
            return graph;
        }
        let picked: &&Backup = self.rng.pick(&candidates);
        Graph::of(picked)
    }

    pub fn delete(&mut self, id: &str) -> bool {
        let before = self.backups.len();
        self.backups.retain(|b| b.id != id);
        self.backups.len() != before
    }

    /// The `mutate` fault: the `delete` backups that sort first in the view go,
    /// then `add` new ones arrive on top of it.
    pub fn mutate(&mut self, add: usize, delete: usize, graph_id: Option<&str>) {
        // Picked first: the deletions may remove the graph's last backup.
        let graph = self.graph_for(graph_id);
        let doomed: Vec<String> = self
            .view(graph_id)
            .take(delete)
            .map(|b| b.id.clone())
            .collect();
        self.backups.retain(|b| !doomed.contains(&b.id));
        self.add_to_graph(&graph, add);
    }

    /// The backups a request sees, in API order.
    pub fn view<'a>(&'a self, graph_id: Option<&'a str>) -> impl Iterator<Item = &'a Backup> {
        self.backups
            .iter()
            .filter(move |b| graph_id.is_none_or(|g| b.graph_id == g))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(state: &State) -> Vec<String> {
        state.backups.iter().map(|b| b.id.clone()).collect()
    }

    #[test]
    fn mutate_deletes_the_first_then_adds_on_top() {
        let mut state = State::new(backup::samples(), 0, 1);
        let before = ids(&state);
        state.mutate(2, 1, None);
        let after = ids(&state);
        assert_eq!(after.len(), 4);
        assert!(!after.contains(&before[0]));
        assert_eq!(&after[2..], &before[1..]);
        assert!(state.backups[0].start_timestamp > state.backups[2].start_timestamp);
    }

    #[test]
    fn per_graph_mutate_stays_in_the_graph() {
        let mut state = State::new(backup::samples(), 0, 1);
        let graph = "9b9a05c2-0cdb-41ac-b55f-93caffb0519a";
        state.mutate(1, 1, Some(graph));
        let in_graph: Vec<&Backup> = state.view(Some(graph)).collect();
        assert_eq!(in_graph.len(), 1);
        assert_eq!(in_graph[0].graph_name, "ges060802_nodelete");
        assert_ne!(in_graph[0].id, "604bfb46-04dd-45fc-a9ae-df24a0705b9d");
        assert_eq!(state.backups.len(), 3);
    }

    #[test]
    fn reset_restores_everything() {
        let mut state = State::new(backup::samples(), 30, 1);
        state.delete("7ed3f51d-816d-4651-9129-fe21b64b5c91");
        state.add_generated(5, None);
        state.requests = 9;
        state.clock_offset_s = -4000;
        state.reset();
        assert_eq!(state.backups, backup::samples());
        assert_eq!(state.requests, 0);
        assert_eq!(state.clock_offset_s, 30);
    }

    #[test]
    fn add_replaces_same_id() {
        let mut state = State::new(backup::samples(), 0, 1);
        let mut changed = state.backups[1].clone();
        changed.size = 99;
        state.add(vec![changed]);
        assert_eq!(state.backups.len(), 3);
        assert_eq!(state.backups[1].size, 99);
    }

    #[test]
    fn clock_offset_shifts_now() {
        let mut state = State::new(Vec::new(), 3600, 1);
        let ahead = state.now().duration_since(SystemTime::now()).unwrap();
        assert!(ahead > Duration::from_secs(3590));
        state.clock_offset_s = -3600;
        assert!(SystemTime::now().duration_since(state.now()).unwrap() > Duration::from_secs(3590));
    }
}
