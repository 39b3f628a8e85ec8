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
    ArpHardwareId, ArpOperation, ArpPacket, EtherType, Ethernet2Header, Icmpv4Type, Icmpv6Type,
    IpFragOffset, IpNumber, Ipv4Header, PacketBuilder, UdpHeader, VlanId,
};
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapTsResolution, PcapWriter};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::block_common::RawBlock;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption, InterfaceTsResolution,
};
use pcap_file::pcapng::blocks::interface_statistics::InterfaceStatisticsBlock;
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
    ("ipv6-fragments.pcap", ipv6_fragments),
    ("ip-options.pcap", ip_options),
    ("ipv6-extensions.pcap", ipv6_extensions),
    ("loop.pcap", loop_),
    ("null-ethertype.pcap", null_ethertype),
    ("ppp.pcap", ppp),
    ("pppoe.pcap", pppoe),
    ("chdlc.pcap", chdlc),
    ("mpls.pcap", mpls),
    ("radiotap.pcap", radiotap),
    ("nflog.pcap", nflog),
    ("linktype-fcs-bits.pcap", linktype_fcs_bits),
    ("unsupported-linktype.pcap", unsupported_linktype),
    ("caplen-over-origlen.pcap", caplen_over_origlen),
    ("caplen-over-snaplen.pcap", caplen_over_snaplen),
    ("tsresol-binary.pcapng", tsresol_binary),
    ("tsoffset.pcapng", tsoffset),
    ("unknown-blocks.pcapng", unknown_blocks),
    ("vxlan.pcap", vxlan),
    ("tunnels.pcap", tunnels),
    ("icmp-errors.pcap", icmp_errors),
    ("udp-length-lies.pcap", udp_length_lies),
    ("modified.pcap", modified),
    ("ppp-ether.pcap", ppp_ether),
    ("ppp-pppd.pcap", ppp_pppd),
    ("pflog.pcap", pflog),
    ("ppi.pcap", ppi),
    ("ip-tunnels.pcap", ip_tunnels),
    ("pktap.pcap", pktap),
    ("epb-options.pcapng", epb_options),
    ("prism.pcap", prism),
    ("avs.pcap", avs),
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
    let frames = lab_exchange_with(|from, to, payload| {
        let mut v = Vec::new();
        PacketBuilder::ethernet2(from.mac, to.mac)
            .single_vlan(vid)
            .ipv4(from.ip, to.ip, TTL)
            .udp(from.port, to.port)
            .write(&mut v, payload)?;
        Ok(v)
    })?;
    pcap(DataLink::ETHERNET, &frames)
}

/// The lab's exchange (10.0.0.1:57314 ⇄ 10.0.0.2:12345) double-tagged: outer 802.1ad tag (TPID
/// 0x88a8, VLAN 200), inner 802.1Q tag (TPID 0x8100, VLAN 100).
fn qinq() -> Result<Vec<u8>> {
    let outer = VlanId::try_new(200)?;
    let inner = VlanId::try_new(100)?;
    let frames = lab_exchange_with(|from, to, payload| {
        let mut v = Vec::new();
        PacketBuilder::ethernet2(from.mac, to.mac)
            .double_vlan(outer, inner)
            .ipv4(from.ip, to.ip, TTL)
            .udp(from.port, to.port)
            .write(&mut v, payload)?;
        Ok(v)
    })?;
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
        Frame::new(at_us(709_480), lab_request4()?),
        Frame::new(at_us(709_763), lab_reply4()?),
        Frame::new(at_us(809_480), lab_request6()?),
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
    headed_requests(DataLink::NULL, 2u32.to_le_bytes(), 30u32.to_le_bytes())
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

/// One IPv6 UDP datagram 2001:db8::1:57314 → 2001:db8::2:12345 with a 3000-byte payload in
/// three fragments (identification 0xabcd, 1448-byte pieces) sent out of order — the first,
/// the last, then the middle one, which completes it — then the first fragment of an IPv4
/// datagram whose other fragments never come (id 0x4321), then a reply.
fn ipv6_fragments() -> Result<Vec<u8>> {
    let payload: Vec<u8> = (0..3000u32).map(|i| b'A' + (i % 26) as u8).collect();
    let mut datagram = Vec::new();
    PacketBuilder::ipv6(CLIENT_V6, SERVER_V6, TTL)
        .udp(CLIENT_PORT, SERVER_PORT)
        .write(&mut datagram, &payload)?;
    let udp = &datagram[40..];
    let pieces: Vec<(usize, &[u8])> = (0..)
        .map(|i| i * 1448)
        .take_while(|o| *o < udp.len())
        .map(|o| (o, &udp[o..(o + 1448).min(udp.len())]))
        .collect();
    let fragment = |(offset, chunk): (usize, &[u8])| -> Result<Vec<u8>> {
        let more = offset + chunk.len() < udp.len();
        let mut ip = datagram[..40].to_vec();
        ip[4..6].copy_from_slice(&u16::try_from(8 + chunk.len())?.to_be_bytes());
        ip[6] = 44; // next header: fragment
        ip.extend_from_slice(&[17, 0]); // next header UDP, reserved
        let field = u16::try_from(offset)? | u16::from(more);
        ip.extend_from_slice(&field.to_be_bytes());
        ip.extend_from_slice(&0xabcdu32.to_be_bytes());
        ip.extend_from_slice(chunk);
        Ok(eth(EtherType::IPV6, &ip))
    };
    // An IPv4 first fragment (MF set) of a datagram whose rest never comes.
    let lonely = {
        let chunk = &ip_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, &[b'x'; 100])?[20..];
        let mut ip = Ipv4Header {
            identification: 0x4321,
            more_fragments: true,
            time_to_live: TTL,
            protocol: IpNumber::UDP,
            source: CLIENT_V4,
            destination: SERVER_V4,
            ..Default::default()
        };
        ip.set_payload_len(64)?;
        ip.header_checksum = ip.calc_header_checksum();
        let mut packet = ip.to_bytes().to_vec();
        packet.extend_from_slice(&chunk[..64]);
        eth(EtherType::IPV4, &packet)
    };
    let reply = eth_udp6(
        SERVER_V6,
        CLIENT_V6,
        SERVER_PORT,
        CLIENT_PORT,
        b"got 3000 bytes",
    )?;
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(at_us(709_480), fragment(pieces[0])?),
            Frame::new(at_us(709_492), fragment(pieces[2])?),
            Frame::new(at_us(709_504), fragment(pieces[1])?),
            Frame::new(at_us(709_600), lonely),
            Frame::new(at_us(709_900), reply),
        ],
    )
}

