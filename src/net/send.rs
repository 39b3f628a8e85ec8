//! `oneway send`: the lab's UDP client, which never hangs.
//!
//! The socket is bound (to `--source-port` if given) and *connected* to the target: on Linux only
//! a connected UDP socket is told about the ICMP port unreachable that answers a datagram sent to
//! a port where nothing listens, so that case can be reported plainly instead of as a timeout.
//!
//! Formats (stable, tests rely on them):
//!
//! ```text
//! Received from server: <reply, escaped>                        (out, one line per reply)
//! oneway: no reply from 127.0.0.1:12345 within 2s               (err, exit 1)
//! oneway: nothing listens on 127.0.0.1:9 (ICMP port unreachable) (err, exit 1)
//! oneway: no reply to datagram 2 of 3 within 2s                 (err, --count > 1: then go on)
//! oneway: 3 sent, 3 replies, 0 lost; rtt min/median/max 0.081/0.095/0.120 ms   (err, --count > 1)
//! ```
//!
//! A message larger than a UDP datagram can carry (65,507 bytes over IPv4, 65,527 over IPv6) is
//! a usage error (exit 2) found before anything is sent. With `--count`, a reply that arrives
//! after its timeout is taken as the reply to the next datagram (replies carry no sequence
//! number); the median RTT is computed over the first [`MAX_RTT_SAMPLES`] replies.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};

use super::addr::{Host, parse_target, unmap};
use super::stop;
use crate::escape::escape;
use crate::exit::UsageError;
use crate::i18n::tr;

/// Largest UDP payload over IPv4: 65,535 − 20 (IP header) − 8 (UDP header).
pub const MAX_PAYLOAD_V4: usize = 65_507;
/// Largest UDP payload over IPv6 (without jumbograms): 65,535 − 8 (UDP header).
pub const MAX_PAYLOAD_V6: usize = 65_527;
/// Replies whose round-trip times are kept for the median (min and max are exact).
pub const MAX_RTT_SAMPLES: usize = 1_000_000;
/// Size of the receive buffer: the largest UDP length, so no reply is ever cut.
const RECV_BUFFER: usize = 65_535;

/// Where the message comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// These bytes.
    Bytes(Vec<u8>),
    /// Standard input, read whole as raw bytes (`-` on the command line).
    Stdin,
}

/// Resolved options of `send`.
#[derive(Debug, Clone)]
pub struct Options {
    /// `HOST`, `HOST:PORT`, `[IPV6]:PORT` or a bare IPv6 address, parsed when run.
    pub target: String,
    /// Port used when `target` has none.
    pub port: u16,
    /// What to send.
    pub message: Message,
    /// Local port to send from; `None` lets the system pick.
    pub source_port: Option<u16>,
    /// How long to wait for each reply.
    pub timeout: Duration,
    /// Send without waiting for replies.
    pub no_wait: bool,
    /// How many datagrams to send from the same socket.
    pub count: u64,
    /// Pause between the starts of two sends.
    pub interval: Duration,
}

/// The largest payload a datagram to `addr` can carry.
fn max_payload(addr: &SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => MAX_PAYLOAD_V4,
        SocketAddr::V6(_) => MAX_PAYLOAD_V6,
    }
}

fn too_large(len: usize, addr: &SocketAddr) -> UsageError {
    let family = if addr.is_ipv4() { "IPv4" } else { "IPv6" };
    UsageError(tr!(
        "send-too-large",
        size = len,
        family = family,
        max = max_payload(addr)
    ))
}

/// The longest `--timeout` and `--interval`: one day (more is a usage error).
pub const MAX_DURATION: Duration = Duration::from_secs(86_400);
/// How far an oversized stdin message is counted before its size is given as "more than".
const MAX_COUNTED: u64 = 1 << 30;

/// Reads the message, stopping one byte past the largest datagram (the rest cannot be sent).
fn read_message(message: &Message) -> anyhow::Result<Vec<u8>> {
    match message {
        Message::Bytes(b) => Ok(b.clone()),
        Message::Stdin => {
            let mut buf = Vec::new();
            io::stdin()
                .lock()
                .take(MAX_PAYLOAD_V6 as u64 + 1)
                .read_to_end(&mut buf)
                .context(tr!("send-cannot-read-stdin"))?;
            Ok(buf)
        }
    }
}

