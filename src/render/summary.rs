//! The summary: what the capture held, its conversations, and in plain words what happened.
//!
//! For people (`table`) it is text and a conversation table; for machines (`--summary` with
//! `jsonl` or `csv`) one record per conversation.

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use crate::analyze::{Analyzer, CONVERSATION_LIMIT, Conversation, IcmpNote, Mark, TcpConnection};
use crate::i18n::tr;
use crate::render::Paint;
use crate::render::records::rfc3339;
use crate::render::table::{BlockTable, Fit};

/// How many conversations get their story told in words (all are in the table).
pub const STORIES: usize = 20;

/// A duration for people: `283 ns`, `0.283 ms`, `12.345 ms`, `1.234 s`.
pub fn human(d: Duration) -> String {
    let mut s = String::with_capacity(16);
    push_human(&mut s, d);
    s
}

/// The retries before the datagram a reply answered, for people:
/// ` (2 retries before it, first try 2.001 s earlier)`; empty without retries.
pub fn push_retries(out: &mut String, retries: u32, first_try: Option<(u64, Option<Duration>)>) {
    if retries == 0 {
        return;
    }
    out.push_str(" (");
    out.push_str(itoa::Buffer::new().format(retries));
    out.push_str(if retries == 1 { " retry" } else { " retries" });
    out.push_str(" before it");
    if let Some((frame, earlier)) = first_try {
        out.push_str(", first try ");
        match earlier {
            Some(d) => {
                push_human(out, d);
                out.push_str(" earlier");
            }
            None => {
                out.push_str("at frame ");
                out.push_str(itoa::Buffer::new().format(frame));
            }
        }
    }
    out.push(')');
}

/// [`push_retries`] as a string.
pub fn retries(retries: u32, first_try: Option<(u64, Option<Duration>)>) -> String {
    let mut s = String::new();
    push_retries(&mut s, retries, first_try);
    s
}

/// Appends [`human`]'s form of `d` (every reply's note in the table: written by hand).
pub fn push_human(out: &mut String, d: Duration) {
    if d < Duration::from_micros(1) {
        out.push_str(itoa::Buffer::new().format(d.as_nanos()));
        out.push_str(" ns");
    } else if d < Duration::from_secs(1) {
        push_milli(out, d.as_micros());
        out.push_str(" ms");
    } else {
        push_milli(out, d.as_millis());
        out.push_str(" s");
    }
}

/// `n / 1000` with three decimals.
fn push_milli(out: &mut String, n: u128) {
    out.push_str(itoa::Buffer::new().format(n / 1000));
    out.push('.');
    push_padded(out, (n % 1000) as u32, 3);
}

/// `n` in at least `digits` digits, zeros in front.
fn push_padded(out: &mut String, n: u32, digits: usize) {
    let mut b = itoa::Buffer::new();
    let s = b.format(n);
    out.extend(std::iter::repeat_n('0', digits.saturating_sub(s.len())));
    out.push_str(s);
}

/// Seconds since `origin`, six decimals (`0.000283`); `-` without a time.
pub fn relative(t: Option<Duration>, origin: Option<Duration>) -> String {
    seconds_between(t, origin, "")
}

/// Seconds from `origin` to `t` with six decimals, after `sign` when not negative
/// (`+0.000283`, `-0.001000`); `-` when either time is missing.
pub fn seconds_between(t: Option<Duration>, origin: Option<Duration>, sign: &str) -> String {
    let mut s = String::with_capacity(24);
    push_seconds_between(&mut s, t, origin, sign);
    s
}

/// Appends [`seconds_between`]'s form (every row's time column: written by hand).
pub fn push_seconds_between(
    out: &mut String,
    t: Option<Duration>,
    origin: Option<Duration>,
    sign: &str,
) {
    match (t, origin) {
        (Some(t), Some(o)) => {
            let (sign, d) = if t >= o { (sign, t - o) } else { ("-", o - t) };
            out.push_str(sign);
            out.push_str(itoa::Buffer::new().format(d.as_secs()));
            out.push('.');
            push_padded(out, d.subsec_micros(), 6);
        }
        _ => out.push('-'),
    }
}

/// `1 frame`, `2 frames`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes the summary for people; `container` names the capture's file format ("pcapng", …).
/// Fitted to `width` when given: the conversation table leaves out columns ([`Fit`]) and
/// the prose folds ([`Fold`](super::Fold)).
pub fn write_text(
    out: &mut dyn Write,
    a: &Analyzer,
    container: &str,
    paint: Paint,
    width: Option<usize>,
) -> io::Result<()> {
    match width {
        Some(w) => {
            let mut fold = super::Fold::new(out, w);
            write_text_to(&mut fold, a, container, paint, width)?;
            fold.flush()
        }
        None => write_text_to(out, a, container, paint, None),
    }
}

