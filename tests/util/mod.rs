//! What the golden-file tests share: listing captures, running `oneway inspect` in a fixed
//! environment, and comparing with (or, under `UPDATE_GOLDEN=1`, rewriting) the expected files.

#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{Receiver, channel};

/// The `.pcap` and `.pcapng` files directly in `dir`, sorted.
pub fn captures(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}/ is not readable: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    v.sort();
    v
}

/// `oneway`, speaking English whatever the locale of the machine running the tests (LANG=C, and
/// no LC_ALL or LC_MESSAGES to override it): the tests compare English text.
pub fn oneway() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_oneway"));
    c.env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

/// Runs `oneway inspect CAPTURE ARGS` where nothing outside may change the output: no color,
/// an unusual time zone, a narrow terminal, English (`--lang` in `args` chooses another).
pub fn inspect(capture: &Path, args: &[&str]) -> Output {
    oneway()
        .arg("inspect")
        .arg(capture)
        .args(args)
        .env("NO_COLOR", "1")
        .env("TZ", "Pacific/Chatham")
        .env("COLUMNS", "40")
        .output()
        .expect("oneway runs")
}

/// `exit N` and stderr: how a run ended, as the `.status` golden files hold it.
pub fn status(out: &Output) -> String {
    format!(
        "exit {}\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Compares `got` with the golden file `path`, or rewrites it under `UPDATE_GOLDEN=1`.
/// Returns a description of the difference.
pub fn check(path: &Path, got: &str) -> Option<String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, got).expect("golden file is writable");
        return None;
    }
    let Ok(want) = std::fs::read_to_string(path) else {
        return Some(format!(
            "{}: the golden file is missing (UPDATE_GOLDEN=1 writes it; then read it)",
            path.display()
        ));
    };
    if want == got {
        return None;
    }
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(w, g)| w != g)
        .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
    Some(format!(
        "{}: differs from line {} (UPDATE_GOLDEN=1 to rewrite, then read the diff)\n\
         ---- expected ----\n{want}---- got ----\n{got}----",
        path.display(),
        line + 1
    ))
}

/// Asserts that every expected-output file in `dir` belongs to one of the captures `names`
/// (it is named `NAME.` followed by what it shows).
pub fn assert_no_orphans(dir: &str, names: &[String]) {
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let file = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            names.iter().any(|n| file.starts_with(&format!("{n}."))),
            "{dir}/{file} belongs to no capture"
        );
    }
}

/// How the views of one capture ended: all must end alike (same exit code and diagnostics),
/// and that ending is compared with the capture's `.status` golden file.
pub struct Endings {
    name: String,
    first: Option<String>,
}

impl Endings {
    /// For the capture called `name`.
    pub fn new(name: &str) -> Self {
        Endings {
            name: name.to_string(),
            first: None,
        }
    }

    /// Records how the `suffix` view ended.
    pub fn add(&mut self, suffix: &str, status: String, failures: &mut Vec<String>) {
        match &self.first {
            None => self.first = Some(status),
            Some(first) if *first != status => failures.push(format!(
                "{}: --{suffix} ends differently:\n{status}\nthan the table:\n{first}",
                self.name
            )),
            Some(_) => {}
        }
    }

    /// Compares the common ending with `dir/NAME.status`.
    pub fn check(self, dir: &Path, failures: &mut Vec<String>) {
        if let Some(status) = self.first {
            failures.extend(check(&dir.join(format!("{}.status", self.name)), &status));
        }
    }
}

/// A peer of a test (a tool, root) is missing: on a developer's machine the test says so on
/// stderr and goes on (the caller returns or skips that part); with `CI` set it fails, naming
/// what is missing.
pub fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing, and CI is set: this test needs it");
    }
    eprintln!("skipped: {what} is missing");
}

/// Whether `tool` is on the PATH; when it is not, [`missing`] says so (and fails under CI),
/// naming the Debian package that has it.
pub fn tool(tool: &str, package: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        missing(&format!("{tool} (apt-get install {package})"));
    }
    found
}

/// The lines of `r` (a child's stdout or stderr) as they come, lossily decoded, without their
/// line ends; read on a thread of their own until the end or until the receiver is gone.
pub fn lines(r: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(r);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf);
                    let line = line.strip_suffix('\n').unwrap_or(&line);
                    let line = line.strip_suffix('\r').unwrap_or(line).to_owned();
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            }
        }
    });
    rx
}

/// Peak and current resident memory of a running process, in KiB, from /proc (0 when gone).
pub fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}
