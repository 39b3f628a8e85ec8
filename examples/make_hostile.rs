//! Writes the crafted worst-case captures of `fixtures/hostile/`, byte for byte the same on every
//! run: `cargo run --example make_hostile`.
//!
//! Each capture is built by hand (no writer library: writers refuse what these files must hold)
//! by one function below whose doc comment says what it holds. Their expected outputs are in
//! `fixtures/hostile/expected/`, checked by `tests/hostile.rs` (`UPDATE_GOLDEN=1` rewrites them).
//!
//! One case is too big to commit (100,000 unfinished fragment trains, 5.8 MB): it is not written
//! here; `tests/hostile.rs` builds it with [`fragment_trains`] (this file is included there as a
//! module) into a scratch directory.
//!
//! Conventions are those of `fixtures/README.md`: 2025-09-15T11:20:53Z plus offsets, client
//! `10.0.0.1:57314`, server `10.0.0.2:12345`, `2001:db8::1`/`2001:db8::2`, MAC `02:00` + IPv4.

use std::error::Error;
use std::path::Path;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// 2025-09-15T11:20:53Z, the second of the lab's capture.
const BASE_SECS: u32 = 1_757_935_253;
const CLIENT_V4: [u8; 4] = [10, 0, 0, 1];
const SERVER_V4: [u8; 4] = [10, 0, 0, 2];
/// 2001:db8::1
const CLIENT_V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
/// 2001:db8::2
const SERVER_V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
const CLIENT_PORT: u16 = 57314;
const SERVER_PORT: u16 = 12345;
/// The lab client's message.
const HELLO: &[u8] = b"Hello, UDP server2!";
/// How many unfinished fragment trains the big case holds.
pub const TRAINS: u32 = 100_000;

/// Builds the bytes of one crafted capture.
type Build = fn() -> Vec<u8>;

/// Every committed crafted capture: its file name in `fixtures/hostile/` and its builder.
pub const HOSTILE: &[(&str, Build)] = &[
    ("record-4gib.pcap", record_4gib),
    ("snaplen-0.pcap", snaplen_0),
    ("snaplen-max.pcap", snaplen_max),
    (
        "block-shorter-than-header.pcapng",
        block_shorter_than_header,
    ),
    ("block-not-multiple-of-4.pcapng", block_not_multiple_of_4),
    ("block-4gib.pcapng", block_4gib),
    ("no-such-interface.pcapng", no_such_interface),
    ("tsresol-255.pcapng", tsresol_255),
    ("udp-length-0.pcap", udp_length_0),
    ("udp-length-7.pcap", udp_length_7),
    ("udp-length-65535.pcap", udp_length_65535),
    ("overlapping-fragments.pcap", overlapping_fragments),
    ("ipv6-100-extensions.pcap", ipv6_100_extensions),
    ("terminal.pcap", terminal),
    ("strings-not-utf8.pcapng", strings_not_utf8),
    ("option-lengths.pcapng", option_lengths),
    ("epb-caplen-over-origlen.pcapng", epb_caplen_over_origlen),
    ("before-1970.pcapng", before_1970),
    ("year-11476.pcapng", year_11476),
    ("ip-total-length-short.pcap", ip_total_length_short),
    ("fcs.pcapng", fcs),
];

/// Crafted captures too big to commit (each over a megabyte, and the every-prefix test would
/// cut them at every block): the tests write them to a scratch directory.
pub const GENERATED: &[(&str, Build)] = &[
    ("idb-1mib.pcapng", idb_1mib),
    ("interfaces-65536.pcapng", interfaces_65536),
];

#[allow(dead_code)] // `tests/hostile.rs` includes this file as a module and has its own main.
fn main() -> Result<()> {
    // `make_hostile DIR` writes the generated (uncommitted) cases into DIR as well.
    if let Some(dir) = std::env::args_os().nth(1) {
        write_generated(Path::new(&dir))?;
    }
    let dir = Path::new("fixtures/hostile");
    std::fs::create_dir_all(dir)?;
    for (name, build) in HOSTILE {
        std::fs::write(dir.join(name), build())?;
    }
    Ok(())
}

