//! `oneway inspect`: capture → dissect → analyze → render, one frame at a time.
//!
//! Two threads: a reader (capture, dissection, reassembly, and whatever formatting needs no
//! analysis: filters, fingerprints, jsonl/csv records, the table's payload preview) hands events
//! in bounded batches to this thread (analysis, output). Datagram rows are written as frames are
//! read, so memory does not grow with the capture and `oneway inspect big.pcap | head` stops
//! early. A damaged capture still gets every row and the summary of what came before the
//! damage; the damage is then returned as the error.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::IpAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use anyhow::Context;

use crate::analyze::{Analyzer, Facts, Role, Seen};
use crate::capture::{Capture, Record};
use crate::cli::{Format, InspectArgs, TimeFormat};
use crate::contrast::Contrast;
use crate::dissect::{Dissection, Reassembler, Skip, Udp, dissect, fragment};
use crate::render::escape::escape_bytes_into;
use crate::render::follow::Follow;
use crate::render::html::Report;
use crate::render::records::{RecordWriter, rfc3339};
use crate::render::summary::{self, push_human, push_seconds_between};
use crate::render::table::BlockTable;
use crate::render::{Paint, push_endpoint};

/// How many characters of payload the table shows before `...`.
pub const PAYLOAD_PREVIEW: usize = 72;

/// Resolved options of `inspect`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The capture; `-` is stdin.
    pub input: PathBuf,
    /// Output format.
    pub format: Format,
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

impl From<InspectArgs> for Options {
    fn from(a: InspectArgs) -> Self {
        Options {
            input: a.file,
            format: a.format,
            summary_only: a.summary,
            ports: a.port,
            hosts: a.host,
            conversation: a.conversation,
            time: a.time,
            html: a.html,
            paint: Paint::default(),
        }
    }
}

impl Options {
    fn keeps(&self, u: &Udp<'_>) -> bool {
        (self.ports.is_empty() || self.ports.iter().any(|p| *p == u.sport || *p == u.dport))
            && (self.hosts.is_empty() || self.hosts.iter().any(|h| *h == u.src || *h == u.dst))
    }
}

