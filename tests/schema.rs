//! The machine formats' schema, on every fixture: jsonl parsed with serde_json, csv with the csv
//! crate. The fields are the ones README.md lists, in its order, in both; csv holds jsonl's
//! values; `text` is the escaped payload exactly when the payload is printable; `file` names the
//! input as given (`-` for stdin); an ICMP error that answered a datagram is on its row. The
//! summary's records likewise.

mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// README.md's order; new fields are added at the end.
const FIELDS: [&str; 21] = [
    "frame",
    "time",
    "src",
    "sport",
    "dst",
    "dport",
    "length",
    "payload",
    "reassembled",
    "captured",
    "cut",
    "bad_length",
    "text",
    "conv",
    "reply_to",
    "rtt_ns",
    "repeat_of",
    "icmp",
    "file",
    "reply_to_file",
    "repeat_of_file",
];

/// README.md's order of the summary's records.
const SUMMARY_FIELDS: [&str; 31] = [
    "conversation",
    "a",
    "aport",
    "b",
    "bport",
    "first_frame",
    "start",
    "duration_ns",
    "packets_ab",
    "packets_ba",
    "bytes_ab",
    "bytes_ba",
    "replies",
    "unanswered",
    "first_reply_frame",
    "first_reply_after_ns",
    "first_reply_to_frame",
    "first_reply_retries",
    "first_try_frame",
    "first_try_before_reply_ns",
    "frame_bytes_ab",
    "frame_bytes_ba",
    "repeats",
    "icmp_errors",
    "first_icmp_frame",
    "first_icmp",
    "file",
    "first_reply_file",
    "first_reply_to_file",
    "first_try_file",
    "first_icmp_file",
];

fn fixtures() -> Vec<PathBuf> {
    let mut v = util::captures("fixtures");
    v.extend(util::captures("fixtures/lab"));
    v.extend(util::captures("fixtures/hostile"));
    v
}