/// Writes the [`GENERATED`] cases into `dir` (created if need be).
pub fn write_generated(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, build) in GENERATED {
        std::fs::write(dir.join(name), build())?;
    }
    Ok(())
}

// ---- the cases ------------------------------------------------------------------------------

/// The lab request (frame 1), then a record whose captured length is 4 GiB − 1 (0xffffffff)
/// followed by 16 bytes only. A reader must list frame 1 and stop with a clear message, without
/// trying to allocate 4 GiB.
fn record_4gib() -> Vec<u8> {
    let mut f = pcap_header(262_144);
    f.extend(record(0, &eth4(&request4())));
    f.extend(record_header(100, u32::MAX, u32::MAX));
    f.extend([0xab; 16]);
    f
}

/// The lab exchange in a file whose header says snaplen 0 (libpcap's "no limit" in old files).
fn snaplen_0() -> Vec<u8> {
    let mut f = pcap_header(0);
    f.extend(record(0, &eth4(&request4())));
    f.extend(record(283, &eth4(&reply4())));
    f
}

/// The lab exchange in a file whose header says snaplen 2^32 − 1.
fn snaplen_max() -> Vec<u8> {
    let mut f = pcap_header(u32::MAX);
    f.extend(record(0, &eth4(&request4())));
    f.extend(record(283, &eth4(&reply4())));
    f
}

/// pcapng: section, interface, the lab request, then a block whose total length is 8 (smaller
/// than the 12 bytes of any block's framing), then the reply.
fn block_shorter_than_header() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &[]));
    f.extend(epb(0, 0, &eth4(&request4())));
    f.extend(6u32.to_le_bytes());
    f.extend(8u32.to_le_bytes());
    f.extend(8u32.to_le_bytes());
    f.extend(epb(0, 283, &eth4(&reply4())));
    f
}

/// pcapng: section, interface, the lab request, then an enhanced packet block whose total
/// length is 2 more than its real length (not a multiple of 4), then the reply.
fn block_not_multiple_of_4() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &[]));
    f.extend(epb(0, 0, &eth4(&request4())));
    let mut bad = epb(0, 100, &eth4(&request4()));
    let len = u32::try_from(bad.len()).unwrap_or(0) + 2;
    bad[4..8].copy_from_slice(&len.to_le_bytes());
    let end = bad.len();
    bad[end - 4..].copy_from_slice(&len.to_le_bytes());
    f.extend(bad);
    f.extend(epb(0, 283, &eth4(&reply4())));
    f
}

/// pcapng: section, interface, the lab request, then an enhanced packet block that says it is
/// 0xfffffffc bytes long (4 GiB − 4) and the file ends 32 bytes later.
fn block_4gib() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &[]));
    f.extend(epb(0, 0, &eth4(&request4())));
    f.extend(6u32.to_le_bytes());
    f.extend(0xffff_fffcu32.to_le_bytes());
    f.extend([0u8; 24]);
    f
}

/// pcapng with one interface: the request on interface 0, a packet on interface 7 (not
/// described), the reply on interface 0.
fn no_such_interface() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &[]));
    f.extend(epb(0, 0, &eth4(&request4())));
    f.extend(epb(7, 100, &eth4(&request4())));
    f.extend(epb(0, 283, &eth4(&reply4())));
    f
}

/// pcapng whose interface says `if_tsresol` 255 (binary, 2^-127 s per tick: every timestamp
/// is 0 in nanoseconds), then the lab exchange on it.
fn tsresol_255() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &option(9, &[255])));
    f.extend(epb(0, 0, &eth4(&request4())));
    f.extend(epb(0, 283, &eth4(&reply4())));
    f
}

/// The lab request with its UDP length field set to 0, then the reply intact.
fn udp_length_0() -> Vec<u8> {
    udp_length(0)
}

/// The lab request with its UDP length field set to 7 (less than the UDP header), then the reply.
fn udp_length_7() -> Vec<u8> {
    udp_length(7)
}

/// The lab request with its UDP length field set to 65535 (far more than the 27 bytes the
/// packet holds), then the reply.
fn udp_length_65535() -> Vec<u8> {
    udp_length(65535)
}

