//! `oneway serve` under abuse and faults (issue 16): the real binary, loopback only (every
//! 127.0.0.0/8 address is this host's loopback) and network namespaces this suite makes and
//! removes, everything bounded in time.
//!
//! - The rate limit: a flood from one address is answered at the limit while a client on
//!   another address is answered in full.
//! - The loop rules: a datagram forged from the server's own address and port, or from a
//!   reflector port, is logged once and not answered; two echo servers given one forged datagram
//!   stop at the rate limit instead of bouncing forever.
//! - The source address of replies: a request to 127.0.0.2 (and, in a namespace, to a second
//!   IPv6 address) is answered from it.
//! - Memory: a million forged sources, serve stays under 32 MB.
//! - The log: to /dev/full, to a closed pipe, to a reader that never reads — serving goes on,
//!   and Ctrl-C ends it within half a second.
//!
//! Forging a source address needs a raw socket, and namespaces need `ip`: both need root. A test
//! that cannot have them skips with a message on a developer's machine and fails under CI.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

mod util;

/// These tests run one at a time: a flood in one (UDP, on the same loopback) can drop another's
/// single probe or its reply, which made a test fail now and then in a full CI run.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

const BIN: &str = env!("CARGO_BIN_EXE_oneway");
/// The longest any single step may take.
const LIMIT: Duration = Duration::from_secs(20);

/// A running `oneway serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    /// The log, when it is piped to this test and read.
    out: Option<Receiver<String>>,
    /// The log's pipe, when it is held and never read.
    held: Option<ChildStdout>,
    err: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the server's log goes.
enum Log {
    /// Piped to the test, read line by line.
    Read,
    /// Piped to the test, never read.
    Hold,
    /// Given as it is (a file, a pipe end nobody reads…).
    To(Stdio),
}

impl Server {
    /// `oneway serve --bind BIND --port 0 ARGS…`, its port read from the listening line.
    fn start(bind: &str, args: &[&str], log: Log) -> Server {
        Self::start_in(&[], bind, args, log)
    }

    /// The same, the command prefixed by `wrap` (`ip netns exec NS`).
    fn start_in(wrap: &[&str], bind: &str, args: &[&str], log: Log) -> Server {
        let mut cmd = match wrap.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        cmd.args(["serve", "--bind", bind, "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        let (read, hold) = (matches!(log, Log::Read), matches!(log, Log::Hold));
        match log {
            Log::Read | Log::Hold => cmd.stdout(Stdio::piped()),
            Log::To(s) => cmd.stdout(s),
        };
        let mut child = cmd.spawn().expect("oneway serve starts");
        let out = read.then(|| util::lines(child.stdout.take().expect("piped")));
        let held = if hold { child.stdout.take() } else { None };
        let err = util::lines(child.stderr.take().expect("piped"));
        let line = err.recv_timeout(LIMIT).expect("a listening line");
        let port = line
            .split_once(" (udp)")
            .and_then(|(head, _)| head.rsplit_once(':'))
            .and_then(|(_, p)| p.parse().ok())
            .unwrap_or_else(|| panic!("not a listening line: {line:?}"));
        Server {
            child,
            port,
            out,
            held,
            err,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next log line (bounded).
    fn log_line(&self) -> String {
        self.out
            .as_ref()
            .expect("the log is read")
            .recv_timeout(LIMIT)
            .expect("a log line in time")
    }

    /// SIGINT, then the exit code, how long the exit took, and everything left on stderr.
    fn interrupt(mut self) -> (Option<i32>, Duration, Vec<String>) {
        let asked = Instant::now();
        let status = Command::new("kill")
            .args(["-INT", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let code = loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                break s.code();
            }
            assert!(asked.elapsed() < LIMIT, "serve still running after SIGINT");
            thread::sleep(Duration::from_millis(2));
        };
        let took = asked.elapsed();
        (code, took, rest(&self.err))
    }
}

/// Every line of `rx` until its writer closes it (bounded).
fn rest(rx: &Receiver<String>) -> Vec<String> {
    let deadline = Instant::now() + LIMIT;
    let mut v = Vec::new();
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(l) => v.push(l),
            Err(mpsc::RecvTimeoutError::Disconnected) => return v,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("stderr not closed in {LIMIT:?}"),
        }
    }
}

/// A UDP socket on `ip`, reads bounded by `wait`.
fn socket(ip: &str, wait: Duration) -> UdpSocket {
    let s = UdpSocket::bind((ip, 0)).expect("bind");
    s.set_read_timeout(Some(wait)).expect("timeout");
    s
}

/// The summary line (the last line of stderr).
fn summary(err: &[String]) -> &str {
    err.last().map(String::as_str).unwrap_or_default()
}

/// A raw IPv4 socket that writes whole packets (IP_HDRINCL): UDP datagrams from any source.
struct Forger(Socket);

impl Forger {
    /// `None` without the privilege (not root).
    fn new() -> Option<Forger> {
        match Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::from(255))) {
            Ok(s) => Some(Forger(s)),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => None,
            Err(e) => panic!("raw socket: {e}"),
        }
    }

