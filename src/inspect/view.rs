//! The writing side of inspect: each event analyzed, then shown as this run asks — table rows,
//! jsonl/csv records (prepared by the reader), Parquet rows, the follow view, the HTML report —
//! and at the end the summary.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use super::pipeline::{Batch, Event};
use super::prepare::{Prepare, Text};
use super::{Format, Options, TimeFormat};
use crate::analyze::{Analyzer, Facts, FrameNo, Role, Seen, push_frame, split_frame_id};
use crate::dissect::contrast::{Contrast, IcmpError};
use crate::i18n::{self, Template, tr};
use crate::render::follow::Follow;
use crate::render::html::Report;
use crate::render::parquet::{self, DatagramWriter};
use crate::render::push_endpoint;
use crate::render::records::{RecordWriter, file_field, rfc3339};
use crate::render::summary::{self, push_human, push_retries, push_seconds_between};
use crate::render::table::{BlockTable, Fit};
use std::borrow::Cow;

/// The table's columns (catalogue keys).
const COLUMNS: [&str; 8] = [
    "column-number",
    "column-time",
    "column-conv",
    "column-source",
    "column-destination",
    "column-length",
    "column-payload",
    "column-note",
];

/// The table's column titles in the current language.
fn columns() -> [Cow<'static, str>; 8] {
    COLUMNS.map(i18n::text)
}

/// The table's notes, cut once at their arguments: a row pushes pieces and its own numbers.
struct Notes {
    reply: Template,
    reply_after: Template,
    reassembled: Template,
    same_as: Template,
    cut: Template,
    bad_length: Template,
    /// Every piece is ASCII: a note's width is its length.
    ascii: bool,
}

impl Notes {
    fn new() -> Notes {
        let lang = i18n::current();
        let notes = Notes {
            reply: Template::new(lang, "note-reply", &["frame"]),
            reply_after: Template::new(lang, "note-reply-after", &["frame", "after"]),
            reassembled: Template::new(lang, "note-reassembled", &[]),
            same_as: Template::new(lang, "note-same-as", &["frame"]),
            cut: Template::new(lang, "note-cut", &["got", "length"]),
            bad_length: Template::new(lang, "note-bad-length", &["value"]),
            ascii: false,
        };
        let ascii = [
            &notes.reply,
            &notes.reply_after,
            &notes.reassembled,
            &notes.same_as,
            &notes.cut,
            &notes.bad_length,
        ]
        .iter()
        .all(|t| t.is_ascii());
        Notes { ascii, ..notes }
    }
}
/// Which of them are right-aligned.
const RIGHT: [bool; 8] = [true, true, true, false, false, true, false, false];
/// The payload column of a live table not fitted to a width: a preview longer than this is cut,
/// with `...`.
const LIVE_PAYLOAD: u16 = 32;
/// The note column of such a live table, cut likewise.
const LIVE_NOTE: u16 = 32;
/// The smallest width of each column (content, without padding).
const MIN_WIDTHS: [u16; 8] = [1, 8, 4, 6, 11, 3, 7, 4];

/// How the table fits `width`: payload and note are cut first; then the note, the payload,
/// the conversation and the time columns are left out, in that order; addresses, ports,
/// frame numbers and lengths are never cut.
fn table_fit(width: Option<usize>) -> Option<Fit> {
    width.map(|width| Fit {
        width,
        shrink: vec![false, false, false, false, false, false, true, true],
        drop: vec![7, 6, 2, 1],
    })
}

/// How long (in capture time) a jsonl, csv or Parquet row waits for the ICMP error that may
/// answer its datagram, at most.
pub const HOLD_TIME: Duration = Duration::from_secs(1);
/// How many rows wait at most (older ones are written first).
pub const HOLD_ROWS: usize = 4096;
/// How many bytes of rows wait at most.
pub const HOLD_BYTES: usize = 2 << 20;

