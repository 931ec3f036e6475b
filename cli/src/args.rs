//! The command line: every flag with its help line.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Printed under `--help`: what a script can rely on.
pub const EXIT_STATUSES: &str = "\
Exit status:
  0    success; also when the reader of stdout closes it early (`ges-backups list | head -1`)
  2    bad usage, or an invalid argument or config (INVALID_ARGUMENT)
  3    the service could not be reached or did not answer in time (TRANSPORT)
  4    the service answered with an error (API)
  5    the service's answer could not be decoded (DECODE)
  6    the backups changed while they were paged through, too often (INCONSISTENT)
  70   an internal error of ges-backups (INTERNAL)
  74   stdout could not be written (e.g. a full disk)
  130  interrupted (Ctrl-C): the listing is cancelled";

#[derive(Parser)]
#[command(
    name = "ges-backups",
    version,
    about = "List Huawei Cloud GES backups",
    after_help = EXIT_STATUSES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List backups: every backup, or one page with --offset/--limit.
    #[command(after_help = EXIT_STATUSES)]
    List(ListArgs),
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
    /// Output format: an aligned table for people, or the result JSON for programs.
    #[arg(long, value_enum, default_value_t = Output::Table)]
    pub output: Output,
    /// Config JSON file (see docs/configuration.md); absent keys come from the environment.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Start the GES emulator in-process with its sample data and list from it (a demo).
    #[arg(long)]
    pub emulator: bool,
    /// Print no progress on stderr (errors are still printed).
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print the library's log (requests, retries, summaries) on stderr, instead of progress.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Output {
    /// Aligned columns; control characters from the service are shown escaped.
    Table,
    /// The result JSON, one line.
    Json,
}
