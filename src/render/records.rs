//! One record per UDP datagram, for machines: jsonl and csv, with the fields and their order as
//! README.md documents them ([`FIELDS`]; Parquet has the same columns in the same order).
//!
//! A record is made in two parts. The reading thread renders the facts of the datagram, which
//! need no analysis ([`RecordWriter::render`]: `frame` to `text`, the record left open); the
//! analyzing thread appends the analysis ([`RecordWriter::push_analysis`]: `conv` to
//! `repeat_of`), and, when the row leaves the [`Held`] queue, the ICMP error that answered it
//! and the input's name ([`RecordWriter::push_end`]).
//!
//! Payload bytes reach the output as hex, and as `text` only when they are printable text, in
//! their escaped form ([`crate::escape`]) quoted for JSON or CSV.

use std::io::{self, Write};
use std::net::IpAddr;
use std::time::Duration;

use crate::analyze::{Role, Seen, split_frame_id};
use crate::dissect::Udp;
use crate::escape::{escape_bytes_into, hex_into_bytes};

/// A capture time as RFC 3339 in UTC with exactly nine fractional digits
/// (`2025-09-15T11:20:53.709480000Z`). RFC 3339 stops at year 9999; a later time (a pcapng
/// time in seconds, a large `if_tsoffset`) takes ISO 8601's expanded form, a `+` and at least
/// six digits of year: `+011476-08-15T05:20:00.000000000Z`.
pub fn rfc3339(t: Duration) -> String {
    let secs = i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
    let nanos = t.subsec_nanos() as i32;
    match jiff::Timestamp::new(secs, nanos) {
        Ok(ts) => format!("{ts:.9}"),
        Err(_) => expanded(t),
    }
}

/// ISO 8601 expanded representation of a time past year 9999 (proleptic Gregorian calendar).
fn expanded(t: Duration) -> String {
    let secs = t.as_secs();
    let days = secs / 86_400;
    let in_day = secs % 86_400;
    // Howard Hinnant's civil_from_days, on unsigned days since 1970-01-01 (all after 0000-03-01).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "+{year:06}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:09}Z",
        in_day / 3_600,
        in_day / 60 % 60,
        in_day % 60,
        t.subsec_nanos()
    )
}

/// Every field of a datagram's record, in order: jsonl's keys, csv's header row, Parquet's
/// columns. New fields go at the end.
pub const FIELDS: [&str; 21] = [
    "frame",
    "time",
    "src",
    "sport",
    "dst",
    "dport",
    "length",
    "payload",
    "reassembled",
    "captured",
    "cut",
    "bad_length",
    "text",
    "conv",
    "reply_to",
    "rtt_ns",
    "repeat_of",
    "icmp",
    "file",
    "reply_to_file",
    "repeat_of_file",
];

/// The CSV header row: [`FIELDS`].
pub const CSV_HEADER: [&str; 21] = FIELDS;

/// Whether a payload is shown as `text`: UTF-8 without control characters other than tab, CR and
/// LF.
pub fn printable(payload: &[u8]) -> bool {
    if plain_ascii(payload, true)
        || payload
            .iter()
            .all(|&b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return true;
    }
    std::str::from_utf8(payload).is_ok_and(|s| {
        !s.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    })
}

/// Whether `bytes` are all printable ASCII other than `\` and `"` (`quotes` false), or all
/// printable ASCII (`quotes` true): eight at a time.
fn plain_ascii(bytes: &[u8], quotes: bool) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero: (x - 1) & !x has its high bit (exact when no byte is >= 0x80,
    // which the first test rules out).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // >= 0x80, or < 0x20 (adding 0x60 reaches 0x80 only from 0x20 up), or 0x7f (adding 1
        // reaches 0x80), or `"` or `\`.
        let mut bad = x & HIGH | !x.wrapping_add(ONES * 0x60) & HIGH | x.wrapping_add(ONES) & HIGH;
        if !quotes {
            bad |= zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\')));
        }
        if bad != 0 {
            return false;
        }
    }
    chunks
        .remainder()
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) && (quotes || b != b'"' && b != b'\\'))
}

/// Whether eight ASCII bytes hold a `"` or a `\\` (a zero byte test on each: a false positive
/// is only ever above a true one).
fn quote_or_backslash(c: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\'))) != 0
}

