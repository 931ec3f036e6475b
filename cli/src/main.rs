//! `ges-backups`: list GES backups from the command line.
//! `ges-backups list --emulator` is the demo: it lists from an in-process emulator.

mod args;
mod completions;
mod config;
mod escape;
mod exit;
mod formats;
mod interrupt;
mod log;
mod manpage;
mod output;
mod progress;
mod table;

use args::{Command, ListArgs, Output, Request};
use ges_backups::{CancelToken, Client, ErrorKind, LogLevel, Query, QueryBuilder};
use serde_json::Value;
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
    let cli = match args::parse() {
        Ok(Request::Run(cli)) => cli,
        Ok(Request::Manpage) => return ExitCode::from(manpage()),
        Err(e) => {
            // Help and version go to stdout (status 0), usage errors to stderr
            // (status 2); a closed stream is not worth a panic.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let status = match cli.command {
        Command::List(args) => list(&args),
        Command::Completions { shell } => output::write_stdout(&completions::script(shell)),
    };
    ExitCode::from(status)
}

fn manpage() -> u8 {
    match manpage::render() {
        Ok(page) => output::write_stdout(&page),
        Err(e) => {
            output::error(&format!("cannot render the manual page: {e}"));
            exit::INTERNAL
        }
    }
}

/// `ges-backups list`: the listing on stdout; returns the exit status.
fn list(args: &ListArgs) -> u8 {
    let cancel = CancelToken::new();
    let on_ctrl_c = cancel.clone();
    if let Err(e) = interrupt::on_interrupt(move || on_ctrl_c.cancel()) {
        output::error(&format!("cannot watch for Ctrl-C: {e}"));
        return exit::INTERNAL;
    }
    match run(args, &cancel) {
        Ok(text) => output::write_stdout(text.as_bytes()),
        Err(failure) => {
            output::error(&failure.message);
            failure.status
        }
    }
}

fn run(args: &ListArgs, cancel: &CancelToken) -> Result<String, Failure> {
    let mut config =
        config::assemble(args.config.as_deref(), &args.connection).map_err(Failure::usage)?;
    // Kept alive until the listing is done; dropping it stops the server.
    let mut _emulator = None;
    if args.emulator {
        let emulator = ges_emulator::Emulator::start(ges_emulator::EmulatorConfig::default())
            .map_err(|e| Failure {
                message: format!("could not start the emulator: {e}"),
                status: exit::INTERNAL,
            })?;
        config::point_at_emulator(&mut config, emulator.base_url());
        _emulator = Some(emulator);
    }
    let mut client =
        Client::from_json(&Value::Object(config).to_string()).map_err(Failure::from_library)?;
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
        Output::Table => table::render(&list),
        Output::Json => formats::json(&list),
        Output::Ndjson => formats::ndjson(&list),
        Output::Csv => formats::csv(&list),
    })
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
    if let Some(deadline_ms) = args.deadline_ms {
        query = query.deadline_ms(deadline_ms);
    }
    query
}