fn write_text_to(
    out: &mut dyn Write,
    a: &Analyzer,
    container: &str,
    paint: Paint,
    width: Option<usize>,
) -> io::Result<()> {
    let mut line = format!(
        "Capture: {container}, {}",
        plural(a.frames, "frame", "frames")
    );
    if let (Some(first), Some(last)) = (a.first_time, a.last_time) {
        line += &format!(
            ", {} to {} ({})",
            rfc3339(first),
            rfc3339(last),
            human(last.saturating_sub(first))
        );
    }
    writeln!(out, "{line}")?;
    let convs = a.conversations();
    writeln!(
        out,
        "UDP: {}, {} of payload, {}",
        plural(a.datagrams, "datagram", "datagrams"),
        plural(a.payload_bytes, "byte", "bytes"),
        plural(convs.len() as u64, "conversation", "conversations"),
    )?;
    let other: u64 = a.skipped.values().sum::<u64>() + a.malformed + a.unreadable;
    if other > 0 {
        let mut kinds: Vec<String> = a.skipped.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        if a.malformed > 0 {
            kinds.push(format!("malformed: {}", a.malformed));
        }
        if a.unreadable > 0 {
            kinds.push(format!("unreadable records: {}", a.unreadable));
        }
        writeln!(
            out,
            "Not UDP: {} ({})",
            plural(other, "frame", "frames"),
            kinds.join(", ")
        )?;
    }
    // Counts worth a line of their own: (count, before, one, many, after).
    let notes = [
        (
            a.filtered_out,
            "Left out by --port/--host: ",
            "UDP datagram",
            "UDP datagrams",
            "",
        ),
        (
            a.cut,
            "Cut by the snaplen: ",
            "datagram",
            "datagrams",
            " (only part of the payload was captured)",
        ),
        (
            a.bad_length,
            "UDP length field disagrees with the IP length: ",
            "datagram",
            "datagrams",
            "",
        ),
    ];
    for (n, before, one, many, after) in notes {
        if n > 0 {
            writeln!(out, "{before}{}{after}", plural(n, one, many))?;
        }
    }
    for note in &a.notes {
        writeln!(out, "Note: {note}.")?;
    }
    if a.limit_reached() {
        writeln!(
            out,
            "Conversation limit reached: only the first {CONVERSATION_LIMIT} conversations are \
             tracked; {} of later ones are listed but not grouped.",
            plural(a.untracked, "datagram", "datagrams")
        )?;
    }
    if convs.is_empty() {
        return write_tcp(out, a, paint);
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.bold("Conversations:"))?;
    let mut table = BlockTable::new(
        &[
            "conv",
            "A (first sender)",
            "B",
            "A->B",
            "B->A",
            "start",
            "duration",
            "replies",
            "unanswered",
        ],
        &[true, false, false, true, true, true, true, true, true],
        &[4, 1, 1, 1, 1, 5, 8, 7, 10],
    )
    // Too wide: start, duration, B->A and A->B go first (the stories below tell them).
    .fit(width.map(|width| Fit {
        width,
        shrink: Vec::new(),
        drop: vec![5, 6, 4, 3, 8, 7],
    }));
    for c in &convs {
        table.row(
            out,
            vec![
                c.id.to_string(),
                c.a.to_string(),
                c.b.to_string(),
                traffic(c.packets[0], c.bytes[0]),
                traffic(c.packets[1], c.bytes[1]),
                relative(c.first_time, a.first_time),
                c.duration().map_or_else(|| "-".into(), human),
                c.replies.to_string(),
                c.unanswered_total().to_string(),
            ],
        )?;
    }
    table.finish(out)?;
    writeln!(out)?;
    for c in story_order(&convs).into_iter().take(STORIES) {
        story(out, c, paint)?;
    }
    if convs.len() > STORIES {
        writeln!(
            out,
            "... and {} more (see the table).",
            plural(
                (convs.len() - STORIES) as u64,
                "conversation",
                "conversations"
            )
        )?;
    }
    if a.icmp_unmatched > 0 {
        writeln!(
            out,
            "ICMP errors about UDP datagrams that are not listed here: {}",
            a.icmp_unmatched
        )?;
    }
    writeln!(out, "{}", paint.green(&tr!("lesson-udp")))?;
    write_tcp(out, a, paint)
}

/// The conversations in the order their stories are told: the unusual first — an ICMP error
/// answered them, then datagrams went unanswered, then some repeated — and the routine ones
/// after; within each, in order of appearance.
fn story_order(convs: &[Conversation]) -> Vec<&Conversation> {
    let rank = |c: &Conversation| match () {
        () if c.icmp_errors > 0 => 0,
        () if c.unanswered_total() > 0 => 1,
        () if c.repeats > 0 => 2,
        () => 3,
    };
    let mut order: Vec<&Conversation> = convs.iter().collect();
    order.sort_by_key(|c| (rank(c), c.id));
    order
}

