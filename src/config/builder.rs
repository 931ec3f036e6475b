//! `ConfigBuilder::build`: a config built key by key, read exactly as the JSON
//! is. The builder and its setters, one per key, come from the key table
//! (`crate::keys`).

use super::Config;
use crate::args::Args;
use crate::error::Error;
use crate::keys::{ConfigBuilder, KEYS};

impl ConfigBuilder {
    /// The config, reading the process environment for the keys left unset.
    pub fn build(self) -> Result<Config, Error> {
        self.build_with_env(|name| std::env::var(name).ok())
    }

    /// As `build`, with the environment supplied by the caller.
    pub fn build_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        Config::from_args(&Args::from_map("config", self.into_keys(), KEYS)?, env)
    }
}
