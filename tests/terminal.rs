//! The table on a terminal: `oneway inspect` under a pseudo-terminal of 80 and 120 columns
//! (`script` from bsdutils, the size set with `stty`) fits its width, keeps every address whole
//! and marks what it cut with `...`; `--wide` is the table of the golden files; `--width N` fits
//! a pipe to N. (That output to a pipe or a file is unchanged is the golden tests' part.)

mod util;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_oneway");
const LIMIT: Duration = Duration::from_secs(20);
const FIXTURES: &[&str] = &[
    "udp.pcap",
    "mixed.pcap",
    "ipv6.pcap",
    "control-bytes.pcap",
    "sll2.pcap",
    "icmp-errors.pcap",
    "fragments.pcap",
];

/// The output of `oneway ARGS` run on a pseudo-terminal `cols` wide (CR LF made LF), bounded
/// in time.
fn on_terminal(cols: usize, args: &[&str]) -> Option<String> {
    if !util::tool("script", "bsdutils") {
        return None;
    }
    let mut line = format!("stty rows 50 cols {cols}; exec {BIN}");
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("COLUMNS")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    let out = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut { out }, &mut v).map(|_| v)
    });
    let start = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("oneway {args:?} on a terminal did not end within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let bytes = reader.join().expect("reader").expect("read");
    Some(
        String::from_utf8(bytes)
            .expect("UTF-8")
            .replace("\r\n", "\n"),
    )
}

/// Display columns of `line`, color codes taking none (wide characters count two).
fn columns(line: &str) -> usize {
    let mut plain = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('\x1b') {
        plain.push_str(&rest[..at]);
        rest = rest[at..].find('m').map_or("", |m| &rest[at + m + 1..]);
    }
    plain.push_str(rest);
    plain
        .chars()
        .map(|c| match c as u32 {
            0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff => 2,
            0xfe30..=0xfe4f | 0xff00..=0xff60 | 0xffe0..=0xffe6 | 0x1f300..=0x1faff => 2,
            _ => 1,
        })
        .sum()
}

/// Every datagram's endpoints, as the table writes them (`ip:port`, `[ip]:port`).
fn endpoints(capture: &Path) -> Vec<String> {
    let out = util::inspect(capture, &["--format", "jsonl"]);
    let mut v = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let r: serde_json::Value = serde_json::from_str(line).expect("a jsonl record");
        for (a, p) in [("src", "sport"), ("dst", "dport")] {
            let ip = r[a].as_str().expect("an address");
            let port = &r[p];
            v.push(if ip.contains(':') {
                format!("[{ip}]:{port}")
            } else {
                format!("{ip}:{port}")
            });
        }
    }
    v
}

fn check_fits(cols: usize) {
    for name in FIXTURES {
        let capture = Path::new("fixtures").join(name);
        let Some(out) = on_terminal(cols, &["inspect", &capture.to_string_lossy()]) else {
            return;
        };
        for line in out.lines() {
            assert!(
                columns(line) <= cols,
                "{name} at {cols} columns: a line of {}:\n{line}\n\n{out}",
                columns(line)
            );
        }
        for e in endpoints(&capture) {
            assert!(
                out.contains(&format!(" {e} ")),
                "{name} at {cols}: {e} is not whole:\n{out}"
            );
        }
        let wide = util::inspect(&capture, &[]);
        let wider = String::from_utf8_lossy(&wide.stdout)
            .lines()
            .take_while(|l| !l.is_empty())
            .any(|l| columns(l) > cols);
        let table: String = out
            .lines()
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if wider {
            assert!(
                table.contains("...") || table.contains("--wide shows every column"),
                "{name} at {cols}: the table was cut, and nothing says so:\n{out}"
            );
        }
    }
}

#[test]
fn the_table_fits_80_columns() {
    check_fits(80);
}

#[test]
fn the_table_fits_120_columns() {
    check_fits(120);
}

#[test]
fn wide_on_a_terminal_is_the_golden_table() {
    for name in ["udp.pcap", "mixed.pcap", "control-bytes.pcap"] {
        let capture = format!("fixtures/{name}");
        let Some(out) = on_terminal(
            80,
            &[
                "inspect", "--wide", "--color", "never", "--time", "relative", &capture,
            ],
        ) else {
            return;
        };
        let golden = std::fs::read_to_string(format!("fixtures/expected/{name}.table"))
            .expect("golden table");
        assert_eq!(out, golden, "{name}");
    }
}

#[test]
fn width_fits_a_pipe_and_is_refused_with_wide() {
    let out = Command::new(BIN)
        .args(["inspect", "--width", "80", "fixtures/mixed.pcap"])
        .env("NO_COLOR", "1")
        .output()
        .expect("oneway runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.lines().all(|l| columns(l) <= 80), "{text}");
    let out = Command::new(BIN)
        .args(["inspect", "--width", "80", "--wide", "fixtures/mixed.pcap"])
        .output()
        .expect("oneway runs");
    assert_eq!(out.status.code(), Some(2));
}
