//! `oneway inspect`: capture → dissect → analyze → render, one frame at a time.
//!
//! Datagram rows are written as frames are read, so memory does not grow with the capture and
//! `oneway inspect big.pcap | head` stops early. A damaged capture still gets every row and the
//! summary of what came before the damage; the damage is then returned as the error.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::analyze::{Analyzer, Role, Seen};
use crate::capture::{Capture, Record};
use crate::cli::{Format, InspectArgs};
use crate::dissect::{Dissection, Udp, dissect};
use crate::render::escape::preview;
use crate::render::records::RecordWriter;
use crate::render::summary::{self, human, relative};
use crate::render::table::BlockTable;

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
}

impl From<InspectArgs> for Options {
    fn from(a: InspectArgs) -> Self {
        Options {
            input: a.file,
            format: a.format,
            summary_only: a.summary,
            ports: a.port,
            hosts: a.host,
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
    None,
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
    let mut failure = None;
    while let Some(next) = capture.next_record() {
        match next {
            Ok(Record::Frame(frame)) => {
                analyzer.frame(frame.time);
                match dissect(frame.link, &frame.data) {
                    Dissection::Udp(udp) => {
                        if !opts.keeps(&udp) {
                            analyzer.filtered_out += 1;
                            continue;
                        }
                        let seen = analyzer.datagram(frame.number, frame.time, &udp);
                        match &mut rows {
                            Rows::Table(t) => t.row(
                                out,
                                table_row(frame.number, frame.time, &analyzer, &udp, seen),
                            )?,
                            Rows::Records(w) => {
                                w.datagram(out, frame.number, frame.time, &udp, false)?
                            }
                            Rows::None => {}
                        }
                    }
                    Dissection::Skipped(kind) => analyzer.skipped(kind),
                    Dissection::Malformed(why) => {
                        analyzer.malformed += 1;
                        if let Rows::Table(t) = &mut rows {
                            t.row(
                                out,
                                note_row(
                                    frame.number,
                                    frame.time,
                                    &analyzer,
                                    format!("malformed: {why}"),
                                ),
                            )?;
                        }
                    }
                }
            }
            Ok(Record::Unreadable { number, why }) => {
                analyzer.frame(None);
                analyzer.unreadable += 1;
                if let Rows::Table(t) = &mut rows {
                    t.row(
                        out,
                        note_row(number, None, &analyzer, format!("unreadable: {why}")),
                    )?;
                }
            }
            Err(e) => failure = Some(e),
        }
    }

    match (&mut rows, opts.format) {
        (Rows::Table(t), _) => {
            t.finish(out)?;
            if analyzer.datagrams > 0 || analyzer.malformed > 0 || analyzer.unreadable > 0 {
                writeln!(out)?;
            }
            summary::write_text(out, &analyzer, format)?;
        }
        (Rows::None, Format::Table) => summary::write_text(out, &analyzer, format)?,
        (Rows::None, f) => summary::write_records(out, &analyzer, f == Format::Csv)?,
        (Rows::Records(_), _) => {}
    }
    out.flush()?;
    match failure {
        Some(e) => Err(anyhow::Error::new(e).context(label)),
        None => Ok(()),
    }
}

fn table_row(
    number: u64,
    time: Option<std::time::Duration>,
    a: &Analyzer,
    udp: &Udp<'_>,
    seen: Seen,
) -> Vec<String> {
    let src = crate::analyze::Endpoint {
        addr: udp.src,
        port: udp.sport,
    };
    let dst = crate::analyze::Endpoint {
        addr: udp.dst,
        port: udp.dport,
    };
    let mut notes = Vec::new();
    if let Role::Reply { to, after } = seen.role {
        notes.push(match after {
            Some(d) => format!("reply to {to} after {}", human(d)),
            None => format!("reply to {to}"),
        });
    }
    if udp.cut {
        notes.push(format!(
            "cut: {} of {} bytes captured",
            udp.payload.len(),
            udp.length()
        ));
    }
    if udp.bad_length {
        notes.push(format!("bad UDP length field {}", udp.length_field));
    }
    vec![
        number.to_string(),
        relative(time, a.first_time),
        seen.conversation
            .map_or_else(|| "-".into(), |c| c.to_string()),
        src.to_string(),
        dst.to_string(),
        udp.length().to_string(),
        preview(udp.payload, PAYLOAD_PREVIEW),
        notes.join("; "),
    ]
}

fn note_row(
    number: u64,
    time: Option<std::time::Duration>,
    a: &Analyzer,
    note: String,
) -> Vec<String> {
    let dash = || "-".to_string();
    vec![
        number.to_string(),
        relative(time, a.first_time),
        dash(),
        dash(),
        dash(),
        dash(),
        dash(),
        note,
    ]
}