/// `65508 bytes` for a message read whole; for stdin cut at one byte past the largest datagram,
/// what is left is counted (not kept) up to [`MAX_COUNTED`] bytes in all.
fn message_size(from: &Message, read: &[u8]) -> anyhow::Result<String> {
    if *from != Message::Stdin {
        return Ok(tr!("send-size", size = read.len()));
    }
    let rest = io::copy(
        &mut io::stdin().lock().take(MAX_COUNTED - read.len() as u64),
        &mut io::sink(),
    )
    .context(tr!("send-cannot-read-stdin"))?;
    let total = read.len() as u64 + rest;
    Ok(if total >= MAX_COUNTED {
        tr!("send-size-more", size = MAX_COUNTED)
    } else {
        tr!("send-size", size = total)
    })
}

/// The addresses `host` stands for, in the resolver's order.
fn resolve(host: &Host, port: u16) -> anyhow::Result<Vec<SocketAddr>> {
    match host {
        Host::Ip(ip) => Ok(vec![SocketAddr::new(*ip, port)]),
        Host::Scoped(ip, zone) => {
            let scope = scope_id(zone)?;
            Ok(vec![SocketAddr::V6(SocketAddrV6::new(*ip, port, 0, scope))])
        }
        Host::Name(name) => {
            let shown = escape(name.as_bytes());
            let addrs: Vec<SocketAddr> = (name.as_str(), port)
                .to_socket_addrs()
                .with_context(|| tr!("send-cannot-resolve", host = &shown))?
                .collect();
            if addrs.is_empty() {
                return Err(anyhow!(tr!("send-no-address-for", host = &shown)));
            }
            Ok(addrs)
        }
    }
}

/// The scope id of an IPv6 zone: a number, or (on Linux) an interface name.
fn scope_id(zone: &str) -> anyhow::Result<u32> {
    if let Ok(n) = zone.parse::<u32>() {
        return Ok(n);
    }
    #[cfg(target_os = "linux")]
    if let Ok(index) = nix::net::if_::if_nametoindex(zone) {
        return Ok(index);
    }
    Err(UsageError(tr!("send-no-zone", zone = escape(zone.as_bytes()))).into())
}

/// A socket of `target`'s family, bound to `source_port` (0: any) and connected to `target`.
fn open(target: SocketAddr, source_port: u16) -> anyhow::Result<UdpSocket> {
    let any: IpAddr = match target {
        SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
    };
    let local = SocketAddr::new(any, source_port);
    let socket = UdpSocket::bind(local).with_context(|| match source_port {
        0 => tr!("send-cannot-open-socket", local = local.to_string()),
        p => tr!("send-cannot-bind", port = p, local = local.to_string()),
    })?;
    socket
        .connect(target)
        .with_context(|| tr!("send-cannot-reach", target = target.to_string()))?;
    Ok(socket)
}

