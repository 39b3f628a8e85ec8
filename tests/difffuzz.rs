//! A structure-aware differential fuzzer against tshark: captures are generated from their
//! structure (link types Ethernet with 0–3 VLAN tags, Linux SLL and SLL2, BSD NULL, raw IP; IPv4
//! with options, IPv6 with extension-header chains; IP fragments in order, reversed, shuffled,
//! duplicated, overlapping with the same or other bytes, one missing; UDP length fields too
//! short, below 8 or too long; snaplen cuts; pcap in µs and ns in both byte orders; pcapng with
//! several sections and interfaces of different link types, `if_tsresol` decimal and binary,
//! `if_tsoffset`), a share of their frames then mutated (bytes flipped, header fields set), and
//! each is compared datagram for datagram with tshark through `tests/oracle` (the same code as
//! `tests/tshark.rs`).
//!
//! A "capture" here is one generated scenario (a datagram and its reply, a fragment train…, on its
//! own addresses); tshark costs ~0.2 s a process, so scenarios are written `PER_FILE` to a file
//! (pcap: one link type a file; pcapng: sections and interfaces mixed) and each file is read
//! once by each tool.
//!
//! Environment: `DIFFFUZZ_CAPTURES` (default 3,000), `DIFFFUZZ_SEED` (default 13),
//! `DIFFFUZZ_PER_FILE` (default 50), `DIFFFUZZ_LOG=FILE` appends the counts after every file,
//! `DIFFFUZZ_KEEP_GOING=1` never fails (the long run: it counts), `DIFFFUZZ_FRAGMENTS=1` makes
//! every scenario a fragment train and mutates none (to triage reassembly alone). A file with a
//! disagreement is kept in `target/difffuzz-failures/` with a `.txt` naming each frame's
//! scenario; `DIFFFUZZ_BATCHES=INDEX,…` (with its seed) runs those batches alone again.
//! `ONEWAY_BIN` names the oneway binary to compare (a long run's own copy).
//!
//! Where tshark and oneway differ by design the difference is listed in [`deliberate`] with its
//! reason (README, "Deliberate differences from tshark"); anything else fails the test.

mod oracle;
mod util;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use oracle::{Datagram, oneway, short, tshark, tshark_present};

/// 2025-09-15T11:20:53Z.
const BASE_SECS: u64 = 1_757_935_253;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Ethernet,
    Sll,
    Sll2,
    Null,
    Raw,
}

impl Link {
    const ALL: [Link; 5] = [Link::Ethernet, Link::Sll, Link::Sll2, Link::Null, Link::Raw];

    fn code(self) -> u16 {
        match self {
            Link::Ethernet => 1,
            Link::Sll => 113,
            Link::Sll2 => 276,
            Link::Null => 0,
            Link::Raw => 101,
        }
    }
}

/// One frame of a scenario: its bytes, its length on the wire, its time (ns since the epoch).
struct Frame {
    data: Vec<u8>,
    orig_len: u32,
    time_ns: u64,
    what: String,
}

// ---- packet builders --------------------------------------------------------------------------

fn checksum(b: &[u8]) -> u16 {
    let mut sum = 0u32;
    for c in b.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn udp(sport: u16, dport: u16, payload: &[u8], length: Option<u16>) -> Vec<u8> {
    let len = length.unwrap_or((8 + payload.len()) as u16);
    let mut v = Vec::with_capacity(8 + payload.len());
    v.extend(sport.to_be_bytes());
    v.extend(dport.to_be_bytes());
    v.extend(len.to_be_bytes());
    v.extend([0, 0]);
    v.extend(payload);
    v
}

#[allow(clippy::too_many_arguments)]
fn ipv4(
    src: [u8; 4],
    dst: [u8; 4],
    id: u16,
    offset: usize,
    more: bool,
    proto: u8,
    options: &[u8],
    body: &[u8],
) -> Vec<u8> {
    let hl = 20 + options.len();
    let total = (hl + body.len()) as u16;
    let flags = ((offset / 8) as u16) | if more { 0x2000 } else { 0 };
    let mut h = vec![0x40 | (hl / 4) as u8, 0];
    h.extend(total.to_be_bytes());
    h.extend(id.to_be_bytes());
    h.extend(flags.to_be_bytes());
    h.extend([64, proto, 0, 0]);
    h.extend(src);
    h.extend(dst);
    h.extend(options);
    let sum = checksum(&h);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    h.extend(body);
    h
}

/// IPv4 options padded to a multiple of 4: NOPs, a record route, an end of list.
fn ipv4_options(rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut o = Vec::new();
    match rng.u8(0..4) {
        0 => {}
        1 => o.extend([1, 1, 1, 1]),
        2 => {
            // Record route with room for 2 addresses.
            o.extend([7, 11, 4]);
            o.extend([0; 8]);
            o.push(0);
        }
        _ => {
            let n = rng.usize(1..=10) * 4;
            o.extend(std::iter::repeat_n(1u8, n - 1));
            o.push(0);
        }
    }
    o
}

fn ipv6(src: [u8; 16], dst: [u8; 16], next: u8, body: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend((body.len() as u16).to_be_bytes());
    h.extend([next, 64]);
    h.extend(src);
    h.extend(dst);
    h.extend(body);
    h
}

/// An 8-byte extension header (hop-by-hop, routing or destination options) naming `next`.
fn ext(kind: u8, next: u8) -> Vec<u8> {
    match kind {
        // Routing type 0... segments left 0: nothing to route.
        43 => vec![next, 0, 0, 0, 0, 0, 0, 0],
        // PadN of 4 bytes after the 2-byte header.
        _ => vec![next, 0, 1, 4, 0, 0, 0, 0],
    }
}

/// A chain of extension headers (kinds in order) ending in `last`: (first header, bytes).
fn chain(kinds: &[u8], last: u8) -> (u8, Vec<u8>) {
    let mut bytes = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        let next = kinds.get(i + 1).copied().unwrap_or(last);
        bytes.extend(ext(*k, next));
    }
    (kinds.first().copied().unwrap_or(last), bytes)
}

