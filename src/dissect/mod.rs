//! From a frame's bytes to what it carried: a UDP datagram, a frame of another kind, or damage.
//!
//! Pure functions over byte slices: no I/O, no state, no allocation on the UDP path. Link layers
//! that etherparse does not slice are unwrapped here by hand and handed to etherparse at the
//! network layer. Parsing is lax: a frame cut by the snaplen still yields its addresses, ports and
//! the part of the payload that was captured. Only the outermost UDP header of a frame counts:
//! nothing inside VXLAN, GTP-U, Teredo or any other UDP tunnel, nothing quoted in an ICMP error;
//! but IP-in-IP (4, 41) and GRE (47) are stepped into, as their inner UDP is the first one.
//! IP fragments are handed to the bounded [`Reassembler`] (the only state, held by the caller).
//!
//! Link types read (LINKTYPE_* numbers of the pcap/pcapng specifications):
//!
//! | link type | what | notes |
//! |---|---|---|
//! | 1 | Ethernet | 802.1Q, 802.1ad/QinQ tags; MPLS (0x8847/0x8848) label stacks; PPPoE sessions (0x8864) |
//! | 0, 108 | BSD loopback NULL (host byte order), LOOP (network order) | AF_INET, AF_INET6 (10, 24, 28, 30); NULL carrying an Ethertype |
//! | 9, 50, 166 | PPP, PPP in HDLC-like framing, PPP as pppd logs it | protocols 0x0021, 0x0057; field compression |
//! | 51 | PPPoE | session header, then PPP |
//! | 101, 12, 14, 228, 229 | raw IP | version nibble decides (101, 12, 14) |
//! | 104 | Cisco HDLC | |
//! | 105, 127, 192, 119, 163 | 802.11, with radiotap, PPI, Prism or AVS headers | data frames with LLC/SNAP; management, control, null and protected frames counted |
//! | 113, 276 | Linux cooked SLL and SLL2 | any ARPHRD (loopback, tun, PPP…) |
//! | 117 | OpenBSD pflog | |
//! | 258 | Apple PKTAP (macOS `tcpdump -i any`) | the inner DLT from its header |
//! | 239 | Linux NFLOG | the NFULA_PAYLOAD TLV, either byte order |
//!
//! Any other link type is counted by number ([`Skip::LinkType`]), never silently dropped.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use etherparse::{
    EtherType, IpNumber, Ipv6ExtensionsSlice, LaxNetSlice, LaxSlicedPacket, TransportSlice,
};

use crate::capture::LinkType;
use crate::i18n::tr;

pub mod contrast;
mod fast;
mod reassemble;
pub use reassemble::{Fragment, Limits, Reassembler, Whole};

/// One end of a UDP (or TCP) exchange: an address and a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Endpoint {
    /// IP address.
    pub addr: IpAddr,
    /// UDP port.
    pub port: u16,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr {
            IpAddr::V4(a) => write!(f, "{a}:{}", self.port),
            IpAddr::V6(a) => write!(f, "[{a}]:{}", self.port),
        }
    }
}

/// A UDP datagram found in a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Udp<'a> {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// The UDP header's length field (header included).
    pub length_field: u16,
    /// The payload bytes that were captured.
    pub payload: &'a [u8],
    /// The capture's snaplen cut the payload: `payload` is shorter than the datagram.
    pub cut: bool,
    /// The length field disagrees with the IP layer (smaller than 8, or larger than what IP
    /// carries): shown, not trusted.
    pub bad_length: bool,
}

impl Udp<'_> {
    /// Payload length according to the UDP header (length field − 8), as tshark's `udp.length`
    /// minus the header.
    pub fn length(&self) -> u16 {
        self.length_field.saturating_sub(8)
    }
}

