//! `oneway serve`: the lab's UDP server, answering every peer.
//!
//! One unconnected socket (`recv_from`/`send_to`, never `connect`), so every peer is served, not
//! only the first one as with `nc -ul`. For each datagram: one log line on `out` (text or jsonl),
//! then the reply (`greet`, `echo` or nothing). What this module owns:
//!
//! - **Whole datagrams.** The receive buffer holds 65,535 bytes, more than any UDP payload
//!   (65,507 over IPv4, 65,527 over IPv6), so nothing is ever truncated.
//! - **Nothing stops the server but `--count`, Ctrl-C or SIGTERM.** A reply that cannot be sent
//!   (too large, peer gone) or an ICMP error reported on the socket is a one-line warning on `err`;
//!   after [`MAX_WARNINGS`] warnings, further ones are only counted in the summary.
//! - **Printing never limits the server.** `out` is expected to be buffered; it is flushed only
//!   when the socket goes idle (no datagram immediately pending), so a burst is logged in one
//!   write. To know that without polling, receives stop waiting after a datagram and wait again
//!   (with a [`TICK`] read timeout, to notice Ctrl-C) once the socket has been drained.
//! - **Few system calls under load.** On Linux a burst is received with `recvmmsg` (up to 64
//!   datagrams, never more than `--count` still allows) and answered with one `sendmmsg`
//!   (`batch`); elsewhere, or where `recvmmsg` is missing, one `recv_from`/`send_to` per
//!   datagram. Both paths log, answer and count exactly alike.
//! - **The summary.** On `err`, one line: datagrams, bytes, distinct peers. Distinct peers are
//!   counted exactly up to [`MAX_PEERS`] (bounded memory); beyond, the summary says "at least".
//!
//! Formats (stable, tests rely on them):
//!
//! ```text
//! oneway: listening on 0.0.0.0:12345 (udp)                       (err, at start)
//! 172.19.0.3:57314 -> 19 bytes: "Hello, UDP server2!"            (out, text)
//! {"time":"2025-09-15T11:20:53.709480000Z","peer":"172.19.0.3","port":57314,"length":19,"payload":"48656c…"}
//! oneway: 2 datagrams, 38 bytes, 1 distinct peer (stopped by --count)   (err, at the end)
//! ```
//!
//! The payload in the text line is escaped with [`crate::escape::escape`]; in jsonl it is
//! lowercase hex. IPv4 peers of a dual-stack (`--bind ::`) socket are shown as plain IPv4, in the
//! log and in the greeting.

use std::collections::HashSet;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use socket2::{Domain, Protocol, Socket, Type};

use super::addr::{python_repr, unmap};
#[cfg(target_os = "linux")]
mod batch;
use crate::escape::{escape_into, hex};

/// Size of the receive buffer: the largest UDP length, so no datagram is ever cut.
pub const RECV_BUFFER: usize = 65_535;
/// How often a blocked receive wakes up to check for Ctrl-C / SIGTERM.
pub const TICK: Duration = Duration::from_millis(200);
/// Distinct peers are counted exactly up to this many (about 40 MB at most); then "at least".
pub const MAX_PEERS: usize = 1_000_000;
/// Warnings printed before further ones are only counted in the summary.
pub const MAX_WARNINGS: u64 = 100;

/// Set by the Ctrl-C / SIGTERM / SIGHUP handler; read by the serving loop.
static STOP: AtomicBool = AtomicBool::new(false);
/// The outcome of installing the signal handler (once per process).
static HANDLER: OnceLock<Result<(), String>> = OnceLock::new();

/// Resolved options of `serve`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to bind (`0.0.0.0`, `::` for dual-stack, `127.0.0.1`, …).
    pub bind: IpAddr,
    /// Port to bind; 0 picks a free one (the listening line tells which).
    pub port: u16,
    /// What to answer.
    pub reply: Reply,
    /// Stop after this many datagrams.
    pub count: Option<u64>,
    /// Log format on `out`.
    pub format: LogFormat,
}

/// What `serve` answers to each datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reply {
    /// `Hello, ('ADDR', PORT). You said: MESSAGE`, byte for byte what the lab's server answered.
    #[default]
    Greet,
    /// The payload, unchanged.
    Echo,
    /// Nothing: truly one-way.
    None,
}

/// The format of `serve`'s log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// One line of text per datagram.
    #[default]
    Text,
    /// One JSON object per datagram.
    Jsonl,
}

