//! Writes every synthetic capture in `fixtures/`, byte for byte the same on every run.
//!
//! Run it with `cargo run --example make_fixtures`. It owns the synthetic fixtures only: it never
//! touches `fixtures/udp.pcap` (the real lab capture) nor the expected-output files beside the
//! captures. Each fixture is built by one function below whose doc comment says what it holds;
//! `fixtures/README.md` says what a correct reader must show for it.
//!
//! Packets are built with etherparse's `PacketBuilder`, files with pcap-file's writers. Where
//! neither can express a case (Linux cooked headers, BSD NULL, a file cut mid-record, IP
//! fragments) the bytes are written by hand in small helpers. Timestamps are fixed (the lab's
//! 2025-09-15T11:20:53Z plus offsets), addresses come from documentation ranges.

use std::borrow::Cow;
use std::error::Error;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use etherparse::icmpv4::DestUnreachableHeader;
use etherparse::{
    ArpHardwareId, ArpOperation, ArpPacket, EtherType, Ethernet2Header, Icmpv4Type, IpFragOffset,
    IpNumber, Ipv4Header, PacketBuilder, UdpHeader, VlanId,
};
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapTsResolution, PcapWriter};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption, InterfaceTsResolution,
};
use pcap_file::pcapng::blocks::section_header::{SectionHeaderBlock, SectionHeaderOption};
use pcap_file::pcapng::blocks::simple_packet::SimplePacketBlock;
use pcap_file::{DataLink, Endianness};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// 2025-09-15T11:20:53Z, the second of the lab's capture.
const BASE_SECS: u64 = 1_757_935_253;
/// Snaplen written in file headers (tcpdump's default).
const SNAPLEN: u32 = 262_144;

/// Every host's MAC address is 02:00 followed by its IPv4 address (the last 4 bytes for IPv6).
const CLIENT_MAC: [u8; 6] = [0x02, 0x00, 10, 0, 0, 1];
const SERVER_MAC: [u8; 6] = [0x02, 0x00, 10, 0, 0, 2];
const BROADCAST_MAC: [u8; 6] = [0xff; 6];
const CLIENT_V4: [u8; 4] = [10, 0, 0, 1];
const SERVER_V4: [u8; 4] = [10, 0, 0, 2];
const LOOPBACK_V4: [u8; 4] = [127, 0, 0, 1];
/// 2001:db8::1
const CLIENT_V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
/// 2001:db8::2
const SERVER_V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
const CLIENT_PORT: u16 = 57314;
const SERVER_PORT: u16 = 12345;
const TTL: u8 = 64;

/// The lab client's message.
const HELLO: &[u8] = b"Hello, UDP server2!";

/// Builds the bytes of one synthetic capture.
type Build = fn() -> Result<Vec<u8>>;

/// Every synthetic capture: its file name in `fixtures/` and the function that builds it.
const FIXTURES: &[(&str, Build)] = &[
    ("ipv6.pcap", ipv6),
    ("vlan.pcap", vlan),
    ("qinq.pcap", qinq),
    ("nanosecond.pcap", nanosecond),
    ("bigendian.pcap", bigendian),
    ("two-interfaces.pcapng", two_interfaces),
    ("two-sections.pcapng", two_sections),
    ("bigendian.pcapng", bigendian_ng),
    ("truncated.pcap", truncated),
    ("control-bytes.pcap", control_bytes),
    ("empty-payload.pcap", empty_payload),
    ("no-udp.pcap", no_udp),
    ("snaplen.pcap", snaplen),
    ("mixed.pcap", mixed),
    ("sll.pcap", sll),
    ("sll2.pcap", sll2),
    ("raw-ip.pcap", raw_ip),
    ("null.pcap", null),
    ("fragments.pcap", fragments),
];

fn main() -> Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    std::fs::create_dir_all(&dir)?;
    let mut out = std::io::stdout().lock();
    for (name, build) in FIXTURES {
        let bytes = build().map_err(|e| format!("{name}: {e}"))?;
        let path = dir.join(name);
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        writeln!(out, "{:>6} bytes  fixtures/{name}", bytes.len())?;
    }
    Ok(())
}

// ----- the fixtures -------------------------------------------------------------------------

/// The lab's exchange over IPv6 on Ethernet: 2001:db8::1:57314 → 2001:db8::2:12345 "Hello, UDP
/// server2!", and the greeting reply 283 µs later.
fn ipv6() -> Result<Vec<u8>> {
    let reply = greet("('2001:db8::1', 57314, 0, 0)", HELLO);
    let frames = [
        Frame::new(
            at_us(709_480),
            eth_udp6(CLIENT_V6, SERVER_V6, CLIENT_PORT, SERVER_PORT, HELLO)?,
        ),
        Frame::new(
            at_us(709_763),
            eth_udp6(SERVER_V6, CLIENT_V6, SERVER_PORT, CLIENT_PORT, &reply)?,
        ),
    ];
    pcap(DataLink::ETHERNET, &frames)
}