/// A frame that is not a UDP datagram, by kind (counted in the summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// ARP request or reply.
    Arp,
    /// TCP segment.
    Tcp,
    /// ICMP (IPv4).
    Icmp,
    /// ICMPv6.
    Icmpv6,
    /// IGMP.
    Igmp,
    /// Another IP protocol.
    IpProto(u8),
    /// An IP fragment whose datagram could not be reassembled (given up, expired, inconsistent,
    /// cut, or incomplete at the end of the capture).
    Fragment,
    /// An IP fragment of a datagram reassembled and reported at a later frame.
    FragmentReassembled,
    /// An Ethernet payload that is not IP or ARP.
    EtherType(u16),
    /// A BSD loopback (NULL/LOOP) frame of an address family that is not IP.
    LoopbackFamily(u32),
    /// A PPP frame of a protocol that is not IP.
    PppProtocol(u16),
    /// An 802.11 frame that carries no IP packet: management, control, null data, encrypted.
    Wifi(&'static str),
    /// A link type that oneway does not read.
    LinkType(LinkType),
    /// A capture record that is not a packet (a pcapng custom block…), by what it is.
    NotAPacket(&'static str),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::Arp => f.write_str("ARP"),
            Skip::Tcp => f.write_str("TCP"),
            Skip::Icmp => f.write_str("ICMP"),
            Skip::Icmpv6 => f.write_str("ICMPv6"),
            Skip::Igmp => f.write_str("IGMP"),
            Skip::IpProto(p) => write!(f, "IP protocol {p}"),
            Skip::Fragment => f.write_str("IP fragment not reassembled"),
            Skip::FragmentReassembled => f.write_str("IP fragment of a later reassembled datagram"),
            Skip::EtherType(t) => write!(f, "EtherType 0x{t:04x}"),
            Skip::LoopbackFamily(a) => write!(f, "loopback address family {a}"),
            Skip::PppProtocol(p) => write!(f, "PPP protocol 0x{p:04x}"),
            Skip::Wifi(what) => write!(f, "802.11 {what}"),
            Skip::NotAPacket(what) => f.write_str(what),
            Skip::LinkType(l) => write!(f, "link type {l} (unsupported)"),
        }
    }
}

/// What a frame carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dissection<'a> {
    /// A UDP datagram (the outermost one).
    Udp(Udp<'a>),
    /// Something else, by kind.
    Skipped(Skip),
    /// The frame is damaged or cut before its UDP header could be read.
    Malformed(String),
}

/// Linux cooked capture v1 (LINKTYPE_LINUX_SLL): 16-byte header, protocol in the last 2 bytes.
pub const LINKTYPE_LINUX_SLL: LinkType = 113;
/// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2): 20-byte header, protocol in the first 2 bytes.
pub const LINKTYPE_LINUX_SLL2: LinkType = 276;

/// Dissects one frame of the given link type. An IP fragment is
/// [`Skip::Fragment`] here; [`fragment`] gives it to a [`Reassembler`].
pub fn dissect(link: LinkType, data: &[u8]) -> Dissection<'_> {
    if let Some(udp) = fast::lean(link, data) {
        return Dissection::Udp(udp);
    }
    // A fragment of the lean shape: known without slicing it twice more.
    if fast::lean_fragment(link, data).is_some() {
        return Dissection::Skipped(Skip::Fragment);
    }
    match fast::strict(link, data) {
        Some(udp) => Dissection::Udp(udp),
        None => general(link, data),
    }
}

/// [`dissect`] without the fast path.
fn general(link: LinkType, data: &[u8]) -> Dissection<'_> {
    match network(link, data) {
        Ok(p) => from_sliced(&p),
        Err(d) => d,
    }
}

/// The IP fragment a frame carries, if it is one (for a [`Reassembler`]).
pub fn fragment(link: LinkType, data: &[u8]) -> Option<Fragment<'_>> {
    fast::lean_fragment(link, data).or_else(|| fragment_of(&network(link, data).ok()?))
}

/// The fragment of a sliced frame, if it is one.
fn fragment_of<'a>(p: &LaxSlicedPacket<'a>) -> Option<Fragment<'a>> {
    match &p.net {
        Some(LaxNetSlice::Ipv4(ip))
            if ip.payload().fragmented && bogus_total_length(&ip.header()).is_none() =>
        {
            let h = ip.header();
            Some(Fragment {
                src: IpAddr::V4(h.source_addr()),
                dst: IpAddr::V4(h.destination_addr()),
                id: u32::from(h.identification()),
                proto: h.protocol().0,
                offset: u32::from(h.fragments_offset().value()) * 8,
                more: h.more_fragments(),
                // A total length of 0 (segmentation offload) reads to the frame's end, as for
                // an unfragmented packet and as tshark does (found by tests/difffuzz.rs).
                len: match h.total_len() {
                    0 => ip.payload().payload.len() as u32,
                    total => u32::from(total).saturating_sub(h.slice().len() as u32),
                },
                data: Cow::Borrowed(ip.payload().payload),
            })
        }
        Some(LaxNetSlice::Ipv6(ip)) if ip.payload().fragmented => {
            let h = ip.header();
            ipv6_fragment(
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                h.payload_length(),
                ip,
            )
        }
        _ => None,
    }
}

/// PPP protocol numbers of IPv4 and IPv6.
const PPP_IPV4: u16 = 0x0021;
const PPP_IPV6: u16 = 0x0057;

