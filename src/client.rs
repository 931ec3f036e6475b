//! The safe Rust entry point: a configured client that lists backups.

use crate::config::Config;
use crate::error::Error;
use crate::listing::{self, BackupList, Listing};
use crate::query::Query;
use crate::transport::Transport;

/// A GES backups client. `Send + Sync`: one client serves many threads at once,
/// sharing its keep-alive connection pool.
pub struct Client {
    transport: Transport,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", self.transport.config())
            .finish()
    }
}

impl Client {
    /// With credentials from the ECS metadata service, asks it for the first ones.
    pub fn new(config: Config) -> Result<Client, Error> {
        let secrets: Vec<String> = config.secrets().into_iter().map(str::to_string).collect();
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        Ok(Client {
            transport: Transport::new(config).map_err(|e| e.scrubbed(&secrets))?,
        })
    }

    /// A client from the config JSON of SPEC 3, with environment fallback.
    pub fn from_json(config_json: &str) -> Result<Client, Error> {
        Client::new(Config::from_json(config_json)?)
    }

    pub fn config(&self) -> &Config {
        self.transport.config()
    }

    /// Every secret the client holds, from every source: the config's (used or
    /// not, proxy passwords included) and the temporary credentials in use.
    pub fn secrets(&self) -> Vec<String> {
        self.transport.secrets()
    }

    fn scrub(&self, error: Error) -> Error {
        let secrets = self.secrets();
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        error.scrubbed(&secrets)
    }

    /// Reads the `ges_backups` data source for `query`. Errors never carry a secret.
    pub fn list_backups(&self, query: &Query) -> Result<BackupList, Error> {
        listing::list_backups(&self.transport, query).map_err(|e| self.scrub(e))
    }

    /// As `list_backups`, from the query JSON of SPEC 4.
    pub fn list_backups_json_query(&self, query_json: &str) -> Result<BackupList, Error> {
        self.list_backups(&Query::from_json(query_json)?)
    }

    /// As `list_backups_json_query`, in the decoded form that the C ABI turns into
    /// its list or the result JSON without copying each string.
    pub(crate) fn read_json_query(&self, query_json: &str) -> Result<Listing, Error> {
        let query = Query::from_json(query_json)?;
        listing::read(&self.transport, &query).map_err(|e| self.scrub(e))
    }
}

impl BackupList {
    /// The result JSON of SPEC 4; absent fields are `null`.
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
        shareable::<crate::ffi::GesClient>();
    }
}