/// IPv4 headers with options: the lab request with a Router Alert option (4 bytes, IHL 6),
/// and the reply with a Record Route option with room for 2 addresses plus an End of Options
/// list (12 bytes, IHL 8).
fn ip_options() -> Result<Vec<u8>> {
    let with_options =
        |src, dst, sport, dport, payload: &[u8], options: &[u8]| -> Result<Vec<u8>> {
            let mut ip = Ipv4Header::new(0, TTL, IpNumber::UDP, src, dst)?;
            ip.options = options.try_into()?;
            let udp = UdpHeader::with_ipv4_checksum(sport, dport, &ip, payload)?;
            ip.set_payload_len(8 + payload.len())?;
            ip.header_checksum = ip.calc_header_checksum();
            let mut v = ip.to_bytes().to_vec();
            v.extend_from_slice(&udp.to_bytes());
            v.extend_from_slice(payload);
            Ok(eth(EtherType::IPV4, &v))
        };
    let router_alert = [0x94, 0x04, 0x00, 0x00];
    let record_route = [7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(
                at_us(709_480),
                with_options(
                    CLIENT_V4,
                    SERVER_V4,
                    CLIENT_PORT,
                    SERVER_PORT,
                    HELLO,
                    &router_alert,
                )?,
            ),
            Frame::new(
                at_us(709_763),
                with_options(
                    SERVER_V4,
                    CLIENT_V4,
                    SERVER_PORT,
                    CLIENT_PORT,
                    &lab_reply(),
                    &record_route,
                )?,
            ),
        ],
    )
}

/// IPv6 with extension headers before UDP, one kind a frame (2001:db8::1:57314 →
/// 2001:db8::2:12345): hop-by-hop (Router Alert), routing (type 0, segments left 0, no
/// addresses), destination options (PadN), an atomic fragment header (offset 0, M clear), an
/// authentication header (SPI 0x100, 12-byte ICV), and all of hop-by-hop + destination options +
/// routing + AH in one frame.
fn ipv6_extensions() -> Result<Vec<u8>> {
    const HOP_BY_HOP: u8 = 0;
    const ROUTING: u8 = 43;
    const FRAGMENT: u8 = 44;
    const AUTH: u8 = 51;
    const DEST_OPTS: u8 = 60;
    // Each extension header's bytes, given the next header.
    let ext = |kind: u8, next: u8| -> Vec<u8> {
        match kind {
            HOP_BY_HOP => vec![next, 0, 5, 2, 0, 0, 1, 0], // Router Alert (MLD), PadN of 0
            ROUTING => vec![next, 0, 0, 0, 0, 0, 0, 0],
            FRAGMENT => vec![next, 0, 0, 0, 0, 0, 0x12, 0x34],
            AUTH => {
                let mut v = vec![next, 4, 0, 0];
                v.extend_from_slice(&0x100u32.to_be_bytes());
                v.extend_from_slice(&1u32.to_be_bytes());
                v.extend_from_slice(&[0xa5; 12]);
                v
            }
            _ => vec![next, 0, 1, 4, 0, 0, 0, 0], // PadN of 4
        }
    };
    let packet = |kinds: &[u8], payload: &[u8]| -> Result<Vec<u8>> {
        let mut datagram = Vec::new();
        PacketBuilder::ipv6(CLIENT_V6, SERVER_V6, TTL)
            .udp(CLIENT_PORT, SERVER_PORT)
            .write(&mut datagram, payload)?;
        let mut exts = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            let next = kinds.get(i + 1).copied().unwrap_or(17);
            exts.extend(ext(*kind, next));
        }
        let mut v = datagram[..40].to_vec();
        v[6] = kinds.first().copied().unwrap_or(17);
        let plen = u16::try_from(datagram.len() - 40 + exts.len())?;
        v[4..6].copy_from_slice(&plen.to_be_bytes());
        v.extend(exts);
        v.extend_from_slice(&datagram[40..]);
        Ok(eth(EtherType::IPV6, &v))
    };
    let frames = [
        (&[HOP_BY_HOP][..], &b"hop-by-hop"[..]),
        (&[ROUTING], b"routing"),
        (&[DEST_OPTS], b"destination options"),
        (&[FRAGMENT], b"atomic fragment"),
        (&[AUTH], b"authentication header"),
        (&[HOP_BY_HOP, DEST_OPTS, ROUTING, AUTH], b"all of them"),
    ];
    let mut out = Vec::new();
    for (i, (kinds, payload)) in (0u64..).zip(frames) {
        out.push(Frame::new(
            at_us(709_480 + i * 1000),
            packet(kinds, payload)?,
        ));
    }
    pcap(DataLink::ETHERNET, &out)
}

/// OpenBSD loopback LOOP (link type 108): the address family big-endian whatever the file's
/// byte order: AF_INET (2) then AF_INET6 (24, OpenBSD's value).
fn loop_() -> Result<Vec<u8>> {
    headed_requests(DataLink::LOOP, 2u32.to_be_bytes(), 24u32.to_be_bytes())
}

/// BSD NULL (link type 0) whose 4-byte header holds an Ethertype instead of an address family
/// (0x0800 then 0x86dd as big-endian 32-bit numbers), as some systems wrote it.
fn null_ethertype() -> Result<Vec<u8>> {
    headed_requests(
        DataLink::NULL,
        0x0800u32.to_be_bytes(),
        0x86ddu32.to_be_bytes(),
    )
}