/// Appends printable ASCII `p` as its escaped text (`\\` doubled), quoted for JSON (`csv` false)
/// or for CSV (quoted when it holds `"` or `,`), in one pass.
fn push_ascii_text(line: &mut Vec<u8>, p: &[u8], csv: bool) {
    let quoted = !csv || p.is_empty() || p.iter().any(|&b| b == b',' || b == b'"');
    let (quote, backslash): (&[u8], &[u8]) = if csv {
        (b"\"\"", b"\\\\")
    } else {
        (b"\\\"", b"\\\\\\\\")
    };
    if quoted {
        line.push(b'"');
    }
    let mut from = 0;
    let mut i = 0;
    while i < p.len() {
        // Eight bytes without `"` or `\\` at a time; else one by one.
        if i + 8 <= p.len() && !quote_or_backslash(&p[i..i + 8]) {
            i += 8;
            continue;
        }
        let b = p[i];
        if b == b'\\' || b == b'"' {
            line.extend_from_slice(&p[from..i]);
            line.extend_from_slice(if b == b'"' { quote } else { backslash });
            from = i + 1;
        }
        i += 1;
    }
    line.extend_from_slice(&p[from..]);
    if quoted {
        line.push(b'"');
    }
}

/// Appends `s` as a JSON string, quotes included (`s` holds no control character).
fn push_json_str(line: &mut Vec<u8>, s: &[u8]) {
    line.push(b'"');
    let mut from = 0;
    for (i, &b) in s.iter().enumerate() {
        if b == b'"' || b == b'\\' || b < 0x20 {
            line.extend_from_slice(&s[from..i]);
            match b {
                b'"' => line.extend_from_slice(b"\\\""),
                b'\\' => line.extend_from_slice(b"\\\\"),
                _ => {
                    line.extend_from_slice(b"\\u00");
                    line.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
                }
            }
            from = i + 1;
        }
    }
    line.extend_from_slice(&s[from..]);
    line.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `s` as a CSV field, quoted when it holds a comma, a quote or a line end (RFC 4180);
/// the empty text as `""`, so that it differs from a missing value.
fn push_csv_str(line: &mut Vec<u8>, s: &[u8]) {
    if !s.is_empty() && !s.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        line.extend_from_slice(s);
        return;
    }
    line.push(b'"');
    for &b in s {
        if b == b'"' {
            line.push(b'"');
        }
        line.push(b);
    }
    line.push(b'"');
}

/// The input's name (already escaped, as the view hands every name on) as a record's last field:
/// JSON-quoted, or a CSV field.
pub fn file_field(name: &str, csv: bool) -> Vec<u8> {
    let mut v = Vec::new();
    if csv {
        push_csv_str(&mut v, name.as_bytes());
    } else {
        push_json_str(&mut v, name.as_bytes());
    }
    v
}

/// Writes datagrams as jsonl or csv, one `write_all` per record from a reused buffer.
///
/// Written by hand rather than through serde: every value is a number, hex, an IP address or an
/// RFC 3339 time, so nothing needs escaping, and this is the hot path of big captures (the tests
/// parse the output with serde_json and csv).
#[derive(Clone)]
pub struct RecordWriter {
    csv: bool,
    line: Vec<u8>,
    /// The escaped text of a payload, before it is quoted.
    text: Vec<u8>,
    /// The last whole second formatted, and its `YYYY-MM-DDTHH:MM:SS` text.
    second: Option<(u64, String)>,
}

impl RecordWriter {
    /// A jsonl writer (`csv == false`) or a csv writer.
    pub fn new(csv: bool) -> Self {
        RecordWriter {
            csv,
            line: Vec::with_capacity(4096),
            text: Vec::new(),
            second: None,
        }
    }