/// A machine row waiting to be written, for the ICMP error that may answer its datagram.
struct HeldRow {
    frame: u64,
    time: Option<Duration>,
    facts: Facts,
    seen: Seen,
    reassembled: bool,
    icmp: Option<&'static str>,
    /// The length of its bytes in [`Held::ring`]: the record so far (jsonl, csv).
    len: usize,
    /// The bytes it holds elsewhere (Parquet: its payload and text, in the row group being
    /// filled), counted with the ring's against [`HOLD_BYTES`].
    elsewhere: usize,
}

/// The rows of jsonl, csv and Parquet wait here before they are written: an ICMP error comes
/// after the datagram it answers, and its row should say so (`icmp`). A row is written once
/// the capture's time is [`HOLD_TIME`] past it, when more than [`HOLD_ROWS`] rows or
/// [`HOLD_BYTES`] bytes wait, at the end, and, for an input that streams, at the end of every
/// batch (each line is out as soon as the input waits). An ICMP error that comes later than that
/// leaves its datagram's `icmp` null; the summary still counts it.
///
/// The rows' bytes wait one after another in one ring, oldest first, so that what waits costs
/// its bytes and no more (an allocation per row cost four times the bytes it held, allocator
/// rounding and growth: 17 MB for 4,096 rows of jsonl), and each byte is copied in once and
/// written out from where it lies (an arena whose written prefix was cut off copied every byte
/// a second time: +13 % instructions for jsonl). Parquet's rows hold their payloads in the row
/// group being filled instead, counted as [`HeldRow::elsewhere`].
#[derive(Default)]
struct Held {
    rows: VecDeque<HeldRow>,
    /// The waiting rows' bytes, and after them those of the row being made.
    ring: VecDeque<u8>,
    /// The bytes of the rows waiting (the ring's first `bytes`).
    bytes: usize,
    /// The bytes the rows waiting hold elsewhere ([`HeldRow::elsewhere`]).
    elsewhere: usize,
    /// A record's analysis and end.
    scratch: Vec<u8>,
}

impl Held {
    /// Appends bytes to the row being made.
    fn put(&mut self, bytes: &[u8]) {
        self.ring.extend(bytes);
    }

    /// Holds the row whose bytes were [`Held::put`] since the last push.
    fn push(&mut self, mut row: HeldRow) {
        if self.rows.capacity() == 0 {
            // Exactly what may wait, not the next power of two (a row is ~200 bytes).
            self.rows.reserve_exact(HOLD_ROWS + 1);
        }
        row.len = self.ring.len() - self.bytes;
        self.bytes += row.len;
        self.elsewhere += row.elsewhere;
        self.rows.push_back(row);
    }

    /// The oldest row, if it is due at capture time `now` (all of them when `all`); its bytes
    /// are then [`Held::front`] until [`Held::consume`]d.
    fn due(&mut self, now: Option<Duration>, all: bool) -> Option<HeldRow> {
        let front = self.rows.front()?;
        let old = match (front.time, now) {
            (Some(t), Some(now)) => now.saturating_sub(t) > HOLD_TIME,
            _ => false,
        };
        let bytes = self.bytes + self.elsewhere;
        if all || old || self.rows.len() > HOLD_ROWS || bytes > HOLD_BYTES {
            let row = self.rows.pop_front()?;
            self.elsewhere -= row.elsewhere;
            return Some(row);
        }
        None
    }

    /// The first `len` bytes of the ring (a row [`Held::due`]), in at most two pieces.
    fn front(ring: &VecDeque<u8>, len: usize) -> (&[u8], &[u8]) {
        let (a, b) = ring.as_slices();
        if a.len() >= len {
            (&a[..len], &[])
        } else {
            (a, &b[..len - a.len()])
        }
    }

    /// Lets go of the bytes of a row written.
    fn consume(&mut self, len: usize) {
        self.ring.drain(..len);
        self.bytes -= len;
    }