fn udp_length(field: u16) -> Vec<u8> {
    let mut request = eth4(&request4());
    request[14 + 20 + 4..14 + 20 + 6].copy_from_slice(&field.to_be_bytes());
    let mut f = pcap_header(262_144);
    f.extend(record(0, &request));
    f.extend(record(283, &eth4(&reply4())));
    f
}

/// One IPv4 datagram (id 0x0bad, 10.0.0.1:57314 → 10.0.0.2:12345, 40-byte payload `A`…`Z`…) in
/// three fragments that overlap: bytes 0–23 of the UDP datagram, then 16–39 (its first 8 bytes
/// say `XXXXXXXX`, disagreeing with the first), then 32–47, the last. A second train (id 0x0bae)
/// has a fragment that lies wholly inside an earlier one, and a third (id 0x0baf) a fragment
/// at offset 0 sent twice. Then the lab reply.
fn overlapping_fragments() -> Vec<u8> {
    let payload: Vec<u8> = (0..40u8).map(|i| b'A' + i % 26).collect();
    let udp = udp_bytes(CLIENT_PORT, SERVER_PORT, &payload);
    let mut second = udp[16..40].to_vec();
    second[..8].copy_from_slice(b"XXXXXXXX");
    let mut f = pcap_header(262_144);
    let frames: Vec<Vec<u8>> = vec![
        fragment4(0x0bad, 0, true, &udp[0..24]),
        fragment4(0x0bad, 16, true, &second),
        fragment4(0x0bad, 32, false, &udp[32..48]),
        fragment4(0x0bae, 0, true, &udp[0..32]),
        fragment4(0x0bae, 8, true, &udp[8..16]),
        fragment4(0x0bae, 32, false, &udp[32..48]),
        fragment4(0x0baf, 0, true, &udp[0..24]),
        fragment4(0x0baf, 0, true, &udp[0..24]),
        fragment4(0x0baf, 24, false, &udp[24..48]),
        eth4(&reply4()),
    ];
    for (i, frame) in (0u32..).zip(&frames) {
        f.extend(record(i * 10, frame));
    }
    f
}

/// IPv6 2001:db8::1:57314 → 2001:db8::2:12345 whose UDP datagram (`Hello, UDP server2!`) comes
/// after a chain of 100 extension headers: a hop-by-hop options header then 99 destination
/// options headers, each 8 bytes of PadN. Then the same datagram with no extension header.
fn ipv6_100_extensions() -> Vec<u8> {
    let udp = udp_bytes(CLIENT_PORT, SERVER_PORT, HELLO);
    let mut chain = Vec::new();
    for i in 0..100 {
        let next = if i == 99 { 17 } else { 60 };
        chain.extend([next, 0, 1, 4, 0, 0, 0, 0]);
    }
    let mut long = ipv6_header(0, chain.len() + udp.len());
    long.extend(chain);
    long.extend(&udp);
    let mut short = ipv6_header(17, udp.len());
    short.extend(&udp);
    let mut f = pcap_header(262_144);
    f.extend(record(0, &eth6(&long)));
    f.extend(record(100, &eth6(&short)));
    f
}

/// Payloads that must never reach a terminal raw, one datagram each: CSI colour, OSC 8
/// hyperlink, CR/BEL/backspace/NUL/DEL, C1 CSI (U+009B), bidi overrides (U+202E, U+2066),
/// invalid UTF-8, an OSC 52 clipboard write, and a window-title OSC 0.
fn terminal() -> Vec<u8> {
    let payloads: &[&[u8]] = &[
        b"\x1b[31mRED\x1b[0m\x1b[2J\x1b[H",
        b"\x1b]8;;http://example.com\x1b\\click\x1b]8;;\x1b\\",
        b"over\rwrite\x07\x08\x08\x00\x7f",
        "c1 \u{9b}31m".as_bytes(),
        "file\u{202e}gpj.exe \u{2066}x\u{2069}".as_bytes(),
        b"bad \xc3( \xff\xfe \xed\xa0\x80",
        b"\x1b]52;c;aGVsbG8=\x07",
        b"\x1b]0;pwned\x07title",
    ];
    let mut f = pcap_header(262_144);
    for (i, p) in (0u32..).zip(payloads) {
        f.extend(record(
            i * 1000,
            &eth4(&ipv4(
                CLIENT_V4,
                SERVER_V4,
                0,
                0,
                false,
                &udp_bytes(CLIENT_PORT, SERVER_PORT, p),
            )),
        ));
    }
    f
}

