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
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};

use super::addr::{Host, parse_target, unmap};
use crate::escape::escape;
use crate::exit::UsageError;

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
    UsageError(format!(
        "the message is {len} bytes; a UDP datagram over {family} carries at most {} bytes",
        max_payload(addr)
    ))
}

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
                .context("cannot read the message from stdin")?;
            Ok(buf)
        }
    }
}

/// The addresses `host` stands for, in the resolver's order.
fn resolve(host: &Host, port: u16) -> anyhow::Result<Vec<SocketAddr>> {
    match host {
        Host::Ip(ip) => Ok(vec![SocketAddr::new(*ip, port)]),
        Host::Name(name) => {
            let addrs: Vec<SocketAddr> = (name.as_str(), port)
                .to_socket_addrs()
                .with_context(|| format!("cannot resolve {name}"))?
                .collect();
            if addrs.is_empty() {
                return Err(anyhow!("cannot resolve {name}: no address"));
            }
            Ok(addrs)
        }
    }
}

/// A socket of `target`'s family, bound to `source_port` (0: any) and connected to `target`.
fn open(target: SocketAddr, source_port: u16) -> anyhow::Result<UdpSocket> {
    let any: IpAddr = match target {
        SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
    };
    let local = SocketAddr::new(any, source_port);
    let socket = UdpSocket::bind(local).with_context(|| match source_port {
        0 => format!("cannot open a UDP socket ({local})"),
        p => format!("cannot bind local port {p} ({local})"),
    })?;
    socket
        .connect(target)
        .with_context(|| format!("cannot reach {target}"))?;
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
    Err(first_error.unwrap_or_else(|| anyhow!("no address to send to")))
}

/// What happened to one datagram.
enum Outcome {
    Reply(Duration),
    Lost,
}

/// `nothing listens on ADDR (ICMP port unreachable)` for a refused send or receive.
fn refused(e: &io::Error, target: SocketAddr) -> Option<anyhow::Error> {
    (e.kind() == io::ErrorKind::ConnectionRefused)
        .then(|| anyhow!("nothing listens on {target} (ICMP port unreachable)"))
}

/// Sends `message` on the connected socket (again if a signal interrupts the call).
fn send(socket: &UdpSocket, message: &[u8], target: SocketAddr) -> anyhow::Result<()> {
    loop {
        match socket.send(message) {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(refused(&e, target).unwrap_or_else(|| {
                    anyhow::Error::new(e).context(format!("cannot send to {target}"))
                }));
            }
        }
    }
}

/// Waits up to `timeout` after `sent_at` for one reply, and prints it.
fn await_reply(
    socket: &UdpSocket,
    target: SocketAddr,
    sent_at: Instant,
    timeout: Duration,
    buf: &mut [u8],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let deadline = sent_at + timeout;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Ok(Outcome::Lost);
        }
        socket
            .set_read_timeout(Some(remaining))
            .with_context(|| format!("cannot wait for {target}"))?;
        match socket.recv_from(buf) {
            Ok((len, from)) => {
                let rtt = sent_at.elapsed();
                if unmap(from) != unmap(target) {
                    writeln!(
                        err,
                        "oneway: note: the reply came from {from}, not {target}"
                    )?;
                }
                writeln!(out, "Received from server: {}", escape(&buf[..len]))?;
                out.flush()?;
                return Ok(Outcome::Reply(rtt));
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(Outcome::Lost);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(refused(&e, target).unwrap_or_else(|| {
                    anyhow::Error::new(e).context(format!("cannot receive from {target}"))
                }));
            }
        }
    }
}

/// Milliseconds with 3 decimals: `0.283`.
fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// The last line of a `--count` run (without `oneway: `).
fn summary(sent: u64, rtts: &[Duration], replies: u64, min: Duration, max: Duration) -> String {
    let mut s = format!("{sent} sent, {replies} replies, {} lost", sent - replies);
    if !rtts.is_empty() {
        let mut sorted = rtts.to_vec();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2];
        s.push_str(&format!(
            "; rtt min/median/max {}/{}/{} ms",
            ms(min),
            ms(median),
            ms(max)
        ));
    }
    s
}

/// Runs the client: send, wait for the reply, print it; `--count` times.
pub fn run(o: &Options, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    if o.target == "-" {
        return Err(UsageError(
            "\"-\" is not a host: the target comes first, e.g. `oneway send 127.0.0.1 -`".into(),
        )
        .into());
    }
    let target = parse_target(&o.target, o.port).map_err(|e| UsageError(e.to_string()))?;
    if target.port == 0 {
        // The kernel would send it (and nothing ever listens there): refuse before sending.
        return Err(UsageError(format!(
            "port 0 is not a destination: give the server's port ({}:PORT or --port)",
            target.host
        ))
        .into());
    }
    if !o.no_wait && o.timeout.is_zero() {
        return Err(UsageError("--timeout must be more than 0".into()).into());
    }
    let message = read_message(&o.message)?;
    if message.len() > MAX_PAYLOAD_V6 {
        return Err(UsageError(format!(
            "the message is {} bytes; a UDP datagram carries at most {MAX_PAYLOAD_V4} bytes over \
             IPv4, {MAX_PAYLOAD_V6} over IPv6",
            message.len()
        ))
        .into());
    }
    let addrs = resolve(&target.host, target.port)?;
    let (socket, addr) = connect(&addrs, message.len(), o.source_port.unwrap_or(0))?;

    let wait = humantime::format_duration(o.timeout);
    let mut buf = vec![0u8; RECV_BUFFER];
    let (mut sent, mut replies) = (0u64, 0u64);
    let mut rtts = Vec::new();
    let (mut min, mut max) = (Duration::MAX, Duration::ZERO);
    for i in 1..=o.count {
        let sent_at = Instant::now();
        send(&socket, &message, addr)?;
        sent += 1;
        if !o.no_wait {
            match await_reply(&socket, addr, sent_at, o.timeout, &mut buf, out, err)? {
                Outcome::Reply(rtt) => {
                    replies += 1;
                    min = min.min(rtt);
                    max = max.max(rtt);
                    if rtts.len() < MAX_RTT_SAMPLES {
                        rtts.push(rtt);
                    }
                }
                Outcome::Lost if o.count == 1 => {
                    return Err(anyhow!("no reply from {addr} within {wait}"));
                }
                Outcome::Lost => {
                    writeln!(
                        err,
                        "oneway: no reply to datagram {i} of {} within {wait}",
                        o.count
                    )?;
                }
            }
        }
        if i < o.count {
            std::thread::sleep(o.interval.saturating_sub(sent_at.elapsed()));
        }
    }
    if o.count > 1 {
        if o.no_wait {
            writeln!(err, "oneway: {sent} sent (not waiting for replies)")?;
        } else {
            writeln!(err, "oneway: {}", summary(sent, &rtts, replies, min, max))?;
        }
    }
    if !o.no_wait && replies < sent {
        return Err(anyhow!(
            "{} of {sent} datagrams got no reply within {wait}",
            sent - replies
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        let d = Duration::from_micros;
        let rtts = [d(120), d(81), d(95)];
        assert_eq!(
            summary(3, &rtts, 3, d(81), d(120)),
            "3 sent, 3 replies, 0 lost; rtt min/median/max 0.081/0.095/0.120 ms"
        );
        assert_eq!(
            summary(2, &[], 0, Duration::MAX, Duration::ZERO),
            "2 sent, 0 replies, 2 lost"
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
