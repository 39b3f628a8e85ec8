//! Real engines read what `--format parquet` writes: DuckDB (its python package, `pip install
//! duckdb`, which `.ci/run` installs) queries the files, and what it finds is checked against
//! oneway's own text outputs, on every fixture and on a generated capture of several row groups:
//!
//! - every datagram row holds what its jsonl record holds, every field (the payload as hex, the
//!   time as nanoseconds), and its columns are jsonl's keys in jsonl's order;
//! - per conversation, the packets and bytes DuckDB sums from the rows are the summary's
//!   (`--summary -f jsonl`), and so are its first frame and its first sender;
//! - `--summary -f parquet` holds the summary's jsonl records, field by field.
//!
//! Apache Spark does the same sums in `scripts/spark-example.sh` (pyspark in local mode), run here
//! on every fixture.
//!
//! Without python's duckdb (or pyspark and java) a test skips with a message on a developer's
//! machine, and fails under CI.

#[path = "../examples/gen_capture.rs"]
#[allow(dead_code)]
mod gen_capture;
mod util;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The version `.ci/run` installs.
const DUCKDB: &str = "duckdb==2.0.1";

fn duckdb_or_skip() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3's duckdb is missing; CI must install it (python3 -m pip install {DUCKDB})"
        );
        eprintln!("skipped: python3 has no duckdb (python3 -m pip install {DUCKDB})");
    }
    found
}

/// What DuckDB says: the datagram rows as jsonl records hold them, the conversations it sums
/// from them, and the rows of the summary file. Each a list of JSON objects.
const QUERY: &str = r#"
import duckdb, json, sys
con = duckdb.connect()
con.execute("set enable_progress_bar = false")
def dump(sql, *params):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]
for rows, summary in zip(sys.argv[1::2], sys.argv[2::2]):
  print(json.dumps({"file": rows, "rows": dump("""
    select * replace (epoch_ns(time) as time, lower(hex(payload)) as payload)
    from read_parquet(?)""", rows),
  "columns": [d[0] for d in con.execute("select * from read_parquet(?) limit 0", [rows]).description],
  "conversations": dump("""
    select conv as conversation, count(*) as packets,
           sum(case when bad_length then captured else length end) as bytes,
           min(frame) as first_frame, arg_min(src, frame) as a, arg_min(sport, frame) as aport
    from read_parquet(?) where conv is not null group by conv order by conv""", rows),
  "summary": dump("""
    select * exclude (start), epoch_ns(start) as start
    from read_parquet(?) order by conversation""", summary)}))
"#;

fn oneway(capture: &Path, args: &[&str]) -> Vec<u8> {
    let out = util::inspect(capture, args);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{}: {args:?}: {}",
        capture.display(),
        util::status(&out)
    );
    out.stdout
}

fn jsonl(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect()
}

/// Nanoseconds since the epoch of an RFC 3339 time, as DuckDB's `epoch_ns` gives it.
fn epoch_ns(v: &Value) -> Value {
    match v.as_str() {
        Some(t) => {
            let ts: jiff::Timestamp = t.parse().expect("RFC 3339");
            Value::from(i64::try_from(ts.as_nanosecond()).expect("fits"))
        }
        None => Value::Null,
    }
}

/// One capture's outputs: its Parquet files, and its jsonl records and summary.
struct Case {
    name: String,
    rows: String,
    summary: String,
    records: Vec<Value>,
    conversations: Vec<Value>,
}

/// Runs oneway on `capture`, its outputs into `dir`.
fn case(capture: &Path, dir: &Path) -> Case {
    let name = capture.file_name().unwrap().to_string_lossy().into_owned();
    let path = |p: PathBuf| p.to_str().expect("UTF-8 temp path").to_string();
    let rows = path(dir.join(format!("{name}.parquet")));
    let summary = path(dir.join(format!("{name}.summary.parquet")));
    oneway(capture, &["-f", "parquet", "-o", &rows]);
    oneway(capture, &["-f", "parquet", "--summary", "-o", &summary]);
    Case {
        records: jsonl(&oneway(capture, &["-f", "jsonl"])),
        conversations: jsonl(&oneway(capture, &["-f", "jsonl", "--summary"])),
        name,
        rows,
        summary,
    }
}

