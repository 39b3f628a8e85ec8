//! The live-capture benchmark (`scripts/bench.sh --only live`): how long a datagram takes from
//! `send` to its line on the stdout of `oneway inspect -i lo -f jsonl`, and what the kernel
//! dropped, against `tcpdump -i lo -w` capturing the same traffic at the same time.
//!
//! ```text
//! cargo run --release --example live_latency -- ONEWAY RATE SECONDS [--size BYTES]
//! ```
//!
//! Sends RATE datagrams per second for SECONDS to a socket bound on 127.0.0.1 (that never reads
//! them: capture happens before delivery), each carrying `seq=NNNNNNNNNNNN`, paced by the clock.
//! A line's latency is the time from just before its datagram's `send_to` to the moment the line
//! is read from oneway's stdout (a pipe). Root only. Loopback only.
//!
//! The last line is `key=value` pairs for scripts: `rate= sent= shown= missing= p50_us= p99_us=
//! max_us= oneway_drops= tcpdump_drops= tcpdump_captured=` (tcpdump's fields are `-` without
//! tcpdump).

use std::collections::HashMap;
use std::error::Error;
use std::io::{BufRead, BufReader, Read};
use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn lines(from: impl Read + Send + 'static) -> Receiver<(Instant, String)> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if tx.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits (10 s at most) for a line of `rx` containing `what`; every line read goes to `seen`.
fn wait_for(rx: &Receiver<(Instant, String)>, what: &str, seen: &mut Vec<String>) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (_, line) = rx
            .recv_timeout(left)
            .map_err(|e| format!("no {what:?}: {e}"))?;
        let found = line.contains(what);
        seen.push(line);
        if found {
            return Ok(());
        }
    }
}

fn interrupt(child: &Child) {
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
}

/// `N packets dropped by kernel` → N.
fn drops(stderr: &[String]) -> String {
    stderr
        .iter()
        .find_map(|l| {
            let l = l.trim_start_matches("oneway: ");
            l.strip_suffix(" packets dropped by kernel")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "?".into())
}

fn percentile(sorted: &[Duration], p: f64) -> u128 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_micros()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [oneway, rate, seconds, rest @ ..] = args.as_slice() else {
        return Err("usage: live_latency ONEWAY RATE SECONDS [--size BYTES]".into());
    };
    let rate: u64 = rate.parse()?;
    let seconds: f64 = seconds.parse()?;
    let size: usize = match rest {
        [flag, n] if flag == "--size" => n.parse()?,
        [] => 64,
        _ => return Err("unknown option".into()),
    };
    let sink = UdpSocket::bind("127.0.0.1:0")?;
    let target = sink.local_addr()?;
    let port = target.port().to_string();

    let mut oneway = Command::new(oneway)
        .args(["inspect", "-i", "lo", "--port", &port, "-f", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let out = lines(oneway.stdout.take().ok_or("stdout")?);
    let err = lines(oneway.stderr.take().ok_or("stderr")?);
    let mut oneway_err = Vec::new();
    wait_for(&err, "live capture on", &mut oneway_err)?;

    let tcpdump = Command::new("tcpdump")
        .args(["-i", "lo", "-nn", "-w", "/dev/null", "udp", "port", &port])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut tcpdump = match tcpdump {
        Ok(mut t) => {
            let e = lines(t.stderr.take().ok_or("stderr")?);
            let mut said = Vec::new();
            wait_for(&e, "listening on", &mut said)?;
            Some((t, e))
        }
        Err(_) => None,
    };

    let client = UdpSocket::bind("127.0.0.1:0")?;
    let total = ((rate as f64) * seconds).round() as u64;
    let gap = Duration::from_secs_f64(1.0 / rate as f64);
    let mut sent_at = Vec::with_capacity(total as usize);
    let mut payload = vec![b'.'; size.max(16)];
    let start = Instant::now();
    for seq in 0..total {
        let due = start + gap.mul_f64(seq as f64);
        loop {
            let now = Instant::now();
            if now >= due {
                break;
            }
            let left = due - now;
            if left > Duration::from_millis(2) {
                std::thread::sleep(left - Duration::from_millis(1));
            } else {
                std::hint::spin_loop();
            }
        }
        payload[..16].copy_from_slice(format!("seq={seq:012}").as_bytes());
        sent_at.push(Instant::now());
        client.send_to(&payload, target)?;
    }

    // Every line, or 2 s without one.
    let mut arrived: HashMap<u64, Instant> = HashMap::with_capacity(total as usize);
    while (arrived.len() as u64) < total {
        let Ok((at, line)) = out.recv_timeout(Duration::from_secs(2)) else {
            break;
        };
        // "payload":"7365713d…" : the first 16 bytes in hex are seq=NNNNNNNNNNNN.
        if let Some(i) = line.find("\"payload\":\"") {
            let hex = &line[i + 11..];
            let text: Option<String> = (0..16)
                .map(|k| {
                    hex.get(2 * k..2 * k + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .map(char::from)
                })
                .collect();
            if let Some(seq) = text.and_then(|t| t.strip_prefix("seq=")?.parse().ok()) {
                arrived.entry(seq).or_insert(at);
            }
        }
    }
    interrupt(&oneway);
    while let Ok((_, l)) = err.recv_timeout(Duration::from_secs(10)) {
        oneway_err.push(l);
    }
    oneway.wait()?;
    let (tcpdump_drops, tcpdump_captured) = match tcpdump.as_mut() {
        Some((t, e)) => {
            interrupt(t);
            let mut said = Vec::new();
            while let Ok((_, l)) = e.recv_timeout(Duration::from_secs(10)) {
                said.push(l);
            }
            t.wait()?;
            let captured = said
                .iter()
                .find_map(|l| l.strip_suffix(" packets captured").map(str::to_string))
                .unwrap_or_else(|| "?".into());
            (drops(&said), captured)
        }
        None => ("-".into(), "-".into()),
    };

    let mut latencies: Vec<Duration> = arrived
        .iter()
        .filter_map(|(seq, at)| Some(at.duration_since(*sent_at.get(*seq as usize)?)))
        .collect();
    latencies.sort();
    println!(
        "rate={rate} sent={total} shown={} missing={} p50_us={} p99_us={} max_us={} \
         oneway_drops={} tcpdump_drops={tcpdump_drops} tcpdump_captured={tcpdump_captured}",
        arrived.len(),
        total - arrived.len() as u64,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().map_or(0, Duration::as_micros),
        drops(&oneway_err),
    );
    Ok(())
}
