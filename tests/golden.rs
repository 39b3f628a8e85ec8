//! Golden files: every capture under `fixtures/` is inspected by the real binary in each output
//! format, and stdout, stderr and the exit code are compared with `fixtures/expected/`.
//!
//! Regenerate after an intended change, then read the diff before committing:
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --test golden
//! git diff fixtures/expected
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

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
    ("udp.pcap", "follow", &["--conversation", "1"]),
    ("mixed.pcap", "follow", &["-c", "5"]),
    ("mixed.pcap", "absolute.table", &["--time", "absolute"]),
    ("mixed.pcap", "delta.table", &["--time", "delta"]),
    ("mixed.pcap", "summary.csv", &["--summary", "--format", "csv"]),
    ("mixed.pcap", "html", &["--summary", "--html"]),
    ("udp.pcap", "html", &["--summary", "--html"]),
];

fn captures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("fixtures/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    v.sort();
    v
}

fn run(capture: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_oneway"))
        .arg("inspect")
        .arg(capture)
        .args(args)
        .env("NO_COLOR", "1")
        .env("TZ", "Pacific/Chatham")
        .env("COLUMNS", "40")
        .output()
        .expect("oneway runs");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    let status = format!("exit {}\n{stderr}", out.status.code().unwrap_or(-1));
    (stdout, status)
}

/// Compares `got` with the golden file, or rewrites it under `UPDATE_GOLDEN=1`. Returns a
/// description of the difference.
fn check(path: &Path, got: &str) -> Option<String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, got).expect("golden file is writable");
        return None;
    }
    let want = std::fs::read_to_string(path).unwrap_or_default();
    if want == got {
        return None;
    }
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(w, g)| w != g)
        .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
    Some(format!(
        "{}: differs from line {}\n---- expected ----\n{want}---- got ----\n{got}----",
        path.display(),
        line + 1
    ))
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
        let mut status = None;
        for (suffix, args) in RUNS {
            let (stdout, st) = run(capture, args);
            failures.extend(check(&dir.join(format!("{name}.{suffix}")), &stdout));
            // The exit code and the diagnostics are the same in every format.
            match &status {
                None => status = Some(st),
                Some(first) if *first != st => failures.push(format!(
                    "{name}: --{suffix} ends differently:\n{st}\nthan the table:\n{first}"
                )),
                Some(_) => {}
            }
        }
        if let Some(st) = status {
            failures.extend(check(&dir.join(format!("{name}.status")), &st));
        }
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
    for entry in std::fs::read_dir("fixtures/expected").into_iter().flatten() {
        let file = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            names.iter().any(|n| file.starts_with(&format!("{n}."))),
            "fixtures/expected/{file} belongs to no capture"
        );
    }
}