fn frame_ip(link: Link, ip: &[u8], v6: bool, vlans: &[u16], sll_type: u16) -> Vec<u8> {
    let ether_type: u16 = if v6 { 0x86dd } else { 0x0800 };
    let mut f = Vec::with_capacity(ip.len() + 32);
    match link {
        Link::Ethernet => {
            f.extend([0x02, 0, 10, 0, 0, 2, 0x02, 0, 10, 0, 0, 1]);
            for (i, vid) in vlans.iter().enumerate() {
                let tpid: u16 = if i + 1 < vlans.len() { 0x88a8 } else { 0x8100 };
                f.extend(tpid.to_be_bytes());
                f.extend(vid.to_be_bytes());
            }
            f.extend(ether_type.to_be_bytes());
        }
        Link::Sll => {
            f.extend(sll_type.to_be_bytes());
            f.extend(1u16.to_be_bytes());
            f.extend(6u16.to_be_bytes());
            f.extend([0x02, 0, 10, 0, 0, 1, 0, 0]);
            f.extend(ether_type.to_be_bytes());
        }
        Link::Sll2 => {
            f.extend(ether_type.to_be_bytes());
            f.extend([0, 0]);
            f.extend(3u32.to_be_bytes());
            f.extend(1u16.to_be_bytes());
            f.push(sll_type as u8);
            f.push(6);
            f.extend([0x02, 0, 10, 0, 0, 1, 0, 0]);
        }
        Link::Null => {
            let family: u32 = if v6 { 24 } else { 2 };
            f.extend(family.to_le_bytes());
        }
        Link::Raw => {}
    }
    f.extend(ip);
    f
}

// ---- scenarios ----------------------------------------------------------------------------------

/// Builds the frames of scenario `n` on `link`, starting at `t0` (ns).
fn scenario(rng: &mut fastrand::Rng, n: u32, link: Link, t0: u64) -> Vec<Frame> {
    let v6 = rng.bool();
    let [_, a, b, c] = n.to_be_bytes();
    let src4 = [10, a, b, c];
    let dst4 = [10, 255, b, c];
    let mut src6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, a, b, c];
    let mut dst6 = src6;
    dst6[4] = 1;
    src6[5] = 1;
    let vlans: Vec<u16> = (0..rng.usize(0..=3)).map(|_| rng.u16(1..4095)).collect();
    let sll_type = if rng.bool() { 0 } else { 4 };
    let sport = rng.u16(1024..);
    let dport = rng.u16(1..);
    let payload: Vec<u8> = (0..rng.usize(0..300)).map(|_| rng.u8(..)).collect();
    let kind = rng.u8(0..6);
    // DIFFFUZZ_FRAGMENTS=1: fragment trains only, none mutated (reassembly's own triage).
    let only_fragments = std::env::var_os("DIFFFUZZ_FRAGMENTS").is_some();
    let kind = if only_fragments { 2 } else { kind };
    let mut frames = Vec::new();
    let push = |data: Vec<u8>, what: String, frames: &mut Vec<Frame>| {
        let orig_len = data.len() as u32;
        let time_ns = t0 + frames.len() as u64 * 100_003;
        frames.push(Frame {
            data,
            orig_len,
            time_ns,
            what,
        });
    };
    let options = if v6 { Vec::new() } else { ipv4_options(rng) };
    let ext_kinds: Vec<u8> = if v6 {
        let mut k = Vec::new();
        if rng.bool() {
            k.push(0);
        }
        for _ in 0..rng.usize(0..3) {
            k.push(if rng.bool() { 60 } else { 43 });
        }
        k
    } else {
        Vec::new()
    };
    let packet = |body: &[u8], id: u16, offset: usize, more: bool, frag: bool| -> Vec<u8> {
        if v6 {
            if frag {
                // Unfragmentable part (the chain), fragment header, then the piece.
                let mut fh = vec![17, 0];
                fh.extend((((offset / 8) as u16) << 3 | u16::from(more)).to_be_bytes());
                fh.extend(u32::from(id).to_be_bytes());
                fh.extend(body);
                let (first, mut bytes) = chain(&ext_kinds, 44);
                bytes.extend(fh);
                ipv6(src6, dst6, first, &bytes)
            } else {
                let (first, mut bytes) = chain(&ext_kinds, 17);
                bytes.extend(body);
                ipv6(src6, dst6, first, &bytes)
            }
        } else {
            ipv4(src4, dst4, id, offset, more, 17, &options, body)
        }
    };
    let desc = format!(
        "scenario {n}: {} {} vlans {vlans:?} options {} ext {ext_kinds:?}",
        if v6 { "IPv6" } else { "IPv4" },
        link.code(),
        options.len()
    );
    match kind {
        // A datagram with a reply, or alone.
        0 | 1 => {
            let d = udp(sport, dport, &payload, None);
            push(
                frame_ip(link, &packet(&d, 1, 0, false, false), v6, &vlans, sll_type),
                format!("{desc}: datagram"),
                &mut frames,
            );
            if kind == 0 {
                let r = udp(dport, sport, &payload[..payload.len() / 2], None);
                let ip = if v6 {
                    let (first, mut bytes) = chain(&ext_kinds, 17);
                    bytes.extend(&r);
                    ipv6(dst6, src6, first, &bytes)
                } else {
                    ipv4(dst4, src4, 2, 0, false, 17, &options, &r)
                };
                push(
                    frame_ip(link, &ip, v6, &vlans, sll_type),
                    format!("{desc}: reply"),
                    &mut frames,
                );
            }
        }
        // Fragments, in some order.
        2 | 3 => {
            let d = udp(sport, dport, &payload, None);
            let n_pieces = rng.usize(2..=5);
            let mut cuts: Vec<usize> = (0..n_pieces - 1)
                .map(|_| 8 * rng.usize(1..=d.len().div_ceil(8).max(2) - 1))
                .filter(|c| *c < d.len())
                .collect();
            cuts.push(0);
            cuts.push(d.len());
            cuts.sort_unstable();
            cuts.dedup();
            let mut pieces: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
            let order = rng.u8(0..7);
            let mut other_bytes = false;
            match order {
                1 => pieces.reverse(),
                2 => rng.shuffle(&mut pieces),
                3 => {
                    let i = rng.usize(0..pieces.len());
                    let p = pieces[i];
                    pieces.insert(rng.usize(0..=pieces.len()), p);
                }
                4 | 5 => {
                    // One piece reaches 8 bytes into the next: the same bytes, or others.
                    let i = rng.usize(0..pieces.len());
                    pieces[i].1 = (pieces[i].1 + 8).min(d.len());
                    other_bytes = order == 5;
                }
                6 if pieces.len() > 1 => {
                    let i = rng.usize(0..pieces.len());
                    pieces.remove(i);
                }
                _ => {}
            }
            let id = rng.u16(..);
            let last_end = cuts.last().copied().unwrap_or(0);
            for (i, (from, to)) in pieces.iter().enumerate() {
                let mut piece = d[*from..*to].to_vec();
                if other_bytes && i == 0 {
                    for byte in piece.iter_mut().skip(8) {
                        *byte ^= 0x5a;
                    }
                }
                let more = *to < last_end;
                push(
                    frame_ip(
                        link,
                        &packet(&piece, id, *from, more, true),
                        v6,
                        &vlans,
                        sll_type,
                    ),
                    format!(
                        "{desc}: fragment {from}..{to} of {} (order {order})",
                        d.len()
                    ),
                    &mut frames,
                );
            }
        }
        // A UDP length field that lies.
        4 => {
            let field = match rng.u8(0..3) {
                0 => rng.u16(0..8),
                1 => {
                    8 + (payload.len() as u16)
                        .saturating_sub(rng.u16(1..=payload.len().max(1) as u16))
                }
                _ => 8 + payload.len() as u16 + rng.u16(1..1000),
            };
            let d = udp(sport, dport, &payload, Some(field));
            push(
                frame_ip(link, &packet(&d, 1, 0, false, false), v6, &vlans, sll_type),
                format!("{desc}: UDP length {field}"),
                &mut frames,
            );
        }
        // Cut by the snaplen.
        _ => {
            let d = udp(sport, dport, &payload, None);
            let mut f = frame_ip(link, &packet(&d, 1, 0, false, false), v6, &vlans, sll_type);
            let orig = f.len() as u32;
            f.truncate(rng.usize(1..=f.len()));
            frames.push(Frame {
                data: f,
                orig_len: orig,
                time_ns: t0,
                what: format!("{desc}: cut by the snaplen"),
            });
        }
    }
    // Mutations: a share of frames get bytes flipped or a header field set.
    for f in frames.iter_mut() {
        if rng.u8(0..10) < 3 && !f.data.is_empty() && !only_fragments {
            let flips = rng.usize(1..=4);
            let mut done = Vec::new();
            for _ in 0..flips {
                let at = rng.usize(0..f.data.len());
                let byte = rng.u8(..);
                f.data[at] = byte;
                done.push(format!("{at}={byte:#04x}"));
            }
            let _ = write!(f.what, ", mutated {}", done.join(" "));
        }
    }
    frames
}