/// Where rows go.
enum Rows {
    Table(BlockTable),
    /// jsonl or csv, rendered by the reader.
    Records,
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

/// Runs `inspect`.
pub fn run(opts: &Options, out: &mut dyn Write, _err: &mut dyn Write) -> anyhow::Result<()> {
    let name = opts.input.display().to_string();
    let input: Box<dyn Read + Send> = if opts.input == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(&opts.input).with_context(|| format!("cannot open {name}"))?)
    };
    let label = if name == "-" {
        "stdin".to_string()
    } else {
        name
    };
    let capture = Capture::open(input).with_context(|| label.clone())?;
    let format = capture.format();

    let mut rows = match (opts.summary_only, opts.format) {
        (true, _) => Rows::None,
        (false, Format::Table) if opts.conversation.is_some() => {
            Rows::Follow(Follow::new(opts.paint))
        }
        (false, Format::Table) => Rows::Table(BlockTable::new(
            &[
                "#",
                "time",
                "conv",
                "source",
                "destination",
                "len",
                "payload",
                "note",
            ],
            &[true, true, true, false, false, true, false, false],
            &[1, 8, 4, 6, 11, 3, 7, 4],
        )),
        (false, f) => {
            RecordWriter::new(f == Format::Csv).start(out)?;
            Rows::Records
        }
    };

    let mut analyzer = Analyzer::new();
    let mut clock = Clock {
        format: opts.time,
        previous: None,
    };
    let mut report = opts.html.as_ref().map(|_| Report::new());
    // Two threads: the reader reads, dissects, reassembles and prepares (see `Prepare`); this
    // thread analyzes and writes. Each keeps its own working set in its own core's cache (the flow
    // table is the summary's main cost, and packet data would evict it), and they overlap.
    // Events cross in bounded batches, so memory stays flat; the reader stops at its next batch
    // once this side is gone (a closed pipe), and its panics reach this thread at the join.
    let mut failure = None;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (tx, rx) = sync_channel::<Message>(4);
        let (free_tx, free_rx) = sync_channel::<Batch>(8);
        let prepare = Prepare {
            opts,
            payload: report.is_some() || matches!(rows, Rows::Follow(_)),
            text: match (&rows, opts.format) {
                (Rows::Table(_), _) => Text::Preview,
                (Rows::Records, f) => Text::Record(RecordWriter::new(f == Format::Csv)),
                _ => Text::None,
            },
        };
        scope.spawn(move || read_events(capture, prepare, &tx, &free_rx));
        for message in rx {
            let batch = match message {
                Message::Batch(batch) => batch,
                Message::Failed(e) => {
                    failure = Some(e);
                    break;
                }
            };
            for event in &batch.events {
                let mut state = State {
                    opts,
                    analyzer: &mut analyzer,
                    report: report.as_mut(),
                    rows: &mut rows,
                    clock: &mut clock,
                };
                state.event(out, event, &batch)?;
            }
            let _ = free_tx.try_send(batch);
        }
        Ok(())
    })?;

    match (&mut rows, opts.format) {
        (Rows::Table(t), _) => {
            t.finish(out)?;
            if analyzer.datagrams > 0 || analyzer.malformed > 0 || analyzer.unreadable > 0 {
                writeln!(out)?;
            }
            summary::write_text(out, &analyzer, format, opts.paint)?;
        }
        (Rows::None, Format::Table) => summary::write_text(out, &analyzer, format, opts.paint)?,
        (Rows::None, f) => summary::write_records(out, &analyzer, f == Format::Csv)?,
        (Rows::Records, _) => {}
        (Rows::Follow(f), _) => {
            let id = opts.conversation.unwrap_or_default();
            if !f.finish(out)? && failure.is_none() {
                out.flush()?;
                anyhow::bail!(
                    "{label}: there is no conversation {id} (it has {})",
                    analyzer.conversation_count()
                );
            }
        }
    }
    if let (Some(r), Some(path)) = (&report, &opts.html) {
        write_report(r, &analyzer, &label, path)?;
    }
    out.flush()?;
    match failure {
        Some(e) => Err(anyhow::Error::new(e).context(label)),
        None => Ok(()),
    }
}

/// What the reader found, in capture order.
#[derive(Debug)]
enum Event {
    /// A record was read (with its time, when it has one).
    Frame(Option<Duration>),
    /// A UDP datagram: its facts, and in the batch's arena its payload (when this run shows
    /// payloads whole) and its text (a record, or the table's preview), each possibly empty.
    Udp {
        /// This datagram's record was not counted by a [`Event::Frame`]: count it.
        new_frame: bool,
        frame: u64,
        time: Option<Duration>,
        facts: Facts,
        payload: Range<u32>,
        text: Range<u32>,
        /// The table preview's display width.
        text_width: u16,
        reassembled: bool,
    },
    /// A UDP datagram that `--port`/`--host` leave out.
    FilteredOut,
    /// Frames that are not UDP, by kind.
    Skipped(Skip, u64),
    /// What a TCP or ICMP frame tells by contrast.
    Contrast {
        frame: u64,
        time: Option<Duration>,
        what: Contrast,
    },
    /// A frame too damaged to dissect.
    Malformed {
        frame: u64,
        time: Option<Duration>,
        why: String,
    },
    /// A record the reader could not decode.
    Unreadable { number: u64, why: String },
    /// Something the capture reader set aside, in words (for the summary).
    Note(String),
}

/// Events and the bytes they refer to.
#[derive(Debug, Default)]
struct Batch {
    events: Vec<Event>,
    arena: Vec<u8>,
}

impl Batch {
    fn range(&self, r: &Range<u32>) -> &[u8] {
        &self.arena[r.start as usize..r.end as usize]
    }
}

/// What the reader prepares of each datagram for the writer, by what this run shows: the
/// formatting that needs no analysis is done on the reader's core.
struct Prepare<'o> {
    opts: &'o Options,
    /// Copy the payload (the follow view and the HTML report show it).
    payload: bool,
    /// The row's text, if any.
    text: Text,
}

