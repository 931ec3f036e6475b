//! Integration tests: a started emulator, spoken to with a plain HTTP client
//! (ureq) and raw sockets; the binary is run as a process.

mod auth;
mod cli;
mod common;
mod concurrency;
mod control;
mod faults;
mod hostile;
mod iam;
mod listing;
mod signing;
mod tls;
