//! The scripted-fault queue of the control API (`/__emulator/faults`).

use crate::backup::Api;
use crate::limits::{MAX_DELAY_MS, MAX_FAULTS, MAX_MUTATE_ADD, MAX_OVERSIZE};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A fault as posted: which list requests it matches, how many of them it
/// lets through first, how many it applies to, and what it does.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(default, rename = "match")]
    pub matcher: Matcher,
    #[serde(default)]
    pub after: u64,
    /// 0 means forever.
    #[serde(default = "one")]
    pub times: u64,
    /// The chance (0 to 1) that a matching request is faulted; one that is not
    /// goes on to the later faults. For soak tests: "fail 8% of requests".
    #[serde(default = "certain")]
    pub probability: f64,
    pub action: Action,
}

fn one() -> u64 {
    1
}

impl FaultSpec {
    /// Every number within what the emulator can serve without aborting.
    fn check(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.probability) {
            return Err(format!(
                "probability {} is not between 0 and 1",
                self.probability
            ));
        }
        match self.action {
            // A 1xx is no final answer.
            Action::Status { status, .. } | Action::Echo { status, .. }
                if !(200..=599).contains(&status) =>
            {
                Err(format!("status {status} is not 200..=599"))
            }
            Action::Delay { ms } | Action::SlowBody { ms } if ms > MAX_DELAY_MS => {
                Err(format!("ms {ms} is over {MAX_DELAY_MS}"))
            }
            // Each answer is built in memory.
            Action::Oversize { bytes } if bytes > MAX_OVERSIZE => {
                Err(format!("oversize bytes {bytes} is over {MAX_OVERSIZE}"))
            }
            Action::Mutate { add, .. } if add > MAX_MUTATE_ADD => {
                Err(format!("mutate add {add} is over {MAX_MUTATE_ADD}"))
            }
            // `count_delta` costs nothing: any i64, added with saturation.
            _ => Ok(()),
        }
    }
}

fn certain() -> f64 {
    1.0
}

/// All given fields must match; an empty matcher matches every list request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matcher {
    /// A substring of the request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<Api>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Answer with this status (default body: a GES.7006 error).
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<RetryAfter>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<Value>,
    },
    /// Answer with this status (default 503) and a GES error body that
    /// quotes the request: method, path, query and every header, secrets
    /// included, as a gateway that echoes what it was sent.
    Echo {
        #[serde(default = "default_echo_status")]
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<RetryAfter>,
    },
    /// Close the connection without answering.
    Drop,
    /// The head, then `keep` bytes of the body (default half), then close. The
    /// head announces the full Content-Length, or with `chunked` the body is
    /// chunked and its closing chunk never comes.
    Truncate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep: Option<usize>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        chunked: bool,
    },
    /// 200 with a body that is not JSON.
    Malformed,
    /// Wait, then answer normally.
    Delay { ms: u64 },
    /// Headers at once, the body dribbled out over `ms`.
    SlowBody { ms: u64 },
    /// A valid answer padded with spaces to `bytes`.
    Oversize {
        #[serde(default = "default_oversize")]
        bytes: usize,
    },
    /// The count in the answer is off by `delta`.
    CountDelta { delta: i64 },
    /// Delete the `delete` backups that sort first, add `add` newer ones, answer.
    Mutate {
        #[serde(default)]
        add: usize,
        #[serde(default)]
        delete: usize,
    },
    /// The true count with an empty list.
    EmptyPage,
    /// The page's first backup replaced by the one just before the page.
    Duplicate,
}

fn default_echo_status() -> u16 {
    503
}

/// One byte over the 32 MiB that a careful client refuses to buffer.
pub const DEFAULT_OVERSIZE: usize = 33 * 1024 * 1024 + 1;

fn default_oversize() -> usize {
    DEFAULT_OVERSIZE
}

/// `Retry-After` as given: seconds or an HTTP date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RetryAfter {
    Seconds(u64),
    Text(String),
}

impl RetryAfter {
    pub fn header_value(&self) -> String {
        match self {
            RetryAfter::Seconds(s) => s.to_string(),
            RetryAfter::Text(t) => t.clone(),
        }
    }
}

/// What a list request is matched on.
pub struct Target<'a> {
    pub path: &'a str,
    pub offset: u64,
    pub api: Api,
}

impl Matcher {
    fn matches(&self, t: &Target<'_>) -> bool {
        self.path.as_deref().is_none_or(|p| t.path.contains(p))
            && self.offset.is_none_or(|o| o == t.offset)
            && self.api.is_none_or(|a| a == t.api)
    }
}

#[derive(Debug, Clone)]
struct Fault {
    spec: FaultSpec,
    after_left: u64,
    /// `None`: forever.
    remaining: Option<u64>,
    applied: u64,
}