/// PPP (link type 9): the lab request with address/control ff 03 and protocol 0x0021 (IPv4),
/// the reply with protocol field compression (one byte 0x21, no ff 03), an IPv6 datagram
/// (0x0057), and an LCP echo request (0xc021), which is not IP.
fn ppp() -> Result<Vec<u8>> {
    let mut request = vec![0xff, 0x03, 0x00, 0x21];
    request.extend(lab_request4()?);
    let mut reply = vec![0x21];
    reply.extend(lab_reply4()?);
    let mut v6 = vec![0xff, 0x03, 0x00, 0x57];
    v6.extend(lab_request6()?);
    let lcp = vec![0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 8, 0, 0, 0, 0];
    pcap(
        DataLink::PPP,
        &[
            Frame::new(at_us(709_480), request),
            Frame::new(at_us(709_763), reply),
            Frame::new(at_us(809_480), v6),
            Frame::new(at_us(909_480), lcp),
        ],
    )
}

/// PPPoE session frames on Ethernet (EtherType 0x8864, version/type 0x11, code 0, session
/// 0x0001, then PPP protocol 0x0021 or 0x0057): the lab exchange over IPv4, then one IPv6
/// datagram.
fn pppoe() -> Result<Vec<u8>> {
    let session = |protocol: u16, ip: &[u8]| -> Result<Vec<u8>> {
        let mut v = vec![0x11, 0x00, 0x00, 0x01];
        v.extend_from_slice(&u16::try_from(ip.len() + 2)?.to_be_bytes());
        v.extend_from_slice(&protocol.to_be_bytes());
        v.extend_from_slice(ip);
        Ok(eth(EtherType(0x8864), &v))
    };
    exchange_and_v6(DataLink::ETHERNET, |which, ip| match which {
        Which::Request6 => session(0x0057, &ip),
        _ => session(0x0021, &ip),
    })
}

/// Cisco HDLC (link type 104): address 0x0f (unicast), control 0, then an Ethertype: the lab
/// exchange over IPv4 and an IPv6 datagram.
fn chdlc() -> Result<Vec<u8>> {
    let hdlc = |ether_type: u16, ip: Vec<u8>| {
        let mut v = vec![0x0f, 0x00];
        v.extend_from_slice(&ether_type.to_be_bytes());
        v.extend(ip);
        v
    };
    exchange_and_v6(DataLink::C_HDLC, |which, ip| match which {
        Which::Request6 => Ok(hdlc(0x86dd, ip)),
        _ => Ok(hdlc(0x0800, ip)),
    })
}

/// MPLS on Ethernet (EtherType 0x8847): the lab request under one label (100, bottom of
/// stack), the reply under two (200, then 100 with the bottom-of-stack bit), an IPv6 datagram
/// under one label; the payload after the bottom label is told apart by its version nibble.
fn mpls() -> Result<Vec<u8>> {
    let labelled = |labels: &[u32], ip: Vec<u8>| {
        let mut v = Vec::new();
        for (i, label) in labels.iter().enumerate() {
            let bottom = u32::from(i + 1 == labels.len());
            v.extend_from_slice(&((label << 12) | (bottom << 8) | 64).to_be_bytes());
        }
        v.extend(ip);
        eth(EtherType(0x8847), &v)
    };
    exchange_and_v6(DataLink::ETHERNET, |which, ip| match which {
        Which::Reply4 => Ok(labelled(&[200, 100], ip)),
        _ => Ok(labelled(&[100], ip)),
    })
}

/// 802.11 with radiotap (link type 127). The radiotap header is 8 bytes of header plus the
/// Flags field (present bit 1); frames whose Flags say "FCS at end" carry 4 trailing bytes.
/// Frames: a beacon (management), the lab request as a QoS data frame to the AP (To DS) with
/// LLC/SNAP 0x0800, the reply as a plain data frame from the AP (From DS) with an FCS, an IPv6
/// datagram in a QoS data frame, a protected (encrypted) data frame, and a null data frame.
fn radiotap() -> Result<Vec<u8>> {
    let ap = [0x02, 0, 0, 0, 0, 0xaa];
    let frame = |fc: [u8; 2], qos: bool, body: &[u8], fcs: bool| -> Vec<u8> {
        let mut v = vec![0, 0, 9, 0]; // radiotap version 0, pad, length 9
        v.extend_from_slice(&2u32.to_le_bytes()); // present: Flags
        v.push(if fcs { 0x10 } else { 0 });
        v.extend_from_slice(&fc);
        v.extend_from_slice(&[0x2c, 0x00]); // duration
        v.extend_from_slice(&ap);
        v.extend_from_slice(&CLIENT_MAC);
        v.extend_from_slice(&SERVER_MAC);
        v.extend_from_slice(&[0x10, 0x00]); // sequence control
        if qos {
            v.extend_from_slice(&[0, 0]);
        }
        v.extend_from_slice(body);
        if fcs {
            let crc = crc32(&v[9..]);
            v.extend_from_slice(&crc.to_le_bytes());
        }
        v
    };
    let snap = |ether_type: u16, ip: Vec<u8>| {
        let mut v = vec![0xaa, 0xaa, 0x03, 0, 0, 0];
        v.extend_from_slice(&ether_type.to_be_bytes());
        v.extend(ip);
        v
    };
    let request = snap(0x0800, lab_request4()?);
    let reply = snap(0x0800, lab_reply4()?);
    let v6 = snap(0x86dd, lab_request6()?);
    // A beacon: timestamp, interval, capabilities, SSID "oneway".
    let mut beacon_body = vec![0; 8];
    beacon_body.extend_from_slice(&[0x64, 0, 0x01, 0x04, 0, 6]);
    beacon_body.extend_from_slice(b"oneway");
    pcap(
        DataLink::IEEE802_11_RADIOTAP,
        &[
            Frame::new(
                at_us(700_000),
                frame([0x80, 0x00], false, &beacon_body, false),
            ),
            Frame::new(at_us(709_480), frame([0x88, 0x01], true, &request, false)),
            Frame::new(at_us(709_763), frame([0x08, 0x02], false, &reply, true)),
            Frame::new(at_us(809_480), frame([0x88, 0x01], true, &v6, false)),
            Frame::new(
                at_us(909_480),
                frame([0x88, 0x41], true, &[0x5a; 40], false),
            ),
            Frame::new(at_us(909_500), frame([0x48, 0x01], false, &[], false)),
        ],
    )
}

