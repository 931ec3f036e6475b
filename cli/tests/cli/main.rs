//! The real `ges-backups` binary as a script or a person meets it: exit
//! statuses, closed pipes, escaping, help, Ctrl-C. Run against the emulator on
//! loopback.

mod common;
mod escaping;
mod exit_status;
mod help;
mod interrupt;
mod pipe;
mod progress;
mod verbose;