/// The frame sliced from its network layer on — past the link layer and any IP-in-IP or GRE
/// tunnel — or what it is instead.
pub(super) fn network(link: LinkType, data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    through_tunnels(link_layer(link, data)?, 0)
}

/// How many IP-in-IP or GRE layers are followed before giving up (a hostile frame could nest
/// thousands).
const MAX_TUNNELS: usize = 8;

/// Steps into IP-in-IP (IPv4 or IPv6 in IPv4 or IPv6: protocols 4 and 41) and GRE (47): the
/// outermost UDP header may be inside. Fragmented outer packets are left for reassembly.
fn through_tunnels(
    p: LaxSlicedPacket<'_>,
    depth: usize,
) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    let payload = match &p.net {
        Some(LaxNetSlice::Ipv4(ip)) => ip.payload(),
        Some(LaxNetSlice::Ipv6(ip)) => ip.payload(),
        _ => return Ok(p),
    };
    if payload.fragmented || depth >= MAX_TUNNELS {
        return Ok(p);
    }
    let inner = match payload.ip_number.0 {
        4 | 41 => match LaxSlicedPacket::from_ip(payload.payload) {
            Ok(inner) => inner,
            // An inner header too damaged to read: report the outer packet as it is.
            Err(_) => return Ok(p),
        },
        47 => match gre(payload.payload) {
            Some(Ok(inner)) => inner,
            Some(Err(d)) => return Err(d),
            None => return Ok(p),
        },
        _ => return Ok(p),
    };
    through_tunnels(inner, depth + 1)
}

/// A GRE packet (version 0): the optional checksum, key and sequence number fields, then a
/// payload of the Ethertype it names. `None`: not a GRE header read here (version 1, cut).
fn gre(data: &[u8]) -> Option<Result<LaxSlicedPacket<'_>, Dissection<'_>>> {
    let h = data.get(..4)?;
    let flags = u16::from_be_bytes([h[0], h[1]]);
    if flags & 0x0007 != 0 {
        return None;
    }
    let optional = [0x8000u16, 0x2000, 0x1000]
        .iter()
        .filter(|bit| flags & **bit != 0)
        .count();
    let rest = data.get(4 + 4 * optional..)?;
    Some(match u16::from_be_bytes([h[2], h[3]]) {
        // Transparent Ethernet bridging: a whole Ethernet frame.
        0x6558 => ethernet(rest),
        t => from_ether_type(t, rest),
    })
}

/// Unwraps the link layer: the frame sliced from its network layer on, or what it is instead.
fn link_layer(link: LinkType, data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    nested_link_layer(link, data, 0)
}

/// How many link-layer headers that name another (PKTAP, PPI) may wrap one another. Each names a
/// link type other than its own, but PKTAP may wrap PPI, which wraps PKTAP…: without a bound a
/// crafted frame could recurse once every 8 bytes.
const MAX_LINK_NESTING: usize = 4;

