//! `--html FILE`: a self-contained page with a sequence diagram of the conversations — what a
//! teacher projects and a student hands in.
//!
//! Each host is a lifeline, each frame of the story (UDP datagrams, the ICMP errors that answered
//! them, TCP segments for contrast) one row: its frame, time, size, note and payload at the left,
//! its ports on the arrow. Replies are dashed. Under the diagram, the conversations and a table of
//! every frame with its whole payload as text. The page needs no network and has no script:
//! inline CSS and SVG. Every text that came from the capture is escaped twice over: first to
//! printable text ([`crate::escape`]), then for HTML.
//!
//! Layout is computed here, in characters of a 12 px monospace font, so that no label crosses a
//! lifeline and no host name leaves its box; `tests/report.rs` checks what Chromium lays out.
//!
//! Memory: at most [`MAX_ARROWS`] frames, [`MAX_LIFELINES`] hosts and [`MAX_TEXT`] bytes of
//! payload text are kept; the rest is counted and the page says so.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::net::IpAddr;
use std::time::Duration;

use unicode_width::UnicodeWidthChar;

use crate::analyze::{Analyzer, FrameNo, Role, Seen};
use crate::dissect::contrast::{IcmpError, TcpSegment};
use crate::dissect::{Endpoint, Udp};
use crate::escape::escape_into;
use crate::i18n::{self, tr};
use crate::render::records::rfc3339;
use crate::render::summary::{TCP_SHOWN, human, icmp_name, icmp_sentence, relative, tcp_sentence};

/// Frames drawn (and listed under the diagram) at most.
pub const MAX_ARROWS: usize = 500;
/// Endpoints (lifelines) drawn at most.
pub const MAX_LIFELINES: usize = 12;
/// Escaped payload text kept for the page at most, in bytes: past it, texts are cut (and say
/// so), so that a capture of 500 datagrams of 64 KiB does not make a page of hundreds of MB.
pub const MAX_TEXT: usize = 4 << 20;

/// The diagram's geometry, in CSS pixels. Text is 12 px monospace: a character is at most
/// [`CHAR`] wide (DejaVu Sans Mono and Liberation Mono are 0.6 em), so widths are counted in
/// characters and every label is cut to the room it has.
mod geometry {
    /// One character of 12 px monospace, rounded up.
    pub const CHAR: f64 = 7.3;
    /// Height of the sticky row of host boxes.
    pub const HEAD: usize = 44;
    /// Height of one frame's row.
    pub const ROW: usize = 40;
    /// Room under the last row.
    pub const FOOT: usize = 16;
    /// The narrowest gap between two lifelines.
    pub const MIN_GAP: usize = 116;
    /// Padding between a label and the lifeline it starts from or stops before.
    pub const PAD: usize = 8;
    /// Width of the loop of a datagram a host sends to itself.
    pub const LOOP: usize = 18;
    /// The note column: at least and at most this many characters.
    pub const NOTE_MIN: usize = 32;
    pub const NOTE_MAX: usize = 60;
    /// What the whole diagram should fit in to fit a 1,400 px page (body margins, the frame).
    pub const PAGE: usize = 1_320;

    /// The pixel width of `chars` characters.
    pub fn px(chars: usize) -> usize {
        (chars as f64 * CHAR).ceil() as usize
    }

    /// How many characters fit in `px` pixels.
    pub fn chars(px: usize) -> usize {
        (px as f64 / CHAR).floor() as usize
    }
}

/// How an arrow is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// A UDP datagram that answers nothing.
    Udp,
    /// A UDP datagram that answers one from the other side.
    Reply,
    /// A TCP segment (handshake or data), for contrast.
    Tcp,
    /// An ICMP error about a UDP datagram.
    Icmp,
}