    /// Marks the datagram of frame `answered` (the analysis says which datagram an ICMP error
    /// answered), if its row still waits, as answered by `what`.
    fn answer(&mut self, answered: u64, what: &'static str) {
        if let Some(r) = self.rows.iter_mut().rev().find(|r| r.frame == answered) {
            r.icmp.get_or_insert(what);
        }
    }
}

/// Where rows go.
enum Rows {
    Table(Box<BlockTable>, Box<Notes>),
    /// jsonl or csv, rendered by the reader up to the analysis; the writer for the rest, and the
    /// input's name as the records' last field.
    Records(Box<RecordWriter>, Vec<Vec<u8>>),
    /// Parquet rows, with their analysis (written here, on the analyzing thread).
    Parquet(Box<DatagramWriter>),
    Follow(Follow),
    None,
}

/// Formats the time column as asked.
struct Clock {
    format: TimeFormat,
    previous: Option<Duration>,
}

impl Clock {
    fn show(&mut self, t: Option<Duration>, a: &Analyzer) -> String {
        let mut s = String::with_capacity(24);
        self.push(&mut s, t, a);
        s
    }

    /// Appends the time column's text for `t`.
    fn push(&mut self, out: &mut String, t: Option<Duration>, a: &Analyzer) {
        match self.format {
            TimeFormat::Relative => push_seconds_between(out, t, a.first_time, ""),
            TimeFormat::Absolute => match t {
                Some(t) => out.push_str(&rfc3339(t)),
                None => out.push('-'),
            },
            TimeFormat::Delta => push_seconds_between(out, t, self.previous.or(t), "+"),
        }
        if t.is_some() {
            self.previous = t;
        }
    }
}

/// The analysis and everything this run shows.
pub struct View<'o> {
    opts: &'o Options,
    analyzer: Analyzer,
    report: Option<Report>,
    rows: Rows,
    held: Held,
    /// The inputs' names, for the machine formats' `file` field.
    files: Vec<String>,
    clock: Clock,
}

impl<'o> View<'o> {
    /// Chooses the view from the options; jsonl and csv write their header now. A `live` table
    /// (the input streams) has its column widths chosen up front and writes each row at once.
    /// `files` name the inputs in the machine formats' `file` field (as given, already escaped;
    /// `-` for stdin), by their place in the frame ids (one input: the only one).
    pub fn new(
        opts: &'o Options,
        out: &mut dyn Write,
        live: bool,
        files: &[String],
    ) -> io::Result<Self> {
        let rows = match (opts.summary_only || html_on_stdout(opts), opts.format) {
            (true, _) => Rows::None,
            (false, Format::Table) if opts.conversation.is_some() => {
                Rows::Follow(Follow::new(opts.paint))
            }
            (false, Format::Table) if live => {
                let time = match opts.time {
                    TimeFormat::Absolute => 30,
                    TimeFormat::Relative | TimeFormat::Delta => 10,
                };
                // Fitted to a width, the columns begin narrow and the layout cuts; else they
                // begin as wide as usual and the payload and note are cut to fixed widths.
                let widths = match opts.width {
                    Some(_) => [1, time, 4, 6, 11, 3, 7, 4],
                    None => [6, time, 4, 21, 21, 5, LIVE_PAYLOAD, LIVE_NOTE],
                };
                Rows::Table(
                    Box::new(
                        BlockTable::live(
                            &columns(),
                            &RIGHT,
                            &widths,
                            &[false, false, false, false, false, false, true, true],
                        )
                        .fit(table_fit(opts.width)),
                    ),
                    Box::new(Notes::new()),
                )
            }
            (false, Format::Table) => Rows::Table(
                Box::new(
                    BlockTable::new(&columns(), &RIGHT, &MIN_WIDTHS).fit(table_fit(opts.width)),
                ),
                Box::new(Notes::new()),
            ),
            (false, Format::Parquet) => Rows::Parquet(Box::new(DatagramWriter::new(files)?)),
            (false, f) => {
                let csv = f == Format::Csv;
                let mut w = RecordWriter::new(csv);
                w.start(out)?;
                let fields = files.iter().map(|f| file_field(f, csv)).collect();
                Rows::Records(Box::new(w), fields)
            }
        };
        Ok(View {
            opts,
            analyzer: Analyzer::new(),
            report: opts.html.as_ref().map(|_| Report::new()),
            rows,
            held: Held::default(),
            files: files.to_vec(),
            clock: Clock {
                format: opts.time,
                previous: None,
            },
        })
    }