/// [`link_layer`] under `depth` wrapping headers.
fn nested_link_layer(
    link: LinkType,
    data: &[u8],
    depth: usize,
) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    let nested = |link: LinkType, rest| {
        if depth >= MAX_LINK_NESTING {
            Err(Dissection::Malformed(tr!(
                "why-link-nesting",
                max = MAX_LINK_NESTING
            )))
        } else {
            nested_link_layer(link, rest, depth + 1)
        }
    };
    match link {
        // Ethernet
        1 => ethernet(data),
        // Raw IP: LINKTYPE_RAW, the DLT_RAW values of other systems, LINKTYPE_IPV4/IPV6
        101 | 12 | 14 | 228 | 229 => from_ip(data),
        LINKTYPE_LINUX_SLL => match data.get(..16) {
            Some(h) => from_ether_type(u16::from_be_bytes([h[14], h[15]]), &data[16..]),
            None => Err(short("Linux cooked (SLL) header", 16, data.len())),
        },
        LINKTYPE_LINUX_SLL2 => match data.get(..20) {
            Some(h) => from_ether_type(u16::from_be_bytes([h[0], h[1]]), &data[20..]),
            None => Err(short("Linux cooked (SLL2) header", 20, data.len())),
        },
        // BSD loopback: the address family in host byte order (NULL) or big-endian (LOOP).
        0 | 108 => match data.get(..4) {
            Some(h) => {
                let h = [h[0], h[1], h[2], h[3]];
                let family = if link == 108 {
                    u32::from_be_bytes(h)
                } else {
                    // The writer's byte order is unknown: a family is a small number. As
                    // Wireshark reads it (found by tests/difffuzz.rs): upper 16 bits set mean
                    // the other byte order, unless the family sits in them (IRIX and UNICOS
                    // write a 16-bit one first: top byte 0, next below 6).
                    let le = u32::from_le_bytes(h);
                    if le & 0xffff_0000 == 0 {
                        le
                    } else if le & 0xff00_0000 == 0 && le & 0x00ff_0000 < 0x0006_0000 {
                        le >> 16
                    } else {
                        le.swap_bytes()
                    }
                };
                match family {
                    // AF_INET everywhere; AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS. As
                    // in tshark, AF_INET hands the packet to the IP dissector, which reads either
                    // version by its nibble (found by tests/difffuzz.rs), while the AF_INET6
                    // families take IPv6 only: IPv4 there is bogus.
                    2 => from_ip(&data[4..]),
                    10 | 24 | 28 | 30 => from_ip_version(&data[4..], 6),
                    // Some systems put an Ethertype there instead (Wireshark reads any number
                    // past 1500 so).
                    1501..=0xffff => from_ether_type(family as u16, &data[4..]),
                    other => Err(Dissection::Skipped(Skip::LoopbackFamily(other))),
                }
            }
            None => Err(short("loopback (NULL) header", 4, data.len())),
        },
        // PPP, with or without the HDLC-like address and control bytes (9), PPP in HDLC-like
        // framing (50).
        9 | 50 => ppp(data),
        // PPPoE: a PPPoE session header first.
        51 => pppoe(data),
        // PPP as pppd logs it: a direction byte (0 in, 1 out) where HDLC has 0xff.
        166 => match data {
            [0 | 1, 0x03, rest @ ..] => ppp_protocol(rest),
            _ => ppp_protocol(data.get(1..).unwrap_or_default()),
        },
        // OpenBSD pflog: the header's first byte is its length (padded to 4), the second the
        // address family.
        117 => match data {
            [len, family, ..] => {
                let header = (usize::from(*len) + 3) & !3;
                match (family, data.get(header..)) {
                    (2 | 10 | 24 | 28 | 30, Some(rest)) => from_ip(rest),
                    (2 | 10 | 24 | 28 | 30, None) => Err(short("pflog header", header, data.len())),
                    (other, _) => Err(Dissection::Skipped(Skip::LoopbackFamily(u32::from(*other)))),
                }
            }
            _ => Err(short("pflog header", 2, data.len())),
        },
        // Apple PKTAP (macOS `tcpdump -i any`, `-k`): a little-endian header of its own length,
        // record type 1 (packet), then a frame of the DLT it names (never PKTAP again).
        258 => match data.get(..12) {
            Some(h) => {
                let le = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
                let (len, kind, dlt) = (le(0) as usize, le(4), le(8));
                match (data.get(len..), LinkType::try_from(dlt)) {
                    (Some(rest), Ok(link)) if len >= 12 && kind == 1 && link != 258 => {
                        nested(link, rest)
                    }
                    (None, _) => Err(short("PKTAP header", len, data.len())),
                    _ => Err(Dissection::Skipped(Skip::LinkType(258))),
                }
            }
            None => Err(short("PKTAP header", 12, data.len())),
        },
        // PPI (per-packet information): a header of its own length, then a frame of the link
        // type it names (never PPI again).
        192 => match data.get(..8) {
            Some(h) => {
                let len = usize::from(u16::from_le_bytes([h[2], h[3]]));
                let inner = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
                match (data.get(len..), LinkType::try_from(inner)) {
                    (Some(rest), Ok(link)) if len >= 8 && link != 192 => nested(link, rest),
                    (None, _) => Err(short("PPI header", len, data.len())),
                    _ => Err(Dissection::Skipped(Skip::LinkType(192))),
                }
            }
            None => Err(short("PPI header", 8, data.len())),
        },
        // Cisco HDLC: address, control, then an Ethertype.
        104 => match data.get(..4) {
            Some(h) => from_ether_type(u16::from_be_bytes([h[2], h[3]]), &data[4..]),
            None => Err(short("Cisco HDLC header", 4, data.len())),
        },
        // 802.11, bare (105) or after a radiotap header (127).
        105 => wifi(data),
        127 => match data.get(..4) {
            Some(h) => {
                let len = usize::from(u16::from_le_bytes([h[2], h[3]]));
                match data.get(len..) {
                    Some(rest) if len >= 8 => wifi(rest),
                    _ => Err(short("radiotap header", len.max(8), data.len())),
                }
            }
            None => Err(short("radiotap header", 8, data.len())),
        },
        // 802.11 after a Prism (wlan-ng) or AVS header: both say their own length.
        119 | 163 => match data.get(..8) {
            Some(h) => {
                let be = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
                let avs = be == 0x8021_1000 || be == 0x8021_1001;
                let len = if avs {
                    u32::from_be_bytes([h[4], h[5], h[6], h[7]])
                } else {
                    // Prism: msgcode and msglen in the capturing host's byte order.
                    let le = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
                    if le <= 0xffff {
                        le
                    } else {
                        u32::from_be_bytes([h[4], h[5], h[6], h[7]])
                    }
                } as usize;
                match data.get(len..) {
                    Some(rest) if len >= 8 => wifi(rest),
                    _ => Err(short(
                        if avs { "AVS header" } else { "Prism header" },
                        len.max(8),
                        data.len(),
                    )),
                }
            }
            None => Err(short("Prism/AVS header", 8, data.len())),
        },
        // Linux netfilter NFLOG.
        239 => nflog(data),
        other => Err(Dissection::Skipped(Skip::LinkType(other))),
    }
}