    /// Sends `payload` from `from` to `to` (the kernel fills in the IP checksum and length; the
    /// UDP checksum is left out, which IPv4 allows). `false`: the kernel's queue was full.
    fn send(&self, from: SocketAddrV4, to: SocketAddrV4, payload: &[u8]) -> bool {
        let udp_len = 8 + payload.len();
        let mut p = Vec::with_capacity(20 + udp_len);
        p.extend_from_slice(&[0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0]);
        p.extend_from_slice(&from.ip().octets());
        p.extend_from_slice(&to.ip().octets());
        p.extend_from_slice(&from.port().to_be_bytes());
        p.extend_from_slice(&to.port().to_be_bytes());
        p.extend_from_slice(&(udp_len as u16).to_be_bytes());
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(payload);
        self.0.send_to(&p, &SocketAddr::V4(to).into()).is_ok()
    }
}

fn v4(ip: &str, port: u16) -> SocketAddrV4 {
    SocketAddrV4::new(ip.parse().expect("an IPv4 address"), port)
}

/// The rate limit: 2,000 requests as fast as one socket on 127.0.0.2 sends them are answered at
/// the limit (the burst of 200, then 100 a second), while a client on 127.0.0.3 is answered in
/// full at its own pace; the summary counts what was held back, and stderr said it.
#[test]
fn a_flood_from_one_address_is_answered_at_the_limit_while_another_is_answered() {
    let _serial = serial();
    let server = Server::start("127.0.0.1", &["--reply", "echo"], Log::Read);
    let flood = socket("127.0.0.2", Duration::from_millis(300));
    let client = socket("127.0.0.3", Duration::from_secs(2));
    let to = ("127.0.0.1", server.port);
    let started = Instant::now();
    let mut replies = 0u64;
    let mut buf = [0u8; 64];
    flood.set_nonblocking(true).expect("nonblocking");
    for i in 0..2000u32 {
        let _ = flood.send_to(&i.to_be_bytes(), to);
        while flood.recv_from(&mut buf).is_ok() {
            replies += 1;
        }
        if i % 100 == 0 {
            // The other client, every 100 flood datagrams: answered every time.
            client.send_to(b"me too", to).expect("send");
            let (n, _) = client
                .recv_from(&mut buf)
                .expect("the other client is answered");
            assert_eq!(&buf[..n], b"me too");
        }
    }
    flood.set_nonblocking(false).expect("blocking");
    while flood.recv_from(&mut buf).is_ok() {
        replies += 1;
    }
    let took = started.elapsed();
    let (code, _, err) = server.interrupt();
    assert_eq!(code, Some(0), "{err:?}");
    let s = summary(&err);
    let received: u64 = s
        .strip_prefix("oneway: ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {s:?}"));
    // What may be answered: the burst, then the rate over the time the flood took.
    let most = 200 + (100.0 * took.as_secs_f64()).ceil() as u64 + 20;
    eprintln!("flood: {received} received in {took:?}, {replies} answered (at most {most})");
    assert!(
        replies <= most,
        "{replies} replies to the flood, more than {most}"
    );
    assert!(
        replies >= 150.min(received - 20),
        "{replies} replies: the burst was not answered"
    );
    let held = received - 20 - replies;
    assert!(
        s.contains(&format!(", {held} not answered (rate limit)")),
        "{s:?} ({received} received, 20 from the client, {replies} answered)"
    );
    assert!(
        err.iter()
            .any(|l| l.starts_with("oneway: rate limit: ") && l.ends_with("from 127.0.0.2)")),
        "no rate-limit note: {err:?}"
    );
}

