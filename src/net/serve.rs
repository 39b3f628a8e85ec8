//! `oneway serve`: the lab's UDP server, answering every peer — but not every datagram.
//!
//! One unconnected socket (`recv_from`/`send_to`, never `connect`), so every peer is served, not
//! only the first one as with `nc -ul`. For each datagram: one log line on `out` (text or jsonl),
//! then the reply (`greet`, `echo` or nothing), unless a rule says not to answer. What this
//! module owns:
//!
//! - **Whole datagrams.** The receive buffer holds 65,535 bytes, more than any UDP payload
//!   (65,507 over IPv4, 65,527 over IPv6), so nothing is ever truncated.
//! - **No reflector, no loops** ([`guard`]). Every datagram is logged, but one is not answered
//!   when it comes from this server itself (its own port and one of this host's addresses), from
//!   port 0 or a well-known reflector port (7, 13, 17, 19, 37), or when its source address is
//!   over the rate limit (`--rate-limit`, a token bucket per address: 100 replies a second in
//!   bursts of 200 by default). A greeting too large for a datagram is not attempted. Each case
//!   is counted in the summary; the rate limit says what it held back at most once a second on
//!   `err`.
//! - **Replies leave from the address the request came to.** On Linux, a server bound to a
//!   wildcard address (`0.0.0.0`, `::`) asks for each datagram's destination (`IP_PKTINFO`,
//!   `IPV6_RECVPKTINFO`) and sends the reply from it, so a client of a secondary address (or of
//!   any address of a multi-homed host) gets its answer from the address it asked.
//! - **Nothing stops the server but `--count`, Ctrl-C, SIGTERM or SIGHUP.** A reply that cannot
//!   be sent or an ICMP error reported on the socket is a one-line warning on `err`; after
//!   [`MAX_WARNINGS`] warnings, further ones are only counted in the summary.
//! - **The log is not the server's master** ([`log`]). Lines are handed to a writer thread
//!   through a queue bounded in bytes; a slow reader, a closed pipe or a full disk costs log
//!   lines (counted, and said in the summary with the stream's name), never replies. Ctrl-C ends
//!   the server within half a second whatever the log's reader does.
//! - **Few system calls under load.** On Linux a burst is received with `recvmmsg` (up to 64
//!   datagrams, never more than `--count` still allows) and answered with one `sendmmsg`
//!   (`batch`); elsewhere, or where `recvmmsg` is missing, one `recv_from`/`send_to` per
//!   datagram. Both paths log, answer and count exactly alike.
//! - **Bounded memory whatever the peers.** Distinct peers are counted exactly up to 65,536,
//!   then estimated ([`peers`]: "about N distinct peers"); the rate limit's table is fixed.
//!
//! Formats (stable, tests rely on them):
//!
//! ```text
//! oneway: listening on 0.0.0.0:12345 (udp); rate limit 100/s per source address, bursts of 200
//! 172.19.0.3:57314 -> 19 bytes: "Hello, UDP server2!"            (out, text)
//! {"time":"2025-09-15T11:20:53.709480000Z","peer":"172.19.0.3","port":57314,"length":19,"payload":"48656c…"}
//! oneway: rate limit: 812 datagrams not answered (over 100/s from one address; the latest from 127.0.0.2)
//! oneway: 2 datagrams, 38 bytes, 1 distinct peer (stopped by --count)   (err, at the end)
//! ```
//!
//! The payload in the text line is escaped with [`crate::escape::escape`] and cut after
//! [`PREVIEW_CHARS`] characters (`...`; the line says the full length); in jsonl it is
//! lowercase hex. `--log lab` writes the lab's python server's line
//! (`Received message from ('172.19.0.3', 57314): Hello, UDP server2!`): the message decoded
//! as UTF-8 with Python's replacement of invalid bytes, whole, with only what a terminal would act
//! on escaped. IPv4 peers of a dual-stack (`--bind ::`) socket are shown as plain IPv4, in the
//! log and in the greeting.

use std::fs::File;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use socket2::{Domain, Protocol, Socket, Type};

use super::addr::{python_repr, unmap};
use super::send::{MAX_PAYLOAD_V4, MAX_PAYLOAD_V6};
use super::stop;
use crate::escape::{PREVIEW_CHARS, escape_into, escape_unsafe_into, hex};
use crate::i18n::{self, Template, tr};
use std::sync::OnceLock;

