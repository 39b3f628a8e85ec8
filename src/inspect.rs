//! `oneway inspect`: capture → dissect → analyze → render, one frame at a time.
//!
//! Two threads: a reader (capture, dissection, reassembly) hands events in bounded batches to
//! this thread (analysis, output). Datagram rows are written as frames are read, so memory does
//! not grow with the capture and `oneway inspect big.pcap | head` stops early. A damaged capture still gets every row and the
//! summary of what came before the damage; the damage is then returned as the error.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::analyze::{Analyzer, Role, Seen};
use crate::capture::{Capture, Record};
use crate::cli::{Format, InspectArgs, TimeFormat};
use crate::contrast::Contrast;
use crate::dissect::{Dissection, Reassembler, Skip, Udp, dissect, fragment};
use crate::render::escape::escape_into;
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
    Records(RecordWriter),
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
            let mut w = RecordWriter::new(f == Format::Csv);
            w.start(out)?;
            Rows::Records(w)
        }
    };

    let mut analyzer = Analyzer::new();
    let mut clock = Clock {
        format: opts.time,
        previous: None,
    };
    let mut report = opts.html.as_ref().map(|_| Report::new());
    // Two threads, when it pays: the reader reads, dissects and reassembles; this thread
    // analyzes and writes. Each keeps its own working set in its own core's cache (the flow
    // table is the summary's main cost, and packet data would evict it), and they overlap.
    // Events cross in bounded batches, so memory stays flat; the reader stops at its next batch
    // once this side is gone (a closed pipe), and its panics reach this thread at the join.
    let mut failure = None;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Message>(4);
        scope.spawn(move || read_events(capture, &tx));
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
                state.event(out, event, &batch.arena)?;
            }
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
        (Rows::Records(_), _) => {}
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

/// A UDP datagram without its payload, which travels in the batch's arena.
#[derive(Debug, Clone, Copy)]
struct UdpHead {
    src: IpAddr,
    dst: IpAddr,
    sport: u16,
    dport: u16,
    length_field: u16,
    cut: bool,
    bad_length: bool,
}

/// What the reader found, in capture order.
#[derive(Debug)]
enum Event {
    /// A record was read (with its time, when it has one).
    Frame(Option<Duration>),
    /// A UDP datagram (payload at `payload` in the batch's arena).
    Udp {
        frame: u64,
        time: Option<Duration>,
        head: UdpHead,
        payload: std::ops::Range<usize>,
        reassembled: bool,
    },
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

/// Events and the payload bytes they refer to.
#[derive(Debug, Default)]
struct Batch {
    events: Vec<Event>,
    arena: Vec<u8>,
}

/// Events per batch at most, and payload bytes per batch before it is sent early.
const BATCH_EVENTS: usize = 1024;
const BATCH_BYTES: usize = 1 << 20;

enum Message {
    Batch(Batch),
    /// The capture could not be read further; every batch before this one holds what was read.
    Failed(crate::capture::CaptureError),
}

/// The reader's side: records → dissection → reassembly → events, sent in batches.
fn read_events<R: Read>(mut capture: Capture<R>, tx: &std::sync::mpsc::SyncSender<Message>) {
    let mut batch = Batch::default();
    let mut reassembler = Reassembler::default();
    let send = |batch: &mut Batch| tx.send(Message::Batch(std::mem::take(batch))).is_ok();
    let counts = |reassembler: &mut Reassembler, batch: &mut Batch| {
        for (kind, n) in reassembler.take_counts() {
            batch.events.push(Event::Skipped(kind, n));
        }
    };
    while let Some(next) = capture.next_record() {
        match next {
            Ok(Record::Frame(frame)) => {
                batch.events.push(Event::Frame(frame.time));
                let whole;
                let mut dissection = dissect(frame.link, &frame.data);
                let reassembled = dissection == Dissection::Skipped(Skip::Fragment);
                if reassembled {
                    whole = fragment(frame.link, &frame.data)
                        .and_then(|f| reassembler.add(frame.time, &f));
                    counts(&mut reassembler, &mut batch);
                    match &whole {
                        Some(w) => dissection = w.dissect(),
                        None => continue,
                    }
                }
                match dissection {
                    Dissection::Udp(udp) => {
                        let start = batch.arena.len();
                        batch.arena.extend_from_slice(udp.payload);
                        batch.events.push(Event::Udp {
                            frame: frame.number,
                            time: frame.time,
                            head: UdpHead {
                                src: udp.src,
                                dst: udp.dst,
                                sport: udp.sport,
                                dport: udp.dport,
                                length_field: udp.length_field,
                                cut: udp.cut,
                                bad_length: udp.bad_length,
                            },
                            payload: start..batch.arena.len(),
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
        if (batch.events.len() >= BATCH_EVENTS || batch.arena.len() >= BATCH_BYTES)
            && !send(&mut batch)
        {
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
    /// Analyzes and writes one event; `arena` holds the batch's payloads.
    fn event(&mut self, out: &mut dyn Write, event: &Event, arena: &[u8]) -> anyhow::Result<()> {
        let opts = self.opts;
        match event {
            Event::Frame(time) => self.analyzer.frame(*time),
            Event::Skipped(kind, n) => *self.analyzer.skipped.entry(*kind).or_default() += n,
            Event::Udp {
                frame,
                time,
                head,
                payload,
                reassembled,
            } => {
                let (frame, time, reassembled) = (*frame, *time, *reassembled);
                let udp = Udp {
                    src: head.src,
                    dst: head.dst,
                    sport: head.sport,
                    dport: head.dport,
                    length_field: head.length_field,
                    payload: &arena[payload.clone()],
                    cut: head.cut,
                    bad_length: head.bad_length,
                };
                if !opts.keeps(&udp) {
                    self.analyzer.filtered_out += 1;
                    return Ok(());
                }
                let seen = self.analyzer.datagram(frame, time, &udp);
                if let Some(r) = self.report.as_deref_mut() {
                    r.datagram(frame, time, &udp, seen);
                }
                if opts.conversation.is_some() && seen.conversation != opts.conversation {
                    return Ok(());
                }
                match &mut *self.rows {
                    Rows::Table(t) => {
                        let (clock, analyzer) = (&mut *self.clock, &*self.analyzer);
                        table_row(
                            t,
                            frame,
                            |s| clock.push(s, time, analyzer),
                            &udp,
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
                            f.datagram(out, &c, frame, &shown, &udp, seen)?;
                        }
                    }
                    Rows::Records(w) => w.datagram(out, frame, time, &udp, reassembled)?,
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
    udp: &Udp<'_>,
    seen: Seen,
    reassembled: bool,
) {
    t.cell_with(|t| t.push_str(itoa::Buffer::new().format(number)));
    t.cell_with(time);
    t.cell_with(|t| match seen.conversation {
        Some(c) => t.push_str(itoa::Buffer::new().format(c)),
        None => t.push('-'),
    });
    t.cell_with(|t| push_endpoint(t, udp.src, udp.sport));
    t.cell_with(|t| push_endpoint(t, udp.dst, udp.dport));
    t.cell_with(|t| t.push_str(itoa::Buffer::new().format(udp.length())));
    t.cell_with(|t| escape_into(udp.payload, PAYLOAD_PREVIEW, t));
    t.cell_with(|t| {
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
            let (got, of) = (udp.payload.len(), udp.length());
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