#[derive(Debug)]
pub struct FaultQueue {
    faults: Vec<Fault>,
    /// For `probability`; seeded, so that one client's sequence of requests
    /// meets the same faults on every run.
    rng: fastrand::Rng,
}

const FAULT_SEED: u64 = 0xFA17;

impl Default for FaultQueue {
    fn default() -> Self {
        FaultQueue {
            faults: Vec::new(),
            rng: fastrand::Rng::with_seed(FAULT_SEED),
        }
    }
}

impl FaultQueue {
    /// Parses one fault or an array of them and appends them all, or none
    /// when any is invalid.
    pub fn push_json(&mut self, body: Value) -> Result<usize, String> {
        let specs: Vec<FaultSpec> = match body {
            Value::Array(_) => serde_json::from_value(body),
            _ => serde_json::from_value(body).map(|one| vec![one]),
        }
        .map_err(|e| format!("invalid fault: {e}"))?;
        for spec in &specs {
            spec.check().map_err(|e| format!("invalid fault: {e}"))?;
        }
        if self.faults.len() + specs.len() > MAX_FAULTS {
            return Err(format!(
                "invalid fault: the queue holds at most {MAX_FAULTS} faults (DELETE /__emulator/faults empties it)"
            ));
        }
        let added = specs.len();
        self.faults.extend(specs.into_iter().map(|spec| Fault {
            after_left: spec.after,
            remaining: (spec.times > 0).then_some(spec.times),
            applied: 0,
            spec,
        }));
        Ok(added)
    }

    /// The action for this request, if any. The first fault in queue order
    /// that matches and has uses left decides: while its `after` lasts it
    /// lets the request through untouched (and no later fault gets it); then
    /// it applies with its `probability`, and when the dice say no, the next
    /// matching fault decides.
    pub fn take(&mut self, target: &Target<'_>) -> Option<Action> {
        let rng = &mut self.rng;
        let fault = self
            .faults
            .iter_mut()
            .filter(|f| f.remaining != Some(0) && f.spec.matcher.matches(target))
            .find(|f| {
                f.after_left > 0 || f.spec.probability >= 1.0 || rng.f64() < f.spec.probability
            })?;
        if fault.after_left > 0 {
            fault.after_left -= 1;
            return None;
        }
        if let Some(left) = fault.remaining.as_mut() {
            *left -= 1;
        }
        fault.applied += 1;
        Some(fault.spec.action.clone())
    }

    pub fn clear(&mut self) {
        self.faults.clear();
        self.rng = fastrand::Rng::with_seed(FAULT_SEED);
    }

