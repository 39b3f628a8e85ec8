//! `oneway inspect`: capture → dissect → analyze → render, one frame at a time.
//!
//! Datagram rows are written as frames are read, so memory does not grow with the capture and
//! `oneway inspect big.pcap | head` stops early. A damaged capture still gets every row and the
//! summary of what came before the damage; the damage is then returned as the error.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::analyze::{Analyzer, Role, Seen};
use crate::capture::{Capture, Frame, Record};
use crate::cli::{Format, InspectArgs, TimeFormat};
use crate::contrast::{Contrast, IcmpError};
use crate::dissect::{Dissection, Reassembler, Skip, Udp, dissect, fragment};
use crate::render::escape::escape_into;
use crate::render::follow::{Follow, delta};
use crate::render::html::Report;
use crate::render::records::{RecordWriter, rfc3339};
use crate::render::summary::{self, human, relative};
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
        let s = match self.format {
            TimeFormat::Relative => relative(t, a.first_time),
            TimeFormat::Absolute => t.map_or_else(|| "-".into(), rfc3339),
            TimeFormat::Delta => delta(t, self.previous),
        };
        if t.is_some() {
            self.previous = t;
        }
        s
    }
}

/// Runs `inspect`.
pub fn run(opts: &Options, out: &mut dyn Write, _err: &mut dyn Write) -> anyhow::Result<()> {
    let name = opts.input.display().to_string();
    let input: Box<dyn Read> = if opts.input == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(&opts.input).with_context(|| format!("cannot open {name}"))?)
    };
    let label = if name == "-" {
        "stdin".to_string()
    } else {
        name
    };
    let mut capture = Capture::open(input).with_context(|| label.clone())?;
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
    let mut reassembler = Reassembler::default();
    let mut failure = None;
    while let Some(next) = capture.next_record() {
        match next {
            Ok(Record::Frame(frame)) => {
                analyzer.frame(frame.time);
                // A fragment goes to the reassembler; the datagram it completes is reported here.
                let whole;
                let mut dissection = dissect(frame.link, &frame.data);
                let reassembled = dissection == Dissection::Skipped(Skip::Fragment);
                if reassembled {
                    whole = fragment(frame.link, &frame.data)
                        .and_then(|f| reassembler.add(frame.time, &f));
                    for (kind, n) in reassembler.take_counts() {
                        *analyzer.skipped.entry(kind).or_default() += n;
                    }
                    match &whole {
                        Some(w) => dissection = w.dissect(),
                        None => continue,
                    }
                }
                match dissection {
                    Dissection::Udp(udp) => {
                        if !opts.keeps(&udp) {
                            analyzer.filtered_out += 1;
                            continue;
                        }
                        let seen = analyzer.datagram(frame.number, frame.time, &udp);
                        if let Some(r) = &mut report {
                            r.datagram(frame.number, frame.time, &udp, seen);
                        }
                        if opts.conversation.is_some() && seen.conversation != opts.conversation {
                            continue;
                        }
                        match &mut rows {
                            Rows::Table(t) => {
                                let time = clock.show(frame.time, &analyzer);
                                {
                                    table_row(t, frame.number, &time, &udp, seen, reassembled);
                                    t.end_row(out)?
                                }
                            }
                            Rows::Follow(f) => {
                                let time = clock.show(frame.time, &analyzer);
                                if let Some(c) =
                                    seen.conversation.and_then(|id| analyzer.conversation(id))
                                {
                                    f.datagram(out, &c, frame.number, &time, &udp, seen)?;
                                }
                            }
                            Rows::Records(w) => {
                                w.datagram(out, frame.number, frame.time, &udp, reassembled)?
                            }
                            Rows::None => {}
                        }
                    }
                    Dissection::Skipped(kind) => {
                        analyzer.skipped(kind);
                        if matches!(kind, Skip::Tcp | Skip::Icmp | Skip::Icmpv6)
                            && let Some((id, e)) = contrast(&mut analyzer, report.as_mut(), &frame)
                            && let Rows::Follow(f) = &mut rows
                            && opts.conversation == Some(id)
                        {
                            let time = clock.show(frame.time, &analyzer);
                            f.icmp(out, frame.number, &time, &e)?;
                        }
                    }
                    Dissection::Malformed(why) => {
                        analyzer.malformed += 1;
                        if let Rows::Table(t) = &mut rows {
                            let time = clock.show(frame.time, &analyzer);
                            t.row(
                                out,
                                note_row(frame.number, time, format!("malformed: {why}")),
                            )?;
                        }
                    }
                }
            }
            Ok(Record::NotAPacket { what, .. }) => {
                analyzer.frame(None);
                analyzer.skipped(Skip::NotAPacket(what));
            }
            Ok(Record::Unreadable { number, why }) => {
                analyzer.frame(None);
                analyzer.unreadable += 1;
                if let Rows::Table(t) = &mut rows {
                    t.row(
                        out,
                        note_row(number, "-".into(), format!("unreadable: {why}")),
                    )?;
                }
            }
            Err(e) => failure = Some(e),
        }
    }
    reassembler.finish();
    for (kind, n) in reassembler.take_counts() {
        *analyzer.skipped.entry(kind).or_default() += n;
    }

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

/// Files what a TCP or ICMP frame tells by contrast; an ICMP error that answers a conversation
/// is returned with the conversation's id.
fn contrast(
    a: &mut Analyzer,
    report: Option<&mut Report>,
    frame: &Frame<'_>,
) -> Option<(u32, IcmpError)> {
    match crate::contrast::classify(frame.link, &frame.data)? {
        Contrast::Tcp(segment) => {
            a.tcp(frame.number, frame.time, &segment);
            if let Some(r) = report {
                r.tcp(frame.number, frame.time, &segment);
            }
            None
        }
        Contrast::IcmpError(e) => {
            if let Some(r) = report {
                r.icmp(frame.number, frame.time, &e);
            }
            a.icmp_error(frame.number, &e).map(|id| (id, e))
        }
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
    time: &str,
    udp: &Udp<'_>,
    seen: Seen,
    reassembled: bool,
) {
    use std::fmt::Write as _;
    t.cell_with(|t| t.push_str(itoa::Buffer::new().format(number)));
    t.cell(time);
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
        let mut note = |t: &mut String, args: std::fmt::Arguments<'_>| {
            t.push_str(sep);
            let _ = t.write_fmt(args);
            sep = "; ";
        };
        if let Role::Reply { to, after } = seen.role {
            match after {
                Some(d) => note(t, format_args!("reply to {to} after {}", human(d))),
                None => note(t, format_args!("reply to {to}")),
            }
        }
        if reassembled {
            note(t, format_args!("reassembled from IP fragments"));
        }
        if let Some(first) = seen.repeat_of {
            note(t, format_args!("same as {first}"));
        }
        if udp.cut {
            let (got, of) = (udp.payload.len(), udp.length());
            note(t, format_args!("cut: {got} of {of} bytes captured"));
        }
        if udp.bad_length {
            note(t, format_args!("bad UDP length field {}", udp.length_field));
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