/// One datagram forged from the server's own address and port (bound to one address, and bound
/// to all with the source another of its addresses), and one from each reflector port: each is
/// logged once and not answered — no loop. `--count` makes it exact: the next log line is the
/// probe sent after, not the forged datagram again.
#[test]
fn forged_datagrams_from_itself_or_a_reflector_port_start_no_loop() {
    let _serial = serial();
    let Some(forger) = Forger::new() else {
        util::missing("forging a source address needs a raw socket (root)");
        return;
    };
    // (bind, forged source address, destination address, source port; 0 = the server's)
    let cases = [
        ("127.0.0.1", "127.0.0.1", "127.0.0.1", 0),
        ("0.0.0.0", "127.0.0.1", "127.0.0.1", 0),
        ("0.0.0.0", "127.0.0.2", "127.0.0.1", 0),
        ("127.0.0.1", "127.0.0.9", "127.0.0.1", 7),
        ("127.0.0.1", "127.0.0.9", "127.0.0.1", 13),
        ("127.0.0.1", "127.0.0.9", "127.0.0.1", 17),
        ("127.0.0.1", "127.0.0.9", "127.0.0.1", 19),
        ("127.0.0.1", "127.0.0.9", "127.0.0.1", 37),
    ];
    for (bind, from, to, port) in cases {
        for reply in ["echo", "greet"] {
            let server = Server::start(bind, &["--reply", reply, "--count", "2"], Log::Read);
            let sport = if port == 0 { server.port } else { port };
            let forged = v4(from, sport);
            assert!(forger.send(forged, v4(to, server.port), b"loop?"));
            let first = server.log_line();
            assert_eq!(
                first,
                format!("{forged} -> 5 bytes: \"loop?\""),
                "{bind} {reply}"
            );
            let probe = socket("127.0.0.1", Duration::from_secs(5));
            probe.send_to(b"probe", (to, server.port)).expect("send");
            let mut buf = [0u8; 128];
            probe.recv_from(&mut buf).expect("the probe is answered");
            let second = server.log_line();
            let at = probe.local_addr().expect("addr");
            assert_eq!(
                second,
                format!("{at} -> 5 bytes: \"probe\""),
                "{bind} {reply} {forged}: a loop"
            );
            let mut s = server;
            let code = s.child.wait().expect("serve ends on --count").code();
            assert_eq!(code, Some(0));
            let err = rest(&s.err);
            assert_eq!(
                summary(&err),
                "oneway: 2 datagrams, 10 bytes, 2 distinct peers, 1 not answered (loop rules) \
                 (stopped by --count)",
                "{bind} {reply} {forged}"
            );
        }
    }
}

/// Two echo servers on different ports (the loop rules cannot tell them from clients), and one
/// datagram forged from the one to the other: they answer each other until the rate limit
/// stops it — a few hundred datagrams, not a storm without end.
#[test]
fn two_echo_servers_stop_bouncing_at_the_rate_limit() {
    let _serial = serial();
    let Some(forger) = Forger::new() else {
        util::missing("forging a source address needs a raw socket (root)");
        return;
    };
    let a = Server::start("127.0.0.1", &["--reply", "echo"], Log::Read);
    let b = Server::start("127.0.0.1", &["--reply", "echo"], Log::Read);
    assert!(forger.send(
        v4("127.0.0.1", b.port),
        v4("127.0.0.1", a.port),
        b"ping-pong"
    ));
    // Wait until neither logs anything for 500 ms (bounded).
    let started = Instant::now();
    let (mut na, mut nb) = (0u64, 0u64);
    let mut quiet_since = Instant::now();
    while quiet_since.elapsed() < Duration::from_millis(500) {
        assert!(
            started.elapsed() < LIMIT,
            "still bouncing after {LIMIT:?}: {na} + {nb}"
        );
        let got_a = a.out.as_ref().unwrap().try_iter().count() as u64;
        let got_b = b.out.as_ref().unwrap().try_iter().count() as u64;
        if got_a + got_b > 0 {
            quiet_since = Instant::now();
        }
        na += got_a;
        nb += got_b;
        thread::sleep(Duration::from_millis(20));
    }
    let bounced = started.elapsed() - Duration::from_millis(500);
    eprintln!("ping-pong: {na} datagrams at A, {nb} at B, over in {bounced:?}");
    // Each answers the other's address at most its burst (200) and what refills meanwhile.
    let most = 200 + (100.0 * bounced.as_secs_f64()).ceil() as u64 + 2;
    assert!(
        na >= 1 && na <= most && nb <= most,
        "{na} at A, {nb} at B (most {most})"
    );
    let (_, _, err_a) = a.interrupt();
    let (_, _, err_b) = b.interrupt();
    let limited = |err: &[String]| summary(err).contains("not answered (rate limit)");
    assert!(limited(&err_a) || limited(&err_b), "{err_a:?} {err_b:?}");
}