    /// Writes the header row (csv only).
    pub fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.csv {
            writeln!(out, "{}", CSV_HEADER.join(","))?;
        }
        Ok(())
    }

    /// Appends `t` as RFC 3339, reusing the date and time of the previous call's second.
    fn push_time(&mut self, t: Duration) {
        let secs = t.as_secs();
        match &self.second {
            Some((s, text)) if *s == secs => self.line.extend_from_slice(text.as_bytes()),
            _ => {
                let full = rfc3339(t);
                // `YYYY-MM-DDTHH:MM:SS` then `.nnnnnnnnnZ`; fall back to the full text otherwise.
                match full.strip_suffix('Z').and_then(|f| f.rsplit_once('.')) {
                    Some((whole, _)) => {
                        self.line.extend_from_slice(whole.as_bytes());
                        self.second = Some((secs, whole.to_string()));
                    }
                    None => {
                        self.line.extend_from_slice(full.as_bytes());
                        return;
                    }
                }
            }
        }
        self.line.push(b'.');
        let mut nanos = itoa::Buffer::new();
        let n = nanos.format(t.subsec_nanos());
        self.line.extend(std::iter::repeat_n(b'0', 9 - n.len()));
        self.line.extend_from_slice(n.as_bytes());
        self.line.push(b'Z');
    }

    fn push_num(&mut self, n: impl itoa::Integer) {
        self.line
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    fn push_addr(&mut self, a: IpAddr) {
        super::push_ip_bytes(&mut self.line, a);
    }

    /// Writes one datagram's whole record, with its analysis: `icmp` is the error that answered
    /// it, `files` the inputs' [fields](file_field) ([`RecordWriter::push_end`]).
    #[allow(clippy::too_many_arguments)]
    pub fn datagram(
        &mut self,
        out: &mut dyn Write,
        frame: u64,
        time: Option<Duration>,
        udp: &Udp<'_>,
        reassembled: bool,
        seen: Seen,
        icmp: Option<&str>,
        files: &[Vec<u8>],
    ) -> io::Result<()> {
        self.line.clear();
        self.push_record(frame, time, udp, reassembled);
        let mut line = std::mem::take(&mut self.line);
        self.push_analysis(&mut line, seen);
        self.push_end(&mut line, frame, seen, icmp, files);
        self.line = line;
        out.write_all(&self.line)
    }

    /// Appends the analysis of a datagram (`conv` to `repeat_of`) to its open record.
    pub fn push_analysis(&self, line: &mut Vec<u8>, seen: Seen) {
        let csv = self.csv;
        // `json`: the key as jsonl writes it, comma first (`,"conv":`); csv writes the comma.
        let field = |line: &mut Vec<u8>, json: &[u8], v: Option<u64>| {
            line.extend_from_slice(if csv { b"," } else { json });
            match v {
                Some(v) => line.extend_from_slice(itoa::Buffer::new().format(v).as_bytes()),
                None if csv => {}
                None => line.extend_from_slice(b"null"),
            }
        };
        field(line, b",\"conv\":", seen.conversation.map(u64::from));
        let (to, after) = match seen.role {
            Role::Reply { to, after, .. } => (Some(to), after),
            Role::Request => (None, None),
        };
        // (Frames of the input the datagram is in: with several inputs, the file's own number.)
        field(line, b",\"reply_to\":", to.map(|f| split_frame_id(f).1));
        let ns = after.map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        field(line, b",\"rtt_ns\":", ns);
        field(
            line,
            b",\"repeat_of\":",
            seen.repeat_of.map(|f| split_frame_id(f).1),
        );
    }

    /// Ends a record: the ICMP error that answered the datagram (`icmp`), the input of frame id
    /// `frame` (`file`), the inputs of the frames it refers to (`reply_to_file`,
    /// `repeat_of_file`: with several inputs a request may be in another one), and the line's
    /// end. `files` are the inputs' [fields](file_field), by their place in frame ids.
    pub fn push_end(
        &self,
        line: &mut Vec<u8>,
        frame: u64,
        seen: Seen,
        icmp: Option<&str>,
        files: &[Vec<u8>],
    ) {
        let of = |id: u64| {
            let input = split_frame_id(id).0.saturating_sub(1);
            files.get(input).map_or(&[][..], Vec::as_slice)
        };
        let to = match seen.role {
            Role::Reply { to, .. } => Some(of(to)),
            Role::Request => None,
        };
        let repeat = seen.repeat_of.map(of);
        if self.csv {
            line.push(b',');
            if let Some(what) = icmp {
                push_csv_str(line, what.as_bytes());
            }
            line.push(b',');
            line.extend_from_slice(of(frame));
            for v in [to, repeat] {
                line.push(b',');
                line.extend_from_slice(v.unwrap_or_default());
            }
            line.push(b'\n');
        } else {
            line.extend_from_slice(b",\"icmp\":");
            match icmp {
                Some(what) => push_json_str(line, what.as_bytes()),
                None => line.extend_from_slice(b"null"),
            }
            line.extend_from_slice(b",\"file\":");
            line.extend_from_slice(of(frame));
            for (key, v) in [
                (&b",\"reply_to_file\":"[..], to),
                (b",\"repeat_of_file\":", repeat),
            ] {
                line.extend_from_slice(key);
                line.extend_from_slice(v.unwrap_or(b"null"));
            }
            line.extend_from_slice(b"}\n");
        }
    }

    /// Appends the facts of one datagram (`frame` to `text`) to `line`, the record left open for
    /// [`RecordWriter::push_analysis`].
    pub fn render(
        &mut self,
        line: &mut Vec<u8>,
        frame: u64,
        time: Option<Duration>,
        udp: &Udp<'_>,
        reassembled: bool,
    ) {
        std::mem::swap(&mut self.line, line);
        self.push_record(frame, time, udp, reassembled);
        std::mem::swap(&mut self.line, line);
    }

    /// Appends one datagram's record to the line.
    fn push_record(
        &mut self,
        frame: u64,
        time: Option<Duration>,
        udp: &Udp<'_>,
        reassembled: bool,
    ) {
        // (field, value) in the order README.md documents; csv writes the values only.
        let csv = self.csv;
        // `json` is the key as jsonl writes it, with what comes before (`,"sport":`): one copy.
        let key = |line: &mut Vec<u8>, json: &[u8], first: bool| {
            if !csv {
                line.extend_from_slice(json);
            } else if !first {
                line.push(b',');
            }
        };
        let quote = |line: &mut Vec<u8>| {
            if !csv {
                line.push(b'"');
            }
        };
        key(&mut self.line, b"{\"frame\":", true);
        self.push_num(frame);
        key(&mut self.line, b",\"time\":", false);
        match time {
            Some(t) => {
                quote(&mut self.line);
                self.push_time(t);
                quote(&mut self.line);
            }
            None if !csv => self.line.extend_from_slice(b"null"),
            None => {}
        }
        key(&mut self.line, b",\"src\":", false);
        quote(&mut self.line);
        self.push_addr(udp.src);
        quote(&mut self.line);
        key(&mut self.line, b",\"sport\":", false);
        self.push_num(udp.sport);
        key(&mut self.line, b",\"dst\":", false);
        quote(&mut self.line);
        self.push_addr(udp.dst);
        quote(&mut self.line);
        key(&mut self.line, b",\"dport\":", false);
        self.push_num(udp.dport);
        key(&mut self.line, b",\"length\":", false);
        self.push_num(udp.length());
        key(&mut self.line, b",\"payload\":", false);
        quote(&mut self.line);
        hex_into_bytes(udp.payload, &mut self.line);
        quote(&mut self.line);
        let flag = |line: &mut Vec<u8>, v: bool| {
            line.extend_from_slice(if v { b"true" } else { b"false" });
        };
        key(&mut self.line, b",\"reassembled\":", false);
        flag(&mut self.line, reassembled);
        key(&mut self.line, b",\"captured\":", false);
        self.push_num(udp.payload.len());
        key(&mut self.line, b",\"cut\":", false);
        flag(&mut self.line, udp.cut);
        key(&mut self.line, b",\"bad_length\":", false);
        flag(&mut self.line, udp.bad_length);
        key(&mut self.line, b",\"text\":", false);
        if plain_ascii(udp.payload, false) {
            // Nearly every text payload: printable ASCII without `\` or `"` is its own escaped
            // text and needs no quoting but the quotes (csv: none, unless it has a comma).
            if csv {
                push_csv_str(&mut self.line, udp.payload);
            } else {
                self.line.push(b'"');
                self.line.extend_from_slice(udp.payload);
                self.line.push(b'"');
            }
        } else if plain_ascii(udp.payload, true) {
            // Printable ASCII with `\` or `"`: escaped (`\` doubled) and quoted in one pass.
            push_ascii_text(&mut self.line, udp.payload, csv);
        } else if printable(udp.payload) {
            self.text.clear();
            escape_bytes_into(udp.payload, usize::MAX, &mut self.text);
            if csv {
                push_csv_str(&mut self.line, &self.text);
            } else {
                push_json_str(&mut self.line, &self.text);
            }
        } else if !csv {
            self.line.extend_from_slice(b"null");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab() -> Udp<'static> {
        Udp {
            src: "172.19.0.3".parse().unwrap(),
            dst: "172.19.0.2".parse().unwrap(),
            sport: 57314,
            dport: 12345,
            length_field: 27,
            payload: b"Hello, UDP server2!",
            cut: false,
            bad_length: false,
        }
    }

    #[test]
    fn plain_ascii_is_the_simple_test() {
        let naive = |b: &[u8]| {
            b.iter()
                .all(|&b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        };
        for v in 0..=255u8 {
            for at in 0..11 {
                let mut s = *b"Hello, UDP ";
                s[at] = v;
                assert_eq!(plain_ascii(&s, false), naive(&s), "{v:#x} at {at}");
                assert_eq!(
                    plain_ascii(&s[..8], false),
                    naive(&s[..8]),
                    "{v:#x} at {at}"
                );
                let printable = (0x20..0x7f).contains(&v);
                assert_eq!(plain_ascii(&s, true), printable, "{v:#x} at {at}");
            }
        }
        assert!(plain_ascii(b"", false));
        // The one-pass path writes what the general one does.
        let mut w = RecordWriter::new(false);
        for payload in [
            &b"a\\b\"c"[..],
            b"\"\"",
            b"\\",
            b"x\\\"y\\",
            b"0123456789\"abcdefgh\\ijklmnopqrstuvwx\"",
            b"\\1234567\"1234567\\",
            b"12345678123456781234567\"",
            b"a,b",
            b"",
            b"no specials at all here",
        ] {
            let mut u = lab();
            u.payload = payload;
            let mut line = Vec::new();
            w.render(&mut line, 1, None, &u, false);
            let mut want = Vec::new();
            push_json_str(&mut want, crate::escape::escape(payload).as_bytes());
            let text = &line[line.windows(8).position(|w| w == b"\"text\":\"").unwrap() + 7..];
            assert_eq!(text, want.as_slice(), "{}", String::from_utf8_lossy(&line));
            let (mut ours, mut general) = (Vec::new(), Vec::new());
            push_ascii_text(&mut ours, payload, true);
            push_csv_str(&mut general, crate::escape::escape(payload).as_bytes());
            assert_eq!(ours, general, "{}", String::from_utf8_lossy(payload));
        }
    }

    #[test]
    fn time_format() {
        assert_eq!(
            rfc3339(Duration::new(1_757_935_253, 709_480_000)),
            "2025-09-15T11:20:53.709480000Z"
        );
        assert_eq!(rfc3339(Duration::ZERO), "1970-01-01T00:00:00.000000000Z");
        // Past 9999: ISO 8601's expanded years, checked against jiff where both reach.
        assert_eq!(
            expanded(Duration::new(1_757_935_253, 709_480_000)),
            "+002025-09-15T11:20:53.709480000Z"
        );
        assert_eq!(
            expanded(Duration::ZERO),
            "+001970-01-01T00:00:00.000000000Z"
        );
        assert_eq!(
            expanded(Duration::new(253_402_300_799, 0)),
            "+009999-12-31T23:59:59.000000000Z"
        );
        assert_eq!(
            rfc3339(Duration::new(253_402_300_800, 1)),
            "+010000-01-01T00:00:00.000000001Z"
        );
        assert_eq!(
            rfc3339(Duration::new(300_000_000_000, 0)),
            "+011476-08-15T05:20:00.000000000Z"
        );
        // 2000-02-29, a leap day of a century divisible by 400, 8,000 years on.
        let leap = 951_782_400 + 8_000 / 400 * 146_097 * 86_400;
        assert_eq!(
            rfc3339(Duration::new(leap, 0)),
            "+010000-02-29T00:00:00.000000000Z"
        );
        assert_eq!(
            rfc3339(Duration::new(u64::MAX, 5)),
            "+584554051223-11-09T07:00:15.000000005Z"
        );
    }

    fn seen() -> Seen {
        Seen {
            conversation: Some(3),
            role: Role::Reply {
                to: 2,
                after: Some(Duration::from_micros(283)),
                retries: 0,
                first_try: None,
            },
            repeat_of: None,
        }
    }

    #[test]
    fn jsonl_is_the_design_contract() {
        let mut w = RecordWriter::new(false);
        let mut out = Vec::new();
        let file = file_field("lab \"1\".pcap", false);
        w.datagram(
            &mut out,
            1,
            Some(Duration::new(1_757_935_253, 709_480_000)),
            &lab(),
            false,
            seen(),
            None,
            std::slice::from_ref(&file),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"frame\":1,\"time\":\"2025-09-15T11:20:53.709480000Z\",\"src\":\"172.19.0.3\",\
             \"sport\":57314,\"dst\":\"172.19.0.2\",\"dport\":12345,\"length\":19,\
             \"payload\":\"48656c6c6f2c20554450207365727665723221\",\"reassembled\":false,\
             \"captured\":19,\"cut\":false,\"bad_length\":false,\"text\":\"Hello, UDP server2!\",\
             \"conv\":3,\"reply_to\":2,\"rtt_ns\":283000,\"repeat_of\":null,\"icmp\":null,\
             \"file\":\"lab \\\"1\\\".pcap\",\"reply_to_file\":\"lab \\\"1\\\".pcap\",\
             \"repeat_of_file\":null}\n"
        );
        let mut out = Vec::new();
        let mut binary = lab();
        binary.payload = b"a\\b\"\xe2\x80\xae\t\n";
        w.datagram(
            &mut out,
            7,
            None,
            &binary,
            true,
            seen(),
            Some("port unreachable"),
            std::slice::from_ref(&file),
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["time"], serde_json::Value::Null);
        assert_eq!(v["reassembled"], true);
        assert_eq!(v["icmp"], "port unreachable");
        // escaped as the table shows it, then quoted for JSON
        assert_eq!(v["text"], "a\\\\b\"\\u{202e}\\t\\n");
        let mut out = Vec::new();
        binary.payload = b"\x1b[2J";
        w.datagram(
            &mut out,
            8,
            None,
            &binary,
            false,
            seen(),
            None,
            std::slice::from_ref(&file),
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["text"], serde_json::Value::Null);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut sorted = FIELDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(keys, sorted, "serde_json sorts keys; every field is there");
    }

    #[test]
    fn a_reply_names_the_input_of_its_request() {
        use crate::analyze::frame_id;
        let files = [
            file_field("client.pcap", false),
            file_field("server.pcap", false),
        ];
        let mut w = RecordWriter::new(false);
        let mut out = Vec::new();
        // Frame 7 of the second input, the reply to frame 2 of the first, repeating frame 4 of
        // its own.
        let mut s = seen();
        s.role = Role::Reply {
            to: frame_id(1, 2),
            after: None,
            retries: 0,
            first_try: None,
        };
        s.repeat_of = Some(frame_id(2, 4));
        w.datagram(
            &mut out,
            frame_id(2, 7),
            None,
            &lab(),
            false,
            s,
            None,
            &files,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["file"], "server.pcap");
        assert_eq!(
            (&v["reply_to"], &v["reply_to_file"]),
            (&2.into(), &"client.pcap".into())
        );
        assert_eq!(
            (&v["repeat_of"], &v["repeat_of_file"]),
            (&4.into(), &"server.pcap".into())
        );
    }

    #[test]
    fn csv_rows() {
        let mut w = RecordWriter::new(true);
        let mut out = Vec::new();
        w.start(&mut out).unwrap();
        let file = file_field("a,b.pcap", true);
        w.datagram(
            &mut out,
            1,
            Some(Duration::new(0, 1)),
            &lab(),
            false,
            seen(),
            None,
            std::slice::from_ref(&file),
        )
        .unwrap();
        let mut quoted = lab();
        quoted.payload = b"say \"hi\", then\n";
        w.datagram(
            &mut out,
            2,
            None,
            &quoted,
            false,
            seen(),
            Some("host unreachable"),
            std::slice::from_ref(&file),
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(s.as_bytes());
        assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "1970-01-01T00:00:00.000000001Z");
        assert_eq!(&row[7], "48656c6c6f2c20554450207365727665723221");
        assert_eq!(row.len(), FIELDS.len());
        assert_eq!(&row[12], "Hello, UDP server2!");
        assert_eq!(
            (&row[13], &row[14], &row[15], &row[16]),
            ("3", "2", "283000", "")
        );
        assert_eq!((&row[17], &row[18]), ("", "a,b.pcap"));
        assert_eq!((&row[19], &row[20]), ("a,b.pcap", ""));
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[12], "say \"hi\", then\\n");
        assert_eq!(&row[17], "host unreachable");
    }
}