/// The CRC-32 of IEEE 802 (an 802.11 frame check sequence).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Linux NFLOG (link type 239), as `tcpdump -i nflog:5` on a little-endian host: header (family
/// AF_INET, version 0, resource id 5 big-endian), then TLVs with little-endian length and type:
/// NFULA_PACKET_HDR (1), NFULA_PREFIX (10) "oneway", NFULA_PAYLOAD (9) with the IP packet. The
/// lab exchange, then an IPv6 datagram (family AF_INET6).
fn nflog() -> Result<Vec<u8>> {
    let tlv = |kind: u16, value: &[u8]| -> Vec<u8> {
        let len = u16::try_from(4 + value.len()).expect("small TLV");
        let mut v = len.to_le_bytes().to_vec();
        v.extend_from_slice(&kind.to_le_bytes());
        v.extend_from_slice(value);
        v.resize(v.len().next_multiple_of(4), 0);
        v
    };
    let record = |family: u8, ip: Vec<u8>| {
        let mut v = vec![family, 0, 0, 5];
        v.extend(tlv(1, &[0x08, 0x00, 3, 0])); // hw protocol 0x0800, hook 3
        v.extend(tlv(10, b"oneway\0"));
        v.extend(tlv(9, &ip));
        v
    };
    exchange_and_v6(DataLink::NFLOG, |which, ip| match which {
        Which::Request6 => Ok(record(10, ip)),
        _ => Ok(record(2, ip)),
    })
}

/// Ethernet whose pcap link-type field has upper bits set: 0x1000_0001 means LINKTYPE_ETHERNET
/// with the FCS-length bits saying 0 (bit 28 set, length field 0). The lab exchange.
fn linktype_fcs_bits() -> Result<Vec<u8>> {
    pcap(
        DataLink::Unknown(0x1000_0001),
        &lab_exchange(at_us(709_480), at_us(709_763))?,
    )
}

/// A link type oneway does not read (147, LINKTYPE_USER0) holding the lab request as raw IP: it
/// must be counted by link type, not listed.
fn unsupported_linktype() -> Result<Vec<u8>> {
    pcap(
        DataLink::Unknown(147),
        &[Frame::new(at_us(709_480), lab_request4()?)],
    )
}

/// Records whose captured length exceeds their original length (written by some tools after
/// editing): the lab exchange with orig_len 10 bytes smaller than what was captured.
fn caplen_over_origlen() -> Result<Vec<u8>> {
    let mut frames = lab_exchange(at_us(709_480), at_us(709_763))?;
    for f in &mut frames {
        f.orig_len -= 10;
    }
    // pcap-file's writer checks orig_len >= incl_len: write the records by hand.
    let mut v = pcap(DataLink::ETHERNET, &[])?;
    for f in &frames {
        raw_record(&mut v, f, u32::try_from(f.data.len())?);
    }
    Ok(v)
}

/// A header snaplen (64) smaller than a record's captured length: record 1 holds the whole
/// lab request (61 bytes, within the snaplen); record 2 the whole reply (99 bytes, 35 over it).
fn caplen_over_snaplen() -> Result<Vec<u8>> {
    let frames = lab_exchange(at_us(709_480), at_us(709_763))?;
    let mut header = pcap_header(DataLink::ETHERNET, Endianness::Little);
    header.snaplen = 64;
    let mut v = pcap_with(header, &[])?;
    for f in &frames {
        raw_record(&mut v, f, u32::try_from(f.data.len())?);
    }
    Ok(v)
}

/// Appends a little-endian µs pcap record header (with the given incl_len) and the data.
fn raw_record(v: &mut Vec<u8>, f: &Frame, incl_len: u32) {
    let secs = u32::try_from(f.ts.as_secs()).expect("32-bit time");
    v.extend_from_slice(&secs.to_le_bytes());
    v.extend_from_slice(&f.ts.subsec_micros().to_le_bytes());
    v.extend_from_slice(&incl_len.to_le_bytes());
    v.extend_from_slice(&f.orig_len.to_le_bytes());
    v.extend_from_slice(&f.data);
}

/// pcapng with binary timestamp resolutions: interface 0 (Ethernet) `if_tsresol` 0x94 (2^-20
/// s), interface 1 (raw IP) `if_tsresol` 0x8a (2^-10 s, about a millisecond). The lab exchange
/// on interface 0, one datagram on interface 1; times are what the units can express.
fn tsresol_binary() -> Result<Vec<u8>> {
    let mut w = pcapng_writer(Endianness::Little)?;
    w.write_pcapng_block(idb(
        DataLink::ETHERNET,
        "eth0",
        Some(InterfaceTsResolution::new(true, 20)?),
    ))?;
    w.write_pcapng_block(idb(
        DataLink::RAW,
        "tun0",
        Some(InterfaceTsResolution::new(true, 10)?),
    ))?;
    // Times that the units hold exactly: k / 2^20 and k / 2^10 seconds past the second.
    let lab = lab_exchange(
        Duration::from_secs(BASE_SECS) + Duration::from_nanos(743_947 * 1_000_000_000 / (1 << 20)),
        Duration::from_secs(BASE_SECS) + Duration::from_nanos(744_244 * 1_000_000_000 / (1 << 20)),
    )?;
    w.write_pcapng_block(epb(0, &lab[0]))?;
    w.write_pcapng_block(epb(0, &lab[1]))?;
    let tun = ip_udp4(
        [192, 0, 2, 1],
        [192, 0, 2, 2],
        CLIENT_PORT,
        SERVER_PORT,
        b"binary ms",
    )?;
    let t = Duration::from_secs(BASE_SECS + 1) + Duration::from_nanos(512 * 1_000_000_000 / 1024);
    w.write_pcapng_block(epb(1, &Frame::new(t, tun)))?;
    Ok(w.into_inner())
}

/// pcapng whose interface has `if_tsoffset` 1 000 000 000 s (and µs resolution): the EPB
/// timestamps count from 2001-09-09T01:46:40Z, so the true times are the lab's.
fn tsoffset() -> Result<Vec<u8>> {
    let mut w = pcapng_writer(Endianness::Little)?;
    let mut i = idb(DataLink::ETHERNET, "eth0", None);
    i.options
        .push(InterfaceDescriptionOption::IfTsOffset(1_000_000_000));
    w.write_pcapng_block(i)?;
    for frame in &lab_exchange(at_us(709_480), at_us(709_763))? {
        w.write_pcapng_block(epb(0, frame))?;
    }
    Ok(w.into_inner())
}

