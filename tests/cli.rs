//! The command line as a user meets it: `oneway inspect` on good, bad and huge input, run as the
//! real binary.

mod util;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn oneway(args: &[&str]) -> Output {
    util::oneway().args(args).output().expect("oneway runs")
}

fn oneway_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = util::oneway()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("oneway runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("oneway ends");
    feeder.join().expect("feeder");
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8")
}

/// Exactly one diagnostic line, `oneway: ...`, containing `needle`.
fn one_error_line(out: &Output, needle: &str) {
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "stderr: {err}");
    assert!(err.starts_with("oneway: "), "stderr: {err}");
    assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
}

#[test]
fn jsonl_of_the_lab_capture_is_exactly_two_lines() {
    let out = oneway(&["inspect", "--format", "jsonl", "fixtures/udp.pcap"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with(r#"{"frame":1,"time":"2025-09-15T11:20:53.709480000Z","#));
    assert!(lines[1].starts_with(r#"{"frame":2,"time":"2025-09-15T11:20:53.709763000Z","#));
    // "Hello, UDP server2!" and the lab's reply, in hex.
    assert!(
        lines[0].contains(
            r#","payload":"48656c6c6f2c20554450207365727665723221","reassembled":false,"#
        )
    );
    assert!(lines[0].contains(r#","text":"Hello, UDP server2!","conv":1,"reply_to":null,"#));
    assert!(lines[1].contains(r#","conv":1,"reply_to":1,"rtt_ns":283000,"repeat_of":null,"#));
    assert!(lines[1].ends_with(
        r#","icmp":null,"file":"fixtures/udp.pcap","reply_to_file":"fixtures/udp.pcap","repeat_of_file":null}"#
    ));
    let reply: serde_json::Value = serde_json::from_str(lines[1]).expect("JSON");
    let hex = reply["payload"].as_str().expect("payload");
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    assert_eq!(
        bytes,
        b"Hello, ('172.19.0.3', 57314). You said: Hello, UDP server2!"
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn the_table_tells_the_lab_story() {
    let out = oneway(&["inspect", "fixtures/udp.pcap"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    for needle in [
        "172.19.0.3:57314 <-> 172.19.0.2:12345",
        "reply to 1 after 0.283 ms",
        "in the very first packet: no handshake",
        "Not UDP: 4 frames (ARP: 4)",
        "1 conversation",
    ] {
        assert!(s.contains(needle), "missing {needle:?} in\n{s}");
    }
}

#[test]
fn stdin_reads_like_a_file() {
    let capture = std::fs::read("fixtures/udp.pcap").expect("fixture");
    for format in ["jsonl", "csv"] {
        let from_file = oneway(&["inspect", "-f", format, "fixtures/udp.pcap"]);
        let from_stdin = oneway_stdin(&["inspect", "-f", format, "-"], &capture);
        assert!(from_stdin.status.success());
        // The same records, but for the input they name (`-`: stdin).
        assert_eq!(
            text(&from_file.stdout).replace("fixtures/udp.pcap", "-"),
            text(&from_stdin.stdout),
            "{format}"
        );
    }
    // A pipe streams: the table's widths are chosen up front (payload and note cut to fit), the
    // summary is the same.
    let (file, pipe) = (
        text(&oneway(&["inspect", "fixtures/udp.pcap"]).stdout),
        text(&oneway_stdin(&["inspect", "-"], &capture).stdout),
    );
    let summary = |s: &str| s[s.find("\nCapture:").expect("summary")..].to_string();
    assert_eq!(summary(&file), summary(&pipe));
    assert!(
        pipe.contains("| Hello, ('172.19.0.3', 57314).... | reply to 1 after 0.283 ms "),
        "{pipe}"
    );
    // stdin redirected from a file reads like the file.
    let redirected = Command::new(env!("CARGO_BIN_EXE_oneway"))
        .arg("inspect")
        .stdin(std::fs::File::open("fixtures/udp.pcap").expect("fixture"))
        .output()
        .expect("oneway runs");
    assert_eq!(text(&redirected.stdout), file);
    // No FILE at all means stdin too.
    let implicit = oneway_stdin(&["inspect", "-f", "jsonl"], &capture);
    assert_eq!(text(&implicit.stdout).lines().count(), 2);
}

#[test]
fn filters_keep_datagrams_with_either_end_matching() {
    let count = |args: &[&str]| {
        let mut argv = vec!["inspect", "-f", "jsonl", "fixtures/mixed.pcap"];
        argv.extend_from_slice(args);
        let out = oneway(&argv);
        assert!(out.status.success());
        text(&out.stdout).lines().count()
    };
    let all = count(&[]);
    assert_eq!(all, 8);
    assert_eq!(count(&["--port", "53"]), 2);
    assert_eq!(count(&["--port", "53", "--port", "9999"]), 3);
    assert_eq!(count(&["--host", "192.0.2.53"]), 2);
    assert_eq!(count(&["--host", "10.0.0.1", "--port", "53"]), 2);
    assert_eq!(count(&["--port", "1"]), 0);
    let summary = oneway(&["inspect", "fixtures/mixed.pcap", "--port", "53"]);
    assert!(text(&summary.stdout).contains("Left out by --port/--host: 6 UDP datagrams"));
}

/// Conversation ids belong to the capture, not to the filter (issue 13): the DNS exchange of
/// `mixed.pcap` is conversation 3 with and without `--port 53`, in every view.
#[test]
fn conversation_ids_are_the_same_under_a_filter() {
    let run = |args: &[&str]| {
        let mut argv = vec!["inspect", "fixtures/mixed.pcap"];
        argv.extend_from_slice(args);
        oneway(&argv)
    };
    for filter in [&[][..], &["--port", "53"], &["--host", "192.0.2.53"]] {
        let table = text(&run(filter).stdout);
        // Its two datagrams' rows, and its row among the conversations.
        let rows: Vec<&str> = table
            .lines()
            .filter(|l| l.starts_with('|') && l.contains(":53 "))
            .collect();
        assert_eq!(rows.len(), 3, "{filter:?}: {table}");
        assert!(
            rows.iter().all(|r| r.contains("|    3 |")),
            "{filter:?}: {rows:?}"
        );
        let summary = text(&run(&[filter, &["--summary", "-f", "jsonl"][..]].concat()).stdout);
        let dns = summary.lines().find(|l| l.contains(r#""bport":53,"#));
        assert!(
            dns.is_some_and(|l| l.starts_with(r#"{"conversation":3,"#)),
            "{filter:?}: {summary}"
        );
        let follow = run(&[filter, &["--follow", "3"][..]].concat());
        assert!(text(&follow.stdout).starts_with("Conversation 3: A = 10.0.0.1:53000"));
    }
    // Only what the filter keeps is shown; a conversation it leaves out is said to be.
    let summary = text(&run(&["--port", "53", "--summary", "-f", "jsonl"]).stdout);
    assert_eq!(summary.lines().count(), 1, "{summary}");
    let other = run(&["--port", "53", "--follow", "1"]);
    assert_eq!(other.status.code(), Some(1));
    assert!(text(&other.stderr).contains("conversation 1 is left out by --port/--host"));
}

#[test]
fn not_a_capture_is_one_line_and_exit_1() {
    let out = oneway(&["inspect", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    one_error_line(&out, "not a pcap or pcapng capture");

    let out = oneway_stdin(&["inspect", "-"], b"");
    assert_eq!(out.status.code(), Some(1));
    one_error_line(&out, "empty");

    let out = oneway(&["inspect", "fixtures/no-such-file.pcap"]);
    assert_eq!(out.status.code(), Some(1));
    one_error_line(&out, "cannot open fixtures/no-such-file.pcap");

    let header_only = &std::fs::read("fixtures/udp.pcap").expect("fixture")[..10];
    let out = oneway_stdin(&["inspect", "-"], header_only);
    assert_eq!(out.status.code(), Some(1));
    one_error_line(&out, "header");
}

#[test]
fn a_cut_capture_lists_everything_before_the_cut() {
    let capture = std::fs::read("fixtures/udp.pcap").expect("fixture");
    // Frame 1 ends at 24 + 16 + 61 = 101; frame 2 at 101 + 16 + 101 = 218.
    for (cut, rows) in [(101, 1), (150, 1), (218, 2), (230, 2)] {
        let out = oneway_stdin(&["inspect", "-f", "jsonl", "-"], &capture[..cut]);
        assert_eq!(text(&out.stdout).lines().count(), rows, "cut at {cut}");
        if cut == 101 || cut == 218 {
            assert!(out.status.success(), "a cut between records is a clean end");
        } else {
            assert_eq!(out.status.code(), Some(1), "cut at {cut}");
            one_error_line(&out, "byte offset");
        }
    }
}

#[test]
fn usage_errors_exit_2() {
    for argv in [
        &["inspect", "--format", "xml", "fixtures/udp.pcap"][..],
        &["inspect", "--port", "70000"],
        &["inspect", "--host", "not-an-address"],
        &["frobnicate"],
    ] {
        let out = oneway(argv);
        assert_eq!(out.status.code(), Some(2), "{argv:?}");
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let out = oneway(&["--help"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.contains("Exit codes"), "{s}");
}

/// Writes a capture of `n` datagrams (Ethernet, IPv4) to a temporary file.
fn big_capture(n: u32) -> std::path::PathBuf {
    use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
    let path = std::env::temp_dir().join(format!("oneway-cli-big-{}-{n}.pcap", std::process::id()));
    let file = std::fs::File::create(&path).expect("temp file");
    let header = PcapHeader {
        datalink: pcap_file::DataLink::ETHERNET,
        ..Default::default()
    };
    let mut w = PcapWriter::with_header(std::io::BufWriter::new(file), header).expect("writer");
    for i in 0..n {
        let mut frame = Vec::new();
        etherparse::PacketBuilder::ethernet2([2; 6], [4; 6])
            .ipv4([10, 0, (i >> 8) as u8, i as u8], [10, 1, 0, 1], 64)
            .udp(40000 + (i % 1000) as u16, 12345)
            .write(&mut frame, b"payload")
            .expect("packet");
        let ts = Duration::from_micros(1_757_935_253_000_000 + u64::from(i));
        let len = frame.len() as u32;
        w.write_packet(&PcapPacket::new(ts, len, frame.as_slice()).expect("packet"))
            .expect("write");
    }
    drop(w);
    path
}

#[test]
fn a_closed_pipe_ends_quietly_and_early() {
    let path = big_capture(200_000);
    for format in ["table", "jsonl", "csv"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_oneway"))
            .args(["inspect", "-f", format])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("oneway runs");
        let started = Instant::now();
        {
            // Like `| head -n 3`.
            let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
            let mut line = String::new();
            for _ in 0..3 {
                line.clear();
                reader.read_line(&mut line).expect("a line");
            }
        }
        let out = child.wait_with_output().expect("oneway ends");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            text(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{format}: {}", text(&out.stderr));
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{format}: did not stop early"
        );
    }
    let _ = std::fs::remove_file(path);
}

#[test]
fn follow_one_conversation() {
    let out = oneway(&["inspect", "fixtures/mixed.pcap", "--follow", "3"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(
        s.starts_with("Conversation 3: A = 10.0.0.1:53000, B = 192.0.2.53:53\n"),
        "{s}"
    );
    assert!(s.contains("A->B  frame 4"), "{s}");
    assert!(
        s.contains("B->A  frame 8  0.002020  45 bytes  reply to frame 4 after 1.500 ms"),
        "{s}"
    );
    assert!(
        s.ends_with("A->B: 1 datagram, 29 bytes; B->A: 1 datagram, 45 bytes\n"),
        "{s}"
    );
    // Machine formats keep their records, only that conversation's.
    let out = oneway(&[
        "inspect",
        "fixtures/mixed.pcap",
        "--follow",
        "3",
        "-f",
        "jsonl",
    ]);
    let frames: Vec<u64> = text(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON")["frame"]
                .as_u64()
                .expect("frame")
        })
        .collect();
    assert_eq!(frames, [4, 8]);
    let out = oneway(&["inspect", "fixtures/mixed.pcap", "--follow", "99"]);
    assert_eq!(out.status.code(), Some(1));
    one_error_line(&out, "there is no conversation 99 (it has 5)");
}

#[test]
fn time_column_formats() {
    let table = |mode: &str| {
        let out = oneway(&["inspect", "fixtures/udp.pcap", "--time", mode]);
        assert!(out.status.success());
        text(&out.stdout)
    };
    assert!(table("relative").contains("| 2 | 0.000283 |"));
    assert!(table("absolute").contains("| 2 | 2025-09-15T11:20:53.709763000Z |"));
    assert!(table("delta").contains("| 2 | +0.000283 |"));
    // Never local time.
    let out = Command::new(env!("CARGO_BIN_EXE_oneway"))
        .args(["inspect", "fixtures/udp.pcap", "--time", "absolute"])
        .env("TZ", "Asia/Kolkata")
        .output()
        .expect("runs");
    assert_eq!(text(&out.stdout), table("absolute"));
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let dir = std::env::temp_dir().join(format!("oneway-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for fixture in ["udp.pcap", "control-bytes.pcap", "mixed.pcap"] {
        let page = dir.join(format!("{fixture}.html"));
        let out = oneway(&[
            "inspect",
            &format!("fixtures/{fixture}"),
            "--html",
            page.to_str().expect("path"),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let html = std::fs::read_to_string(&page).expect("page written");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<svg"), "{fixture}");
        assert!(!html.contains("<script"), "{fixture}: no scripts");
        assert!(!html.contains('\u{1b}'), "{fixture}: raw ESC");
        // Links stay inside the page (`href="#f3"`); nothing is fetched.
        let outside = html
            .match_indices("href=\"")
            .any(|(i, _)| !html[i + 6..].starts_with('#'));
        assert!(
            !html.contains("src=") && !outside,
            "{fixture}: external resource"
        );
    }
    let lab = std::fs::read_to_string(dir.join("udp.pcap.html")).expect("page");
    assert!(lab.contains("reply to 1 after 0.283 ms"));
    assert!(lab.contains("Hello, (&#39;172.19.0.3&#39;, 57314). You said:"));
    let _ = std::fs::remove_dir_all(dir);
}

/// One frame of [`udp_capture`]: seconds, microseconds, src, sport, dst, dport, payload.
type UdpFrame<'a> = (u32, u32, [u8; 4], u16, [u8; 4], u16, &'a [u8]);

/// A pcap of Ethernet/IPv4/UDP frames.
fn udp_capture(frames: &[UdpFrame<'_>]) -> Vec<u8> {
    let mut f = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    f.extend(65_535u32.to_le_bytes());
    f.extend(1u32.to_le_bytes());
    for (secs, us, src, sport, dst, dport, payload) in frames {
        let udp_len = 8 + payload.len() as u16;
        let mut p = vec![0x02, 0, 10, 0, 0, 2, 0x02, 0, 10, 0, 0, 1, 0x08, 0x00];
        p.extend([0x45, 0]);
        p.extend((20 + udp_len).to_be_bytes());
        p.extend([0, 1, 0, 0, 64, 17, 0, 0]);
        p.extend(src);
        p.extend(dst);
        p.extend(sport.to_be_bytes());
        p.extend(dport.to_be_bytes());
        p.extend(udp_len.to_be_bytes());
        p.extend([0, 0]);
        p.extend(*payload);
        f.extend((1_757_935_253 + secs).to_le_bytes());
        f.extend(us.to_le_bytes());
        f.extend((p.len() as u32).to_le_bytes());
        f.extend((p.len() as u32).to_le_bytes());
        f.extend(p);
    }
    f
}

/// A reply pairs with the latest try, and every view says so alike (issue 13): three identical
/// requests a second apart, then an answer 1 ms after the last.
#[test]
fn a_reply_pairs_with_the_latest_try_in_every_view() {
    let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let ask: &[u8] = b"who is there?";
    let capture = std::env::temp_dir().join(format!("oneway-retries-{}.pcap", std::process::id()));
    std::fs::write(
        &capture,
        udp_capture(&[
            (0, 0, c, 40000, s, 53, ask),
            (1, 0, c, 40000, s, 53, ask),
            (2, 0, c, 40000, s, 53, ask),
            (2, 1000, s, 53, c, 40000, b"me"),
        ]),
    )
    .expect("temp dir is writable");
    let capture = capture.to_str().expect("UTF-8 temp path");
    let note = "after 1.000 ms (2 retries before it, first try 2.001 s earlier)";
    let table = text(&oneway(&["inspect", capture]).stdout);
    assert!(table.contains(&format!("reply to 3 {note}")), "{table}");
    let follow = text(&oneway(&["inspect", capture, "--follow", "1"]).stdout);
    assert!(
        follow.contains(&format!("reply to frame 3 {note}")),
        "{follow}"
    );
    let summary = text(&oneway(&["inspect", capture, "--summary"]).stdout);
    assert!(
        summary.contains(
            "frame 4: 10.0.0.2:53 replied to frame 3 (from 10.0.0.1:40000) 1.000 ms later \
             (2 retries before it, first try 2.001 s earlier)."
        ),
        "{summary}"
    );
    assert!(
        summary.contains("|       1 |          0 |"),
        "1 reply, 0 unanswered: {summary}"
    );
    let records = text(&oneway(&["inspect", capture, "--summary", "--format", "jsonl"]).stdout);
    assert!(
        records.contains(
            r#""replies":1,"unanswered":0,"first_reply_frame":4,"first_reply_after_ns":1000000,"#
        ) && records.contains(
            r#""first_reply_to_frame":3,"first_reply_retries":2,"first_try_frame":1,"first_try_before_reply_ns":2001000000,"#
        ),
        "{records}"
    );
    let csv = text(&oneway(&["inspect", capture, "--summary", "--format", "csv"]).stdout);
    assert!(
        csv.contains(",1,0,4,1000000,3,2,1,2001000000,165,44,2,0,,,"),
        "{csv}"
    );
    let page = format!("{capture}.html");
    let out = oneway(&["inspect", capture, "--html", &page]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).expect("page written");
    assert!(
        html.contains(&format!("reply to 3 {note}")),
        "the arrow's label"
    );
    assert!(
        html.contains(&format!("frame 4 {note}")),
        "the conversations table"
    );
    let _ = std::fs::remove_file(page);
    let _ = std::fs::remove_file(capture);
}

#[test]
fn completions_and_man_page() {
    let out = oneway(&["completions", "bash"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("inspect"));
    let out = oneway(&["manpage"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains(".TH oneway 1"));
}

#[test]
fn color_is_for_terminals_and_only_for_our_own_words() {
    // Not a terminal: no color, whatever NO_COLOR says.
    let plain = oneway(&["inspect", "fixtures/control-bytes.pcap"]);
    assert!(!plain.stdout.contains(&0x1b));
    let never = oneway(&["inspect", "fixtures/control-bytes.pcap", "--color", "never"]);
    assert_eq!(plain.stdout, never.stdout);
    let always = oneway(&[
        "inspect",
        "fixtures/control-bytes.pcap",
        "--color",
        "always",
    ]);
    let s = text(&always.stdout);
    assert!(s.contains("\u{1b}[1mConversation 1:"), "{s}");
    // Table rows (payloads included) stay uncolored and escaped.
    for line in s.lines().filter(|l| l.starts_with('|')) {
        assert!(!line.contains('\u{1b}'), "{line}");
    }
    // Removing the color gives the plain output back.
    let stripped = s
        .replace("\u{1b}[0m", "")
        .replace("\u{1b}[1m", "")
        .replace("\u{1b}[31m", "")
        .replace("\u{1b}[32m", "")
        .replace("\u{1b}[33m", "")
        .replace("\u{1b}[34m", "");
    assert_eq!(stripped, text(&plain.stdout));
}

// ---- habits users bring (issue 14) -------------------------------------------------------------

#[test]
fn help_says_each_default_once() {
    for command in ["serve", "send", "inspect", "completions", "manpage"] {
        let out = oneway(&[command, "--help"]);
        assert!(out.status.success());
        // Wrapped lines joined, so that a repetition across a line break is seen too.
        let help = text(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!help.contains("] [default:"), "{command}: {help}");
        let defaults = help.matches("[default: ").count();
        let options = help.matches("  -").count() + help.matches(" --").count();
        assert!(defaults <= options, "{command}: {help}");
    }
}

#[test]
fn the_manual_documents_every_option_of_every_command() {
    use clap::CommandFactory;
    if !util::tool("man", "man-db") || !util::tool("col", "bsdextrautils") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("oneway-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = dir.join("oneway.1");
    let out = oneway(&["manpage"]);
    assert!(out.status.success());
    std::fs::write(&page, &out.stdout).expect("man page written");
    let shown = Command::new("sh")
        .arg("-c")
        .arg(format!("man -l {} | col -b", page.display()))
        .env("MANWIDTH", "200")
        .output()
        .expect("man runs");
    let _ = std::fs::remove_dir_all(&dir);
    let manual = text(&shown.stdout);
    // One page per command, each opening with NAME.
    let pages: Vec<&str> = manual.split("\nNAME\n").collect();
    let cli = oneway::cli::Cli::command();
    let mut missing = Vec::new();
    for sub in cli.get_subcommands() {
        let title = format!("oneway-{}", sub.get_name());
        let Some(page) = pages.iter().find(|p| p.trim_start().starts_with(&title)) else {
            missing.push(format!("no page for {title}"));
            continue;
        };
        for arg in sub.get_arguments().chain(cli.get_arguments()) {
            if let Some(long) = arg.get_long()
                && !page.contains(&format!("--{long}"))
            {
                missing.push(format!("{title}: --{long}"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}\n{manual}");
    // One command's page alone.
    let serve = oneway(&["manpage", "serve"]);
    assert!(serve.status.success());
    let serve = text(&serve.stdout);
    assert_eq!(serve.matches(".TH ").count(), 1, "{serve}");
    assert!(
        serve.contains("oneway\\-serve") && serve.contains("\\-\\-reply"),
        "{serve}"
    );
}

#[test]
fn dash_r_reads_a_file_as_tcpdump_and_tshark_do() {
    let plain = oneway(&["inspect", "fixtures/mixed.pcap"]);
    let r = oneway(&["inspect", "-r", "fixtures/mixed.pcap"]);
    let read = oneway(&["inspect", "--read", "fixtures/mixed.pcap", "-f", "jsonl"]);
    assert!(plain.status.success() && r.status.success() && read.status.success());
    assert_eq!(plain.stdout, r.stdout);
    assert_eq!(
        read.stdout,
        oneway(&["inspect", "fixtures/mixed.pcap", "-f", "jsonl"]).stdout
    );
    // Two captures named two ways is a usage error, not a silent choice.
    let both = oneway(&["inspect", "-r", "fixtures/udp.pcap", "fixtures/mixed.pcap"]);
    assert_eq!(both.status.code(), Some(2));
}

/// `bytes` gzip-compressed.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).expect("compress");
    z.finish().expect("compress")
}

/// jsonl or csv records without their last fields: `icmp` (an input that streams writes
/// each row when the input waits, and the ICMP error may come after) and `file`,
/// `reply_to_file`, `repeat_of_file` (the input's name). Summary records keep `icmp_errors` and lose `first_icmp` and `file`.
fn without_file(records: &str) -> String {
    records
        .lines()
        .map(|l| {
            if l.starts_with('{') {
                let at = l
                    .rfind(",\"icmp\":")
                    .or_else(|| l.rfind(",\"first_icmp\":"))
                    .unwrap_or(l.len() - 1);
                format!("{}}}\n", &l[..at])
            } else {
                let mut fields: Vec<&str> = l.split(',').collect();
                // (`icmp`, `file`, `reply_to_file`, `repeat_of_file`)
                fields.truncate(fields.len().saturating_sub(4));
                format!("{}\n", fields.join(","))
            }
        })
        .collect()
}

#[test]
fn gzip_compressed_captures_read_as_the_plain_ones() {
    let dir = std::env::temp_dir().join(format!("oneway-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for name in ["udp.pcap", "mixed.pcap", "two-sections.pcapng"] {
        let plain = std::fs::read(format!("fixtures/{name}")).expect("fixture");
        let gz = dir.join(format!("{name}.gz"));
        std::fs::write(&gz, gzip(&plain)).expect("written");
        let gz = gz.to_str().expect("path");
        for args in [
            &["-f", "jsonl"][..],
            &["-f", "csv"],
            &["--summary", "-f", "jsonl"],
        ] {
            let want = oneway(&[&["inspect", &format!("fixtures/{name}")][..], args].concat());
            let got = oneway(&[&["inspect", gz][..], args].concat());
            assert_eq!(got.status.code(), want.status.code(), "{name} {args:?}");
            // The same records, but for the input they name (the `file` field, last).
            assert_eq!(
                without_file(&text(&got.stdout)),
                without_file(&text(&want.stdout)),
                "{name} {args:?}"
            );
            let piped = oneway_stdin(&[&["inspect", "-"][..], args].concat(), &gzip(&plain));
            assert_eq!(
                without_file(&text(&piped.stdout)),
                without_file(&text(&want.stdout)),
                "{name} {args:?} piped"
            );
        }
        // The table says it was compressed; the rest is the plain capture's.
        let table = text(&oneway(&["inspect", gz]).stdout);
        assert!(table.contains(", gzip-compressed, "), "{table}");
    }
    // Cut short, a compressed capture still lists every datagram before the cut, then fails.
    let plain = std::fs::read("fixtures/mixed.pcap").expect("fixture");
    let full = text(&oneway(&["inspect", "-f", "jsonl", "fixtures/mixed.pcap"]).stdout);
    let whole = gzip(&plain);
    let cut = oneway_stdin(
        &["inspect", "-f", "jsonl", "-"],
        &whole[..whole.len() * 2 / 3],
    );
    assert_eq!(cut.status.code(), Some(1));
    let (full, got) = (without_file(&full), without_file(&text(&cut.stdout)));
    assert!(full.starts_with(&got) && got.lines().count() > 2, "{got}");
    one_error_line(&cut, "stdin");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn html_dash_writes_the_page_to_stdout() {
    // (A directory of its own: the other HTML test removes its own when done, and tests run at
    // once.)
    let dir = std::env::temp_dir().join(format!("oneway-html-dash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_oneway"))
        .args(["inspect", "--html", "-"])
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mixed.pcap"))
        .current_dir(&dir)
        .output()
        .expect("oneway runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(
        page.trim_end().ends_with("</html>"),
        "the page alone, no table after it"
    );
    assert!(!dir.join("-").exists(), "a file named - was written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_capture_on_a_terminal_is_a_usage_error_not_a_silent_wait() {
    // `script` gives oneway a pseudo-terminal as stdin, as a user's shell would.
    if !util::tool("script", "bsdutils") {
        return;
    }
    let started = Instant::now();
    let out = Command::new("timeout")
        .args(["10", "script", "-qec"])
        .arg(format!("{} inspect", env!("CARGO_BIN_EXE_oneway")))
        .arg("/dev/null")
        .stdin(Stdio::null())
        .output()
        .expect("script runs");
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("stdin is a terminal") && said.contains("-r FILE"),
        "{said}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn parquet_on_a_terminal_is_a_usage_error_and_goes_to_a_file_or_a_pipe() {
    // On a terminal (stdout here, through `script`), Parquet's bytes would be garbage: refused.
    if util::tool("script", "bsdutils") {
        let out = Command::new("timeout")
            .args(["10", "script", "-qec"])
            .arg(format!(
                "{} inspect fixtures/real-lo.pcap -f parquet",
                env!("CARGO_BIN_EXE_oneway")
            ))
            .arg("/dev/null")
            .stdin(Stdio::null())
            .output()
            .expect("script runs");
        let said = text(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{said}");
        assert!(said.contains("-o FILE"), "{said}");
    }
    // To a pipe, and with -o to a file: the same bytes, a Parquet file (magic at both ends).
    let piped = oneway(&["inspect", "fixtures/real-lo.pcap", "-f", "parquet"]);
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    assert!(piped.stdout.starts_with(b"PAR1") && piped.stdout.ends_with(b"PAR1"));
    let dir = std::env::temp_dir().join(format!("oneway-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lo.parquet");
    let out = oneway(&[
        "inspect",
        "fixtures/real-lo.pcap",
        "-f",
        "parquet",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success() && out.stdout.is_empty(), "{out:?}");
    assert_eq!(std::fs::read(&file).unwrap(), piped.stdout);
    // -o takes every format; a capture that cannot be opened leaves no file behind.
    let jsonl = dir.join("lo.jsonl");
    let out = oneway(&[
        "inspect",
        "fixtures/real-lo.pcap",
        "-f",
        "jsonl",
        "-o",
        jsonl.to_str().unwrap(),
    ]);
    assert!(out.status.success() && out.stdout.is_empty(), "{out:?}");
    let want = oneway(&["inspect", "fixtures/real-lo.pcap", "-f", "jsonl"]).stdout;
    assert_eq!(std::fs::read(&jsonl).unwrap(), want);
    let missing = dir.join("none.parquet");
    let out = oneway(&[
        "inspect",
        "fixtures/no-such.pcap",
        "-f",
        "parquet",
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    one_error_line(&out, "no-such.pcap");
    assert!(!missing.exists());
    // A directory that cannot be written: one line naming the file, exit 1.
    let out = oneway(&[
        "inspect",
        "fixtures/real-lo.pcap",
        "-f",
        "parquet",
        "-o",
        "/nonexistent-dir/x.parquet",
    ]);
    assert_eq!(out.status.code(), Some(1));
    one_error_line(&out, "cannot write /nonexistent-dir/x.parquet");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The header and the records of a little-endian microsecond pcap.
fn pcap_records(path: &str) -> (Vec<u8>, Vec<Vec<u8>>) {
    let bytes = std::fs::read(path).expect("fixture");
    assert_eq!(
        bytes[..4],
        [0xd4, 0xc3, 0xb2, 0xa1],
        "{path}: little-endian pcap"
    );
    let mut records = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let incl = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().expect("4 bytes"));
        let end = at + 16 + incl as usize;
        records.push(bytes[at..end].to_vec());
        at = end;
    }
    (bytes[..24].to_vec(), records)
}

/// The frame number a line of output is about: a jsonl object's `frame`, a csv record's first
/// field, a table row's `#` (`None` for anything else: headers, borders).
fn frame_of(format: &str, line: &str) -> Option<u64> {
    match format {
        "jsonl" => line
            .strip_prefix("{\"frame\":")
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse().ok()),
        "csv" => line.split(',').next().and_then(|n| n.parse().ok()),
        _ => line
            .strip_prefix('|')
            .and_then(|r| r.split('|').next())
            .and_then(|n| n.trim().parse().ok()),
    }
}

/// A running `oneway inspect` reading a pipe, and its stdout line by line.
struct Streaming {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Streaming {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_oneway"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("oneway runs");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Streaming {
            child,
            stdin,
            lines,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("oneway reads");
        stdin.flush().expect("flush");
    }

    /// The next line, within `LINE_TIMEOUT`.
    fn line(&self, waiting_for: &str) -> String {
        self.lines
            .recv_timeout(LINE_TIMEOUT)
            .unwrap_or_else(|e| panic!("no line within {LINE_TIMEOUT:?} ({e}) for {waiting_for}"))
    }

    /// Every line left, once oneway ended (within `LINE_TIMEOUT`), and its exit code.
    fn finish(mut self) -> (Vec<String>, Option<i32>) {
        let mut rest = Vec::new();
        let deadline = Instant::now() + LINE_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => rest.push(l),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(e) => {
                    let _ = self.child.kill();
                    panic!("oneway did not end: {e}; got {rest:?}");
                }
            }
        }
        // stdout closed: the process is ending.
        let status = self.child.wait().expect("wait");
        (rest, status.code())
    }
}

/// How long a line may take at most before the test fails (the target is 100 ms; the machine
/// may be loaded, so the bound that fails is looser, and the worst case is printed).
const LINE_TIMEOUT: Duration = Duration::from_secs(10);

#[test]
fn a_pipe_streams_each_line_before_the_next_record_is_written() {
    for (fixture, format) in [
        ("fixtures/mixed.pcap", "jsonl"),
        ("fixtures/mixed.pcap", "csv"),
        ("fixtures/mixed.pcap", "table"),
        ("fixtures/fragments.pcap", "table"),
        ("fixtures/udp.pcap", "jsonl"),
    ] {
        // Which frames have a line, from the same capture read as a file.
        let whole = text(&oneway(&["inspect", "-f", format, fixture]).stdout);
        // (The table's rows, not the summary's.)
        let listing = whole.split("\nCapture:").next().unwrap_or_default();
        let mut expected: Vec<u64> = listing
            .lines()
            .filter_map(|l| frame_of(format, l))
            .collect();
        assert!(!expected.is_empty(), "{fixture}: no lines to stream");
        let (header, records) = pcap_records(fixture);
        let mut s = Streaming::start(&["inspect", "-f", format, "-"]);
        s.write(&header);
        if format == "csv" {
            assert!(s.line("the csv header").starts_with("frame,"));
        }
        let mut worst = Duration::ZERO;
        for (i, record) in records.iter().enumerate() {
            let frame = i as u64 + 1;
            let sent = Instant::now();
            s.write(record);
            while expected.first() == Some(&frame) {
                let line = s.line(&format!("{fixture} {format} frame {frame}"));
                if let Some(got) = frame_of(format, &line) {
                    assert_eq!(got, frame, "{fixture} {format}: {line}");
                    expected.remove(0);
                    worst = worst.max(sent.elapsed());
                }
            }
        }
        assert!(expected.is_empty());
        eprintln!("{fixture} {format}: slowest line {worst:?} after its record");
        drop(s.stdin.take());
        let (rest, code) = s.finish();
        assert_eq!(code, Some(0), "{fixture} {format}");
        let rows_left = rest.iter().take_while(|l| !l.starts_with("Capture:"));
        assert!(
            rows_left.clone().all(|l| frame_of(format, l).is_none()),
            "{rest:?}"
        );
        if format == "table" {
            // The bottom border, a blank line, and the summary as from the file.
            let summary = &whole[whole.find("\nCapture:").expect("summary")..];
            assert_eq!(
                rest.join("\n") + "\n",
                format!("{}\n{summary}", rest[0]),
                "{fixture}"
            );
        }
    }
}

#[test]
fn sigterm_ends_a_stream_with_its_summary() {
    let (header, records) = pcap_records("fixtures/udp.pcap");
    let mut s = Streaming::start(&["inspect", "-"]);
    s.write(&header);
    s.write(&records[0]);
    // The table's header, then the row.
    let row = loop {
        let l = s.line("the first row");
        if frame_of("table", &l).is_some() {
            break l;
        }
    };
    assert!(row.contains("Hello, UDP server2!"), "{row}");
    // The writer is still there, the pipe open: only the signal ends it.
    let kill = Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let (rest, code) = s.finish();
    assert_eq!(code, Some(0), "{rest:?}");
    let all = rest.join("\n");
    assert!(
        all.contains("UDP: 1 datagram, 19 bytes of payload, 1 conversation"),
        "{all}"
    );
}

#[test]
fn a_fifo_streams_too() {
    let dir = std::env::temp_dir().join(format!("oneway-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let fifo = dir.join("capture.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        assert!(std::env::var_os("CI").is_none(), "CI, and no mkfifo");
        eprintln!("skipped: no mkfifo");
        return;
    }
    let (header, records) = pcap_records("fixtures/udp.pcap");
    let mut s = Streaming::start(&["inspect", "-f", "jsonl", fifo.to_str().expect("UTF-8")]);
    // Opening the FIFO for writing waits for oneway to open it for reading: bounded by oneway.
    let mut writer = std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .expect("the FIFO opens");
    writer.write_all(&header).expect("write");
    writer.write_all(&records[0]).expect("write");
    writer.flush().expect("flush");
    let line = s.line("frame 1 through the FIFO");
    assert_eq!(frame_of("jsonl", &line), Some(1), "{line}");
    drop(writer);
    drop(s.stdin.take());
    let (rest, code) = s.finish();
    assert_eq!((rest.len(), code), (0, Some(0)), "{rest:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
