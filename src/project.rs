//! The project the graphs belong to: given by the config, or looked up once in
//! IAM from the region, with the client's own credentials:
//! `GET {iam_endpoint}/v3/projects?name={region}`, signed like every request
//! (the official SDKs' KeystoneListProjects).

use crate::api::check_id;
use crate::call::Call;
use crate::error::Error;
use crate::log::LogLevel;
use crate::net::target::Target;
use crate::transport::{Request, Transport};
use std::sync::{Arc, Mutex};

/// IAM's answer is read for its project ids only.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

pub(crate) struct Project {
    /// Known from the config, or once looked up. Held during the lookup, so
    /// that concurrent first calls make one.
    known: Mutex<Option<Arc<str>>>,
    lookup: Option<Lookup>,
}

/// Where and what to look up when the config gives no project.
pub(crate) struct Lookup {
    pub iam: Target,
    pub region: String,
}

impl Project {
    pub fn new(known: Option<String>, lookup: Option<Lookup>) -> Project {
        Project {
            known: Mutex::new(known.map(Arc::from)),
            lookup,
        }
    }

    /// The project id, looked up in IAM at the first call when not known.
    pub fn id(&self, transport: &Transport, call: &Call) -> Result<Arc<str>, Error> {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = known.as_ref() {
            return Ok(id.clone());
        }
        let Some(lookup) = &self.lookup else {
            return Err(Error::invalid(
                "config: \"project_id\" is required, or \"region\" to look it up",
            ));
        };
        // The lookup's log lines wait until the lock is released: a log
        // callback may use the client, and would wait for this lock for ever.
        let (quiet, held) = call.holding_log_lines();
        let looked_up = lookup.project_id(transport, &quiet);
        // A failed lookup is not kept: the next call tries again.
        let id = looked_up.map(Arc::<str>::from);
        if let Ok(id) = &id {
            *known = Some(id.clone());
        }
        drop(known);
        held.release(&call.log);
        id
    }
}

impl Lookup {
    fn project_id(&self, transport: &Transport, call: &Call) -> Result<String, Error> {
        let (iam, region) = (&self.iam, &self.region);
        let query = [("name".to_string(), region.clone())];
        let request = Request {
            target: iam,
            path: "/v3/projects",
            query: &query,
            project_id: None,
            body_limit: MAX_ANSWER_BYTES,
        };
        let body = transport.get(call, &request).map_err(|mut e| {
            e.message = format!(
                "looking up the project of region {region:?} in IAM ({}) failed: {}",
                iam.shown, e.message
            );
            e
        })?;
        let answer: serde_json::Value = serde_json::from_slice(&body).map_err(|_| {
            Error::decode(format!(
                "IAM ({}) answered the project lookup with a body that is not JSON",
                iam.shown
            ))
        })?;
        let ids: Vec<&str> = answer
            .get("projects")
            .and_then(|p| p.as_array())
            .ok_or_else(|| {
                Error::decode(format!(
                    "IAM ({}) answered the project lookup without a \"projects\" list",
                    iam.shown
                ))
            })?
            .iter()
            // Keystone filters by name already; an IAM that did not must not confuse us.
            .filter(|p| p.get("name").and_then(|n| n.as_str()) == Some(region.as_str()))
            .filter_map(|p| p.get("id").and_then(|id| id.as_str()))
            .collect();
        let id = match ids.as_slice() {
            [id] => id.to_string(),
            [] => {
                return Err(Error::invalid(format!(
                    "IAM ({}) has no project named {region:?} for these credentials: \
                     check \"region\", or set \"project_id\"",
                    iam.shown
                )))
            }
            several => {
                return Err(Error::invalid(format!(
                    "IAM ({}) has several projects named {region:?} ({}): set \"project_id\" to one of them",
                    iam.shown,
                    several.join(", ")
                )))
            }
        };
        check_id(&format!("the project id IAM ({}) gave", iam.shown), &id)
            .map_err(|e| Error::decode(e.message))?;
        call.log.log(LogLevel::Info, || {
            format!(
                "looked up the project of region {region:?} in IAM ({})",
                iam.shown
            )
        });
        Ok(id)
    }
}
