//! One record per UDP datagram, for machines: jsonl and csv, with the fields DESIGN.md fixes.
//!
//! Every value here is made of digits, hex, IP addresses and RFC 3339 times, so no payload byte
//! ever reaches the output except as hex.

use std::io::{self, Write};
use std::net::IpAddr;
use std::time::Duration;

use serde::Serialize;

use crate::dissect::Udp;
use crate::render::escape::hex_into;

/// A capture time as RFC 3339 in UTC with exactly nine fractional digits
/// (`2025-09-15T11:20:53.709480000Z`); times past year 9999 as `@SECONDS.NANOS`.
pub fn rfc3339(t: Duration) -> String {
    let secs = i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
    let nanos = t.subsec_nanos() as i32;
    match jiff::Timestamp::new(secs, nanos) {
        Ok(ts) => format!("{ts:.9}"),
        Err(_) => format!("@{}.{:09}", t.as_secs(), t.subsec_nanos()),
    }
}

#[derive(Serialize)]
struct Json<'a> {
    frame: u64,
    time: Option<&'a str>,
    src: IpAddr,
    sport: u16,
    dst: IpAddr,
    dport: u16,
    length: u16,
    payload: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reassembled: bool,
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

/// Writes datagrams as jsonl or csv, reusing its buffers.
pub struct RecordWriter {
    csv: bool,
    time: String,
    hex: String,
}

impl RecordWriter {
    /// A jsonl writer (`csv == false`) or a csv writer.
    pub fn new(csv: bool) -> Self {
        RecordWriter {
            csv,
            time: String::new(),
            hex: String::new(),
        }
    }

    /// Writes the header row (csv only).
    pub fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.csv {
            writeln!(out, "{}", CSV_HEADER.join(","))?;
        }
        Ok(())
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
        self.time.clear();
        if let Some(t) = time {
            self.time.push_str(&rfc3339(t));
        }
        self.hex.clear();
        hex_into(udp.payload, &mut self.hex);
        if self.csv {
            // No field can hold a comma, a quote or a line break: RFC 4180 needs no quoting here.
            writeln!(
                out,
                "{frame},{},{},{},{},{},{},{},{}",
                self.time,
                udp.src,
                udp.sport,
                udp.dst,
                udp.dport,
                udp.length(),
                self.hex,
                if reassembled { "true" } else { "false" }
            )
        } else {
            let record = Json {
                frame,
                time: time.map(|_| self.time.as_str()),
                src: udp.src,
                sport: udp.sport,
                dst: udp.dst,
                dport: udp.dport,
                length: udp.length(),
                payload: &self.hex,
                reassembled,
            };
            serde_json::to_writer(&mut *out, &record).map_err(io::Error::from)?;
            out.write_all(b"\n")
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
        assert_eq!(
            rfc3339(Duration::new(u64::MAX, 5)),
            format!("@{}.000000005", u64::MAX)
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
