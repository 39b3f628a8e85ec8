//! The oracle shared by `tests/tshark.rs` and `tests/difffuzz.rs`: what tshark and what oneway
//! list in a capture, datagram by datagram, read one way (one piece of code, not a copy).
//!
//! Only the outermost UDP layer of a frame counts, as in oneway: tshark prints repeated fields
//! (a VXLAN frame's inner UDP, a tunnel's inner IP) comma-separated, and the oracle takes the
//! values of the first UDP layer and of the IP layer right before it, found from
//! `frame.protocols`. Frames whose first UDP layer follows an ICMP/ICMPv6 layer are the UDP header
//! quoted in an ICMP error, not a datagram: they are left out. tshark reassembles IP fragments by
//! default and reports the datagram at the frame that completed it, as oneway does.
#![allow(dead_code)] // each test binary uses part of it

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One UDP datagram as either tool reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    /// Capture time in ns since the epoch (`None`: the record has no time).
    pub time: Option<i128>,
    pub src: String,
    pub dst: String,
    pub sport: u16,
    pub dport: u16,
    /// UDP payload length per the header (length field − 8).
    pub length: u32,
    /// Hex of the captured payload bytes.
    pub payload: String,
}

pub const FIELDS: &[&str] = &[
    "frame.number",
    "frame.time_epoch",
    "frame.protocols",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "udp.payload",
];

