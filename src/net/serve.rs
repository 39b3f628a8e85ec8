//! `oneway serve`: stub, being written.

use std::io::Write;

/// Resolved options of `serve`.
#[derive(Debug, Clone)]
pub struct Options {}

impl From<crate::cli::ServeArgs> for Options {
    fn from(_a: crate::cli::ServeArgs) -> Self {
        Options {}
    }
}

/// Runs the server.
pub fn run(_o: &Options, _out: &mut dyn Write, _err: &mut dyn Write) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
