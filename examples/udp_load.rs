//! A bounded UDP load generator for the serve benchmark (`scripts/bench.sh`): keeps a window of
//! requests outstanding against one server and reports what a UDP user wants to know — requests
//! per second, replies, loss, round-trip percentiles.
//!
//! ```text
//! cargo run --release --example udp_load -- [--target 127.0.0.1:12345] [--count 100000]
//!     [--window 64] [--max-time 30] [--timeout-ms 1000] [--size 32]
//! ```
//!
//! Each request carries `seq=NNNNNNNNNNNN` followed by filler up to `--size` bytes. A reply is
//! matched to its request by the first `seq=` it contains, so an echo server (`socat … SYSTEM:cat`)
//! and a greeting server (the lab's `Hello, (ADDR, PORT). You said: …`) both count. A request
//! with no reply after `--timeout-ms` is lost and frees its place in the window. The run ends when
//! every request is answered or lost, or after `--max-time` seconds, whichever comes first.
//!
//! Only loopback targets are accepted: this is a benchmark, not a flood tool.
//!
//! The last line of output is `key=value` pairs for scripts:
//! `sent= replies= lost= late= elapsed_s= req_per_s= rtt_p50_us= rtt_p90_us= rtt_p99_us= rtt_max_us=`.

use std::collections::VecDeque;
use std::error::Error;
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// What to run.
struct Options {
    target: SocketAddr,
    count: u64,
    window: u64,
    max_time: Duration,
    timeout: Duration,
    size: usize,
}