/// pcapng with blocks a reader must step over: a Name Resolution Block, a custom block (type
/// 0x00000BAD, PEN 32473), a block of an unassigned type (0x0000_0A0B), and an Interface
/// Statistics Block, between the lab exchange's two EPBs; then a Simple Packet Block.
fn unknown_blocks() -> Result<Vec<u8>> {
    let mut w = pcapng_writer(Endianness::Little)?;
    w.write_pcapng_block(idb(DataLink::ETHERNET, "eth0", None))?;
    let lab = lab_exchange(at_us(709_480), at_us(709_763))?;
    w.write_pcapng_block(epb(0, &lab[0]))?;
    // NRB: one IPv4 record 10.0.0.2 "server.example", then end of records.
    let mut nrb = vec![1, 0];
    let name = b"server.example\0";
    nrb.extend_from_slice(&u16::try_from(4 + name.len())?.to_le_bytes());
    nrb.extend_from_slice(&SERVER_V4);
    nrb.extend_from_slice(name);
    nrb.resize(nrb.len().next_multiple_of(4), 0);
    nrb.extend_from_slice(&[0, 0, 0, 0]);
    let mut custom = 32473u32.to_le_bytes().to_vec();
    custom.extend_from_slice(b"oneway!\0");
    let unknown = b"not a block anyone knows".to_vec();
    for (kind, body) in [(4u32, nrb), (0x0000_0bad, custom), (0x0000_0a0b, unknown)] {
        let len = u32::try_from(12 + body.len().next_multiple_of(4))?;
        let mut body = body;
        body.resize(body.len().next_multiple_of(4), 0);
        w.write_raw_block(&RawBlock {
            type_: kind,
            initial_len: len,
            body: Cow::Owned(body),
            trailer_len: len,
        })?;
    }
    w.write_pcapng_block(InterfaceStatisticsBlock {
        interface_id: 0,
        timestamp: at_us(709_600),
        options: vec![],
    })?;
    w.write_pcapng_block(epb(0, &lab[1]))?;
    let simple = lab_exchange(at_us(809_480), at_us(809_763))?[0]
        .data
        .clone();
    w.write_pcapng_block(SimplePacketBlock {
        original_len: u32::try_from(simple.len())?,
        data: Cow::Owned(simple),
    })?;
    Ok(w.into_inner())
}

/// VXLAN (UDP port 4789): 192.0.2.1:49152 → 192.0.2.2:4789 carrying VNI 42 and an inner
/// Ethernet frame with the lab request; the reply tunnelled back. Only the outer datagrams
/// (length 8 + 61 and 8 + 99) are listed, never the inner ones.
fn vxlan() -> Result<Vec<u8>> {
    let vtep_a = [192, 0, 2, 1];
    let vtep_b = [192, 0, 2, 2];
    let tunnel = |src, dst, inner: &[u8]| -> Result<Vec<u8>> {
        let mut v = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
        v.extend_from_slice(inner);
        eth_udp4(src, dst, 49152, 4789, &v)
    };
    let lab = lab_exchange(at_us(709_480), at_us(709_763))?;
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(lab[0].ts, tunnel(vtep_a, vtep_b, &lab[0].data)?),
            Frame::new(lab[1].ts, tunnel(vtep_b, vtep_a, &lab[1].data)?),
        ],
    )
}

/// Other UDP tunnels whose inner UDP must not be listed: GTP-U (port 2152, TEID 0x1234, G-PDU)
/// carrying the lab request as IPv4, and Teredo (port 3544) carrying an IPv6 UDP datagram.
fn tunnels() -> Result<Vec<u8>> {
    let inner4 = lab_request4()?;
    let mut gtp = vec![0x30, 0xff];
    gtp.extend_from_slice(&u16::try_from(inner4.len())?.to_be_bytes());
    gtp.extend_from_slice(&0x1234u32.to_be_bytes());
    gtp.extend_from_slice(&inner4);
    // Teredo client address 2001:0:c000:201:: (a Teredo prefix), server 2001:db8::2.
    let teredo_client = [
        0x20, 0x01, 0, 0, 0xc0, 0, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0, 1,
    ];
    let inner6 = ip_udp6(teredo_client, SERVER_V6, CLIENT_PORT, SERVER_PORT, HELLO)?;
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(
                at_us(709_480),
                eth_udp4([192, 0, 2, 1], [192, 0, 2, 2], 2152, 2152, &gtp)?,
            ),
            Frame::new(
                at_us(809_480),
                eth_udp4([192, 0, 2, 1], [192, 0, 2, 3], 3544, 3544, &inner6)?,
            ),
        ],
    )
}

/// ICMP errors that quote a UDP header, none of which is a datagram: the lab request
/// (listed), then an ICMPv4 "fragmentation needed" (MTU 1400) quoting it, an ICMPv6 port
/// unreachable quoting an IPv6 datagram (listed first), and an ICMPv6 "packet too big" (MTU
/// 1280) quoting it.
fn icmp_errors() -> Result<Vec<u8>> {
    let request = lab_request4()?;
    let mut frag_needed = Vec::new();
    PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC)
        .ipv4(SERVER_V4, CLIENT_V4, TTL)
        .icmpv4(Icmpv4Type::DestinationUnreachable(
            DestUnreachableHeader::FragmentationNeeded { next_hop_mtu: 1400 },
        ))
        .write(&mut frag_needed, &request)?;
    let request6 = lab_request6()?;
    let mut unreachable6 = Vec::new();
    PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC)
        .ipv6(SERVER_V6, CLIENT_V6, TTL)
        .icmpv6(Icmpv6Type::DestinationUnreachable(
            etherparse::icmpv6::DestUnreachableCode::Port,
        ))
        .write(&mut unreachable6, &request6)?;
    let mut too_big = Vec::new();
    PacketBuilder::ethernet2(SERVER_MAC, CLIENT_MAC)
        .ipv6(SERVER_V6, CLIENT_V6, TTL)
        .icmpv6(Icmpv6Type::PacketTooBig { mtu: 1280 })
        .write(&mut too_big, &request6)?;
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(at_us(709_480), eth(EtherType::IPV4, &request)),
            Frame::new(at_us(709_560), frag_needed),
            Frame::new(at_us(809_480), eth(EtherType::IPV6, &request6)),
            Frame::new(at_us(809_560), unreachable6),
            Frame::new(at_us(809_600), too_big),
        ],
    )
}