/// The lab's exchange (10.0.0.1:57314 ⇄ 10.0.0.2:12345) inside one 802.1Q tag (TPID 0x8100,
/// VLAN 100).
fn vlan() -> Result<Vec<u8>> {
    let vid = VlanId::try_new(100)?;
    let build = |src_mac, dst_mac, src, dst, sport, dport, payload: &[u8]| -> Result<Vec<u8>> {
        let mut v = Vec::new();
        PacketBuilder::ethernet2(src_mac, dst_mac)
            .single_vlan(vid)
            .ipv4(src, dst, TTL)
            .udp(sport, dport)
            .write(&mut v, payload)?;
        Ok(v)
    };
    let reply = greet("('10.0.0.1', 57314)", HELLO);
    let frames = [
        Frame::new(
            at_us(709_480),
            build(
                CLIENT_MAC,
                SERVER_MAC,
                CLIENT_V4,
                SERVER_V4,
                CLIENT_PORT,
                SERVER_PORT,
                HELLO,
            )?,
        ),
        Frame::new(
            at_us(709_763),
            build(
                SERVER_MAC,
                CLIENT_MAC,
                SERVER_V4,
                CLIENT_V4,
                SERVER_PORT,
                CLIENT_PORT,
                &reply,
            )?,
        ),
    ];
    pcap(DataLink::ETHERNET, &frames)
}

/// The lab's exchange (10.0.0.1:57314 ⇄ 10.0.0.2:12345) double-tagged: outer 802.1ad tag (TPID
/// 0x88a8, VLAN 200), inner 802.1Q tag (TPID 0x8100, VLAN 100).
fn qinq() -> Result<Vec<u8>> {
    let outer = VlanId::try_new(200)?;
    let inner = VlanId::try_new(100)?;
    let build = |src_mac, dst_mac, src, dst, sport, dport, payload: &[u8]| -> Result<Vec<u8>> {
        let mut v = Vec::new();
        PacketBuilder::ethernet2(src_mac, dst_mac)
            .double_vlan(outer, inner)
            .ipv4(src, dst, TTL)
            .udp(sport, dport)
            .write(&mut v, payload)?;
        Ok(v)
    };
    let reply = greet("('10.0.0.1', 57314)", HELLO);
    let frames = [
        Frame::new(
            at_us(709_480),
            build(
                CLIENT_MAC,
                SERVER_MAC,
                CLIENT_V4,
                SERVER_V4,
                CLIENT_PORT,
                SERVER_PORT,
                HELLO,
            )?,
        ),
        Frame::new(
            at_us(709_763),
            build(
                SERVER_MAC,
                CLIENT_MAC,
                SERVER_V4,
                CLIENT_V4,
                SERVER_PORT,
                CLIENT_PORT,
                &reply,
            )?,
        ),
    ];
    pcap(DataLink::ETHERNET, &frames)
}

/// The lab's exchange in a nanosecond pcap (magic 0xa1b23c4d, little-endian): timestamps
/// .709480123 and .709763456, which a microsecond-only reader would round or misread.
fn nanosecond() -> Result<Vec<u8>> {
    let header = PcapHeader {
        ts_resolution: PcapTsResolution::NanoSecond,
        ..pcap_header(DataLink::ETHERNET, Endianness::Little)
    };
    pcap_with(
        header,
        &lab_exchange(at_ns(709_480_123), at_ns(709_763_456))?,
    )
}

/// The lab's exchange in a big-endian microsecond pcap (bytes a1 b2 c3 d4 first).
fn bigendian() -> Result<Vec<u8>> {
    let header = pcap_header(DataLink::ETHERNET, Endianness::Big);
    pcap_with(header, &lab_exchange(at_us(709_480), at_us(709_763))?)
}

/// pcapng, one section, two interfaces: 0 = Ethernet "eth0" with no if_tsresol (so µs),
/// 1 = raw IP (link type 101) "tun0" with if_tsresol 9 (ns). Four EPBs alternate interfaces:
/// the lab's exchange on eth0 and a second exchange 192.0.2.1:57314 ⇄ 192.0.2.2:12345 on tun0.
fn two_interfaces() -> Result<Vec<u8>> {
    let mut w = pcapng_writer(Endianness::Little)?;
    w.write_pcapng_block(idb(DataLink::ETHERNET, "eth0", None))?;
    w.write_pcapng_block(idb(
        DataLink::RAW,
        "tun0",
        Some(InterfaceTsResolution::NANO),
    ))?;

    let tun_client = [192, 0, 2, 1];
    let tun_server = [192, 0, 2, 2];
    let tun_msg = b"Hello over tun0";
    let lab = lab_exchange(at_us(709_480), at_us(709_763))?;
    let tun_req = ip_udp4(tun_client, tun_server, CLIENT_PORT, SERVER_PORT, tun_msg)?;
    let tun_reply = ip_udp4(
        tun_server,
        tun_client,
        SERVER_PORT,
        CLIENT_PORT,
        &greet("('192.0.2.1', 57314)", tun_msg),
    )?;
    w.write_pcapng_block(epb(0, &lab[0]))?;
    w.write_pcapng_block(epb(1, &Frame::new(at_ns(709_500_123), tun_req)))?;
    w.write_pcapng_block(epb(0, &lab[1]))?;
    w.write_pcapng_block(epb(1, &Frame::new(at_ns(709_801_456), tun_reply)))?;
    Ok(w.into_inner())
}