/// Picks the first resolved address the message fits in and a socket can be opened for.
fn connect(
    addrs: &[SocketAddr],
    len: usize,
    source_port: u16,
) -> anyhow::Result<(UdpSocket, SocketAddr)> {
    let mut first_error = None;
    for addr in addrs {
        if len > max_payload(addr) {
            first_error.get_or_insert_with(|| anyhow::Error::new(too_large(len, addr)));
            continue;
        }
        match open(*addr, source_port) {
            Ok(socket) => return Ok((socket, *addr)),
            Err(e) => {
                // a size error found first stays first: it is the one to fix
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| anyhow!(tr!("send-no-address"))))
}

/// How often a wait wakes up to notice Ctrl-C (with `--count`).
const SLICE: Duration = Duration::from_millis(100);

/// `nothing listens on ADDR (ICMP port unreachable)` for a refused send or receive.
fn refused(e: &io::Error, target: SocketAddr) -> Option<anyhow::Error> {
    (e.kind() == io::ErrorKind::ConnectionRefused)
        .then(|| anyhow!(tr!("send-refused", target = target.to_string())))
}

/// Whether a receive error only says that nothing came in time.
fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// What a `--count` run has seen so far; the summary line is made from it.
#[derive(Debug, Default)]
struct Tally {
    sent: u64,
    /// Replies matched to a datagram (the first one in its wait).
    replies: u64,
    /// ICMP port unreachable reported for a datagram (also counted as lost).
    icmp: u64,
    /// Further replies after a datagram was answered.
    duplicates: u64,
    /// Replies that came after their datagram's wait had ended without one.
    late: u64,
    /// Round-trip times of matched replies (the first [`MAX_RTT_SAMPLES`]).
    rtts: Vec<Duration>,
    min: Option<Duration>,
    max: Duration,
    /// Whether the last datagram sent was answered (to tell a duplicate from a late reply).
    last_answered: bool,
}

impl Tally {
    fn matched(&mut self, rtt: Duration) {
        self.replies += 1;
        self.last_answered = true;
        self.min = Some(self.min.map_or(rtt, |m| m.min(rtt)));
        self.max = self.max.max(rtt);
        if self.rtts.len() < MAX_RTT_SAMPLES {
            self.rtts.push(rtt);
        }
    }

    /// A reply that arrived when no datagram was waiting for one.
    fn unexpected(&mut self) {
        if self.last_answered {
            self.duplicates += 1;
        } else {
            self.late += 1;
        }
    }

    /// `3 sent, 3 replies, 0 lost; rtt min/median/max 0.081/0.095/0.120 ms` (without `oneway: `);
    /// ICMP errors, duplicates and late replies are said when there are some.
    fn summary(&self) -> String {
        let lost = self.sent - self.replies;
        let mut counts = vec![tr!(
            "send-tally",
            sent = self.sent,
            replies = self.replies,
            lost = lost
        )];
        for (n, key) in [
            (self.icmp, "send-tally-icmp"),
            (self.duplicates, "send-tally-duplicates"),
            (self.late, "send-tally-late"),
        ] {
            if n > 0 {
                counts.push(tr!(key, n = n));
            }
        }
        let mut s = counts.join(", ");
        if let (false, Some(min)) = (self.rtts.is_empty(), self.min) {
            let mut sorted = self.rtts.clone();
            sorted.sort_unstable();
            let median = sorted[sorted.len() / 2];
            s.push_str("; ");
            s.push_str(&tr!(
                "send-rtt",
                min = ms(min),
                median = ms(median),
                max = ms(self.max)
            ));
        }
        s
    }
}

/// One client run: the socket, where it sends, and what it has seen.
struct Client<'a> {
    socket: UdpSocket,
    target: SocketAddr,
    o: &'a Options,
    buf: Vec<u8>,
    tally: Tally,
    /// Several datagrams: a refused one is counted and the run goes on; Ctrl-C ends the run.
    many: bool,
}

/// How a datagram's wait ended.
enum Wait {
    Reply,
    Lost,
    Refused,
    Stopped,
}

