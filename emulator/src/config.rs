//! What an emulator is started with.

use crate::backup::{self, Backup};
use crate::generate;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Where the emulator's starting backups come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dataset {
    /// The API page's three sample backups (`data/samples.json`).
    Samples,
    /// A file holding a v1.0 answer body (`{"backupCount": N, "backupList": [...]}`).
    File(PathBuf),
    /// `backups` deterministic backups spread over `graphs` graphs.
    Generated {
        backups: usize,
        graphs: usize,
        seed: u64,
    },
}

impl Dataset {
    /// The backups it names, in API order.
    pub(crate) fn load(&self) -> io::Result<Vec<Backup>> {
        match self {
            Dataset::Samples => Ok(backup::samples()),
            Dataset::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
                })?;
                backup::parse_v1_answer(&text).map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{} is not a v1.0 list answer: {e}", path.display()),
                    )
                })
            }
            Dataset::Generated {
                backups,
                graphs,
                seed,
            } => Ok(generate::dataset(*backups, *graphs, *seed)),
        }
    }

    /// Seeds the backups that the control API and `mutate` add later.
    pub(crate) fn seed(&self) -> u64 {
        match self {
            Dataset::Generated { seed, .. } => *seed,
            _ => 1,
        }
    }
}

#[derive(Clone)]
pub struct EmulatorConfig {
    /// `host:port`; port 0 takes a free port.
    pub listen: String,
    pub project_id: String,
    pub dataset: Dataset,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub auth_token: Option<String>,
    /// The one algorithm signatures must use (`--signing-algorithm`); none:
    /// any of the four. `POST /__emulator/signing` changes it until a reset.
    pub signing_algorithm: Option<ges_signing::Algorithm>,
    /// Added before every list answer.
    pub latency_ms: u64,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Seconds added to the real clock, for `Date` and the `X-Sdk-Date` window.
    pub clock_offset_s: i64,
    /// The services around GES, as `--cloud-config`'s file gives them:
    /// `{"iam": {...}, "metadata": {...}, "pod_identity": {...}}`, each section
    /// the body of its control call (README.md).
    pub cloud_config: Option<serde_json::Value>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            listen: "127.0.0.1:0".to_string(),
            project_id: "demo-project".to_string(),
            dataset: Dataset::Samples,
            access_key: None,
            secret_key: None,
            auth_token: None,
            signing_algorithm: None,
            latency_ms: 0,
            tls_cert: None,
            tls_key: None,
            clock_offset_s: 0,
            cloud_config: None,
        }
    }
}

// Hand-written so that logging a config never leaks the secret key or token.
impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("EmulatorConfig")
            .field("listen", &self.listen)
            .field("project_id", &self.project_id)
            .field("dataset", &self.dataset)
            .field("access_key", &self.access_key)
            .field("secret_key", &redacted(&self.secret_key))
            .field("auth_token", &redacted(&self.auth_token))
            .field("signing_algorithm", &self.signing_algorithm)
            .field("latency_ms", &self.latency_ms)
            .field("tls_cert", &self.tls_cert)
            .field("tls_key", &self.tls_key)
            .field("clock_offset_s", &self.clock_offset_s)
            // Passwords and tokens.
            .field(
                "cloud_config",
                &self.cloud_config.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let cfg = EmulatorConfig {
            access_key: Some("AK".into()),
            secret_key: Some("very-secret".into()),
            auth_token: Some("tok-secret".into()),
            cloud_config: Some(serde_json::json!({"iam": {"users": [{"password": "pw-secret"}]}})),
            ..EmulatorConfig::default()
        };
        let shown = format!("{cfg:?}");
        assert!(shown.contains("AK"));
        assert!(!shown.contains("very-secret"));
        assert!(!shown.contains("tok-secret"));
        assert!(!shown.contains("pw-secret"));
    }
}
