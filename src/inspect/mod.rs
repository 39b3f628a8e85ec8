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

mod live;
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

use crate::i18n::tr;
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

/// What `inspect` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A capture; `-` is stdin.
    Path(PathBuf),
    /// A live interface (`any`: all of them), and where to save what it captures, if anywhere.
    Interface {
        /// Its name.
        name: String,
        /// The pcap file to write.
        write: Option<PathBuf>,
    },
}

/// Resolved options of `inspect`.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to read.
    pub input: Input,
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
    /// Follow this conversation only (`--follow`).
    pub conversation: Option<u32>,
    /// Stop after this many datagrams kept by the filters (`-c`).
    pub count: Option<u64>,
    /// The table's time column.
    pub time: TimeFormat,
    /// Where to write the HTML report, if anywhere.
    pub html: Option<PathBuf>,
    /// Colors for the summary and the follow view.
    pub paint: Paint,
    /// The width the table and the summary fit in (a terminal's, or `--width`); `None`: as wide
    /// as their contents.
    pub width: Option<usize>,
}

/// Runs `inspect`, writing to `out` (or to `--output`'s file, created once the input is open).
pub fn run(opts: &Options, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    let (source, label, container) = match &opts.input {
        Input::Path(path) => {
            let input = source::open(path)?;
            (input.source, input.label, input.container)
        }
        Input::Interface { name, write } => {
            let live = live::open(name, write.as_deref())?;
            let container = live.link_name();
            // As tcpdump says it is listening: from here on, packets are caught.
            writeln!(
                err,
                "oneway: {}",
                tr!("live-listening", capture = &container)
            )?;
            err.flush()?;
            (source::Input::Live(live), name.clone(), container)
        }
    };
    let Some(path) = &opts.output else {
        return go(opts, out, err, source, label, container);
    };
    let cannot = || tr!("error-cannot-write", path = path.display().to_string());

    let mut file = BufWriter::new(File::create(path).with_context(cannot)?);
    let result = go(opts, &mut file, err, source, label, container);
    // A damaged capture still gets its rows written: the write's error first, then the read's.
    file.into_inner()
        .map_err(|e| e.into_error())
        .with_context(cannot)?;
    result
}

/// Runs the pipeline over `source`, named `label` in messages, whose container is `container`.
fn go(
    opts: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
    source: source::Input,
    label: String,
    container: String,
) -> anyhow::Result<()> {
    let streams = source::Source::streams(&source);
    if streams {
        // Ctrl-C and SIGTERM end the input; the summary follows. (A second handler cannot be set
        // in the same process: the first one already stops sources.)
        let _ = ctrlc::set_handler(source::stop);
    }
    // The machine formats' `file` field: the input as given (`-` for stdin), or the interface.
    let file = match &opts.input {
        Input::Path(p) => p.to_string_lossy().into_owned(),
        Input::Interface { name, .. } => name.clone(),
    };
    let mut view = view::View::new(opts, out, streams, &file)?;
    if streams {
        // The csv header, before any record comes.
        out.flush()?;
    }
    let mut closing = None;
    let failure = pipeline::run(source, view.prepare(), opts.count, |step| {
        match step {
            pipeline::Step::Event(pipeline::Event::Closing(s), _) => closing = Some(s.clone()),
            pipeline::Step::Event(event, batch) => view.event(out, event, batch)?,
            pipeline::Step::BatchDone if streams => {
                view.batch_done(out)?;
                out.flush()?;
            }
            pipeline::Step::BatchDone => {}
        }
        Ok(())
    })?;
    view.finish(out, &label, &container, failure.is_some())?;
    out.flush()?;
    for line in closing.iter().flat_map(|c| c.lines()) {
        writeln!(err, "oneway: {line}")?;
    }
    match failure {
        Some(e) => Err(anyhow::Error::new(e).context(label)),
        None => Ok(()),
    }
}