// ---- containers --------------------------------------------------------------------------------

/// What a batch file is.
#[derive(Clone, Copy, Debug)]
enum Container {
    /// pcap: nanosecond timestamps?, big-endian?
    Pcap {
        nanos: bool,
        big: bool,
    },
    PcapNg,
}

fn put32(v: &mut Vec<u8>, x: u32, big: bool) {
    v.extend(if big {
        x.to_be_bytes()
    } else {
        x.to_le_bytes()
    });
}

fn put16(v: &mut Vec<u8>, x: u16, big: bool) {
    v.extend(if big {
        x.to_be_bytes()
    } else {
        x.to_le_bytes()
    });
}

fn pcap_file(frames: &[Frame], link: Link, nanos: bool, big: bool) -> Vec<u8> {
    let mut f = Vec::new();
    put32(&mut f, if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 }, big);
    put16(&mut f, 2, big);
    put16(&mut f, 4, big);
    put32(&mut f, 0, big);
    put32(&mut f, 0, big);
    put32(&mut f, 262_144, big);
    put32(&mut f, u32::from(link.code()), big);
    for fr in frames {
        let secs = fr.time_ns / 1_000_000_000;
        let frac = fr.time_ns % 1_000_000_000;
        put32(&mut f, secs as u32, big);
        put32(&mut f, if nanos { frac } else { frac / 1000 } as u32, big);
        put32(&mut f, fr.data.len() as u32, big);
        put32(&mut f, fr.orig_len, big);
        f.extend(&fr.data);
    }
    f
}

/// A pcapng block in the section's byte order.
fn block(kind: u32, body: &[u8], big: bool) -> Vec<u8> {
    let padded = body.len().div_ceil(4) * 4;
    let len = (12 + padded) as u32;
    let mut v = Vec::with_capacity(12 + padded);
    put32(&mut v, kind, big);
    put32(&mut v, len, big);
    v.extend(body);
    v.resize(8 + padded, 0);
    put32(&mut v, len, big);
    v
}

/// An interface of a pcapng section: link type, `if_tsresol`, `if_tsoffset` (s).
#[derive(Clone, Copy, Debug)]
struct Interface {
    link: Link,
    tsresol: u8,
    offset: i64,
}

impl Interface {
    fn units(self) -> u128 {
        if self.tsresol & 0x80 == 0 {
            10u128.pow(u32::from(self.tsresol))
        } else {
            1u128 << (self.tsresol & 0x7f)
        }
    }

    /// The ticks that decode to `ns` (or just before it, where the resolution is coarser).
    fn ticks(self, ns: u64) -> u64 {
        let rel = i128::from(ns) - i128::from(self.offset) * 1_000_000_000;
        let rel = rel.max(0) as u128;
        let secs = rel / 1_000_000_000;
        let frac = rel % 1_000_000_000;
        (secs * self.units() + frac * self.units() / 1_000_000_000) as u64
    }
}

fn shb(big: bool) -> Vec<u8> {
    let mut body = Vec::new();
    put32(&mut body, 0x1a2b_3c4d, big);
    put16(&mut body, 1, big);
    put16(&mut body, 0, big);
    body.extend([0xff; 8]);
    block(0x0a0d_0d0a, &body, big)
}

