//! Temporary credentials of an ECS instance's agency, from the metadata
//! service, as the official SDKs ask for them: `PUT /meta-data/latest/api/token`
//! for a session token, then `GET /openstack/latest/securitykey` with
//! `X-Metadata-Token`. An older service without the token endpoint (404, 405,
//! 503) is asked without a token. Never through a proxy: the service is
//! link-local.

use super::exchange::temporary_from;
use super::renewable::{Renewable, Temporary};
use super::Secret;
use crate::error::{Error, ErrorKind};
use crate::net::proxy::ProxySetting;
use crate::net::target::{AgentSettings, Target};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const TOKEN_PATH: &str = "/meta-data/latest/api/token";
const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
/// The session token's life asked for, as the SDKs ask (6 h); renewed a bit before.
const TOKEN_TTL: Duration = Duration::from_secs(6 * 3600);
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_BODY_BYTES: u64 = 64 * 1024;

pub struct MetadataClient {
    target: Target,
    timeout: Duration,
    /// The session token and when it was taken.
    token: Mutex<Option<(Secret, Instant)>>,
}

impl MetadataClient {
    /// The timeouts are the client's, capped: an instance without the service
    /// must not hold the caller up for long.
    pub fn new(
        endpoint: &str,
        connect_timeout: Duration,
        timeout: Duration,
        user_agent: &str,
    ) -> Result<Self, Error> {
        let settings = AgentSettings {
            connect_timeout: connect_timeout.min(MAX_CONNECT_TIMEOUT),
            max_idle: 1,
            user_agent,
            tls: ureq::tls::TlsConfig::default(),
            proxy: &ProxySetting::Off,
        };
        Ok(MetadataClient {
            target: Target::new(endpoint, "metadata_endpoint", &settings)?,
            timeout: timeout.min(MAX_REQUEST_TIMEOUT),
            token: Mutex::new(None),
        })
    }
}

impl Renewable for MetadataClient {
    /// Fresh credentials; errors name the service's host and port.
    fn fetch(&self) -> Result<Temporary, Error> {
        let mut token = self.token.lock().unwrap_or_else(|e| e.into_inner());
        if token
            .as_ref()
            .is_none_or(|(_, at)| at.elapsed() > TOKEN_TTL / 2)
        {
            *token = self.session_token()?.map(|t| (t, Instant::now()));
        }
        let (status, body) = self.security_key(token.as_ref().map(|(t, _)| t))?;
        let (status, body) = if status == 401 {
            // The session token expired or was revoked: one new one, one retry.
            *token = self.session_token()?.map(|t| (t, Instant::now()));
            self.security_key(token.as_ref().map(|(t, _)| t))?
        } else {
            (status, body)
        };
        if status != 200 {
            let mut error = Error::new(
                ErrorKind::Api,
                format!(
                    "the ECS metadata service at {} answered HTTP {status} for the security key \
                     (does the instance have an agency?)",
                    self.target.shown
                ),
            );
            error.http_status = status;
            return Err(error);
        }
        temporary_from(
            &body,
            &format!("the ECS metadata service at {}", self.target.shown),
        )
    }

    /// The session token: a secret like the credentials.
    fn secrets(&self) -> Vec<Secret> {
        let token = self.token.lock().unwrap_or_else(|e| e.into_inner());
        token.iter().map(|(t, _)| t.clone()).collect()
    }
}

impl MetadataClient {
    /// `None` when the service has no token endpoint.
    fn session_token(&self) -> Result<Option<Secret>, Error> {
        let url = format!(
            "{}{}{TOKEN_PATH}",
            self.target.origin, self.target.base_path
        );
        let mut response = self
            .target
            .agent
            .put(&url)
            .header(
                "X-Metadata-Token-Ttl-Seconds",
                TOKEN_TTL.as_secs().to_string(),
            )
            .config()
            .timeout_global(Some(self.timeout))
            .build()
            .send_empty()
            .map_err(|e| self.network_error(&e))?;
        match response.status().as_u16() {
            200 => {
                let text = response
                    .body_mut()
                    .with_config()
                    .limit(MAX_BODY_BYTES)
                    .read_to_string()
                    .map_err(|e| self.network_error(&e))?;
                Ok(Some(Secret::new(text.trim().to_string())))
            }
            404 | 405 | 503 => Ok(None),
            status => {
                let mut error = Error::new(
                    ErrorKind::Api,
                    format!(
                        "the ECS metadata service at {} answered HTTP {status} for a session token",
                        self.target.shown
                    ),
                );
                error.http_status = status;
                Err(error)
            }
        }
    }

    fn security_key(&self, token: Option<&Secret>) -> Result<(u16, Vec<u8>), Error> {
        let url = format!(
            "{}{}{SECURITY_KEY_PATH}",
            self.target.origin, self.target.base_path
        );
        let mut request = self.target.agent.get(&url);
        if let Some(token) = token {
            request = request.header("X-Metadata-Token", token.expose());
        }
        let mut response = request
            .config()
            .timeout_global(Some(self.timeout))
            .build()
            .call()
            .map_err(|e| self.network_error(&e))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| self.network_error(&e))?;
        Ok((status, body))
    }

    fn network_error(&self, e: &ureq::Error) -> Error {
        let (message, _) = self.target.network_error(e, self.timeout);
        Error::transport(format!("ECS metadata service: {message}"))
    }
}
