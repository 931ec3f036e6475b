//! The real `ges-backups` binary as a script or a person meets it: exit
//! statuses, closed pipes, escaping, help, Ctrl-C, the connection flags, the
//! output formats, completions and the manual page. Run against the emulator
//! on loopback.

mod common;
mod completions;
mod connection;
mod escaping;
mod exit_status;
mod formats;
mod help;
mod interrupt;
mod manpage;
mod pipe;
mod progress;
mod verbose;