    /// Names the inputs merged, for the summary: `file (format)` in the order given.
    pub fn inputs(&mut self, legend: Vec<String>) {
        self.analyzer.inputs = legend;
    }

    /// Holds the machine row whose bytes (its record so far) were [`Held::put`], or that holds
    /// `elsewhere` bytes in the Parquet writer, after writing the rows that are due.
    #[allow(clippy::too_many_arguments)]
    fn hold(
        &mut self,
        out: &mut dyn Write,
        (frame, time): (u64, Option<Duration>),
        facts: &Facts,
        seen: Seen,
        reassembled: bool,
        elsewhere: usize,
    ) -> io::Result<()> {
        self.release(out, time, false)?;
        self.held.push(HeldRow {
            frame,
            time,
            facts: *facts,
            seen,
            reassembled,
            icmp: None,
            len: 0,
            elsewhere,
        });
        self.release(out, time, false)
    }

    /// Writes the waiting rows that are due at capture time `now` (all of them when `all`).
    fn release(&mut self, out: &mut dyn Write, now: Option<Duration>, all: bool) -> io::Result<()> {
        while let Some(row) = self.held.due(now, all) {
            match &mut self.rows {
                Rows::Records(w, files) => {
                    let (a, b) = Held::front(&self.held.ring, row.len);
                    let scratch = &mut self.held.scratch;
                    scratch.clear();
                    w.push_end(scratch, row.frame, row.seen, row.icmp, files);
                    out.write_all(a)?;
                    out.write_all(b)?;
                    out.write_all(scratch)?;
                }
                Rows::Parquet(p) => {
                    p.datagram(
                        out,
                        (row.frame, row.time),
                        &row.facts,
                        row.seen,
                        row.reassembled,
                        row.icmp,
                    )?;
                }
                _ => {}
            }
            self.held.consume(row.len);
        }
        Ok(())
    }

    /// The end of a batch of an input that streams: every waiting row is written.
    pub fn batch_done(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.release(out, None, true)
    }

