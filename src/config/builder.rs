//! `ConfigBuilder`: a `Config` key by key, read exactly as the JSON is. Its
//! setters, one per key, come from the key table (`keys`).

use super::{keys::KEYS, Config};
use crate::args::Args;
use crate::error::Error;

/// Builds a `Config` key by key; `build` reads it exactly as `Config::from_json`
/// reads the same keys (docs/configuration.md): same checks, same messages, and
/// the same environment fallback for the keys left unset.
///
/// ```
/// let config = ges_backups::Config::builder()
///     .endpoint("http://127.0.0.1:8080")
///     .project_id("my-project")
///     .auth_token("a-token")
///     .max_concurrency(8)
///     .build()?;
/// assert_eq!(config.max_concurrency, 8);
/// assert!(ges_backups::Config::builder().project_id("p").page_size(0).build().is_err());
/// # Ok::<(), ges_backups::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    keys: serde_json::Map<String, serde_json::Value>,
}

/// Keys only: the values may be secrets.
impl std::fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("keys_set", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ConfigBuilder {
    pub(super) fn set(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.keys.insert(key.to_string(), value.into());
        self
    }

    /// The config, reading the process environment for the keys left unset.
    pub fn build(self) -> Result<Config, Error> {
        self.build_with_env(|name| std::env::var(name).ok())
    }

    /// As `build`, with the environment supplied by the caller.
    pub fn build_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        Config::from_args(&Args::from_map("config", self.keys, KEYS)?, env)
    }
}