/// Ethernet (with any VLAN tags, which etherparse reads), then MPLS or PPPoE session by hand.
fn ethernet(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    let p = LaxSlicedPacket::from_ethernet(data)
        .map_err(|e| Dissection::Malformed(tr!("why-ethernet", error = e.to_string())))?;
    if p.net.is_some() {
        return Ok(p);
    }
    let Some(payload) = p.ether_payload() else {
        return Ok(p);
    };
    match payload.ether_type.0 {
        0x8847 | 0x8848 => mpls(payload.payload),
        0x8864 => pppoe(payload.payload),
        _ => Ok(p),
    }
}

/// An MPLS label stack: 4 bytes a label until the bottom-of-stack bit, then IP by its version.
fn mpls(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    let mut at = 0;
    loop {
        let Some(label) = data.get(at..at + 4) else {
            return Err(short("MPLS label stack", at + 4, data.len()));
        };
        at += 4;
        if label[2] & 1 == 1 {
            break;
        }
    }
    let rest = &data[at..];
    match rest.first().map(|b| b >> 4) {
        Some(4 | 6) => from_ip(rest),
        _ => Err(Dissection::Skipped(Skip::EtherType(0x8847))),
    }
}

/// A PPPoE session header (6 bytes), then PPP.
fn pppoe(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    match data.get(6..) {
        Some(rest) => ppp_protocol(rest),
        None => Err(short("PPPoE header", 6, data.len())),
    }
}

/// PPP with the optional 0xff 0x03 address and control bytes.
fn ppp(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    match data {
        [0xff, 0x03, rest @ ..] => ppp_protocol(rest),
        _ => ppp_protocol(data),
    }
}

/// A PPP protocol field (1 byte when compressed: its low bit is set), then its payload.
fn ppp_protocol(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    let (protocol, rest) = match data {
        [b, rest @ ..] if b & 1 == 1 => (u16::from(*b), rest),
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]), rest),
        _ => return Err(short("PPP protocol field", 2, data.len())),
    };
    match protocol {
        PPP_IPV4 | PPP_IPV6 => from_ip(rest),
        other => Err(Dissection::Skipped(Skip::PppProtocol(other))),
    }
}

/// An 802.11 frame: data frames with an LLC/SNAP header carry an Ethertype.
fn wifi(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    let Some(fc) = data.get(..2) else {
        return Err(short("802.11 header", 24, data.len()));
    };
    let (kind, subtype, flags) = ((fc[0] >> 2) & 3, fc[0] >> 4, fc[1]);
    if kind != 2 {
        return Err(Dissection::Skipped(Skip::Wifi(if kind == 0 {
            "management"
        } else {
            "control"
        })));
    }
    if subtype & 0x4 != 0 {
        return Err(Dissection::Skipped(Skip::Wifi("null data")));
    }
    if flags & 0x40 != 0 {
        return Err(Dissection::Skipped(Skip::Wifi(
            "protected (encrypted) data",
        )));
    }
    let mut len = 24;
    if flags & 0x03 == 0x03 {
        len += 6; // a fourth address
    }
    if subtype & 0x8 != 0 {
        len += 2; // QoS control
        if flags & 0x80 != 0 {
            len += 4; // HT control
        }
    }
    let Some(body) = data.get(len..) else {
        return Err(short("802.11 header", len, data.len()));
    };
    match body {
        [0xaa, 0xaa, 0x03, _, _, _, t0, t1, rest @ ..] => {
            from_ether_type(u16::from_be_bytes([*t0, *t1]), rest)
        }
        _ => Err(Dissection::Skipped(Skip::Wifi("data without LLC/SNAP"))),
    }
}

