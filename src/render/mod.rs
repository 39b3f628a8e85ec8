//! Writers for what users see: the datagram table, jsonl and csv records, Parquet, the summary,
//! and the escaping of untrusted bytes.

pub mod follow;
pub mod html;
pub mod parquet;
pub mod records;
pub mod summary;
pub mod table;

/// Colors for people, decided once (`--color`, `NO_COLOR`, `TERM=dumb`, not a terminal).
///
/// Only text oneway wrote itself is colored, never bytes from a capture, and never inside a
/// table (its column widths count characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paint {
    /// Whether to color at all.
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Bold.
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    /// Green: replies, what went well.
    pub fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }

    /// Yellow: one-way, unanswered.
    pub fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }

    /// Red: errors.
    pub fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }

    /// Blue: the first side of a conversation.
    pub fn blue(self, s: &str) -> String {
        self.wrap("34", s)
    }
}

/// A writer that folds the lines written through it to `width` display columns, at spaces, each
/// continuation indented two more than its line: the summary's prose on a terminal. Table lines
/// (`+…`, `|…`, already laid out to fit) and lines that fit pass unchanged; a word longer than
/// the width (an IPv6 address) is never cut. Color codes (`ESC [ … m`) take no width.
pub struct Fold<'a> {
    out: &'a mut dyn std::io::Write,
    width: usize,
    line: Vec<u8>,
}

impl<'a> Fold<'a> {
    /// Folds what is written to `out` at `width` columns.
    pub fn new(out: &'a mut dyn std::io::Write, width: usize) -> Self {
        Fold {
            out,
            width,
            line: Vec::new(),
        }
    }

    fn emit(&mut self) -> std::io::Result<()> {
        let line = String::from_utf8_lossy(&self.line).into_owned();
        self.line.clear();
        if line.starts_with(['+', '|']) || shown_width(&line) <= self.width {
            return writeln!(self.out, "{line}");
        }
        let lead = line.len() - line.trim_start_matches(' ').len();
        let indent = lead + 2;
        let mut row = String::from(&line[..lead]);
        let mut row_width = lead;
        let mut fresh = true;
        for word in line[lead..].split(' ') {
            let w = shown_width(word);
            if !fresh && row_width + 1 + w > self.width {
                writeln!(self.out, "{row}")?;
                row = " ".repeat(indent);
                row_width = indent;
                fresh = true;
            }
            if !fresh {
                row.push(' ');
                row_width += 1;
            }
            row.push_str(word);
            row_width += w;
            fresh = false;
        }
        writeln!(self.out, "{row}")
    }
}

/// Display width of `s`, color codes (`ESC [ … m`) taking none.
fn shown_width(s: &str) -> usize {
    let mut w = 0;
    let mut rest = s;
    while let Some(at) = rest.find('\x1b') {
        w += table::width(&rest[..at]);
        rest = &rest[at..];
        rest = match rest.find('m') {
            Some(end) => &rest[end + 1..],
            None => "",
        };
    }
    w + table::width(rest)
}

impl std::io::Write for Fold<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            self.line.extend_from_slice(&rest[..nl]);
            self.emit()?;
            rest = &rest[nl + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.out.write_all(&line)?;
        }
        self.out.flush()
    }
}

/// Appends an IP address as text: IPv4 dotted quads written directly (the hot path of big
/// captures, several times faster than `Display`), IPv6 in RFC 5952 form as std writes it.
pub fn push_ip(out: &mut String, addr: std::net::IpAddr) {
    match addr {
        std::net::IpAddr::V4(v4) => {
            let mut quad = [0u8; 15];
            let n = dotted_quad(v4.octets(), &mut quad);
            out.push_str(std::str::from_utf8(&quad[..n]).unwrap_or_default());
        }
        std::net::IpAddr::V6(v6) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{v6}");
        }
    }
}

/// Like [`push_ip`], into bytes (the jsonl and csv records).
pub fn push_ip_bytes(out: &mut Vec<u8>, addr: std::net::IpAddr) {
    match addr {
        std::net::IpAddr::V4(v4) => {
            let mut quad = [0u8; 15];
            let n = dotted_quad(v4.octets(), &mut quad);
            out.extend_from_slice(&quad[..n]);
        }
        std::net::IpAddr::V6(v6) => {
            use std::io::Write as _;
            let _ = write!(out, "{v6}");
        }
    }
}

/// Writes `a.b.c.d` into `quad`; returns its length.
fn dotted_quad(octets: [u8; 4], quad: &mut [u8; 15]) -> usize {
    let mut n = 0;
    for (i, octet) in octets.into_iter().enumerate() {
        if i > 0 {
            quad[n] = b'.';
            n += 1;
        }
        let (digits, len) = DECIMAL[usize::from(octet)];
        quad[n..n + 3].copy_from_slice(&digits);
        n += usize::from(len);
    }
    n
}

/// Every byte value in decimal: its digits (left-aligned) and how many.
const DECIMAL: [([u8; 3], u8); 256] = {
    let mut t = [([0u8; 3], 0u8); 256];
    let mut i = 0;
    while i < 256 {
        let d = [
            b'0' + (i / 100) as u8,
            b'0' + (i / 10 % 10) as u8,
            b'0' + (i % 10) as u8,
        ];
        t[i] = if i >= 100 {
            (d, 3)
        } else if i >= 10 {
            ([d[1], d[2], 0], 2)
        } else {
            ([d[2], 0, 0], 1)
        };
        i += 1;
    }
    t
};

/// Appends `addr:port`, with IPv6 addresses in brackets (`[::1]:53`).
pub fn push_endpoint(out: &mut String, addr: std::net::IpAddr, port: u16) {
    let v6 = addr.is_ipv6();
    if v6 {
        out.push('[');
    }
    push_ip(out, addr);
    out.push_str(if v6 { "]:" } else { ":" });
    out.push_str(itoa::Buffer::new().format(port));
}

#[cfg(test)]
mod tests {
    use super::{Paint, push_endpoint};

    #[test]
    fn endpoints_as_std_writes_them() {
        for (addr, port) in [
            ("172.19.0.3", 57314),
            ("0.0.0.0", 0),
            ("::1", 53),
            ("2001:db8::ffff:1", 9),
            ("255.10.100.7", 65535),
            ("1.99.200.255", 1),
        ] {
            let ip: std::net::IpAddr = addr.parse().unwrap();
            let mut s = String::new();
            push_endpoint(&mut s, ip, port);
            assert_eq!(s, std::net::SocketAddr::new(ip, port).to_string());
        }
    }

    #[test]
    fn paint_only_when_on() {
        assert_eq!(Paint { on: false }.red("x"), "x");
        assert_eq!(Paint { on: true }.red("x"), "\x1b[31mx\x1b[0m");
    }
}
