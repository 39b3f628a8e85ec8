//! One record per UDP datagram, for machines: jsonl and csv, with the fields and their order as
//! README.md documents them.
//!
//! Every value here is made of digits, hex, IP addresses and RFC 3339 times, so no payload byte
//! ever reaches the output except as hex.

use std::io::{self, Write};
use std::net::IpAddr;
use std::time::Duration;

use crate::dissect::Udp;
use crate::escape::hex_into_bytes;

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

/// The CSV header row, the same fields as jsonl.
pub const CSV_HEADER: [&str; 9] = [
    "frame",
    "time",
    "src",
    "sport",
    "dst",
    "dport",
    "length",
    "payload",
    "reassembled",
];

/// Writes datagrams as jsonl or csv, one `write_all` per record from a reused buffer.
///
/// Written by hand rather than through serde: every value is a number, hex, an IP address or an
/// RFC 3339 time, so nothing needs escaping, and this is the hot path of big captures (the tests
/// parse the output with serde_json and csv).
pub struct RecordWriter {
    csv: bool,
    line: Vec<u8>,
    /// The last whole second formatted, and its `YYYY-MM-DDTHH:MM:SS` text.
    second: Option<(u64, String)>,
}

impl RecordWriter {
    /// A jsonl writer (`csv == false`) or a csv writer.
    pub fn new(csv: bool) -> Self {
        RecordWriter {
            csv,
            line: Vec::with_capacity(4096),
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

    /// Writes one datagram.
    pub fn datagram(
        &mut self,
        out: &mut dyn Write,
        frame: u64,
        time: Option<Duration>,
        udp: &Udp<'_>,
        reassembled: bool,
    ) -> io::Result<()> {
        self.line.clear();
        self.push_record(frame, time, udp, reassembled);
        out.write_all(&self.line)
    }

    /// Appends one datagram's record (with its newline) to `line`.
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
        let key = |line: &mut Vec<u8>, name: &str, first: bool| {
            if csv {
                if !first {
                    line.push(b',');
                }
            } else {
                line.extend_from_slice(if first { b"{\"" } else { b",\"" });
                line.extend_from_slice(name.as_bytes());
                line.extend_from_slice(b"\":");
            }
        };
        let quote = |line: &mut Vec<u8>| {
            if !csv {
                line.push(b'"');
            }
        };
        key(&mut self.line, "frame", true);
        self.push_num(frame);
        key(&mut self.line, "time", false);
        match time {
            Some(t) => {
                quote(&mut self.line);
                self.push_time(t);
                quote(&mut self.line);
            }
            None if !csv => self.line.extend_from_slice(b"null"),
            None => {}
        }
        key(&mut self.line, "src", false);
        quote(&mut self.line);
        self.push_addr(udp.src);
        quote(&mut self.line);
        key(&mut self.line, "sport", false);
        self.push_num(udp.sport);
        key(&mut self.line, "dst", false);
        quote(&mut self.line);
        self.push_addr(udp.dst);
        quote(&mut self.line);
        key(&mut self.line, "dport", false);
        self.push_num(udp.dport);
        key(&mut self.line, "length", false);
        self.push_num(udp.length());
        key(&mut self.line, "payload", false);
        quote(&mut self.line);
        hex_into_bytes(udp.payload, &mut self.line);
        quote(&mut self.line);
        if csv {
            self.line
                .extend_from_slice(if reassembled { b",true\n" } else { b",false\n" });
        } else if reassembled {
            self.line.extend_from_slice(b",\"reassembled\":true}\n");
        } else {
            self.line.extend_from_slice(b"}\n");
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

    #[test]
    fn jsonl_is_the_design_contract() {
        let mut w = RecordWriter::new(false);
        let mut out = Vec::new();
        w.datagram(
            &mut out,
            1,
            Some(Duration::new(1_757_935_253, 709_480_000)),
            &lab(),
            false,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"frame\":1,\"time\":\"2025-09-15T11:20:53.709480000Z\",\"src\":\"172.19.0.3\",\
             \"sport\":57314,\"dst\":\"172.19.0.2\",\"dport\":12345,\"length\":19,\
             \"payload\":\"48656c6c6f2c20554450207365727665723221\"}\n"
        );
        let mut out = Vec::new();
        w.datagram(&mut out, 7, None, &lab(), true).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\"time\":null"), "{s}");
        assert!(s.ends_with("\"reassembled\":true}\n"), "{s}");
    }

    #[test]
    fn csv_rows() {
        let mut w = RecordWriter::new(true);
        let mut out = Vec::new();
        w.start(&mut out).unwrap();
        w.datagram(&mut out, 1, Some(Duration::new(0, 1)), &lab(), false)
            .unwrap();
        let s = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(s.as_bytes());
        assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "1970-01-01T00:00:00.000000001Z");
        assert_eq!(&row[7], "48656c6c6f2c20554450207365727665723221");
    }
}
