//! Unit tests of the dissection layer, over literal frames (the lab's) and frames built with
//! etherparse's `PacketBuilder`.

use super::*;
use etherparse::PacketBuilder;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Frame 1 of the lab's capture: 172.19.0.3:57314 → 172.19.0.2:12345 "Hello, UDP server2!".
const LAB_REQUEST: &str = "a6ce18f43a894e2629df0ada08004500002f6506400040117d8cac130003ac130002\
                           dfe23039001b585848656c6c6f2c20554450207365727665723221";
/// Frame 3 of the lab's capture: an ARP request.
const LAB_ARP: &str =
    "a6ce18f43a894e2629df0ada080600010800060400014e2629df0adaac130003000000000000ac130002";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn udp_v4(payload: &[u8]) -> Vec<u8> {
    let b = PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64).udp(57314, 12345);
    let mut v = Vec::new();
    b.write(&mut v, payload).unwrap();
    v
}

fn expect_udp(d: Dissection<'_>) -> Udp<'_> {
    match d {
        Dissection::Udp(u) => u,
        other => panic!("not UDP: {other:?}"),
    }
}

#[test]
fn lab_request() {
    let frame = unhex(LAB_REQUEST);
    let u = expect_udp(dissect(1, &frame));
    assert_eq!(u.src, IpAddr::V4(Ipv4Addr::new(172, 19, 0, 3)));
    assert_eq!(u.dst, IpAddr::V4(Ipv4Addr::new(172, 19, 0, 2)));
    assert_eq!((u.sport, u.dport), (57314, 12345));
    assert_eq!(u.length(), 19);
    assert_eq!(u.payload, b"Hello, UDP server2!");
    assert!(!u.cut && !u.bad_length);
}

#[test]
fn lab_arp() {
    assert_eq!(dissect(1, &unhex(LAB_ARP)), Dissection::Skipped(Skip::Arp));
}

#[test]
fn snaplen_cut_payload_is_partial() {
    let frame = unhex(LAB_REQUEST);
    let cut = &frame[..14 + 20 + 8 + 5];
    let u = expect_udp(dissect(1, cut));
    assert_eq!(u.length(), 19);
    assert_eq!(u.payload, b"Hello");
    assert!(u.cut);
}

#[test]
fn udp_header_cut_is_malformed() {
    let frame = unhex(LAB_REQUEST);
    let d = dissect(1, &frame[..14 + 20 + 4]);
    assert!(matches!(d, Dissection::Malformed(_)), "{d:?}");
}

#[test]
fn ethernet_cut_is_malformed() {
    let d = dissect(1, &[0u8; 10]);
    assert!(
        matches!(&d, Dissection::Malformed(m) if m.contains("Ethernet")),
        "{d:?}"
    );
}

#[test]
fn lying_length_field_is_flagged() {
    let mut ip = udp_v4(b"abc");
    // UDP length field at IP header (20) + 4: claim 200 bytes.
    ip[24..26].copy_from_slice(&200u16.to_be_bytes());
    let u = expect_udp(dissect(101, &ip));
    assert!(u.bad_length);
    assert!(!u.cut);
    assert_eq!(u.length(), 192);
    assert_eq!(u.payload, b"abc");
}

#[test]
fn raw_ip_v4_and_v6() {
    let v4 = udp_v4(b"x");
    let u = expect_udp(dissect(101, &v4));
    assert_eq!(u.payload, b"x");
    let mut v = Vec::new();
    PacketBuilder::ipv6(
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).octets(),
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2).octets(),
        64,
    )
    .udp(1, 2)
    .write(&mut v, b"six")
    .unwrap();
    for link in [101, 229] {
        let u = expect_udp(dissect(link, &v));
        assert_eq!(u.src.to_string(), "2001:db8::1");
        assert_eq!(u.payload, b"six");
    }
}

#[test]
fn vlan_and_qinq() {
    let mut v = Vec::new();
    PacketBuilder::ethernet2([1; 6], [2; 6])
        .double_vlan(
            etherparse::VlanId::try_new(100).unwrap(),
            etherparse::VlanId::try_new(200).unwrap(),
        )
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .udp(5, 6)
        .write(&mut v, b"tagged")
        .unwrap();
    assert_eq!(expect_udp(dissect(1, &v)).payload, b"tagged");
}