/// pcapng with two sections (as `cat a.pcapng b.pcapng` makes). Section 1: interface 0 is
/// Ethernet (µs), the lab's exchange. Section 2: interface 0 is raw IP (101, ns), an exchange
/// 198.51.100.1:57314 ⇄ 198.51.100.2:12345 in EPBs, then one datagram in a Simple Packet Block
/// (no timestamp, no interface id: interface 0 of its section).
fn two_sections() -> Result<Vec<u8>> {
    let mut w = pcapng_writer(Endianness::Little)?;
    w.write_pcapng_block(idb(DataLink::ETHERNET, "eth0", None))?;
    for frame in &lab_exchange(at_us(709_480), at_us(709_763))? {
        w.write_pcapng_block(epb(0, frame))?;
    }

    w.write_pcapng_block(shb(Endianness::Little))?;
    w.write_pcapng_block(idb(
        DataLink::RAW,
        "tun1",
        Some(InterfaceTsResolution::NANO),
    ))?;
    let client = [198, 51, 100, 1];
    let server = [198, 51, 100, 2];
    let msg = b"Hello from section 2";
    let request = ip_udp4(client, server, CLIENT_PORT, SERVER_PORT, msg)?;
    let reply = greet("('198.51.100.1', 57314)", msg);
    let reply = ip_udp4(server, client, SERVER_PORT, CLIENT_PORT, &reply)?;
    w.write_pcapng_block(epb(0, &Frame::new(at_ns(1_000_000_001), request)))?;
    w.write_pcapng_block(epb(0, &Frame::new(at_ns(1_000_250_002), reply)))?;
    let simple = ip_udp4(
        client,
        server,
        CLIENT_PORT,
        SERVER_PORT,
        b"simple packet block",
    )?;
    w.write_pcapng_block(SimplePacketBlock {
        original_len: u32::try_from(simple.len())?,
        data: Cow::Owned(simple),
    })?;
    Ok(w.into_inner())
}

/// pcapng written big-endian (SHB byte-order magic 1a 2b 3c 4d, every field big-endian):
/// one Ethernet interface (µs), the lab's exchange.
fn bigendian_ng() -> Result<Vec<u8>> {
    let mut w = pcapng_writer(Endianness::Big)?;
    w.write_pcapng_block(idb(DataLink::ETHERNET, "eth0", None))?;
    for frame in &lab_exchange(at_us(709_480), at_us(709_763))? {
        w.write_pcapng_block(epb(0, frame))?;
    }
    Ok(w.into_inner())
}

/// Three datagrams (the lab's request, its reply, a second request "Hello again"), then the
/// file is cut in the middle of the third record's packet data.
fn truncated() -> Result<Vec<u8>> {
    let mut frames = lab_exchange(at_us(709_480), at_us(709_763))?.to_vec();
    let again = b"Hello again, UDP server2!";
    frames.push(Frame::new(
        at_us(1_709_480),
        eth_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, again)?,
    ));
    let mut bytes = pcap(DataLink::ETHERNET, &frames)?;
    let third_len = frames[2].data.len();
    bytes.truncate(bytes.len() - third_len / 2);
    Ok(bytes)
}

/// Six one-way datagrams 10.0.0.1:57314 → 10.0.0.2:12345 whose payloads would hurt a
/// terminal or a naive UTF-8 decoder: ANSI colour, an OSC 8 hyperlink, BEL/CR/LF/NUL/TAB/DEL,
/// 0xff/0xfe and backspaces, a U+202E bidi override and a C1 CSI (valid UTF-8), invalid UTF-8.
fn control_bytes() -> Result<Vec<u8>> {
    let payloads: [&[u8]; 6] = [
        b"\x1b[31mRED\x1b[0m",
        b"\x1b]8;;http://example.com\x1b\\click\x1b]8;;\x1b\\",
        b"ding\x07 cr\r lf\n nul\x00 tab\t del\x7f",
        b"\xff\xfe abc\x08\x08\x08XYZ",
        "file\u{202e}gpj.exe \u{9b}31m".as_bytes(),
        b"bad \xc3\x28 \xa0\xa1 \xed\xa0\x80 \xf0\x28\x8c\x28 \xc0\xaf end",
    ];
    let mut frames = Vec::new();
    for (i, payload) in (0u64..).zip(payloads) {
        let packet = eth_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, payload)?;
        frames.push(Frame::new(at_us(709_480 + i * 1000), packet));
    }
    pcap(DataLink::ETHERNET, &frames)
}

