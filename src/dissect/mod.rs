//! From a frame's bytes to what it carried: a UDP datagram, a frame of another kind, or damage.
//!
//! Pure functions over byte slices: no I/O, no state, no allocation on the UDP path. Link layers
//! that etherparse does not slice (Linux cooked SLL of any ARPHRD, SLL2, BSD NULL/LOOP) are
//! unwrapped here by hand and handed to etherparse at the network layer. Parsing is lax: a frame
//! cut by the snaplen still yields its addresses, ports and the part of the payload that was
//! captured. Only the outermost UDP header of a frame counts.

use std::fmt;
use std::net::IpAddr;

use etherparse::{EtherType, IpNumber, LaxNetSlice, LaxSlicedPacket, TransportSlice};

use crate::capture::LinkType;

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
    /// An IP fragment (its datagram is not reassembled).
    Fragment,
    /// An Ethernet payload that is not IP or ARP.
    EtherType(u16),
    /// A BSD loopback (NULL/LOOP) frame of an address family that is not IP.
    LoopbackFamily(u32),
    /// A link type that oneway does not read.
    LinkType(LinkType),
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
            Skip::Fragment => f.write_str("IP fragment"),
            Skip::EtherType(t) => write!(f, "EtherType 0x{t:04x}"),
            Skip::LoopbackFamily(a) => write!(f, "loopback address family {a}"),
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

/// Dissects one frame of the given link type.
pub fn dissect(link: LinkType, data: &[u8]) -> Dissection<'_> {
    match link {
        // Ethernet
        1 => match LaxSlicedPacket::from_ethernet(data) {
            Ok(p) => from_sliced(&p),
            Err(e) => Dissection::Malformed(format!("Ethernet header: {e}")),
        },
        // Raw IP: LINKTYPE_RAW, the DLT_RAW values of other systems, LINKTYPE_IPV4/IPV6
        101 | 12 | 14 | 228 | 229 => from_ip(data),
        LINKTYPE_LINUX_SLL => match data.get(..16) {
            Some(h) => from_ether_type(u16::from_be_bytes([h[14], h[15]]), &data[16..]),
            None => short("Linux cooked (SLL) header", 16, data.len()),
        },
        LINKTYPE_LINUX_SLL2 => match data.get(..20) {
            Some(h) => from_ether_type(u16::from_be_bytes([h[0], h[1]]), &data[20..]),
            None => short("Linux cooked (SLL2) header", 20, data.len()),
        },
        // BSD loopback: the address family in host byte order (NULL) or big-endian (LOOP).
        0 | 108 => match data.get(..4) {
            Some(h) => {
                let h = [h[0], h[1], h[2], h[3]];
                let family = if link == 108 {
                    u32::from_be_bytes(h)
                } else {
                    // The writer's byte order is unknown: a family is a small number.
                    let le = u32::from_le_bytes(h);
                    if le <= 0xffff { le } else { u32::from_be_bytes(h) }
                };
                match family {
                    // AF_INET everywhere; AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS.
                    2 | 10 | 24 | 28 | 30 => from_ip(&data[4..]),
                    other => Dissection::Skipped(Skip::LoopbackFamily(other)),
                }
            }
            None => short("loopback (NULL) header", 4, data.len()),
        },
        other => Dissection::Skipped(Skip::LinkType(other)),
    }
}

fn short(what: &str, needed: usize, got: usize) -> Dissection<'static> {
    Dissection::Malformed(format!(
        "{what} cut: {needed} bytes needed, {got} captured"
    ))
}

fn from_ether_type(ether_type: u16, payload: &[u8]) -> Dissection<'_> {
    from_sliced(&LaxSlicedPacket::from_ether_type(
        EtherType(ether_type),
        payload,
    ))
}

fn from_ip(data: &[u8]) -> Dissection<'_> {
    match LaxSlicedPacket::from_ip(data) {
        Ok(p) => from_sliced(&p),
        Err(e) => Dissection::Malformed(format!("IP header: {e}")),
    }
}

fn from_sliced<'a>(p: &LaxSlicedPacket<'a>) -> Dissection<'a> {
    let (src, dst, ip_payload) = match &p.net {
        Some(LaxNetSlice::Arp(_)) => return Dissection::Skipped(Skip::Arp),
        Some(LaxNetSlice::Ipv4(ip)) => {
            let h = ip.header();
            (
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                ip.payload(),
            )
        }
        Some(LaxNetSlice::Ipv6(ip)) => {
            let h = ip.header();
            (
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                ip.payload(),
            )
        }
        None => {
            if let Some((e, _layer)) = &p.stop_err {
                return Dissection::Malformed(e.to_string());
            }
            return match p.ether_payload() {
                Some(e) => Dissection::Skipped(Skip::EtherType(e.ether_type.0)),
                None => Dissection::Malformed("no network layer".into()),
            };
        }
    };
    if ip_payload.fragmented {
        return Dissection::Skipped(Skip::Fragment);
    }
    match (&p.transport, ip_payload.ip_number) {
        (Some(TransportSlice::Udp(u)), _) => {
            let length_field = u.length();
            let payload = u.payload();
            let wanted = usize::from(length_field.saturating_sub(8));
            let cut = ip_payload.incomplete && payload.len() < wanted;
            let bad_length = length_field < 8
                || (!ip_payload.incomplete && usize::from(length_field) > ip_payload.payload.len());
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
            None => format!(
                "UDP header cut: 8 bytes needed, {} captured",
                ip_payload.payload.len()
            ),
        }),
        (_, IpNumber::TCP) => Dissection::Skipped(Skip::Tcp),
        (_, IpNumber::ICMP) => Dissection::Skipped(Skip::Icmp),
        (_, IpNumber::IPV6_ICMP) => Dissection::Skipped(Skip::Icmpv6),
        (_, IpNumber::IGMP) => Dissection::Skipped(Skip::Igmp),
        (_, n) => Dissection::Skipped(Skip::IpProto(n.0)),
    }
}

#[cfg(test)]
mod tests;
