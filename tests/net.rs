//! Loopback tests of `oneway serve` and `oneway send`: the real binary, real sockets on
//! 127.0.0.1 and ::1 only, and real peers (python3, socat, nc) when they are installed.
//!
//! Everything is bounded in time: child processes are killed when their guard drops, every read
//! of a child's output or of a socket gives up after [`LIMIT`], and nothing waits on a sleep: the
//! server's port is read from its "listening on" line, which it prints once the socket is bound.

mod util;

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// The longest any single step may take before the test fails.
const LIMIT: Duration = Duration::from_secs(10);
const LAB_MESSAGE: &str = "Hello, UDP server2!";

/// A child process, killed and reaped when dropped, whose stdout and stderr arrive line by line.
struct Proc {
    child: Child,
    out: Receiver<String>,
    err: Receiver<String>,
}

impl Proc {
    fn spawn(cmd: &mut Command, stdin: Option<&[u8]>) -> Proc {
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
        if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
            let bytes = bytes.to_vec();
            thread::spawn(move || pipe.write_all(&bytes));
        }
        let out = util::lines(child.stdout.take().expect("piped"));
        let err = util::lines(child.stderr.take().expect("piped"));
        Proc { child, out, err }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line of `rx`, failing the test after [`LIMIT`].
    fn next(rx: &Receiver<String>, what: &str) -> String {
        rx.recv_timeout(LIMIT)
            .unwrap_or_else(|e| panic!("no {what} line within {LIMIT:?}: {e}"))
    }

    fn out_line(&self) -> String {
        Self::next(&self.out, "stdout")
    }

    fn err_line(&self) -> String {
        Self::next(&self.err, "stderr")
    }

