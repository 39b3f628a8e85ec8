//! The traffic that explains UDP by contrast: TCP segments (a connection's handshake) and the
//! ICMP errors that answer a UDP datagram ("nothing listens on that port").
//!
//! Only frames that [`crate::dissect`] skipped as TCP, ICMP or ICMPv6 come here, so the UDP path
//! pays nothing for it. Parsing is lax and never fails: what cannot be read is simply `None`.

use std::net::IpAddr;

use etherparse::{
    Icmpv4Type, Icmpv6Type, LaxNetSlice, LaxSlicedPacket, TransportSlice, icmpv4, icmpv6,
};

use super::Endpoint;
use crate::capture::LinkType;

/// A TCP segment: who sent it, which flags, how much data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpSegment {
    /// Sender.
    pub src: Endpoint,
    /// Receiver.
    pub dst: Endpoint,
    /// SYN flag.
    pub syn: bool,
    /// ACK flag.
    pub ack: bool,
    /// FIN or RST: the connection ends.
    pub end: bool,
    /// Payload bytes captured.
    pub data: usize,
}

/// An ICMP destination unreachable that quotes a UDP datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcmpError {
    /// Who sent the error.
    pub from: IpAddr,
    /// `port unreachable`, `host unreachable`, …
    pub what: &'static str,
    /// The quoted datagram's sender.
    pub udp_src: Endpoint,
    /// The quoted datagram's destination.
    pub udp_dst: Endpoint,
}

/// What a skipped frame tells by contrast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contrast {
    /// A TCP segment.
    Tcp(TcpSegment),
    /// An ICMP error about a UDP datagram.
    IcmpError(IcmpError),
}

/// Looks at a frame again for TCP or an ICMP error about UDP.
pub fn classify(link: LinkType, data: &[u8]) -> Option<Contrast> {
    let p = super::network(link, data).ok()?;
    let (src, dst) = addresses(&p)?;
    match p.transport.as_ref()? {
        TransportSlice::Tcp(t) => Some(Contrast::Tcp(TcpSegment {
            src: Endpoint {
                addr: src,
                port: t.source_port(),
            },
            dst: Endpoint {
                addr: dst,
                port: t.destination_port(),
            },
            syn: t.syn(),
            ack: t.ack(),
            end: t.fin() || t.rst(),
            data: t.payload().len(),
        })),
        TransportSlice::Icmpv4(i) => {
            let what = match i.icmp_type() {
                Icmpv4Type::DestinationUnreachable(d) => match d {
                    icmpv4::DestUnreachableHeader::Port => "port unreachable",
                    icmpv4::DestUnreachableHeader::Host => "host unreachable",
                    icmpv4::DestUnreachableHeader::Network => "network unreachable",
                    icmpv4::DestUnreachableHeader::Protocol => "protocol unreachable",
                    icmpv4::DestUnreachableHeader::FragmentationNeeded { .. } => {
                        "fragmentation needed"
                    }
                    _ => "destination unreachable",
                },
                _ => return None,
            };
            quoted(src, what, i.payload())
        }
        TransportSlice::Icmpv6(i) => {
            let what = match i.icmp_type() {
                Icmpv6Type::DestinationUnreachable(code) => match code {
                    icmpv6::DestUnreachableCode::Port => "port unreachable",
                    icmpv6::DestUnreachableCode::Address => "address unreachable",
                    icmpv6::DestUnreachableCode::NoRoute => "no route",
                    _ => "destination unreachable",
                },
                _ => return None,
            };
            quoted(src, what, i.payload())
        }
        _ => None,
    }
}

fn addresses(p: &LaxSlicedPacket<'_>) -> Option<(IpAddr, IpAddr)> {
    match p.net.as_ref()? {
        LaxNetSlice::Ipv4(ip) => Some((
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        )),
        LaxNetSlice::Ipv6(ip) => Some((
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        )),
        LaxNetSlice::Arp(_) => None,
    }
}

/// The UDP datagram an ICMP error quotes: its IP header and at least the 8-byte UDP header.
fn quoted(from: IpAddr, what: &'static str, bytes: &[u8]) -> Option<Contrast> {
    let p = LaxSlicedPacket::from_ip(bytes).ok()?;
    let (src, dst) = addresses(&p)?;
    let ip_payload = match p.net.as_ref()? {
        LaxNetSlice::Ipv4(ip) => ip.payload().clone(),
        LaxNetSlice::Ipv6(ip) => ip.payload().clone(),
        LaxNetSlice::Arp(_) => return None,
    };
    if ip_payload.ip_number != etherparse::IpNumber::UDP {
        return None;
    }
    let udp = ip_payload.payload.get(..8)?;
    Some(Contrast::IcmpError(IcmpError {
        from,
        what,
        udp_src: Endpoint {
            addr: src,
            port: u16::from_be_bytes([udp[0], udp[1]]),
        },
        udp_dst: Endpoint {
            addr: dst,
            port: u16::from_be_bytes([udp[2], udp[3]]),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::PacketBuilder;

    #[test]
    fn tcp_flags() {
        let mut v = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .tcp(40000, 80, 1, 1000)
            .syn()
            .write(&mut v, &[])
            .unwrap();
        let Some(Contrast::Tcp(t)) = classify(101, &v) else {
            panic!("not TCP")
        };
        assert!(t.syn && !t.ack && !t.end);
        assert_eq!(t.src.to_string(), "10.0.0.1:40000");
        assert_eq!(t.data, 0);
    }

    #[test]
    fn port_unreachable_quotes_the_datagram() {
        let mut udp = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 4], [10, 0, 0, 9], 64)
            .udp(33333, 9999)
            .write(&mut udp, b"anyone?")
            .unwrap();
        let mut icmp = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 9], [10, 0, 0, 4], 64)
            .icmpv4(Icmpv4Type::DestinationUnreachable(
                icmpv4::DestUnreachableHeader::Port,
            ))
            .write(&mut icmp, &udp)
            .unwrap();
        let Some(Contrast::IcmpError(e)) = classify(101, &icmp) else {
            panic!("not an ICMP error")
        };
        assert_eq!(e.what, "port unreachable");
        assert_eq!(e.udp_dst.to_string(), "10.0.0.9:9999");
        assert_eq!(e.udp_src.to_string(), "10.0.0.4:33333");
        // An echo request is not an error about UDP.
        let mut echo = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 9], [10, 0, 0, 4], 64)
            .icmpv4_echo_request(1, 1)
            .write(&mut echo, b"x")
            .unwrap();
        assert_eq!(classify(101, &echo), None);
        // Cut short: nothing, no panic.
        for n in 0..icmp.len() {
            let _ = classify(101, &icmp[..n]);
        }
    }
}
