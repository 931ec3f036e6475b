//! `ges-backups`: list GES backups from the command line.
//! `ges-backups list --emulator` is the demo: it lists from an in-process emulator.

mod args;
mod escape;
mod exit;
mod interrupt;
mod log;
mod output;
mod progress;
mod table;

use args::{Cli, Command, ListArgs, Output};
use clap::Parser;
use ges_backups::{CancelToken, Client, ErrorKind, LogLevel, Query, QueryBuilder};
use serde_json::{json, Map, Value};
use std::process::ExitCode;

/// A failure: what to print and the exit status it gives.
struct Failure {
    message: String,
    status: u8,
}

impl Failure {
    fn usage(message: String) -> Failure {
        Failure {
            message,
            status: exit::USAGE,
        }
    }

    fn from_library(error: ges_backups::Error) -> Failure {
        let message = match error.kind {
            ErrorKind::Cancelled => "interrupted (Ctrl-C): the listing was cancelled".to_string(),
            kind => format!("{} error: {error}", kind.as_str()),
        };
        Failure {
            message,
            status: exit::for_kind(error.kind),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout (status 0), usage errors to stderr
            // (status 2); a closed stream is not worth a panic.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let Command::List(args) = cli.command;
    let cancel = CancelToken::new();
    let on_ctrl_c = cancel.clone();
    if let Err(e) = interrupt::on_interrupt(move || on_ctrl_c.cancel()) {
        output::error(&format!("cannot watch for Ctrl-C: {e}"));
        return ExitCode::from(exit::INTERNAL);
    }
    let status = match run(&args, &cancel) {
        Ok(text) => output::write_stdout(&text),
        Err(failure) => {
            output::error(&failure.message);
            failure.status
        }
    };
    ExitCode::from(status)
}

fn run(args: &ListArgs, cancel: &CancelToken) -> Result<String, Failure> {
    let mut config = match &args.config {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("--config {}: {e}", path.display())))?,
        None => "{}".to_string(),
    };
    // Kept alive until the listing is done; dropping it stops the server.
    let mut _emulator = None;
    if args.emulator {
        let emulator = ges_emulator::Emulator::start(ges_emulator::EmulatorConfig::default())
            .map_err(|e| Failure {
                message: format!("could not start the emulator: {e}"),
                status: exit::INTERNAL,
            })?;
        config = emulator_config(&config, emulator.base_url())?;
        _emulator = Some(emulator);
    }
    let mut client = Client::from_json(&config).map_err(Failure::from_library)?;
    let query = query(args).build().map_err(Failure::from_library)?;
    let progress = progress::Progress::start(!args.quiet && !args.verbose);
    let counters = progress.counters();
    if args.verbose || counters.is_some() {
        client.set_logger(Some(log::sink(args.verbose, counters)), LogLevel::Debug);
    }
    let listed = client.list_backups_cancellable(&query, Some(cancel));
    progress.finish();
    let list = listed.map_err(Failure::from_library)?;
    Ok(match args.output {
        Output::Json => list.to_json() + "\n",
        Output::Table => table::render(&list),
    })
}

/// The config pointed at the in-process emulator, with its demo token.
fn emulator_config(config: &str, base_url: &str) -> Result<String, Failure> {
    let mut map: Map<String, Value> =
        serde_json::from_str(config).map_err(|e| Failure::usage(format!("--config: {e}")))?;
    map.insert("endpoint".into(), json!(base_url));
    map.insert("project_id".into(), json!("demo-project"));
    map.insert("auth_token".into(), json!("demo-token"));
    for key in ["region", "access_key", "secret_key", "security_token"] {
        map.remove(key);
    }
    Ok(Value::Object(map).to_string())
}

/// Sets one string argument of a query.
type SetString = fn(QueryBuilder, String) -> QueryBuilder;

/// The query of the command line's flags; the library validates it.
fn query(args: &ListArgs) -> QueryBuilder {
    let mut query = Query::builder();
    let strings: [(SetString, &Option<String>); 6] = [
        (QueryBuilder::graph_id, &args.graph_id),
        (QueryBuilder::graph_name, &args.graph_name),
        (QueryBuilder::name, &args.name),
        (QueryBuilder::backup_id, &args.backup_id),
        (QueryBuilder::status, &args.status),
        (QueryBuilder::backup_method, &args.backup_method),
    ];
    for (set, value) in strings {
        if let Some(value) = value {
            query = set(query, value.clone());
        }
    }
    if args.most_recent {
        query = query.most_recent(true);
    }
    if let Some(offset) = args.offset {
        query = query.offset(offset);
    }
    if let Some(limit) = args.limit {
        query = query.limit(limit);
    }
    query
}