impl Client<'_> {
    /// Sends the message (again if a signal interrupts the call). `Ok(false)`: refused (ICMP
    /// port unreachable from an earlier datagram) while several are sent.
    fn send(&mut self, message: &[u8]) -> anyhow::Result<bool> {
        loop {
            match self.socket.send(message) {
                Ok(_) => return Ok(true),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if self.many && e.kind() == io::ErrorKind::ConnectionRefused => {
                    return Ok(false);
                }
                Err(e) => {
                    return Err(refused(&e, self.target).unwrap_or_else(|| {
                        anyhow::Error::new(e).context(format!("cannot send to {}", self.target))
                    }));
                }
            }
        }
    }

    /// Receives one datagram, waiting up to `wait` (at least 1 µs; `None`: not at all).
    fn receive(&mut self, wait: Option<Duration>) -> io::Result<(usize, SocketAddr)> {
        match wait {
            Some(d) => {
                self.socket.set_nonblocking(false)?;
                self.socket
                    .set_read_timeout(Some(d.max(Duration::from_micros(1))))?;
            }
            None => self.socket.set_nonblocking(true)?,
        }
        loop {
            match self.socket.recv_from(&mut self.buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => return r,
            }
        }
    }

    /// Takes every reply already queued, none of which answers a datagram still waiting: each
    /// is a duplicate or a late reply. An ICMP error found here is counted too.
    fn drain(&mut self) -> anyhow::Result<()> {
        loop {
            match self.receive(None) {
                Ok(_) => self.tally.unexpected(),
                Err(e) if is_timeout(&e) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => self.tally.icmp += 1,
                Err(e) => {
                    return Err(anyhow::Error::new(e)
                        .context(format!("cannot receive from {}", self.target)));
                }
            }
        }
    }

    /// Waits up to the timeout after `sent_at` for the reply, and prints it.
    fn await_reply(
        &mut self,
        sent_at: Instant,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> anyhow::Result<Wait> {
        // The timeout is bounded on the command line; saturate anyway.
        let deadline = sent_at
            .checked_add(self.o.timeout)
            .unwrap_or_else(|| sent_at + Duration::from_secs(86_400));
        loop {
            if self.many && stop::requested() {
                return Ok(Wait::Stopped);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Ok(Wait::Lost);
            }
            let slice = if self.many {
                remaining.min(SLICE)
            } else {
                remaining
            };
            match self.receive(Some(slice)) {
                Ok((len, from)) => {
                    let rtt = sent_at.elapsed();
                    if unmap(from) != unmap(self.target) {
                        let note = tr!(
                            "send-reply-from",
                            from = from.to_string(),
                            target = self.target.to_string()
                        );
                        writeln!(err, "oneway: {note}")?;
                    }
                    writeln!(out, "Received from server: {}", escape(&self.buf[..len]))?;
                    out.flush()?;
                    self.tally.matched(rtt);
                    return Ok(Wait::Reply);
                }
                Err(e) if is_timeout(&e) => {}
                Err(e) if self.many && e.kind() == io::ErrorKind::ConnectionRefused => {
                    return Ok(Wait::Refused);
                }
                Err(e) => {
                    return Err(refused(&e, self.target).unwrap_or_else(|| {
                        anyhow::Error::new(e)
                            .context(format!("cannot receive from {}", self.target))
                    }));
                }
            }
        }
    }

    /// Sleeps until `until`, waking to notice Ctrl-C; `false` if a stop was asked for.
    fn pause_until(&self, until: Instant) -> bool {
        loop {
            if stop::requested() {
                return false;
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(SLICE));
        }
    }

    /// Sends `--count` datagrams, waiting for each reply; stops early only on Ctrl-C or an error
    /// that is not about one datagram.
    fn run(
        &mut self,
        message: &[u8],
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let count = self.o.count;
        let wait = humantime::format_duration(self.o.timeout);
        for i in 1..=count {
            if self.many {
                if stop::requested() {
                    break;
                }
                self.drain()?;
            }
            let sent_at = Instant::now();
            if !self.send(message)? {
                // The ICMP error of an earlier datagram, reported on this send: the kernel did
                // not send this one. Count the error, send this datagram again.
                self.tally.icmp += 1;
                if !self.send(message)? {
                    self.tally.icmp += 1;
                    let line = tr!(
                        "send-not-sent",
                        i = i,
                        count = count,
                        target = self.target.to_string()
                    );
                    writeln!(err, "oneway: {line}")?;
                    if !self.next_after(i, sent_at) {
                        break;
                    }
                    continue;
                }
            }
            self.tally.sent += 1;
            self.tally.last_answered = false;
            if !self.o.no_wait {
                match self.await_reply(sent_at, out, err)? {
                    Wait::Reply => {}
                    Wait::Stopped => break,
                    Wait::Lost if count == 1 => {
                        let target = self.target.to_string();
                        return Err(anyhow!(if message.len() > GREETING_FITS_V4 {
                            tr!(
                                "send-no-reply-too-long",
                                target = target,
                                wait = wait.to_string(),
                                max = GREETING_FITS_V4
                            )
                        } else {
                            tr!("send-no-reply", target = target, wait = wait.to_string())
                        }));
                    }
                    Wait::Lost => {
                        let line = tr!(
                            "send-no-reply-to",
                            i = i,
                            count = count,
                            wait = wait.to_string()
                        );
                        writeln!(err, "oneway: {line}")?;
                    }
                    Wait::Refused => {
                        self.tally.icmp += 1;
                        let line = tr!(
                            "send-refused-one",
                            i = i,
                            count = count,
                            target = self.target.to_string()
                        );
                        writeln!(err, "oneway: {line}")?;
                    }
                }
            }
            if !self.next_after(i, sent_at) {
                break;
            }
        }
        if self.many && !self.o.no_wait {
            self.drain()?;
        }
        Ok(())
    }

    /// Waits out `--interval` after datagram `i` (none after the last); `false` on Ctrl-C.
    fn next_after(&self, i: u64, sent_at: Instant) -> bool {
        if i == self.o.count {
            return true;
        }
        match sent_at.checked_add(self.o.interval) {
            Some(until) => self.pause_until(until),
            None => false,
        }
    }
}

/// Milliseconds with 3 decimals: `0.283`.
fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// The longest message the lab's greeting can answer over IPv4: the greeting's head for the
/// longest IPv4 peer (`Hello, ('255.255.255.255', 65535). You said: `, 47 bytes) comes first.
pub const GREETING_FITS_V4: usize = MAX_PAYLOAD_V4 - 47;

