//! ges-emulator: a GES-compatible HTTP server for tests, demos and CI.
//!
//! It serves the four "list backups" endpoints (v1.0 and v2, all graphs and
//! one graph) with the official shapes, checks AK/SK signatures or IAM
//! tokens like the API gateway, and takes scripted faults through a control
//! API under `/__emulator/`. See README.md.
//!
//! ```no_run
//! let emulator = ges_emulator::Emulator::start(Default::default()).unwrap();
//! println!("{}/v1.0/demo-project/graphs/backups", emulator.base_url());
//! emulator.shutdown();
//! ```

mod auth;
mod backup;
mod cloud;
mod cloud_control;
mod config;
mod control;
mod faults;
mod generate;
mod iam;
mod issued;
pub mod limits;
mod list;
mod proxy;
mod reply;
mod request;
mod server;
mod state;
mod tls;
mod workload;

pub use config::{Dataset, EmulatorConfig};
pub use proxy::{ForwardProxy, ProxyStats};
pub use server::Emulator;