    /// What the reader is to prepare for this view.
    pub fn prepare(&self) -> Prepare<'o> {
        Prepare {
            ports: &self.opts.ports,
            hosts: &self.opts.hosts,
            payload: self.report.is_some()
                || matches!(self.rows, Rows::Follow(_) | Rows::Parquet(_)),
            text: match (&self.rows, self.opts.format) {
                (Rows::Table(..), _) => Text::Preview,
                (Rows::Records(..), f) => Text::Record(RecordWriter::new(f == Format::Csv)),
                (Rows::Parquet(_), _) => Text::Parquet,
                _ => Text::None,
            },
        }
    }

    /// Analyzes and writes one event of `batch`.
    #[inline(always)] // into each of its two callers (one input, many), as when it had one
    pub fn event(&mut self, out: &mut dyn Write, event: &Event, batch: &Batch) -> io::Result<()> {
        let opts = self.opts;
        match event {
            Event::Frame(time) => self.analyzer.frame(*time),
            Event::Skipped(kind, n) => *self.analyzer.skipped.entry(*kind).or_default() += n,
            Event::FilteredOut { frame, time, facts } => {
                self.analyzer.hidden(*frame, *time, facts);
            }
            Event::Udp {
                new_frame,
                frame,
                time,
                facts,
                payload,
                text,
                text_width,
                reassembled,
            } => {
                let (frame, time, reassembled) = (*frame, *time, *reassembled);
                if *new_frame {
                    self.analyzer.frame(time);
                }
                let seen = self.analyzer.datagram(frame, time, facts);
                if let Some(r) = self.report.as_mut() {
                    r.datagram(frame, time, &facts.udp(batch.range(payload)), seen);
                }
                if opts.conversation.is_some() && seen.conversation != opts.conversation {
                    return Ok(());
                }
                match &mut self.rows {
                    Rows::Table(t, notes) => {
                        let (clock, analyzer) = (&mut self.clock, &self.analyzer);
                        let preview = std::str::from_utf8(batch.range(text)).unwrap_or_default();
                        table_row(
                            (t, notes),
                            frame,
                            |s| clock.push(s, time, analyzer),
                            facts,
                            (preview, usize::from(*text_width)),
                            seen,
                            reassembled,
                        );
                        t.end_row(out)?;
                    }
                    Rows::Follow(f) => {
                        let shown = self.clock.show(time, &self.analyzer);
                        if let Some(c) = seen
                            .conversation
                            .and_then(|id| self.analyzer.conversation(id))
                        {
                            let udp = facts.udp(batch.range(payload));
                            f.datagram(out, &c, frame, &shown, &udp, seen)?;
                        }
                    }
                    Rows::Records(w, _) => {
                        let held = &mut self.held;
                        held.put(batch.range(text));
                        held.scratch.clear();
                        w.push_analysis(&mut held.scratch, seen);
                        held.ring.extend(&held.scratch);
                        self.hold(out, (frame, time), facts, seen, reassembled, 0)?;
                    }
                    Rows::Parquet(p) => {
                        let text = (*text_width == 1).then(|| batch.range(text));
                        let bytes = p.payload(batch.range(payload), text);
                        self.hold(out, (frame, time), facts, seen, reassembled, bytes)?;
                    }
                    Rows::None => {}
                }
            }
            Event::Contrast { frame, time, what } => match what {
                Contrast::Tcp(segment) => {
                    self.analyzer.tcp(*frame, *time, segment);
                    if let Some(r) = self.report.as_mut() {
                        r.tcp(*frame, *time, segment);
                    }
                }
                Contrast::IcmpError(e) => {
                    if let Some(r) = self.report.as_mut() {
                        r.icmp(*frame, *time, e);
                    }
                    self.release(out, *time, false)?;
                    let attached = self.analyzer.icmp_error(*frame, e);
                    if let Some((_, Some(answered))) = attached {
                        self.held.answer(answered, e.what);
                    }
                    let id = attached.map(|(id, _)| id);
                    match &mut self.rows {
                        Rows::Follow(f) if id.is_some() && opts.conversation == id => {
                            let shown = self.clock.show(*time, &self.analyzer);
                            f.icmp(out, *frame, &shown, e)?;
                        }
                        // The error that answered a datagram, a row of its own.
                        Rows::Table(t, _)
                            if id.is_some()
                                && (opts.conversation.is_none() || opts.conversation == id) =>
                        {
                            let shown = self.clock.show(*time, &self.analyzer);
                            let answered = attached.and_then(|(_, f)| f);
                            t.row(out, icmp_row(*frame, shown, id, e, answered))?;
                        }
                        _ => {}
                    }
                }
            },
            Event::Malformed { frame, time, why } => {
                self.analyzer.malformed += 1;
                if let Rows::Table(t, _) = &mut self.rows {
                    let shown = self.clock.show(*time, &self.analyzer);
                    let note = tr!("note-malformed", why = why.as_str());
                    t.row(out, note_row(*frame, shown, note))?;
                }
            }
            Event::Note(note) => self.analyzer.notes.push(note.clone()),
            Event::Closing(_) => {}
            // Taken by the merge, which hands on what the fragments complete.
            Event::Fragment { .. } => {}
            Event::Unreadable { number, why } => {
                self.analyzer.unreadable += 1;
                if let Rows::Table(t, _) = &mut self.rows {
                    let note = tr!("note-unreadable", why = why.to_string());
                    t.row(out, note_row(*number, "-".into(), note))?;
                }
            }
        }
        Ok(())
    }

    /// Ends the rows, writes the summary and the HTML report. `label` names the input in
    /// messages, `container` its format; `failed` says the capture ended in damage.
    pub fn finish(
        mut self,
        out: &mut dyn Write,
        label: &str,
        container: &str,
        failed: bool,
    ) -> anyhow::Result<()> {
        self.release(out, None, true)?;
        let (opts, analyzer) = (self.opts, &self.analyzer);
        if let Some(r) = self.report.as_ref().filter(|_| html_on_stdout(opts)) {
            // The page is this run's output, alone.
            r.write(out, analyzer, label)?;
            return Ok(());
        }
        match (&mut self.rows, opts.format) {
            (Rows::Table(t, _), _) => {
                t.finish(out)?;
                if analyzer.datagrams > 0 || analyzer.malformed > 0 || analyzer.unreadable > 0 {
                    writeln!(out)?;
                }
                summary::write_text(out, analyzer, container, opts.paint, opts.width)?;
            }
            (Rows::None, Format::Table) => {
                summary::write_text(out, analyzer, container, opts.paint, opts.width)?;
            }
            (Rows::None, Format::Parquet) => parquet::write_summary(out, analyzer, &self.files)?,
            (Rows::None, f) => {
                summary::write_records(out, analyzer, f == Format::Csv, &self.files)?
            }
            (Rows::Records(..), _) => {}
            (Rows::Parquet(p), _) => p.finish(out)?,
            (Rows::Follow(f), _) => {
                let id = opts.conversation.unwrap_or_default();
                if !f.finish(out)? && !failed {
                    out.flush()?;
                    let all = analyzer.conversation_ids();
                    if (1..=all).contains(&(id as usize)) {
                        anyhow::bail!(tr!("error-follow-filtered", path = label, id = id));
                    }
                    anyhow::bail!(tr!(
                        "error-no-conversation",
                        path = label,
                        id = id,
                        all = all
                    ));
                }
            }
        }
        if let (Some(r), Some(path)) = (&self.report, &opts.html) {
            write_report(r, analyzer, label, path)?;
        }
        Ok(())
    }
}