/// A datagram with an empty payload (UDP length 8), padded with 18 zero bytes to Ethernet's
/// 60-byte minimum as a receiving NIC shows it, and the greeting reply to an empty message.
fn empty_payload() -> Result<Vec<u8>> {
    let mut request = eth_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, b"")?;
    request.resize(60, 0);
    let reply = greet("('10.0.0.1', 57314)", b"");
    let reply = eth_udp4(SERVER_V4, CLIENT_V4, SERVER_PORT, CLIENT_PORT, &reply)?;
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(at_us(709_480), request),
            Frame::new(at_us(709_763), reply),
        ],
    )
}

/// No UDP at all: ARP who-has/is-at, a TCP handshake 10.0.0.1:45678 → 10.0.0.2:80 (SYN,
/// SYN-ACK, ACK) and one data segment, an ICMP echo request and its reply.
fn no_udp() -> Result<Vec<u8>> {
    let mut frames = arp_pair(at_us(100_000), at_us(100_050))?.to_vec();
    frames.extend(tcp_connection(at_us(709_480))?);
    let mut ping = Vec::new();
    PacketBuilder::ethernet2(CLIENT_MAC, SERVER_MAC)
        .ipv4(CLIENT_V4, SERVER_V4, TTL)
        .icmpv4_echo_request(0x4f4e, 1)
        .write(&mut ping, b"oneway ping")?;
    let mut pong = Vec::new();
    PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC)
        .ipv4(SERVER_V4, CLIENT_V4, TTL)
        .icmpv4_echo_reply(0x4f4e, 1)
        .write(&mut pong, b"oneway ping")?;
    frames.push(Frame::new(at_us(800_000), ping));
    frames.push(Frame::new(at_us(800_120), pong));
    pcap(DataLink::ETHERNET, &frames)
}

/// File snaplen 64: a request with a 200-byte payload captured to 64 bytes only (orig_len
/// 242, incl_len 64, so 22 payload bytes kept), and a short reply "ok" captured whole.
fn snaplen() -> Result<Vec<u8>> {
    let payload: Vec<u8> = (0..200u8).map(|i| b'A' + i % 26).collect();
    let request = eth_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, &payload)?;
    let reply = eth_udp4(SERVER_V4, CLIENT_V4, SERVER_PORT, CLIENT_PORT, b"ok")?;
    let header = PcapHeader {
        snaplen: 64,
        ..pcap_header(DataLink::ETHERNET, Endianness::Little)
    };
    let frames = [
        Frame::cut(at_us(709_480), request, 64)?,
        Frame::new(at_us(709_763), reply),
    ];
    pcap_with(header, &frames)
}

/// Several interleaved conversations: the lab's exchange (10.0.0.1:57314 ⇄ 10.0.0.2:12345), two
/// unanswered datagrams 10.0.0.3:40001 → 10.0.0.2:12345, a DNS query/answer 10.0.0.1:53000 ⇄
/// 192.0.2.53:53 for example.com, an IPv6 one-way datagram, a TCP connection to port 80, and a
/// datagram 10.0.0.4:33333 → 10.0.0.9:9999 answered by ICMP port unreachable quoting it.
fn mixed() -> Result<Vec<u8>> {
    let dns_client = CLIENT_V4;
    let dns_server = [192, 0, 2, 53];
    let lonely = [10, 0, 0, 3];
    let prober = [10, 0, 0, 4];
    let closed = [10, 0, 0, 9];
    let probe = b"anyone on 9999?";

    let mut f = Vec::new();
    let mut push = |us: u64, data: Vec<u8>| f.push(Frame::new(at_us(us), data));
    push(
        709_480,
        eth_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, HELLO)?,
    );
    push(
        709_600,
        eth_udp4(lonely, SERVER_V4, 40001, SERVER_PORT, b"ping 1")?,
    );
    push(
        709_763,
        eth_udp4(SERVER_V4, CLIENT_V4, SERVER_PORT, CLIENT_PORT, &lab_reply())?,
    );
    push(
        710_000,
        eth_udp4(dns_client, dns_server, 53000, 53, &dns_query())?,
    );
    push(
        710_100,
        eth_udp6(
            CLIENT_V6,
            SERVER_V6,
            CLIENT_PORT,
            SERVER_PORT,
            b"v6 one-way",
        )?,
    );
    let tcp = tcp_connection(at_us(710_200))?;
    let (tcp_first, tcp_rest) = tcp.split_at(2);
    for frame in tcp_first {
        push(duration_us(frame.ts), frame.data.clone());
    }
    push(
        711_500,
        eth_udp4(dns_server, dns_client, 53, 53000, &dns_answer())?,
    );
    let probe_packet = ip_udp4(prober, closed, 33333, 9999, probe)?;
    push(712_000, eth(EtherType::IPV4, &probe_packet));
    let mut unreachable = Vec::new();
    PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC)
        .ipv4(closed, prober, TTL)
        .icmpv4(Icmpv4Type::DestinationUnreachable(
            DestUnreachableHeader::Port,
        ))
        .write(&mut unreachable, &probe_packet)?;
    push(712_090, unreachable);
    for frame in tcp_rest {
        push(duration_us(frame.ts) + 2_000, frame.data.clone());
    }
    push(
        1_709_600,
        eth_udp4(lonely, SERVER_V4, 40001, SERVER_PORT, b"ping 2")?,
    );
    pcap(DataLink::ETHERNET, &f)
}

