//! `ges-emulator`: the command line around `ges_emulator::Emulator`.

use clap::{CommandFactory, Parser};
use ges_emulator::limits::{MAX_BACKUPS, MAX_DELAY_MS, MAX_GRAPHS};
use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use ges_signing::{Algorithm, UnknownAlgorithm};
use std::io::Write;
use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::signal::unix::{signal, SignalKind};

/// A GES-compatible HTTP server for tests, demos and CI.
///
/// The first line on stdout is the base URL. SIGINT or SIGTERM stops it
/// (exit status 0). The control API under /__emulator/ is described in the
/// crate's README.
///
/// Secrets on the command line are visible to every user of the machine
/// (`ps`): give them as GES_EMULATOR_SECRET_KEY and GES_EMULATOR_AUTH_TOKEN
/// in the environment instead.
#[derive(Parser)]
#[command(name = "ges-emulator", version)]
struct Cli {
    /// Address to listen on; port 0 takes a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8089")]
    listen: String,
    /// The project id served; other ids in the path get 404.
    #[arg(long, value_name = "ID", default_value = "demo-project")]
    project_id: String,
    /// A v1.0 list answer body to serve instead of the three sample backups.
    #[arg(long, value_name = "FILE", conflicts_with = "backups")]
    data: Option<PathBuf>,
    /// Serve N generated backups instead of the samples (at most 1,000,000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(..=MAX_BACKUPS as u64))]
    backups: Option<u64>,
    /// Graphs the generated backups are spread over (1 to 10,000).
    #[arg(long, value_name = "G", requires = "backups", value_parser = clap::value_parser!(u64).range(1..=MAX_GRAPHS as u64))]
    graphs: Option<u64>,
    /// Seed of the generated backups; the same seed gives the same data.
    #[arg(long, value_name = "S", requires = "backups")]
    seed: Option<u64>,
    /// Require signatures (SDK-HMAC-SHA256, SDK-HMAC-SM3, SDK-ECDSA-P256-SHA256
    /// or SDK-SM2-SM3) made with this access key...
    #[arg(long, value_name = "AK")]
    access_key: Option<String>,
    /// ...and this secret key; safer as GES_EMULATOR_SECRET_KEY (ps shows flags).
    #[arg(long, value_name = "SK", requires = "access_key")]
    secret_key: Option<String>,
    /// Accept this IAM token in X-Auth-Token (with keys too: either one); safer
    /// as GES_EMULATOR_AUTH_TOKEN (ps shows flags).
    #[arg(long, value_name = "TOKEN")]
    auth_token: Option<String>,
    /// Accept only signatures of this algorithm (HmacSHA256, HmacSM3,
    /// EcdsaP256SHA256, SM2SM3); the others get 401. Default: any of the four.
    #[arg(long, value_name = "ALG", value_parser = parse_algorithm)]
    signing_algorithm: Option<Algorithm>,
    /// Delay every list answer by MS milliseconds (at most 600000).
    #[arg(long, value_name = "MS", default_value_t = 0, value_parser = clap::value_parser!(u64).range(..=MAX_DELAY_MS))]
    latency_ms: u64,
    /// Serve https with this PEM certificate chain...
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// ...and this PEM private key.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The services around GES (IAM agencies, users, identity providers,
    /// lifetimes; the metadata service; pod identity) from a JSON file:
    /// {"iam": {...}, "metadata": {...}, "pod_identity": {...}}, each section
    /// as its /__emulator/cloud/ control call takes it (see the README).
    #[arg(long, value_name = "FILE")]
    cloud_config: Option<PathBuf>,
    /// Shift the emulator's clock by N seconds (Date header, X-Sdk-Date window).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    clock_offset_s: i64,
}

fn parse_algorithm(name: &str) -> Result<Algorithm, String> {
    name.parse().map_err(|e: UnknownAlgorithm| e.to_string())
}

/// A secret from the environment; unset and empty are the same.
fn secret_from_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

