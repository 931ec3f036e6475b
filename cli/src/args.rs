//! The command line: every subcommand and flag with its help line. `--help`,
//! the completion scripts and the manual page are all generated from these.

use crate::exit;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::Shell;
use serde::Serialize;
use std::path::PathBuf;

const ABOUT: &str = "List Huawei Cloud GES backups";
const LONG_ABOUT: &str = "\
List Huawei Cloud GES backups.

Settings come from the flags of `ges-backups list` (--region, --endpoint,
--project-id, --profile) first, then the --config JSON file, then the
environment (GES_ENDPOINT, HW_REGION_NAME, HW_PROJECT_ID, HW_PROFILE, ...);
credentials from the file, the environment (HW_ACCESS_KEY and HW_SECRET_KEY,
or HW_AUTH_TOKEN), a profile of the shared config file, and the other sources
that docs/configuration.md lists.";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  bash        ges-backups completions bash > ~/.local/share/bash-completion/completions/ges-backups
  zsh         ges-backups completions zsh > \"${fpath[1]}/_ges-backups\"
  fish        ges-backups completions fish > ~/.config/fish/completions/ges-backups.fish
  powershell  ges-backups completions powershell | Out-String | Invoke-Expression
  elvish      eval (ges-backups completions elvish | slurp)";

#[derive(Parser)]
#[command(
    name = "ges-backups",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = exit::help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List backups: every backup, or one page with --offset/--limit.
    #[command(after_help = exit::help())]
    List(Box<ListArgs>),
    /// Print a completion script for SHELL on stdout.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// What the command line asks for.
pub enum Request {
    Run(Cli),
    /// `ges-backups manpage`: the manual page (roff) on stdout, which `make
    /// install` installs as ges-backups.1. Hidden, and added to the parser
    /// only, not to `Cli`: completion scripts offer even hidden subcommands.
    Manpage,
}

const MANPAGE: &str = "manpage";

pub fn parse() -> Result<Request, clap::Error> {
    let manpage = clap::Command::new(MANPAGE).hide(true);
    let matches = Cli::command().subcommand(manpage).try_get_matches()?;
    if matches.subcommand_name() == Some(MANPAGE) {
        return Ok(Request::Manpage);
    }
    Cli::from_arg_matches(&matches).map(Request::Run)
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// Only this graph's backups (asked of the service's per-graph endpoint).
    #[arg(long, value_name = "ID")]
    pub graph_id: Option<String>,
    /// Keep backups of the graph with exactly this name.
    #[arg(long, value_name = "NAME")]
    pub graph_name: Option<String>,
    /// Keep backups with exactly this name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Keep the backup with exactly this id.
    #[arg(long, value_name = "ID")]
    pub backup_id: Option<String>,
    /// Keep backups in this status: backing_up, success or failed.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Keep auto or manual backups.
    #[arg(long, value_name = "METHOD")]
    pub backup_method: Option<String>,
    /// Keep only the most recent backup after filtering.
    #[arg(long)]
    pub most_recent: bool,
    /// Fetch one page, starting at this position of the service's order (>= 0; default 0).
    // Negative numbers are parsed so that the library reports them as out of
    // range, instead of clap taking `-1` for an unknown flag.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub offset: Option<i64>,
    /// Fetch one page of this many backups (1 to 1000; default 10).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub limit: Option<i64>,
    /// Time budget of the whole listing, retries included (the query's deadline_ms); past it, exit status 3.
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub deadline_ms: Option<i64>,
    /// Output format: a table for people; json, ndjson or csv for programs (--help describes each).
    #[arg(long, value_enum, default_value_t = Output::Table)]
    pub output: Output,
    /// Config JSON file (see docs/configuration.md); absent keys come from the environment.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,
    /// Start the GES emulator in-process with its sample data and list from it (a demo).
    #[arg(long, conflicts_with_all = ["region", "endpoint", "project_id", "profile"])]
    pub emulator: bool,
    /// Print no progress on stderr (errors are still printed).
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print the library's log (requests, retries, summaries) on stderr, instead of progress.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub connection: Connection,
}

/// Config keys given as flags. Each field is named as its config key: the set
/// ones are serialized into the config JSON over the --config file's keys, so
/// that they win over the file and, being set, over the environment.
#[derive(clap::Args, Serialize)]
#[command(next_help_heading = "Connection (each flag over --config and the environment)")]
pub struct Connection {
    /// Region, e.g. cn-north-4: gives the endpoint https://ges.REGION.myhuaweicloud.com (when none is set) and the project lookup; over HW_REGION_NAME.
    #[arg(long, value_name = "REGION")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Base URL of the GES service (https://...); over GES_ENDPOINT and the one derived from the region.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Project id of the request path; over HW_PROJECT_ID (without any, looked up from the region).
    #[arg(long, value_name = "ID")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Profile of the shared config file (~/.hcloud/config.json or HW_SHARED_CONFIG_FILE) for credentials; over HW_PROFILE.
    #[arg(long, value_name = "NAME")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Output {
    /// Aligned columns; control characters from the service are shown escaped.
    Table,
    /// The result JSON, one line.
    Json,
    /// One line per backup: its JSON object as in the result's `backups` (17 fields, absent ones null).
    Ndjson,
    /// RFC 4180 (CRLF line ends): a header row of the 17 field names, then one row per backup; an absent value is an empty cell, encrypted is true, false or empty.
    Csv,
}