/// `--html -`: the page goes to stdout, instead of the rows and the summary.
fn html_on_stdout(opts: &Options) -> bool {
    opts.html.as_deref() == Some(Path::new("-"))
}

fn write_report(r: &Report, a: &Analyzer, label: &str, path: &Path) -> anyhow::Result<()> {
    let cannot = || tr!("error-cannot-write", path = path.display().to_string());
    let file = File::create(path).with_context(cannot)?;
    let mut w = io::BufWriter::new(file);
    r.write(&mut w, a, label)
        .and_then(|()| w.flush())
        .with_context(cannot)
}

/// Frame `id` as the table writes it: in `n` for one input (no allocation), else in `s`.
fn frame_text<'a>(id: u64, n: &'a mut itoa::Buffer, s: &'a mut String) -> &'a str {
    match split_frame_id(id) {
        (0, frame) => n.format(frame),
        _ => {
            s.clear();
            push_frame(s, id);
            s
        }
    }
}

/// Writes one datagram's row straight into the table's arena.
fn table_row(
    (t, notes): (&mut BlockTable, &Notes),
    number: u64,
    time: impl FnOnce(&mut String),
    udp: &Facts,
    (preview, preview_width): (&str, usize),
    seen: Seen,
    reassembled: bool,
) {
    // Every cell but the preview is ASCII: numbers, times, addresses, notes.
    t.ascii_cell_with(|t| push_frame(t, number));
    t.ascii_cell_with(time);
    t.ascii_cell_with(|t| match seen.conversation {
        Some(c) => t.push_str(itoa::Buffer::new().format(c)),
        None => t.push('-'),
    });
    t.ascii_cell_with(|t| push_endpoint(t, udp.src, udp.sport));
    t.ascii_cell_with(|t| push_endpoint(t, udp.dst, udp.dport));
    t.ascii_cell_with(|t| t.push_str(itoa::Buffer::new().format(udp.length())));
    t.cell_of_width(preview, preview_width);
    let note = |t: &mut String| {
        let mut n = itoa::Buffer::new();
        let mut multi = String::new();
        // The reply's note comes first: the separator is needed after it.
        let mut sep = "";
        if let Role::Reply {
            to,
            after,
            retries,
            first_try,
        } = seen.role
        {
            match after {
                Some(d) => notes.reply_after.push_with(t, |i, t| match i {
                    0 => push_frame(t, to),
                    _ => push_human(t, d),
                }),
                None => notes.reply.push(t, &[frame_text(to, &mut n, &mut multi)]),
            }
            push_retries(t, retries, first_try);
            sep = "; ";
        }
        let mut note = |t: &mut String, template: &Template, values: &[&str]| {
            t.push_str(sep);
            template.push(t, values);
            sep = "; ";
        };
        if reassembled {
            note(t, &notes.reassembled, &[]);
        }
        if let Some(first) = seen.repeat_of {
            note(t, &notes.same_as, &[frame_text(first, &mut n, &mut multi)]);
        }
        if udp.cut {
            let (got, of) = (udp.captured, udp.length());
            let got = itoa::Buffer::new().format(got).to_owned();
            note(t, &notes.cut, &[&got, n.format(of)]);
        }
        if udp.bad_length {
            note(t, &notes.bad_length, &[n.format(udp.length_field)]);
        }
    };
    if notes.ascii {
        t.ascii_cell_with(note);
    } else {
        t.cell_with(note);
    }
}