pub fn tshark_present() -> bool {
    Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Epoch seconds with a decimal fraction, as tshark prints them, to ns.
pub fn epoch_ns(s: &str) -> Option<i128> {
    if s.is_empty() {
        return None;
    }
    let (secs, frac) = s.split_once('.').unwrap_or((s, ""));
    let secs: i128 = secs.parse().ok()?;
    let mut digits: String = frac.chars().take(9).collect();
    while digits.len() < 9 {
        digits.push('0');
    }
    let frac: i128 = digits.parse().ok()?;
    Some(secs * 1_000_000_000 + frac)
}

/// The `n`th comma-separated value of a tshark field (empty when absent).
pub fn nth(field: &str, n: usize) -> String {
    field.split(',').nth(n).unwrap_or("").to_string()
}

/// `tshark -n -r FILE -T fields -Y FILTER -e FIELD…`: one row a frame, each the fields' values
/// in the order asked (repeated fields comma-separated, as tshark prints them). A line that does
/// not hold one value a field is an error.
pub fn fields(file: &Path, filter: &str, fields: &[&str]) -> Result<Vec<Vec<String>>, String> {
    let mut cmd = Command::new("tshark");
    cmd.args(["-n", "-r"])
        .arg(file)
        .args(["-T", "fields", "-E", "separator=/t", "-Y", filter]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().map_err(|e| format!("tshark: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let col: Vec<String> = line.split('\t').map(str::to_string).collect();
            if col.len() == fields.len() {
                Ok(col)
            } else {
                Err(format!("tshark printed an unexpected line: {line:?}"))
            }
        })
        .collect()
}

/// What tshark lists, by frame number.
pub fn tshark(file: &Path) -> Result<BTreeMap<u64, Datagram>, String> {
    let mut map = BTreeMap::new();
    for row in fields(file, "udp", FIELDS)? {
        let col: Vec<&str> = row.iter().map(String::as_str).collect();
        let number: u64 = col[0]
            .parse()
            .map_err(|_| format!("tshark frame number {:?}", col[0]))?;
        // The protocol stack up to the first UDP layer: which IP layer encloses it, and is it
        // inside an ICMP error?
        let stack: Vec<&str> = col[2].split(':').collect();
        let Some(udp_at) = stack.iter().position(|p| *p == "udp") else {
            continue;
        };
        let before = &stack[..udp_at];
        if before.iter().any(|p| *p == "icmp" || *p == "icmpv6") {
            continue;
        }
        let v4 = before.iter().filter(|p| **p == "ip").count();
        let v6 = before.iter().filter(|p| **p == "ipv6").count();
        let last_ip = before.iter().rev().find(|p| **p == "ip" || **p == "ipv6");
        let (src, dst) = match last_ip {
            Some(&"ip") => (nth(col[3], v4 - 1), nth(col[4], v4 - 1)),
            Some(_) => (nth(col[5], v6 - 1), nth(col[6], v6 - 1)),
            None => (String::new(), String::new()),
        };
        let length_field: u32 = nth(col[9], 0).parse().unwrap_or(0);
        // When the UDP length field is shorter than what IP carries, tshark's tree says "UDP
        // payload (N bytes)" with N from the length field, but `-T fields` prints every byte IP
        // carries: keep the N bytes.
        let mut payload = nth(col[10], 0);
        if length_field >= 8 {
            payload.truncate(payload.len().min(2 * (length_field as usize - 8)));
        }
        map.insert(
            number,
            Datagram {
                time: epoch_ns(col[1]),
                src,
                dst,
                sport: nth(col[7], 0).parse().unwrap_or(0),
                dport: nth(col[8], 0).parse().unwrap_or(0),
                length: length_field.saturating_sub(8),
                payload,
            },
        );
    }
    Ok(map)
}

/// Nanoseconds since the epoch of a time as oneway writes it: RFC 3339, or past year 9999 ISO
/// 8601's expanded form (`+011476-08-15T05:20:00.000000000Z`), read here by moving it back whole
/// 400-year cycles (146,097 days each) into jiff's range.
pub fn time_ns(t: &str) -> Option<i128> {
    if let Some(rest) = t.strip_prefix('+') {
        let (year, tail) = rest.split_once('-')?;
        let year: i64 = year.parse().ok()?;
        let cycles = (year - 2000).max(0) / 400 + 1;
        let moved = format!("{:04}-{tail}", year - 400 * cycles);
        let base = moved.parse::<jiff::Timestamp>().ok()?.as_nanosecond();
        return Some(base + i128::from(cycles) * 146_097 * 86_400 * 1_000_000_000);
    }
    t.parse::<jiff::Timestamp>().ok().map(|t| t.as_nanosecond())
}

/// The oneway binary: this build's, or `ONEWAY_BIN` (a long run keeps a copy of the binary it
/// started with while the tree is rebuilt).
pub fn oneway_binary() -> std::path::PathBuf {
    std::env::var_os("ONEWAY_BIN").map_or_else(|| env!("CARGO_BIN_EXE_oneway").into(), Into::into)
}

/// What oneway lists, by frame number.
pub fn oneway(file: &Path) -> Result<BTreeMap<u64, Datagram>, String> {
    let out = Command::new(oneway_binary())
        .arg("inspect")
        .arg(file)
        .args(["--format", "jsonl"])
        .output()
        .map_err(|e| format!("oneway: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("oneway printed {line:?}: {e}"))?;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let n = |k: &str| v[k].as_u64().unwrap_or(u64::MAX);
        let time = match v["time"].as_str() {
            Some(t) if !t.is_empty() => {
                Some(time_ns(t).ok_or_else(|| format!("oneway printed the time {t:?}"))?)
            }
            _ => None,
        };
        map.insert(
            n("frame"),
            Datagram {
                time,
                src: s("src"),
                dst: s("dst"),
                sport: u16::try_from(n("sport")).unwrap_or(0),
                dport: u16::try_from(n("dport")).unwrap_or(0),
                length: u32::try_from(n("length")).unwrap_or(u32::MAX),
                payload: s("payload"),
            },
        );
    }
    Ok(map)
}

pub fn short(d: &Datagram) -> String {
    let p = if d.payload.len() > 48 {
        format!("{}…({} hex digits)", &d.payload[..48], d.payload.len())
    } else {
        d.payload.clone()
    };
    format!(
        "time {:?} {}:{} → {}:{} length {} payload {p}",
        d.time, d.src, d.sport, d.dst, d.dport, d.length
    )
}
