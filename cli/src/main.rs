//! `ges-backups`: list GES backups from the command line (SPEC 6).
//! `ges-backups list --emulator` is the demo: it lists from an in-process emulator.

mod table;

use clap::{Parser, Subcommand, ValueEnum};
use ges_backups::{Client, Query};
use serde_json::{json, Map, Value};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "ges-backups", version, about = "List Huawei Cloud GES backups")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List backups: every backup, or one page with --offset/--limit.
    List(ListArgs),
}

#[derive(clap::Args)]
struct ListArgs {
    #[arg(long)]
    graph_id: Option<String>,
    #[arg(long)]
    graph_name: Option<String>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    backup_id: Option<String>,
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    backup_method: Option<String>,
    /// Keep only the most recent backup after filtering.
    #[arg(long)]
    most_recent: bool,
    #[arg(long)]
    offset: Option<i64>,
    #[arg(long)]
    limit: Option<i64>,
    #[arg(long, value_enum, default_value_t = Output::Table)]
    output: Output,
    /// Config JSON file (SPEC 3); absent keys come from the environment.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Start the GES emulator in-process with its sample data and list from it.
    #[arg(long)]
    emulator: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    Table,
    Json,
}

fn main() -> ExitCode {
    let Command::List(args) = Cli::parse().command;
    match run(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("ges-backups: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &ListArgs) -> Result<String, String> {
    let mut config = match &args.config {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("--config {}: {e}", path.display()))?,
        None => "{}".to_string(),
    };
    // Kept alive until the listing is done; dropping it stops the server.
    let mut _emulator = None;
    if args.emulator {
        let emulator = ges_emulator::Emulator::start(ges_emulator::EmulatorConfig::default())
            .map_err(|e| format!("could not start the emulator: {e}"))?;
        let mut map: Map<String, Value> =
            serde_json::from_str(&config).map_err(|e| format!("--config: {e}"))?;
        map.insert("endpoint".into(), json!(emulator.base_url()));
        map.insert("project_id".into(), json!("demo-project"));
        map.insert("auth_token".into(), json!("demo-token"));
        for key in ["region", "access_key", "secret_key", "security_token"] {
            map.remove(key);
        }
        config = Value::Object(map).to_string();
        _emulator = Some(emulator);
    }
    let client = Client::from_json(&config).map_err(|e| e.to_string())?;
    let query = Query::from_json(&query_json(args).to_string()).map_err(|e| e.to_string())?;
    let list = client
        .list_backups(&query)
        .map_err(|e| format!("{} error: {e}", e.kind.as_str()))?;
    Ok(match args.output {
        Output::Json => list.to_json() + "\n",
        Output::Table => table::render(&list),
    })
}

fn query_json(args: &ListArgs) -> Value {
    let mut query = Map::new();
    let strings = [
        ("graph_id", &args.graph_id),
        ("graph_name", &args.graph_name),
        ("name", &args.name),
        ("backup_id", &args.backup_id),
        ("status", &args.status),
        ("backup_method", &args.backup_method),
    ];
    for (key, value) in strings {
        if let Some(value) = value {
            query.insert(key.into(), json!(value));
        }
    }
    if args.most_recent {
        query.insert("most_recent".into(), json!(true));
    }
    for (key, value) in [("offset", args.offset), ("limit", args.limit)] {
        if let Some(value) = value {
            query.insert(key.into(), json!(value));
        }
    }
    Value::Object(query)
}
