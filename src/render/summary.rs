//! The summary: what the capture held, its conversations, and in plain words what happened.
//!
//! For people (`table`) it is text and a conversation table; for machines (`--summary` with
//! `jsonl` or `csv`) one record per conversation.

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::analyze::{
    Analyzer, CONVERSATION_LIMIT, Conversation, FrameNo, IcmpNote, Mark, TcpConnection, file_of,
    split_frame_id,
};
use crate::dissect::Skip;
use crate::i18n::{self, Template, tr};
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
    out.push(' ');
    out.push_str(&match first_try {
        Some((_, Some(d))) => tr!("retries-earlier", n = retries, earlier = human(d)),
        Some((frame, None)) => tr!(
            "retries-at",
            n = retries,
            frame = FrameNo(frame).to_string()
        ),
        None => tr!("retries", n = retries),
    });
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

/// `n / 1000` with three decimals, after the language's decimal mark.
fn push_milli(out: &mut String, n: u128) {
    out.push_str(itoa::Buffer::new().format(n / 1000));
    out.push(i18n::current().decimal_mark());
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

/// How frames of merged inputs are written, told with a frame of this capture: the first
/// datagram of the first conversation that begins past the first file, else of the first one.
fn frames_legend(convs: &[Conversation]) -> String {
    let first = convs.iter().map(|c| c.first_frame);
    match first
        .clone()
        .find(|f| split_frame_id(*f).0 > 1)
        .or_else(|| first.clone().next())
    {
        Some(id) => {
            let (file, frame) = split_frame_id(id);
            tr!(
                "merged-frames",
                id = FrameNo(id).to_string(),
                frame = frame.to_string(),
                file = file.to_string()
            )
        }
        None => tr!("merged-frames-none").into_owned(),
    }
}

fn write_text_to(
    out: &mut dyn Write,
    a: &Analyzer,
    container: &str,
    paint: Paint,
    width: Option<usize>,
) -> io::Result<()> {
    let line = match (a.first_time, a.last_time) {
        (Some(first), Some(last)) => tr!(
            "summary-capture-span",
            format = container,
            frames = a.frames,
            first = rfc3339(first),
            last = rfc3339(last),
            duration = human(last.saturating_sub(first)),
        ),
        _ => tr!("summary-capture", format = container, frames = a.frames),
    };
    writeln!(out, "{line}")?;
    for (i, input) in a.inputs.iter().enumerate() {
        writeln!(out, "  {}", tr!("merged-input", n = i + 1, name = input))?;
    }
    let convs = a.conversations();
    if !a.inputs.is_empty() {
        writeln!(out, "  {}", frames_legend(&convs))?;
    }
    let line = tr!(
        "summary-udp",
        datagrams = a.datagrams,
        bytes = a.payload_bytes,
        conversations = convs.len(),
    );
    writeln!(out, "{line}")?;
    let other: u64 = a.skipped.values().sum::<u64>() + a.malformed + a.unreadable;
    if other > 0 {
        let mut kinds: Vec<String> = a
            .skipped
            .iter()
            .map(|(k, n)| tr!("summary-kind", kind = skip_name(k), count = *n))
            .collect();
        if a.malformed > 0 {
            kinds.push(tr!("summary-kind-malformed", count = a.malformed));
        }
        if a.unreadable > 0 {
            kinds.push(tr!("summary-kind-unreadable", count = a.unreadable));
        }
        let line = tr!("summary-not-udp", frames = other, kinds = kinds.join(", "));
        writeln!(out, "{line}")?;
    }
    // Counts worth a line of their own.
    let notes = [
        (a.filtered_out, "summary-filtered-out"),
        (a.cut, "summary-cut"),
        (a.bad_length, "summary-bad-length"),
    ];
    for (n, key) in notes {
        if n > 0 {
            writeln!(out, "{}", tr!(key, n = n))?;
        }
    }
    for note in &a.notes {
        writeln!(out, "{}", tr!("summary-note", note = note))?;
    }
    if a.limit_reached() {
        let line = tr!("summary-limit", limit = CONVERSATION_LIMIT, n = a.untracked);
        writeln!(out, "{line}")?;
    }
    if convs.is_empty() {
        return write_tcp(out, a, paint);
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.bold(&tr!("summary-conversations")))?;
    let header = [
        "column-conv",
        "column-a",
        "column-b",
        "column-ab",
        "column-ba",
        "column-start",
        "column-duration",
        "column-replies",
        "column-unanswered",
    ]
    .map(|key| tr!(key));
    let mut table = BlockTable::new(
        &header,
        &[true, false, false, true, true, true, true, true, true],
        &[4, 1, 1, 1, 1, 5, 8, 7, 10],
    )
    // Too wide: start, duration, B->A and A->B go first (the stories below tell them).
    .fit(width.map(|width| Fit {
        width,
        shrink: Vec::new(),
        drop: vec![5, 6, 4, 3, 8, 7],
    }));
    let mut traffic = Traffic::default();
    for c in &convs {
        table.row(
            out,
            vec![
                c.id.to_string(),
                c.a.to_string(),
                c.b.to_string(),
                traffic.cell(c.packets[0], c.bytes[0]),
                traffic.cell(c.packets[1], c.bytes[1]),
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
        writeln!(out, "{}", tr!("summary-more", n = convs.len() - STORIES))?;
    }
    if a.icmp_unmatched > 0 {
        let line = tr!("summary-icmp-unmatched", n = a.icmp_unmatched);
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", paint.green(&tr!("lesson-udp")))?;
    write_tcp(out, a, paint)
}

/// What a skipped frame was, in words (the summary's "Not UDP" line).
pub fn skip_name(k: &Skip) -> String {
    let hex = |n: u16| format!("0x{n:04x}");
    match k {
        Skip::Arp | Skip::Tcp | Skip::Icmp | Skip::Icmpv6 | Skip::Igmp => k.to_string(),
        Skip::IpProto(p) => tr!("skip-ip-protocol", number = *p),
        Skip::Fragment => tr!("skip-fragment").into_owned(),
        Skip::FragmentReassembled => tr!("skip-fragment-reassembled").into_owned(),
        Skip::EtherType(t) => tr!("skip-ethertype", number = hex(*t)),
        Skip::LoopbackFamily(f) => tr!("skip-loopback-family", number = u64::from(*f)),
        Skip::PppProtocol(p) => tr!("skip-ppp-protocol", number = hex(*p)),
        Skip::LinkType(l) => tr!("skip-link-type", number = u64::from(*l)),
        Skip::Wifi(what) | Skip::NotAPacket(what) => {
            let key = match *what {
                "management" => "skip-wifi-management",
                "control" => "skip-wifi-control",
                "null data" => "skip-wifi-null",
                "protected (encrypted) data" => "skip-wifi-protected",
                "data without LLC/SNAP" => "skip-wifi-no-snap",
                "pcapng custom block" => "skip-pcapng-custom",
                "systemd journal export block" => "skip-systemd-journal",
                _ => return k.to_string(),
            };
            tr!(key).into_owned()
        }
    }
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

/// `frame 10: 10.0.0.9 answered with ICMP port unreachable: nothing listened on 10.0.0.9:9999.`
pub fn icmp_sentence(e: &IcmpNote, count: u64) -> String {
    let (from, what, target) = (e.from.to_string(), icmp_name(e.what), e.target.to_string());
    if count > 1 {
        tr!(
            "icmp-sentence-many",
            frame = FrameNo(e.frame).to_string(),
            from = from,
            what = what,
            target = target,
            count = count
        )
    } else {
        tr!(
            "icmp-sentence",
            frame = FrameNo(e.frame).to_string(),
            from = from,
            what = what,
            target = target
        )
    }
}

/// The name of an ICMP error (`port unreachable`), as the language calls it.
pub fn icmp_name(what: &str) -> Cow<'static, str> {
    let key = match what {
        "port unreachable" => "icmp-port-unreachable",
        "host unreachable" => "icmp-host-unreachable",
        "network unreachable" => "icmp-network-unreachable",
        "protocol unreachable" => "icmp-protocol-unreachable",
        "fragmentation needed" => "icmp-fragmentation-needed",
        "address unreachable" => "icmp-address-unreachable",
        "no route" => "icmp-no-route",
        "destination unreachable" => "icmp-destination-unreachable",
        other => return Cow::Owned(other.to_string()),
    };
    tr!(key)
}

/// One TCP connection's handshake and first data, in words.
pub fn tcp_sentence(c: &TcpConnection) -> String {
    let origin = c.syn.and_then(|(_, t)| t);
    let step = |name: &str, m: Option<Mark>| -> Option<String> {
        let (frame, t) = m?;
        Some(match (t, origin) {
            (Some(t), Some(o)) if name != "SYN" => tr!(
                "tcp-step-after",
                step = name,
                frame = FrameNo(frame).to_string(),
                after = human(t.saturating_sub(o))
            ),
            _ => tr!("tcp-step", step = name, frame = FrameNo(frame).to_string()),
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
    let handshake = if steps.is_empty() {
        tr!("tcp-no-handshake").into_owned()
    } else {
        steps.join(", ")
    };
    let data = match c.first_data {
        Some((frame, t, bytes)) => match (t, origin) {
            (Some(t), Some(o)) => tr!(
                "tcp-first-data-after",
                bytes = bytes,
                frame = FrameNo(frame).to_string(),
                after = human(t.saturating_sub(o))
            ),
            _ => tr!(
                "tcp-first-data",
                bytes = bytes,
                frame = FrameNo(frame).to_string()
            ),
        },
        None => tr!("tcp-no-data").into_owned(),
    };
    tr!(
        "tcp-connection",
        client = c.client.to_string(),
        server = c.server.to_string(),
        handshake = handshake,
        data = data
    )
}

/// How many TCP connections the summary describes (all are counted).
pub const TCP_SHOWN: usize = 10;

fn write_tcp(out: &mut dyn Write, a: &Analyzer, paint: Paint) -> io::Result<()> {
    if a.tcp.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", tr!("tcp-title", n = a.tcp.len()))?;
    for c in a.tcp.iter().take(TCP_SHOWN) {
        writeln!(out, "  {}", tcp_sentence(c))?;
    }
    if a.tcp.len() > TCP_SHOWN {
        writeln!(out, "  {}", tr!("tcp-more", n = a.tcp.len() - TCP_SHOWN))?;
    }
    writeln!(out, "{}", paint.green(&tr!("lesson-tcp")))
}

/// The conversation table's `2 dgrams / 12 B` cells: the message is cut once per packet count
/// (it chooses the plural form), and a cell pushes only its numbers.
#[derive(Default)]
struct Traffic(HashMap<u64, Template>);

impl Traffic {
    fn cell(&mut self, packets: u64, bytes: u64) -> String {
        let t = self.0.entry(packets).or_insert_with(|| {
            let lang = i18n::current();
            Template::with_numbers(lang, "summary-traffic", &["bytes"], &[("packets", packets)])
        });
        let mut s = String::with_capacity(24);
        t.push(&mut s, &[itoa::Buffer::new().format(bytes)]);
        s
    }
}

fn story(out: &mut dyn Write, c: &Conversation, paint: Paint) -> io::Result<()> {
    let (a, b) = (c.a.to_string(), c.b.to_string());
    let title = tr!("story-title", id = c.id, a = &a, b = &b);
    writeln!(out, "{}", paint.bold(&title))?;
    let first = tr!(
        "story-first",
        frame = FrameNo(c.first_frame).to_string(),
        a = &a,
        bytes = c.first_length
    );
    writeln!(out, "  {first}")?;
    match c.first_reply {
        Some(r) => {
            let replier = r.replier;
            let asker = if replier == c.a { c.b } else { c.a };
            let (replier, asker) = (replier.to_string(), asker.to_string());
            let retries = retries(r.retries, r.first_try);
            let line = match r.after {
                Some(d) => tr!(
                    "story-reply-after",
                    frame = FrameNo(r.reply).to_string(),
                    replier = replier,
                    request = FrameNo(r.request).to_string(),
                    asker = asker,
                    after = human(d),
                    retries = retries
                ),
                None => tr!(
                    "story-reply",
                    frame = FrameNo(r.reply).to_string(),
                    replier = replier,
                    request = FrameNo(r.request).to_string(),
                    asker = asker,
                    retries = retries
                ),
            };
            writeln!(out, "  {line}")?;
        }
        None if c.first_icmp.is_some() => writeln!(out, "  {}", tr!("story-icmp-instead"))?,
        None => writeln!(out, "  {}", paint.yellow(&tr!("story-one-way", a = &a)))?,
    }
    if let Some(e) = c.first_icmp {
        writeln!(out, "  {}", paint.red(&icmp_sentence(&e, c.icmp_errors)))?;
    }
    if c.repeats > 0 {
        writeln!(out, "  {}", tr!("story-repeats", n = c.repeats))?;
    }
    let total = c.packets[0] + c.packets[1];
    let shown = 1 + u64::from(c.first_reply.is_some());
    if total > shown {
        let line = tr!(
            "story-in-all",
            n = total,
            answered = c.replies,
            unanswered = c.unanswered_total()
        );
        writeln!(out, "  {line}")?;
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
    repeats: u64,
    icmp_errors: u64,
    first_icmp_frame: Option<u64>,
    first_icmp: Option<&'static str>,
    file: String,
    // The inputs of the frames it refers to, as the datagrams' `reply_to_file`: with several
    // inputs, a frame number is its own file's.
    first_reply_file: Option<String>,
    first_reply_to_file: Option<String>,
    first_try_file: Option<String>,
    first_icmp_file: Option<String>,
}

impl ConversationRecord {
    fn new(c: &Conversation, files: &[String]) -> Self {
        let frame = |f: u64| split_frame_id(f).1;
        // (The names come escaped.)
        let file = |f: u64| file_of(files, split_frame_id(f).0).to_string();
        let first_try = c.first_reply.and_then(|r| r.first_try);
        ConversationRecord {
            conversation: c.id,
            a: c.a.addr,
            aport: c.a.port,
            b: c.b.addr,
            bport: c.b.port,
            first_frame: frame(c.first_frame),
            start: c.first_time.map(rfc3339),
            duration_ns: c.duration().map(|d| d.as_nanos()),
            packets_ab: c.packets[0],
            packets_ba: c.packets[1],
            bytes_ab: c.bytes[0],
            bytes_ba: c.bytes[1],
            replies: c.replies,
            unanswered: c.unanswered_total(),
            first_reply_frame: c.first_reply.map(|r| frame(r.reply)),
            first_reply_after_ns: c.first_reply.and_then(|r| r.after).map(|d| d.as_nanos()),
            first_reply_to_frame: c.first_reply.map(|r| frame(r.request)),
            first_reply_retries: c.first_reply.map(|r| r.retries),
            first_try_frame: first_try.map(|(f, _)| frame(f)),
            first_try_before_reply_ns: c
                .first_reply
                .and_then(|r| r.first_try?.1)
                .map(|d| d.as_nanos()),
            frame_bytes_ab: c.frame_bytes[0],
            frame_bytes_ba: c.frame_bytes[1],
            repeats: c.repeats,
            icmp_errors: c.icmp_errors,
            first_icmp_frame: c.first_icmp.map(|i| frame(i.frame)),
            first_icmp: c.first_icmp.map(|i| i.what),
            // The input of its first frame.
            file: file(c.first_frame),
            first_reply_file: c.first_reply.map(|r| file(r.reply)),
            first_reply_to_file: c.first_reply.map(|r| file(r.request)),
            first_try_file: first_try.map(|(f, _)| file(f)),
            first_icmp_file: c.first_icmp.map(|i| file(i.frame)),
        }
    }
}

/// Writes one record per conversation, as jsonl or csv (header first).
pub fn write_records(
    out: &mut dyn Write,
    a: &Analyzer,
    csv: bool,
    files: &[String],
) -> io::Result<()> {
    if csv {
        let mut w = csv::WriterBuilder::new().from_writer(&mut *out);
        for c in a.conversations() {
            w.serialize(ConversationRecord::new(&c, files))
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
                "repeats",
                "icmp_errors",
                "first_icmp_frame",
                "first_icmp",
                "file",
                "first_reply_file",
                "first_reply_to_file",
                "first_try_file",
                "first_icmp_file",
            ])
            .map_err(csv_to_io)?;
        }
        w.flush()
    } else {
        for c in a.conversations() {
            serde_json::to_writer(&mut *out, &ConversationRecord::new(&c, files))?;
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