/// UDP length fields that disagree with IP, 10.0.0.1:57314 → 10.0.0.2:12345 with the 19-byte
/// lab request behind the UDP header each time: frame 1 says 100 (more than IP carries), frame 2
/// says 4 (less than the header itself), frame 3 says 12 (4 payload bytes; the other 15 bytes IP
/// carries are not UDP payload). Checksums are left as computed for the true length.
fn udp_length_lies() -> Result<Vec<u8>> {
    let lie = |field: u16| -> Result<Vec<u8>> {
        let mut ip = lab_request4()?;
        ip[24..26].copy_from_slice(&field.to_be_bytes());
        Ok(eth(EtherType::IPV4, &ip))
    };
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(at_us(709_480), lie(100)?),
            Frame::new(at_us(710_480), lie(4)?),
            Frame::new(at_us(711_480), lie(12)?),
        ],
    )
}

/// Alexey Kuznetzov's modified pcap (magic a1b2cd34, written little-endian): the classic file
/// header, then records with 8 more header bytes (ifindex 1, protocol 0x0800, packet type 0,
/// pad). Ethernet, the lab exchange. pcap-file cannot write it: the bytes are written here.
fn modified() -> Result<Vec<u8>> {
    let mut v = Vec::new();
    v.extend_from_slice(&0xa1b2_cd34u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&4u16.to_le_bytes());
    v.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    v.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    v.extend_from_slice(&SNAPLEN.to_le_bytes());
    v.extend_from_slice(&1u32.to_le_bytes()); // Ethernet
    for f in &lab_exchange(at_us(709_480), at_us(709_763))? {
        raw_record(&mut v, f, u32::try_from(f.data.len())?);
        // raw_record wrote the 16-byte header and the data: put the 8 extra bytes between.
        let data_at = v.len() - f.data.len();
        let extra = [1, 0, 0, 0, 0x08, 0x00, 0, 0];
        v.splice(data_at..data_at, extra);
    }
    Ok(v)
}

/// LINKTYPE_PPP_ETHER (51): frames start with a PPPoE session header (no Ethernet header): the
/// lab exchange with PPP protocol 0x0021.
fn ppp_ether() -> Result<Vec<u8>> {
    let session = |ip: Vec<u8>| -> Result<Vec<u8>> {
        let mut v = vec![0x11, 0x00, 0x00, 0x01];
        v.extend_from_slice(&u16::try_from(ip.len() + 2)?.to_be_bytes());
        v.extend_from_slice(&0x0021u16.to_be_bytes());
        v.extend(ip);
        Ok(v)
    };
    pcap(
        DataLink::PPP_ETHER,
        &[
            Frame::new(at_us(709_480), session(lab_request4()?)?),
            Frame::new(at_us(709_763), session(lab_reply4()?)?),
        ],
    )
}

/// LINKTYPE_PPP_PPPD (166): HDLC-like PPP whose first byte is a direction (0 in, 1 out) instead
/// of 0xff: the request going out, the reply coming in.
fn ppp_pppd() -> Result<Vec<u8>> {
    let mut request = vec![0x01, 0x03, 0x00, 0x21];
    request.extend(lab_request4()?);
    let mut reply = vec![0x00, 0x03, 0x00, 0x21];
    reply.extend(lab_reply4()?);
    pcap(
        DataLink::PPP_PPPD,
        &[
            Frame::new(at_us(709_480), request),
            Frame::new(at_us(709_763), reply),
        ],
    )
}

/// OpenBSD pflog (link type 117): a 61-byte pfloghdr (length 61, padded to 64) — family,
/// action pass, interface `em0`, rule 3, direction out — then the IP packet: the lab request
/// (AF_INET) and an IPv6 datagram (AF_INET6 = 24 on OpenBSD).
fn pflog() -> Result<Vec<u8>> {
    let logged = |family: u8, ip: Vec<u8>| {
        let mut h = vec![0u8; 64];
        h[0] = 61; // header length before padding
        h[1] = family;
        h[2] = 0; // PF_PASS
        h[4..7].copy_from_slice(b"em0");
        h[36..40].copy_from_slice(&3u32.to_be_bytes()); // rule number
        h[40..44].copy_from_slice(&u32::MAX.to_be_bytes()); // no subrule
        h[60] = 2; // PF_OUT
        h.extend(ip);
        h
    };
    pcap(
        DataLink::PFLOG,
        &[
            Frame::new(at_us(709_480), logged(2, lab_request4()?)),
            Frame::new(at_us(809_480), logged(24, lab_request6()?)),
        ],
    )
}

/// PPI (link type 192): an 8-byte PPI header (version 0, flags 0, length 8, DLT 105) before an
/// 802.11 data frame (To DS, LLC/SNAP 0x0800) holding the lab request.
fn ppi() -> Result<Vec<u8>> {
    let mut v = vec![0, 0, 8, 0];
    v.extend_from_slice(&105u32.to_le_bytes());
    v.extend_from_slice(&[0x08, 0x01, 0x2c, 0x00]); // data, To DS; duration
    v.extend_from_slice(&[0x02, 0, 0, 0, 0, 0xaa]); // BSSID (the AP)
    v.extend_from_slice(&CLIENT_MAC);
    v.extend_from_slice(&SERVER_MAC);
    v.extend_from_slice(&[0x10, 0x00]); // sequence control
    v.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
    v.extend(lab_request4()?);
    pcap(DataLink::PPI, &[Frame::new(at_us(709_480), v)])
}