#[test]
fn linux_cooked_v1_any_arphrd_and_v2() {
    let ip = udp_v4(b"sll");
    // SLL v1: packet type, ARPHRD 772 (loopback), address length, address, protocol.
    let mut sll = vec![0, 0, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
    sll.extend_from_slice(&ip);
    assert_eq!(expect_udp(dissect(113, &sll)).payload, b"sll");
    // SLL2: protocol, reserved, ifindex, ARPHRD, packet type, address length, address.
    let mut sll2 = vec![
        0x08, 0x00, 0, 0, 0, 0, 0, 1, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    sll2.extend_from_slice(&ip);
    assert_eq!(expect_udp(dissect(276, &sll2)).payload, b"sll");
    assert!(matches!(
        dissect(276, &sll2[..10]),
        Dissection::Malformed(_)
    ));
}

#[test]
fn bsd_loopback_both_byte_orders() {
    let ip = udp_v4(b"lo");
    for header in [[2, 0, 0, 0], [0, 0, 0, 2]] {
        let mut f = header.to_vec();
        f.extend_from_slice(&ip);
        assert_eq!(expect_udp(dissect(0, &f)).payload, b"lo");
    }
    let mut f = vec![0, 0, 0, 2];
    f.extend_from_slice(&ip);
    assert_eq!(expect_udp(dissect(108, &f)).payload, b"lo");
    assert_eq!(
        dissect(0, &[7, 0, 0, 0, 0x45]),
        Dissection::Skipped(Skip::LoopbackFamily(7))
    );
    // A family in the upper 16 bits (IRIX), read as Wireshark does.
    let mut f = vec![0, 0, 2, 0];
    f.extend_from_slice(&ip);
    assert_eq!(expect_udp(dissect(0, &f)).payload, b"lo");
    // The family decides the version, as in tshark (found by tests/difffuzz.rs): IPv4 bytes
    // under AF_INET6 are malformed, not read as IPv4.
    let mut f = vec![24, 0, 0, 0];
    f.extend_from_slice(&ip);
    assert!(matches!(dissect(0, &f), Dissection::Malformed(_)));
    // …but AF_INET takes either version by the packet's nibble, as tshark's IP dissector does
    // (found by tests/difffuzz.rs, seed 1302 batch 1016).
    let mut v6 = Vec::new();
    PacketBuilder::ipv6([0xfe; 16], [0xfd; 16], 64)
        .udp(1, 2)
        .write(&mut v6, b"six under two")
        .unwrap();
    for header in [[2, 0, 0, 0], [0, 0, 0, 2]] {
        let mut f = header.to_vec();
        f.extend_from_slice(&v6);
        assert_eq!(expect_udp(dissect(0, &f)).payload, b"six under two");
    }
}

/// An IPv4 fragment whose total length is 0 (segmentation offload) is read to the frame's end,
/// as an unfragmented one is and as tshark does (found by tests/difffuzz.rs, seed 1302 batches
/// 1344 and 1382): the reassembled datagram has all its bytes.
#[test]
fn ipv4_fragment_of_total_length_0_reads_to_the_frame_end() {
    let inner = udp_v4(b"total length zero");
    let (a, b) = ([192, 0, 2, 1], [192, 0, 2, 2]);
    let udp = &inner[20..];
    let first = ipv4_raw(17, a, b, 7, 0, true, &udp[..16]);
    let mut last = ipv4_raw(17, a, b, 7, 16, false, &udp[16..]);
    last[2..4].copy_from_slice(&[0, 0]);
    let f = fragment(101, &last).expect("a fragment");
    assert_eq!(
        (f.len as usize, f.data.len()),
        (udp.len() - 16, udp.len() - 16)
    );
    let mut r = Reassembler::default();
    assert!(r.add(None, &fragment(101, &first).unwrap()).is_none());
    let whole = r.add(None, &f).expect("reassembled");
    let u = expect_udp(whole.dissect());
    assert_eq!(u.payload, b"total length zero");
}

/// Over IPv6 a UDP length field of 0 is a jumbogram's (RFC 2675): the datagram is all IPv6
/// carries, as tshark reads it (found by tests/difffuzz.rs).
#[test]
fn ipv6_udp_length_0_is_a_jumbogram() {
    let mut v = Vec::new();
    PacketBuilder::ipv6(
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).octets(),
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2).octets(),
        64,
    )
    .udp(1, 2)
    .write(&mut v, b"jumbo")
    .unwrap();
    v[44..46].copy_from_slice(&[0, 0]);
    let u = expect_udp(dissect(101, &v));
    assert_eq!(
        (u.length_field, u.payload, u.bad_length),
        (0, &b"jumbo"[..], false)
    );
    // Over IPv4 it stays a lie: no payload.
    let mut v4 = udp_v4(b"four");
    v4[24..26].copy_from_slice(&[0, 0]);
    assert!(expect_udp(dissect(101, &v4)).payload.is_empty());
}

