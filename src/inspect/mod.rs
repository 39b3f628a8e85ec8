//! `oneway inspect`: capture → dissect → analyze → render, one record at a time.
//!
//! - [`source`]: where records come from (a capture file, stdin); a new input is a new
//!   [`source::Source`].
//! - [`pipeline`]: the two threads, the batches of events between them, back-pressure.
//! - [`reader`]: the reading thread's work — dissection, reassembly, events.
//! - [`prepare`]: what the reading thread formats ahead (filters, records, previews).
//! - [`view`]: the writing thread's work — analysis, rows, follow view, report, summary.
//!
//! Rows are written as records are read, so memory does not grow with the capture and
//! `oneway inspect big.pcap | head` stops early. A damaged capture still gets every row and the
//! summary of what came before the damage; the damage is then returned as the error.

mod pipeline;
mod prepare;
mod reader;
mod source;
mod view;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context as _;

pub use prepare::PAYLOAD_PREVIEW;

use crate::render::Paint;

/// Output format of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A table for people, then a summary of the exchange.
    #[default]
    Table,
    /// One JSON object per UDP datagram.
    Jsonl,
    /// The same fields as jsonl, header row first (RFC 4180).
    Csv,
    /// Apache Parquet: one row per datagram with its analysis, typed columns, zstd.
    Parquet,
}

/// How the table shows times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// Seconds since the first frame of the capture.
    #[default]
    Relative,
    /// Date and time in UTC (RFC 3339).
    Absolute,
    /// Seconds since the previous row.
    Delta,
}

/// Resolved options of `inspect`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The capture; `-` is stdin.
    pub input: PathBuf,
    /// Output format.
    pub format: Format,
    /// Where the output goes instead of stdout.
    pub output: Option<PathBuf>,
    /// Only the summary.
    pub summary_only: bool,
    /// Keep datagrams with one of these ports at either end (empty: all).
    pub ports: Vec<u16>,
    /// Keep datagrams with one of these addresses at either end (empty: all).
    pub hosts: Vec<IpAddr>,
    /// Follow this conversation only.
    pub conversation: Option<u32>,
    /// The table's time column.
    pub time: TimeFormat,
    /// Where to write the HTML report, if anywhere.
    pub html: Option<PathBuf>,
    /// Colors for the summary and the follow view.
    pub paint: Paint,
}

/// Runs `inspect`, writing to `out` (or to `--output`'s file).
pub fn run(opts: &Options, out: &mut dyn Write, _err: &mut dyn Write) -> anyhow::Result<()> {
    let input = source::open(&opts.input)?;
    let Some(path) = &opts.output else {
        return inspect(opts, input, out);
    };
    let cannot = || format!("cannot write {}", path.display());
    let mut file = BufWriter::new(File::create(path).with_context(cannot)?);
    let result = inspect(opts, input, &mut file);
    // A damaged capture still gets its rows written: the write's error first, then the read's.
    file.into_inner()
        .map_err(|e| e.into_error())
        .with_context(cannot)?;
    result
}

fn inspect<S: source::Source>(
    opts: &Options,
    input: source::Opened<S>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut view = view::View::new(opts, out, &input.label)?;
    let failure = pipeline::run(input.source, view.prepare(), |event, batch| {
        Ok(view.event(out, event, batch)?)
    })?;
    view.finish(out, &input.label, &input.container, failure.is_some())?;
    out.flush()?;
    match failure {
        Some(e) => Err(anyhow::Error::new(e).context(input.label)),
        None => Ok(()),
    }
}
