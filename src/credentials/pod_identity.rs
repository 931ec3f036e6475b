//! Pod identity (CCE), as the official Python SDK reads it: with
//! `HC_CONTAINER_CREDENTIALS_FULL_URI` and `HC_CONTAINER_AUTHORIZATION_TOKEN_FILE`
//! set, `POST {uri}` with body `{}` and the file's content as `Authorization`
//! gives temporary credentials; the file is read again at each renewal.

use super::exchange::Service;
use super::renewable::{Renewable, Temporary};
use super::Secret;
use crate::error::Error;
use crate::files;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Mutex;

const MAX_TOKEN_BYTES: u64 = 64 * 1024;

pub(crate) struct PodIdentity {
    pub service: Service,
    pub token_file: PathBuf,
    /// The last token read: a secret like the credentials.
    pub held: Mutex<Option<Secret>>,
}

impl Renewable for PodIdentity {
    fn fetch(&self) -> Result<Temporary, Error> {
        let unusable = |why: String| {
            Error::invalid(format!(
                "config: the pod identity token file {} (HC_CONTAINER_AUTHORIZATION_TOKEN_FILE) \
                 cannot be used: {why}",
                self.token_file.display()
            ))
        };
        let small =
            files::read(&self.token_file, MAX_TOKEN_BYTES).map_err(|r| unusable(r.to_string()))?;
        let text = String::from_utf8(small.bytes).map_err(|_| unusable("not UTF-8".into()))?;
        let token = crate::args::header_safe("the pod identity token", text.trim().to_string())?;
        if token.is_empty() {
            return Err(unusable("it is empty".into()));
        }
        *self.held.lock().unwrap_or_else(|e| e.into_inner()) = Some(Secret::new(token.clone()));
        let what = "credentials";
        let answer = self
            .service
            .post("", &[("Authorization", &token)], &json!({}), None, what)?;
        self.service.temporary(&answer, what)
    }

    fn secrets(&self) -> Vec<Secret> {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }
}
