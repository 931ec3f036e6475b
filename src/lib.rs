//! ges-backups: a Huawei Cloud GES backups client with a stable C ABI.
//!
//! One call, from the C entry point down: `ffi` checks the pointers and parses the
//! JSON arguments (`config`, `query`), `client` hands the query to `listing`, which
//! plans the pages; `transport` signs (`signing`), sends and retries each request,
//! `model` decodes the answers, and `ffi::backup_list` hands the result to C as one
//! owned block.

mod args;
mod call;
pub mod cancel;
pub mod client;
pub mod config;
pub mod error;
pub mod ffi;
mod listing;
pub mod log;
pub mod model;
pub mod query;
pub mod schema;
pub mod signing;
mod transport;

pub use cancel::CancelToken;
pub use client::Client;
pub use error::{Error, ErrorKind};
pub use listing::BackupList;
pub use log::{LogLevel, LogSink};
pub use model::Backup;
pub use query::Query;
