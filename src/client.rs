//! The safe Rust entry point: a configured client that lists backups.

use crate::call::Call;
use crate::cancel::{self, CancelToken};
use crate::config::Config;
use crate::credentials::{Provider, Setup};
use crate::error::Error;
use crate::listing::{self, BackupList, Listing, Paging, Service};
use crate::log::{LogLevel, LogSink, Logger};
use crate::net::target::{AgentSettings, Target};
use crate::net::tls;
use crate::project::{Lookup, Project};
use crate::query::Query;
use crate::scrub::{LiveSecrets, Secrets};
use crate::secret::Secret;
use crate::transport::{self, Transport};
use std::sync::{mpsc, Arc};

/// A GES backups client. `Send + Sync`: one client serves many threads at once,
/// sharing its keep-alive connection pool.
///
/// ```no_run
/// use ges_backups::{Client, Config, Query};
///
/// // Credentials from the environment or the CLI's profile (docs/configuration.md).
/// let config = Config::builder().region("cn-north-4").project_id("0123").build()?;
/// let client = Client::new(config)?;
/// let list = client.list_backups(&Query::builder().status("success").build()?)?;
/// for backup in &list.backups {
///     println!("{:?} {:?}", backup.id, backup.name);
/// }
/// # Ok::<(), ges_backups::Error>(())
/// ```
pub struct Client {
    config: Config,
    /// Shared with the thread of a cancellable call, which may outlive its caller.
    service: Arc<Service>,
    /// Every secret the client holds, to scrub from errors and log lines.
    secrets: Secrets,
    logger: Logger,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish()
    }
}

impl LiveSecrets for Provider {
    fn secrets(&self) -> Vec<Secret> {
        self.temporary_secrets()
    }
}

impl Client {
    /// With credentials from the ECS metadata service, asks it for the first ones.
    pub fn new(config: Config) -> Result<Client, Error> {
        let fixed: Vec<Secret> = config.secrets().into_iter().map(Secret::new).collect();
        let scrub_fixed = |e: Error| e.scrubbed_of(&Secrets::new(fixed.clone(), None));
        let (service, credentials) = Self::service(&config).map_err(scrub_fixed)?;
        Ok(Client {
            secrets: Secrets::new(fixed, Some(credentials)),
            service: Arc::new(service),
            config,
            logger: Logger::default(),
        })
    }

    /// What the client talks to, from its config: the hosts, the credentials
    /// (asking the metadata service now if it is their source), the project.
    fn service(config: &Config) -> Result<(Service, Arc<Provider>), Error> {
        config.check_ranges()?;
        let settings = AgentSettings {
            connect_timeout: config.connect_timeout,
            max_idle: config.max_connections as usize,
            user_agent: &config.user_agent,
            tls: tls::config(config.ca_file.as_deref(), config.insecure)?,
            proxy: &config.proxy,
        };
        let ges = Target::new(&config.endpoint, "endpoint", &settings)?;
        let lookup = match (&config.project_id, &config.iam_endpoint, &config.region) {
            (None, Some(iam), Some(region)) => Some(Lookup {
                iam: Target::new(iam, "iam_endpoint", &settings)?,
                region: region.clone(),
            }),
            _ => None,
        };
        let credentials = Arc::new(Provider::new(
            &config.credentials,
            &Setup {
                agents: &settings,
                connect_timeout: config.connect_timeout,
                timeout: config.timeout,
                algorithm: config.signing_algorithm,
                iam_endpoint: config.iam_endpoint.as_deref(),
                sts_endpoint: config.sts_endpoint.as_deref(),
                domain_name: config.domain_name.as_deref(),
                project_id: config.project_id.as_deref(),
                region: config.region.as_deref(),
                assume: &config.assume_role,
            },
        )?);
        let transport = Transport::new(
            transport::Settings {
                timeout: config.timeout,
                max_retries: config.max_retries,
                max_connections: config.max_connections,
                user_agent: config.user_agent.clone(),
            },
            credentials.clone(),
        );
        let service = Service {
            transport,
            ges,
            project: Project::new(config.project_id.clone(), lookup),
            api_version: config.api_version,
            paging: Paging {
                page_size: config.page_size,
                max_concurrency: config.max_concurrency,
                max_listing_bytes: config.max_listing_bytes,
            },
        };
        Ok((service, credentials))
    }