/// Why the server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Count,
    Signal,
}

/// What the summary line reports.
#[derive(Debug, Default)]
struct Stats {
    datagrams: u64,
    bytes: u64,
    peers: HashSet<SocketAddr>,
    peers_capped: bool,
    failed_replies: u64,
    receive_errors: u64,
    warnings: u64,
}

impl Stats {
    fn record(&mut self, peer: SocketAddr, len: usize) {
        self.datagrams += 1;
        self.bytes += len as u64;
        if self.peers.len() < MAX_PEERS {
            self.peers.insert(peer);
        } else if !self.peers.contains(&peer) {
            self.peers_capped = true;
        }
    }

    /// `2 datagrams, 38 bytes, 1 distinct peer (stopped by --count)`.
    fn summary(&self, stop: Stop) -> String {
        let peers = self.peers.len() as u64;
        let mut s = format!(
            "{}, {}, {}{}",
            plural(self.datagrams, "datagram"),
            plural(self.bytes, "byte"),
            if self.peers_capped { "at least " } else { "" },
            plural(peers, "distinct peer"),
        );
        if self.failed_replies > 0 {
            s.push_str(&format!(
                ", {} not sent",
                plural(self.failed_replies, "reply")
            ));
        }
        if self.receive_errors > 0 {
            s.push_str(&format!(
                ", {}",
                plural(self.receive_errors, "receive error")
            ));
        }
        s.push_str(match stop {
            Stop::Count => " (stopped by --count)",
            Stop::Signal => " (stopped by signal)",
        });
        s
    }

    /// Writes `oneway: warning: …` unless [`MAX_WARNINGS`] were already written.
    fn warn(&mut self, err: &mut dyn Write, what: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.warnings += 1;
        if self.warnings <= MAX_WARNINGS {
            writeln!(err, "oneway: warning: {what}")?;
        }
        if self.warnings == MAX_WARNINGS {
            writeln!(
                err,
                "oneway: warning: {MAX_WARNINGS} warnings; further ones are not shown"
            )?;
        }
        Ok(())
    }
}

/// `1 datagram`, `2 datagrams`; `reply` becomes `replies`.
fn plural(n: u64, word: &str) -> String {
    match (n, word.strip_suffix('y')) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {word}s"),
    }
}

/// The lab server's answer, byte for byte: `Hello, ('IP', PORT). You said: ` then the message's
/// bytes as they came (the lab decoded UTF-8; raw bytes answer binary messages too).
pub fn greeting(peer: SocketAddr, message: &[u8]) -> Vec<u8> {
    let mut reply = Vec::with_capacity(64 + message.len());
    write_greeting_head(&mut reply, peer);
    reply.extend_from_slice(message);
    reply
}

/// Appends the greeting's head, `Hello, ('IP', PORT). You said: `, to `buf`.
fn write_greeting_head(buf: &mut Vec<u8>, peer: SocketAddr) {
    buf.extend_from_slice(b"Hello, ");
    buf.extend_from_slice(python_repr(peer).as_bytes());
    buf.extend_from_slice(b". You said: ");
}

/// One log record of `--format jsonl`, keys in this order.
#[derive(serde::Serialize)]
struct Record<'a> {
    /// When the datagram was received: RFC 3339, UTC, 9 fractional digits.
    time: &'a str,
    /// The sender's IP address (RFC 5952 for IPv6; IPv4-mapped shown as IPv4).
    peer: String,
    /// The sender's port.
    port: u16,
    /// Payload length in bytes.
    length: usize,
    /// Lowercase hex of the payload.
    payload: String,
}

/// Writes the log line of one datagram (with its newline) in `format`; `time` is only used by
/// jsonl.
pub fn write_log(
    out: &mut dyn Write,
    format: LogFormat,
    time: jiff::Timestamp,
    peer: SocketAddr,
    payload: &[u8],
) -> io::Result<()> {
    match format {
        LogFormat::Text => {
            let mut line = String::with_capacity(payload.len() + 40);
            line.push_str(&format!(
                "{peer} -> {}: \"",
                plural(payload.len() as u64, "byte")
            ));
            escape_into(payload, usize::MAX, &mut line);
            line.push_str("\"\n");
            out.write_all(line.as_bytes())
        }
        LogFormat::Jsonl => {
            let time = format!("{time:.9}");
            let record = Record {
                time: &time,
                peer: peer.ip().to_string(),
                port: peer.port(),
                length: payload.len(),
                payload: hex(payload),
            };
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")
        }
    }
}

