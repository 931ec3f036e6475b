//! The scripted-fault queue of the control API (`/__emulator/faults`).

use crate::backup::Api;
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
    pub action: Action,
}

fn one() -> u64 {
    1
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
    /// Close the connection without answering.
    Drop,
    /// Full Content-Length, half the body, then close.
    Truncate,
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

/// One byte over the 32 MiB that a careful client refuses to buffer.
pub const DEFAULT_OVERSIZE: usize = 33 * 1024 * 1024 + 1;

pub const MAX_OVERSIZE: usize = 1024 * 1024 * 1024;

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

#[derive(Debug, Default)]
pub struct FaultQueue {
    faults: Vec<Fault>,
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
            match spec.action {
                Action::Status { status, .. } if !(100..=599).contains(&status) => {
                    return Err(format!("invalid fault: status {status} is not 100..=599"));
                }
                // Each answer is built in memory: keep a typo from exhausting it.
                Action::Oversize { bytes } if bytes > MAX_OVERSIZE => {
                    return Err(format!(
                        "invalid fault: oversize bytes {bytes} is over {MAX_OVERSIZE}"
                    ));
                }
                _ => {}
            }
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
    /// lets the request through untouched (and no later fault gets it).
    pub fn take(&mut self, target: &Target<'_>) -> Option<Action> {
        let fault = self
            .faults
            .iter_mut()
            .find(|f| f.remaining != Some(0) && f.spec.matcher.matches(target))?;
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
            {"action": {"type": "slow_body", "ms": 5}},
            {"action": {"type": "oversize"}},
            {"action": {"type": "count_delta", "delta": -1}},
            {"action": {"type": "mutate", "add": 1, "delete": 2}},
            {"action": {"type": "empty_page"}},
            {"action": {"type": "duplicate"}},
        ]);
        assert_eq!(q.push_json(body), Ok(12));
        let listed = q.to_json();
        assert_eq!(listed[1]["action"]["retry_after"], 2);
        assert_eq!(listed[7]["action"]["bytes"], DEFAULT_OVERSIZE);
        assert_eq!(listed[0]["remaining"], 1);
    }

    #[test]
    fn rejects_bad_faults_whole() {
        let mut q = FaultQueue::default();
        assert!(q.push_json(json!({"action": {"type": "explode"}})).is_err());
        assert!(q
            .push_json(json!({"action": {"type": "status", "status": 42}}))
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
            Some(Action::Truncate)
        );
        assert_eq!(
            q.take(&target("/v1.0/p/graphs/g1/backups", 0, Api::V1)),
            Some(Action::Malformed)
        );
        q.clear();
        assert_eq!(q.take(&target(PATH, 20, Api::V1)), None);
    }
}