#[cfg(target_os = "linux")]
mod batch;
pub mod guard;
pub mod log;
pub mod peers;

use guard::{Limiter, Loops, Refusal};
use log::Log;
use peers::Peers;

/// Size of the receive buffer: the largest UDP length, so no datagram is ever cut.
pub const RECV_BUFFER: usize = 65_535;
/// How often a blocked receive wakes up to check for Ctrl-C / SIGTERM.
pub const TICK: Duration = Duration::from_millis(100);
/// Warnings printed before further ones are only counted in the summary.
pub const MAX_WARNINGS: u64 = 100;
/// The highest `--rate-limit`: replies a second to one source address.
pub const MAX_RATE: u32 = 1_000_000;
/// How long the log's writer is given to write what is queued, after a signal / after `--count`.
const LOG_GRACE_SIGNAL: Duration = Duration::from_millis(150);
const LOG_GRACE_COUNT: Duration = Duration::from_secs(2);
/// The rate limit speaks at most this often.
const NOTE_EVERY: Duration = Duration::from_secs(1);

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
    /// Replies a second to one source address (bursts of twice that); `None`: no limit.
    pub rate_limit: Option<u32>,
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
    /// The lab's python server's line: `Received message from ('172.19.0.3', 57314): MESSAGE`.
    Lab,
}

/// Why the server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Count,
    Signal,
}

/// What the summary line reports.
#[derive(Default)]
struct Stats {
    datagrams: u64,
    bytes: u64,
    peers: Peers,
    failed_replies: u64,
    receive_errors: u64,
    warnings: u64,
    /// Not answered: over the rate limit.
    limited: u64,
    /// Not answered: the loop rules.
    refused: u64,
    /// Log lines not written, and why.
    log: log::Report,
}

impl Stats {
    fn record(&mut self, peer: SocketAddr, len: usize) {
        self.datagrams += 1;
        self.bytes += len as u64;
        self.peers.add(peer);
    }

    /// `2 datagrams, 38 bytes, 1 distinct peer (stopped by --count)`, with what was not
    /// answered, sent or logged when there is some.
    fn summary(&self, stop: Stop) -> String {
        let (peers, about) = self.peers.count();
        let mut counts = vec![if about {
            tr!(
                "serve-tally-about",
                datagrams = self.datagrams,
                bytes = self.bytes,
                peers = round3(peers)
            )
        } else {
            tr!(
                "serve-tally",
                datagrams = self.datagrams,
                bytes = self.bytes,
                peers = peers
            )
        }];
        for (n, key) in [
            (self.limited, "serve-tally-limited"),
            (self.refused, "serve-tally-refused"),
            (self.failed_replies, "serve-tally-failed"),
            (self.receive_errors, "serve-tally-receive-errors"),
        ] {
            if n > 0 {
                counts.push(tr!(key, n = n));
            }
        }
        if self.log.lost > 0 {
            counts.push(match &self.log.why {
                Some(why) => tr!("serve-tally-not-logged-why", n = self.log.lost, why = why),
                None => tr!("serve-tally-not-logged", n = self.log.lost),
            });
        }
        let stopped = match stop {
            Stop::Count => tr!("serve-stopped-count"),
            Stop::Signal => tr!("serve-stopped-signal"),
        };
        format!("{} ({stopped})", counts.join(", "))
    }

    /// Writes `oneway: warning: …` unless [`MAX_WARNINGS`] were already written.
    fn warn(&mut self, err: &mut dyn Write, what: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.warnings += 1;
        if self.warnings <= MAX_WARNINGS {
            writeln!(
                err,
                "oneway: {}",
                tr!("serve-warning", what = what.to_string())
            )?;
        }
        if self.warnings == MAX_WARNINGS {
            writeln!(
                err,
                "oneway: {}",
                tr!("serve-warnings-max", n = MAX_WARNINGS)
            )?;
        }
        Ok(())
    }
}

/// `n` to 3 significant digits (an estimate says no more).
fn round3(n: u64) -> u64 {
    let mut scale = 1;
    while n / scale >= 1000 {
        scale *= 10;
    }
    (n + scale / 2) / scale * scale
}

