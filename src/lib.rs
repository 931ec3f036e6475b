//! ges-backups: a Huawei Cloud GES backups client with a stable C ABI.
//!
//! One call, from the C entry point down: `ffi` checks the pointers and parses the
//! JSON arguments (`config`, which runs the `credentials` chain, and `query`);
//! `client` gives the query a `call` (deadline, cancellation, log) and hands it
//! to `listing`, which plans the pages; `transport` signs (the `ges-signing` crate), sends and
//! retries each request and returns the answer's bytes; `listing` decodes them
//! (`model`, whose `fields` table names every backup field) and checks the pages
//! agree; `ffi::backup_list` hands the result to C as one owned block.

mod api;
mod args;
mod call;
mod cancel;
mod client;
// Public for tests (its `KEYS`); `Config` itself is re-exported below.
#[doc(hidden)]
pub mod config;
mod credentials;
mod error;
mod files;
mod keys;
// The C ABI; public for the tests, the fuzz targets and the bench.
#[doc(hidden)]
pub mod ffi;
mod listing;
mod log;
mod net;
// Public for the fuzz targets and tests only (`decode_page`).
#[doc(hidden)]
pub mod model;
mod project;
mod query;
mod schema;
mod scrub;
mod secret;
mod transport;

pub use api::ApiVersion;
pub use cancel::CancelToken;
pub use client::Client;
pub use config::{Config, ConfigBuilder};
pub use credentials::AssumeRole;
pub use error::{Error, ErrorKind};
pub use listing::BackupList;
pub use log::{LogLevel, LogSink};
pub use model::Backup;
pub use query::{Query, QueryBuilder};

/// The committed header is exactly what cbindgen generates from this source.
#[cfg(test)]
mod header_drift {
    const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/ges_backups.h"));
    const COMMITTED: &str = "include/ges_backups.h";

    #[test]
    fn committed_header_matches_the_generated_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED);
        if std::env::var_os("GES_BLESS_HEADER").is_some() {
            std::fs::write(&path, GENERATED).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap();
        assert!(
            committed == GENERATED,
            "{COMMITTED} differs from the header generated from src/: \
             run `GES_BLESS_HEADER=1 cargo test --lib header_drift` and commit it"
        );
    }
}