/// Runs the client: send, wait for the reply, print it; `--count` times, then the summary.
pub fn run(o: &Options, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    if o.target == "-" {
        return Err(UsageError(tr!("send-dash-target").into_owned()).into());
    }
    let target = parse_target(&o.target, o.port).map_err(|e| UsageError(e.to_string()))?;
    if target.port == 0 {
        // The kernel would send it (and nothing ever listens there): refuse before sending.
        let host = target.host.to_string();
        return Err(UsageError(tr!("send-port-zero", host = host)).into());
    }
    if o.count == 0 {
        return Err(UsageError(tr!("send-count-zero").into_owned()).into());
    }
    if !o.no_wait && o.timeout.is_zero() {
        return Err(UsageError(tr!("send-timeout-zero").into_owned()).into());
    }
    for (name, d) in [("--timeout", o.timeout), ("--interval", o.interval)] {
        if d > MAX_DURATION {
            let max = humantime::format_duration(MAX_DURATION).to_string();
            return Err(UsageError(tr!("send-duration-max", option = name, max = max)).into());
        }
    }
    let message = read_message(&o.message)?;
    if message.len() > MAX_PAYLOAD_V6 {
        return Err(UsageError(tr!(
            "send-message-too-large",
            size = message_size(&o.message, &message)?,
            v4 = MAX_PAYLOAD_V4,
            v6 = MAX_PAYLOAD_V6
        ))
        .into());
    }
    let addrs = resolve(&target.host, target.port)?;
    let (socket, addr) = connect(&addrs, message.len(), o.source_port.unwrap_or(0))?;
    let many = o.count > 1;
    if many {
        stop::arm(err, "stop-warning-send")?;
    }
    let mut client = Client {
        socket,
        target: addr,
        o,
        buf: vec![0u8; RECV_BUFFER],
        tally: Tally::default(),
        many,
    };
    // The summary comes whatever ended the run; then the error, if any.
    let outcome = client.run(&message, out, err);
    let t = &client.tally;
    if many {
        if o.no_wait {
            writeln!(err, "oneway: {}", tr!("send-sent-no-wait", n = t.sent))?;
        } else {
            writeln!(err, "oneway: {}", t.summary())?;
        }
    }
    outcome?;
    if !o.no_wait && t.replies < t.sent {
        let wait = humantime::format_duration(o.timeout);
        return Err(anyhow!(tr!(
            "send-unanswered",
            lost = t.sent - t.replies,
            sent = t.sent,
            wait = wait.to_string()
        )));
    }
    if many && stop::requested() && t.sent < o.count {
        return Err(anyhow!(tr!("send-stopped", sent = t.sent, count = o.count)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        let d = Duration::from_micros;
        let mut t = Tally {
            sent: 3,
            ..Tally::default()
        };
        for rtt in [d(120), d(81), d(95)] {
            t.matched(rtt);
        }
        assert_eq!(
            t.summary(),
            "3 sent, 3 replies, 0 lost; rtt min/median/max 0.081/0.095/0.120 ms"
        );
        let t = Tally {
            sent: 2,
            ..Tally::default()
        };
        assert_eq!(t.summary(), "2 sent, 0 replies, 2 lost");
        let t = Tally {
            sent: 3,
            replies: 1,
            ..Tally::default()
        };
        assert_eq!(t.summary(), "3 sent, 1 reply, 2 lost");
    }

    #[test]
    fn duplicates_and_late_replies_are_told_apart() {
        let mut t = Tally {
            sent: 4,
            icmp: 1,
            ..Tally::default()
        };
        // datagram 1 answered, then a second reply: a duplicate
        t.matched(Duration::from_millis(1));
        t.unexpected();
        // datagram 2 lost, then its reply: late
        t.last_answered = false;
        t.unexpected();
        t.unexpected();
        assert_eq!(
            t.summary(),
            "4 sent, 1 reply, 3 lost, 1 ICMP port unreachable, 1 duplicate reply, 2 late \
             replies; rtt min/median/max 1.000/1.000/1.000 ms"
        );
    }

    #[test]
    fn size_limits_by_family() {
        let v4: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let v6: SocketAddr = "[::1]:1".parse().unwrap();
        assert_eq!(max_payload(&v4), 65_507);
        assert_eq!(max_payload(&v6), 65_527);
        assert_eq!(
            too_large(65_508, &v4).to_string(),
            "the message is 65508 bytes; a UDP datagram over IPv4 carries at most 65507 bytes"
        );
        // a message too large for IPv4 is refused before a socket is opened
        let e = connect(&[v4], 65_508, 0).unwrap_err();
        assert!(e.downcast_ref::<UsageError>().is_some(), "{e:#}");
    }
}