/// NFLOG: a 4-byte header, then TLVs (length and type in the capturing host's byte order,
/// length including the 4-byte TLV header, padded to 4); the packet is NFULA_PAYLOAD (9).
fn nflog(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    let Some(mut rest) = data.get(4..) else {
        return Err(short("NFLOG header", 4, data.len()));
    };
    // The byte order: the one in which the first TLV's length fits.
    let le = match rest.get(..2) {
        Some(l) => {
            let n = usize::from(u16::from_le_bytes([l[0], l[1]]));
            (4..=rest.len()).contains(&n)
        }
        None => true,
    };
    let read = |b: &[u8]| {
        if le {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        }
    };
    while let Some(h) = rest.get(..4) {
        let len = usize::from(read(&h[..2]));
        let kind = read(&h[2..4]) & 0x7fff;
        if len < 4 {
            break;
        }
        let value = rest.get(4..len).unwrap_or(&rest[4..]);
        if kind == 9 {
            return from_ip(value);
        }
        match rest.get(len.next_multiple_of(4)..) {
            Some(r) => rest = r,
            None => break,
        }
    }
    Err(Dissection::Malformed(
        tr!("why-nflog-no-packet").into_owned(),
    ))
}

fn short(what: &str, needed: usize, got: usize) -> Dissection<'static> {
    Dissection::Malformed(tr!(
        "why-header-cut",
        what = what,
        needed = needed,
        got = got
    ))
}

fn from_ether_type(ether_type: u16, payload: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    match ether_type {
        0x8847 | 0x8848 => mpls(payload),
        0x8864 => pppoe(payload),
        t => Ok(LaxSlicedPacket::from_ether_type(EtherType(t), payload)),
    }
}

/// [`from_ip`] where the layer below named the version.
fn from_ip_version(data: &[u8], version: u8) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    match data.first().map(|b| b >> 4) {
        Some(v) if v != version => Err(Dissection::Malformed(tr!(
            "why-ip-version",
            named = version,
            found = v
        ))),
        _ => from_ip(data),
    }
}

fn from_ip(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Dissection<'_>> {
    LaxSlicedPacket::from_ip(data)
        .map_err(|e| Dissection::Malformed(tr!("why-ip-header", error = e.to_string())))
}

/// An IPv4 header whose total length is below its own header length: nothing it carries can be
/// trusted (tshark: "Bogus IP length", no layer above). A total length of 0 is not bogus: it is
/// what TCP/UDP segmentation offload leaves, and tshark reads such a packet to the frame's end.
fn bogus_total_length(h: &etherparse::Ipv4HeaderSlice<'_>) -> Option<String> {
    let (total, header) = (h.total_len(), h.slice().len());
    (total != 0 && usize::from(total) < header)
        .then(|| tr!("why-ipv4-total-length", total = total, header = header))
}

/// A first fragment (offset 0) cut short by the snaplen, or whose IP length claims more than
/// was captured, cannot be reassembled: what it holds is read as a cut datagram, as tshark does
/// (it dissects such a first fragment's UDP header).
fn cut_first_fragment<'a>(p: &LaxSlicedPacket<'a>) -> Option<Dissection<'a>> {
    let f = fragment_of(p)?;
    let Cow::Borrowed(data) = f.data else {
        return None;
    };
    (f.src.is_ipv4() && f.offset == 0 && data.len() < f.len as usize)
        .then(|| from_ip_payload(f.src, f.dst, f.proto, data, true))
}

/// What tshark finds broken in IPv6 extension headers that oneway otherwise steps over by their
/// lengths: an option of a hop-by-hop or destination options header that runs past the bytes
/// captured (`tail`: how many follow the extension headers). tshark stops there ("Malformed
/// Packet"), and so does oneway (found by tests/difffuzz.rs); an option that only runs past its
/// own header is read on by both. And a payload length of 0 with a hop-by-hop header that holds
/// no valid Jumbo Payload option (RFC 2675: type 0xC2, 4 bytes, more than 65,535): tshark and
/// tcpdump call it invalid, a receiver discards it (a payload length of 0 without a hop-by-hop
/// header stays what segmentation offload leaves, read to the frame's end).
pub(crate) fn broken_ipv6_extension(
    payload_length: u16,
    exts: &Ipv6ExtensionsSlice<'_>,
    tail: usize,
) -> Option<String> {
    // Walked here, bounds checked: etherparse's iterator reads past the slice when a chain ends
    // in an extension header it did not include (found by tests/difffuzz.rs).
    let mut next = exts.first_header()?.0;
    let mut rest = exts.slice();
    let mut first = true;
    loop {
        let len = match next {
            0 | 43 | 60 => (usize::from(*rest.get(1)?) + 1) * 8,
            44 => 8,
            51 => (usize::from(*rest.get(1)?) + 2) * 4,
            _ => return None,
        };
        let b = rest.get(..len)?;
        if matches!(next, 0 | 60) {
            let captured = rest.len() + tail;
            let mut jumbo = false;
            let mut at = 2;
            while at < b.len() {
                if b[at] == 0 {
                    at += 1; // Pad1
                    continue;
                }
                let olen = rest.get(at + 1).map_or(0, |l| usize::from(*l));
                jumbo |= b[at] == 0xc2
                    && olen == 4
                    && rest
                        .get(at + 2..at + 6)
                        .is_some_and(|v| u32::from_be_bytes([v[0], v[1], v[2], v[3]]) > 65_535);
                at += 2 + olen;
                if at > captured {
                    return Some(tr!("why-ipv6-option", length = olen));
                }
            }
            if first && next == 0 && payload_length == 0 && !jumbo {
                return Some(tr!("why-ipv6-jumbo").into_owned());
            }
        }
        first = false;
        next = b[0];
        rest = &rest[len..];
    }
}

