//! Ctrl-C, SIGTERM and SIGHUP as a flag: `serve` and `send --count` poll it and end with their
//! summary instead of dying without one.

use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::i18n::tr;

/// Set by the handler; read by the loops.
static STOP: AtomicBool = AtomicBool::new(false);
/// The outcome of installing the handler (once per process).
static HANDLER: OnceLock<Result<(), String>> = OnceLock::new();

/// Installs the handler once per process and clears the flag. `warning` is the catalogue's
/// message printed when the handler cannot be installed (`stop-warning-serve`, `…-send`).
pub fn arm(err: &mut dyn Write, warning: &str) -> io::Result<()> {
    STOP.store(false, Ordering::SeqCst);
    let installed = HANDLER.get_or_init(|| {
        ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst)).map_err(|e| e.to_string())
    });
    if let Err(e) = installed {
        writeln!(err, "oneway: {}", tr!(warning, error = e))?;
    }
    Ok(())
}

/// Whether a stop was asked for since [`arm`].
pub fn requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Asks for a stop, as Ctrl-C would (tests bound their loops with it).
#[cfg(test)]
pub fn request() {
    STOP.store(true, Ordering::SeqCst);
}
