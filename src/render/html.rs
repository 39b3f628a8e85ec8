//! `--html FILE`: a self-contained page with a sequence diagram of the conversations — what a
//! teacher projects and a student hands in.
//!
//! Each endpoint is a lifeline, each datagram an arrow with its frame, time, size and an escaped
//! payload preview; replies are dashed. The page needs no network: inline CSS and SVG, no
//! scripts. Every text that came from the capture is escaped twice over: first to printable text
//! ([`crate::escape`]), then for HTML.
//!
//! Memory: at most [`MAX_ARROWS`] datagrams between at most [`MAX_LIFELINES`] endpoints are kept
//! for the drawing; the rest is counted and the page says so.

use std::io::{self, Write};
use std::net::IpAddr;
use std::time::Duration;

use crate::analyze::{Analyzer, FrameNo, Role, Seen};
use crate::dissect::contrast::{IcmpError, TcpSegment};
use crate::dissect::{Endpoint, Udp};
use crate::escape::preview;
use crate::render::records::rfc3339;
use crate::render::summary::{
    TCP_LESSON, TCP_SHOWN, UDP_LESSON, human, icmp_sentence, relative, tcp_sentence,
};

/// Datagrams drawn at most.
pub const MAX_ARROWS: usize = 500;
/// Endpoints (lifelines) drawn at most.
pub const MAX_LIFELINES: usize = 12;

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

struct Arrow {
    frame: u64,
    time: Option<Duration>,
    from: usize,
    to: usize,
    /// What the arrow is: size, reply, flags (plain text, escaped when written).
    label: String,
    /// The payload preview (already escaped to printable text).
    detail: String,
    style: Style,
}

/// What the page will show, collected while the capture is read.
#[derive(Default)]
pub struct Report {
    /// One lifeline per host (address); ports are on the arrows.
    lifelines: Vec<IpAddr>,
    arrows: Vec<Arrow>,
    not_drawn: u64,
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

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    fn lifeline(&mut self, e: Endpoint) -> Option<usize> {
        if let Some(i) = self.lifelines.iter().position(|l| *l == e.addr) {
            return Some(i);
        }
        if self.lifelines.len() < MAX_LIFELINES {
            self.lifelines.push(e.addr);
            return Some(self.lifelines.len() - 1);
        }
        None
    }

    fn arrow(
        &mut self,
        frame: u64,
        time: Option<Duration>,
        ends: (Endpoint, Endpoint),
        label: String,
        detail: String,
        style: Style,
    ) {
        if self.arrows.len() >= MAX_ARROWS {
            self.not_drawn += 1;
            return;
        }
        let (Some(from), Some(to)) = (self.lifeline(ends.0), self.lifeline(ends.1)) else {
            self.not_drawn += 1;
            return;
        };
        let label = format!(":{} → :{} · {label}", ends.0.port, ends.1.port);
        self.arrows.push(Arrow {
            frame,
            time,
            from,
            to,
            label,
            detail,
            style,
        });
    }

    /// Records one datagram.
    pub fn datagram(&mut self, frame: u64, time: Option<Duration>, udp: &Udp<'_>, seen: Seen) {
        let mut label = format!("{} B", udp.length());
        let style = match seen.role {
            Role::Reply {
                to,
                after,
                retries,
                first_try,
            } => {
                label += &format!(" · reply to {to}");
                if let Some(d) = after {
                    label += &format!(" after {}", human(d));
                }
                label += &crate::render::summary::retries(retries, first_try);
                Style::Reply
            }
            Role::Request => Style::Udp,
        };
        if let Some(c) = seen.conversation {
            label += &format!(" · conv {c}");
        }
        let ends = (
            Endpoint {
                addr: udp.src,
                port: udp.sport,
            },
            Endpoint {
                addr: udp.dst,
                port: udp.dport,
            },
        );
        self.arrow(frame, time, ends, label, preview(udp.payload, 40), style);
    }