impl Cli {
    /// Flags first, then the environment. Exits with status 2 when an access
    /// key has no secret key from either; a cloud config file that cannot be
    /// read or is not JSON is an error (status 1).
    fn into_config(self) -> std::io::Result<EmulatorConfig> {
        let secret_key = self
            .secret_key
            .or_else(|| secret_from_env("GES_EMULATOR_SECRET_KEY"));
        let auth_token = self
            .auth_token
            .or_else(|| secret_from_env("GES_EMULATOR_AUTH_TOKEN"));
        if self.access_key.is_some() && secret_key.is_none() {
            Cli::command()
                .error(
                    clap::error::ErrorKind::MissingRequiredArgument,
                    "--access-key needs a secret key: GES_EMULATOR_SECRET_KEY in the environment, or --secret-key",
                )
                .exit();
        }
        let dataset = match (self.data, self.backups) {
            (Some(file), _) => Dataset::File(file),
            (None, Some(backups)) => Dataset::Generated {
                backups: backups as usize,
                graphs: self.graphs.unwrap_or(4) as usize,
                seed: self.seed.unwrap_or(1),
            },
            (None, None) => Dataset::Samples,
        };
        let cloud_config = self.cloud_config.map(|path| read_json(&path)).transpose()?;
        Ok(EmulatorConfig {
            listen: self.listen,
            project_id: self.project_id,
            dataset,
            access_key: self.access_key,
            secret_key,
            auth_token,
            signing_algorithm: self.signing_algorithm,
            latency_ms: self.latency_ms,
            tls_cert: self.tls_cert,
            tls_key: self.tls_key,
            clock_offset_s: self.clock_offset_s,
            cloud_config,
        })
    }
}

fn read_json(path: &std::path::Path) -> std::io::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
    })?;
    serde_json::from_str(&text).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} is not JSON: {e}", path.display()),
        )
    })
}

fn main() -> ExitCode {
    let config = Cli::parse().into_config();
    match config.and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ges-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(config: EmulatorConfig) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Handlers go in before the URL is printed, so that a signal sent as
    // soon as the URL is read already ends the process cleanly.
    let (mut interrupt, mut terminate) = {
        let _in_runtime = runtime.enter();
        (
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
        )
    };
    let project = config.project_id.clone();
    if let Some(addr) = reachable_from_outside(&config.listen) {
        eprintln!(
            "ges-emulator: warning: {addr} is not a loopback address: other machines can reach \
             this emulator, whose control API has no authentication; use 127.0.0.1 unless you mean it"
        );
    }
    let emulator = Emulator::start(config)?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{}", emulator.base_url())?;
    stdout.flush()?;
    eprintln!(
        "ges-emulator: serving project {project} at {}; SIGINT or SIGTERM stops it",
        emulator.base_url()
    );
    runtime.block_on(async {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    });
    emulator.shutdown();
    Ok(())
}

/// The first address `listen` stands for that is not loopback (0.0.0.0 and
/// [::] included), if any. Names that do not resolve are left to the bind to
/// report.
fn reachable_from_outside(listen: &str) -> Option<std::net::SocketAddr> {
    listen
        .to_socket_addrs()
        .ok()?
        .find(|addr| !addr.ip().is_loopback())
}

#[cfg(test)]
mod tests {
    use super::reachable_from_outside;

    #[test]
    fn only_loopback_addresses_pass_silently() {
        for quiet in ["127.0.0.1:0", "127.1.2.3:8089", "[::1]:0", "localhost:0"] {
            assert_eq!(reachable_from_outside(quiet), None, "{quiet}");
        }
        for loud in ["0.0.0.0:0", "[::]:8089", "192.0.2.1:80", "10.1.2.3:0"] {
            assert!(reachable_from_outside(loud).is_some(), "{loud}");
        }
        assert_eq!(reachable_from_outside("not-an-address"), None);
    }
}