/// pcapng where every text option is not UTF-8: the section header's comment, hardware, OS and
/// application; the interface's comment, name, description, OS and hardware; the request's
/// packet comment. Then the lab exchange (tshark reads it all; pcap-file refused the section).
fn strings_not_utf8() -> Vec<u8> {
    let bad: &[u8] = b"\xff\xfe caf\xe9 \xc3(";
    let mut shb_options = Vec::new();
    for code in [1, 2, 3, 4] {
        shb_options.extend(opt(code, bad));
    }
    shb_options.extend([0, 0, 0, 0]);
    let mut f = shb_with(&shb_options);
    let mut idb_options = Vec::new();
    for code in [1, 2, 3, 12, 15] {
        idb_options.extend(opt(code, bad));
    }
    idb_options.extend([0, 0, 0, 0]);
    f.extend(idb(1, &idb_options));
    f.extend(epb_with(0, 0, &eth4(&request4()), &option(1, bad)));
    f.extend(epb(0, 283, &eth4(&reply4())));
    f
}

/// pcapng whose interface block carries options of lengths the specification does not allow:
/// `if_fcslen` of 2 bytes, `if_tsresol` of 2 bytes, `if_tsoffset` of 4 bytes, an unknown option
/// of 3 bytes; a second interface says `if_tsresol` 9 (ns) and `if_tsoffset` 1 s correctly. The
/// request on the first, the reply on the second (its ticks are nanoseconds, one second less).
fn option_lengths() -> Vec<u8> {
    let mut odd = opt(13, &[4, 0]);
    odd.extend(opt(9, &[9, 9]));
    odd.extend(opt(14, &[1, 0, 0, 0]));
    odd.extend(opt(0x7777, &[1, 2, 3]));
    odd.extend([0, 0, 0, 0]);
    let mut right = opt(9, &[9]);
    right.extend(opt(14, &1u64.to_le_bytes()));
    right.extend([0, 0, 0, 0]);
    let mut f = shb();
    f.extend(idb(1, &odd));
    f.extend(idb(1, &right));
    f.extend(epb(0, 0, &eth4(&request4())));
    let ns = (u64::from(BASE_SECS) - 1) * 1_000_000_000 + 709_763_000;
    f.extend(epb_ticks(1, ns, &eth4(&reply4()), 0, &[]));
    f
}

/// pcapng: the request in an enhanced packet block whose original length (10) is less than
/// its captured length (61), then the reply. tshark lists both; so does a pcap reader.
fn epb_caplen_over_origlen() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &[]));
    let request = eth4(&request4());
    f.extend(epb_ticks(
        0,
        u64::from(BASE_SECS) * 1_000_000 + 709_480,
        &request,
        10,
        &[],
    ));
    f.extend(epb(0, 283, &eth4(&reply4())));
    f
}

/// pcapng whose interface says `if_tsoffset` −2,000,000,000 s: the request's time falls in
/// 1906 (tshark lists it with a negative time), the reply (2,000,000,000 s of ticks later) at
/// the lab's time.
fn before_1970() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &option(14, &(-2_000_000_000i64).to_le_bytes())));
    f.extend(epb(0, 0, &eth4(&request4())));
    f.extend(epb_ticks(
        0,
        (u64::from(BASE_SECS) + 2_000_000_000) * 1_000_000 + 709_763,
        &eth4(&reply4()),
        0,
        &[],
    ));
    f
}

/// pcapng whose interface counts time in seconds (`if_tsresol` 0): the request at
/// 300,000,000,000 s (year 11476, past RFC 3339's 9999), the reply 283 µs after the lab's on a
/// second, ordinary interface.
fn year_11476() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, &option(9, &[0])));
    f.extend(idb(1, &[]));
    f.extend(epb_ticks(0, 300_000_000_000, &eth4(&request4()), 0, &[]));
    f.extend(epb(1, 283, &eth4(&reply4())));
    f
}