/// An IPv6 payload length of 0 is a jumbogram's only with a valid Jumbo Payload option in a
/// hop-by-hop header (RFC 2675); a hop-by-hop header without one is invalid, as tshark and
/// tcpdump read it (tests/difffuzz.rs seed 1303 batch 2729). Without a hop-by-hop header the
/// length of 0 stays what segmentation offload leaves: the datagram runs to the frame's end.
#[test]
fn ipv6_payload_length_0_needs_a_jumbo_option_after_a_hop_by_hop_header() {
    let payload = b"jumbo?";
    let mut udp = Vec::new();
    udp.extend(1111u16.to_be_bytes());
    udp.extend(2222u16.to_be_bytes());
    udp.extend((8 + payload.len() as u16).to_be_bytes());
    udp.extend([0, 0]);
    udp.extend(payload);
    let v6 = |next: u8, body: &[u8]| {
        let mut v = vec![0x60, 0, 0, 0, 0, 0, next, 64];
        v.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).octets());
        v.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2).octets());
        v.extend(body);
        v
    };
    let with = |options: [u8; 6]| {
        let mut body = vec![17, 0];
        body.extend(options);
        body.extend(&udp);
        v6(0, &body)
    };
    // A PadN option only: invalid, whichever path reads it.
    let padn = with([1, 4, 0, 0, 0, 0]);
    let d = dissect(101, &padn);
    assert!(
        matches!(&d, Dissection::Malformed(m) if m.contains("Jumbo")),
        "{d:?}"
    );
    // A Jumbo Payload option of 65,535 or less is not a valid one.
    let small = with([0xc2, 4, 0, 0, 0xff, 0xff]);
    let d = dissect(101, &small);
    assert!(matches!(d, Dissection::Malformed(_)), "{d:?}");
    // A valid one: the datagram is read.
    assert_eq!(
        expect_udp(dissect(101, &with([0xc2, 4, 0, 1, 0, 0]))).payload,
        payload
    );
    // No hop-by-hop header: read to the frame's end.
    assert_eq!(expect_udp(dissect(101, &v6(17, &udp))).payload, payload);
}

#[test]
fn other_protocols_are_skipped_by_kind() {
    let mut v = Vec::new();
    PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(1, 2, 0, 100)
        .syn()
        .write(&mut v, &[])
        .unwrap();
    assert_eq!(dissect(101, &v), Dissection::Skipped(Skip::Tcp));
    assert_eq!(dissect(147, &v), Dissection::Skipped(Skip::LinkType(147)));
    let mut lldp = vec![1u8; 12];
    lldp.extend_from_slice(&[0x88, 0xcc, 0, 0]);
    assert_eq!(
        dissect(1, &lldp),
        Dissection::Skipped(Skip::EtherType(0x88cc))
    );
}

/// An atomic IPv6 fragment header (offset 0, M clear) ahead of the fragment header that does
/// fragment is stepped over (RFC 6946), as tshark does, and the datagram reassembles (found by
/// tests/difffuzz.rs, seed 1302 batch 947). A non-atomic one ahead of another still gives up.
#[test]
fn atomic_ipv6_fragment_header_is_stepped_over() {
    let mut udp = Vec::new();
    PacketBuilder::ipv6([1; 16], [2; 16], 64)
        .udp(5, 6)
        .write(&mut udp, b"after an atomic fragment header")
        .unwrap();
    let udp = udp[40..].to_vec();
    let frame = |first_offset_flags: u16, offset: u16, more: bool, body: &[u8]| {
        let mut exts = vec![44, 0];
        exts.extend(first_offset_flags.to_be_bytes());
        exts.extend(0x0a0b_0c0du32.to_be_bytes());
        exts.extend([17, 0]);
        exts.extend((offset | u16::from(more)).to_be_bytes());
        exts.extend(77u32.to_be_bytes());
        exts.extend(body);
        let mut v = vec![0x60, 0, 0, 0];
        v.extend((exts.len() as u16).to_be_bytes());
        v.extend([44, 64]);
        v.extend([1; 16]);
        v.extend([2; 16]);
        v.extend(exts);
        v
    };
    let first = frame(0, 0, true, &udp[..16]);
    let last = frame(0, 16, false, &udp[16..]);
    let mut r = Reassembler::default();
    assert_eq!(dissect(101, &first), Dissection::Skipped(Skip::Fragment));
    assert!(
        r.add(None, &fragment(101, &first).expect("a fragment"))
            .is_none()
    );
    let f = fragment(101, &last).expect("a fragment");
    assert_eq!((f.offset, f.more, f.id, f.proto), (16, false, 77, 17));
    let whole = r.add(None, &f).expect("reassembled");
    let u = expect_udp(whole.dissect());
    assert_eq!(u.payload, b"after an atomic fragment header");
    // The first header fragmenting too (M set): two fragment headers, no reassembly.
    let both = frame(1, 16, false, &udp[16..]);
    assert!(fragment(101, &both).is_none());
}

