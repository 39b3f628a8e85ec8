//! `oneway inspect`: stub.
use std::io::Write;
/// Options.
#[derive(Debug, Clone)]
pub struct Options {}
impl From<crate::cli::InspectArgs> for Options {
    fn from(_a: crate::cli::InspectArgs) -> Self {
        Options {}
    }
}
/// Runs.
pub fn run(_o: &Options, _out: &mut dyn Write, _err: &mut dyn Write) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