/// The lab request five times, its IPv4 total length set to 0 (what segmentation offload
/// leaves: tshark reads to the frame's end), 10, 19 (both below the 20-byte header: tshark says
/// "Bogus IP length" and reads no UDP), 20 (no room for UDP), then left as it is.
fn ip_total_length_short() -> Vec<u8> {
    let mut f = pcap_header(262_144);
    for (i, total) in (0u32..).zip([Some(0u16), Some(10), Some(19), Some(20), None]) {
        let mut ip = request4();
        if let Some(total) = total {
            ip[2..4].copy_from_slice(&total.to_be_bytes());
            ip[10..12].copy_from_slice(&[0, 0]);
            let sum = checksum(&ip[..20]);
            ip[10..12].copy_from_slice(&sum.to_be_bytes());
        }
        f.extend(record(i * 100, &eth4(&ip)));
    }
    f
}

/// pcapng whose Ethernet frames end in a frame check sequence (`c8 1f 9a 3b`), each datagram's IP
/// total length and UDP length field claiming those 4 bytes too (so that whoever reads the FCS
/// as data lists them as payload): the request on an interface with `if_fcslen` 32 (bits, as
/// the specification counts), the reply on one with `if_fcslen` 4 (bytes, as writers put it),
/// the request again with an `epb_flags` option saying a 2-byte FCS (it overrides the
/// interface's), again cut by the snaplen before its FCS, and on a raw-IP interface with
/// `if_fcslen` 4 (tshark takes an FCS off Ethernet frames only). tshark lists the first two
/// datagrams without the FCS bytes, the third with `c8 1f`, the fourth as captured, the last
/// with all four.
fn fcs() -> Vec<u8> {
    const FCS: [u8; 4] = [0xc8, 0x1f, 0x9a, 0x3b];
    // The packet with IP total length and UDP length 4 bytes longer than what it carries.
    let claiming = |mut ip: Vec<u8>| {
        let total = u16::from_be_bytes([ip[2], ip[3]]) + 4;
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        ip[10..12].copy_from_slice(&[0, 0]);
        let sum = checksum(&ip[..20]);
        ip[10..12].copy_from_slice(&sum.to_be_bytes());
        let udp = u16::from_be_bytes([ip[24], ip[25]]) + 4;
        ip[24..26].copy_from_slice(&udp.to_be_bytes());
        ip.extend(FCS);
        ip
    };
    let mut f = shb();
    let mut bits = opt(13, &[32]);
    bits.extend([0, 0, 0, 0]);
    f.extend(idb(1, &bits));
    f.extend(idb(1, &option(13, &[4])));
    f.extend(idb(101, &option(13, &[4])));
    let request = eth4(&claiming(request4()));
    f.extend(epb(0, 0, &request));
    f.extend(epb(1, 283, &eth4(&claiming(reply4()))));
    // epb_flags: inbound (bits 0-1), FCS length 2 octets (bits 5-8).
    let flags = 1u32 | (2 << 5);
    f.extend(epb_with(
        1,
        1_000_000,
        &request,
        &option(2, &flags.to_le_bytes()),
    ));
    let us = u64::from(BASE_SECS) * 1_000_000 + 709_480 + 2_000_000;
    let cut = u32::try_from(request.len()).unwrap_or(u32::MAX);
    f.extend(epb_ticks(0, us, &request[..request.len() - 6], cut, &[]));
    f.extend(epb(2, 3_000_000, &claiming(request4())));
    f
}

/// pcapng with an interface block of 1 MiB (sixteen unknown options of 65,532 bytes, then an
/// if_tsresol of nanoseconds), then the lab exchange on it, the reply on a second, plain
/// interface (microseconds): a reader that lost its interface numbering gets the times wrong.
pub fn idb_1mib() -> Vec<u8> {
    let mut options = Vec::new();
    let big = vec![0x5a; 65_532];
    for _ in 0..16 {
        options.extend(opt(0x7001, &big));
    }
    options.extend(opt(9, &[9]));
    options.extend([0, 0, 0, 0]);
    let mut f = shb();
    f.extend(idb(1, &options));
    f.extend(idb(1, &[]));
    let ns = u64::from(BASE_SECS) * 1_000_000_000 + 709_480_000;
    f.extend(epb_ticks(0, ns, &eth4(&request4()), 0, &[]));
    f.extend(epb(1, 283, &eth4(&reply4())));
    f
}