fn from_sliced<'a>(p: &LaxSlicedPacket<'a>) -> Dissection<'a> {
    let (src, dst, ip_payload) = match &p.net {
        Some(LaxNetSlice::Arp(_)) => return Dissection::Skipped(Skip::Arp),
        Some(LaxNetSlice::Ipv4(ip)) => {
            let h = ip.header();
            let (src, dst) = (
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
            );
            if let Some(why) = bogus_total_length(&h) {
                return Dissection::Malformed(why);
            }
            if let Some(d) = cut_first_fragment(p) {
                return d;
            }
            if ip.payload().fragmented {
                return Dissection::Skipped(Skip::Fragment);
            }
            (src, dst, ip.payload())
        }
        Some(LaxNetSlice::Ipv6(ip)) => {
            let h = ip.header();
            let (src, dst) = (
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
            );
            if let Some(why) = broken_ipv6_extension(
                h.payload_length(),
                ip.extensions(),
                ip.payload().payload.len(),
            ) {
                return Dissection::Malformed(why);
            }
            if let Some(d) = cut_first_fragment(p) {
                return d;
            }
            if ip.payload().fragmented {
                // `fragment` gives what a Reassembler needs: every Skip::Fragment has one.
                return match ipv6_fragment(src, dst, h.payload_length(), ip) {
                    Some(_) => Dissection::Skipped(Skip::Fragment),
                    None => Dissection::Malformed(tr!("why-ipv6-fragment-header").into_owned()),
                };
            }
            (src, dst, ip.payload())
        }
        None => {
            if let Some((e, _layer)) = &p.stop_err {
                return Dissection::Malformed(e.to_string());
            }
            return match p.ether_payload() {
                Some(e) => Dissection::Skipped(Skip::EtherType(e.ether_type.0)),
                None => Dissection::Malformed(tr!("why-no-network-layer").into_owned()),
            };
        }
    };
    match (&p.transport, ip_payload.ip_number) {
        (Some(TransportSlice::Udp(u)), _) => {
            let length_field = u.length();
            // Over IPv6 a length field of 0 is a jumbogram's (RFC 2675): the datagram is all
            // that IPv6 carries, as tshark reads it.
            let jumbo = length_field == 0 && matches!(p.net, Some(LaxNetSlice::Ipv6(_)));
            // Otherwise a length field under 8 does not even cover the header: no payload
            // (tshark agrees).
            let payload = if jumbo {
                u.slice().get(8..).unwrap_or_default()
            } else if length_field < 8 {
                &[][..]
            } else {
                u.payload()
            };
            let wanted = usize::from(length_field.saturating_sub(8));
            let cut = ip_payload.incomplete && payload.len() < wanted;
            let bad_length = !jumbo
                && (length_field < 8
                    || (!ip_payload.incomplete
                        && usize::from(length_field) > ip_payload.payload.len()));
            Dissection::Udp(Udp {
                src,
                dst,
                sport: u.source_port(),
                dport: u.destination_port(),
                length_field,
                payload,
                cut,
                bad_length,
            })
        }
        (_, IpNumber::UDP) => Dissection::Malformed(match &p.stop_err {
            Some((e, _)) => e.to_string(),
            None => tr!(
                "why-header-cut",
                what = "UDP header",
                needed = 8u64,
                got = ip_payload.payload.len()
            ),
        }),
        (_, n) => Dissection::Skipped(skip_of(n)),
    }
}