enum Text {
    None,
    /// The jsonl or csv record, whole.
    Record(RecordWriter),
    /// The table's payload column, and its display width.
    Preview,
}

impl Prepare<'_> {
    /// Appends what the writer needs of `udp` to `arena`: (payload, text) ranges, and the text's
    /// display width when it is the table's preview.
    fn datagram(
        &mut self,
        arena: &mut Vec<u8>,
        frame: u64,
        time: Option<Duration>,
        udp: &Udp<'_>,
        reassembled: bool,
    ) -> (Range<u32>, Range<u32>, u16) {
        let mut width = 0;
        // Batches end at about a megabyte: offsets fit in a u32.
        let offset = |arena: &Vec<u8>| u32::try_from(arena.len()).unwrap_or(u32::MAX);
        let start = offset(arena);
        if self.payload {
            arena.extend_from_slice(udp.payload);
        }
        let payload = start..offset(arena);
        match &mut self.text {
            Text::None => {}
            Text::Record(w) => w.render(arena, frame, time, udp, reassembled),
            Text::Preview => {
                escape_bytes_into(udp.payload, PAYLOAD_PREVIEW, arena);
                // Measured here, so that the writer need not.
                let shown = std::str::from_utf8(&arena[payload.end as usize..]).unwrap_or_default();
                width = u16::try_from(crate::render::table::width(shown)).unwrap_or(u16::MAX);
            }
        }
        (payload.clone(), payload.end..offset(arena), width)
    }
}

/// Events per batch at most, and arena bytes per batch before it is sent early. Large enough
/// that the writer rarely waits for the reader and has to be woken (a futex call and a context
/// switch each time: with 1024 events per batch these made the summary 20 % slower).
const BATCH_EVENTS: usize = 4096;
const BATCH_BYTES: usize = 1 << 20;

enum Message {
    Batch(Batch),
    /// The capture could not be read further; every batch before this one holds what was read.
    Failed(crate::capture::CaptureError),
}

