//! The lab for real: the end-to-end test that runs `scripts/lab.sh` (network namespaces, a
//! bridge, `oneway serve` and `oneway send`, `oneway inspect -i` capturing the bridge live with tcpdump
//! as its witness) with the freshly built binary and checks the live view and the
//! capture it made, and the golden files of the captures recorded by the lab under `fixtures/lab/`.
//!
//! The end-to-end test needs root, `ip netns` (namespaces that can be created) and tcpdump;
//! without them it says so on stderr and passes. Regenerate the golden files after an intended
//! change, then read the diff:
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --test lab
//! git diff fixtures/lab/expected
//! ```

mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use util::inspect;

/// The runs made for each capture of `fixtures/lab/`: (suffix of the golden file, arguments).
const RUNS: &[(&str, &[&str])] = &[
    ("table", &[]),
    ("jsonl", &["--format", "jsonl"]),
    ("summary.jsonl", &["--summary", "--format", "jsonl"]),
];

/// The lab's request and the lab's reply, byte for byte.
const REQUEST: &str = "Hello, UDP server2!";
const REPLY: &str = "Hello, ('172.19.0.3', 57314). You said: Hello, UDP server2!";

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn lab_captures() -> Vec<PathBuf> {
    util::captures("fixtures/lab")
}

#[test]
fn lab_captures_match_their_golden_files() {
    let dir = Path::new("fixtures/lab/expected");
    std::fs::create_dir_all(dir).expect("fixtures/lab/expected exists");
    let captures = lab_captures();
    assert!(
        captures.len() >= 12,
        "lab captures are missing: {captures:?}"
    );
    let mut failures = Vec::new();
    for capture in &captures {
        let name = capture.file_name().expect("a file name").to_string_lossy();
        for (suffix, args) in RUNS {
            let out = inspect(capture, args);
            let got = format!("{}{}", stdout(&out), util::status(&out));
            failures.extend(util::check(&dir.join(format!("{name}.{suffix}")), &got));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden file(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Why the lab cannot run here, if it cannot.
fn lab_unavailable() -> Option<String> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root (the lab creates network namespaces)".into());
    }
    let netns = Command::new("ip").args(["netns", "list"]).output();
    if !netns.is_ok_and(|o| o.status.success()) {
        return Some("no working `ip netns` (iproute2)".into());
    }
    let tcpdump = Command::new("tcpdump").arg("--version").output();
    if !tcpdump.is_ok_and(|o| o.status.success()) {
        return Some("no tcpdump".into());
    }
    let timeout = Command::new("timeout").arg("--version").output();
    if !timeout.is_ok_and(|o| o.status.success()) {
        return Some("no timeout (coreutils)".into());
    }
    None
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn jsonl(capture: &Path, args: &[&str]) -> Vec<Value> {
    let out = inspect(capture, args);
    assert!(out.status.success(), "inspect {args:?} failed: {out:?}");
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect()
}

/// The lines of the table output that tell the story of the exchange, with the times taken out.
fn story(table: &str) -> Vec<String> {
    table
        .lines()
        .filter(|l| {
            l.starts_with("UDP: ")
                || l.starts_with("Conversation ")
                || l.starts_with("  frame ")
                || l.starts_with("UDP is connectionless")
        })
        .map(|l| match l.find(" ms later") {
            // "... replied to frame 1 (from ...) 0.283 ms later." → without the 0.283
            Some(end) => {
                let start = l[..end].rfind(' ').unwrap_or(end);
                format!("{}{}", &l[..start], &l[end..])
            }
            None => l.to_string(),
        })
        .collect()
}

#[test]
fn the_lab_for_real_captures_the_lab_exchange() {
    if let Some(why) = lab_unavailable() {
        util::missing(&format!("what the lab for real needs: {why}"));
        return;
    }
    let dir = std::env::temp_dir().join(format!("oneway-lab-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let capture = dir.join("udp.pcap");
    // Bounded: `timeout` sends SIGTERM after 120 s, lab.sh's trap then removes what it made.
    let out = Command::new("timeout")
        .args(["-k", "10", "120", "bash", "scripts/lab.sh", "--bin"])
        .arg(env!("CARGO_BIN_EXE_oneway"))
        .arg("--pcap")
        .arg(&capture)
        .output()
        .expect("scripts/lab.sh runs");
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.code() == Some(77) {
        util::missing(&format!("what the lab for real needs: {}", log.trim()));
        return;
    }
    assert!(
        out.status.success(),
        "scripts/lab.sh failed: {out:?}\n{log}"
    );
    // oneway captured the bridge itself: its live view showed the request, then the reply,
    // before the capture was stopped; tcpdump, the witness, captured the same frames.
    let at = |needle: &str| {
        log.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in lab.sh's log:\n{log}"))
    };
    let request = at(r#"lab: live: {"frame":1,"#);
    let reply = at(r#"lab: live: {"frame":2,"#);
    let stopped = at(" packets captured");
    assert!(request < reply && reply < stopped, "{log}");
    assert!(
        log[request..reply].contains(r#""sport":57314,"dst":"172.19.0.2""#),
        "{log}"
    );
    assert!(
        log[reply..stopped].contains(r#""sport":12345,"dst":"172.19.0.3""#),
        "{log}"
    );
    at("lab: witness: tcpdump captured the same 2 frames, byte for byte");
    let printed = stdout(&out);
    assert!(
        printed.contains("172.19.0.3:57314 <-> 172.19.0.2:12345"),
        "lab.sh did not print the inspect of its capture:\n{printed}"
    );

    // The capture holds exactly the request and the reply, byte for byte.
    let rows = jsonl(&capture, &["--format", "jsonl"]);
    assert_eq!(rows.len(), 2, "not exactly 2 datagrams: {rows:?}");
    let expect = [
        (1, "172.19.0.3", 57314, "172.19.0.2", 12345, REQUEST),
        (2, "172.19.0.2", 12345, "172.19.0.3", 57314, REPLY),
    ];
    for (row, (frame, src, sport, dst, dport, payload)) in rows.iter().zip(expect) {
        assert_eq!(row["frame"], frame, "{row}");
        assert_eq!(row["src"], src, "{row}");
        assert_eq!(row["sport"], sport, "{row}");
        assert_eq!(row["dst"], dst, "{row}");
        assert_eq!(row["dport"], dport, "{row}");
        assert_eq!(row["length"], payload.len(), "{row}");
        assert_eq!(row["payload"], hex(payload.as_bytes()), "{row}");
        assert_eq!(row["reassembled"], false, "{row}");
    }

    // And inspect tells the same story as for the lab's own capture, times aside: the same
    // conversation summary, and the same sentences (first packet carries data, reply to frame 1).
    let lab_capture = Path::new("fixtures/udp.pcap");
    let summary = |capture: &Path| -> Vec<Value> {
        let mut v = jsonl(capture, &["--summary", "--format", "jsonl"]);
        for conv in &mut v {
            if let Some(o) = conv.as_object_mut() {
                // (and the input each names: two different files)
                for key in ["start", "duration_ns", "first_reply_after_ns"] {
                    o.remove(key);
                }
                o.retain(|key, _| key != "file" && !key.ends_with("_file"));
            }
        }
        v
    };
    assert_eq!(
        summary(&capture),
        summary(lab_capture),
        "the summaries differ"
    );
    let table = stdout(&inspect(&capture, &[]));
    let _ = std::fs::remove_dir_all(&dir);
    let want = story(&stdout(&inspect(lab_capture, &[])));
    assert!(want.iter().any(|l| l.contains("no handshake")), "{want:?}");
    assert_eq!(
        story(&table),
        want,
        "the story differs from fixtures/udp.pcap's:\n{table}"
    );
}