fn idb(i: Interface, big: bool) -> Vec<u8> {
    let mut body = Vec::new();
    put16(&mut body, i.link.code(), big);
    put16(&mut body, 0, big);
    put32(&mut body, 262_144, big);
    if i.tsresol != 6 {
        put16(&mut body, 9, big);
        put16(&mut body, 1, big);
        body.extend([i.tsresol, 0, 0, 0]);
    }
    if i.offset != 0 {
        put16(&mut body, 14, big);
        put16(&mut body, 8, big);
        body.extend(if big {
            i.offset.to_be_bytes()
        } else {
            i.offset.to_le_bytes()
        });
    }
    put32(&mut body, 0, big);
    block(1, &body, big)
}

fn epb(id: u32, ticks: u64, fr: &Frame, big: bool) -> Vec<u8> {
    let mut body = Vec::new();
    put32(&mut body, id, big);
    put32(&mut body, (ticks >> 32) as u32, big);
    put32(&mut body, ticks as u32, big);
    put32(&mut body, fr.data.len() as u32, big);
    put32(&mut body, fr.orig_len, big);
    body.extend(&fr.data);
    block(6, &body, big)
}

/// One batch: the file's bytes, its extension, what each frame (1-based) is, and each frame's
/// link type and bytes as written.
struct Batch {
    bytes: Vec<u8>,
    ext: &'static str,
    what: Vec<String>,
    frames: Vec<(Link, Vec<u8>)>,
    container: Container,
}

/// One written frame, as [`deliberate`] looks at it.
struct Written<'a> {
    what: &'a str,
    link: Link,
    data: &'a [u8],
}

fn batch(rng: &mut fastrand::Rng, first: u32, count: u32) -> Batch {
    let container = match rng.u8(0..5) {
        0 => Container::Pcap {
            nanos: false,
            big: false,
        },
        1 => Container::Pcap {
            nanos: false,
            big: true,
        },
        2 => Container::Pcap {
            nanos: true,
            big: false,
        },
        3 => Container::Pcap {
            nanos: true,
            big: true,
        },
        _ => Container::PcapNg,
    };
    let t0 = (BASE_SECS + u64::from(first)) * 1_000_000_000;
    match container {
        Container::Pcap { nanos, big } => {
            let link = Link::ALL[rng.usize(0..Link::ALL.len())];
            let mut frames = Vec::new();
            for n in first..first + count {
                let t = t0 + u64::from(n - first) * 10_000_000;
                frames.extend(scenario(rng, n, link, t));
            }
            Batch {
                bytes: pcap_file(&frames, link, nanos, big),
                ext: "pcap",
                frames: frames.iter().map(|f| (link, f.data.clone())).collect(),
                what: frames.into_iter().map(|f| f.what).collect(),
                container,
            }
        }
        Container::PcapNg => {
            let mut bytes = Vec::new();
            let mut what = Vec::new();
            let mut written = Vec::new();
            let sections = rng.u32(1..=3);
            let per = count.div_ceil(sections);
            let mut n = first;
            while n < first + count {
                let big = rng.bool();
                bytes.extend(shb(big));
                let interfaces: Vec<Interface> = (0..rng.usize(1..=4))
                    .map(|_| Interface {
                        link: Link::ALL[rng.usize(0..Link::ALL.len())],
                        tsresol: [6, 9, 3, 0, 0x80 | 20, 0x80 | 10, 0x80 | 30][rng.usize(0..7)],
                        offset: [0, 0, 1000, -1000, 1_000_000][rng.usize(0..5)],
                    })
                    .collect();
                for i in &interfaces {
                    bytes.extend(idb(*i, big));
                }
                for _ in 0..per {
                    if n >= first + count {
                        break;
                    }
                    let id = rng.usize(0..interfaces.len());
                    let i = interfaces[id];
                    let t = t0 + u64::from(n - first) * 10_000_000;
                    for fr in scenario(rng, n, i.link, t) {
                        bytes.extend(epb(id as u32, i.ticks(fr.time_ns), &fr, big));
                        written.push((i.link, fr.data.clone()));
                        what.push(format!(
                            "{} (interface {id} of its section: {i:?}, {})",
                            fr.what,
                            if big { "big-endian" } else { "little-endian" }
                        ));
                    }
                    n += 1;
                }
            }
            Batch {
                bytes,
                ext: "pcapng",
                what,
                frames: written,
                container,
            }
        }
    }
}

// ---- comparison --------------------------------------------------------------------------------

