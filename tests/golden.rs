//! Golden files: every capture under `fixtures/` is inspected by the real binary in each output
//! format, and stdout, stderr and the exit code are compared with `fixtures/expected/`.
//!
//! Regenerate after an intended change, then read the diff before committing:
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --test golden
//! git diff fixtures/expected
//! ```

mod util;

use std::path::{Path, PathBuf};

use util::check;

/// The runs made for each capture: (suffix of the golden file, extra arguments).
const RUNS: &[(&str, &[&str])] = &[
    ("table", &[]),
    ("jsonl", &["--format", "jsonl"]),
    ("csv", &["--format", "csv"]),
    ("summary.jsonl", &["--summary", "--format", "jsonl"]),
];

/// Views that only some captures need: (capture, suffix of the golden file, extra arguments).
/// An `--html` run compares the page it writes instead of stdout.
const EXTRA: &[(&str, &str, &[&str])] = &[
    ("udp.pcap", "follow", &["--follow", "1"]),
    ("mixed.pcap", "follow", &["--follow", "5"]),
    ("mixed.pcap", "absolute.table", &["--time", "absolute"]),
    ("mixed.pcap", "delta.table", &["--time", "delta"]),
    (
        "mixed.pcap",
        "summary.csv",
        &["--summary", "--format", "csv"],
    ),
    ("mixed.pcap", "html", &["--summary", "--html"]),
    ("udp.pcap", "html", &["--summary", "--html"]),
    // The lab's own language (issue 17): the same views in Indonesian.
    ("udp.pcap", "id.table", &["--lang", "id"]),
    ("udp.pcap", "id.summary", &["--lang", "id", "--summary"]),
    ("udp.pcap", "id.follow", &["--lang", "id", "--follow", "1"]),
    (
        "udp.pcap",
        "id.html",
        &["--lang", "id", "--summary", "--html"],
    ),
    ("mixed.pcap", "id.table", &["--lang", "id"]),
    ("mixed.pcap", "id.summary", &["--lang", "id", "--summary"]),
    (
        "mixed.pcap",
        "id.follow",
        &["--lang", "id", "--follow", "5"],
    ),
    (
        "mixed.pcap",
        "id.html",
        &["--lang", "id", "--summary", "--html"],
    ),
];

fn captures() -> Vec<PathBuf> {
    util::captures("fixtures")
}

fn run(capture: &Path, args: &[&str]) -> (String, String) {
    let out = util::inspect(capture, args);
    let stdout = String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8");
    (stdout, util::status(&out))
}

#[test]
fn every_fixture_matches_its_golden_files() {
    let dir = Path::new("fixtures/expected");
    std::fs::create_dir_all(dir).expect("fixtures/expected exists");
    let captures = captures();
    assert!(captures.len() >= 15, "fixtures are missing: {captures:?}");
    let mut failures = Vec::new();
    for capture in &captures {
        let name = capture.file_name().and_then(|n| n.to_str()).expect("name");
        let mut endings = util::Endings::new(name);
        for (suffix, args) in RUNS {
            let (stdout, st) = run(capture, args);
            failures.extend(check(&dir.join(format!("{name}.{suffix}")), &stdout));
            // The exit code and the diagnostics are the same in every format.
            endings.add(suffix, st, &mut failures);
        }
        endings.check(dir, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn extra_views_match_their_golden_files() {
    let dir = Path::new("fixtures/expected");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut failures = Vec::new();
    for (name, suffix, args) in EXTRA {
        let capture = Path::new("fixtures").join(name);
        let got = if args.last() == Some(&"--html") {
            let page = tmp.join(format!("golden-{name}.{suffix}"));
            let mut args = args.to_vec();
            let page_arg = page.to_str().expect("path").to_string();
            args.push(&page_arg);
            let (_, status) = run(&capture, &args);
            assert_eq!(status, "exit 0\n", "{name} {suffix}");
            std::fs::read_to_string(&page).expect("page written")
        } else {
            run(&capture, args).0
        };
        failures.extend(check(&dir.join(format!("{name}.{suffix}")), &got));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_golden_file_is_orphaned() {
    let names: Vec<String> = captures()
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(String::from))
        .collect();
    util::assert_no_orphans("fixtures/expected", &names);
}