/// Bound to all addresses, a request to 127.0.0.2 is answered from 127.0.0.2 (the client checks
/// the reply's source, as any connected client does), over IPv4 and dual-stack.
#[test]
fn a_request_to_127_0_0_2_is_answered_from_127_0_0_2() {
    let _serial = serial();
    for bind in ["0.0.0.0", "::"] {
        let server = Server::start(bind, &[], Log::Read);
        for ip in ["127.0.0.2", "127.0.0.3", "127.0.0.1"] {
            let client = socket("127.0.0.1", Duration::from_secs(5));
            let to: SocketAddr = (ip.parse::<Ipv4Addr>().unwrap(), server.port).into();
            client.send_to(b"hi", to).expect("send");
            let mut buf = [0u8; 128];
            let (n, from) = client.recv_from(&mut buf).expect("an answer");
            assert_eq!(from, to, "bound to {bind}: answered from {from}, not {to}");
            assert!(buf[..n].ends_with(b"You said: hi"));
            // A burst: replies of one size to one peer go out as one GSO send or in one
            // sendmmsg, each from the address asked.
            for i in 0..40u8 {
                client.send_to(&[b'a' + i % 26; 8], to).expect("send");
            }
            for _ in 0..40 {
                let (_, from) = client.recv_from(&mut buf).expect("an answer to the burst");
                assert_eq!(
                    from, to,
                    "bound to {bind}, burst: answered from {from}, not {to}"
                );
            }
            // and `oneway send`, whose connected socket takes replies from the target only
            let out = Command::new(BIN)
                .args(["send", &to.to_string(), "--timeout", "5s"])
                .output()
                .expect("send runs");
            assert!(out.status.success(), "{bind} {to}: {out:?}");
        }
    }
}

/// A network namespace of this test's own, removed when dropped.
struct Netns(String);

impl Netns {
    fn new(name: &str) -> Option<Netns> {
        let ok = Command::new("ip")
            .args(["netns", "add", name])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Netns(name.to_owned()))
    }

    fn ip(&self, args: &[&str]) {
        let status = Command::new("ip")
            .args(["-n", &self.0])
            .args(args)
            .status()
            .expect("ip runs");
        assert!(status.success(), "ip -n {} {args:?}", self.0);
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

/// IPv6: in a namespace of its own whose loopback has two more addresses, a client on the first
/// asks the second, and is answered from the second (without IPV6_PKTINFO the reply would leave
/// from the first: the address the system prefers for it).
#[test]
fn ipv6_a_request_to_a_second_address_is_answered_from_it() {
    let _serial = serial();
    let name = format!("oneway-test-{}", std::process::id());
    let Some(ns) = Netns::new(&name) else {
        util::missing("network namespaces need root and iproute2");
        return;
    };
    ns.ip(&["link", "set", "lo", "up"]);
    ns.ip(&["addr", "add", "fd00::1/128", "dev", "lo", "nodad"]);
    ns.ip(&["addr", "add", "fd00::2/128", "dev", "lo", "nodad"]);
    let wrap = ["ip", "netns", "exec", name.as_str()];
    let server = Server::start_in(&wrap, "::", &["--count", "1"], Log::Read);
    let client = r#"
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(5)
s.bind(("fd00::1", 0))
s.sendto(b"hi", ("fd00::2", int(sys.argv[1])))
data, addr = s.recvfrom(1024)
print(addr[0])
"#;
    let out = Command::new("ip")
        .args(["netns", "exec", &name, "python3", "-c", client])
        .arg(server.port.to_string())
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "fd00::2");
    drop(server);
}

/// A million datagrams forged from a million distinct sources: serve stays under 32 MB (peak
/// resident memory), counts its peers as an estimate, and still answers.
#[test]
fn a_million_forged_sources_keep_serve_under_32_mb() {
    let _serial = serial();
    let Some(forger) = Forger::new() else {
        util::missing("forging a source address needs a raw socket (root)");
        return;
    };
    let server = Server::start("127.0.0.1", &[], Log::To(Stdio::null()));
    let to = v4("127.0.0.1", server.port);
    let started = Instant::now();
    for i in 0..1_000_000u32 {
        // 127.1.0.0 and up: 1M addresses, ports from 1024 on.
        let ip = Ipv4Addr::from(0x7f01_0000 + i);
        let from = SocketAddrV4::new(ip, 1024 + (i % 60_000) as u16);
        while !forger.send(from, to, b"x") {
            thread::yield_now();
        }
        assert!(started.elapsed() < LIMIT * 6, "forging takes too long");
    }
    let sent_in = started.elapsed();
    let probe = socket("127.0.0.1", Duration::from_millis(500));
    let mut buf = [0u8; 128];
    let asked = Instant::now();
    loop {
        probe
            .send_to(b"probe", ("127.0.0.1", server.port))
            .expect("send");
        if probe.recv_from(&mut buf).is_ok() {
            break;
        }
        assert!(asked.elapsed() < LIMIT, "serve stopped answering");
    }
    let (peak, now) = util::rss_kb(server.pid());
    let (code, _, err) = server.interrupt();
    assert_eq!(code, Some(0));
    let s = summary(&err);
    eprintln!("1M forged sources sent in {sent_in:?}; peak {peak} KiB, now {now} KiB; {s}");
    assert!(
        peak > 0 && peak < 32 * 1000,
        "peak RSS {peak} KiB, over 32 MB"
    );
    assert!(
        s.contains(" bytes, about "),
        "the peers are not an estimate: {s}"
    );
}