/// IP tunnels whose inner UDP is the outermost UDP, so it is listed with the inner addresses:
/// IPv4 in IPv4 (protocol 4) between 192.0.2.1 and 192.0.2.2, IPv6 in IPv4 (41, a 6in4 tunnel),
/// GRE (47) with a key carrying IPv4, GRE with checksum and sequence number carrying IPv6, GRE
/// transparent Ethernet bridging (0x6558) carrying the lab's Ethernet frame, and IPv4 in IPv6.
fn ip_tunnels() -> Result<Vec<u8>> {
    let outer_a = [192, 0, 2, 1];
    let outer_b = [192, 0, 2, 2];
    let v4 = |proto: u8, inner: &[u8]| -> Result<Vec<u8>> {
        let mut ip = Ipv4Header::new(0, TTL, IpNumber(proto), outer_a, outer_b)?;
        ip.set_payload_len(inner.len())?;
        ip.header_checksum = ip.calc_header_checksum();
        let mut v = ip.to_bytes().to_vec();
        v.extend_from_slice(inner);
        Ok(eth(EtherType::IPV4, &v))
    };
    let gre = |flags: u16, protocol: u16, optional: &[u32], inner: &[u8]| {
        let mut v = flags.to_be_bytes().to_vec();
        v.extend_from_slice(&protocol.to_be_bytes());
        for word in optional {
            v.extend_from_slice(&word.to_be_bytes());
        }
        v.extend_from_slice(inner);
        v
    };
    let request = lab_request4()?;
    let reply = lab_reply4()?;
    let request6 = lab_request6()?;
    let lab = lab_exchange(at_us(909_480), at_us(909_763))?;
    // IPv4 inside IPv6 (protocol 4 as the IPv6 next header), 2001:db8::a → 2001:db8::b.
    let outer6 = |inner: &[u8]| -> Result<Vec<u8>> {
        let mut v = vec![0x60, 0, 0, 0];
        v.extend_from_slice(&u16::try_from(inner.len())?.to_be_bytes());
        v.extend_from_slice(&[4, TTL]);
        let mut a = CLIENT_V6;
        a[15] = 0xa;
        let mut b = SERVER_V6;
        b[15] = 0xb;
        v.extend_from_slice(&a);
        v.extend_from_slice(&b);
        v.extend_from_slice(inner);
        Ok(eth(EtherType::IPV6, &v))
    };
    pcap(
        DataLink::ETHERNET,
        &[
            Frame::new(at_us(709_480), v4(4, &request)?),
            Frame::new(at_us(709_763), v4(4, &reply)?),
            Frame::new(at_us(809_480), v4(41, &request6)?),
            Frame::new(
                at_us(809_600),
                v4(47, &gre(0x2000, 0x0800, &[7], &request))?,
            ),
            // Checksum (zero here, with its reserved half) and sequence number 1.
            Frame::new(
                at_us(809_700),
                v4(47, &gre(0x9000, 0x86dd, &[0, 1], &request6))?,
            ),
            Frame::new(lab[0].ts, v4(47, &gre(0, 0x6558, &[], &lab[0].data))?),
            Frame::new(lab[1].ts, outer6(&reply)?),
        ],
    )
}

/// Apple PKTAP (link type 258, what macOS `tcpdump -i any` writes): a 108-byte little-endian
/// pktap_header (length, record type 1, the inner DLT, interface name, process 501 `oneway`),
/// then the frame: the lab request on `en0` (DLT 1, Ethernet), the reply on `lo0` (DLT 0, NULL
/// with AF_INET).
fn pktap() -> Result<Vec<u8>> {
    let tapped = |dlt: u32, ifname: &[u8], frame: &[u8]| {
        let mut h = vec![0u8; 108];
        h[0..4].copy_from_slice(&108u32.to_le_bytes());
        h[4..8].copy_from_slice(&1u32.to_le_bytes()); // PTH_TYPE_PACKET
        h[8..12].copy_from_slice(&dlt.to_le_bytes());
        h[12..12 + ifname.len()].copy_from_slice(ifname);
        h[40..44].copy_from_slice(&2u32.to_le_bytes()); // protocol family AF_INET
        h[52..56].copy_from_slice(&501u32.to_le_bytes()); // pid
        h[56..62].copy_from_slice(b"oneway");
        h.extend_from_slice(frame);
        h
    };
    let lab = lab_exchange(at_us(709_480), at_us(709_763))?;
    let mut null = 2u32.to_le_bytes().to_vec();
    null.extend(lab_reply4()?);
    pcap(
        DataLink::PKTAP,
        &[
            Frame::new(lab[0].ts, tapped(1, b"en0", &lab[0].data)),
            Frame::new(lab[1].ts, tapped(0, b"lo0", &null)),
        ],
    )
}

/// pcapng EPBs carrying every standard option (epb_flags inbound/unicast, epb_hash CRC32,
/// epb_dropcount, epb_packetid, epb_queue, epb_verdict eBPF, a comment) and a custom option
/// (PEN 32473), as Wireshark and newer capture tools write them: the lab exchange. Written by
/// hand: the options must not get in the way of the packets.
fn epb_options() -> Result<Vec<u8>> {
    let mut w = pcapng_writer(Endianness::Little)?;
    w.write_pcapng_block(idb(DataLink::ETHERNET, "eth0", None))?;
    let option = |code: u16, value: &[u8]| {
        let mut v = code.to_le_bytes().to_vec();
        v.extend_from_slice(&u16::try_from(value.len()).expect("small").to_le_bytes());
        v.extend_from_slice(value);
        v.resize(v.len().next_multiple_of(4), 0);
        v
    };
    for (i, frame) in lab_exchange(at_us(709_480), at_us(709_763))?
        .iter()
        .enumerate()
    {
        let ts = u64::try_from(frame.ts.as_micros())?;
        let mut body = 0u32.to_le_bytes().to_vec(); // interface 0
        body.extend_from_slice(&u32::try_from(ts >> 32)?.to_le_bytes());
        body.extend_from_slice(&u32::try_from(ts & 0xffff_ffff)?.to_le_bytes());
        body.extend_from_slice(&u32::try_from(frame.data.len())?.to_le_bytes());
        body.extend_from_slice(&frame.orig_len.to_le_bytes());
        body.extend_from_slice(&frame.data);
        body.resize(body.len().next_multiple_of(4), 0);
        body.extend(option(1, format!("frame {} of the lab", i + 1).as_bytes()));
        body.extend(option(2, &0x0000_0005u32.to_le_bytes())); // inbound, unicast
        body.extend(option(3, &[2, 0xde, 0xad, 0xbe, 0xef])); // CRC32 hash
        body.extend(option(4, &0u64.to_le_bytes())); // drop count
        body.extend(option(5, &(i as u64 + 1).to_le_bytes())); // packet id
        body.extend(option(6, &0u32.to_le_bytes())); // queue
        body.extend(option(7, &[2, 1, 0, 0, 0, 0, 0, 0, 0])); // eBPF XDP verdict: pass
        let mut custom = 32473u32.to_le_bytes().to_vec();
        custom.extend_from_slice(b"oneway");
        body.extend(option(2988, &custom));
        body.extend(option(0, &[])); // opt_endofopt
        let len = u32::try_from(12 + body.len())?;
        w.write_raw_block(&RawBlock {
            type_: 6,
            initial_len: len,
            body: Cow::Owned(body),
            trailer_len: len,
        })?;
    }
    Ok(w.into_inner())
}