/// Where oneway differs from tshark by design, for a generated frame: the reason, or `None`.
/// `what` describes the frame, `scenario` every frame of its scenario.
fn deliberate(
    theirs: Option<&Datagram>,
    ours: Option<&Datagram>,
    what: &str,
    scenario: &[Written],
) -> Option<&'static str> {
    match (theirs, ours) {
        (Some(t), None) if t.payload.is_empty() && what.contains("cut by the snaplen") => Some(
            "a UDP header cut by the snaplen before its 8 bytes: tshark lists the fields it could \
             read, oneway shows the frame as malformed (no length to trust)",
        ),
        (Some(t), None) if t.payload.is_empty() && what.contains("mutated") => Some(
            "a UDP header cut before its 8 bytes by a (mutated) IP length: tshark lists the \
             fields it could read, oneway shows the frame as malformed",
        ),
        // Either side: tshark completes (or takes the bytes of) another copy than oneway.
        _ if what.contains("fragment") && scenario.iter().any(|w| vlan_mutated(w.what)) => Some(
            "the fragments of one IP datagram came with different VLAN tags: oneway \
                 reassembles by the IP header (addresses, identification, protocol), tshark \
                 keeps VLANs apart",
        ),
        // Either side: a fragment whose source route tshark keys by another address.
        _ if scenario.iter().any(|w| ipv4_source_route(w.link, w.data)) => Some(
            "an IPv4 loose or strict source-route option (0x83, 0x89; a mutated option byte): \
             tshark's ip.dst is the route's final address, oneway shows the header's \
             destination, the one the packet crossed the link to (hosts drop source-routed \
             packets by default: Linux accept_source_route=0, RFC 7126)",
        ),
        // Either side: tshark stops at the malformed option and leaves the fragment out.
        _ if scenario
            .iter()
            .any(|w| ipv4_option_malformed(w.link, w.data)) =>
        {
            Some(
                "an IPv4 option whose length is below 2, past the header or below its kind's \
             minimum (a mutated option byte): tshark calls the packet malformed and leaves it \
             out of reassembly; oneway reads IPv4 options only for the header's length and \
             shows the datagram whose bytes crossed the link",
            )
        }
        // Either side: two last fragments that end the datagram at different lengths.
        _ if {
            let mut ends = scenario
                .iter()
                .filter_map(|w| piece(w.link, w.data))
                .filter(|p| !p.more)
                .map(|p| p.end);
            ends.next()
                .is_some_and(|first| ends.any(|end| end != first))
        } =>
        {
            Some(
                "two last fragments (More Fragments clear) of one datagram that end it at \
                 different lengths (a mutated offset or flag): oneway gives the datagram up, as \
                 Linux does (ip6_frag_queue, ip_frag_queue: the queue is dropped); tshark \
                 reassembles to the longer end and flags multiple tail fragments",
            )
        }
        // Either side: an IPv6 first fragment whose next header differs from another's.
        _ if {
            let v6: Vec<Piece> = scenario
                .iter()
                .filter(|w| ip_start(w.link, w.data, 6).is_some())
                .filter_map(|w| piece(w.link, w.data))
                .collect();
            v6.iter()
                .filter(|p| p.offset == 0)
                .any(|first| v6.iter().any(|p| p.next != first.next))
        } =>
        {
            Some(
                "an IPv6 first fragment whose fragment header names another next header than \
                 the other fragments (a mutated byte): RFC 8200 (4.5) takes the reassembled \
                 packet's next header from the first fragment, as Linux does and oneway does \
                 (a fragment header there cannot be reassembled); tshark takes it from another \
                 fragment and shows its UDP",
            )
        }
        // Either side: tshark's source is the home address of a Mobile IPv6 option.
        _ if scenario.iter().any(|w| ipv6_home_address(w.link, w.data)) => Some(
            "an IPv6 Home Address option (type 201, Mobile IPv6; a mutated option byte): \
             tshark's ipv6.src (and its fragment key) is the home address the option carries, \
             oneway shows the header's source, the address the packet crossed the link from",
        ),
        // Either side: an IPv6 option tshark calls malformed by its length.
        _ if scenario
            .iter()
            .any(|w| ipv6_option_malformed(w.link, w.data)) =>
        {
            Some(
                "an IPv6 option shorter than tshark reads it (CALIPSO, type 7, under 5 bytes; type \
             49 of length 0; a mutated option byte): tshark calls the packet malformed, oneway \
             steps over options by their lengths, as RFC 8200 (4.2) does for a type it does not \
             act on",
            )
        }
        // Either side: a loopback family beyond 16 bits, which tshark reads as an Ethertype.
        _ if scenario.iter().any(|w| null_family_wide(w.link, w.data)) => Some(
            "a BSD loopback (NULL) family beyond 16 bits (a mutated byte): oneway calls it an \
             unknown family; tshark takes its low 16 bits as an Ethertype (0x0061: RTP IP header \
             compression, and an IP packet found inside it)",
        ),
        // Either side: MACsec, which tshark reads through when it is not encrypted.
        _ if scenario.iter().any(|w| macsec(w.link, w.data)) => Some(
            "a MACsec frame (802.1AE, Ethertype 0x88e5; a mutated tag): oneway does not read \
             through a SecTAG and counts the frame by its Ethertype; tshark reads on when the \
             frame is not encrypted (E and C clear)",
        ),
        // Either side: a frame oneway reads as IPv6 by Linux's AF_INET6, tshark not at all.
        _ if scenario.iter().any(|w| null_family_10(w.link, w.data)) => Some(
            "a BSD loopback (NULL) frame whose family is 10, Linux's AF_INET6 (a mutated family): \
             oneway reads it as IPv6, as gopacket does and writes it; tshark and tcpdump know \
             only the BSD values 24, 28 and 30 and show data",
        ),
        // Either side: an IPv6 payload length of 0 without a hop-by-hop header.
        _ if scenario.iter().any(|w| ipv6_length_0(w.link, w.data)) => Some(
            "an IPv6 payload length of 0 without a hop-by-hop header (a mutated length; what \
             segmentation offload leaves in a sender's own capture): oneway reads the packet to \
             the frame's end, as it and tshark do for IPv4's total length of 0; tshark does so \
             for IPv6 only with its ipv6.tso_support preference on",
        ),
        // Either side: a routing header tshark calls malformed, RFC 8200 says to ignore.
        _ if scenario
            .iter()
            .any(|w| ipv6_chain_stop(w.link, w.data) == Some(ROUTING_IGNORED)) =>
        {
            Some(ROUTING_IGNORED)
        }
        _ => scenario
            .iter()
            .filter(|w| w.what.contains("mutated"))
            .find_map(|w| ipv6_chain_stop(w.link, w.data)),
    }
}

/// An IPv6 routing header with segments left 0 whose length its type forbids.
const ROUTING_IGNORED: &str = "an IPv6 routing header with Segments Left 0 and a length its \
    type forbids (type 2 of another length than 2, a segment routing header without a segment; \
    a mutated byte): RFC 8200 (4.4) says a node ignores a routing header whose Segments Left is \
    0 and goes on to the next header, as oneway does; tshark calls the packet malformed";

/// Whether a frame's IPv4 header holds a loose or strict source-route option (types 0x83 and
/// 0x89), walking its options by their lengths as far as they are captured.
fn ipv4_source_route(link: Link, data: &[u8]) -> bool {
    ipv4_options_of(link, data).any(|(kind, _)| matches!(kind, 0x83 | 0x89))
}

