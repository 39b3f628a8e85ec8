//! Many captures read as one (`oneway inspect A B C`, a directory): merged by time as mergecap
//! merges, each datagram with its own file's frame number, a damaged file named while the others
//! are read, a rotated `tcpdump -C` set read as the capture it was cut from.

use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../examples/gen_capture.rs"]
#[allow(dead_code)]
mod gen_capture;
mod util;

/// The longest any one step of the live test may take.
const TIMEOUT: Duration = Duration::from_secs(30);

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oneway-many-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut c = util::oneway();
    c.arg("inspect").env("NO_COLOR", "1").env("COLUMNS", "200");
    for a in args {
        c.arg(a);
    }
    c.output().expect("oneway runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The jsonl records of a run.
fn records(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

/// A record without its place: its `file`, its `frame` and the frames it refers to
/// (`reply_to`, `repeat_of`: numbers in their own files, `reply_to_file`, `repeat_of_file`).
fn placeless(mut v: Value) -> Value {
    let o = v.as_object_mut().expect("an object");
    for key in [
        "frame",
        "file",
        "reply_to",
        "repeat_of",
        "reply_to_file",
        "repeat_of_file",
    ] {
        assert!(o.remove(key).is_some(), "{key} in {o:?}");
    }
    v
}

/// A little-endian microsecond pcap's header and records (each with its 16-byte header).
fn pcap_records(bytes: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    assert_eq!(bytes[..4], [0xd4, 0xc3, 0xb2, 0xa1], "little-endian pcap");
    let mut records = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let incl = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().expect("4 bytes"));
        let end = (at + 16 + incl as usize).min(bytes.len());
        records.push(bytes[at..end].to_vec());
        at = end;
    }
    (bytes[..24].to_vec(), records)
}

fn write_pcap(path: &Path, header: &[u8], records: &[&Vec<u8>]) {
    let mut bytes = header.to_vec();
    records.iter().for_each(|r| bytes.extend_from_slice(r));
    std::fs::write(path, bytes).expect("a capture is written");
}

