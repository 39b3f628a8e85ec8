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
    let mut message = vec![b'x'; o.size];
    let mut buf = vec![0u8; 65_536];
    let start = Instant::now();
    let deadline = start + o.max_time;

    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        while outstanding < o.window && (sent_at.len() as u64) < o.count {
            let seq = sent_at.len() as u64;
            let head = format!("seq={seq:012} ");
            message[..head.len()].copy_from_slice(head.as_bytes());
            match socket.send(&message) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::ConnectionRefused => refused += 1,
                Err(e) => return Err(e.into()),
            }
            sent_at.push(Some(Instant::now()));
            order.push_back(seq);
            outstanding += 1;
        }
        if outstanding == 0 {
            break;
        }
        match socket.recv(&mut buf) {
            Ok(n) => {
                let got = Instant::now();
                match seq_of(&buf[..n]).and_then(|s| sent_at.get_mut(s as usize)) {
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
            }
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