/// Whether a frame's IPv4 header holds an option that tshark calls malformed: a length field
/// below 2 or past the header, or below its kind's minimum. The minimums are tshark 4.0's, found
/// by giving it every kind at every length from 2 to 16 (record route, the source routes,
/// security and extended security 3; timestamp, MTU probe and reply, stream id and router
/// alert 4; CIPSO 6; quick-start 8; traceroute 12); no longer length of any kind was malformed.
fn ipv4_option_malformed(link: Link, data: &[u8]) -> bool {
    const MINIMUM: [(u8, usize); 13] = [
        (7, 3),
        (11, 4),
        (12, 4),
        (25, 8),
        (68, 4),
        (82, 12),
        (130, 3),
        (131, 3),
        (133, 3),
        (134, 6),
        (136, 4),
        (137, 3),
        (148, 4),
    ];
    ipv4_options_of(link, data).any(|(kind, len)| match len {
        None => true,
        Some(len) => {
            len < MINIMUM
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(2, |(_, min)| *min)
        }
    })
}

/// A fragment as its own IP header describes it.
struct Piece {
    /// Its offset in the datagram.
    offset: u64,
    /// Where it ends: its offset and length.
    end: u64,
    /// Whether more fragments follow it.
    more: bool,
    /// The next header its fragment header names (IPv6), or the protocol (IPv4).
    next: u8,
}

/// A frame's fragment, by its own IP header; `None` for a frame that is not a fragment as far
/// as it was captured. (An atomic IPv6 fragment header is stepped over, as oneway does.)
fn piece(link: Link, data: &[u8]) -> Option<Piece> {
    let be16 = |ip: &[u8], at: usize| Some(u16::from_be_bytes([*ip.get(at)?, *ip.get(at + 1)?]));
    if let Some(ip) = ip_start(link, data, 4) {
        let header = u64::from(ip[0] & 0x0f) * 4;
        let flags = be16(ip, 6)?;
        let (offset, more) = (u64::from(flags & 0x1fff) * 8, flags & 0x2000 != 0);
        let total = u64::from(be16(ip, 2)?);
        return (more || offset > 0).then(|| Piece {
            offset,
            end: offset + total.saturating_sub(header),
            more,
            next: ip.get(9).copied().unwrap_or_default(),
        });
    }
    let ip = ip_start(link, data, 6)?;
    let payload = u64::from(be16(ip, 4)?);
    let (mut next, mut at) = (*ip.get(6)?, 40);
    loop {
        let len = match next {
            0 | 43 | 60 => (usize::from(*ip.get(at + 1)?) + 1) * 8,
            51 => (usize::from(*ip.get(at + 1)?) + 2) * 4,
            44 if be16(ip, at + 2)? & 0xfff9 == 0 => 8,
            44 => {
                let flags = be16(ip, at + 2)?;
                let offset = u64::from(flags & 0xfff8);
                let rest = (40 + payload).saturating_sub(at as u64 + 8);
                return Some(Piece {
                    offset,
                    end: offset + rest,
                    more: flags & 1 != 0,
                    next: *ip.get(at)?,
                });
            }
            _ => return None,
        };
        next = *ip.get(at)?;
        at += len;
    }
}

/// Whether a frame's IPv6 hop-by-hop or destination options header holds an option tshark
/// calls malformed by its length (found by giving it every type at every length from 0 to 14 in
/// both headers: CALIPSO, type 7, under 5; type 49 of length 0).
fn ipv6_option_malformed(link: Link, data: &[u8]) -> bool {
    ipv6_options_of(link, data)
        .any(|(kind, len)| (kind == 7 && len < 5) || (kind == 49 && len == 0))
}

/// Whether a frame's IPv6 hop-by-hop or destination options header holds a Home Address
/// option (type 201, Mobile IPv6), walked as far as it is captured.
fn ipv6_home_address(link: Link, data: &[u8]) -> bool {
    ipv6_options_of(link, data).any(|(kind, _)| kind == 201)
}

/// The options (type, length) of a frame's IPv6 hop-by-hop and destination options headers,
/// walked as far as they are captured (Pad1 left out).
fn ipv6_options_of(link: Link, data: &[u8]) -> impl Iterator<Item = (u8, usize)> + '_ {
    let mut found = Vec::new();
    if let Some(ip) = ip_start(link, data, 6) {
        let (mut next, mut at) = (ip.get(6).copied(), 40);
        while let Some(kind @ (0 | 43 | 44 | 51 | 60)) = next {
            let Some(&l) = ip.get(at + 1) else {
                break;
            };
            let len = match kind {
                44 => 8,
                51 => (usize::from(l) + 2) * 4,
                _ => (usize::from(l) + 1) * 8,
            };
            if matches!(kind, 0 | 60) {
                let mut o = at + 2;
                while o < (at + len).min(ip.len()) {
                    if ip[o] == 0 {
                        o += 1;
                        continue;
                    }
                    let Some(&olen) = ip.get(o + 1) else {
                        break;
                    };
                    found.push((ip[o], usize::from(olen)));
                    o += 2 + usize::from(olen);
                }
            }
            next = ip.get(at).copied();
            at += len;
        }
    }
    found.into_iter()
}

/// A NULL frame's family, read as oneway and tshark read it: the byte order decided by the upper
/// 16 bits (a 16-bit family in them, as IRIX and UNICOS write it, shifted down).
fn null_family(link: Link, data: &[u8]) -> Option<u32> {
    let h = data.get(..4).filter(|_| link == Link::Null)?;
    let le = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
    Some(if le & 0xffff_0000 == 0 {
        le
    } else if le & 0xff00_0000 == 0 && le & 0x00ff_0000 < 0x0006_0000 {
        le >> 16
    } else {
        le.swap_bytes()
    })
}

