//! Fuzz target over the whole `inspect` path: capture reader → dissection → reassembly →
//! analysis → every output format (table, jsonl, csv, summary text and summary jsonl, the follow
//! view of conversation 1, delta times with a port filter).
//!
//! Besides "no panic", it checks the terminal-safety promise on every output: stdout and stderr
//! are UTF-8 and carry no control character but `\n` (no ESC, CR, BEL, backspace, no Unicode bidi
//! override), whatever bytes the capture holds.
//!
//! The library reads captures from a path, so each input is written to one scratch file per
//! process (in /dev/shm when there is one) and `oneway::run` is called in-process on it.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use oneway::cli::Cli;

const RUNS: &[&[&str]] = &[
    &[],
    &["--format", "jsonl"],
    &["--format", "csv"],
    &["--summary"],
    &["--summary", "--format", "jsonl"],
    &["--follow", "1"],
    &["--time", "delta", "--port", "12345"],
];

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("oneway-fuzz-{}.cap", std::process::id()))
    })
}

/// Panics if `text` holds something that must never reach a terminal raw.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what} is not UTF-8: {e}"));
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what} holds raw {:?}:\n{text}", c);
    }
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    std::fs::write(path, data).expect("scratch file is writable");
    for extra in RUNS {
        let mut args = vec!["oneway", "inspect", path.to_str().expect("UTF-8 path")];
        args.extend_from_slice(extra);
        let cli = Cli::try_parse_from(args).expect("arguments parse");
        let mut out = Vec::new();
        let mut err = Vec::new();
        let result = oneway::run(cli, &mut out, &mut err);
        // What main prints on failure must be as safe as the output.
        if let Err(e) = &result {
            err.extend_from_slice(format!("oneway: {e:#}\n").as_bytes());
        }
        assert_terminal_safe("stdout", &out);
        assert_terminal_safe("stderr", &err);
    }
});