/// Linux cooked capture v1 (link type 113, `tcpdump -i any -y LINUX_SLL` on lo): ARPHRD 772
/// (loopback), the exchange 127.0.0.1:57314 ⇄ 127.0.0.1:12345.
fn sll() -> Result<Vec<u8>> {
    let frames = loopback_exchange(|packet_type, ip| {
        let mut v = Vec::with_capacity(16 + ip.len());
        v.extend_from_slice(&u16::from(packet_type).to_be_bytes()); // packet type
        v.extend_from_slice(&772u16.to_be_bytes()); // ARPHRD_LOOPBACK
        v.extend_from_slice(&6u16.to_be_bytes()); // link-layer address length
        v.extend_from_slice(&[0; 8]); // address 00:00:00:00:00:00, padded to 8
        v.extend_from_slice(&0x0800u16.to_be_bytes()); // protocol: IPv4
        v.extend_from_slice(ip);
        v
    })?;
    pcap(DataLink::LINUX_SLL, &frames)
}

/// Linux cooked capture v2 (link type 276, tcpdump 4.99's `-i any` default) on lo, ifindex 1,
/// ARPHRD 772: the exchange 127.0.0.1:57314 ⇄ 127.0.0.1:12345.
fn sll2() -> Result<Vec<u8>> {
    let frames = loopback_exchange(|packet_type, ip| {
        let mut v = Vec::with_capacity(20 + ip.len());
        v.extend_from_slice(&0x0800u16.to_be_bytes()); // protocol: IPv4
        v.extend_from_slice(&[0, 0]); // reserved
        v.extend_from_slice(&1u32.to_be_bytes()); // interface index (lo)
        v.extend_from_slice(&772u16.to_be_bytes()); // ARPHRD_LOOPBACK
        v.push(packet_type); // packet type
        v.push(6); // link-layer address length
        v.extend_from_slice(&[0; 8]); // address, padded to 8
        v.extend_from_slice(ip);
        v
    })?;
    pcap(DataLink::LINUX_SLL2, &frames)
}

/// Raw IP (link type 101, no link header, version nibble decides): the exchange over IPv4
/// (10.0.0.1:57314 ⇄ 10.0.0.2:12345) then over IPv6 (2001:db8::1:57314 ⇄ 2001:db8::2:12345).
fn raw_ip() -> Result<Vec<u8>> {
    let reply6 = greet("('2001:db8::1', 57314, 0, 0)", HELLO);
    let frames = [
        Frame::new(
            at_us(709_480),
            ip_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, HELLO)?,
        ),
        Frame::new(
            at_us(709_763),
            ip_udp4(SERVER_V4, CLIENT_V4, SERVER_PORT, CLIENT_PORT, &lab_reply())?,
        ),
        Frame::new(
            at_us(809_480),
            ip_udp6(CLIENT_V6, SERVER_V6, CLIENT_PORT, SERVER_PORT, HELLO)?,
        ),
        Frame::new(
            at_us(809_763),
            ip_udp6(SERVER_V6, CLIENT_V6, SERVER_PORT, CLIENT_PORT, &reply6)?,
        ),
    ];
    pcap(DataLink::RAW, &frames)
}

/// BSD loopback / NULL (link type 0): a 4-byte address family in the writer's byte order
/// (little-endian here) before the IP packet: AF_INET = 2 with an IPv4 datagram, then
/// AF_INET6 = 30 (macOS's value; 24 and 28 on other BSDs) with an IPv6 datagram.
fn null() -> Result<Vec<u8>> {
    let mut v4 = 2u32.to_le_bytes().to_vec();
    v4.extend(ip_udp4(
        CLIENT_V4,
        SERVER_V4,
        CLIENT_PORT,
        SERVER_PORT,
        HELLO,
    )?);
    let mut v6 = 30u32.to_le_bytes().to_vec();
    v6.extend(ip_udp6(
        CLIENT_V6,
        SERVER_V6,
        CLIENT_PORT,
        SERVER_PORT,
        HELLO,
    )?);
    pcap(
        DataLink::NULL,
        &[
            Frame::new(at_us(709_480), v4),
            Frame::new(at_us(809_480), v6),
        ],
    )
}