    /// Records a TCP segment, for the handshake contrast.
    pub fn tcp(&mut self, frame: u64, time: Option<Duration>, s: &TcpSegment) {
        let flags = match (s.syn, s.ack, s.end) {
            (true, false, _) => "TCP SYN",
            (true, true, _) => "TCP SYN-ACK",
            (false, _, true) => "TCP FIN/RST",
            (false, true, false) if s.data == 0 => "TCP ACK",
            _ => "TCP data",
        };
        let label = if s.data > 0 {
            format!("{flags} · {} B", s.data)
        } else {
            flags.to_string()
        };
        let detail = if s.syn && !s.ack {
            "handshake: no data yet".to_string()
        } else {
            String::new()
        };
        self.arrow(frame, time, (s.src, s.dst), label, detail, Style::Tcp);
    }

    /// Records an ICMP error about a UDP datagram.
    pub fn icmp(&mut self, frame: u64, time: Option<Duration>, e: &IcmpError) {
        // ICMP has no ports: the arrow shows the ones of the datagram it answers.
        let from = Endpoint {
            addr: e.from,
            port: e.udp_dst.port,
        };
        // Drawn from the host that refused, on the lifeline of the endpoint it refused for
        // when that is the same address.
        let from = if e.from == e.udp_dst.addr {
            e.udp_dst
        } else {
            from
        };
        self.arrow(
            frame,
            time,
            (from, e.udp_src),
            format!("ICMP {}", e.what),
            format!("nothing listened on {}", e.udp_dst),
            Style::Icmp,
        );
    }