/// The text log's line for a payload of `len` bytes (`{peer} -> {len} bytes: "{payload}"`), cut
/// once per process and language at its arguments: each datagram pushes only its own values.
/// The plural form is the one of 1 or of 2: the only two of English and Indonesian (CLDR).
fn log_line(len: usize) -> &'static Template {
    static LINES: [[OnceLock<Template>; 2]; 3] = [const { [const { OnceLock::new() }; 2] }; 3];
    let lang = i18n::current();
    let n: u64 = if len == 1 { 1 } else { 2 };
    LINES[lang as usize][(n - 1) as usize].get_or_init(|| {
        Template::with_numbers(
            lang,
            "serve-log-line",
            &["peer", "n", "payload"],
            &[("size", n)],
        )
    })
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
            log_line(payload.len()).push_with(&mut line, |i, line| match i {
                0 => {
                    use std::fmt::Write as _;
                    let _ = write!(line, "{peer}");
                }
                1 => line.push_str(itoa::Buffer::new().format(payload.len())),
                _ => escape_into(payload, PREVIEW_CHARS, line),
            });
            line.push('\n');
            out.write_all(line.as_bytes())
        }
        LogFormat::Lab => {
            // `data.decode(errors="replace")` then `print`: invalid UTF-8 becomes U+FFFD as
            // Python replaces it; what Python would print raw and a terminal would act on is
            // escaped.
            let mut line = String::with_capacity(payload.len() + 48);
            line.push_str("Received message from ");
            line.push_str(&python_repr(peer));
            line.push_str(": ");
            escape_unsafe_into(&String::from_utf8_lossy(payload), &mut line);
            line.push('\n');
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

/// The largest reply a datagram to `peer` (IPv4-mapped shown as IPv4) can carry.
fn max_reply(peer: SocketAddr) -> usize {
    match peer {
        SocketAddr::V4(_) => MAX_PAYLOAD_V4,
        SocketAddr::V6(_) => MAX_PAYLOAD_V6,
    }
}

/// The state of one run of the server, shared by both loops: what is counted, the log, the
/// rules that decide which datagrams are answered.
struct Session<'a> {
    o: &'a Options,
    /// The bound address, as the listening line said it.
    local: SocketAddr,
    stats: Stats,
    log: Log,
    loops: Loops,
    limiter: Option<Limiter>,
    err: &'a mut dyn Write,
    /// Datagrams held back by the rate limit since its last note, the latest source, and when
    /// the last note was written.
    held: u64,
    held_latest: Option<IpAddr>,
    noted_at: Option<Instant>,
}

impl<'a> Session<'a> {
    fn new(o: &'a Options, local: SocketAddr, log: Log, err: &'a mut dyn Write) -> Self {
        Session {
            o,
            local,
            stats: Stats::default(),
            log,
            loops: Loops::new(local),
            limiter: o.rate_limit.map(Limiter::new),
            err,
            held: 0,
            held_latest: None,
            noted_at: None,
        }
    }

    /// `oneway: warning: …` (bounded, see [`Stats::warn`]).
    fn warn(&mut self, what: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.stats.warn(self.err, what)
    }

    /// Counts and logs one datagram from `peer` (IPv4-mapped shown as IPv4) that came to the
    /// local address `to` (when known); says whether to answer it.
    fn take(
        &mut self,
        peer: SocketAddr,
        to: Option<IpAddr>,
        payload: &[u8],
        now: Instant,
    ) -> io::Result<bool> {
        self.stats.record(peer, payload.len());
        write_log(
            self.log.line(),
            self.o.format,
            jiff::Timestamp::now(),
            peer,
            payload,
        )?;
        self.log.end_line(self.err)?;
        if self.o.reply == Reply::None {
            return Ok(false);
        }
        if let Some(refusal) = self.loops.check(peer, to, now) {
            self.stats.refused += 1;
            match refusal {
                Refusal::Own => self.warn(format_args!(
                    "{}",
                    tr!("serve-loop-own", peer = peer.to_string())
                ))?,
                Refusal::Reflector(port) => self.warn(format_args!(
                    "{}",
                    tr!("serve-loop-reflector", peer = peer.to_string(), port = port)
                ))?,
            }
            return Ok(false);
        }
        if self.o.reply == Reply::Greet {
            let max = max_reply(peer);
            // The head is at most about 80 bytes: measure it only when it might matter.
            if payload.len() + 96 > max {
                let size = greeting_head_len(peer) + payload.len();
                if size > max {
                    self.stats.failed_replies += 1;
                    let family = if peer.is_ipv4() { "IPv4" } else { "IPv6" };
                    let why = tr!(
                        "serve-greeting-too-large",
                        peer = peer.to_string(),
                        size = size,
                        family = family,
                        max = max
                    );
                    self.warn(format_args!("{why}"))?;
                    return Ok(false);
                }
            }
        }
        if let Some(limiter) = &mut self.limiter
            && !limiter.allow(peer.ip(), now)
        {
            self.stats.limited += 1;
            self.held += 1;
            self.held_latest = Some(peer.ip());
            self.note(now)?;
            return Ok(false);
        }
        Ok(true)
    }