/// A pcap record of an Ethernet/IPv4/UDP frame from 10.0.0.1:`sport` to 10.0.0.2:`dport`.
fn udp_record(time_us: u64, sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let udp_len = 8 + payload.len();
    let ip_len = 20 + udp_len;
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
    f.extend_from_slice(&[
        0x45,
        0,
        (ip_len >> 8) as u8,
        ip_len as u8,
        0,
        0,
        0x40,
        0,
        64,
        17,
    ]);
    f.extend_from_slice(&[0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&(udp_len as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    let mut r = Vec::new();
    r.extend_from_slice(&((time_us / 1_000_000) as u32).to_le_bytes());
    r.extend_from_slice(&((time_us % 1_000_000) as u32).to_le_bytes());
    r.extend_from_slice(&(f.len() as u32).to_le_bytes());
    r.extend_from_slice(&(f.len() as u32).to_le_bytes());
    r.extend_from_slice(&f);
    r
}

/// The header of a little-endian microsecond Ethernet pcap.
fn pcap_header() -> Vec<u8> {
    let mut h = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    h.extend_from_slice(&65535u32.to_le_bytes());
    h.extend_from_slice(&1u32.to_le_bytes());
    h
}

#[test]
fn three_files_merge_by_time_and_keep_their_own_frame_numbers() {
    let dir = scratch("three");
    let original = Path::new("fixtures/mixed.pcap");
    let (header, recs) = pcap_records(&std::fs::read(original).expect("fixture"));
    // Frame n of the capture goes to file n % 3: their times interleave.
    let files: Vec<PathBuf> = (0..3).map(|i| dir.join(format!("part{i}.pcap"))).collect();
    for (i, f) in files.iter().enumerate() {
        let mine: Vec<&Vec<u8>> = recs.iter().skip(i).step_by(3).collect();
        write_pcap(f, &header, &mine);
    }
    let whole = run(&[&original, &"-f", &"jsonl"]);
    // Given in another order than their times: the merge does not depend on it.
    let given = [&files[2], &files[0], &files[1]];
    let merged = run(&[given[0], given[1], given[2], &"-f", &"jsonl"]);
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged.stderr));
    let (w, m) = (records(&whole), records(&merged));
    assert!(w.len() > 5, "mixed.pcap has datagrams");
    assert_eq!(
        m.iter().cloned().map(placeless).collect::<Vec<_>>(),
        w.iter().cloned().map(placeless).collect::<Vec<_>>(),
        "the same datagrams in the same order"
    );
    // Frame n of the capture is frame (n - 1) / 3 + 1 of its file.
    for (a, b) in w.iter().zip(&m) {
        let n = a["frame"].as_u64().expect("frame");
        assert_eq!(b["frame"].as_u64(), Some((n - 1) / 3 + 1), "{b}");
    }
    // The table: `file:frame` in the # column, numbered as given, and replies across files.
    let table = text(&run(&[given[0], given[1], given[2]]).stdout);
    let whole_table = text(&run(&[&original]).stdout);
    let row = |t: &str, needle: &str| {
        t.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle} in\n{t}"))
            .to_string()
    };
    // mixed.pcap: frame 1 (file 2's frame 1) is answered by frame 3 (file 1's frame 1).
    assert!(row(&table, "You said").starts_with("| 1:1 "), "{table}");
    assert!(
        row(&table, "You said").contains("reply to 2:1 after 0.283 ms"),
        "{table}"
    );
    assert!(row(&whole_table, "You said").contains("reply to 1 after 0.283 ms"));
    for (i, f) in ["part2.pcap", "part0.pcap", "part1.pcap"]
        .iter()
        .enumerate()
    {
        assert!(
            table.contains(&format!(
                "  file {}: {} (pcap",
                i + 1,
                dir.join(f).display()
            )),
            "{table}"
        );
    }
    // The conversations (their ids, counts, replies) are those of the whole capture.
    let convs = |t: &str| t[t.find("Conversations:").expect("conversations")..].to_string();
    let strip = |t: String| -> String {
        // Frame references differ (`2:1` against `1`); the rest does not.
        t.lines()
            .filter(|l| !l.contains("frame"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(convs(&table)), strip(convs(&whole_table)));
}

#[test]
fn equal_times_go_in_the_order_the_files_were_given() {
    let dir = scratch("ties");
    let header = pcap_header();
    let a: Vec<Vec<u8>> = [1, 2, 3]
        .iter()
        .map(|t| udp_record(t * 1_000_000, 1000, 2000, format!("a{t}").as_bytes()))
        .collect();
    let b: Vec<Vec<u8>> = [2, 3, 4]
        .iter()
        .map(|t| udp_record(t * 1_000_000, 1000, 2000, format!("b{t}").as_bytes()))
        .collect();
    let (pa, pb) = (dir.join("a.pcap"), dir.join("b.pcap"));
    write_pcap(&pa, &header, &a.iter().collect::<Vec<_>>());
    write_pcap(&pb, &header, &b.iter().collect::<Vec<_>>());
    let payloads = |out: Output| -> Vec<String> {
        records(&out)
            .iter()
            .map(|r| {
                let hex = r["payload"].as_str().expect("payload");
                let bytes: Vec<u8> = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                    .collect();
                text(&bytes)
            })
            .collect()
    };
    assert_eq!(
        payloads(run(&[&pa, &pb, &"-f", &"jsonl"])),
        ["a1", "a2", "b2", "a3", "b3", "b4"]
    );
    assert_eq!(
        payloads(run(&[&pb, &pa, &"-f", &"jsonl"])),
        ["a1", "b2", "a2", "b3", "a3", "b4"]
    );
    // -r, repeated, is the same as naming them.
    assert_eq!(
        payloads(run(&[&"-r", &pa, &"-r", &pb, &"-f", &"jsonl"])),
        ["a1", "a2", "b2", "a3", "b3", "b4"]
    );
    // -c counts the merged datagrams.
    assert_eq!(
        payloads(run(&[&pa, &pb, &"-f", &"jsonl", &"-c", &"3"])),
        ["a1", "a2", "b2"]
    );
}

#[test]
fn a_damaged_or_missing_file_is_named_and_the_others_are_read_whole() {
    let dir = scratch("damaged");
    let header = pcap_header();
    let good = |name: &str, from: u64| {
        let recs: Vec<Vec<u8>> = (0..5)
            .map(|i| {
                udp_record(
                    (from + i) * 1000,
                    1000,
                    2000,
                    format!("{name}{i}").as_bytes(),
                )
            })
            .collect();
        let p = dir.join(name);
        write_pcap(&p, &header, &recs.iter().collect::<Vec<_>>());
        p
    };
    let (a, b) = (good("a.pcap", 0), good("b.pcap", 2));
    // truncated.pcap: its last record is cut short; every datagram before it is read.
    let damaged = Path::new("fixtures/truncated.pcap");
    let alone = run(&[&damaged, &"-f", &"jsonl"]);
    assert_eq!(alone.status.code(), Some(1));
    let missing = dir.join("missing.pcap");
    let out = run(&[&a, &damaged, &missing, &b, &"-f", &"jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(records(&out).len(), 10 + records(&alone).len());
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("oneway: fixtures/truncated.pcap: ") && lines[0].contains("cut short"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("oneway: cannot open ") && lines[1].contains("missing.pcap"),
        "{err}"
    );
    // The summary still counts all that was read, and says which files were not.
    let out = run(&[&a, &damaged, &missing, &b, &"--summary"]);
    assert_eq!(out.status.code(), Some(1));
    let summary = text(&out.stdout);
    assert!(summary.contains("missing.pcap (not read)"), "{summary}");
    assert!(summary.contains("4 files merged by time"), "{summary}");
}

#[test]
fn a_directory_is_the_captures_in_it_gzip_included_by_content() {
    let dir = scratch("dir");
    let header = pcap_header();
    let make = |from: u64, name: &str| -> Vec<u8> {
        let mut bytes = header.clone();
        for i in 0..4 {
            bytes.extend(udp_record((from + 2 * i) * 1000, 7, 8, name.as_bytes()));
        }
        bytes
    };
    let caps = dir.join("caps");
    std::fs::create_dir_all(caps.join("sub")).expect("dir");
    std::fs::write(caps.join("one.pcap"), make(0, "one")).expect("write");
    // gzip, named without a capture's extension: told by content.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &make(1, "two")).expect("gzip");
    std::fs::write(caps.join("two.data"), gz.finish().expect("gzip")).expect("write");
    std::fs::write(caps.join("notes.txt"), "not a capture\n").expect("write");
    let out = run(&[&caps, &"-f", &"jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got: Vec<(String, u64)> = records(&out)
        .iter()
        .map(|r| {
            (
                r["payload"].as_str().expect("payload").to_string(),
                r["frame"].as_u64().expect("frame"),
            )
        })
        .collect();
    let (one, two) = ("6f6e65".to_string(), "74776f".to_string());
    assert_eq!(
        got,
        [
            (one.clone(), 1),
            (two.clone(), 1),
            (one.clone(), 2),
            (two.clone(), 2),
            (one.clone(), 3),
            (two.clone(), 3),
            (one, 4),
            (two, 4)
        ]
    );
    assert_eq!(
        text(&out.stderr),
        format!(
            "oneway: {}: skipped 2 files that are not captures: notes.txt, sub/ (a directory)\n",
            caps.display()
        )
    );
    let table = text(&run(&[&caps, &"--summary"]).stdout);
    assert!(
        table.contains(&format!(
            "file 2: {}/two.data (pcap (microsecond), gzip-compressed)",
            caps.display()
        )),
        "{table}"
    );
    // An empty directory is named, and fails.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("dir");
    let out = run(&[&empty]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no capture in this directory"));
    // stdin cannot be merged.
    let out = run(&[&"-", &caps]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

/// Cuts a capture as `tcpdump -C 1 -w NAME` does: a record is written to the current file, and
/// once that file is larger than 1,000,000 bytes the next record goes to a new one, named NAME,
/// NAME1, NAME2, …
fn rotate(header: &[u8], records: &[Vec<u8>], dir: &Path, name: &str) -> usize {
    let mut n = 0;
    let mut current = header.to_vec();
    let path = |n: usize| match n {
        0 => dir.join(name),
        n => dir.join(format!("{name}{n}")),
    };
    for r in records {
        current.extend_from_slice(r);
        if current.len() > 1_000_000 {
            std::fs::write(path(n), &current).expect("write");
            n += 1;
            current = header.to_vec();
        }
    }
    if current.len() > header.len() {
        std::fs::write(path(n), &current).expect("write");
        n += 1;
    }
    n
}

/// `inspect` of a rotated set and of the capture it was cut from agree: the same datagrams in
/// the same order (frames aside), the same conversations.
fn same_as_unsplit(set: &Path, unsplit: &Path) {
    let (a, b) = (
        run(&[&set, &"-f", &"jsonl"]),
        run(&[&unsplit, &"-f", &"jsonl"]),
    );
    assert_eq!(a.status.code(), Some(0), "{}", text(&a.stderr));
    let (a, b) = (records(&a), records(&b));
    assert!(!b.is_empty());
    assert_eq!(a.len(), b.len());
    assert!(
        a.into_iter()
            .map(placeless)
            .eq(b.into_iter().map(placeless)),
        "the same datagrams in the same order"
    );
    let summary = |p: &Path| {
        let out = run(&[&p, &"--summary", &"-f", &"jsonl"]);
        text(&out.stdout)
            .lines()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).expect("json");
                // Frame numbers are the files' own.
                v.as_object_mut()
                    .expect("object")
                    .retain(|k, _| !k.contains("frame") && !k.ends_with("file"));
                v
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(summary(set), summary(unsplit));
    frames_named_with_their_files(set);
}

#[test]
fn the_summary_names_the_file_of_each_frame_it_refers_to() {
    let dir = scratch("summary-files");
    // 64 request/reply flows, µs apart: replies land in the file after their request's too.
    let whole = dir.join("whole.pcap");
    gen_capture::write(
        gen_capture::Variant::Udp,
        20_000,
        whole.to_str().expect("UTF-8 temp path"),
        64,
    )
    .expect("generated");
    let (header, records) = pcap_records(&std::fs::read(&whole).expect("generated"));
    let set = dir.join("set");
    std::fs::create_dir_all(&set).expect("dir");
    assert!(rotate(&header, &records, &set, "cap.pcap") >= 2);
    same_as_unsplit(&set, &whole);
    assert!(frames_named_with_their_files(&set) > 64);
    // The ICMP error of icmp-errors.pcap is about a datagram of mixed.pcap's conversation 1.
    let out = run(&[
        &"fixtures/mixed.pcap",
        &"fixtures/icmp-errors.pcap",
        &"--summary",
        &"-f",
        &"jsonl",
    ]);
    let first: Value =
        serde_json::from_str(text(&out.stdout).lines().next().expect("a record")).expect("json");
    assert_eq!(first["file"], "fixtures/mixed.pcap");
    assert_eq!(
        first["first_icmp_file"], "fixtures/icmp-errors.pcap",
        "{first}"
    );
    assert_eq!(
        first["first_reply_to_file"], "fixtures/icmp-errors.pcap",
        "{first}"
    );
}

/// Every frame a conversation record of the summary refers to (its first reply, what that
/// answered, the first try) is, in the file its `*_file` names, a datagram of that conversation:
/// with several inputs a frame number alone is ambiguous.
/// Returns how many such frames were checked.
fn frames_named_with_their_files(set: &Path) -> usize {
    let rows = records(&run(&[&set, &"-f", &"jsonl"]));
    let conv_at = |file: &Value, frame: &Value| {
        rows.iter()
            .find(|r| &r["file"] == file && &r["frame"] == frame)
            .map(|r| r["conv"].clone())
    };
    let out = run(&[&set, &"--summary", &"-f", &"jsonl"]);
    let mut checked = 0;
    for line in text(&out.stdout).lines() {
        let c: Value = serde_json::from_str(line).expect("json");
        assert_eq!(
            conv_at(&c["file"], &c["first_frame"]),
            Some(c["conversation"].clone())
        );
        for what in ["first_reply", "first_reply_to", "first_try"] {
            let frame = &c[format!("{what}_frame")];
            let file = &c[format!("{what}_file")];
            assert_eq!(frame.is_null(), file.is_null(), "{line}");
            if !frame.is_null() {
                assert_eq!(
                    conv_at(file, frame),
                    Some(c["conversation"].clone()),
                    "{what}: {line}"
                );
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn a_rotated_set_cut_as_tcpdump_c_cuts_reads_as_the_original() {
    let dir = scratch("rotated");
    let header = pcap_header();
    // 30,000 datagrams in 40 conversations with replies: about 3.5 MB, four files.
    let records: Vec<Vec<u8>> = (0..30_000u64)
        .map(|i| {
            let (sport, dport) = if i % 2 == 0 {
                (40_000 + (i / 2 % 40) as u16, 53)
            } else {
                (53, 40_000 + (i / 2 % 40) as u16)
            };
            udp_record(1_700_000_000_000_000 + i * 10, sport, dport, &[b'x'; 60])
        })
        .collect();
    let unsplit = dir.join("all.pcap");
    write_pcap(&unsplit, &header, &records.iter().collect::<Vec<_>>());
    let set = dir.join("set");
    std::fs::create_dir_all(&set).expect("dir");
    let files = rotate(&header, &records, &set, "cap.pcap");
    assert!(files >= 3, "{files} files");
    same_as_unsplit(&set, &unsplit);
}

#[test]
fn a_real_tcpdump_c_set_reads_as_its_mergecap() {
    if !util::tool("tcpdump", "tcpdump") || !util::tool("mergecap", "wireshark-common") {
        return;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| text(&o.stdout).trim() == "0");
    if !root {
        return util::missing("root, to capture on lo");
    }
    let dir = scratch("tcpdump");
    let set = dir.join("set");
    std::fs::create_dir_all(&set).expect("dir");
    let server = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let client = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let port = server.local_addr().expect("addr").port();
    let mut tcpdump = Command::new("tcpdump")
        .args(["-i", "lo", "-n", "-U", "-Z", "root", "-C", "1", "-w"])
        .arg(set.join("lo.pcap"))
        .args(["udp", "port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tcpdump runs");
    let stderr = tcpdump.stderr.take().expect("stderr");
    let lines = util::lines(stderr);
    let started = Instant::now();
    loop {
        match lines.recv_timeout(TIMEOUT.saturating_sub(started.elapsed())) {
            Ok(l) if l.contains("listening on") => break,
            Ok(_) => {}
            Err(e) => panic!("tcpdump did not start: {e}"),
        }
    }
    // About 2.5 MB on the wire: three files or more.
    for i in 0..10_000u32 {
        let payload = format!("{i:0>200}");
        client
            .send_to(payload.as_bytes(), ("127.0.0.1", port))
            .expect("send");
    }
    // SIGINT makes tcpdump write what it holds and close its file (whatever it caught: the set
    // is compared with its own mergecap).
    let _ = Command::new("kill")
        .args(["-INT", &tcpdump.id().to_string()])
        .status();
    let (done, ended) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(tcpdump.wait()));
    let status = ended.recv_timeout(TIMEOUT).expect("tcpdump stops");
    assert!(status.is_ok());
    drop(lines);
    let parts = std::fs::read_dir(&set).expect("set").count();
    assert!(parts >= 2, "tcpdump -C 1 wrote {parts} files");
    let merged = dir.join("merged.pcap");
    let ok = Command::new("mergecap")
        .args(["-F", "pcap", "-w"])
        .arg(&merged)
        .args(
            std::fs::read_dir(&set)
                .expect("set")
                .map(|e| e.expect("entry").path()),
        )
        .status()
        .expect("mergecap runs");
    assert!(ok.success());
    same_as_unsplit(&set, &merged);
}

#[test]
fn an_output_that_is_an_input_is_refused_before_it_is_touched() {
    let dir = scratch("output-is-input");
    let (a, b) = (dir.join("a.pcap"), dir.join("b.pcap"));
    std::fs::copy("fixtures/udp.pcap", &a).expect("a copy");
    std::fs::copy("fixtures/ipv6.pcap", &b).expect("a copy");
    let link = dir.join("link.pcap");
    std::os::unix::fs::symlink(&a, &link).expect("a link");
    let original = std::fs::read(&a).expect("the copy");
    // By its own name, by another (a link), among several inputs, inside a directory given.
    for args in [
        vec![a.clone(), "-o".into(), a.clone()],
        vec![
            link.clone(),
            "-f".into(),
            "parquet".into(),
            "-o".into(),
            a.clone(),
        ],
        vec![
            b.clone(),
            a.clone(),
            "-f".into(),
            "jsonl".into(),
            "-o".into(),
            link.clone(),
        ],
        vec![dir.clone(), "--summary".into(), "-o".into(), b.clone()],
    ] {
        let args: Vec<&dyn AsRef<std::ffi::OsStr>> = args.iter().map(|a| a as _).collect();
        let out = run(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("the output (-o) is one of the inputs"),
            "{err}"
        );
        assert_eq!(std::fs::read(&a).expect("still there"), original);
    }
    assert_eq!(
        std::fs::read(&b).expect("still there"),
        std::fs::read("fixtures/ipv6.pcap").expect("the fixture")
    );
    // When no input could be opened, an earlier output stays as it was.
    let kept = dir.join("kept.jsonl");
    std::fs::write(&kept, "earlier\n").expect("an earlier output");
    let (m1, m2) = (dir.join("missing1.pcap"), dir.join("missing2.pcap"));
    let out = run(&[&m1, &m2, &"-f", &"jsonl", &"-o", &kept]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&kept).expect("kept"), b"earlier\n");
}

#[test]
fn a_fifo_among_the_inputs_is_named_without_waiting_for_a_writer() {
    let dir = scratch("fifo");
    let fifo = dir.join("lone.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo (coreutils) makes a FIFO"
    );
    // In a directory with a capture, a broken link, a subdirectory and a name that would act
    // on a terminal.
    let d = dir.join("d");
    std::fs::create_dir_all(d.join("sub")).expect("directories");
    std::fs::copy("fixtures/udp.pcap", d.join("a.pcap")).expect("a copy");
    std::fs::copy("fixtures/ipv6.pcap", d.join("b.pcap")).expect("a copy");
    assert!(
        Command::new("mkfifo")
            .arg(d.join("f.pcap"))
            .status()
            .is_ok_and(|s| s.success())
    );
    std::os::unix::fs::symlink(dir.join("nowhere"), d.join("broken.pcap")).expect("a link");
    std::fs::write(d.join("n\x1b]0;t\x07.pcap"), "not a capture").expect("a file");
    let (tx, rx) = std::sync::mpsc::channel();
    let (fifo2, d2) = (fifo.clone(), d.clone());
    std::thread::spawn(move || {
        let _ = tx.send((
            run(&[&"fixtures/udp.pcap", &fifo2, &"--summary"]),
            run(&[&d2, &"--summary"]),
        ));
    });
    let Ok((given, listed)) = rx.recv_timeout(TIMEOUT) else {
        // Let a reader stuck in open() go, then fail.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .open(d.join("f.pcap"));
        panic!("oneway waited for a writer on a FIFO");
    };
    let err = text(&given.stderr);
    assert_eq!(given.status.code(), Some(1), "{err}");
    assert!(err.contains("lone.fifo: not a regular file"), "{err}");
    assert!(
        text(&given.stdout).contains("2 datagrams"),
        "{}",
        text(&given.stdout)
    );
    let err = text(&listed.stderr);
    assert_eq!(listed.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "skipped 4 files that are not captures: broken.pcap (cannot be read), \
             f.pcap (not a regular file), n\\x1b]0;t\\x07.pcap, sub/ (a directory)"
        ),
        "{err}"
    );
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err}");
}

#[test]
fn names_in_error_messages_reach_the_terminal_escaped() {
    let dir = scratch("names");
    let odd = dir.join("x\x1b[2J.pcap");
    let out = run(&[&odd]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("x\\x1b[2J.pcap"), "{err}");
    std::fs::write(&odd, "not a capture at all").expect("a file");
    let out = run(&[&"fixtures/udp.pcap", &odd, &"--summary"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("x\\x1b[2J.pcap"), "{err}");
    let out = run(&[
        &"fixtures/udp.pcap",
        &"-o",
        &dir.join("no\x1b[2Jdir/out.txt"),
    ]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no\\x1b[2Jdir"), "{err}");
    assert!(!err.contains('\x1b'), "{err}");
}

#[test]
fn a_name_that_is_not_utf8_reads_alike_in_every_format() {
    use std::os::unix::ffi::OsStrExt as _;
    let dir = scratch("names-bytes");
    let odd = dir.join(std::ffi::OsStr::from_bytes(b"a\xffb\x1b.pcap"));
    std::fs::copy("fixtures/udp.pcap", &odd).expect("a copy");
    let shown = format!("{}/a\\xffb\\x1b.pcap", dir.display());
    for many in [false, true] {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&odd];
        if many {
            args.push(&"fixtures/ipv6.pcap");
        }
        let jsonl = run(&[args.as_slice(), &[&"-f", &"jsonl"]].concat());
        assert_eq!(jsonl.status.code(), Some(0), "{}", text(&jsonl.stderr));
        assert!(
            records(&jsonl).iter().any(|r| r["file"] == shown.as_str()),
            "{}",
            text(&jsonl.stdout)
        );
        let summary = run(&[args.as_slice(), &[&"--summary", &"-f", &"jsonl"]].concat());
        let first: Value =
            serde_json::from_str(text(&summary.stdout).lines().next().expect("a record"))
                .expect("json");
        assert_eq!(first["file"], shown.as_str());
        assert_eq!(first["first_reply_file"], shown.as_str());
        let csv = run(&[args.as_slice(), &[&"-f", &"csv"]].concat());
        assert!(text(&csv.stdout).contains(&shown), "{}", text(&csv.stdout));
        // (The summary lists the files when there are several.)
        let table = run(&[args.as_slice(), &[&"--summary"]].concat());
        assert_eq!(
            text(&table.stdout).contains(&shown),
            many,
            "{}",
            text(&table.stdout)
        );
    }
}

#[test]
fn the_same_file_given_twice_is_said_once() {
    let dir = scratch("twice");
    let a = dir.join("a.pcap");
    std::fs::copy("fixtures/udp.pcap", &a).expect("a copy");
    let link = dir.join("link.pcap");
    std::os::unix::fs::symlink(&a, &link).expect("a link");
    let out = run(&[&a, &"fixtures/ipv6.pcap", &link, &"--summary"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("a.pcap is given again as ") && err.contains("link.pcap: the same file"),
        "{err}"
    );
    // Read twice all the same, as mergecap would.
    assert!(
        text(&out.stdout).contains("6 datagrams"),
        "{}",
        text(&out.stdout)
    );
    // A copy is another file: nothing to say.
    let copy = dir.join("copy.pcap");
    std::fs::copy(&a, &copy).expect("a copy");
    let out = run(&[&a, &copy, &"--summary"]);
    assert_eq!(text(&out.stderr), "");
}

/// The summary's key to the `FILE:FRAME` notation is told with a frame of this capture: the first
/// datagram of a conversation that begins past the first file (the lab's mixed capture cut in
/// three files of five frames, as README shows it). With no datagram at all, it says the notation
/// in words, naming no frame.
#[test]
fn the_key_to_frame_numbers_names_a_frame_of_this_capture() {
    let dir = scratch("legend");
    let (header, frames) = pcap_records(&std::fs::read("fixtures/mixed.pcap").expect("mixed.pcap"));
    let parts: Vec<PathBuf> = frames
        .chunks(5)
        .enumerate()
        .map(|(i, chunk)| {
            let path = dir.join(format!("part{i}.pcap"));
            write_pcap(&path, &header, &chunk.iter().collect::<Vec<_>>());
            path
        })
        .collect();
    assert_eq!(parts.len(), 3);
    let out = run(&[&parts[0], &parts[1], &parts[2], &"--summary"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    let key = summary
        .lines()
        .find_map(|l| l.strip_prefix("  (frame "))
        .unwrap_or_else(|| panic!("a key to frame numbers in\n{summary}"));
    // "F:N is frame N of file F)"
    let (id, rest) = key.split_once(' ').expect("an id");
    let (file, frame) = id.split_once(':').expect("FILE:FRAME");
    assert_eq!(rest, format!("is frame {frame} of file {file})"));
    let (file, frame): (usize, u64) = (
        file.parse().expect("a file"),
        frame.parse().expect("a frame"),
    );
    assert!(file > 1, "a conversation begins past the first file: {key}");
    // That frame exists, and is the first datagram of a conversation.
    let jsonl = records(&run(&[&parts[0], &parts[1], &parts[2], &"-f", &"jsonl"]));
    let name = parts[file - 1].display().to_string();
    let first = jsonl
        .iter()
        .find(|r| r["file"] == name.as_str() && r["frame"] == frame)
        .unwrap_or_else(|| panic!("frame {id} among the datagrams"));
    let conv = &first["conv"];
    assert_eq!(
        jsonl
            .iter()
            .find(|r| &r["conv"] == conv)
            .map(|r| &r["frame"]),
        Some(&first["frame"]),
        "frame {id} begins its conversation"
    );
    // No datagram: the notation in words.
    let empty = dir.join("empty.pcap");
    let other = dir.join("other.pcap");
    write_pcap(&empty, &header, &[]);
    write_pcap(&other, &header, &[]);
    let out = run(&[&empty, &other, &"--summary"]);
    let summary = text(&out.stdout);
    assert!(
        summary.contains("  (a frame is written FILE:FRAME, its number in its file)"),
        "{summary}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A rotation may cut a datagram's fragments between two files: the merge reassembles in merged
/// order, so each capture with fragments, cut after every frame or every second one, reads as
/// the capture it was cut from (tshark on mergecap's output rebuilds them too).
#[test]
fn fragments_cut_between_files_are_reassembled_as_in_the_whole_capture() {
    let dir = scratch("fragments");
    for fixture in [
        "fragments.pcap",
        "ipv6-fragments.pcap",
        "lab/lab-fragments.pcap",
        "lab/lab-fragments-ipv6.pcap",
        "hostile/overlapping-fragments.pcap",
    ] {
        let whole = Path::new("fixtures").join(fixture);
        let (header, frames) = pcap_records(&std::fs::read(&whole).expect("a fixture"));
        let reassembled = records(&run(&[&whole, &"-f", &"jsonl"]))
            .iter()
            .filter(|r| r["reassembled"] == true)
            .count();
        assert!(
            reassembled > 0,
            "{fixture}: a datagram rebuilt from fragments"
        );
        for each in [1, 2] {
            let set = dir.join(format!("{}-{each}", fixture.replace('/', "-")));
            std::fs::create_dir_all(&set).expect("dir");
            for (i, chunk) in frames.chunks(each).enumerate() {
                let part = set.join(format!("part{i:03}.pcap"));
                write_pcap(&part, &header, &chunk.iter().collect::<Vec<_>>());
            }
            same_as_unsplit(&set, &whole);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Many files read as one capture are read as oneway reads mergecap's merge of them, fragments
/// included: the same traffic captured on two interfaces (`lo` and `any`, fragmented datagrams
/// among it) pools the fragments of each datagram as one capture of both would.
#[test]
fn captures_of_two_interfaces_read_as_their_mergecap() {
    if !util::tool("mergecap", "wireshark-common") {
        return;
    }
    let dir = scratch("interfaces");
    let files = [
        "fixtures/real-lo.pcap",
        "fixtures/real-any.pcap",
        "fixtures/real-editcap.pcapng",
    ];
    let merged = dir.join("merged.pcapng");
    let status = Command::new("mergecap")
        .arg("-w")
        .arg(&merged)
        .args(files)
        .status()
        .expect("mergecap runs");
    assert!(status.success());
    // In time order (mergecap takes the later file first on equal times), without places.
    let datagrams = |args: &[&dyn AsRef<std::ffi::OsStr>]| {
        let mut rows: Vec<String> = records(&run(args))
            .into_iter()
            .map(|r| {
                let time = r["time"].to_string();
                format!("{time} {}", placeless(r))
            })
            .collect();
        rows.sort();
        rows
    };
    let ours = datagrams(&[&files[0], &files[1], &files[2], &"-f", &"jsonl"]);
    assert!(ours.iter().any(|r| r.contains("\"reassembled\":true")));
    assert_eq!(ours, datagrams(&[&merged, &"-f", &"jsonl"]));
    let _ = std::fs::remove_dir_all(&dir);
}