    /// The queue as JSON, with what is left of each fault.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.faults
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "match": f.spec.matcher,
                        "after": f.after_left,
                        "times": f.spec.times,
                        "probability": f.spec.probability,
                        "remaining": f.remaining,
                        "applied": f.applied,
                        "action": f.spec.action,
                    })
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(path: &str, offset: u64, api: Api) -> Target<'_> {
        Target { path, offset, api }
    }

    const PATH: &str = "/v1.0/p/graphs/backups";

    #[test]
    fn parses_every_action() {
        let mut q = FaultQueue::default();
        let body = json!([
            {"action": {"type": "status", "status": 503, "retry_after": "1"}},
            {"action": {"type": "status", "status": 429, "retry_after": 2, "body": {"x": 1}}},
            {"action": {"type": "drop"}},
            {"action": {"type": "truncate"}},
            {"action": {"type": "malformed"}},
            {"action": {"type": "delay", "ms": 5}},
            {"action": {"type": "truncate", "keep": 0, "chunked": true}},
            {"action": {"type": "slow_body", "ms": 5}},
            {"action": {"type": "oversize"}},
            {"action": {"type": "count_delta", "delta": -1}},
            {"action": {"type": "mutate", "add": 1, "delete": 2}},
            {"action": {"type": "empty_page"}},
            {"action": {"type": "duplicate"}},
            {"action": {"type": "echo"}},
        ]);
        assert_eq!(q.push_json(body), Ok(14));
        let listed = q.to_json();
        assert_eq!(listed[1]["action"]["retry_after"], 2);
        assert_eq!(listed[8]["action"]["bytes"], DEFAULT_OVERSIZE);
        assert_eq!(listed[3]["action"], json!({"type": "truncate"}));
        assert_eq!(
            listed[6]["action"],
            json!({"type": "truncate", "keep": 0, "chunked": true})
        );
        assert_eq!(listed[0]["remaining"], 1);
        assert_eq!(listed[13]["action"], json!({"type": "echo", "status": 503}));
    }

    #[test]
    fn rejects_bad_faults_whole() {
        let mut q = FaultQueue::default();
        assert!(q.push_json(json!({"action": {"type": "explode"}})).is_err());
        assert!(q
            .push_json(json!({"action": {"type": "status", "status": 42}}))
            .is_err());
        assert!(q
            .push_json(json!({"action": {"type": "echo", "status": 600}}))
            .is_err());
        assert!(q
            .push_json(json!([{"action": {"type": "drop"}}, {"action": {"type": "delay"}}]))
            .is_err());
        assert!(q
            .push_json(json!({"match": {"api": "v3"}, "action": {"type": "drop"}}))
            .is_err());
        assert!(q
            .push_json(json!({"action": {"type": "oversize", "bytes": MAX_OVERSIZE + 1}}))
            .is_err());
        assert_eq!(q.to_json(), json!([]));
    }

    #[test]
    fn after_times_and_queue_order() {
        let mut q = FaultQueue::default();
        q.push_json(json!([
            {"after": 1, "times": 2, "action": {"type": "drop"}},
            {"action": {"type": "malformed"}},
        ]))
        .unwrap();
        let t = target(PATH, 0, Api::V1);
        assert_eq!(q.take(&t), None, "after: first one through");
        assert_eq!(q.take(&t), Some(Action::Drop));
        assert_eq!(q.take(&t), Some(Action::Drop));
        assert_eq!(q.take(&t), Some(Action::Malformed));
        assert_eq!(q.take(&t), None);
        assert_eq!(q.to_json()[0]["applied"], 2);
        assert_eq!(q.to_json()[0]["remaining"], 0);
    }

    #[test]
    fn times_zero_is_forever() {
        let mut q = FaultQueue::default();
        q.push_json(json!({"times": 0, "action": {"type": "empty_page"}}))
            .unwrap();
        let t = target(PATH, 0, Api::V1);
        for _ in 0..50 {
            assert_eq!(q.take(&t), Some(Action::EmptyPage));
        }
        assert_eq!(q.to_json()[0]["remaining"], Value::Null);
    }

    #[test]
    fn probability_faults_some_requests_and_passes_the_rest_on() {
        let mut q = FaultQueue::default();
        q.push_json(json!([
            {"times": 0, "probability": 0.25, "action": {"type": "drop"}},
            {"times": 0, "probability": 0.5, "action": {"type": "malformed"}},
        ]))
        .unwrap();
        let t = target(PATH, 0, Api::V1);
        let taken: Vec<Option<Action>> = (0..4000).map(|_| q.take(&t)).collect();
        let count = |a: Option<Action>| taken.iter().filter(|&t| *t == a).count() as f64;
        // 25% dropped; half of the other 75% malformed; the rest untouched.
        assert!((count(Some(Action::Drop)) / 4000.0 - 0.25).abs() < 0.03);
        assert!((count(Some(Action::Malformed)) / 4000.0 - 0.375).abs() < 0.03);
        assert!((count(None) / 4000.0 - 0.375).abs() < 0.03);
        assert_eq!(q.to_json()[0]["probability"], 0.25);

        // Seeded: after a clear, the same requests meet the same faults.
        q.clear();
        q.push_json(json!([
            {"times": 0, "probability": 0.25, "action": {"type": "drop"}},
            {"times": 0, "probability": 0.5, "action": {"type": "malformed"}},
        ]))
        .unwrap();
        let again: Vec<Option<Action>> = (0..4000).map(|_| q.take(&t)).collect();
        assert_eq!(taken, again);
    }

    #[test]
    fn probability_must_be_a_chance() {
        let mut q = FaultQueue::default();
        for p in [json!(-0.1), json!(1.5), json!("half")] {
            assert!(q
                .push_json(json!({"probability": p, "action": {"type": "drop"}}))
                .is_err());
        }
        let t = target(PATH, 0, Api::V1);
        q.push_json(json!({"times": 0, "probability": 0, "action": {"type": "drop"}}))
            .unwrap();
        assert!((0..100).all(|_| q.take(&t).is_none()), "0 never applies");
    }

    #[test]
    fn matchers() {
        let mut q = FaultQueue::default();
        q.push_json(json!([
            {"match": {"offset": 20}, "action": {"type": "drop"}},
            {"match": {"api": "v2"}, "action": {"type": "truncate"}},
            {"match": {"path": "/graphs/g1/"}, "action": {"type": "malformed"}},
        ]))
        .unwrap();
        assert_eq!(q.take(&target(PATH, 10, Api::V1)), None);
        assert_eq!(q.take(&target(PATH, 20, Api::V1)), Some(Action::Drop));
        assert_eq!(
            q.take(&target("/v2/p/graphs/backups", 0, Api::V2)),
            Some(Action::Truncate {
                keep: None,
                chunked: false
            })
        );
        assert_eq!(
            q.take(&target("/v1.0/p/graphs/g1/backups", 0, Api::V1)),
            Some(Action::Malformed)
        );
        q.clear();
        assert_eq!(q.take(&target(PATH, 20, Api::V1)), None);
    }
}