impl Style {
    /// The class of the arrow's group, its dash pattern and its colour.
    fn look(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Style::Udp => ("udp", "", "#224"),
            Style::Reply => ("reply", r#" stroke-dasharray="6 3""#, "#2a7a2a"),
            Style::Tcp => ("tcp", r#" stroke-dasharray="2 2""#, "#a05a00"),
            Style::Icmp => ("icmp", r#" stroke-dasharray="8 2 2 2""#, "#b00020"),
        }
    }
}

/// One frame of the story: an arrow in the diagram (when both hosts have a lifeline) and a row
/// of the table under it.
struct Entry {
    frame: u64,
    time: Option<Duration>,
    src: Endpoint,
    dst: Endpoint,
    /// The lifelines of `src` and `dst`, when both have one.
    lines: Option<(usize, usize)>,
    /// The conversation, for UDP.
    conv: Option<u32>,
    /// The UDP length, or the TCP data size.
    size: Option<u64>,
    /// What the frame is in the story: `reply to 1 after 0.283 ms`, `TCP SYN`,
    /// `ICMP port unreachable for frame 9`… (plain text, HTML-escaped when written).
    note: String,
    /// The payload as escaped printable text (UDP only), and whether it was cut.
    text: Option<(String, bool)>,
    style: Style,
}

/// What the page will show, collected while the capture is read.
#[derive(Default)]
pub struct Report {
    /// One lifeline per host (address); ports are on the arrows.
    lifelines: Vec<IpAddr>,
    entries: Vec<Entry>,
    /// Frames past [`MAX_ARROWS`], counted only.
    not_listed: u64,
    /// Entries without a lifeline for one of their hosts (past [`MAX_LIFELINES`]).
    not_drawn: u64,
    /// Escaped text kept so far, against [`MAX_TEXT`].
    text_bytes: usize,
}

/// Escapes text for HTML content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to at most `max` columns of display width, ending in `…` when cut.
fn fit(s: &str, max: usize) -> String {
    let mut width = 0;
    let mut out = String::new();
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= max {
        return s.to_string();
    }
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if width + w + 1 > max {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Display width of `s` in columns.
fn columns(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    fn lifeline(&mut self, addr: IpAddr) -> Option<usize> {
        if let Some(i) = self.lifelines.iter().position(|l| *l == addr) {
            return Some(i);
        }
        if self.lifelines.len() < MAX_LIFELINES {
            self.lifelines.push(addr);
            return Some(self.lifelines.len() - 1);
        }
        None
    }

    /// Whether there is room for one more entry (else it is counted).
    fn room(&mut self) -> bool {
        if self.entries.len() >= MAX_ARROWS {
            self.not_listed += 1;
            return false;
        }
        true
    }

    fn push(&mut self, mut e: Entry) {
        // Both lifelines are taken at once, so a host is not given one for an arrow not drawn.
        let known = |r: &Self, a: IpAddr| r.lifelines.contains(&a);
        let new = [e.src.addr, e.dst.addr]
            .iter()
            .filter(|a| !known(self, **a))
            .count()
            - usize::from(e.src.addr == e.dst.addr && !known(self, e.src.addr));
        if self.lifelines.len() + new <= MAX_LIFELINES {
            let from = self.lifeline(e.src.addr);
            let to = self.lifeline(e.dst.addr);
            e.lines = from.zip(to);
        } else {
            self.not_drawn += 1;
        }
        self.entries.push(e);
    }

    /// Records one datagram.
    pub fn datagram(&mut self, frame: u64, time: Option<Duration>, udp: &Udp<'_>, seen: Seen) {
        if !self.room() {
            return;
        }
        let mut note = String::new();
        let style = match seen.role {
            Role::Reply {
                to,
                after,
                retries,
                first_try,
            } => {
                note = match after {
                    Some(d) => tr!(
                        "note-reply-after",
                        frame = FrameNo(to).to_string(),
                        after = human(d)
                    ),
                    None => tr!("note-reply", frame = FrameNo(to).to_string()),
                };
                note += &crate::render::summary::retries(retries, first_try);
                Style::Reply
            }
            Role::Request => Style::Udp,
        };
        if let Some(r) = seen.repeat_of {
            if !note.is_empty() {
                note += " · ";
            }
            note += &tr!("note-same-as", frame = FrameNo(r).to_string());
        }
        // The payload's whole escaped text while the page's budget lasts; past it, cut (a cut
        // text is longer than the room it had: `escape_into` appends `...` past its limit).
        let room = MAX_TEXT.saturating_sub(self.text_bytes);
        let mut text = String::new();
        escape_into(udp.payload, room, &mut text);
        let cut = text.len() > room && text.chars().count() > room;
        let text = (text, cut);
        self.text_bytes += text.0.len();
        self.push(Entry {
            frame,
            time,
            src: Endpoint {
                addr: udp.src,
                port: udp.sport,
            },
            dst: Endpoint {
                addr: udp.dst,
                port: udp.dport,
            },
            lines: None,
            conv: seen.conversation,
            size: Some(u64::from(udp.length())),
            note,
            text: Some(text),
            style,
        });
    }

    /// Records a TCP segment, for the handshake contrast.
    pub fn tcp(&mut self, frame: u64, time: Option<Duration>, s: &TcpSegment) {
        if !self.room() {
            return;
        }
        let flags = match (s.syn, s.ack, s.end) {
            (true, false, _) => tr!("html-tcp-syn"),
            (true, true, _) => "TCP SYN-ACK".into(),
            (false, _, true) => "TCP FIN/RST".into(),
            (false, true, false) if s.data == 0 => "TCP ACK".into(),
            _ => tr!("html-tcp-data"),
        };
        self.push(Entry {
            frame,
            time,
            src: s.src,
            dst: s.dst,
            lines: None,
            conv: None,
            size: (s.data > 0).then_some(s.data as u64),
            note: flags.to_string(),
            text: None,
            style: Style::Tcp,
        });
    }

    /// Records an ICMP error about a UDP datagram.
    pub fn icmp(&mut self, frame: u64, time: Option<Duration>, e: &IcmpError) {
        if !self.room() {
            return;
        }
        // The datagram it answers: the latest one listed from the quoted sender to the quoted
        // destination.
        let answered = self
            .entries
            .iter()
            .rev()
            .find(|d| d.text.is_some() && d.src == e.udp_src && d.dst == e.udp_dst)
            .map(|d| d.frame);
        let note = match answered {
            Some(f) => tr!(
                "table-icmp-for-frame",
                what = icmp_name(e.what),
                frame = FrameNo(f).to_string()
            ),
            None => tr!(
                "table-icmp-for-datagram",
                what = icmp_name(e.what),
                target = e.udp_dst.to_string()
            ),
        };
        // ICMP has no ports: the arrow shows the ones of the datagram it answers, drawn from the
        // host that refused.
        let src = if e.from == e.udp_dst.addr {
            e.udp_dst
        } else {
            Endpoint {
                addr: e.from,
                port: e.udp_dst.port,
            }
        };
        self.push(Entry {
            frame,
            time,
            src,
            dst: e.udp_src,
            lines: None,
            conv: None,
            size: None,
            note,
            text: None,
            style: Style::Icmp,
        });
    }

    /// Writes the page.
    pub fn write(&self, out: &mut dyn Write, a: &Analyzer, title: &str) -> io::Result<()> {
        let title = html_escape(title);
        write!(
            out,
            r#"<!DOCTYPE html>
<html lang="{tag}"><head><meta charset="utf-8">
<title>oneway: {title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
h1 {{ font-size: 1.4em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
td.n {{ text-align: right; white-space: nowrap; }}
td.addr {{ white-space: nowrap; }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
td.text {{ font-family: monospace; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 60em; }}
.lesson {{ background: #eef6ee; border-left: 4px solid #4a4; padding: 0.6em 1em; max-width: 60em; }}
.diagram {{ overflow: auto; max-width: 100%; max-height: 80vh; border: 1px solid #ccc; width: max-content; }}
.diagram svg {{ display: block; }}
.diagram svg.hosts {{ position: sticky; top: 0; background: #fff; z-index: 1; }}
svg text {{ font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }}
</style></head><body>
<h1>{heading}</h1>
<p>{facts}</p>
<p class="lesson">{lesson}</p>
"#,
            tag = i18n::current().tag(),
            heading = tr!("html-heading", title = &title),
            lesson = html_escape(&tr!("lesson-udp")),
            facts = html_escape(&match (a.first_time, a.last_time) {
                (Some(f), Some(l)) => tr!(
                    "html-facts-span",
                    frames = a.frames,
                    datagrams = a.datagrams,
                    conversations = a.conversation_count(),
                    first = rfc3339(f),
                    duration = human(l.saturating_sub(f))
                ),
                _ => tr!(
                    "html-facts",
                    frames = a.frames,
                    datagrams = a.datagrams,
                    conversations = a.conversation_count()
                ),
            }),
        )?;
        self.diagram(out, a)?;
        self.conversations(out, a)?;
        self.datagrams(out, a)?;
        let made = tr!("html-made-by", version = env!("CARGO_PKG_VERSION"));
        writeln!(
            out,
            "<p><small>{}</small></p></body></html>",
            html_escape(&made)
        )
    }

    /// The conversation table, the ICMP errors and the TCP contrast.
    fn conversations(&self, out: &mut dyn Write, a: &Analyzer) -> io::Result<()> {
        let th = |key: &str| html_escape(&tr!(key));
        writeln!(
            out,
            "<div class=\"scroll\"><table class=\"conversations\"><tr><th>{}</th><th>{}</th><th>B</th>\
             <th>A&rarr;B</th><th>B&rarr;A</th><th>{}</th><th>{}</th></tr>",
            th("column-conv"),
            th("column-a"),
            th("html-column-first-reply"),
            th("column-unanswered")
        )?;
        for c in a.conversations().iter().take(200) {
            let reply = c.first_reply.map_or_else(
                || tr!("html-no-reply").into_owned(),
                |r| {
                    let tries = crate::render::summary::retries(r.retries, r.first_try);
                    match r.after {
                        Some(d) => tr!(
                            "html-first-reply-after",
                            frame = FrameNo(r.reply).to_string(),
                            after = human(d),
                            retries = tries
                        ),
                        None => tr!(
                            "html-first-reply",
                            frame = FrameNo(r.reply).to_string(),
                            retries = tries
                        ),
                    }
                },
            );
            writeln!(
                out,
                "<tr id=\"conv{}\"><td class=\"n\">{}</td><td class=\"addr\">{}</td><td class=\"addr\">{}</td><td class=\"n\">{} ({} B)</td>\
                 <td class=\"n\">{} ({} B)</td><td>{}</td><td class=\"n\">{}</td></tr>",
                c.id,
                c.id,
                html_escape(&c.a.to_string()),
                html_escape(&c.b.to_string()),
                c.packets[0],
                c.bytes[0],
                c.packets[1],
                c.bytes[1],
                html_escape(&reply),
                c.unanswered_total()
            )?;
        }
        writeln!(out, "</table></div>")?;
        let notes: Vec<String> = a
            .conversations()
            .iter()
            .filter_map(|c| c.first_icmp.map(|e| icmp_sentence(&e, c.icmp_errors)))
            .take(50)
            .collect();
        if !notes.is_empty() {
            writeln!(out, "<h2>{}</h2><ul>", html_escape(&tr!("html-icmp-title")))?;
            for n in notes {
                writeln!(out, "<li>{}</li>", html_escape(&n))?;
            }
            writeln!(out, "</ul>")?;
        }
        if !a.tcp.is_empty() {
            writeln!(out, "<h2>{}</h2><ul>", html_escape(&tr!("html-tcp-title")))?;
            for c in a.tcp.iter().take(TCP_SHOWN) {
                writeln!(out, "<li>{}</li>", html_escape(&tcp_sentence(c)))?;
            }
            writeln!(
                out,
                "</ul><p class=\"lesson\">{}</p>",
                html_escape(&tr!("lesson-tcp"))
            )?;
        }
        Ok(())
    }

    /// The ports an arrow carries: `57314 → 12345` (ICMP and TCP alike).
    fn ports(e: &Entry) -> String {
        format!("{} → {}", e.src.port, e.dst.port)
    }

    /// The frame and time at the left of a row: `13  1.000120 s`.
    fn when(e: &Entry, a: &Analyzer) -> String {
        format!("{}  {} s", FrameNo(e.frame), relative(e.time, a.first_time))
    }

    /// The note column's first line: the size and what the frame is.
    fn headline(e: &Entry) -> String {
        let mut s = String::new();
        if let Some(n) = e.size {
            let _ = write!(s, "{n} B");
        }
        if !e.note.is_empty() {
            if !s.is_empty() {
                s += " · ";
            }
            s += &e.note;
        }
        s
    }

    /// The sequence diagram: a sticky row of host boxes over one row per frame.
    ///
    /// Layout, left to right: the frame and its time; the note column (size, what the frame is,
    /// the payload cut to the column); the lifelines, `gap` apart, wide enough that the ports
    /// label of every arrow sits between its sender's lifeline and the next one (labels never
    /// cross a lifeline). When it is wider than the page, it scrolls inside its frame and the
    /// host boxes stay in view.
    fn diagram(&self, out: &mut dyn Write, a: &Analyzer) -> io::Result<()> {
        use geometry::{FOOT, HEAD, LOOP, MIN_GAP, NOTE_MAX, NOTE_MIN, PAD, PAGE, ROW, px};
        let drawn: Vec<&Entry> = self.entries.iter().filter(|e| e.lines.is_some()).collect();
        if drawn.is_empty() {
            return Ok(());
        }
        let label = drawn
            .iter()
            .map(|e| columns(&Self::ports(e)))
            .max()
            .unwrap_or(0);
        let looped = drawn.iter().any(|e| e.lines.is_some_and(|(f, t)| f == t));
        let gap = (px(label) + 2 * PAD + if looped { LOOP + PAD } else { 0 }).max(MIN_GAP);
        let left = px(drawn
            .iter()
            .map(|e| columns(&Self::when(e, a)))
            .max()
            .unwrap_or(0))
            + 2 * PAD;
        let n = self.lifelines.len().max(1);
        let wanted = drawn
            .iter()
            .map(|e| {
                let text = e.text.as_ref().map_or(0, |t| columns(&t.0));
                columns(&Self::headline(e)).max(text)
            })
            .max()
            .unwrap_or(0);
        let room = geometry::chars(PAGE.saturating_sub(left + n * gap + 2 * PAD));
        let note_chars = wanted.min(room.clamp(NOTE_MIN, NOTE_MAX)).max(NOTE_MIN);
        // The notes stand next to the frame and time, so that every row says what it is even
        // when its arrow is scrolled out of view.
        let lines_start = left + px(note_chars) + PAD;
        let width = lines_start + n * gap;
        let height = ROW * drawn.len() + FOOT;
        let x = |i: usize| lines_start + gap / 2 + i * gap;
        let xs: Vec<String> = (0..n).map(|i| x(i).to_string()).collect();
        writeln!(out, "<h2>{}</h2>", html_escape(&tr!("html-diagram-title")))?;
        writeln!(out, "<p>{}</p>", html_escape(&tr!("html-diagram-help")))?;
        writeln!(out, "<div class=\"diagram\">")?;
        // The host boxes: their own SVG, sticky at the top of the frame.
        writeln!(
            out,
            r##"<svg class="hosts" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEAD}" role="img" aria-label="hosts">"##
        )?;
        let name_chars = geometry::chars(gap - 2 * PAD - 8);
        for (i, host) in self.lifelines.iter().enumerate() {
            let name = host.to_string();
            writeln!(
                out,
                r##"<g class="host"><title>{}</title><rect x="{}" y="8" width="{}" height="28" rx="4" fill="#dde8f5" stroke="#357"/><text x="{}" y="27" text-anchor="middle">{}</text></g>"##,
                html_escape(&name),
                x(i) - gap / 2 + PAD,
                gap - 2 * PAD,
                x(i),
                html_escape(&fit(&name, name_chars)),
            )?;
        }
        writeln!(out, "</svg>")?;
        writeln!(
            out,
            r##"<svg class="arrows" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="sequence diagram" data-lifelines="[{}]" data-row="{ROW}">"##,
            xs.join(",")
        )?;
        writeln!(
            out,
            r##"<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>"##
        )?;
        for i in 0..n {
            writeln!(
                out,
                r##"<line x1="{0}" y1="0" x2="{0}" y2="{height}" stroke="#999" stroke-dasharray="4 4"/>"##,
                x(i)
            )?;
        }
        for (row, e) in drawn.iter().enumerate() {
            let Some((from, to)) = e.lines else { continue };
            let y = ROW * row + ROW / 2 + 4;
            let (class, dash, color) = e.style.look();
            let (x1, x2) = (x(from), x(to));
            let mut tip = tr!(
                "html-tip-frame",
                frame = FrameNo(e.frame).to_string(),
                time = relative(e.time, a.first_time)
            );
            let _ = write!(tip, "\n{} → {}\n{}", e.src, e.dst, Self::headline(e));
            if let Some(c) = e.conv {
                tip += " · ";
                tip += &tr!("html-tip-conversation", id = c);
            }
            if let Some((text, cut)) = &e.text {
                tip.push('\n');
                tip += text;
                if *cut {
                    tip.push(' ');
                    tip += &tr!("html-tip-cut");
                }
            }
            writeln!(
                out,
                r##"<a href="#f{}"><g class="arrow {class}" data-frame="{}"><title>{}</title>"##,
                FrameNo(e.frame),
                FrameNo(e.frame),
                html_escape(&tip)
            )?;
            // The frame and time, at the left.
            writeln!(
                out,
                r##"<text class="when" x="{PAD}" y="{}" fill="#555">{}</text>"##,
                y + 4,
                html_escape(&Self::when(e, a))
            )?;
            let ports = html_escape(&Self::ports(e));
            if x1 == x2 {
                writeln!(
                    out,
                    r##"<path d="M{x1},{} h{LOOP} v14 h-{LOOP}" fill="none" stroke="{color}" stroke-width="1.5"{dash} marker-end="url(#head)"/><text class="port" x="{}" y="{}" fill="{color}">{ports}</text>"##,
                    y - 7,
                    x1 + LOOP + PAD,
                    y + 4,
                )?;
            } else {
                // The label sits in the gap next to the sender, on the arrow's side.
                let (lx, anchor) = if x2 > x1 {
                    (x1 + PAD, "start")
                } else {
                    (x1 - PAD, "end")
                };
                writeln!(
                    out,
                    r##"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{color}" stroke-width="1.5"{dash} marker-end="url(#head)"/><text class="port" x="{lx}" y="{}" text-anchor="{anchor}" fill="{color}">{ports}</text>"##,
                    y - 5,
                )?;
            }
            // Size, conversation, what it is; then the payload, cut to the column.
            let nx = left;
            writeln!(
                out,
                r##"<text class="note" x="{nx}" y="{}" fill="{color}">{}</text>"##,
                y - 3,
                html_escape(&fit(&Self::headline(e), note_chars))
            )?;
            if let Some((text, _)) = &e.text {
                writeln!(
                    out,
                    r##"<text class="note payload" x="{nx}" y="{}" fill="#555">{}</text>"##,
                    y + 12,
                    html_escape(&fit(text, note_chars))
                )?;
            }
            writeln!(out, "</g></a>")?;
        }
        writeln!(out, "</svg></div>")?;
        if self.not_drawn > 0 {
            let line = tr!("html-not-drawn", n = self.not_drawn, max = MAX_LIFELINES);
            writeln!(out, "<p>{}</p>", html_escape(&line))?;
        }
        Ok(())
    }

    /// Every frame of the story with its whole payload as escaped text.
    fn datagrams(&self, out: &mut dyn Write, a: &Analyzer) -> io::Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        writeln!(out, "<h2>{}</h2>", html_escape(&tr!("html-frames-title")))?;
        // The help names escapes in <code>: the message holds them as arguments.
        let code = |s: &str| format!("<code>{s}</code>");
        let help = html_escape(&tr!(
            "html-frames-help",
            x = "\u{1}",
            n = "\u{2}",
            z = "\u{3}"
        ))
        .replace('\u{1}', &code("\\xNN"))
        .replace('\u{2}', &code("\\n"))
        .replace('\u{3}', &code("\\0"));
        writeln!(out, "<p>{help}</p>")?;
        let th = |key: &str| html_escape(&tr!(key));
        writeln!(
            out,
            "<div class=\"scroll\"><table class=\"datagrams\"><tr><th>{}</th><th>{}</th><th>{}</th>\
             <th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            th("html-column-frame"),
            th("html-column-time"),
            th("column-conv"),
            th("column-source"),
            th("column-destination"),
            th("html-column-size"),
            th("column-note"),
            th("column-payload"),
        )?;
        for e in &self.entries {
            let (text, cut) = e
                .text
                .as_ref()
                .map_or(("", false), |(t, c)| (t.as_str(), *c));
            let cut = if cut {
                let why = tr!("html-row-cut", conversation = e.conv.unwrap_or(0));
                format!("</td><td class=\"cut\">{}", html_escape(&why))
            } else {
                String::new()
            };
            writeln!(
                out,
                "<tr id=\"f{}\" class=\"{}\"><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"addr\">{}</td><td class=\"addr\">{}</td><td class=\"n\">{}</td><td>{}</td>\
                 <td class=\"text\">{}{cut}</td></tr>",
                FrameNo(e.frame),
                e.style.look().0,
                FrameNo(e.frame),
                relative(e.time, a.first_time),
                e.conv.map_or_else(String::new, |c| c.to_string()),
                html_escape(&e.src.to_string()),
                html_escape(&e.dst.to_string()),
                e.size.map_or_else(String::new, |s| format!("{s} B")),
                html_escape(&e.note),
                html_escape(text),
            )?;
        }
        writeln!(out, "</table></div>")?;
        if self.not_listed > 0 {
            let line = tr!("html-not-listed", n = self.not_listed, max = MAX_ARROWS);
            writeln!(out, "<p>{}</p>", html_escape(&line))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            html_escape("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
    }

    #[test]
    fn bounded() {
        let mut r = Report::new();
        let udp = |port: u16| Udp {
            src: std::net::Ipv4Addr::from(0x0a00_0000 + u32::from(port)).into(),
            dst: "10.9.9.9".parse().unwrap(),
            sport: port,
            dport: 1,
            length_field: 8,
            payload: b"<b>",
            cut: false,
            bad_length: false,
        };
        let seen = Seen {
            conversation: None,
            role: Role::Request,
            repeat_of: None,
        };
        for p in 0..1000u16 {
            r.datagram(u64::from(p), None, &udp(p), seen);
        }
        assert_eq!(r.lifelines.len(), MAX_LIFELINES);
        assert_eq!(r.entries.len(), MAX_ARROWS);
        assert_eq!(r.not_listed, 1000 - MAX_ARROWS as u64);
        // 10.9.9.9 and the first 11 senders have a lifeline; the others are listed, not drawn.
        let drawn = r.entries.iter().filter(|e| e.lines.is_some()).count();
        assert_eq!(drawn, MAX_LIFELINES - 1);
        assert_eq!(drawn as u64 + r.not_drawn, MAX_ARROWS as u64);
        let mut page = Vec::new();
        r.write(&mut page, &Analyzer::new(), "t<").unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("&lt;b&gt;") && !page.contains("<b>"));
        assert!(page.contains("oneway: t&lt;"));
    }

    #[test]
    fn payload_text_is_whole_until_the_budget_then_cut() {
        let mut r = Report::new();
        let big = vec![0xffu8; 65_507];
        let udp = Udp {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            sport: 1000,
            dport: 2000,
            length_field: 65_515,
            payload: &big,
            cut: false,
            bad_length: false,
        };
        let seen = Seen {
            conversation: Some(1),
            role: Role::Request,
            repeat_of: None,
        };
        for f in 0..100 {
            r.datagram(f, None, &udp, seen);
        }
        let texts: Vec<&(String, bool)> =
            r.entries.iter().filter_map(|e| e.text.as_ref()).collect();
        // Each whole text is 4 × 65,507 bytes (`\xff`): 16 fit in 4 MiB, the 17th is cut.
        assert!(
            texts[..16]
                .iter()
                .all(|(t, cut)| !cut && t.len() == 4 * 65_507)
        );
        assert!(texts[16].1 && texts[16].0.ends_with("..."));
        assert!(r.text_bytes <= MAX_TEXT + 1024, "{}", r.text_bytes);
        let mut page = Vec::new();
        r.write(&mut page, &Analyzer::new(), "big").unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("cut: the page holds at most 4 MiB"));
        assert!(page.len() < 3 * MAX_TEXT, "{}", page.len());
    }

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdefg", 6), "abcde…");
        // Wide characters count two columns.
        assert_eq!(fit("日本語です", 6), "日本…");
    }
}
