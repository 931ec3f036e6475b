//! `ges-emulator`: the command line around `ges_emulator::Emulator`.

use clap::Parser;
use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::signal::unix::{signal, SignalKind};

/// A GES-compatible HTTP server for tests, demos and CI.
///
/// The first line on stdout is the base URL. SIGINT or SIGTERM stops it
/// (exit status 0). The control API under /__emulator/ is described in the
/// crate's README.
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
    /// Serve N generated backups instead of the samples.
    #[arg(long, value_name = "N")]
    backups: Option<usize>,
    /// Graphs the generated backups are spread over.
    #[arg(long, value_name = "G", requires = "backups", value_parser = clap::value_parser!(u64).range(1..))]
    graphs: Option<u64>,
    /// Seed of the generated backups; the same seed gives the same data.
    #[arg(long, value_name = "S", requires = "backups")]
    seed: Option<u64>,
    /// Require SDK-HMAC-SHA256 signatures made with this access key...
    #[arg(long, value_name = "AK", requires = "secret_key")]
    access_key: Option<String>,
    /// ...and this secret key.
    #[arg(long, value_name = "SK", requires = "access_key")]
    secret_key: Option<String>,
    /// Accept this IAM token in X-Auth-Token (with keys too: either one).
    #[arg(long, value_name = "TOKEN")]
    auth_token: Option<String>,
    /// Delay every list answer by MS milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Serve https with this PEM certificate chain...
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// ...and this PEM private key.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Shift the emulator's clock by N seconds (Date header, X-Sdk-Date window).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    clock_offset_s: i64,
}

impl Cli {
    fn into_config(self) -> EmulatorConfig {
        let dataset = match (self.data, self.backups) {
            (Some(file), _) => Dataset::File(file),
            (None, Some(backups)) => Dataset::Generated {
                backups,
                graphs: self.graphs.unwrap_or(4) as usize,
                seed: self.seed.unwrap_or(1),
            },
            (None, None) => Dataset::Samples,
        };
        EmulatorConfig {
            listen: self.listen,
            project_id: self.project_id,
            dataset,
            access_key: self.access_key,
            secret_key: self.secret_key,
            auth_token: self.auth_token,
            latency_ms: self.latency_ms,
            tls_cert: self.tls_cert,
            tls_key: self.tls_key,
            clock_offset_s: self.clock_offset_s,
        }
    }
}

fn main() -> ExitCode {
    let config = Cli::parse().into_config();
    match run(config) {
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