    /// Writes the page.
    pub fn write(&self, out: &mut dyn Write, a: &Analyzer, title: &str) -> io::Result<()> {
        const COL: usize = 240;
        const ROW: usize = 56;
        const TOP: usize = 70;
        // Room on both sides for labels wider than a column.
        const MARGIN: usize = 100;
        let width = COL * self.lifelines.len().max(2) + 2 * MARGIN;
        let height = TOP + ROW * (self.arrows.len() + 1);
        let title = html_escape(title);
        write!(
            out,
            r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>oneway: {title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
h1 {{ font-size: 1.4em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; }}
td.n {{ text-align: right; }}
.lesson {{ background: #eef6ee; border-left: 4px solid #4a4; padding: 0.6em 1em; max-width: 60em; }}
svg text {{ font-family: monospace; font-size: 12px; }}
</style></head><body>
<h1>UDP in {title}</h1>
<p>{frames} frames, {datagrams} UDP datagrams, {convs} conversations{span}.</p>
<p class="lesson">{lesson}</p>
"#,
            lesson = html_escape(UDP_LESSON),
            frames = a.frames,
            datagrams = a.datagrams,
            convs = a.conversation_count(),
            span = match (a.first_time, a.last_time) {
                (Some(f), Some(l)) =>
                    format!(", from {} over {}", rfc3339(f), human(l.saturating_sub(f))),
                _ => String::new(),
            },
        )?;
        writeln!(
            out,
            "<table><tr><th>conv</th><th>A (first sender)</th><th>B</th><th>A&rarr;B</th>\
             <th>B&rarr;A</th><th>first reply</th><th>unanswered</th></tr>"
        )?;
        for c in a.conversations().iter().take(200) {
            let reply = c.first_reply.map_or_else(
                || "none (one-way)".to_string(),
                |r| {
                    let tries = crate::render::summary::retries(r.retries, r.first_try);
                    match r.after {
                        Some(d) => format!("frame {} after {}{tries}", FrameNo(r.reply), human(d)),
                        None => format!("frame {}{tries}", FrameNo(r.reply)),
                    }
                },
            );
            writeln!(
                out,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{} ({} B)</td>\
                 <td class=\"n\">{} ({} B)</td><td>{}</td><td class=\"n\">{}</td></tr>",
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
        writeln!(out, "</table>")?;
        let notes: Vec<String> = a
            .conversations()
            .iter()
            .filter_map(|c| c.first_icmp.map(|e| icmp_sentence(&e, c.icmp_errors)))
            .take(50)
            .collect();
        if !notes.is_empty() {
            writeln!(out, "<h2>ICMP errors</h2><ul>")?;
            for n in notes {
                writeln!(out, "<li>{}</li>", html_escape(&n))?;
            }
            writeln!(out, "</ul>")?;
        }
        if !a.tcp.is_empty() {
            writeln!(out, "<h2>TCP, for contrast</h2><ul>")?;
            for c in a.tcp.iter().take(TCP_SHOWN) {
                writeln!(out, "<li>{}</li>", html_escape(&tcp_sentence(c)))?;
            }
            writeln!(
                out,
                "</ul><p class=\"lesson\">{}</p>",
                html_escape(TCP_LESSON)
            )?;
        }
        writeln!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="sequence diagram">
<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##
        )?;
        for (i, e) in self.lifelines.iter().enumerate() {
            let x = MARGIN + COL / 2 + i * COL;
            writeln!(
                out,
                r##"<rect x="{}" y="10" width="{}" height="30" rx="4" fill="#dde8f5" stroke="#357"/><text x="{x}" y="30" text-anchor="middle">{}</text><line x1="{x}" y1="40" x2="{x}" y2="{}" stroke="#999" stroke-dasharray="4 4"/>"##,
                x - COL / 2 + 10,
                COL - 20,
                html_escape(&e.to_string()),
                height - 10
            )?;
        }
        for (row, arrow) in self.arrows.iter().enumerate() {
            let y = TOP + ROW * row + ROW / 2;
            let x1 = MARGIN + COL / 2 + arrow.from * COL;
            let x2 = MARGIN + COL / 2 + arrow.to * COL;
            let (dash, color) = match arrow.style {
                Style::Udp => ("", "#224"),
                Style::Reply => (r#" stroke-dasharray="6 3""#, "#2a7a2a"),
                Style::Tcp => (r#" stroke-dasharray="2 2""#, "#a05a00"),
                Style::Icmp => (r#" stroke-dasharray="8 2 2 2""#, "#b00020"),
            };
            let mid = (x1 + x2) / 2;
            if x1 == x2 {
                // A datagram to itself: a small loop.
                writeln!(
                    out,
                    r##"<path d="M{x1},{} h40 v20 h-40" fill="none" stroke="{color}"{dash} marker-end="url(#head)"/>"##,
                    y - 10
                )?;
            } else {
                writeln!(
                    out,
                    r##"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{color}" stroke-width="1.5"{dash} marker-end="url(#head)"/>"##
                )?;
            }
            writeln!(
                out,
                r##"<text x="{mid}" y="{}" text-anchor="middle" fill="{color}">frame {} · {} s · {}</text><text x="{mid}" y="{}" text-anchor="middle" fill="#555">{}</text>"##,
                y - 6,
                FrameNo(arrow.frame),
                relative(arrow.time, a.first_time),
                html_escape(&arrow.label),
                y + 16,
                html_escape(&arrow.detail)
            )?;
        }
        writeln!(out, "</svg>")?;
        if self.not_drawn > 0 {
            writeln!(
                out,
                "<p>{} more datagrams are not drawn (the diagram shows at most {MAX_ARROWS} \
                 datagrams between {MAX_LIFELINES} endpoints).</p>",
                self.not_drawn
            )?;
        }
        writeln!(
            out,
            "<p><small>Made by oneway {}.</small></p></body></html>",
            env!("CARGO_PKG_VERSION")
        )
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
            dst: "10.0.0.2".parse().unwrap(),
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
        assert!(r.arrows.len() <= MAX_LIFELINES, "{}", r.arrows.len());
        assert_eq!(r.arrows.len() as u64 + r.not_drawn, 1000);
        let mut page = Vec::new();
        r.write(&mut page, &Analyzer::new(), "t<").unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("&lt;b&gt;") && !page.contains("<b>"));
        assert!(page.contains("oneway: t&lt;"));
    }
}