/// pcapng with 65,536 interface blocks (Ethernet, microseconds; the last one nanoseconds), the
/// request on interface 0 and the reply on interface 65,535.
pub fn interfaces_65536() -> Vec<u8> {
    let mut f = shb();
    for _ in 0..65_535 {
        f.extend(idb(1, &[]));
    }
    f.extend(idb(1, &option(9, &[9])));
    f.extend(epb(0, 0, &eth4(&request4())));
    let ns = u64::from(BASE_SECS) * 1_000_000_000 + 709_763_000;
    f.extend(epb_ticks(65_535, ns, &eth4(&reply4()), 0, &[]));
    f
}

/// `TRAINS` distinct IPv4 datagrams of which only the first fragment (8 bytes: the UDP header)
/// ever comes: identification and source address differ in every one. 58 bytes a record.
pub fn fragment_trains() -> Vec<u8> {
    fragment_trains_of(TRAINS)
}

/// Like [`fragment_trains`], with `n` trains.
pub fn fragment_trains_of(n: u32) -> Vec<u8> {
    let mut f = pcap_header(262_144);
    let udp = udp_bytes(CLIENT_PORT, SERVER_PORT, &[0; 100]);
    for i in 0..n {
        let [_, a, b, c] = i.to_be_bytes();
        let src = [10, a, b, c];
        let id = u16::try_from(i % 65_536).unwrap_or(0);
        let ip = ipv4(src, SERVER_V4, id, 0, true, &udp[..8]);
        f.extend(record(i, &eth4(&ip)));
    }
    f
}

/// One datagram whose fragments repeat: its last fragment first, then the same middle fragment
/// `n - 2` times, then the first (the gap at offset 0 filled last). `n` records of 42 bytes of
/// frame; it completes at the last one. Reassembly that re-sorts what it holds at every
/// fragment is quadratic here (40,000 fragments took 30 s).
pub fn repeated_fragment(n: u32) -> Vec<u8> {
    let udp = udp_bytes(CLIENT_PORT, SERVER_PORT, &[0x61; 16]);
    let mut f = pcap_header(262_144);
    f.extend(record_us(0, &fragment4(1, 16, false, &udp[16..])));
    for i in 1..n.saturating_sub(1) {
        f.extend(record_us(u64::from(i), &fragment4(1, 8, true, &udp[8..16])));
    }
    f.extend(record_us(u64::from(n), &fragment4(1, 0, true, &udp[..8])));
    f
}

/// `n` fragments of 8 bytes over `datagrams` IPv4 datagrams at once (round robin: the first
/// fragment of each, then the second of each, …), each complete at its last: 42 bytes of frame
/// a record. The reassembler's most bookkeeping for the least data.
pub fn tiny_fragments(n: u32, datagrams: u32) -> Vec<u8> {
    let per = (n / datagrams.max(1)).max(1);
    let payload = vec![0x62; 8 * per as usize - 8];
    let mut f = pcap_header(262_144);
    let mut at = 0u64;
    for j in 0..per {
        for d in 0..datagrams {
            let udp = udp_bytes(
                CLIENT_PORT,
                u16::try_from(d % 65_536).unwrap_or(0),
                &payload,
            );
            let k = 8 * j as usize;
            let id = u16::try_from(d % 65_536).unwrap_or(0);
            let offset = u16::try_from(k).unwrap_or(u16::MAX);
            let frame = fragment4(id, offset, j + 1 < per, &udp[k..k + 8]);
            f.extend(record_us(at, &frame));
            at += 1;
        }
    }
    f
}

/// `n` unfragmented UDP datagrams without payload (42 bytes of frame, as the fragments above)
/// over `conversations` destination ports: what the fragment cases are timed against.
pub fn plain_datagrams(n: u32, conversations: u32) -> Vec<u8> {
    let mut f = pcap_header(262_144);
    for i in 0..n {
        let port = u16::try_from(i % conversations.max(1) % 65_536).unwrap_or(0);
        let ip = ipv4(
            CLIENT_V4,
            SERVER_V4,
            1,
            0,
            false,
            &udp_bytes(CLIENT_PORT, port, &[]),
        );
        f.extend(record_us(u64::from(i), &eth4(&ip)));
    }
    f
}