    /// A client from the config JSON (docs/configuration.md), with environment fallback.
    pub fn from_json(config_json: &str) -> Result<Client, Error> {
        Client::new(Config::from_json(config_json)?)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every secret the client holds, from every source: the config's (used or
    /// not, proxy passwords included) and the temporary credentials in use.
    pub fn secrets(&self) -> Vec<String> {
        self.secrets
            .all()
            .iter()
            .map(|s| s.expose().to_string())
            .collect()
    }

    /// Sends what the client does to `sink`, up to `max_level`, every line
    /// scrubbed of the client's secrets; `None` turns logging off. Set it before
    /// the client is shared: it takes `&mut self`. The previous sink is called
    /// no more once this returns.
    pub fn set_logger(&mut self, sink: Option<LogSink>, max_level: LogLevel) {
        self.logger.revoke();
        self.logger = Logger::new(sink, max_level, self.secrets.clone());
        for warning in &self.config.warnings {
            self.logger.log(LogLevel::Warn, || warning.clone());
        }
    }

    /// Reads the `ges_backups` data source for `query`. Errors never carry a secret.
    pub fn list_backups(&self, query: &Query) -> Result<BackupList, Error> {
        self.list_backups_cancellable(query, None)
    }

    /// As `list_backups`; once `cancel` is cancelled, the call returns a CANCELLED
    /// error within a few tens of milliseconds and starts no new request.
    pub fn list_backups_cancellable(
        &self,
        query: &Query,
        cancel: Option<&CancelToken>,
    ) -> Result<BackupList, Error> {
        self.read(query, cancel).map(|l| l.to_backup_list())
    }

    /// As `list_backups`, from the query JSON (docs/contract.md, "Query").
    pub fn list_backups_json_query(&self, query_json: &str) -> Result<BackupList, Error> {
        self.list_backups(&Query::from_json(query_json)?)
    }

    /// The data source read in the decoded form that the C ABI turns into its
    /// list or the result JSON without copying each string.
    pub(crate) fn read(
        &self,
        query: &Query,
        cancel: Option<&CancelToken>,
    ) -> Result<Listing, Error> {
        let call = Call::new(query.deadline, cancel.cloned(), self.logger.clone());
        let result = match cancel {
            None => listing::read(&self.service, query, &call),
            Some(token) => self.read_on_own_thread(query, token, call),
        };
        result.map_err(|e| {
            let e = e.scrubbed_of(&self.secrets);
            self.logger
                .log(LogLevel::Error, || format!("list backups failed: {e}"));
            e
        })
    }

    /// Runs a cancellable call on a thread of its own, so that its caller gets
    /// CANCELLED at once even while the call waits on something no flag can
    /// interrupt (a DNS lookup, a TCP connect). The thread stops at the next
    /// check of the flag and drops what it read; it owns a share of the
    /// transport, so freeing the client does not wait for it.
    fn read_on_own_thread(
        &self,
        query: &Query,
        token: &CancelToken,
        call: Call,
    ) -> Result<Listing, Error> {
        if token.is_cancelled() {
            return Err(Error::cancelled());
        }
        let (sender, answer) = mpsc::sync_channel(1);
        let service = Arc::clone(&self.service);
        let query = query.clone();
        let spawned = std::thread::Builder::new()
            .name("ges-backups-call".into())
            .spawn(move || {
                let _ = sender.send(listing::read(&service, &query, &call));
            });
        if let Err(e) = spawned {
            return Err(Error::internal(format!(
                "could not start the call's thread: {e}"
            )));
        }
        loop {
            match answer.recv_timeout(cancel::POLL) {
                Ok(result) => return result,
                Err(mpsc::RecvTimeoutError::Timeout) if token.is_cancelled() => {
                    return Err(Error::cancelled())
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Error::internal(
                        "internal error (a bug): the call's thread ended without an answer",
                    ))
                }
            }
        }
    }
}

/// The logger's sink is called no more once the client is gone, though a
/// cancelled call's work may still be winding down.
impl Drop for Client {
    fn drop(&mut self) {
        self.logger.revoke();
    }
}

impl BackupList {
    /// The result JSON (docs/contract.md, "Result"); absent fields are `null`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a backup list always serializes")
    }
}

#[cfg(test)]
mod tests {
    /// The C ABI promises one client serves many threads; the compiler checks it.
    #[test]
    fn client_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::Client>();
    }
}

#[cfg(test)]
mod config_checks {
    use super::*;

    /// A config changed after it was read is checked again: no panic later.
    #[test]
    fn out_of_range_fields_are_refused_not_panicked_on() {
        let base = r#"{"endpoint":"http://127.0.0.1:1","project_id":"p","auth_token":"t"}"#;
        let mut config = Config::from_json_with_env(base, |_| None).unwrap();
        config.max_concurrency = 0;
        let err = Client::new(config).unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidArgument);
        assert!(err.message.contains("max_concurrency"), "{}", err.message);
        let mut config = Config::from_json_with_env(base, |_| None).unwrap();
        config.page_size = 5000;
        assert!(Client::new(config).is_err());
        let mut config = Config::from_json_with_env(base, |_| None).unwrap();
        config.max_connections = 0;
        assert!(Client::new(config).is_err());
    }
}