/// One IPv4 UDP datagram 10.0.0.1:57314 → 10.0.0.2:12345 with a 3000-byte payload ("abc…z"
/// repeated), split in three fragments (IP id 0x1234, offsets 0/1480/2960, MF on the first
/// two), then the reply "got 3000 bytes" in one unfragmented frame.
fn fragments() -> Result<Vec<u8>> {
    let payload: Vec<u8> = (0..3000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let pseudo = Ipv4Header {
        source: CLIENT_V4,
        destination: SERVER_V4,
        ..Default::default()
    };
    let udp = UdpHeader::with_ipv4_checksum(CLIENT_PORT, SERVER_PORT, &pseudo, &payload)?;
    let mut datagram = udp.to_bytes().to_vec();
    datagram.extend_from_slice(&payload);

    let mut frames = Vec::new();
    let mut offset = 0;
    for (i, chunk) in (0u64..).zip(datagram.chunks(1480)) {
        let mut ip = Ipv4Header {
            identification: 0x1234,
            dont_fragment: false,
            more_fragments: offset + chunk.len() < datagram.len(),
            fragment_offset: IpFragOffset::try_new(u16::try_from(offset / 8)?)?,
            time_to_live: TTL,
            protocol: IpNumber::UDP,
            source: CLIENT_V4,
            destination: SERVER_V4,
            ..Default::default()
        };
        ip.set_payload_len(chunk.len())?;
        ip.header_checksum = ip.calc_header_checksum();
        let mut packet = ip.to_bytes().to_vec();
        packet.extend_from_slice(chunk);
        frames.push(Frame::new(
            at_us(709_480 + i * 12),
            eth(EtherType::IPV4, &packet),
        ));
        offset += chunk.len();
    }
    let reply = eth_udp4(
        SERVER_V4,
        CLIENT_V4,
        SERVER_PORT,
        CLIENT_PORT,
        b"got 3000 bytes",
    )?;
    frames.push(Frame::new(at_us(709_900), reply));
    pcap(DataLink::ETHERNET, &frames)
}

// ----- shared pieces ------------------------------------------------------------------------

/// A packet to write: capture time, captured bytes and length on the wire.
#[derive(Clone)]
struct Frame {
    ts: Duration,
    data: Vec<u8>,
    orig_len: u32,
}

impl Frame {
    /// A frame captured whole.
    fn new(ts: Duration, data: Vec<u8>) -> Frame {
        let orig_len = u32::try_from(data.len()).expect("fixture frames are small");
        Frame { ts, data, orig_len }
    }

    /// A frame of which only the first `snaplen` bytes were captured.
    fn cut(ts: Duration, mut data: Vec<u8>, snaplen: usize) -> Result<Frame> {
        let orig_len = u32::try_from(data.len())?;
        data.truncate(snaplen);
        Ok(Frame { ts, data, orig_len })
    }
}

/// The capture time `us` microseconds after 2025-09-15T11:20:53Z.
fn at_us(us: u64) -> Duration {
    Duration::from_secs(BASE_SECS) + Duration::from_micros(us)
}

/// The capture time `ns` nanoseconds after 2025-09-15T11:20:53Z.
fn at_ns(ns: u64) -> Duration {
    Duration::from_secs(BASE_SECS) + Duration::from_nanos(ns)
}

/// Microseconds since 2025-09-15T11:20:53Z of a time made by [`at_us`].
fn duration_us(ts: Duration) -> u64 {
    u64::try_from((ts - Duration::from_secs(BASE_SECS)).as_micros()).expect("small offset")
}

/// What the lab's server answers to `message` from `peer` (Python's repr of the address).
fn greet(peer: &str, message: &[u8]) -> Vec<u8> {
    let mut v = format!("Hello, {peer}. You said: ").into_bytes();
    v.extend_from_slice(message);
    v
}

/// The lab server's answer to 10.0.0.1:57314.
fn lab_reply() -> Vec<u8> {
    greet("('10.0.0.1', 57314)", HELLO)
}

/// The lab's request and reply on Ethernet, 10.0.0.1:57314 ⇄ 10.0.0.2:12345, at the given times.
fn lab_exchange(request: Duration, reply: Duration) -> Result<[Frame; 2]> {
    Ok([
        Frame::new(
            request,
            eth_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, HELLO)?,
        ),
        Frame::new(
            reply,
            eth_udp4(SERVER_V4, CLIENT_V4, SERVER_PORT, CLIENT_PORT, &lab_reply())?,
        ),
    ])
}