/// An 802.11 data frame (To DS, LLC/SNAP 0x0800) holding `ip`, as in `ppi` and `radiotap`.
fn wifi_data(ip: &[u8]) -> Vec<u8> {
    let mut v = vec![0x08, 0x01, 0x2c, 0x00]; // data, To DS; duration
    v.extend_from_slice(&[0x02, 0, 0, 0, 0, 0xaa]); // BSSID (the AP)
    v.extend_from_slice(&CLIENT_MAC);
    v.extend_from_slice(&SERVER_MAC);
    v.extend_from_slice(&[0x10, 0x00]); // sequence control
    v.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
    v.extend_from_slice(ip);
    v
}

/// 802.11 with a Prism (wlan-ng) header (link type 119), as old Linux drivers captured: msgcode
/// 0x44 and msglen 144 little-endian, device `wlan0`, ten empty DID items; then the lab request
/// in an 802.11 data frame.
fn prism() -> Result<Vec<u8>> {
    let mut v = 0x44u32.to_le_bytes().to_vec();
    v.extend_from_slice(&144u32.to_le_bytes());
    let mut dev = [0u8; 16];
    dev[..5].copy_from_slice(b"wlan0");
    v.extend_from_slice(&dev);
    for i in 0..10u32 {
        v.extend_from_slice(&((i + 1) << 12 | 0x44).to_le_bytes()); // DID
        v.extend_from_slice(&1u16.to_le_bytes()); // status: no value
        v.extend_from_slice(&4u16.to_le_bytes()); // length
        v.extend_from_slice(&0u32.to_le_bytes());
    }
    v.extend(wifi_data(&lab_request4()?));
    pcap(DataLink::IEEE802_11_PRISM, &[Frame::new(at_us(709_480), v)])
}

/// 802.11 with an AVS header (link type 163): version 0x80211001 and length 64, big-endian,
/// the rest zero; then the lab reply in an 802.11 data frame.
fn avs() -> Result<Vec<u8>> {
    let mut v = 0x8021_1001u32.to_be_bytes().to_vec();
    v.extend_from_slice(&64u32.to_be_bytes());
    v.resize(64, 0);
    v.extend(wifi_data(&lab_reply4()?));
    pcap(DataLink::IEEE802_11_AVS, &[Frame::new(at_us(709_763), v)])
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

/// One end of the lab's exchange over IPv4.
struct End {
    mac: [u8; 6],
    ip: [u8; 4],
    port: u16,
}

const CLIENT: End = End {
    mac: CLIENT_MAC,
    ip: CLIENT_V4,
    port: CLIENT_PORT,
};
const SERVER: End = End {
    mac: SERVER_MAC,
    ip: SERVER_V4,
    port: SERVER_PORT,
};

/// The lab's request and reply at .709480 and .709763, each frame made by
/// `build(from, to, payload)`.
fn lab_exchange_with(build: impl Fn(&End, &End, &[u8]) -> Result<Vec<u8>>) -> Result<[Frame; 2]> {
    Ok([
        Frame::new(at_us(709_480), build(&CLIENT, &SERVER, HELLO)?),
        Frame::new(at_us(709_763), build(&SERVER, &CLIENT, &lab_reply())?),
    ])
}

/// Which packet of [`exchange_and_v6`] is being framed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Request4,
    Reply4,
    Request6,
}

/// A pcap of `link` with the lab's exchange over IPv4 (at .709480 and .709763) and its request
/// over IPv6 (at .809480), each IP packet framed by `frame(which, packet)`.
fn exchange_and_v6(
    link: DataLink,
    frame: impl Fn(Which, Vec<u8>) -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    pcap(
        link,
        &[
            Frame::new(at_us(709_480), frame(Which::Request4, lab_request4()?)?),
            Frame::new(at_us(709_763), frame(Which::Reply4, lab_reply4()?)?),
            Frame::new(at_us(809_480), frame(Which::Request6, lab_request6()?)?),
        ],
    )
}

/// A pcap of `link` with the lab's request over IPv4 (at .709480) and over IPv6 (at .809480),
/// each after a 4-byte link header (`v4`, `v6`).
fn headed_requests(link: DataLink, v4: [u8; 4], v6: [u8; 4]) -> Result<Vec<u8>> {
    let headed = |head: [u8; 4], ip: Vec<u8>| [head.to_vec(), ip].concat();
    pcap(
        link,
        &[
            Frame::new(at_us(709_480), headed(v4, lab_request4()?)),
            Frame::new(at_us(809_480), headed(v6, lab_request6()?)),
        ],
    )
}

/// The lab's request, 10.0.0.1:57314 → 10.0.0.2:12345, as an IPv4 packet.
fn lab_request4() -> Result<Vec<u8>> {
    ip_udp4(CLIENT_V4, SERVER_V4, CLIENT_PORT, SERVER_PORT, HELLO)
}

/// The lab server's reply to it, as an IPv4 packet.
fn lab_reply4() -> Result<Vec<u8>> {
    ip_udp4(SERVER_V4, CLIENT_V4, SERVER_PORT, CLIENT_PORT, &lab_reply())
}

/// The lab's request over IPv6, 2001:db8::1:57314 → 2001:db8::2:12345.
fn lab_request6() -> Result<Vec<u8>> {
    ip_udp6(CLIENT_V6, SERVER_V6, CLIENT_PORT, SERVER_PORT, HELLO)
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