/// A pcap record at 11:20:53 + `us` microseconds, captured whole.
fn record_us(us: u64, data: &[u8]) -> Vec<u8> {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let secs = u64::from(BASE_SECS) + us / 1_000_000;
    let mut v = Vec::with_capacity(16 + data.len());
    v.extend(u32::try_from(secs).unwrap_or(u32::MAX).to_le_bytes());
    v.extend(u32::try_from(us % 1_000_000).unwrap_or(0).to_le_bytes());
    v.extend(len.to_le_bytes());
    v.extend(len.to_le_bytes());
    v.extend(data);
    v
}

// ---- builders --------------------------------------------------------------------------------

/// The lab request as an IPv4 packet.
fn request4() -> Vec<u8> {
    ipv4(
        CLIENT_V4,
        SERVER_V4,
        1,
        0,
        false,
        &udp_bytes(CLIENT_PORT, SERVER_PORT, HELLO),
    )
}

/// The lab reply as an IPv4 packet.
fn reply4() -> Vec<u8> {
    let text = format!(
        "Hello, ('10.0.0.1', {CLIENT_PORT}). You said: {}",
        String::from_utf8_lossy(HELLO)
    );
    ipv4(
        SERVER_V4,
        CLIENT_V4,
        2,
        0,
        false,
        &udp_bytes(SERVER_PORT, CLIENT_PORT, text.as_bytes()),
    )
}

/// A UDP header (checksum 0: none, legal over IPv4) and payload.
fn udp_bytes(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(8 + payload.len()).unwrap_or(u16::MAX);
    let mut v = Vec::with_capacity(8 + payload.len());
    v.extend(sport.to_be_bytes());
    v.extend(dport.to_be_bytes());
    v.extend(len.to_be_bytes());
    v.extend([0, 0]);
    v.extend(payload);
    v
}

/// An IPv4 packet carrying UDP (protocol 17), TTL 64, correct header checksum; `offset` in bytes.
fn ipv4(src: [u8; 4], dst: [u8; 4], id: u16, offset: u16, more: bool, body: &[u8]) -> Vec<u8> {
    let total = u16::try_from(20 + body.len()).unwrap_or(u16::MAX);
    let flags = (offset / 8) | if more { 0x2000 } else { 0 };
    let mut h = vec![0x45, 0];
    h.extend(total.to_be_bytes());
    h.extend(id.to_be_bytes());
    h.extend(flags.to_be_bytes());
    h.extend([64, 17, 0, 0]);
    h.extend(src);
    h.extend(dst);
    let sum = checksum(&h);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    h.extend(body);
    h
}

/// An Ethernet frame with an IPv4 fragment of a 10.0.0.1 → 10.0.0.2 datagram.
fn fragment4(id: u16, offset: u16, more: bool, piece: &[u8]) -> Vec<u8> {
    eth4(&ipv4(CLIENT_V4, SERVER_V4, id, offset, more, piece))
}

/// A fixed IPv6 header 2001:db8::1 → 2001:db8::2, hop limit 64.
fn ipv6_header(next: u8, payload_len: usize) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend(u16::try_from(payload_len).unwrap_or(u16::MAX).to_be_bytes());
    h.extend([next, 64]);
    h.extend(CLIENT_V6);
    h.extend(SERVER_V6);
    h
}

fn checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = bytes
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(u16::try_from(sum).unwrap_or(0))
}

fn eth(ether_type: u16, packet: &[u8]) -> Vec<u8> {
    let mut v = vec![0x02, 0x00, 10, 0, 0, 2, 0x02, 0x00, 10, 0, 0, 1];
    v.extend(ether_type.to_be_bytes());
    v.extend(packet);
    v
}

fn eth4(packet: &[u8]) -> Vec<u8> {
    eth(0x0800, packet)
}

fn eth6(packet: &[u8]) -> Vec<u8> {
    eth(0x86dd, packet)
}

/// A little-endian microsecond pcap file header, Ethernet.
fn pcap_header(snaplen: u32) -> Vec<u8> {
    let mut v = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    v.extend([0; 8]);
    v.extend(snaplen.to_le_bytes());
    v.extend(1u32.to_le_bytes());
    v
}

