//! Ctrl-C: the first SIGINT runs the given action (cancelling the listing, so
//! that the process exits with status 130 once the library has returned, with
//! nothing left in flight); a second one exits with 130 at once.

use crate::exit;
use tokio::signal::unix::{signal, SignalKind};

/// Installs the handler; from now on SIGINT no longer kills the process
/// outright. Returns an error when signals cannot be watched.
pub fn on_interrupt(action: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    // Registered here, before returning, so that no SIGINT is missed.
    let mut interrupts = {
        let _in_runtime = runtime.enter();
        signal(SignalKind::interrupt())?
    };
    std::thread::Builder::new()
        .name("ges-backups-sigint".into())
        .spawn(move || {
            runtime.block_on(async {
                if interrupts.recv().await.is_some() {
                    action();
                }
                if interrupts.recv().await.is_some() {
                    std::process::exit(exit::INTERRUPTED.into());
                }
            });
        })?;
    Ok(())
}