/// Binds a UDP socket on `addr`; `::` is made dual-stack (IPv4 peers too).
fn bind(addr: SocketAddr) -> io::Result<UdpSocket> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    if let IpAddr::V6(ip) = addr.ip()
        && ip.is_unspecified()
    {
        socket.set_only_v6(false)?;
    }
    socket.bind(&addr.into())?;
    Ok(socket.into())
}

/// Installs the Ctrl-C / SIGTERM / SIGHUP handler once per process and clears the stop flag.
fn arm_stop_handler(err: &mut dyn Write) -> io::Result<()> {
    STOP.store(false, Ordering::SeqCst);
    let installed = HANDLER.get_or_init(|| {
        ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst)).map_err(|e| e.to_string())
    });
    if let Err(e) = installed {
        writeln!(
            err,
            "oneway: warning: cannot catch Ctrl-C ({e}); it will stop the server without a summary"
        )?;
    }
    Ok(())
}

/// Whether a receive error is the read timeout (or, non-blocking, "nothing pending").
fn is_idle(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Errors a socket may report because of one peer (mostly ICMP errors): warn and go on.
fn is_peer_error(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionReset | HostUnreachable | NetworkUnreachable | NetworkDown
    )
}

/// The listening socket and whether it is currently non-blocking.
struct Server {
    socket: UdpSocket,
    nonblocking: bool,
}

impl Server {
    fn set_nonblocking(&mut self, on: bool) -> io::Result<()> {
        if self.nonblocking != on {
            self.socket.set_nonblocking(on)?;
            self.nonblocking = on;
        }
        Ok(())
    }

    /// Sends `reply` to `peer`; a full send buffer while non-blocking waits (up to [`TICK`]).
    /// A signal interrupting the send retries it.
    fn answer(&mut self, reply: &[u8], peer: SocketAddr) -> io::Result<()> {
        loop {
            match self.socket.send_to(reply, peer) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && self.nonblocking => {
                    self.set_nonblocking(false)?;
                }
                r => return r.map(drop),
            }
        }
    }
}