/// Runs python3 with `args` (DuckDB's queries): its stdout, or the test fails with its stderr.
fn python(args: &[&OsStr]) -> Vec<u8> {
    let out = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "duckdb: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Asks DuckDB about every case at once (one python); checks each; returns how many datagrams
/// they had.
fn check(cases: &[Case]) -> usize {
    let mut args = vec![OsStr::new("-c"), OsStr::new(QUERY)];
    args.extend(
        cases
            .iter()
            .flat_map(|c| [OsStr::new(&c.rows), OsStr::new(&c.summary)]),
    );
    let answers = jsonl(&python(&args));
    assert_eq!(answers.len(), cases.len(), "one answer per capture");
    cases
        .iter()
        .zip(&answers)
        .map(|(case, said)| {
            assert_eq!(said["file"].as_str(), Some(case.rows.as_str()));
            check_one(case, said)
        })
        .sum()
}

/// Checks what DuckDB `said` of one case.
fn check_one(case: &Case, said: &Value) -> usize {
    let Case {
        name,
        records,
        conversations,
        ..
    } = case;
    // Every datagram, in order, as jsonl has it.
    let want: Vec<Value> = records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let o = r.as_object_mut().unwrap();
            let time = epoch_ns(&o["time"]);
            o.insert("time".into(), time);
            r
        })
        .collect();
    let columns: Vec<&str> = said["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    if let Some(first) = records.first() {
        let mut keys: Vec<&str> = first
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = columns.clone();
        keys.sort_unstable();
        sorted.sort_unstable();
        assert_eq!(keys, sorted, "{name}: Parquet's columns are jsonl's fields");
    }
    let rows = said["rows"].as_array().unwrap();
    assert_eq!(rows.len(), want.len(), "{name}: rows");
    for (got, want) in rows.iter().zip(&want) {
        assert_eq!(got, want, "{name}: a datagram row");
    }

    // Per conversation: what DuckDB sums is what the summary counted.
    let sums = said["conversations"].as_array().unwrap();
    assert_eq!(sums.len(), conversations.len(), "{name}: conversations");
    for (got, c) in sums.iter().zip(conversations) {
        let n = |k: &str| c[k].as_u64().unwrap();
        let want = serde_json::json!({
            "conversation": c["conversation"],
            "packets": n("packets_ab") + n("packets_ba"),
            "bytes": n("bytes_ab") + n("bytes_ba"),
            "first_frame": c["first_frame"],
            "a": c["a"],
            "aport": c["aport"],
        });
        assert_eq!(got, &want, "{name}: a conversation summed by DuckDB");
    }

    // The summary file holds the summary's records.
    let summary = said["summary"].as_array().unwrap();
    assert_eq!(summary.len(), conversations.len(), "{name}: summary");
    for (got, c) in summary.iter().zip(conversations) {
        let mut want = c.clone();
        let start = epoch_ns(&c["start"]);
        want.as_object_mut().unwrap().insert("start".into(), start);
        assert_eq!(got, &want, "{name}: a summary row");
    }
    records.len()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oneway-engines-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn duckdb_reads_every_fixture_as_oneway_summarizes_it() {
    if !duckdb_or_skip() {
        return;
    }
    let dir = temp_dir("fixtures");
    let captures: Vec<PathBuf> = util::captures("fixtures")
        .into_iter()
        .chain(util::captures("fixtures/lab"))
        .collect();
    let cases: Vec<Case> = captures.iter().map(|c| case(c, &dir)).collect();
    let datagrams = check(&cases);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        captures.len() > 40 && datagrams > 100,
        "{datagrams} datagrams"
    );
}