/// Whether an Ethernet frame's Ethertype, past its VLAN tags, is MACsec's (0x88e5).
fn macsec(link: Link, data: &[u8]) -> bool {
    let be16 = |at: usize| {
        data.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let mut at = 12;
    while matches!(be16(at), Some(0x8100 | 0x88a8)) {
        at += 4;
    }
    link == Link::Ethernet && be16(at) == Some(0x88e5)
}

/// Whether a NULL frame's family is wider than 16 bits.
fn null_family_wide(link: Link, data: &[u8]) -> bool {
    null_family(link, data).is_some_and(|f| f > 0xffff)
}

/// Whether a NULL frame's family is 10 (Linux's AF_INET6).
fn null_family_10(link: Link, data: &[u8]) -> bool {
    null_family(link, data) == Some(10)
}

/// Whether a frame's IPv6 header says a payload length of 0 and is not followed by a
/// hop-by-hop header (with one, oneway wants a Jumbo Payload option, as tshark does).
fn ipv6_length_0(link: Link, data: &[u8]) -> bool {
    ip_start(link, data, 6).is_some_and(|ip| ip.len() >= 40 && ip[4..6] == [0, 0] && ip[6] != 0)
}

/// The IP header of a generated frame: where it starts, if the link type says IP of `version`.
fn ip_start(link: Link, data: &[u8], version: u8) -> Option<&[u8]> {
    let be16 = |at: usize| Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]));
    let ethertype = if version == 4 { 0x0800 } else { 0x86dd };
    let start = match link {
        Link::Ethernet => {
            let mut at = 12;
            while matches!(be16(at)?, 0x8100 | 0x88a8) {
                at += 4;
            }
            (be16(at)? == ethertype).then_some(at + 2)?
        }
        Link::Sll => (be16(14)? == ethertype).then_some(16)?,
        Link::Sll2 => (be16(0)? == ethertype).then_some(20)?,
        Link::Null => 4,
        Link::Raw => 0,
    };
    let ip = data.get(start..)?;
    (ip.first()? >> 4 == version).then_some(ip)
}

/// A frame's IPv4 options as (kind, length), walked by their lengths as far as they are
/// captured; a length that is missing, below 2 or past the header ends the walk as `None`.
fn ipv4_options_of(link: Link, data: &[u8]) -> impl Iterator<Item = (u8, Option<usize>)> + '_ {
    let ip = ip_start(link, data, 4).unwrap_or_default();
    // (A header the capture cut short is not judged.)
    let end = ip
        .first()
        .map(|b| usize::from(b & 0x0f) * 4)
        .filter(|&end| end <= ip.len())
        .unwrap_or(0);
    let mut at = 20;
    std::iter::from_fn(move || {
        let kind = *ip.get(at).filter(|_| at < end)?;
        match kind {
            0 => None,
            1 => {
                at += 1;
                Some((1, Some(1)))
            }
            _ => match ip.get(at + 1).map(|&l| usize::from(l)) {
                Some(len) if len >= 2 && at + len <= end => {
                    at += len;
                    Some((kind, Some(len)))
                }
                _ => {
                    at = end;
                    Some((kind, None))
                }
            },
        }
    })
}

/// Where a (mutated) IPv6 packet's extension-header chain holds what oneway stops at by design
/// (README, "Deliberate differences from tshark"), the reason: a hop-by-hop header that is not
/// first, an authentication header shorter than its 12-byte minimum, a Shim6 header. tshark
/// reads on through each. The chain is walked as far as it is captured, through a fragment
/// header whose offset is 0 (what follows it is the start of the reassembled datagram).
fn ipv6_chain_stop(link: Link, data: &[u8]) -> Option<&'static str> {
    let ip = ip_start(link, data, 6)?;
    if ip.len() < 40 {
        return None;
    }
    let mut next = ip[6];
    let mut at = 40;
    loop {
        let len = match next {
            0 if at != 40 => {
                return Some(
                    "an IPv6 hop-by-hop header that is not the first extension header (a mutated \
                     next header): RFC 8200 allows it only right after the IPv6 header, and a \
                     receiver discards the packet (Linux answers ICMPv6 parameter problem); \
                     oneway stops there, tshark reads on",
                );
            }
            // Segments left 0, and a length its type forbids (type 2 must say 2; a segment
            // routing header holds at least one segment).
            43 if *ip.get(at + 3)? == 0
                && matches!(
                    (*ip.get(at + 2)?, *ip.get(at + 1)?),
                    (2, 0 | 1 | 3..) | (4, 0)
                ) =>
            {
                return Some(ROUTING_IGNORED);
            }
            0 | 43 | 60 => (usize::from(*ip.get(at + 1)?) + 1) * 8,
            48 => {
                return Some(
                    "an IPv6 packet whose next header reads as DSR (IP protocol 48, RFC 4728's \
                     MANET source routing; a mutated next header): oneway does not step over \
                     it, tshark does",
                );
            }
            51 if *ip.get(at + 1)? == 0 => {
                return Some(
                    "an IPv6 authentication header shorter than RFC 4302's 12-byte minimum (a \
                     mutated next header reads other bytes as one): oneway stops there, tshark \
                     reads on",
                );
            }
            51 => (usize::from(*ip.get(at + 1)?) + 2) * 4,
            140 => {
                return Some(
                    "an IPv6 Shim6 header (a mutated next header): oneway does not step over it, \
                     tshark does",
                );
            }
            // A first fragment: what follows is the start of the datagram.
            44 if u16::from_be_bytes([*ip.get(at + 2)?, *ip.get(at + 3)?]) & 0xfff8 == 0 => 8,
            _ => return None,
        };
        next = *ip.get(at)?;
        at += len;
    }
}

/// Whether a mutation of this Ethernet frame changed a VLAN tag's identifier.
fn vlan_mutated(what: &str) -> bool {
    let Some(tags) = what
        .split("vlans [")
        .nth(1)
        .and_then(|r| r.split(']').next())
        .map(|t| t.split(',').filter(|s| !s.trim().is_empty()).count())
    else {
        return false;
    };
    if !(what.contains("IPv4 1 vlans") || what.contains("IPv6 1 vlans")) {
        return false;
    }
    let Some(mutated) = what.split("mutated ").nth(1) else {
        return false;
    };
    mutated
        .split([' ', ';', '('])
        .filter_map(|m| {
            m.split_once('=')
                .and_then(|(at, _)| at.parse::<usize>().ok())
        })
        .any(|at| at >= 12 && at < 12 + 4 * tags && (at - 12) % 4 >= 2)
}

/// The kind of a disagreement, for the counts.
fn kind(theirs: Option<&Datagram>, ours: Option<&Datagram>) -> &'static str {
    match (theirs, ours) {
        (Some(_), None) => "only tshark lists it",
        (None, Some(_)) => "only oneway lists it",
        (Some(t), Some(o)) if t.time != o.time => "time",
        (Some(t), Some(o)) if t.src != o.src || t.dst != o.dst => "addresses",
        (Some(t), Some(o)) if t.sport != o.sport || t.dport != o.dport => "ports",
        (Some(t), Some(o)) if t.length != o.length => "length",
        (Some(t), Some(o)) if t.payload != o.payload => "payload",
        _ => "none",
    }
}