/// The reader's side: records → dissection → reassembly → events, sent in batches. Batches
/// the writer is done with come back through `free`, so that their memory is reused.
fn read_events<R: Read>(
    mut capture: Capture<R>,
    mut prepare: Prepare<'_>,
    tx: &SyncSender<Message>,
    free: &Receiver<Batch>,
) {
    let fresh = || match free.try_recv() {
        Ok(mut b) => {
            b.events.clear();
            b.arena.clear();
            b
        }
        Err(_) => Batch {
            events: Vec::with_capacity(BATCH_EVENTS + 64),
            arena: Vec::with_capacity(BATCH_BYTES + 4096),
        },
    };
    let mut batch = fresh();
    let mut reassembler = Reassembler::default();
    let send = |batch: &mut Batch| {
        tx.send(Message::Batch(std::mem::replace(batch, fresh())))
            .is_ok()
    };
    let counts = |reassembler: &mut Reassembler, batch: &mut Batch| {
        for (kind, n) in reassembler.take_counts() {
            batch.events.push(Event::Skipped(kind, n));
        }
    };
    let full =
        |batch: &Batch| batch.events.len() >= BATCH_EVENTS || batch.arena.len() >= BATCH_BYTES;
    while let Some(next) = capture.next_record() {
        match next {
            Ok(Record::Frame(frame)) => {
                let whole;
                let mut dissection = dissect(frame.link, &frame.data);
                // A datagram that is shown counts its own frame (one event, not two, for the
                // common case); any other record is counted by a frame event first.
                let plain = matches!(&dissection, Dissection::Udp(u) if prepare.opts.keeps(u));
                if !plain {
                    batch.events.push(Event::Frame(frame.time));
                }
                let reassembled = dissection == Dissection::Skipped(Skip::Fragment);
                if reassembled {
                    whole = fragment(frame.link, &frame.data)
                        .and_then(|f| reassembler.add(frame.time, &f));
                    counts(&mut reassembler, &mut batch);
                    match &whole {
                        Some(w) => dissection = w.dissect(),
                        // Nothing completed yet; the batch limit holds on this path too.
                        None if full(&batch) && !send(&mut batch) => return,
                        None => continue,
                    }
                }
                match dissection {
                    // (`plain` already says so for a datagram that was not reassembled.)
                    Dissection::Udp(udp) if !(plain || prepare.opts.keeps(&udp)) => {
                        batch.events.push(Event::FilteredOut);
                    }
                    Dissection::Udp(udp) => {
                        let (payload, text, text_width) = prepare.datagram(
                            &mut batch.arena,
                            frame.number,
                            frame.time,
                            &udp,
                            reassembled,
                        );
                        batch.events.push(Event::Udp {
                            new_frame: plain,
                            frame: frame.number,
                            time: frame.time,
                            facts: Facts::of(&udp),
                            payload,
                            text,
                            text_width,
                            reassembled,
                        });
                    }
                    Dissection::Skipped(kind) => {
                        batch.events.push(Event::Skipped(kind, 1));
                        if matches!(kind, Skip::Tcp | Skip::Icmp | Skip::Icmpv6)
                            && let Some(what) = crate::contrast::classify(frame.link, &frame.data)
                        {
                            batch.events.push(Event::Contrast {
                                frame: frame.number,
                                time: frame.time,
                                what,
                            });
                        }
                    }
                    Dissection::Malformed(why) => batch.events.push(Event::Malformed {
                        frame: frame.number,
                        time: frame.time,
                        why,
                    }),
                }
            }
            Ok(Record::NotAPacket { what, .. }) => {
                batch.events.push(Event::Frame(None));
                batch.events.push(Event::Skipped(Skip::NotAPacket(what), 1));
            }
            Ok(Record::Unreadable { number, why }) => {
                batch.events.push(Event::Frame(None));
                batch.events.push(Event::Unreadable { number, why });
            }
            Err(e) => {
                reassembler.finish();
                counts(&mut reassembler, &mut batch);
                batch
                    .events
                    .extend(capture.notes().into_iter().map(Event::Note));
                if send(&mut batch) {
                    let _ = tx.send(Message::Failed(e));
                }
                return;
            }
        }
        if full(&batch) && !send(&mut batch) {
            return;
        }
    }
    reassembler.finish();
    counts(&mut reassembler, &mut batch);
    batch
        .events
        .extend(capture.notes().into_iter().map(Event::Note));
    send(&mut batch);
}

/// The writing side: what it needs to handle one event.
struct State<'a> {
    opts: &'a Options,
    analyzer: &'a mut Analyzer,
    report: Option<&'a mut Report>,
    rows: &'a mut Rows,
    clock: &'a mut Clock,
}