    /// Says what the rate limit held back since its last note, if it is time (at most once per
    /// [`NOTE_EVERY`]).
    fn note(&mut self, now: Instant) -> io::Result<()> {
        if self.held == 0
            || self
                .noted_at
                .is_some_and(|t| now.saturating_duration_since(t) < NOTE_EVERY)
        {
            return Ok(());
        }
        let rate = self.o.rate_limit.unwrap_or_default();
        let latest = self
            .held_latest
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let line = tr!(
            "serve-rate-limited",
            n = self.held,
            rate = rate,
            latest = latest
        );
        writeln!(self.err, "oneway: {line}")?;
        self.held = 0;
        self.noted_at = Some(now);
        Ok(())
    }

    /// The socket has nothing pending: hand the log over (if due, or at once when `waited`: a
    /// blocking receive timed out), and let the rate limit speak.
    fn idle(&mut self, waited: bool) -> io::Result<()> {
        let now = Instant::now();
        self.log.ship_if_due(now, waited, self.err)?;
        self.note(now)
    }

    /// A reply that could not be sent: counted, and a warning.
    fn failed(&mut self, peer: SocketAddr, size: usize, e: &io::Error) -> io::Result<()> {
        self.stats.failed_replies += 1;
        let why = tr!(
            "serve-cannot-answer",
            peer = peer.to_string(),
            size = size,
            error = e.to_string()
        );
        self.warn(format_args!("{why}"))
    }

    /// Whether `--count` is reached.
    fn counted_out(&self) -> bool {
        self.o.count.is_some_and(|n| self.stats.datagrams >= n)
    }
}

/// Length of [`write_greeting_head`]'s output for `peer`.
fn greeting_head_len(peer: SocketAddr) -> usize {
    "Hello, ".len() + python_repr(peer).len() + ". You said: ".len()
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
/// `--count`, Ctrl-C or SIGTERM. Replies leave from the address the system picks.
fn one_by_one(socket: UdpSocket, s: &mut Session<'_>) -> anyhow::Result<Stop> {
    let local = s.local;
    let mut server = Server {
        socket,
        nonblocking: false,
    };
    let mut buf = vec![0u8; RECV_BUFFER];
    let stop = loop {
        if s.counted_out() {
            break Stop::Count;
        }
        if stop::requested() {
            break Stop::Signal;
        }
        match server.socket.recv_from(&mut buf) {
            Ok((len, from)) => {
                let payload = &buf[..len];
                let peer = unmap(from);
                if s.take(peer, None, payload, Instant::now())? {
                    let reply = match s.o.reply {
                        Reply::Greet => greeting(peer, payload),
                        _ => payload.to_vec(),
                    };
                    if let Err(e) = server.answer(&reply, from) {
                        s.failed(peer, reply.len(), &e)?;
                    }
                }
                server
                    .set_nonblocking(true)
                    .with_context(|| tr!("serve-socket-error", local = local.to_string()))?;
            }
            Err(e) if is_idle(&e) => {
                s.idle(!server.nonblocking)?;
                if server.nonblocking {
                    server
                        .set_nonblocking(false)
                        .with_context(|| tr!("serve-socket-error", local = local.to_string()))?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if is_peer_error(&e) => {
                s.stats.receive_errors += 1;
                let why = tr!(
                    "serve-receive-warning",
                    local = local.to_string(),
                    error = e.to_string()
                );
                s.warn(format_args!("{why}"))?;
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| tr!("serve-cannot-receive", local = local.to_string()));
            }
        }
    };
    Ok(stop)
}

/// Where `serve` logs by default: stdout, through a descriptor of its own (so that the writer
/// thread needs no lock that the rest of the program holds), and its name for messages.
pub fn stdout_log() -> io::Result<(Box<dyn Write + Send>, String)> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = io::stdout().as_fd().try_clone_to_owned()?;
        Ok((Box::new(File::from(fd)), log::stdout_name()))
    }
    #[cfg(not(unix))]
    {
        Ok((Box::new(io::stdout()), log::stdout_name()))
    }
}