/// The keys of a jsonl line in the order they are written (serde_json's map sorts them).
fn keys_in_order(line: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let b = line.as_bytes();
    let mut in_string = false;
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_string => i += 1,
            b'"' if in_string => {
                in_string = false;
                if b.get(i + 1) == Some(&b':') && start >= 2 && matches!(b[start - 2], b'{' | b',')
                {
                    keys.push(line[start..i].to_string());
                }
            }
            b'"' => {
                in_string = true;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

fn stdout(capture: &Path, args: &[&str]) -> String {
    let out = util::inspect(capture, args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}: {}",
        capture.display(),
        util::status(&out)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A jsonl value as csv writes it: null empty, strings bare, numbers and booleans as text.
fn as_csv(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn jsonl_and_csv_have_every_field_in_order_on_every_fixture() {
    let mut rows = 0;
    let mut texts = 0;
    for capture in fixtures() {
        let name = capture.display().to_string();
        let jsonl = stdout(&capture, &["--format", "jsonl"]);
        let csv_text = stdout(&capture, &["--format", "csv"]);
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        assert_eq!(
            reader.headers().expect("a header row"),
            FIELDS.as_slice(),
            "{name}"
        );
        let records: Vec<csv::StringRecord> =
            reader.records().map(|r| r.expect("a csv record")).collect();
        let lines: Vec<&str> = jsonl.lines().collect();
        assert_eq!(
            records.len(),
            lines.len(),
            "{name}: csv rows and jsonl lines"
        );
        for (line, record) in lines.iter().zip(&records) {
            assert_eq!(keys_in_order(line), FIELDS, "{name}: {line}");
            let v: Value = serde_json::from_str(line).expect("a JSON object");
            for (k, field) in FIELDS.iter().enumerate() {
                assert_eq!(as_csv(&v[field]), record[k], "{name}: {field} in {line}");
            }
            let payload = unhex(v["payload"].as_str().expect("hex"));
            let escaped = oneway::escape::escape(&payload);
            let printable = std::str::from_utf8(&payload).is_ok_and(|s| {
                !s.chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            });
            if printable {
                assert_eq!(v["text"], escaped.as_str(), "{name}: {line}");
                texts += 1;
            } else {
                assert_eq!(v["text"], Value::Null, "{name}: {line}");
            }
            assert!(v["reassembled"].is_boolean(), "{name}: {line}");
            assert_eq!(v["captured"], payload.len(), "{name}: {line}");
            assert_eq!(v["file"], name.as_str(), "{name}: {line}");
            // One input: the frames referred to are in it.
            for (frame, file) in [
                ("reply_to", "reply_to_file"),
                ("repeat_of", "repeat_of_file"),
            ] {
                match v[frame].is_null() {
                    true => assert_eq!(v[file], Value::Null, "{name}: {line}"),
                    false => assert_eq!(v[file], name.as_str(), "{name}: {line}"),
                }
            }
            if let Some(to) = v["reply_to"].as_u64() {
                assert!(to < v["frame"].as_u64().unwrap(), "{name}: {line}");
                assert!(v["conv"].is_u64(), "{name}: {line}");
            }
            for k in ["conv", "reply_to", "rtt_ns", "repeat_of"] {
                assert!(v[k].is_null() || v[k].is_u64(), "{name}: {k} in {line}");
            }
            assert!(
                v["icmp"].is_null() || v["icmp"].is_string(),
                "{name}: {line}"
            );
            rows += 1;
        }
    }
    assert!(rows > 300 && texts > 100, "{rows} rows, {texts} texts");
}

#[test]
fn summary_records_have_every_field_in_order() {
    for capture in fixtures() {
        let name = capture.display().to_string();
        let jsonl = stdout(&capture, &["--summary", "--format", "jsonl"]);
        for line in jsonl.lines() {
            assert_eq!(keys_in_order(line), SUMMARY_FIELDS, "{name}: {line}");
            let v: Value = serde_json::from_str(line).expect("a JSON object");
            assert_eq!(v["file"], name.as_str());
            assert_eq!(v["icmp_errors"] == 0, v["first_icmp"].is_null(), "{line}");
        }
        let csv_text = stdout(&capture, &["--summary", "--format", "csv"]);
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        assert_eq!(
            reader.headers().expect("a header row"),
            SUMMARY_FIELDS.as_slice(),
            "{name}"
        );
        assert_eq!(reader.records().count(), jsonl.lines().count(), "{name}");
    }
}

#[test]
fn an_icmp_error_is_on_the_row_of_the_datagram_it_answered() {
    let jsonl = stdout(Path::new("fixtures/mixed.pcap"), &["--format", "jsonl"]);
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let answered: Vec<(u64, &str)> = rows
        .iter()
        .filter_map(|r| Some((r["frame"].as_u64()?, r["icmp"].as_str()?)))
        .collect();
    // Frame 10 is the ICMP port unreachable that answered frame 9 (to 10.0.0.9:9999).
    assert_eq!(answered, [(9, "port unreachable")]);
    // csv says the same, in the same column.
    let csv_text = stdout(Path::new("fixtures/mixed.pcap"), &["--format", "csv"]);
    assert!(
        csv_text.contains(",port unreachable,fixtures/mixed.pcap,,\n"),
        "{csv_text}"
    );
    // Every ICMP error of every fixture that the summary counts comes a moment after its
    // datagram: each is on a row.
    for capture in fixtures() {
        let counted: u64 = stdout(&capture, &["--summary", "--format", "jsonl"])
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("JSON")["icmp_errors"]
                    .as_u64()
                    .unwrap()
            })
            .sum();
        let on_rows = stdout(&capture, &["--format", "jsonl"])
            .lines()
            .filter(|l| !l.contains("\"icmp\":null"))
            .count() as u64;
        assert!(on_rows <= counted, "{}", capture.display());
        if counted > 0 {
            assert!(
                on_rows > 0,
                "{}: {counted} errors, none on a row",
                capture.display()
            );
        }
    }
}

#[test]
fn file_is_the_input_as_given_and_dash_for_stdin() {
    let bytes = std::fs::read("fixtures/udp.pcap").expect("fixture");
    let mut child = Command::new(env!("CARGO_BIN_EXE_oneway"))
        .args(["inspect", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("oneway runs");
    let mut stdin = child.stdin.take().expect("piped");
    std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &bytes));
    let out = child.wait_with_output().expect("oneway ends");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(text.lines().count(), 2);
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON");
        assert_eq!(v["file"], "-");
    }
    // As given: a relative path stays relative.
    let text = stdout(
        Path::new("./fixtures/../fixtures/udp.pcap"),
        &["-f", "jsonl"],
    );
    assert!(
        text.ends_with(
            ",\"file\":\"./fixtures/../fixtures/udp.pcap\",\
             \"reply_to_file\":\"./fixtures/../fixtures/udp.pcap\",\"repeat_of_file\":null}\n"
        ),
        "{text}"
    );
}

/// The `time` of every row of `capture` in jsonl (RFC 3339 text or null), csv (text or empty)
/// and Parquet (nanoseconds or null), and each row's `rtt_ns` in jsonl.
fn times(capture: &str) -> (Vec<Value>, Vec<String>, Vec<Option<i64>>, Vec<Value>) {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let capture = Path::new(capture);
    let records: Vec<Value> = stdout(capture, &["-f", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let csv_text = stdout(capture, &["-f", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let at = FIELDS.iter().position(|f| *f == "time").unwrap();
    let csv: Vec<String> = reader
        .records()
        .map(|r| r.expect("a csv record")[at].to_string())
        .collect();
    let out = util::inspect(capture, &["-f", "parquet"]);
    assert!(out.status.success(), "{}", util::status(&out));
    let file = SerializedFileReader::new(bytes::Bytes::from(out.stdout)).expect("Parquet");
    let parquet = file
        .get_row_iter(None)
        .expect("rows")
        .map(|r| {
            let r = r.expect("a row");
            match r
                .get_column_iter()
                .find(|(k, _)| *k == "time")
                .map(|(_, v)| v)
            {
                // (The record reader shows nanosecond timestamps as their i64.)
                Some(Field::Long(n)) => Some(*n),
                Some(Field::Null) => None,
                other => panic!("time: {other:?}"),
            }
        })
        .collect();
    let rtt = records.iter().map(|r| r["rtt_ns"].clone()).collect();
    (
        records.iter().map(|r| r["time"].clone()).collect(),
        csv,
        parquet,
        rtt,
    )
}

#[test]
fn a_record_without_time_has_none_in_every_format() {
    // two-sections.pcapng: frames 1-4 are Enhanced Packet Blocks, frame 5 a Simple Packet Block
    // (no timestamp), a request; unknown-blocks.pcapng: a request, its reply, then the request
    // again as a Simple Packet Block (fixtures/README.md).
    let (jsonl, csv, parquet, rtt) = times("fixtures/two-sections.pcapng");
    assert_eq!(jsonl.len(), 5);
    assert_eq!(jsonl[4], Value::Null);
    assert_eq!(csv[4], "");
    assert_eq!(parquet[4], None);
    for i in 0..4 {
        let text = jsonl[i].as_str().expect("a time");
        let ts: jiff::Timestamp = text.parse().expect("RFC 3339");
        assert_eq!(csv[i], text);
        assert_eq!(parquet[i], i64::try_from(ts.as_nanosecond()).ok());
    }
    assert_eq!(rtt[4], Value::Null);
    let (jsonl, csv, parquet, rtt) = times("fixtures/unknown-blocks.pcapng");
    assert_eq!(jsonl.len(), 3);
    assert_eq!(
        (&jsonl[2], csv[2].as_str(), parquet[2]),
        (&Value::Null, "", None)
    );
    assert!(jsonl[..2].iter().all(Value::is_string));
    assert!(parquet[..2].iter().all(Option::is_some));
    // The reply's round trip is known (both ends have times); the untimed request is none.
    assert!(rtt[1].is_u64(), "{rtt:?}");
    assert_eq!(rtt[2], Value::Null);
}

#[test]
fn a_reply_in_another_input_names_the_file_of_its_request() {
    // fixtures/udp.pcap's request (frame 1) in one file, its reply (frame 2) in another: merged,
    // the reply is frame 1 of `reply.pcap`, the reply to frame 1 of `request.pcap`.
    let bytes = std::fs::read("fixtures/udp.pcap").expect("fixture");
    assert_eq!(bytes[..4], [0xd4, 0xc3, 0xb2, 0xa1], "little-endian pcap");
    let (header, rest) = bytes.split_at(24);
    let len = u32::from_le_bytes(rest[8..12].try_into().unwrap()) as usize;
    let (first, second) = rest.split_at(16 + len);
    let dir = std::env::temp_dir().join(format!("oneway-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let request = dir.join("request.pcap");
    let reply = dir.join("reply.pcap");
    std::fs::write(&request, [header, first].concat()).expect("written");
    std::fs::write(&reply, [header, second].concat()).expect("written");
    let (request, reply) = (request.to_str().unwrap(), reply.to_str().unwrap());
    let run = |format: &str| {
        let out = util::oneway()
            .args(["inspect", reply, request, "-f", format])
            .output()
            .expect("oneway runs");
        assert!(out.status.success(), "{}", util::status(&out));
        out.stdout
    };
    let jsonl = String::from_utf8(run("jsonl")).expect("UTF-8");
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(rows.len(), 2, "{jsonl}");
    let pick = |r: &Value| {
        FIELDS[13..]
            .iter()
            .filter(|f| !matches!(**f, "rtt_ns" | "icmp"))
            .map(|f| as_csv(&r[*f]))
            .collect::<Vec<_>>()
    };
    // conv, reply_to, repeat_of, file, reply_to_file, repeat_of_file
    assert_eq!(pick(&rows[0]), ["1", "", "", request, "", ""]);
    assert_eq!(pick(&rows[1]), ["1", "1", "", reply, request, ""]);
    // csv the same, in the same columns.
    let csv_text = String::from_utf8(run("csv")).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    for (record, row) in reader.records().zip(&rows) {
        let record = record.expect("a csv record");
        for (k, field) in FIELDS.iter().enumerate() {
            assert_eq!(as_csv(&row[field]), record[k], "{field}");
        }
    }
    // And Parquet.
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let file = SerializedFileReader::new(bytes::Bytes::from(run("parquet"))).expect("Parquet");
    let got: Vec<(String, String)> = file
        .get_row_iter(None)
        .expect("rows")
        .map(|r| {
            let r = r.expect("a row");
            let cell = |name: &str| {
                r.get_column_iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
                    .expect("a column")
            };
            (cell("file"), cell("reply_to_file"))
        })
        .collect();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        got,
        [
            (format!("\"{request}\""), "null".to_string()),
            (format!("\"{reply}\""), format!("\"{request}\"")),
        ]
    );
}