impl State<'_> {
    /// Analyzes and writes one event of `batch`.
    fn event(&mut self, out: &mut dyn Write, event: &Event, batch: &Batch) -> anyhow::Result<()> {
        let opts = self.opts;
        match event {
            Event::Frame(time) => self.analyzer.frame(*time),
            Event::Skipped(kind, n) => *self.analyzer.skipped.entry(*kind).or_default() += n,
            Event::FilteredOut => self.analyzer.filtered_out += 1,
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
                if let Some(r) = self.report.as_deref_mut() {
                    r.datagram(frame, time, &facts.udp(batch.range(payload)), seen);
                }
                if opts.conversation.is_some() && seen.conversation != opts.conversation {
                    return Ok(());
                }
                match &mut *self.rows {
                    Rows::Table(t) => {
                        let (clock, analyzer) = (&mut *self.clock, &*self.analyzer);
                        let preview = std::str::from_utf8(batch.range(text)).unwrap_or_default();
                        table_row(
                            t,
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
                        let shown = self.clock.show(time, self.analyzer);
                        if let Some(c) = seen
                            .conversation
                            .and_then(|id| self.analyzer.conversation(id))
                        {
                            let udp = facts.udp(batch.range(payload));
                            f.datagram(out, &c, frame, &shown, &udp, seen)?;
                        }
                    }
                    Rows::Records => out.write_all(batch.range(text))?,
                    Rows::None => {}
                }
            }
            Event::Contrast { frame, time, what } => match what {
                Contrast::Tcp(segment) => {
                    self.analyzer.tcp(*frame, *time, segment);
                    if let Some(r) = self.report.as_deref_mut() {
                        r.tcp(*frame, *time, segment);
                    }
                }
                Contrast::IcmpError(e) => {
                    if let Some(r) = self.report.as_deref_mut() {
                        r.icmp(*frame, *time, e);
                    }
                    let id = self.analyzer.icmp_error(*frame, e);
                    if let Rows::Follow(f) = &mut *self.rows
                        && id.is_some()
                        && opts.conversation == id
                    {
                        let shown = self.clock.show(*time, self.analyzer);
                        f.icmp(out, *frame, &shown, e)?;
                    }
                }
            },
            Event::Malformed { frame, time, why } => {
                self.analyzer.malformed += 1;
                if let Rows::Table(t) = &mut *self.rows {
                    let shown = self.clock.show(*time, self.analyzer);
                    t.row(out, note_row(*frame, shown, format!("malformed: {why}")))?;
                }
            }
            Event::Note(note) => self.analyzer.notes.push(note.clone()),
            Event::Unreadable { number, why } => {
                self.analyzer.unreadable += 1;
                if let Rows::Table(t) = &mut *self.rows {
                    t.row(
                        out,
                        note_row(*number, "-".into(), format!("unreadable: {why}")),
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn write_report(r: &Report, a: &Analyzer, label: &str, path: &Path) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = io::BufWriter::new(file);
    r.write(&mut w, a, label)
        .and_then(|()| w.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Writes one datagram's row straight into the table's arena.
fn table_row(
    t: &mut BlockTable,
    number: u64,
    time: impl FnOnce(&mut String),
    udp: &Facts,
    (preview, preview_width): (&str, usize),
    seen: Seen,
    reassembled: bool,
) {
    // Every cell but the preview is ASCII: numbers, times, addresses, notes.
    t.ascii_cell_with(|t| t.push_str(itoa::Buffer::new().format(number)));
    t.ascii_cell_with(time);
    t.ascii_cell_with(|t| match seen.conversation {
        Some(c) => t.push_str(itoa::Buffer::new().format(c)),
        None => t.push('-'),
    });
    t.ascii_cell_with(|t| push_endpoint(t, udp.src, udp.sport));
    t.ascii_cell_with(|t| push_endpoint(t, udp.dst, udp.dport));
    t.ascii_cell_with(|t| t.push_str(itoa::Buffer::new().format(udp.length())));
    t.cell_of_width(preview, preview_width);
    t.ascii_cell_with(|t| {
        let mut sep = "";
        let mut note = |t: &mut String, pieces: &[&str]| {
            t.push_str(sep);
            pieces.iter().for_each(|p| t.push_str(p));
            sep = "; ";
        };
        let mut n = itoa::Buffer::new();
        if let Role::Reply { to, after } = seen.role {
            note(t, &["reply to ", n.format(to)]);
            if let Some(d) = after {
                t.push_str(" after ");
                push_human(t, d);
            }
        }
        if reassembled {
            note(t, &["reassembled from IP fragments"]);
        }
        if let Some(first) = seen.repeat_of {
            note(t, &["same as ", n.format(first)]);
        }
        if udp.cut {
            let (got, of) = (udp.captured, udp.length());
            let got = itoa::Buffer::new().format(got).to_owned();
            note(t, &["cut: ", &got, " of ", n.format(of), " bytes captured"]);
        }
        if udp.bad_length {
            note(t, &["bad UDP length field ", n.format(udp.length_field)]);
        }
    });
}

fn note_row(number: u64, time: String, note: String) -> Vec<String> {
    let dash = || "-".to_string();
    vec![
        number.to_string(),
        time,
        dash(),
        dash(),
        dash(),
        dash(),
        dash(),
        note,
    ]
}