    /// Waits (polling, bounded) for the process to exit.
    fn wait(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                start.elapsed() < LIMIT,
                "process still running after {LIMIT:?}"
            );
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// All remaining lines of `rx`, once the process has closed it.
    fn rest(rx: &Receiver<String>) -> Vec<String> {
        let deadline = Instant::now() + LIMIT;
        let mut v = Vec::new();
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(l) => v.push(l),
                Err(RecvTimeoutError::Disconnected) => return v,
                Err(RecvTimeoutError::Timeout) => panic!("output not closed within {LIMIT:?}"),
            }
        }
    }

    /// Waits for the exit, then returns the status and the rest of stdout and stderr.
    fn finish(mut self) -> Finished {
        let start = Instant::now();
        let status = self.wait();
        let elapsed = start.elapsed();
        Finished {
            code: status.code(),
            out: Self::rest(&self.out),
            err: Self::rest(&self.err),
            elapsed,
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a finished process left.
#[derive(Debug)]
struct Finished {
    code: Option<i32>,
    out: Vec<String>,
    err: Vec<String>,
    elapsed: Duration,
}

/// A running `oneway serve` and the port it listens on.
struct Server {
    proc: Proc,
    port: u16,
}

impl Server {
    /// Starts `oneway serve --bind ADDR --port 0 ARGS…` and reads its port from the listening line.
    fn start(bind: &str, args: &[&str]) -> Server {
        let proc = Proc::spawn(
            util::oneway()
                .args(["serve", "--bind", bind, "--port", "0"])
                .args(args),
            None,
        );
        let line = proc.err_line();
        let port = line
            .strip_prefix("oneway: listening on ")
            .and_then(|s| s.split_once(" (udp)"))
            .and_then(|(s, _)| s.parse::<SocketAddr>().ok())
            .unwrap_or_else(|| panic!("not a listening line: {line:?}"))
            .port();
        assert_ne!(port, 0);
        Server { proc, port }
    }

    fn v4(args: &[&str]) -> Server {
        Self::start("127.0.0.1", args)
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

/// Runs `oneway ARGS…` to its end (bounded), with `stdin` if given.
fn oneway(args: &[&str], stdin: Option<&[u8]>) -> Finished {
    Proc::spawn(util::oneway().args(args), stdin).finish()
}

/// A UDP socket on `ip`:0 whose reads give up after [`LIMIT`].
fn socket(ip: &str) -> UdpSocket {
    let s = UdpSocket::bind((ip, 0)).expect("bind a test socket");
    s.set_read_timeout(Some(LIMIT)).expect("read timeout");
    s
}

fn port_of(s: &UdpSocket) -> u16 {
    s.local_addr().expect("local addr").port()
}

/// `recv_from`, retried when a signal (a child's SIGCHLD) interrupts it.
fn recv(s: &UdpSocket, buf: &mut [u8]) -> (usize, SocketAddr) {
    loop {
        match s.recv_from(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => return r.expect("a datagram within LIMIT"),
        }
    }
}

/// Sends `msg` to the server and returns the reply.
fn ask(client: &UdpSocket, port: u16, msg: &[u8]) -> Vec<u8> {
    let ip = client.local_addr().expect("local addr").ip();
    client.send_to(msg, (ip, port)).expect("send_to");
    let mut buf = vec![0; 65_535];
    let (n, _) = recv(client, &mut buf);
    buf.truncate(n);
    buf
}

/// Asserts that no datagram is queued on `s` right now.
fn assert_nothing_queued(s: &UdpSocket) {
    s.set_nonblocking(true).expect("nonblocking");
    let mut buf = [0; 16];
    let r = s.recv_from(&mut buf);
    assert!(
        matches!(&r, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "unexpected datagram: {r:?}"
    );
    s.set_nonblocking(false).expect("blocking");
}

/// A port nothing listens on now (bound, then closed).
fn closed_port() -> u16 {
    port_of(&socket("127.0.0.1"))
}

/// Whether `ip`:`port` can be bound now (UDP).
fn port_free(ip: &str, port: u16) -> bool {
    UdpSocket::bind((ip, port)).is_ok()
}

fn have_ipv6() -> bool {
    let ok = UdpSocket::bind("[::1]:0").is_ok();
    if !ok {
        eprintln!("skipped: ::1 cannot be bound here");
    }
    ok
}

fn greeting(ip: &str, port: u16, msg: &str) -> String {
    format!("Hello, ('{ip}', {port}). You said: {msg}")
}

// ---------------------------------------------------------------------------------------------
// serve

/// The issue's "Done when": the lab's exchange, source port 57314 included.
#[test]
fn lab_exchange_from_source_port_57314() {
    if !port_free("0.0.0.0", 57314) {
        eprintln!("skipped: local UDP port 57314 is busy");
        return;
    }
    let server = Server::v4(&["--count", "1"]);
    let port = server.port.to_string();
    let f = oneway(&["send", "--port", &port, "--source-port", "57314"], None);
    assert_eq!(f.code, Some(0), "{f:?}");
    assert_eq!(
        f.out,
        ["Received from server: Hello, ('127.0.0.1', 57314). You said: Hello, UDP server2!"]
    );
    assert_eq!(
        server.proc.out_line(),
        "127.0.0.1:57314 -> 19 bytes: \"Hello, UDP server2!\""
    );
}

#[test]
fn greet_is_the_lab_text_with_the_peer_tuple() {
    let server = Server::v4(&[]);
    let client = socket("127.0.0.1");
    let reply = ask(&client, server.port, LAB_MESSAGE.as_bytes());
    assert_eq!(
        String::from_utf8(reply).unwrap(),
        greeting("127.0.0.1", port_of(&client), LAB_MESSAGE)
    );
}

#[test]
fn echo_returns_every_byte_value_unchanged() {
    let server = Server::v4(&["--reply", "echo"]);
    let client = socket("127.0.0.1");
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(ask(&client, server.port, &all), all);
    let line = server.proc.out_line();
    let head = format!(
        "127.0.0.1:{} -> 256 bytes: \"\\0\\x01\\x02",
        port_of(&client)
    );
    assert!(line.starts_with(&head), "{line}");
    // cut after 72 escaped characters, as the table cuts its payload column
    assert!(line.ends_with("...\""), "{line}");
    assert!(line.len() < 140, "{line}");
    assert!(!line.chars().any(char::is_control), "{line:?}");
}

#[test]
fn greet_appends_binary_messages_raw() {
    let server = Server::v4(&[]);
    let client = socket("127.0.0.1");
    let reply = ask(&client, server.port, b"\xff\x00\x1b[2J");
    let head = greeting("127.0.0.1", port_of(&client), "");
    assert_eq!(reply, [head.as_bytes(), b"\xff\x00\x1b[2J"].concat());
}

#[test]
fn none_answers_nothing() {
    let mut server = Server::v4(&["--reply", "none", "--count", "1"]);
    let client = socket("127.0.0.1");
    client
        .send_to(b"one-way", ("127.0.0.1", server.port))
        .unwrap();
    assert_eq!(server.proc.wait().code(), Some(0));
    // the server has exited, so any reply it sent is already queued here
    assert_nothing_queued(&client);
    assert!(server.proc.out_line().ends_with("-> 7 bytes: \"one-way\""));
}

#[test]
fn largest_ipv4_datagram_is_received_whole() {
    let server = Server::v4(&["--reply", "echo"]);
    let client = socket("127.0.0.1");
    let big: Vec<u8> = (0..65_507u32).map(|i| (i % 251) as u8).collect();
    assert_eq!(ask(&client, server.port, &big), big);
    let line = server.proc.out_line();
    assert!(line.contains(" -> 65507 bytes: \""), "{}", &line[..80]);
}

/// A greeting that cannot fit in a datagram is not attempted: one clear line says why, and the
/// server goes on.
#[test]
fn a_greeting_too_large_is_refused_with_a_clear_line_and_serving_goes_on() {
    let server = Server::v4(&[]);
    let client = socket("127.0.0.1");
    let big = vec![b'a'; 65_507];
    client.send_to(&big, ("127.0.0.1", server.port)).unwrap();
    let warning = server.proc.err_line();
    let peer = format!("127.0.0.1:{}", port_of(&client));
    let len = greeting("127.0.0.1", port_of(&client), "").len() + 65_507;
    assert_eq!(
        warning,
        format!(
            "oneway: warning: not answering {peer}: the greeting would be {len} bytes, and a UDP \
             datagram over IPv4 carries at most 65507"
        )
    );
    let reply = ask(&client, server.port, b"still there?");
    assert_eq!(
        reply,
        greeting("127.0.0.1", port_of(&client), "still there?").as_bytes()
    );
    assert!(
        server
            .proc
            .out_line()
            .starts_with(&format!("{peer} -> 65507 bytes: \"aaaa"))
    );
}

#[test]
fn a_burst_is_logged_whole() {
    let server = Server::v4(&["--reply", "none", "--count", "50"]);
    let client = socket("127.0.0.1");
    for i in 0..50 {
        client
            .send_to(format!("n{i}").as_bytes(), ("127.0.0.1", server.port))
            .unwrap();
    }
    let f = server.proc.finish();
    assert_eq!(f.code, Some(0), "{f:?}");
    let last = format!("127.0.0.1:{} -> 3 bytes: \"n49\"", port_of(&client));
    assert_eq!((f.out.len(), f.out.last()), (50, Some(&last)), "{f:?}");
}

/// A burst from one client: runs of replies of one size go out together (UDP GSO on Linux), and
/// the client must still get every reply as its own datagram, byte for byte.
#[test]
fn a_burst_of_requests_gets_every_reply_exactly() {
    let server = Server::v4(&["--reply", "echo", "--count", "120"]);
    let client = socket("127.0.0.1");
    let sent: Vec<Vec<u8>> = (0..120)
        .map(|i| {
            // Runs of 7 of one size, then another size.
            let mut m = format!("m{i:03}").into_bytes();
            m.resize(4 + (i / 7) % 3 * 500, b'.');
            m
        })
        .collect();
    for m in &sent {
        client.send_to(m, ("127.0.0.1", server.port)).unwrap();
    }
    let mut got = Vec::new();
    let mut buf = vec![0; 65_535];
    for _ in 0..sent.len() {
        let (n, _) = recv(&client, &mut buf);
        got.push(buf[..n].to_vec());
    }
    got.sort();
    let mut want = sent.clone();
    want.sort();
    assert!(got == want, "replies differ from the requests");
    let f = server.proc.finish();
    assert_eq!(f.code, Some(0), "{f:?}");
}

#[test]
fn every_peer_is_answered() {
    let server = Server::v4(&[]);
    let (a, b) = (socket("127.0.0.1"), socket("127.0.0.1"));
    for _ in 0..2 {
        for c in [&a, &b] {
            let reply = ask(c, server.port, b"hi");
            assert_eq!(reply, greeting("127.0.0.1", port_of(c), "hi").as_bytes());
        }
    }
}

#[test]
fn count_stops_with_a_summary() {
    let server = Server::v4(&["--count", "2", "--reply", "echo"]);
    let (a, b) = (socket("127.0.0.1"), socket("127.0.0.1"));
    assert_eq!(
        ask(&a, server.port, LAB_MESSAGE.as_bytes()),
        LAB_MESSAGE.as_bytes()
    );
    assert_eq!(ask(&b, server.port, b""), b"");
    let f = server.proc.finish();
    assert_eq!(f.code, Some(0), "{f:?}");
    assert_eq!(f.out.len(), 2, "{f:?}");
    assert_eq!(
        f.out[1],
        format!("127.0.0.1:{} -> 0 bytes: \"\"", port_of(&b))
    );
    assert_eq!(
        f.err,
        ["oneway: 2 datagrams, 19 bytes, 2 distinct peers (stopped by --count)"]
    );
}

fn stops_on(signal: &str) {
    let server = Server::v4(&[]);
    let client = socket("127.0.0.1");
    ask(&client, server.port, b"x");
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &server.proc.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let f = server.proc.finish();
    assert_eq!(f.code, Some(0), "{f:?}");
    assert_eq!(f.out.len(), 1, "{f:?}");
    assert_eq!(
        f.err,
        ["oneway: 1 datagram, 1 byte, 1 distinct peer (stopped by signal)"]
    );
    assert!(f.elapsed < Duration::from_secs(2), "took {:?}", f.elapsed);
}

#[test]
fn sigint_stops_with_a_summary() {
    stops_on("INT");
}

#[test]
fn sigterm_stops_with_a_summary() {
    stops_on("TERM");
}

#[test]
fn jsonl_log_is_one_json_object_per_datagram() {
    let server = Server::v4(&["--format", "jsonl"]);
    let client = socket("127.0.0.1");
    ask(&client, server.port, b"Hi\0");
    ask(&client, server.port, b"");
    let line = server.proc.out_line();
    assert!(line.starts_with("{\"time\":\""), "{line}");
    let v: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5);
    assert_eq!(v["peer"], "127.0.0.1");
    assert_eq!(v["port"], port_of(&client));
    assert_eq!(v["length"], 3);
    assert_eq!(v["payload"], "486900");
    let time = v["time"].as_str().unwrap();
    assert_eq!(time.len(), "2025-09-15T11:20:53.709480000Z".len(), "{time}");
    assert!(time.ends_with('Z') && time.as_bytes()[19] == b'.', "{time}");
    assert!(time[20..29].bytes().all(|b| b.is_ascii_digit()), "{time}");
    let second: serde_json::Value = serde_json::from_str(&server.proc.out_line()).unwrap();
    assert_eq!(
        (&second["length"], &second["payload"]),
        (&0.into(), &"".into())
    );
}

/// A scoped IPv6 target, with the zone as an interface name or its index, is accepted and
/// reaches the server (issue 16: it was "not an IPv6 address").
#[test]
fn send_accepts_a_scoped_ipv6_target() {
    if !have_ipv6() {
        return;
    }
    let server = Server::start("::1", &["--reply", "echo"]);
    for zone in ["lo", "1"] {
        let target = format!("[::1%{zone}]:{}", server.port);
        let f = oneway(&["send", &target, "-m", "scoped"], None);
        assert_eq!(f.code, Some(0), "{target}: {f:?}");
        assert_eq!(f.out, ["Received from server: scoped"], "{target}");
    }
}

#[test]
fn ipv6_peers_get_pythons_four_tuple() {
    if !have_ipv6() {
        return;
    }
    let server = Server::start("::1", &[]);
    let client = socket("::1");
    let reply = ask(&client, server.port, b"hi");
    let port = port_of(&client);
    assert_eq!(
        reply,
        format!("Hello, ('::1', {port}, 0, 0). You said: hi").as_bytes()
    );
    assert_eq!(
        server.proc.out_line(),
        format!("[::1]:{port} -> 2 bytes: \"hi\"")
    );
}

#[test]
fn dual_stack_shows_ipv4_peers_as_ipv4() {
    if !have_ipv6() {
        return;
    }
    let server = Server::start("::", &["--count", "2"]);
    let client = socket("127.0.0.1");
    let reply = ask(&client, server.port, b"v4");
    assert_eq!(
        reply,
        greeting("127.0.0.1", port_of(&client), "v4").as_bytes()
    );
    assert!(
        server
            .proc
            .out_line()
            .starts_with(&format!("127.0.0.1:{} -> ", port_of(&client)))
    );
    let client6 = socket("::1");
    let reply = ask(&client6, server.port, b"v6");
    let port = port_of(&client6);
    assert_eq!(
        reply,
        format!("Hello, ('::1', {port}, 0, 0). You said: v6").as_bytes()
    );
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let busy = socket("127.0.0.1");
    let port = port_of(&busy).to_string();
    let f = oneway(&["serve", "--bind", "127.0.0.1", "--port", &port], None);
    assert_eq!(f.code, Some(1), "{f:?}");
    assert_eq!(f.err.len(), 1, "{f:?}");
    assert!(
        f.err[0].starts_with(&format!("oneway: cannot listen on 127.0.0.1:{port}: ")),
        "{f:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// send

#[test]
fn send_times_out_against_a_silent_socket() {
    let silent = socket("127.0.0.1");
    let target = format!("127.0.0.1:{}", port_of(&silent));
    let f = oneway(&["send", &target, "--timeout", "300ms"], None);
    assert_eq!(f.code, Some(1), "{f:?}");
    assert_eq!(
        f.err,
        [format!("oneway: no reply from {target} within 300ms")]
    );
    assert!(f.out.is_empty());
    assert!(f.elapsed < Duration::from_secs(5), "took {:?}", f.elapsed);
    let mut buf = [0; 64];
    let (n, _) = recv(&silent, &mut buf);
    assert_eq!(&buf[..n], LAB_MESSAGE.as_bytes());
}

/// `oneway send HOST PORT` reaches PORT, as `nc -u HOST PORT` does; the message then follows as a
/// third argument or `-m`, and digits after HOST:PORT are refused rather than sent as text.
#[test]
fn send_host_port_goes_where_nc_would() {
    let a = socket("127.0.0.1");
    let port = port_of(&a).to_string();
    let f = oneway(&["send", "127.0.0.1", &port, "--no-wait"], None);
    assert_eq!(f.code, Some(0), "{f:?}");
    let mut buf = [0; 64];
    let (n, _) = recv(&a, &mut buf);
    assert_eq!(&buf[..n], LAB_MESSAGE.as_bytes());
    let f = oneway(&["send", "127.0.0.1", &port, "hi there", "--no-wait"], None);
    assert_eq!(f.code, Some(0), "{f:?}");
    let (n, _) = recv(&a, &mut buf);
    assert_eq!(&buf[..n], b"hi there");
    let f = oneway(&["send", "127.0.0.1", &port, "-m", "42", "--no-wait"], None);
    assert_eq!(f.code, Some(0), "{f:?}");
    let (n, _) = recv(&a, &mut buf);
    assert_eq!(&buf[..n], b"42");
    // Ambiguous: nothing is sent, and the error says what to type.
    let target = format!("127.0.0.1:{port}");
    let f = oneway(&["send", &target, "42", "--no-wait"], None);
    assert_eq!(f.code, Some(2), "{f:?}");
    assert_eq!(f.err.len(), 1, "{f:?}");
    assert!(
        f.err[0].contains(&format!("oneway send {target} -m 42")),
        "{f:?}"
    );
    assert_nothing_queued(&a);
}

#[test]
fn send_says_when_nothing_listens() {
    let target = format!("127.0.0.1:{}", closed_port());
    let f = oneway(&["send", &target], None);
    assert_eq!(f.code, Some(1), "{f:?}");
    assert_eq!(
        f.err,
        [format!(
            "oneway: nothing listens on {target} (ICMP port unreachable)"
        )]
    );
    assert!(f.elapsed < Duration::from_secs(2), "took {:?}", f.elapsed);
}

#[test]
fn send_refuses_a_message_too_large_before_sending() {
    let silent = socket("127.0.0.1");
    let target = format!("127.0.0.1:{}", port_of(&silent));
    let f = oneway(&["send", &target, &"a".repeat(65_508)], None);
    assert_eq!(f.code, Some(2), "{f:?}");
    assert_eq!(f.err.len(), 1, "{f:?}");
    assert!(
        f.err[0].contains("65508 bytes") && f.err[0].contains("65507"),
        "{f:?}"
    );
    assert_nothing_queued(&silent);
    // the largest one goes through, whole
    let f = oneway(&["send", &target, &"a".repeat(65_507), "--no-wait"], None);
    assert_eq!(f.code, Some(0), "{f:?}");
    let mut buf = vec![0; 65_535];
    assert_eq!(recv(&silent, &mut buf).0, 65_507);
}

#[test]
fn send_ipv6_size_limit_is_65527() {
    if !have_ipv6() {
        return;
    }
    let silent = socket("::1");
    let target = format!("[::1]:{}", port_of(&silent));
    let f = oneway(
        &["send", &target, "-", "--no-wait"],
        Some(&vec![b'x'; 65_528]),
    );
    assert_eq!(f.code, Some(2), "{f:?}");
    assert_nothing_queued(&silent);
    let f = oneway(
        &["send", &target, "-", "--no-wait"],
        Some(&vec![b'x'; 65_527]),
    );
    assert_eq!(f.code, Some(0), "{f:?}");
    let mut buf = vec![0; 65_535];
    assert_eq!(recv(&silent, &mut buf).0, 65_527);
}

#[test]
fn send_dash_reads_raw_bytes_from_stdin_and_escapes_the_reply() {
    let peer = socket("127.0.0.1");
    let target = format!("127.0.0.1:{}", port_of(&peer));
    let all: Vec<u8> = (0..=255).collect();
    let proc = Proc::spawn(util::oneway().args(["send", &target, "-"]), Some(&all));
    let mut buf = [0; 1024];
    let (n, from) = recv(&peer, &mut buf);
    assert_eq!(&buf[..n], &all[..]);
    peer.send_to(b"\x1b[31mok\xff\n", from).unwrap();
    let f = proc.finish();
    assert_eq!(f.code, Some(0), "{f:?}");
    assert_eq!(f.out, ["Received from server: \\x1b[31mok\\xff\\n"]);
}

#[test]
fn send_resolves_localhost() {
    let first = ("localhost", 0)
        .to_socket_addrs()
        .expect("localhost resolves")
        .next()
        .expect("an address")
        .ip();
    let ip = first.to_string();
    let server = Server::start(&ip, &["--count", "1"]);
    let f = oneway(&["send", &format!("localhost:{}", server.port)], None);
    assert_eq!(f.code, Some(0), "{f:?}");
    let head = format!("Received from server: Hello, ('{ip}', ");
    assert!(f.out[0].starts_with(&head), "{f:?}");
}

#[test]
fn send_no_wait_exits_at_once() {
    let silent = socket("127.0.0.1");
    let target = format!("127.0.0.1:{}", port_of(&silent));
    let f = oneway(&["send", &target, "fire and forget", "--no-wait"], None);
    assert_eq!(f.code, Some(0), "{f:?}");
    assert!(f.out.is_empty() && f.err.is_empty(), "{f:?}");
    let mut buf = [0; 64];
    let (n, _) = recv(&silent, &mut buf);
    assert_eq!(&buf[..n], b"fire and forget");
}

#[test]
fn send_count_gets_every_reply_from_one_socket() {
    let server = Server::v4(&["--reply", "echo", "--count", "3"]);
    let f = oneway(
        &[
            "send",
            &server.addr(),
            "ping",
            "--count",
            "3",
            "--interval",
            "10ms",
        ],
        None,
    );
    assert_eq!(f.code, Some(0), "{f:?}");
    assert_eq!(f.out, ["Received from server: ping"; 3]);
    assert_eq!(f.err.len(), 1, "{f:?}");
    assert!(
        f.err[0].starts_with("oneway: 3 sent, 3 replies, 0 lost; rtt min/median/max "),
        "{f:?}"
    );
    let f = server.proc.finish();
    let peers: Vec<&str> = f
        .out
        .iter()
        .map(|l| l.split(" -> ").next().unwrap())
        .collect();
    assert_eq!(peers.len(), 3);
    assert!(
        peers.iter().all(|p| *p == peers[0]),
        "one source socket: {peers:?}"
    );
}

#[test]
fn send_count_reports_losses_and_fails() {
    let silent = socket("127.0.0.1");
    let target = format!("127.0.0.1:{}", port_of(&silent));
    let f = oneway(
        &["send", &target, "--count", "2", "--timeout", "100ms"],
        None,
    );
    assert_eq!(f.code, Some(1), "{f:?}");
    assert_eq!(
        f.err,
        [
            "oneway: no reply to datagram 1 of 2 within 100ms",
            "oneway: no reply to datagram 2 of 2 within 100ms",
            "oneway: 2 sent, 0 replies, 2 lost",
            "oneway: 2 of 2 datagrams got no reply within 100ms",
        ]
    );
}

/// Nothing listens: with `--count`, each datagram's ICMP port unreachable is one line, the run
/// goes on to the end, and the summary counts them (issue 16: the run used to stop at the first
/// one, without a summary).
#[test]
fn send_count_goes_on_after_icmp_errors_and_ends_with_its_summary() {
    let target = format!("127.0.0.1:{}", closed_port());
    let f = oneway(&["send", &target, "--count", "3", "--timeout", "1s"], None);
    assert_eq!(f.code, Some(1), "{f:?}");
    let mut want: Vec<String> = (1..=3)
        .map(|i| {
            format!(
                "oneway: datagram {i} of 3: nothing listens on {target} (ICMP port unreachable)"
            )
        })
        .collect();
    want.push("oneway: 3 sent, 0 replies, 3 lost, 3 ICMP port unreachable".into());
    want.push("oneway: 3 of 3 datagrams got no reply within 1s".into());
    assert_eq!(f.err, want);
}

/// A peer that answers datagram 1 twice, datagram 2 too late, datagram 3 once: replies are
/// matched by order, and the duplicate and the late reply are counted apart, not as replies;
/// the RTTs are those of the two matched replies.
#[test]
fn send_count_tells_duplicate_and_late_replies_apart() {
    let peer = socket("127.0.0.1");
    let target = format!("127.0.0.1:{}", port_of(&peer));
    let client = Proc::spawn(
        util::oneway().args([
            "send",
            &target,
            "q",
            "--count",
            "3",
            "--timeout",
            "100ms",
            "--interval",
            "1s",
        ]),
        None,
    );
    let mut buf = [0u8; 64];
    for i in 1..=3 {
        let (_, from) = recv(&peer, &mut buf);
        match i {
            1 => {
                peer.send_to(b"one", from).unwrap();
                peer.send_to(b"one again", from).unwrap();
            }
            2 => {
                // Past the client's 100 ms, well before its next datagram (1 s).
                thread::sleep(Duration::from_millis(300));
                peer.send_to(b"two, late", from).unwrap();
            }
            _ => {
                peer.send_to(b"three", from).unwrap();
            }
        }
    }
    let f = client.finish();
    assert_eq!(f.code, Some(1), "{f:?}");
    assert_eq!(
        f.out,
        ["Received from server: one", "Received from server: three"]
    );
    assert_eq!(f.err[0], "oneway: no reply to datagram 2 of 3 within 100ms");
    assert!(
        f.err[1].starts_with(
            "oneway: 3 sent, 2 replies, 1 lost, 1 duplicate reply, 1 late reply; rtt min/median/max "
        ),
        "{f:?}"
    );
}

/// Ctrl-C during `send --count` ends the run promptly, with its summary.
#[test]
fn send_count_ends_with_its_summary_on_ctrl_c() {
    let silent = socket("127.0.0.1");
    let target = format!("127.0.0.1:{}", port_of(&silent));
    let client = Proc::spawn(
        util::oneway().args(["send", &target, "--count", "100", "--timeout", "10s"]),
        None,
    );
    let mut buf = [0u8; 64];
    recv(&silent, &mut buf);
    let status = Command::new("kill")
        .args(["-INT", &client.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let f = client.finish();
    assert_eq!(f.code, Some(1), "{f:?}");
    assert_eq!(
        f.err,
        [
            "oneway: 1 sent, 0 replies, 1 lost",
            "oneway: 1 of 1 datagrams got no reply within 10s",
        ]
    );
    assert!(f.elapsed < Duration::from_secs(1), "took {:?}", f.elapsed);
}

#[test]
fn send_usage_errors_exit_2() {
    for args in [
        &["send", "[::1"][..],
        &["send", "host:port"],
        &["send", "a:b:c"],
        &["send", "--timeout", "0s"],
        &["send", "-"],
        &["send", "[fe80::1%no-such-interface]:9"],
    ] {
        let f = oneway(args, None);
        assert_eq!(f.code, Some(2), "{args:?}: {f:?}");
        assert_eq!(f.err.len(), 1, "{args:?}: {f:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// real peers

/// The lab's client: `sendto`, then `recvfrom(1024)`.
const PY_CLIENT: &str = r#"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(b"Hello, UDP server2!", ("127.0.0.1", int(sys.argv[1])))
data, addr = s.recvfrom(1024)
print(s.getsockname()[1])
print(f"Received from server: {data.decode()}")
"#;

/// The lab's server (on an address given as argv[1], port 0), announcing its port first.
const PY_SERVER: &str = r#"
import socket, sys
family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
print(s.getsockname()[1], flush=True)
s.settimeout(10)
while True:
    data, addr = s.recvfrom(1024)
    message = data.decode()
    s.sendto(f"Hello, {addr}. You said: {message}".encode(), addr)
"#;

#[test]
fn python_lab_client_gets_the_lab_answer() {
    if !util::tool("python3", "python3") {
        return;
    }
    let server = Server::v4(&["--count", "1"]);
    let port = server.port.to_string();
    let f = Proc::spawn(Command::new("python3").args(["-c", PY_CLIENT, &port]), None).finish();
    assert_eq!(f.code, Some(0), "{f:?}");
    let client_port: u16 = f.out[0].parse().unwrap();
    assert_eq!(
        f.out[1],
        format!(
            "Received from server: {}",
            greeting("127.0.0.1", client_port, LAB_MESSAGE)
        )
    );
}

/// `oneway send` to the Python lab server and to `oneway serve` print the same line.
fn same_answer_as_python(ip: &str) {
    let python = Proc::spawn(Command::new("python3").args(["-c", PY_SERVER, ip]), None);
    let py_port: u16 = python.out_line().parse().expect("python prints its port");
    let server = Server::start(ip, &[]);
    let host = if ip.contains(':') {
        format!("[{ip}]")
    } else {
        ip.to_owned()
    };
    let mut answers = Vec::new();
    for port in [py_port, server.port] {
        let source = port_of(&socket(ip)).to_string();
        let target = format!("{host}:{port}");
        let f = oneway(&["send", &target, "--source-port", &source], None);
        assert_eq!(f.code, Some(0), "{f:?}");
        answers.push(f.out[0].replace(&source, "SOURCE"));
    }
    assert_eq!(answers[0], answers[1]);
    let tuple = if ip.contains(':') {
        format!("('{ip}', SOURCE, 0, 0)")
    } else {
        format!("('{ip}', SOURCE)")
    };
    assert_eq!(
        answers[0],
        format!("Received from server: Hello, {tuple}. You said: Hello, UDP server2!")
    );
}

#[test]
fn send_gets_the_python_lab_servers_answer_ipv4() {
    if util::tool("python3", "python3") {
        same_answer_as_python("127.0.0.1");
    }
}

#[test]
fn send_gets_the_python_lab_servers_answer_ipv6() {
    if util::tool("python3", "python3") && have_ipv6() {
        same_answer_as_python("::1");
    }
}

#[test]
fn send_gets_an_answer_from_socat() {
    if !util::tool("socat", "socat") {
        return;
    }
    let port = closed_port();
    let _socat = Proc::spawn(
        Command::new("socat").args([
            &format!("UDP4-RECVFROM:{port},bind=127.0.0.1,fork"),
            "SYSTEM:cat",
        ]),
        None,
    );
    let target = format!("127.0.0.1:{port}");
    // socat is ready when it answers: poll with short timeouts (refused means not yet bound)
    let start = Instant::now();
    let f = loop {
        let f = oneway(&["send", &target, "--timeout", "200ms"], None);
        if f.code == Some(0) || start.elapsed() > LIMIT {
            break f;
        }
    };
    assert_eq!(f.code, Some(0), "{f:?}");
    assert_eq!(f.out, ["Received from server: Hello, UDP server2!"]);
}

#[test]
fn nc_gets_the_lab_answer() {
    if !util::tool("nc", "netcat-openbsd") {
        return;
    }
    let server = Server::v4(&["--count", "1"]);
    let port = server.port.to_string();
    let f = Proc::spawn(
        Command::new("nc").args(["-u", "-w1", "127.0.0.1", &port]),
        Some(LAB_MESSAGE.as_bytes()),
    )
    .finish();
    assert_eq!(f.code, Some(0), "{f:?}");
    let out = f.out.concat();
    assert!(out.starts_with("Hello, ('127.0.0.1', "), "{f:?}");
    assert!(out.ends_with("). You said: Hello, UDP server2!"), "{f:?}");
}

// ---------------------------------------------------------------------------------------------
// serve --log lab, against the lab's own python server

/// What `serve --log lab` is compared on: text, UTF-8 the lab decodes, bytes it cannot decode
/// (replaced as Python replaces them), backslashes, and the empty message.
const LAB_LOG_MESSAGES: &[&[u8]] = &[
    b"Hello, UDP server2!",
    b"caf\xc3\xa9 \xe2\x98\x83 \xe4\xb8\x96\xe7\x95\x8c",
    b"\xff\xfeabc",
    b"cut \xe2\x82",
    b"surrogate \xed\xa0\x80 x",
    b"four \xf0\x9f\x98 \xf0\x9f\x98\x80",
    b"over \xf4\x90\x80\x80 \xc0\xaf",
    b"back\\slash \\x41",
    b"",
];

/// Messages Python prints with raw control characters: oneway escapes those characters only.
const LAB_LOG_CONTROLS: &[(&[u8], &str, &str)] = &[
    (b"esc \x1b[31mred", "\x1b", "\\x1b"),
    (b"tab\there", "\t", "\\t"),
    (b"bidi \xe2\x80\xaeevil", "\u{202e}", "\\u{202e}"),
    (b"c1 \xc2\x9b", "\u{9b}", "\\u{009b}"),
];

/// Sends `msg` from `client` to `port` and waits (bounded) for the answer: once it comes, the
/// server has logged the datagram.
fn exchange(client: &UdpSocket, ip: &str, port: u16, msg: &[u8]) {
    client.send_to(msg, (ip, port)).expect("send_to");
    let mut buf = vec![0; 65_535];
    recv(client, &mut buf);
}

/// Runs the lab's python server (`scripts/lab_server.py`, with its address family and address
/// changed for `::1`) and `oneway serve --log lab` on `ip`, sends both the same datagrams from
/// one socket, and compares their lines.
fn lab_log_as_python(ip: &str) {
    let script = std::fs::read_to_string("scripts/lab_server.py").expect("scripts/lab_server.py");
    let script = if ip.contains(':') {
        script
            .replace("socket.AF_INET,", "socket.AF_INET6,")
            .replace("\"127.0.0.1\"", "\"::1\"")
    } else {
        script
    };
    let py_port = port_of(&socket(ip));
    let python = Proc::spawn(
        Command::new("python3")
            .env("PYTHONIOENCODING", "utf-8")
            .args(["-u", "-c", &script, &py_port.to_string()]),
        None,
    );
    let server = Server::start(ip, &["--log", "lab"]);
    let client = socket(ip);
    // python is ready when it answers (what it received before it was bound was lost, and its
    // lines say so); each wait is short and the whole is bounded.
    client
        .set_read_timeout(Some(Duration::from_millis(100)))
        .expect("read timeout");
    let start = Instant::now();
    loop {
        client.send_to(b"ready?", (ip, py_port)).expect("send_to");
        let mut buf = [0; 256];
        if client.recv_from(&mut buf).is_ok() {
            break;
        }
        assert!(start.elapsed() < LIMIT, "the python server never answered");
    }
    client.set_read_timeout(Some(LIMIT)).expect("read timeout");
    let mut sent: Vec<&[u8]> = LAB_LOG_MESSAGES.to_vec();
    sent.extend(LAB_LOG_CONTROLS.iter().map(|c| c.0));
    for msg in &sent {
        exchange(&client, ip, py_port, msg);
        exchange(&client, ip, server.port, msg);
    }
    let a = client.local_addr().expect("local addr");
    let tuple = if ip.contains(':') {
        format!("('{}', {}, 0, 0)", a.ip(), a.port())
    } else {
        format!("('{}', {})", a.ip(), a.port())
    };
    let mut theirs = Vec::new();
    while theirs.len() < sent.len() {
        let line = python.out_line();
        if !line.ends_with(": ready?") {
            theirs.push(line);
        }
    }
    let ours: Vec<String> = (0..sent.len()).map(|_| server.proc.out_line()).collect();
    for (i, (py, us)) in theirs.iter().zip(&ours).enumerate() {
        if i < LAB_LOG_MESSAGES.len() {
            assert_eq!(us, py, "message {:?}", sent[i]);
        } else {
            let (_, raw, escaped) = LAB_LOG_CONTROLS[i - LAB_LOG_MESSAGES.len()];
            assert!(py.contains(raw), "python prints {raw:?} raw: {py:?}");
            assert_eq!(*us, py.replace(raw, escaped), "message {:?}", sent[i]);
            assert!(!us.chars().any(char::is_control), "{us:?}");
        }
        assert!(
            py.starts_with(&format!("Received message from {tuple}: ")),
            "{py}"
        );
    }
}

#[test]
fn serve_log_lab_prints_the_python_lab_servers_lines_ipv4() {
    if util::tool("python3", "python3") {
        lab_log_as_python("127.0.0.1");
    }
}

#[test]
fn serve_log_lab_prints_the_python_lab_servers_lines_ipv6() {
    if util::tool("python3", "python3") && have_ipv6() {
        lab_log_as_python("::1");
    }
}

/// serve and send speak Indonesian with `--lang id`: the listening line, the text log, the
/// summary, send's errors; the reply on the wire is the lab's, whatever the language.
#[test]
fn serve_and_send_speak_indonesian() {
    let proc = Proc::spawn(
        util::oneway().args([
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--count",
            "1",
            "--lang",
            "id",
        ]),
        None,
    );
    let line = proc.err_line();
    let port = line
        .strip_prefix("oneway: mendengarkan di ")
        .and_then(|s| s.split_once(" (udp)"))
        .and_then(|(s, rest)| {
            assert!(rest.contains("batas laju"), "{line}");
            s.parse::<SocketAddr>().ok()
        })
        .unwrap_or_else(|| panic!("not a listening line in Indonesian: {line:?}"))
        .port();
    let client = socket("127.0.0.1");
    let reply = ask(&client, port, b"ping");
    assert!(reply.starts_with(b"Hello, ('127.0.0.1', "), "{reply:?}");
    let f = proc.finish();
    assert_eq!(f.code, Some(0), "{f:?}");
    assert_eq!(
        f.out,
        [format!(
            "127.0.0.1:{} -> 4 byte: \"ping\"",
            port_of(&client)
        )]
    );
    assert_eq!(
        f.err,
        ["oneway: 1 datagram, 4 byte, 1 pengirim berbeda (dihentikan oleh --count)"]
    );

    let closed = closed_port();
    let f = oneway(
        &[
            "send",
            "--lang",
            "id",
            &format!("127.0.0.1:{closed}"),
            "-m",
            "x",
        ],
        None,
    );
    assert_eq!(f.code, Some(1), "{f:?}");
    assert_eq!(
        f.err,
        [format!(
            "oneway: tidak ada yang mendengarkan di 127.0.0.1:{closed} (ICMP port unreachable)"
        )]
    );
    let f = oneway(&["send", "--lang", "id", "127.0.0.1:0"], None);
    assert_eq!(f.code, Some(2), "{f:?}");
    assert!(
        f.err[0].starts_with("oneway: port 0 tidak bisa dijadikan tujuan"),
        "{f:?}"
    );
}