#[derive(Default)]
struct Counts {
    files: u64,
    scenarios: u64,
    frames: u64,
    datagrams_agree: u64,
    deliberate: BTreeMap<&'static str, u64>,
    disagreements: BTreeMap<&'static str, u64>,
    tool_errors: u64,
    examples: Vec<String>,
}

impl Counts {
    fn line(&self) -> String {
        format!(
            "{} files, {} captures (scenarios), {} frames, {} datagrams agree, deliberate \
             differences {:?}, disagreements {:?}, tool errors {}",
            self.files,
            self.scenarios,
            self.frames,
            self.datagrams_agree,
            self.deliberate,
            self.disagreements,
            self.tool_errors
        )
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Compares one batch file; adds to `counts`.
fn run_batch(index: u64, seed: u64, per_file: u32, dir: &Path, counts: &Mutex<Counts>) {
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(1_000_003).wrapping_add(index));
    let first = (index as u32).wrapping_mul(per_file) % (1 << 24);
    let b = batch(&mut rng, first, per_file);
    let path = dir.join(format!("batch-{seed}-{index}.{}", b.ext));
    std::fs::write(&path, &b.bytes).expect("scratch dir is writable");
    let (theirs, ours) = match (tshark(&path), oneway(&path)) {
        (Ok(t), Ok(o)) => (t, o),
        (Err(e), _) | (_, Err(e)) => {
            let mut c = counts.lock().expect("counts");
            c.tool_errors += 1;
            c.examples.push(format!("{}: {e}", path.display()));
            return;
        }
    };
    let mut frames: Vec<u64> = theirs.keys().chain(ours.keys()).copied().collect();
    frames.sort_unstable();
    frames.dedup();
    let mut agree = 0;
    let mut found = Vec::new();
    let mut aside = Vec::new();
    for f in frames {
        let (t, o) = (theirs.get(&f), ours.get(&f));
        if t == o {
            agree += 1;
            continue;
        }
        let what = b
            .what
            .get(f as usize - 1)
            .map_or("?", String::as_str)
            .to_string();
        let prefix = what.split(':').next().unwrap_or_default();
        let scenario: Vec<Written> = b
            .what
            .iter()
            .zip(&b.frames)
            .filter(|(w, _)| w.split(':').next() == Some(prefix))
            .map(|(w, (link, data))| Written {
                what: w,
                link: *link,
                data,
            })
            .collect();
        if let Some(why) = deliberate(t, o, &what, &scenario) {
            aside.push(why);
            continue;
        }
        found.push((
            kind(t, o),
            format!(
                "frame {f} ({what}; {:?}):\n  tshark: {}\n  oneway: {}",
                b.container,
                t.map_or("-".into(), short),
                o.map_or("-".into(), short)
            ),
        ));
    }
    let kept = if found.is_empty() {
        let _ = std::fs::remove_file(&path);
        None
    } else {
        let keep = Path::new("target/difffuzz-failures");
        let _ = std::fs::create_dir_all(keep);
        let to = keep.join(path.file_name().unwrap_or_default());
        let _ = std::fs::copy(&path, &to);
        let _ = std::fs::remove_file(&path);
        let mut text = String::new();
        for (k, line) in &found {
            let _ = writeln!(text, "[{k}] {line}");
        }
        let _ = std::fs::write(to.with_extension("txt"), text);
        Some(to)
    };
    let mut c = counts.lock().expect("counts");
    c.files += 1;
    c.scenarios += u64::from(per_file);
    c.frames += b.what.len() as u64;
    c.datagrams_agree += agree;
    for why in aside {
        *c.deliberate.entry(why).or_default() += 1;
    }
    for (k, line) in found {
        *c.disagreements.entry(k).or_default() += 1;
        if c.examples.len() < 40 {
            let file = kept
                .as_ref()
                .map_or(String::new(), |p| p.display().to_string());
            c.examples.push(format!("{file} {line}"));
        }
    }
    if let Ok(log) = std::env::var("DIFFFUZZ_LOG") {
        use std::io::Write as _;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(f, "{} seed {seed}: {}", unix_now(), c.line());
        }
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[test]
fn generated_captures_agree_with_tshark() {
    if !tshark_present() {
        util::missing("tshark (apt-get install tshark), for the differential fuzzer");
        return;
    }
    let captures = env_u64("DIFFFUZZ_CAPTURES", 3_000);
    let seed = env_u64("DIFFFUZZ_SEED", 13);
    let per_file = env_u64("DIFFFUZZ_PER_FILE", 50).max(1) as u32;
    let keep_going = std::env::var_os("DIFFFUZZ_KEEP_GOING").is_some();
    // DIFFFUZZ_BATCHES=6,412: those batches only (a kept failure `batch-SEED-INDEX` again).
    let batches: Vec<u64> = match std::env::var("DIFFFUZZ_BATCHES") {
        Ok(list) => list
            .split(',')
            .filter_map(|i| i.trim().parse().ok())
            .collect(),
        Err(_) => (0..captures.div_ceil(u64::from(per_file))).collect(),
    };
    let dir = std::env::temp_dir().join(format!("oneway-difffuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let counts = Mutex::new(Counts::default());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(&i) = batches.get(next.fetch_add(1, Ordering::Relaxed)) {
                    run_batch(i, seed, per_file, &dir, &counts);
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    let c = counts.into_inner().expect("counts");
    eprintln!("difffuzz seed {seed}: {}", c.line());
    for e in &c.examples {
        eprintln!("{e}");
    }
    let disagreements: u64 = c.disagreements.values().sum();
    if !keep_going {
        assert_eq!(c.tool_errors, 0, "a tool failed: {:?}", c.examples);
        assert_eq!(
            disagreements, 0,
            "oneway and tshark disagree on generated captures (kept in target/difffuzz-failures/)"
        );
    }
}
