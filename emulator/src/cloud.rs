//! The Huawei Cloud world around GES, as the emulator plays it: the projects
//! of each region, the metadata service's settings, and counters of the calls
//! made to them. Data only: the handlers are in `iam` and `workload`, their
//! control API in `cloud_control`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The services' settings and counters.
pub struct Cloud {
    state: Mutex<CloudState>,
}

pub struct CloudState {
    /// Regions set through the control API; any other region has one project,
    /// the emulator's `project_id`.
    pub projects: HashMap<String, Vec<String>>,
    pub default_project: String,
    pub metadata: MetadataSettings,
    /// Session tokens the metadata service handed out, the newest last.
    pub session_tokens: Vec<String>,
    pub counters: Counters,
}

pub struct MetadataSettings {
    pub lifetime: Duration,
    pub require_token: bool,
    pub available: bool,
}

/// Calls received, whatever their answer.
#[derive(Default)]
pub struct Counters {
    /// `GET /v3/projects`.
    pub iam_requests: u64,
    pub metadata_token_requests: u64,
    pub metadata_security_key_requests: u64,
}

impl Cloud {
    pub fn new(default_project: &str) -> Cloud {
        Cloud {
            state: Mutex::new(CloudState {
                projects: HashMap::new(),
                default_project: default_project.to_string(),
                metadata: MetadataSettings {
                    lifetime: Duration::from_secs(3600),
                    require_token: true,
                    available: true,
                },
                session_tokens: Vec::new(),
                counters: Counters::default(),
            }),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, CloudState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