#[test]
fn fragments_are_recognised() {
    let mut ip = udp_v4(&[0u8; 16]);
    // Set "more fragments" in the IPv4 flags and fix nothing else: a first fragment.
    ip[6] |= 0x20;
    assert_eq!(dissect(101, &ip), Dissection::Skipped(Skip::Fragment));
}

#[test]
fn never_panics_on_prefixes_of_the_lab_frames() {
    for hex in [LAB_REQUEST, LAB_ARP] {
        let frame = unhex(hex);
        for link in [0, 1, 12, 101, 108, 113, 228, 229, 276] {
            for n in 0..=frame.len() {
                let _ = dissect(link, &frame[..n]);
            }
        }
    }
}

/// Every link type read, and one that is not.
const LINK_TYPES: &[LinkType] = &[
    0, 1, 9, 12, 14, 50, 101, 104, 105, 108, 113, 127, 228, 229, 239, 276, 147,
];

#[test]
fn random_and_damaged_frames_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0x0123_4567_89ab_cdef);
    let good = udp_v4(b"Hello, UDP server2!");
    for _ in 0..20_000 {
        let link = LINK_TYPES[(rng.u64(..) % LINK_TYPES.len() as u64) as usize];
        let len = (rng.u64(..) % 96) as usize;
        let mut frame: Vec<u8> = (0..len).map(|_| rng.u64(..) as u8).collect();
        // Half the time: a plausible link header, then a damaged copy of a real IP packet.
        if rng.u64(..).is_multiple_of(2) {
            frame.truncate(len % 24);
            frame.extend_from_slice(&good);
            for _ in 0..3 {
                let at = (rng.u64(..) as usize) % frame.len();
                frame[at] = rng.u64(..) as u8;
            }
            let keep = (rng.u64(..) as usize) % (frame.len() + 1);
            frame.truncate(keep);
        }
        let _ = dissect(link, &frame);
        let _ = fragment(link, &frame);
    }
}

#[test]
fn hostile_fragments_stay_within_bounds() {
    let limits = Limits {
        max_entries: 64,
        max_bytes: 64 * 1024,
        max_age: std::time::Duration::from_secs(60),
    };
    let mut r = Reassembler::new(limits);
    let mut rng = fastrand::Rng::with_seed(42);
    let data = vec![0x55u8; 1480];
    let mut frames = 0u64;
    for i in 0..50_000u64 {
        let len = 8 * (1 + (rng.u64(..) % 185) as usize);
        let f = Fragment {
            src: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            dst: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
            id: (rng.u64(..) % 1000) as u32,
            proto: 17,
            offset: 8 * (rng.u64(..) % 8192) as u32,
            more: !rng.u64(..).is_multiple_of(4),
            len: len as u32,
            data: std::borrow::Cow::Borrowed(&data[..len]),
        };
        let time = std::time::Duration::from_millis(i);
        let _ = r.add(Some(time), &f);
        frames += 1;
        assert!(r.pending() <= limits.max_entries);
        assert!(r.held_bytes() <= limits.max_bytes);
    }
    r.finish();
    // Every fragment frame is accounted for once (or is the last one of a datagram, listed).
    let counted: u64 = r.take_counts().iter().map(|(_, n)| n).sum();
    assert!(counted <= frames);
    assert_eq!((r.pending(), r.held_bytes()), (0, 0));
}

#[test]
fn ipv4_authentication_header_before_udp() {
    let udp = udp_v4(b"behind AH");
    // IPv4 header with protocol 51, then AH (next header UDP, length 4: 24 bytes), then UDP.
    let mut ip = udp[..20].to_vec();
    ip[9] = 51;
    let total = u16::try_from(udp.len() + 24).unwrap();
    ip[2..4].copy_from_slice(&total.to_be_bytes());
    let mut ah = vec![17, 4, 0, 0];
    ah.extend_from_slice(&0x100u32.to_be_bytes());
    ah.extend_from_slice(&1u32.to_be_bytes());
    ah.extend_from_slice(&[0xa5; 12]);
    ip.extend(ah);
    ip.extend_from_slice(&udp[20..]);
    let u = expect_udp(dissect(101, &ip));
    assert_eq!(u.payload, b"behind AH");
    assert_eq!((u.sport, u.dport), (57314, 12345));
}