/// The log to /dev/full: every request is still answered; a warning names the stream as soon
/// as the server learns of the failure (from its writer thread), and the summary counts the
/// lines that were not logged.
#[test]
fn a_full_log_never_stops_the_answering() {
    let _serial = serial();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    // The limiter off: this loop sends as fast as it is answered until the warning comes.
    let server = Server::start(
        "127.0.0.1",
        &["--rate-limit", "off"],
        Log::To(Stdio::from(full)),
    );
    let client = socket("127.0.0.1", Duration::from_secs(5));
    let mut buf = [0u8; 128];
    let started = Instant::now();
    let mut sent = 0u64;
    let warning = loop {
        client
            .send_to(b"x", ("127.0.0.1", server.port))
            .expect("send");
        client
            .recv_from(&mut buf)
            .expect("answered although the log fails");
        sent += 1;
        if let Ok(line) = server.err.try_recv() {
            break line;
        }
        assert!(
            started.elapsed() < LIMIT,
            "no warning after {sent} requests"
        );
    };
    assert!(
        warning
            .starts_with("oneway: warning: cannot write the log to stdout (/dev/full): No space"),
        "{warning}"
    );
    let (code, _, err) = server.interrupt();
    assert_eq!(code, Some(0), "{err:?}");
    let s = summary(&err);
    let want = format!(
        "oneway: {sent} datagrams, {sent} bytes, 1 distinct peer, {sent} lines not logged \
         (stdout (/dev/full): No space left on device"
    );
    assert!(s.starts_with(&want), "{s}");
}

/// The log to a pipe whose reader is gone: the same, and the summary says the reader is gone.
#[test]
fn a_closed_log_pipe_never_stops_the_answering() {
    let _serial = serial();
    let mut server = Server::start("127.0.0.1", &[], Log::Hold);
    // Close the read end: the next write fails with EPIPE.
    drop(server.held.take());
    let client = socket("127.0.0.1", Duration::from_secs(5));
    let mut buf = [0u8; 128];
    for _ in 0..20 {
        client
            .send_to(b"x", ("127.0.0.1", server.port))
            .expect("send");
        client
            .recv_from(&mut buf)
            .expect("answered although nobody reads the log");
    }
    let (code, _, err) = server.interrupt();
    assert_eq!(code, Some(0), "{err:?}");
    let s = summary(&err);
    assert!(
        s.contains("lines not logged (stdout (pipe): the reader is gone"),
        "{s}"
    );
}

/// The log to a pipe nobody reads: 20,000 requests of 1,000 bytes (30 MB of log, far past the
/// pipe and the queue) are every one answered; SIGINT ends the server within half a second
/// though its log writer is blocked, and the summary counts what was not logged.
#[test]
fn a_log_reader_that_never_reads_costs_lines_not_replies_nor_time() {
    let _serial = serial();
    let server = Server::start(
        "127.0.0.1",
        &["--reply", "echo", "--rate-limit", "off"],
        Log::Hold,
    );
    let client = socket("127.0.0.1", Duration::from_secs(5));
    let msg = vec![b'\x01'; 1000];
    let mut buf = vec![0u8; 2048];
    let started = Instant::now();
    for i in 0..20_000 {
        client
            .send_to(&msg, ("127.0.0.1", server.port))
            .expect("send");
        let (n, _) = client
            .recv_from(&mut buf)
            .unwrap_or_else(|e| panic!("request {i} not answered: {e}"));
        assert_eq!(n, 1000);
    }
    eprintln!(
        "20,000 answered in {:?} with a log nobody reads",
        started.elapsed()
    );
    let (code, took, err) = server.interrupt();
    assert_eq!(code, Some(0), "{err:?}");
    eprintln!("SIGINT to exit: {took:?}; {}", summary(&err));
    assert!(took < Duration::from_millis(500), "took {took:?} to stop");
    assert!(summary(&err).contains(" lines not logged ("), "{err:?}");
}
