//! `oneway send`: stub, being written.

use std::io::Write;

/// Resolved options of `send`.
#[derive(Debug, Clone)]
pub struct Options {}

impl From<crate::cli::SendArgs> for Options {
    fn from(_a: crate::cli::SendArgs) -> Self {
        Options {}
    }
}

/// Runs the client.
pub fn run(_o: &Options, _out: &mut dyn Write, _err: &mut dyn Write) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