#[test]
fn duckdb_reads_a_generated_capture_of_several_row_groups() {
    if !duckdb_or_skip() {
        return;
    }
    let dir = temp_dir("generated");
    let capture = dir.join("mixed.pcap");
    // UDP over IPv4 and IPv6 among TCP and ARP, 4096 flows: two row groups.
    gen_capture::write(
        gen_capture::Variant::Mixed,
        150_000,
        capture.to_str().unwrap(),
        4096,
    )
    .expect("generated");
    let datagrams = check(&[case(&capture, &dir)]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(datagrams > 65_536, "{datagrams} datagrams");
}

/// `oneway inspect A B -f parquet`: each row names its input in `file`, and the inputs of the
/// frames it answers and repeats in `reply_to_file` and `repeat_of_file` (Parquet holds them
/// as input numbers until it writes its dictionaries), as jsonl does, and DuckDB reads the
/// merged file as jsonl has it.
#[test]
fn duckdb_reads_the_file_of_each_row_of_several_inputs() {
    if !duckdb_or_skip() {
        return;
    }
    let dir = temp_dir("several");
    let (a, b) = ("fixtures/udp.pcap", "fixtures/icmp-errors.pcap");
    let rows = dir.join("both.parquet");
    let rows = rows.to_str().expect("UTF-8 temp path");
    let run = |args: &[&str]| {
        let out = util::oneway()
            .args(["inspect", a, b])
            .args(args)
            .env("TZ", "UTC")
            .output()
            .expect("oneway runs");
        assert!(out.status.success(), "{args:?}: {}", util::status(&out));
        out.stdout
    };
    run(&["-f", "parquet", "-o", rows]);
    let records = jsonl(&run(&["-f", "jsonl"]));
    let said: Value = serde_json::from_slice(&python(&[
        OsStr::new("-c"),
        OsStr::new(
            "import duckdb, json, sys\n\
             cols = ['frame', 'file', 'reply_to', 'reply_to_file', 'repeat_of', 'repeat_of_file']\n\
             cur = duckdb.connect().execute('select ' + ', '.join(cols) + ' from read_parquet(?)', [sys.argv[1]])\n\
             print(json.dumps([dict(zip(cols, r)) for r in cur.fetchall()]))",
        ),
        OsStr::new(rows),
    ]))
    .expect("json");
    let want: Vec<Value> = records
        .iter()
        .map(|r| {
            let fields = [
                "frame",
                "file",
                "reply_to",
                "reply_to_file",
                "repeat_of",
                "repeat_of_file",
            ];
            let pairs = fields.map(|f| (f.to_string(), r[f].clone()));
            Value::Object(pairs.into_iter().collect())
        })
        .collect();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(said.as_array().expect("rows"), &want);
    // Both inputs are there, by the names given.
    for input in [a, b] {
        assert!(
            want.iter().any(|r| r["file"] == input),
            "{input} in {want:?}"
        );
    }
}

#[test]
fn spark_reads_every_fixture_as_oneway_summarizes_it() {
    // scripts/spark-example.sh: Spark in local mode (pyspark, a Java runtime) sums each
    // conversation of every capture at once and the script checks it against --summary.
    let found = Command::new("python3")
        .args(["-c", "import pyspark"])
        .output()
        .is_ok_and(|o| o.status.success())
        && Command::new("java")
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pyspark or java is missing; CI must install them (python3 -m pip install \
             pyspark==4.3.0; apt-get install openjdk-17-jre-headless)"
        );
        eprintln!("skipped: no pyspark or no java (see scripts/spark-example.sh)");
        return;
    }
    let captures: Vec<PathBuf> = util::captures("fixtures")
        .into_iter()
        .chain(util::captures("fixtures/lab"))
        .collect();
    let out = Command::new("timeout")
        .args([
            "600",
            "scripts/spark-example.sh",
            "--bin",
            env!("CARGO_BIN_EXE_oneway"),
        ])
        .args(&captures)
        .output()
        .expect("the script runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every conversation of every capture, and no difference.
    assert!(said.contains(" 0 differ, 0 unknown"), "{said}");
    let spark: usize = said
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(spark > 100, "{said}");
}