fn parse() -> Result<Options> {
    let mut o = Options {
        target: "127.0.0.1:12345".parse()?,
        count: 100_000,
        window: 64,
        max_time: Duration::from_secs(30),
        timeout: Duration::from_millis(1000),
        size: 32,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--target" => o.target = value.parse()?,
            "--count" => o.count = value.parse()?,
            "--window" => o.window = value.parse()?,
            "--max-time" => o.max_time = Duration::from_secs_f64(value.parse()?),
            "--timeout-ms" => o.timeout = Duration::from_millis(value.parse()?),
            "--size" => o.size = value.parse()?,
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    if !o.target.ip().is_loopback() {
        return Err("only loopback targets (127.0.0.0/8, ::1)".into());
    }
    if o.window == 0 || o.count == 0 {
        return Err("--window and --count must be at least 1".into());
    }
    o.size = o.size.max(16);
    Ok(o)
}

/// The sequence number in a reply: the 12 digits after its first `seq=`.
fn seq_of(reply: &[u8]) -> Option<u64> {
    let at = reply.windows(4).position(|w| w == b"seq=")? + 4;
    let digits = reply.get(at..at + 12)?;
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// The `p`-th percentile (0–100) of sorted `v`, in microseconds.
fn percentile(v: &[Duration], p: usize) -> u128 {
    if v.is_empty() {
        return 0;
    }
    v[(v.len() - 1) * p / 100].as_micros()
}

/// Sending and receiving: on Linux a burst of requests in one system call (UDP GSO, cut by the
/// kernel into the same datagrams) and every reply already there in one `recvmmsg`, so that the
/// generator costs the machine far less than the servers it measures; elsewhere, one datagram
/// per call.
#[cfg(target_os = "linux")]
mod io {
    use std::io::{IoSlice, IoSliceMut};
    use std::net::UdpSocket;
    use std::os::fd::AsRawFd;

    use nix::sys::socket::{
        ControlMessage, MsgFlags, MultiHeaders, SockaddrStorage, recvmmsg, sendmsg,
    };

    const SLOTS: usize = 64;
    const SLOT: usize = 65_536;

    pub struct Io {
        bufs: Vec<u8>,
        headers: MultiHeaders<SockaddrStorage>,
        gso: bool,
    }

    impl Io {
        pub fn new() -> Self {
            Io {
                bufs: vec![0; SLOTS * SLOT],
                headers: MultiHeaders::preallocate(SLOTS, None),
                gso: true,
            }
        }

        /// Sends the requests laid end to end in `burst`, `size` bytes each.
        pub fn send(&mut self, s: &UdpSocket, burst: &[u8], size: usize) -> std::io::Result<()> {
            let per_send = (60_000 / size).clamp(1, 64) * size;
            for part in burst.chunks(per_send) {
                if self.gso && part.len() > size {
                    let segment = u16::try_from(size).unwrap_or(u16::MAX);
                    let cmsgs = [ControlMessage::UdpGsoSegments(&segment)];
                    let iov = [IoSlice::new(part)];
                    match sendmsg::<SockaddrStorage>(
                        s.as_raw_fd(),
                        &iov,
                        &cmsgs,
                        MsgFlags::empty(),
                        None,
                    ) {
                        Ok(n) if n == part.len() => continue,
                        Err(nix::errno::Errno::ECONNREFUSED) => {
                            return Err(std::io::ErrorKind::ConnectionRefused.into());
                        }
                        _ => self.gso = false,
                    }
                }
                for request in part.chunks(size) {
                    s.send(request)?;
                }
            }
            Ok(())
        }

        /// Receives what is there, waiting up to the socket's read timeout for the first.
        pub fn recv(&mut self, s: &UdpSocket, mut each: impl FnMut(&[u8])) -> std::io::Result<()> {
            let mut iovs: Vec<[IoSliceMut<'_>; 1]> = self
                .bufs
                .chunks_mut(SLOT)
                .map(|b| [IoSliceMut::new(b)])
                .collect();
            let lens: Vec<usize> = recvmmsg(
                s.as_raw_fd(),
                &mut self.headers,
                iovs.iter_mut(),
                MsgFlags::MSG_WAITFORONE,
                None,
            )
            .map_err(std::io::Error::from)?
            .map(|r| r.bytes)
            .collect();
            for (i, n) in lens.into_iter().enumerate() {
                each(&self.bufs[i * SLOT..][..n]);
            }
            Ok(())
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod io {
    use std::net::UdpSocket;

    pub struct Io {
        buf: Vec<u8>,
    }

    impl Io {
        pub fn new() -> Self {
            Io {
                buf: vec![0; 65_536],
            }
        }

        pub fn send(&mut self, s: &UdpSocket, burst: &[u8], size: usize) -> std::io::Result<()> {
            for request in burst.chunks(size) {
                s.send(request)?;
            }
            Ok(())
        }

        pub fn recv(&mut self, s: &UdpSocket, mut each: impl FnMut(&[u8])) -> std::io::Result<()> {
            let n = s.recv(&mut self.buf)?;
            each(&self.buf[..n]);
            Ok(())
        }
    }
}

use io::Io;

fn main() -> Result<()> {
    let o = parse()?;
    let bind: SocketAddr = if o.target.is_ipv4() {
        "127.0.0.1:0".parse()?
    } else {
        "[::1]:0".parse()?
    };
    let socket = UdpSocket::bind(bind)?;
    socket.connect(o.target)?;
    socket.set_read_timeout(Some(Duration::from_millis(5)))?;

    // Send time of every request still waiting (None once answered or lost), by sequence number.
    let mut sent_at: Vec<Option<Instant>> = Vec::with_capacity(o.count as usize);
    // Requests in the order sent, to find the ones that timed out.
    let mut order: VecDeque<u64> = VecDeque::with_capacity(o.window as usize);
    let mut rtts: Vec<Duration> = Vec::with_capacity(o.count as usize);
    let mut outstanding = 0u64;
    let (mut lost, mut late, mut refused) = (0u64, 0u64, 0u64);
    let filler = vec![b'x'; o.size];
    let mut burst = Vec::with_capacity(o.size * o.window as usize);
    let mut io = Io::new();
    let start = Instant::now();
    let deadline = start + o.max_time;

    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        // Fill the window: the new requests end to end in `burst`, sent together.
        burst.clear();
        while outstanding < o.window && (sent_at.len() as u64) < o.count {
            let seq = sent_at.len() as u64;
            let at = burst.len();
            burst.extend_from_slice(&filler);
            let head = format!("seq={seq:012} ");
            burst[at..at + head.len()].copy_from_slice(head.as_bytes());
            sent_at.push(Some(Instant::now()));
            order.push_back(seq);
            outstanding += 1;
        }
        match io.send(&socket, &burst, o.size) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => refused += 1,
            Err(e) => return Err(e.into()),
        }
        if outstanding == 0 {
            break;
        }
        let received = io.recv(&socket, |reply| {
            let got = Instant::now();
            match seq_of(reply).and_then(|s| sent_at.get_mut(s as usize)) {
                Some(slot @ Some(_)) => {
                    if let Some(t) = slot.take() {
                        rtts.push(got - t);
                    }
                    outstanding -= 1;
                }
                // An answer to a request already counted lost, or a duplicate.
                Some(None) => late += 1,
                None => {}
            }
        });
        match received {
            Ok(()) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => refused += 1,
            Err(e) => return Err(e.into()),
        }
        // Forget answered requests at the front; count the timed-out ones as lost.
        let now = Instant::now();
        while let Some(&seq) = order.front() {
            match sent_at[seq as usize] {
                None => {
                    order.pop_front();
                }
                Some(t) if now - t >= o.timeout => {
                    sent_at[seq as usize] = None;
                    order.pop_front();
                    outstanding -= 1;
                    lost += 1;
                }
                Some(_) => break,
            }
        }
    }
    let elapsed = start.elapsed();
    // Requests still waiting when the time ran out are lost too.
    lost += outstanding;
    rtts.sort_unstable();
    let sent = sent_at.len() as u64;
    let replies = rtts.len() as u64;
    let rate = replies as f64 / elapsed.as_secs_f64();
    println!(
        "{} to {}: window {}, {} bytes per request",
        if refused > 0 {
            "connection refused"
        } else {
            "load"
        },
        o.target,
        o.window,
        o.size
    );
    println!(
        "sent={sent} replies={replies} lost={lost} late={late} elapsed_s={:.3} req_per_s={rate:.0} \
         rtt_p50_us={} rtt_p90_us={} rtt_p99_us={} rtt_max_us={}",
        elapsed.as_secs_f64(),
        percentile(&rtts, 50),
        percentile(&rtts, 90),
        percentile(&rtts, 99),
        percentile(&rtts, 100),
    );
    Ok(())
}