/// The lesson of the lab, in one sentence.
pub const UDP_LESSON: &str = "UDP is connectionless: no handshake comes before the data, each \
     datagram stands alone, and only a reply tells the sender that a datagram arrived.";

/// The contrast, in one sentence.
pub const TCP_LESSON: &str = "TCP is connection-oriented: SYN, SYN-ACK and ACK cross the link \
     before its first byte of data; UDP's first datagram already carries data.";

/// `frame 10: 10.0.0.9 answered with ICMP port unreachable: nothing listened on 10.0.0.9:9999.`
pub fn icmp_sentence(e: &IcmpNote, count: u64) -> String {
    let mut s = format!(
        "frame {}: {} answered with ICMP {}: nothing listened on {}.",
        e.frame, e.from, e.what, e.target
    );
    if count > 1 {
        s += &format!(" ({count} ICMP errors in all)");
    }
    s
}

/// One TCP connection's handshake and first data, in words.
pub fn tcp_sentence(c: &TcpConnection) -> String {
    let origin = c.syn.and_then(|(_, t)| t);
    let step = |name: &str, m: Option<Mark>| -> Option<String> {
        let (frame, t) = m?;
        Some(match (t, origin) {
            (Some(t), Some(o)) if name != "SYN" => {
                format!("{name} (frame {frame}, +{})", human(t.saturating_sub(o)))
            }
            _ => format!("{name} (frame {frame})"),
        })
    };
    let steps: Vec<String> = [
        step("SYN", c.syn),
        step("SYN-ACK", c.syn_ack),
        step("ACK", c.ack),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut s = format!("{} -> {}: ", c.client, c.server);
    if steps.is_empty() {
        s += "no handshake in the capture (it began earlier)";
    } else {
        s += &steps.join(", ");
    }
    match c.first_data {
        Some((frame, t, bytes)) => {
            s += &format!(
                "; first data ({}) at frame {frame}",
                plural(bytes as u64, "byte", "bytes")
            );
            if let (Some(t), Some(o)) = (t, origin) {
                s += &format!(", {} after the SYN", human(t.saturating_sub(o)));
            }
        }
        None => s += "; no data",
    }
    s + "."
}

/// How many TCP connections the summary describes (all are counted).
pub const TCP_SHOWN: usize = 10;

fn write_tcp(out: &mut dyn Write, a: &Analyzer, paint: Paint) -> io::Result<()> {
    if a.tcp.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "TCP, for contrast: {}",
        plural(a.tcp.len() as u64, "connection", "connections")
    )?;
    for c in a.tcp.iter().take(TCP_SHOWN) {
        writeln!(out, "  {}", tcp_sentence(c))?;
    }
    if a.tcp.len() > TCP_SHOWN {
        writeln!(out, "  ... and {} more.", a.tcp.len() - TCP_SHOWN)?;
    }
    writeln!(out, "{}", paint.green(&tr!("lesson-tcp")))
}

fn traffic(packets: u64, bytes: u64) -> String {
    format!("{} / {bytes} B", plural(packets, "dgram", "dgrams"))
}