/// The fragment an IPv6 packet carries: the fragmentable part starts right after the (first)
/// fragment header; extension headers etherparse read after it belong to the fragment's data.
fn ipv6_fragment<'a>(
    src: IpAddr,
    dst: IpAddr,
    payload_length: u16,
    ip: &etherparse::LaxIpv6Slice<'a>,
) -> Option<Fragment<'a>> {
    // Walked here, bounds checked (etherparse's iterator reads past its slice when a chain ends
    // in an extension header it did not include).
    let exts = ip.extensions();
    let all = exts.slice();
    let mut next = exts.first_header()?.0;
    let mut at = 0;
    let fh = loop {
        let rest = all.get(at..)?;
        let len = match next {
            0 | 43 | 60 => (usize::from(*rest.get(1)?) + 1) * 8,
            51 => (usize::from(*rest.get(1)?) + 2) * 4,
            // An atomic fragment header (offset 0, M clear) fragments nothing: it is stepped
            // over (RFC 6946), as tshark does, and the fragment header that does fragment is
            // read on (a packet is only here if one does; found by tests/difffuzz.rs).
            44 if u16::from_be_bytes([*rest.get(2)?, *rest.get(3)?]) & 0xfff9 == 0 => 8,
            // A second fragment header right behind the first cannot be reassembled (tshark
            // does not either; found by tests/difffuzz.rs).
            44 if rest.first() == Some(&44) => return None,
            44 => break rest.get(..8)?,
            _ => return None,
        };
        next = *rest.first()?;
        at += len;
    };
    at += 8;
    let after = all.get(at..)?;
    let payload = ip.payload().payload;
    let data = if after.is_empty() {
        Cow::Borrowed(payload)
    } else {
        Cow::Owned([after, payload].concat())
    };
    Some(Fragment {
        src,
        dst,
        id: u32::from_be_bytes([fh[4], fh[5], fh[6], fh[7]]),
        proto: fh[0],
        offset: u32::from(u16::from_be_bytes([fh[2], fh[3]]) >> 3) * 8,
        more: fh[3] & 1 != 0,
        len: u32::from(payload_length).saturating_sub(at as u32),
        data,
    })
}

/// What an IP payload of protocol `proto` carries (a reassembled datagram's): UDP, or a kind to
/// skip. IPv6 extension headers at its start (those after a fragment header) are stepped over.
fn from_ip_payload(src: IpAddr, dst: IpAddr, proto: u8, data: &[u8], cut: bool) -> Dissection<'_> {
    let (proto, data) = match IpNumber(proto) {
        IpNumber::IPV6_HEADER_HOP_BY_HOP
        | IpNumber::IPV6_ROUTE_HEADER
        | IpNumber::IPV6_FRAGMENTATION_HEADER
        | IpNumber::IPV6_DESTINATION_OPTIONS
        | IpNumber::AUTHENTICATION_HEADER
            if src.is_ipv6() =>
        {
            let (_, next, rest, err) = Ipv6ExtensionsSlice::from_slice_lax(IpNumber(proto), data);
            if let Some((e, _)) = err {
                return Dissection::Malformed(e.to_string());
            }
            (next, rest)
        }
        n => (n, data),
    };
    match proto {
        IpNumber::UDP => reassemble::udp_of(src, dst, data, cut),
        // A tunnel whose outer packet was fragmented: stepped into once reassembled, as one that
        // was not (within the same bound on nesting).
        IpNumber::IPV4 | IpNumber::IPV6 if !cut => match LaxSlicedPacket::from_ip(data) {
            Ok(inner) => after_tunnels(through_tunnels(inner, 1)),
            Err(_) => Dissection::Skipped(skip_of(proto)),
        },
        IpNumber::GRE if !cut => match gre(data) {
            Some(Ok(inner)) => after_tunnels(through_tunnels(inner, 1)),
            Some(Err(d)) => d,
            None => Dissection::Skipped(skip_of(proto)),
        },
        other => Dissection::Skipped(skip_of(other)),
    }
}

/// What a packet found inside a tunnel carries.
fn after_tunnels<'a>(p: Result<LaxSlicedPacket<'a>, Dissection<'a>>) -> Dissection<'a> {
    match p {
        Ok(p) => from_sliced(&p),
        Err(d) => d,
    }
}

fn skip_of(n: IpNumber) -> Skip {
    match n {
        IpNumber::TCP => Skip::Tcp,
        IpNumber::ICMP => Skip::Icmp,
        IpNumber::IPV6_ICMP => Skip::Icmpv6,
        IpNumber::IGMP => Skip::Igmp,
        n => Skip::IpProto(n.0),
    }
}

#[cfg(test)]
mod tests;
