//! How a run ends: the process exit codes, and the error that means "the command line was wrong".
//!
//! A leaf: every layer may return a [`UsageError`]; only `main` turns outcomes into codes.

use std::io;

/// The process exit codes, as documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Done (a capture without UDP and a closed stdout pipe included).
    Success = 0,
    /// Could not finish: damaged capture, socket error, no reply in time.
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
}

/// An error in what the user asked for, found after clap's parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Maps the outcome of [`run`] to an exit code: a closed stdout pipe anywhere in the error chain
/// is success (like `head` closing its input), a [`UsageError`] is 2, anything else 1.
pub fn exit_code(result: &anyhow::Result<()>) -> Exit {
    let Err(e) = result else { return Exit::Success };
    for cause in e.chain() {
        if let Some(io) = cause.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::BrokenPipe
        {
            return Exit::Success;
        }
        if cause.downcast_ref::<UsageError>().is_some() {
            return Exit::Usage;
        }
    }
    Exit::Failure
}