/// libpcap puts the VLAN tag the kernel took off back into cooked captures: protocol 0x8100,
/// then the tag, then the inner Ethertype.
#[test]
fn cooked_capture_with_a_vlan_tag() {
    let ip = udp_v4(b"tagged");
    let mut frame = vec![
        0x81, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 10, 0, 0, 1, 0, 0,
    ];
    frame.extend_from_slice(&[0x00, 0x64, 0x08, 0x00]); // VLAN 100, then IPv4
    frame.extend_from_slice(&ip);
    let u = expect_udp(dissect(LINKTYPE_LINUX_SLL2, &frame));
    assert_eq!(u.payload, b"tagged");
}

/// An IPv4 packet by hand (header checksum left 0: nothing here checks it); `offset` in bytes.
fn ipv4_raw(
    proto: u8,
    src: [u8; 4],
    dst: [u8; 4],
    id: u16,
    offset: u16,
    more: bool,
    body: &[u8],
) -> Vec<u8> {
    let total = (20 + body.len()) as u16;
    let flags = (offset / 8) | if more { 0x2000 } else { 0 };
    let mut h = vec![0x45, 0];
    h.extend(total.to_be_bytes());
    h.extend(id.to_be_bytes());
    h.extend(flags.to_be_bytes());
    h.extend([64, proto, 0, 0]);
    h.extend(src);
    h.extend(dst);
    h.extend(body);
    h
}

/// IP-in-IP whose outer packet was fragmented: once reassembled, the tunnel is stepped into as
/// for a packet that was not (it was "IP protocol 4", no datagram).
#[test]
fn a_tunnel_inside_fragments_is_followed_after_reassembly() {
    let inner = udp_v4(b"through a fragmented tunnel");
    let (a, b) = ([192, 0, 2, 1], [192, 0, 2, 2]);
    let first = ipv4_raw(4, a, b, 9, 0, true, &inner[..24]);
    let last = ipv4_raw(4, a, b, 9, 24, false, &inner[24..]);
    let mut r = Reassembler::default();
    for (i, frame) in [first, last].iter().enumerate() {
        assert_eq!(dissect(101, frame), Dissection::Skipped(Skip::Fragment));
        let f = fragment(101, frame).unwrap_or_else(|| panic!("frame {i} is a fragment"));
        if let Some(whole) = r.add(None, &f) {
            let u = expect_udp(whole.dissect());
            assert_eq!(u.src, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
            assert_eq!(u.payload, b"through a fragmented tunnel");
            return;
        }
    }
    panic!("never reassembled");
}

/// PKTAP wrapping PPI wrapping PKTAP…: a crafted frame 10,000 headers deep is malformed, and
/// dissecting it neither recurses 10,000 times nor overflows the stack.
#[test]
fn link_headers_nested_without_end_are_malformed() {
    let mut frame = Vec::new();
    for _ in 0..5_000 {
        frame.extend(12u32.to_le_bytes()); // PKTAP: its length, packet, then PPI
        frame.extend(1u32.to_le_bytes());
        frame.extend(192u32.to_le_bytes());
        frame.extend([0, 0]); // PPI: version, flags, its length, then PKTAP
        frame.extend(8u16.to_le_bytes());
        frame.extend(258u32.to_le_bytes());
    }
    frame.extend(udp_v4(b"x"));
    // A thread with a small stack: recursing once per header would overflow it.
    let d = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || format!("{:?}", dissect(258, &frame)))
        .expect("thread")
        .join()
        .expect("no overflow");
    assert!(d.contains("nested more than"), "{d}");
    // Within the bound, it is read.
    let mut frame = Vec::new();
    frame.extend(12u32.to_le_bytes());
    frame.extend(1u32.to_le_bytes());
    frame.extend(192u32.to_le_bytes());
    frame.extend([0, 0]);
    frame.extend(8u16.to_le_bytes());
    frame.extend(101u32.to_le_bytes());
    frame.extend(udp_v4(b"x"));
    assert_eq!(expect_udp(dissect(258, &frame)).payload, b"x");
}