/// Serves one datagram per `recv_from` and `send_to` (where `recvmmsg` is not available) until
/// `--count`, Ctrl-C or SIGTERM.
fn one_by_one(
    socket: UdpSocket,
    local: SocketAddr,
    o: &Options,
    stats: &mut Stats,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Stop> {
    let mut server = Server {
        socket,
        nonblocking: false,
    };
    let mut buf = vec![0u8; RECV_BUFFER];
    let stop = loop {
        if o.count.is_some_and(|n| stats.datagrams >= n) {
            break Stop::Count;
        }
        if STOP.load(Ordering::SeqCst) {
            break Stop::Signal;
        }
        match server.socket.recv_from(&mut buf) {
            Ok((len, from)) => {
                let payload = &buf[..len];
                let peer = unmap(from);
                stats.record(peer, len);
                write_log(out, o.format, jiff::Timestamp::now(), peer, payload)?;
                let reply = match o.reply {
                    Reply::Greet => Some(greeting(peer, payload)),
                    Reply::Echo => Some(payload.to_vec()),
                    Reply::None => None,
                };
                if let Some(reply) = reply
                    && let Err(e) = server.answer(&reply, from)
                {
                    stats.failed_replies += 1;
                    let n = reply.len();
                    stats.warn(err, format_args!("cannot answer {peer} ({n} bytes): {e}"))?;
                }
                server
                    .set_nonblocking(true)
                    .with_context(|| format!("socket error on {local}"))?;
            }
            Err(e) if is_idle(&e) => {
                if server.nonblocking {
                    out.flush()?;
                    server
                        .set_nonblocking(false)
                        .with_context(|| format!("socket error on {local}"))?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if is_peer_error(&e) => {
                stats.receive_errors += 1;
                stats.warn(err, format_args!("receive on {local}: {e}"))?;
            }
            Err(e) => return Err(e).with_context(|| format!("cannot receive on {local}")),
        }
    };
    Ok(stop)
}

/// Runs the server until `--count` datagrams, Ctrl-C or SIGTERM; then the summary on `err`.
pub fn run(o: &Options, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    let addr = SocketAddr::new(o.bind, o.port);
    let socket = bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    let local = socket
        .local_addr()
        .with_context(|| format!("cannot listen on {addr}"))?;
    socket
        .set_read_timeout(Some(TICK))
        .and_then(|()| socket.set_write_timeout(Some(TICK)))
        .with_context(|| format!("cannot set timeouts on {local}"))?;
    arm_stop_handler(err)?;
    writeln!(err, "oneway: listening on {local} (udp)")?;
    err.flush()?;

    let mut stats = Stats::default();
    #[cfg(target_os = "linux")]
    let batched = batch::serve(batch::Batch::new(), &socket, local, o, &mut stats, out, err)?;
    #[cfg(not(target_os = "linux"))]
    let batched = None;
    let stop = match batched {
        Some(stop) => stop,
        None => one_by_one(socket, local, o, &mut stats, out, err)?,
    };
    out.flush()?;
    writeln!(err, "oneway: {}", stats.summary(stop))?;
    err.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(format: LogFormat, peer: &str, payload: &[u8]) -> String {
        let mut out = Vec::new();
        let time: jiff::Timestamp = "2025-09-15T11:20:53.70948Z".parse().unwrap();
        write_log(&mut out, format, time, peer.parse().unwrap(), payload).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn greets_like_the_lab_server() {
        let peer: SocketAddr = "172.19.0.3:57314".parse().unwrap();
        assert_eq!(
            greeting(peer, b"Hello, UDP server2!"),
            b"Hello, ('172.19.0.3', 57314). You said: Hello, UDP server2!"
        );
        let v6: SocketAddr = "[::1]:57314".parse().unwrap();
        assert_eq!(
            greeting(v6, b"hi"),
            b"Hello, ('::1', 57314, 0, 0). You said: hi"
        );
        // binary messages are appended as they came
        assert!(greeting(peer, b"\xff\x00").ends_with(b"You said: \xff\x00"));
    }

    #[test]
    fn text_log_line() {
        assert_eq!(
            log(LogFormat::Text, "172.19.0.3:57314", b"Hello, UDP server2!"),
            "172.19.0.3:57314 -> 19 bytes: \"Hello, UDP server2!\"\n"
        );
        assert_eq!(
            log(LogFormat::Text, "[::1]:5", b"\x1b[2J\xff\n"),
            "[::1]:5 -> 6 bytes: \"\\x1b[2J\\xff\\n\"\n"
        );
        assert_eq!(
            log(LogFormat::Text, "1.2.3.4:5", b"x"),
            "1.2.3.4:5 -> 1 byte: \"x\"\n"
        );
        assert_eq!(
            log(LogFormat::Text, "1.2.3.4:5", b""),
            "1.2.3.4:5 -> 0 bytes: \"\"\n"
        );
    }

    #[test]
    fn jsonl_log_line() {
        assert_eq!(
            log(LogFormat::Jsonl, "172.19.0.3:57314", b"Hi\x00"),
            "{\"time\":\"2025-09-15T11:20:53.709480000Z\",\"peer\":\"172.19.0.3\",\"port\":57314,\
             \"length\":3,\"payload\":\"486900\"}\n"
        );
        assert!(log(LogFormat::Jsonl, "[::1]:9", b"").contains("\"peer\":\"::1\",\"port\":9,"));
    }

    #[test]
    fn summary_line() {
        let mut s = Stats::default();
        s.record("1.2.3.4:5".parse().unwrap(), 19);
        assert_eq!(
            s.summary(Stop::Count),
            "1 datagram, 19 bytes, 1 distinct peer (stopped by --count)"
        );
        s.record("1.2.3.4:5".parse().unwrap(), 1);
        s.record("1.2.3.4:6".parse().unwrap(), 0);
        s.failed_replies = 2;
        assert_eq!(
            s.summary(Stop::Signal),
            "3 datagrams, 20 bytes, 2 distinct peers, 2 replies not sent (stopped by signal)"
        );
        assert_eq!(plural(1, "reply"), "1 reply");
    }

    #[test]
    fn warnings_are_bounded() {
        let mut s = Stats::default();
        let mut err = Vec::new();
        for _ in 0..MAX_WARNINGS + 50 {
            s.warn(&mut err, format_args!("x")).unwrap();
        }
        let lines = String::from_utf8(err).unwrap().lines().count() as u64;
        assert_eq!(lines, MAX_WARNINGS + 1);
        assert_eq!(s.warnings, MAX_WARNINGS + 50);
    }
}