/// The exchange 127.0.0.1:57314 ⇄ 127.0.0.1:12345 as seen on lo, each IPv4 packet wrapped by
/// `link(packet_type, ip)`; packet type 0 (PACKET_HOST, "In") for both.
fn loopback_exchange(link: impl Fn(u8, &[u8]) -> Vec<u8>) -> Result<[Frame; 2]> {
    let reply = greet("('127.0.0.1', 57314)", HELLO);
    let request = ip_udp4(LOOPBACK_V4, LOOPBACK_V4, CLIENT_PORT, SERVER_PORT, HELLO)?;
    let reply = ip_udp4(LOOPBACK_V4, LOOPBACK_V4, SERVER_PORT, CLIENT_PORT, &reply)?;
    Ok([
        Frame::new(at_us(709_480), link(0, &request)),
        Frame::new(at_us(709_763), link(0, &reply)),
    ])
}

/// An IPv4 UDP datagram on Ethernet.
fn eth_udp4(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, payload: &[u8]) -> Result<Vec<u8>> {
    Ok(eth(
        EtherType::IPV4,
        &ip_udp4(src, dst, sport, dport, payload)?,
    ))
}

/// An IPv6 UDP datagram on Ethernet.
fn eth_udp6(
    src: [u8; 16],
    dst: [u8; 16],
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Result<Vec<u8>> {
    Ok(eth(
        EtherType::IPV6,
        &ip_udp6(src, dst, sport, dport, payload)?,
    ))
}

/// An IPv4 UDP datagram without link header (DF set, IP id 0, TTL 64, checksums correct).
fn ip_udp4(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, payload: &[u8]) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    PacketBuilder::ipv4(src, dst, TTL)
        .udp(sport, dport)
        .write(&mut v, payload)?;
    Ok(v)
}

/// An IPv6 UDP datagram without link header (hop limit 64, checksum correct).
fn ip_udp6(
    src: [u8; 16],
    dst: [u8; 16],
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    PacketBuilder::ipv6(src, dst, TTL)
        .udp(sport, dport)
        .write(&mut v, payload)?;
    Ok(v)
}

/// An Ethernet II frame around an IP packet, between the MACs of the packet's source and
/// destination addresses (see [`mac_of`]).
fn eth(ether_type: EtherType, packet: &[u8]) -> Vec<u8> {
    let (src, dst) = if ether_type == EtherType::IPV6 {
        (20..24, 36..40)
    } else {
        (12..16, 16..20)
    };
    let source = mac_of(packet.get(src).unwrap_or_default());
    let destination = mac_of(packet.get(dst).unwrap_or_default());
    let mut v = Ethernet2Header {
        source,
        destination,
        ether_type,
    }
    .to_bytes()
    .to_vec();
    v.extend_from_slice(packet);
    v
}

/// The MAC address of the host whose IPv4 address (or last 4 IPv6 bytes) is `ip`: 02:00:ip.
fn mac_of(ip: &[u8]) -> [u8; 6] {
    let mut mac = [0x02, 0, 0, 0, 0, 0];
    for (m, b) in mac[2..].iter_mut().zip(ip) {
        *m = *b;
    }
    mac
}

/// ARP who-has 10.0.0.2 from 10.0.0.1 (broadcast) and the is-at answer.
fn arp_pair(ask: Duration, answer: Duration) -> Result<[Frame; 2]> {
    let who_has = ArpPacket::new(
        ArpHardwareId::ETHERNET,
        EtherType::IPV4,
        ArpOperation::REQUEST,
        &CLIENT_MAC,
        &CLIENT_V4,
        &[0; 6],
        &SERVER_V4,
    )?;
    let is_at = ArpPacket::new(
        ArpHardwareId::ETHERNET,
        EtherType::IPV4,
        ArpOperation::REPLY,
        &SERVER_MAC,
        &SERVER_V4,
        &CLIENT_MAC,
        &CLIENT_V4,
    )?;
    let mut a = Vec::new();
    PacketBuilder::ethernet2(CLIENT_MAC, BROADCAST_MAC)
        .arp(who_has)
        .write(&mut a)?;
    let mut b = Vec::new();
    PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC)
        .arp(is_at)
        .write(&mut b)?;
    Ok([Frame::new(ask, a), Frame::new(answer, b)])
}