/// The row of an ICMP error about a datagram of conversation `id`: from its sender to the
/// datagram's sender (ICMP has no ports), and which frame it answered.
fn icmp_row(
    number: u64,
    time: String,
    id: Option<u32>,
    e: &IcmpError,
    answered: Option<u64>,
) -> Vec<String> {
    let note = match answered {
        Some(f) => tr!(
            "table-icmp-for-frame",
            what = summary::icmp_name(e.what),
            frame = FrameNo(f).to_string()
        ),
        None => tr!(
            "table-icmp-for-datagram",
            what = summary::icmp_name(e.what),
            target = e.udp_dst.to_string()
        ),
    };
    vec![
        FrameNo(number).to_string(),
        time,
        id.map_or_else(|| "-".to_string(), |id| id.to_string()),
        e.from.to_string(),
        e.udp_src.addr.to_string(),
        "-".to_string(),
        "-".to_string(),
        note,
    ]
}

fn note_row(number: u64, time: String, note: String) -> Vec<String> {
    let dash = || "-".to_string();
    vec![
        FrameNo(number).to_string(),
        time,
        dash(),
        dash(),
        dash(),
        dash(),
        dash(),
        note,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Role;

    /// Holds a row of `bytes` bytes (each `frame as u8`).
    fn hold(held: &mut Held, frame: u64, time: Option<Duration>, bytes: usize) {
        held.put(&vec![frame as u8; bytes]);
        held.push(row(frame, time));
    }

    fn row(frame: u64, time: Option<Duration>) -> HeldRow {
        HeldRow {
            frame,
            time,
            facts: Facts {
                src: "10.0.0.1".parse().unwrap(),
                dst: "10.0.0.2".parse().unwrap(),
                sport: 1,
                dport: 2,
                length_field: 8,
                cut: false,
                bad_length: false,
                captured: 0,
                print: 0,
                frame_len: 0,
            },
            seen: Seen {
                conversation: Some(1),
                role: Role::Request,
                repeat_of: None,
            },
            reassembled: false,
            icmp: None,
            len: 0,
            elsewhere: 0,
        }
    }

    fn secs(s: f64) -> Option<Duration> {
        Some(Duration::from_secs_f64(s))
    }

    #[test]
    fn rows_wait_a_second_of_capture_time_for_their_icmp_error() {
        let mut held = Held::default();
        hold(&mut held, 1, secs(10.0), 10);
        hold(&mut held, 2, secs(10.5), 10);
        // An error half a second later reaches its row.
        assert!(held.due(secs(10.6), false).is_none());
        held.answer(1, "port unreachable");
        // A second and more after a row, it is written; an error after that finds no row.
        let first = held.due(secs(11.01), false).expect("row 1 is due");
        assert_eq!((first.frame, first.icmp), (1, Some("port unreachable")));
        assert!(held.due(secs(11.01), false).is_none());
        let second = held.due(secs(11.6), false).expect("row 2 is due");
        held.answer(2, "host unreachable");
        assert_eq!((second.frame, second.icmp), (2, None));
        // Rows without a time wait for the bounds or the end only.
        hold(&mut held, 3, None, 10);
        assert!(held.due(secs(1e6), false).is_none());
        assert_eq!(held.due(None, true).map(|r| r.frame), Some(3));
        assert!(held.due(None, true).is_none());
    }

    #[test]
    fn rows_wait_in_bounded_memory() {
        let mut held = Held::default();
        for frame in 0..=HOLD_ROWS as u64 {
            hold(&mut held, frame, secs(1.0), 1);
        }
        // One row over the bound: the oldest goes, the rest wait.
        assert_eq!(held.due(secs(1.0), false).map(|r| r.frame), Some(0));
        assert!(held.due(secs(1.0), false).is_none());
        // Over the bytes' bound likewise, whatever the count.
        let mut held = Held::default();
        hold(&mut held, 1, secs(1.0), HOLD_BYTES);
        hold(&mut held, 2, secs(1.0), 1);
        let first = held.due(secs(1.0), false).expect("row 1 is due");
        assert_eq!((first.frame, first.len), (1, HOLD_BYTES));
        held.consume(first.len);
        assert!(held.due(secs(1.0), false).is_none());
        assert_eq!((held.bytes, held.ring.len()), (1, 1));
    }

    /// Rows of every size come out whole and in order, whether or not they wrap around the
    /// ring's end, and the ring stays near the bytes' bound and a row, however long the run.
    #[test]
    fn held_rows_keep_their_bytes_in_one_bounded_ring() {
        let size = |frame: u64| 1 + (frame * 7_919 % 9_000) as usize;
        let mut held = Held::default();
        let (mut next_out, mut wrapped, mut most) = (0u64, 0, 0);
        let mut check = |held: &mut Held, row: HeldRow, next_out: &mut u64| {
            assert_eq!(row.frame, *next_out);
            let (a, b) = Held::front(&held.ring, row.len);
            assert_eq!(a.len() + b.len(), size(*next_out));
            assert!(a.iter().chain(b).all(|&x| x == *next_out as u8));
            wrapped += usize::from(!b.is_empty());
            held.consume(row.len);
            *next_out += 1;
        };
        for frame in 0..20_000u64 {
            // Sizes from 1 byte to 9,000 (a reassembled datagram's record), in no order.
            hold(&mut held, frame, secs(1.0), size(frame));
            while let Some(row) = held.due(secs(1.0), false) {
                check(&mut held, row, &mut next_out);
            }
            most = most.max(held.ring.capacity());
        }
        assert!(next_out > 10_000, "{next_out} rows written");
        while let Some(row) = held.due(None, true) {
            check(&mut held, row, &mut next_out);
        }
        assert_eq!(next_out, 20_000);
        assert!(wrapped > 0, "no row wrapped around the ring's end");
        assert!(
            most <= 2 * (HOLD_BYTES + 9_000),
            "the ring reached {most} bytes"
        );
    }
}