fn record_header(us: u32, incl: u32, orig: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(16);
    v.extend(BASE_SECS.to_le_bytes());
    v.extend((709_480 + us).to_le_bytes());
    v.extend(incl.to_le_bytes());
    v.extend(orig.to_le_bytes());
    v
}

/// A pcap record at 11:20:53.709480 + `us` microseconds, captured whole.
fn record(us: u32, data: &[u8]) -> Vec<u8> {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let mut v = record_header(us, len, len);
    v.extend(data);
    v
}

/// A pcapng block: type, total length, body padded to 4 bytes, total length.
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let padded = body.len().div_ceil(4) * 4;
    let len = u32::try_from(12 + padded).unwrap_or(u32::MAX);
    let mut v = Vec::with_capacity(12 + padded);
    v.extend(kind.to_le_bytes());
    v.extend(len.to_le_bytes());
    v.extend(body);
    v.resize(8 + padded, 0);
    v.extend(len.to_le_bytes());
    v
}

/// A little-endian section header block, version 1.0, section length unknown, no options.
fn shb() -> Vec<u8> {
    let mut body = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    body.extend([1, 0, 0, 0]);
    body.extend(u64::MAX.to_le_bytes());
    block(0x0a0d_0d0a, &body)
}

/// One pcapng option (code, value padded) followed by opt_endofopt.
fn option(code: u16, value: &[u8]) -> Vec<u8> {
    let mut v = code.to_le_bytes().to_vec();
    v.extend(u16::try_from(value.len()).unwrap_or(0).to_le_bytes());
    v.extend(value);
    v.resize(4 + value.len().div_ceil(4) * 4, 0);
    v.extend([0, 0, 0, 0]);
    v
}

/// One pcapng option (code, value padded), without opt_endofopt.
fn opt(code: u16, value: &[u8]) -> Vec<u8> {
    let mut v = code.to_le_bytes().to_vec();
    v.extend(u16::try_from(value.len()).unwrap_or(0).to_le_bytes());
    v.extend(value);
    v.resize(4 + value.len().div_ceil(4) * 4, 0);
    v
}

/// A section header block like [`shb`] with the given options.
fn shb_with(options: &[u8]) -> Vec<u8> {
    let mut body = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    body.extend([1, 0, 0, 0]);
    body.extend(u64::MAX.to_le_bytes());
    body.extend(options);
    block(0x0a0d_0d0a, &body)
}

/// An interface description block: link type, snaplen 262144, the given options.
fn idb(link: u16, options: &[u8]) -> Vec<u8> {
    let mut body = link.to_le_bytes().to_vec();
    body.extend([0, 0]);
    body.extend(262_144u32.to_le_bytes());
    body.extend(options);
    block(1, &body)
}

/// An enhanced packet block on `interface` at 11:20:53.709480 + `us` (microsecond ticks).
fn epb(interface: u32, us: u64, data: &[u8]) -> Vec<u8> {
    epb_with(interface, us, data, &[])
}

/// [`epb`] with options after the packet data.
fn epb_with(interface: u32, us: u64, data: &[u8], options: &[u8]) -> Vec<u8> {
    let ticks = u64::from(BASE_SECS) * 1_000_000 + 709_480 + us;
    epb_ticks(interface, ticks, data, 0, options)
}

/// An enhanced packet block of `ticks` (in its interface's resolution), original length
/// `orig` (0: the captured length), options after the (padded) data.
fn epb_ticks(interface: u32, ticks: u64, data: &[u8], orig: u32, options: &[u8]) -> Vec<u8> {
    let ts = ticks.to_be_bytes();
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let mut body = interface.to_le_bytes().to_vec();
    body.extend(u32::from_be_bytes([ts[0], ts[1], ts[2], ts[3]]).to_le_bytes());
    body.extend(u32::from_be_bytes([ts[4], ts[5], ts[6], ts[7]]).to_le_bytes());
    body.extend(len.to_le_bytes());
    body.extend(if orig == 0 { len } else { orig }.to_le_bytes());
    body.extend(data);
    body.resize(body.len().div_ceil(4) * 4, 0);
    body.extend(options);
    block(6, &body)
}
