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

mod inputs;
mod live;
mod merge;
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
    /// A capture; `-` is stdin. A directory: the captures in it, merged by time.
    Path(PathBuf),
    /// Several captures (or directories of captures), merged by time into one.
    Paths(Vec<PathBuf>),
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
        Input::Paths(paths) => return many(opts, paths, out, err),
        Input::Path(path) if path.is_dir() => {
            return many(opts, std::slice::from_ref(path), out, err);
        }
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
    let read: Vec<PathBuf> = match &opts.input {
        Input::Path(path) => vec![path.clone()],
        Input::Interface { write, .. } => write.iter().cloned().collect(),
        Input::Paths(_) => Vec::new(),
    };
    to_output(opts, &read, out, |out| {
        go(opts, out, err, source, label, container)
    })
}

/// Runs `body` with `out`, or with `--output`'s file (created now: once the input is open). An
/// output that is one of the files `inputs` (the same file, by any name) is refused before it is
/// touched: creating it would empty the capture about to be read.
fn to_output(
    opts: &Options,
    inputs: &[PathBuf],
    out: &mut dyn Write,
    body: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Some(path) = &opts.output else {
        return body(out);
    };
    if let Some(input) = inputs.iter().find(|input| same_file(input, path)) {
        let path = input.display().to_string();
        return Err(crate::exit::UsageError(tr!("error-output-is-input", path = path)).into());
    }
    let cannot = || tr!("error-cannot-write", path = path.display().to_string());

    let mut file = BufWriter::new(File::create(path).with_context(cannot)?);
    let result = body(&mut file);
    // A damaged capture still gets its rows written: the write's error first, then the read's.
    file.into_inner()
        .map_err(|e| e.into_error())
        .with_context(cannot)?;
    result
}

/// Runs inspect over several captures (files, directories of them) merged by time
/// ([`merge`]). A file that cannot be read, or is damaged, is named on stderr and the others are
/// still read to their end; the run then fails (the last failure is returned, the others are
/// written to `err` first).
fn many(
    opts: &Options,
    paths: &[PathBuf],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    if paths.len() > 1 && paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(crate::exit::UsageError(tr!("inputs-stdin-alone").into()).into());
    }
    let listed = inputs::list(paths);
    for line in &listed.skipped {
        writeln!(err, "oneway: {}", crate::escape::message(line))?;
    }
    // The same file named twice (or by a link) is read twice, as mergecap would: said once.
    let mut seen = std::collections::HashMap::new();
    for again in &listed.files {
        let Some(id) = file_id(again) else { continue };
        if let Some(file) = seen.insert(id, again) {
            let line = tr!(
                "inputs-twice",
                file = file.display().to_string(),
                again = again.display().to_string()
            );
            writeln!(err, "oneway: {}", crate::escape::message(&line))?;
        }
    }
    if let ([one], []) = (listed.files.as_slice(), listed.errors.as_slice()) {
        // A directory with one capture: that capture, as if it were named.
        let opts = Options {
            input: Input::Path(one.clone()),
            ..opts.clone()
        };
        return run(&opts, out, err);
    }
    let mut failures: Vec<(usize, anyhow::Error)> = Vec::new();
    let files = listed.files;
    // Each file is opened once here, to know when its first record is (and its format).
    let mut first = Vec::with_capacity(files.len());
    let mut names = Vec::with_capacity(files.len());
    let mut shown_names = Vec::with_capacity(files.len());
    let mut legend = Vec::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        let name = path.display().to_string();
        // A name's bytes are shown escaped, in the summary and in the machine formats alike.
        let shown = crate::escape::escape(path.as_os_str().as_encoded_bytes());
        shown_names.push(shown.clone());
        match merge::peek(path, &name) {
            Ok(p) => {
                first.push(p.first);
                legend.push(format!("{shown} ({})", p.container));
            }
            Err(e) => {
                failures.push((i, e));
                first.push(None);
                legend.push(format!("{shown} ({})", tr!("merged-not-read")));
            }
        }
        names.push(name);
    }
    let mut result = Ok(());
    // (Nothing is written to `-o` when no file could be opened: an earlier output stays.)
    if !files.is_empty() && (opts.output.is_none() || failures.len() < files.len()) {
        let label = tr!("merged-label", n = files.len());
        let container = tr!("merged-inputs", n = files.len());
        result = to_output(opts, &files, out, |out| {
            let mut view = view::View::new(opts, out, false, &shown_names)?;
            view.inputs(legend);
            let prepare = view.prepare();
            let failed = merge::run(
                &files,
                &first,
                |_| prepare.clone(),
                opts.count,
                |step| match step {
                    pipeline::Step::Event(event, batch) => Ok(view.event(out, event, batch)?),
                    pipeline::Step::BatchDone => Ok(()),
                },
            )?;
            failures.extend(failed);
            view.finish(out, &label, &container, !failures.is_empty())?;
            Ok(out.flush()?)
        });
    }
    // Every failure is named; the last one is the run's error.
    failures.sort_by_key(|(i, _)| *i);
    let mut all: Vec<anyhow::Error> = listed.errors;
    // Each names its file (a read error says only where in the file it is).
    all.extend(failures.into_iter().map(|(i, e)| {
        if e.to_string().contains(&names[i]) {
            e
        } else {
            e.context(names[i].clone())
        }
    }));
    result?;
    let last = all.pop();
    for e in all {
        writeln!(err, "oneway: {}", crate::escape::message(&format!("{e:#}")))?;
    }
    match last {
        Some(e) => Err(e),
        None if files.is_empty() => anyhow::bail!(tr!("inputs-none")),
        None => Ok(()),
    }
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
    // (Escaped here, once: every format shows a name's bytes alike, `\xff` for one that is not
    // UTF-8.)
    let file = crate::escape::escape(match &opts.input {
        Input::Path(p) => p.as_os_str().as_encoded_bytes(),
        Input::Interface { name, .. } => name.as_bytes(),
        // (Several inputs are read by `many`, not here.)
        Input::Paths(_) => label.as_bytes(),
    });
    let mut view = view::View::new(opts, out, streams, std::slice::from_ref(&file))?;
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

/// Whether `a` and `b` are the same existing file (the same device and inode, whatever the names).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    file_id(a).is_some_and(|a| file_id(b) == Some(a))
}

/// An existing file's device and inode: the same for every name it has.
fn file_id(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}