/// `0.0.0.0:12345 (udp); rate limit 100/s per source address, bursts of 200`.
fn listening(local: SocketAddr, rate: Option<u32>) -> String {
    match rate {
        Some(r) => tr!(
            "serve-listening",
            local = local.to_string(),
            rate = r,
            burst = 2 * u64::from(r)
        ),
        None => tr!("serve-listening-no-limit", local = local.to_string()),
    }
}

/// Runs the server until `--count` datagrams, Ctrl-C or SIGTERM, logging to `out` (called
/// `out_name` in messages, see [`stdout_log`]); then the summary on `err`.
pub fn run(
    o: &Options,
    out: Box<dyn Write + Send>,
    out_name: String,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let addr = SocketAddr::new(o.bind, o.port);
    let cannot_listen = || tr!("serve-cannot-listen", addr = addr.to_string());
    let socket = bind(addr).with_context(cannot_listen)?;
    let local = socket.local_addr().with_context(cannot_listen)?;
    socket
        .set_read_timeout(Some(TICK))
        .and_then(|()| socket.set_write_timeout(Some(TICK)))
        .with_context(|| tr!("serve-cannot-set-timeouts", local = local.to_string()))?;
    #[cfg(target_os = "linux")]
    let pktinfo = batch::want_pktinfo(&socket, local)
        .with_context(|| tr!("serve-cannot-pktinfo", local = local.to_string()))?;
    stop::arm(err, "stop-warning-serve")?;
    writeln!(err, "oneway: {}", listening(local, o.rate_limit))?;
    err.flush()?;

    let log = Log::start(out, out_name).context(tr!("serve-cannot-start-log"))?;
    let mut s = Session::new(o, local, log, err);
    #[cfg(target_os = "linux")]
    let served = match batch::serve(batch::Batch::new(pktinfo), &socket, &mut s) {
        Ok(Some(stop)) => Ok(stop),
        Ok(None) => one_by_one(socket, &mut s),
        Err(e) => Err(e),
    };
    #[cfg(not(target_os = "linux"))]
    let served = one_by_one(socket, &mut s);
    let grace = match served {
        Ok(Stop::Count) => LOG_GRACE_COUNT,
        _ => LOG_GRACE_SIGNAL,
    };
    let Session { mut stats, log, .. } = s;
    stats.log = log.finish(Instant::now() + grace, err)?;
    let stop = served?;
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
    fn text_log_cuts_long_payloads_and_says_their_length() {
        let line = log(LogFormat::Text, "1.2.3.4:5", &[b'A'; 65_507]);
        assert_eq!(
            line,
            format!(
                "1.2.3.4:5 -> 65507 bytes: \"{}...\"\n",
                "A".repeat(PREVIEW_CHARS)
            )
        );
    }

    #[test]
    fn lab_log_line() {
        assert_eq!(
            log(LogFormat::Lab, "172.19.0.3:57314", b"Hello, UDP server2!"),
            "Received message from ('172.19.0.3', 57314): Hello, UDP server2!\n"
        );
        assert_eq!(
            log(LogFormat::Lab, "[::1]:5000", b"caf\xc3\xa9 \\ \xff!"),
            "Received message from ('::1', 5000, 0, 0): caf\u{e9} \\ \u{fffd}!\n"
        );
        // Python would print these raw; a terminal would act on them.
        assert_eq!(
            log(
                LogFormat::Lab,
                "1.2.3.4:5",
                b"\x1b[2J\n\t\xc2\x9b\xe2\x80\xae"
            ),
            "Received message from ('1.2.3.4', 5): \\x1b[2J\\n\\t\\u{009b}\\u{202e}\n"
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