/// A TCP connection 10.0.0.1:45678 → 10.0.0.2:80 starting at `start`: SYN, SYN-ACK, ACK, then
/// one data segment "GET / HTTP/1.0\r\n\r\n" (PSH, ACK), 100 µs apart.
fn tcp_connection(start: Duration) -> Result<Vec<Frame>> {
    const CPORT: u16 = 45678;
    const SPORT: u16 = 80;
    const CSEQ: u32 = 1_000;
    const SSEQ: u32 = 5_000;
    const WINDOW: u16 = 64_240;
    let step = Duration::from_micros(100);
    let mut frames = Vec::new();

    let mut syn = Vec::new();
    PacketBuilder::ethernet2(CLIENT_MAC, SERVER_MAC)
        .ipv4(CLIENT_V4, SERVER_V4, TTL)
        .tcp(CPORT, SPORT, CSEQ, WINDOW)
        .syn()
        .write(&mut syn, &[])?;
    frames.push(Frame::new(start, syn));

    let mut syn_ack = Vec::new();
    PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC)
        .ipv4(SERVER_V4, CLIENT_V4, TTL)
        .tcp(SPORT, CPORT, SSEQ, WINDOW)
        .syn()
        .ack(CSEQ + 1)
        .write(&mut syn_ack, &[])?;
    frames.push(Frame::new(start + step, syn_ack));

    let mut ack = Vec::new();
    PacketBuilder::ethernet2(CLIENT_MAC, SERVER_MAC)
        .ipv4(CLIENT_V4, SERVER_V4, TTL)
        .tcp(CPORT, SPORT, CSEQ + 1, WINDOW)
        .ack(SSEQ + 1)
        .write(&mut ack, &[])?;
    frames.push(Frame::new(start + step * 2, ack));

    let mut data = Vec::new();
    PacketBuilder::ethernet2(CLIENT_MAC, SERVER_MAC)
        .ipv4(CLIENT_V4, SERVER_V4, TTL)
        .tcp(CPORT, SPORT, CSEQ + 1, WINDOW)
        .psh()
        .ack(SSEQ + 1)
        .write(&mut data, b"GET / HTTP/1.0\r\n\r\n")?;
    frames.push(Frame::new(start + step * 3, data));
    Ok(frames)
}

/// A DNS query (id 0x1a2b, recursion desired) for example.com, type A, class IN.
fn dns_query() -> Vec<u8> {
    let mut v = vec![0x1a, 0x2b, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    v.extend_from_slice(b"\x07example\x03com\x00\x00\x01\x00\x01");
    v
}

/// The answer to [`dns_query`]: example.com A 192.0.2.80, TTL 300.
fn dns_answer() -> Vec<u8> {
    let mut v = vec![0x1a, 0x2b, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0];
    v.extend_from_slice(b"\x07example\x03com\x00\x00\x01\x00\x01");
    v.extend_from_slice(&[
        0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4, 192, 0, 2, 80,
    ]);
    v
}

// ----- file writers -------------------------------------------------------------------------

/// A pcap global header: version 2.4, µs, snaplen 262144, the given link type and byte order.
fn pcap_header(datalink: DataLink, endianness: Endianness) -> PcapHeader {
    PcapHeader {
        version_major: 2,
        version_minor: 4,
        ts_correction: 0,
        ts_accuracy: 0,
        snaplen: SNAPLEN,
        datalink,
        ts_resolution: PcapTsResolution::MicroSecond,
        endianness,
    }
}

/// A little-endian microsecond pcap of `frames`.
fn pcap(datalink: DataLink, frames: &[Frame]) -> Result<Vec<u8>> {
    pcap_with(pcap_header(datalink, Endianness::Little), frames)
}

/// A pcap with the given global header holding `frames`.
fn pcap_with(header: PcapHeader, frames: &[Frame]) -> Result<Vec<u8>> {
    let mut w = PcapWriter::with_header(Vec::new(), header)?;
    for frame in frames {
        w.write_packet(&PcapPacket::new(frame.ts, frame.orig_len, &frame.data[..])?)?;
    }
    Ok(w.into_inner())
}

/// A Section Header Block naming this generator.
fn shb(endianness: Endianness) -> SectionHeaderBlock<'static> {
    SectionHeaderBlock {
        endianness,
        major_version: 1,
        minor_version: 0,
        section_length: -1,
        options: vec![SectionHeaderOption::UserApplication(Cow::Borrowed(
            "oneway examples/make_fixtures.rs",
        ))],
    }
}

/// A pcapng writer that has written its first Section Header Block.
fn pcapng_writer(endianness: Endianness) -> Result<PcapNgWriter<Vec<u8>>> {
    Ok(PcapNgWriter::with_section_header(
        Vec::new(),
        shb(endianness),
    )?)
}

/// An Interface Description Block with if_name and, when given, if_tsresol.
fn idb(
    linktype: DataLink,
    name: &'static str,
    tsresol: Option<InterfaceTsResolution>,
) -> InterfaceDescriptionBlock<'static> {
    let mut options = vec![InterfaceDescriptionOption::IfName(Cow::Borrowed(name))];
    options.extend(tsresol.map(InterfaceDescriptionOption::IfTsResol));
    InterfaceDescriptionBlock {
        linktype,
        snaplen: SNAPLEN,
        options,
    }
}

/// An Enhanced Packet Block holding `frame` on interface `interface_id`.
fn epb(interface_id: u32, frame: &Frame) -> EnhancedPacketBlock<'_> {
    EnhancedPacketBlock {
        interface_id,
        timestamp: frame.ts,
        original_len: frame.orig_len,
        data: Cow::Borrowed(&frame.data),
        options: vec![],
    }
}