fn story(out: &mut dyn Write, c: &Conversation, paint: Paint) -> io::Result<()> {
    let title = format!("Conversation {}: {} <-> {}", c.id, c.a, c.b);
    writeln!(out, "{}", paint.bold(&title))?;
    writeln!(
        out,
        "  frame {}: {} sent {} in the very first packet: no handshake came before it.",
        c.first_frame,
        c.a,
        plural(u64::from(c.first_length), "byte of data", "bytes of data")
    )?;
    match c.first_reply {
        Some(r) => {
            let replier = r.replier;
            let asker = if replier == c.a { c.b } else { c.a };
            let when = r
                .after
                .map_or_else(String::new, |d| format!(" {} later", human(d)));
            writeln!(
                out,
                "  frame {}: {replier} replied to frame {} (from {asker}){when}{}.",
                r.reply,
                r.request,
                retries(r.retries, r.first_try)
            )?;
        }
        None if c.first_icmp.is_some() => {
            writeln!(out, "  no datagram came back; an ICMP error did instead:")?
        }
        None => writeln!(
            out,
            "  {}",
            paint.yellow(&format!(
                "no datagram came back: one-way, and nothing told {} whether it arrived.",
                c.a
            ))
        )?,
    }
    if let Some(e) = c.first_icmp {
        writeln!(out, "  {}", paint.red(&icmp_sentence(&e, c.icmp_errors)))?;
    }
    if c.repeats > 0 {
        writeln!(
            out,
            "  {} the same payload as the one before it, unanswered: retries or duplicates.",
            plural(c.repeats, "datagram repeated", "datagrams repeated")
        )?;
    }
    let total = c.packets[0] + c.packets[1];
    let shown = 1 + u64::from(c.first_reply.is_some());
    if total > shown {
        writeln!(
            out,
            "  in all {}, {} answered, {} unanswered.",
            plural(total, "datagram", "datagrams"),
            c.replies,
            c.unanswered_total()
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ConversationRecord {
    conversation: u32,
    a: std::net::IpAddr,
    aport: u16,
    b: std::net::IpAddr,
    bport: u16,
    first_frame: u64,
    start: Option<String>,
    duration_ns: Option<u128>,
    packets_ab: u64,
    packets_ba: u64,
    bytes_ab: u64,
    bytes_ba: u64,
    replies: u64,
    unanswered: u64,
    first_reply_frame: Option<u64>,
    first_reply_after_ns: Option<u128>,
    first_reply_to_frame: Option<u64>,
    first_reply_retries: Option<u32>,
    first_try_frame: Option<u64>,
    first_try_before_reply_ns: Option<u128>,
    frame_bytes_ab: u64,
    frame_bytes_ba: u64,
}

impl From<&Conversation> for ConversationRecord {
    fn from(c: &Conversation) -> Self {
        ConversationRecord {
            conversation: c.id,
            a: c.a.addr,
            aport: c.a.port,
            b: c.b.addr,
            bport: c.b.port,
            first_frame: c.first_frame,
            start: c.first_time.map(rfc3339),
            duration_ns: c.duration().map(|d| d.as_nanos()),
            packets_ab: c.packets[0],
            packets_ba: c.packets[1],
            bytes_ab: c.bytes[0],
            bytes_ba: c.bytes[1],
            replies: c.replies,
            unanswered: c.unanswered_total(),
            first_reply_frame: c.first_reply.map(|r| r.reply),
            first_reply_after_ns: c.first_reply.and_then(|r| r.after).map(|d| d.as_nanos()),
            first_reply_to_frame: c.first_reply.map(|r| r.request),
            first_reply_retries: c.first_reply.map(|r| r.retries),
            first_try_frame: c.first_reply.and_then(|r| r.first_try).map(|(f, _)| f),
            first_try_before_reply_ns: c
                .first_reply
                .and_then(|r| r.first_try?.1)
                .map(|d| d.as_nanos()),
            frame_bytes_ab: c.frame_bytes[0],
            frame_bytes_ba: c.frame_bytes[1],
        }
    }
}

/// Writes one record per conversation, as jsonl or csv (header first).
pub fn write_records(out: &mut dyn Write, a: &Analyzer, csv: bool) -> io::Result<()> {
    if csv {
        let mut w = csv::WriterBuilder::new().from_writer(&mut *out);
        for c in a.conversations() {
            w.serialize(ConversationRecord::from(&c))
                .map_err(csv_to_io)?;
        }
        if a.conversation_count() == 0 {
            w.write_record([
                "conversation",
                "a",
                "aport",
                "b",
                "bport",
                "first_frame",
                "start",
                "duration_ns",
                "packets_ab",
                "packets_ba",
                "bytes_ab",
                "bytes_ba",
                "replies",
                "unanswered",
                "first_reply_frame",
                "first_reply_after_ns",
                "first_reply_to_frame",
                "first_reply_retries",
                "first_try_frame",
                "first_try_before_reply_ns",
                "frame_bytes_ab",
                "frame_bytes_ba",
            ])
            .map_err(csv_to_io)?;
        }
        w.flush()
    } else {
        for c in a.conversations() {
            serde_json::to_writer(&mut *out, &ConversationRecord::from(&c))?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

fn csv_to_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_are_told_with_the_first_try() {
        let d = Some(Duration::from_millis(2001));
        assert_eq!(retries(0, None), "");
        assert_eq!(
            retries(2, Some((1, d))),
            " (2 retries before it, first try 2.001 s earlier)"
        );
        assert_eq!(
            retries(1, Some((4, None))),
            " (1 retry before it, first try at frame 4)"
        );
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_micros(283)), "0.283 ms");
        assert_eq!(human(Duration::from_nanos(12_345_678)), "12.345 ms");
        assert_eq!(human(Duration::from_millis(5144)), "5.144 s");
        assert_eq!(human(Duration::from_nanos(999)), "999 ns");
    }

    #[test]
    fn relative_times() {
        let o = Some(Duration::new(10, 0));
        assert_eq!(relative(Some(Duration::new(10, 283_000)), o), "0.000283");
        assert_eq!(
            relative(Some(Duration::new(9, 999_000_000)), o),
            "-0.001000"
        );
        assert_eq!(relative(None, o), "-");
    }
}
