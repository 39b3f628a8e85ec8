//! The common case, fast: a whole UDP datagram over Ethernet (with VLAN tags) or raw IP.
//!
//! etherparse's strict `SlicedPacket` is several times cheaper than the lax slicing the general
//! path needs (smaller result, no bookkeeping of where parsing stopped). When strict slicing
//! yields a UDP transport, the frame holds a complete, consistent, unfragmented datagram and that
//! UDP header is the outermost one, so the general path would give the very same [`Udp`]
//! (`cut` and `bad_length` false) — the tests check this on every fixture. Anything else (cut,
//! lying lengths, fragments, tunnels, other link layers) returns `None` and takes the general
//! path.

use std::borrow::Cow;
use std::net::IpAddr;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};

use super::{Fragment, Udp};
use crate::capture::LinkType;

/// The datagram of a lean-shaped frame ([`lean_ip`]).
pub(super) fn lean(link: LinkType, data: &[u8]) -> Option<Udp<'_>> {
    let (src, dst, transport) = lean_ip(link, data)?;
    whole(src, dst, transport)
}

/// The link layer of the lean shape: the IP version it announces and the IP packet.
#[inline(always)]
fn lean_link(link: LinkType, data: &[u8]) -> Option<(u8, &[u8])> {
    match link {
        1 => match data.get(12..14)? {
            [0x08, 0x00] => Some((4, &data[14..])),
            [0x86, 0xdd] => Some((6, &data[14..])),
            _ => None,
        },
        101 | 12 | 14 | 228 | 229 => Some((data.first()? >> 4, data)),
        _ => None,
    }
}

/// An IPv4 fragment of the lean shape, whole in the frame: the [`Fragment`] the general path
/// would give, for a fraction of its cost (its lax slicing cost three times the reassembly).
pub(super) fn lean_fragment(link: LinkType, data: &[u8]) -> Option<Fragment<'_>> {
    let (4, ip) = lean_link(link, data)? else {
        return None;
    };
    let h = etherparse::Ipv4HeaderSlice::from_slice(ip).ok()?;
    let header = h.slice().len();
    let total = usize::from(h.total_len());
    if total < header || total > ip.len() || !h.is_fragmenting_payload() {
        return None;
    }
    Some(Fragment {
        src: IpAddr::V4(h.source_addr()),
        dst: IpAddr::V4(h.destination_addr()),
        id: u32::from(h.identification()),
        proto: h.protocol().0,
        offset: u32::from(h.fragments_offset().value()) * 8,
        more: h.more_fragments(),
        len: (total - header) as u32,
        data: Cow::Borrowed(&ip[header..total]),
    })
}

/// The commonest case of all, cheaper still: Ethernet without VLAN tags (or raw IP), IPv4
/// unfragmented or IPv6 without extension headers, then UDP, read with etherparse's header
/// slices alone: the addresses and the UDP part. `SlicedPacket` builds a result of several
/// hundred bytes for every frame, which made it half of the bare library loop's time; these few
/// checks are the ones strict slicing makes on such a frame, so the result is the same (the tests
/// check this on every fixture frame and on thousands of damaged copies of them). An IPv4
/// fragment of that shape, whole in the frame, is [`lean_fragment`]'s.
#[inline(always)] // the common case: its result must not go through memory
fn lean_ip(link: LinkType, data: &[u8]) -> Option<(IpAddr, IpAddr, &[u8])> {
    use etherparse::{Ipv4HeaderSlice, Ipv6HeaderSlice};
    let (version, ip) = lean_link(link, data)?;
    match version {
        4 => {
            let h = Ipv4HeaderSlice::from_slice(ip).ok()?;
            let header = h.slice().len();
            let total = usize::from(h.total_len());
            if h.protocol() != etherparse::IpNumber::UDP
                || h.is_fragmenting_payload()
                || total < header
                || total > ip.len()
            {
                return None;
            }
            Some((
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                &ip[header..total],
            ))
        }
        6 => {
            let h = Ipv6HeaderSlice::from_slice(ip).ok()?;
            let end = 40 + usize::from(h.payload_length());
            if h.next_header() != etherparse::IpNumber::UDP
                || h.payload_length() == 0
                || end > ip.len()
            {
                return None;
            }
            Some((
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                &ip[40..end],
            ))
        }
        _ => None,
    }
}

/// The datagram in `transport` (UDP header and payload, as IP bounds them) when its length
/// field says exactly that much — else `None`, and the general path shows why. (Strict slicing
/// reads a length field of 0 as "the rest of the IP payload", as for jumbograms; the general
/// path shows such a field as it is.)
fn whole(src: IpAddr, dst: IpAddr, transport: &[u8]) -> Option<Udp<'_>> {
    let u = etherparse::UdpHeaderSlice::from_slice(transport).ok()?;
    if usize::from(u.length()) != transport.len() {
        return None;
    }
    Some(Udp {
        src,
        dst,
        sport: u.source_port(),
        dport: u.destination_port(),
        length_field: u.length(),
        payload: &transport[8..],
        cut: false,
        bad_length: false,
    })
}

/// The common case through strict `SlicedPacket` (VLAN tags, IPv6 extension headers…).
pub(super) fn strict(link: LinkType, data: &[u8]) -> Option<Udp<'_>> {
    let p = match link {
        1 => SlicedPacket::from_ethernet(data).ok()?,
        101 | 12 | 14 | 228 | 229 => SlicedPacket::from_ip(data).ok()?,
        _ => return None,
    };
    let Some(TransportSlice::Udp(u)) = p.transport else {
        return None;
    };
    let (src, dst) = match p.net? {
        NetSlice::Ipv4(ip) => (
            IpAddr::V4(ip.header().source_addr()),
            IpAddr::V4(ip.header().destination_addr()),
        ),
        NetSlice::Ipv6(ip) => {
            if super::broken_ipv6_extension(
                ip.header().payload_length(),
                ip.extensions(),
                ip.payload().payload.len(),
            )
            .is_some()
            {
                return None;
            }
            (
                IpAddr::V6(ip.header().source_addr()),
                IpAddr::V6(ip.header().destination_addr()),
            )
        }
        NetSlice::Arp(_) => return None,
    };
    whole(src, dst, u.slice())
}

#[cfg(test)]
mod tests {
    use super::super::{Dissection, general};
    use crate::capture::{Capture, Record};

    /// Every frame of every fixture.
    fn fixture_frames() -> Vec<(crate::capture::LinkType, Vec<u8>)> {
        let mut frames = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixtures").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let Ok(file) = std::fs::File::open(&path) else {
                    continue;
                };
                let Ok(mut capture) = Capture::open(file) else {
                    continue;
                };
                while let Some(Ok(record)) = capture.next_record() {
                    if let Record::Frame(frame) = record {
                        frames.push((frame.link, frame.data.to_vec()));
                    }
                }
            }
        }
        frames
    }

    /// On every frame of every fixture, both fast paths agree with the general one.
    #[test]
    fn fast_path_agrees_with_the_general_path() {
        let (mut lean, mut strict) = (0, 0);
        for (link, data) in fixture_frames() {
            let general = general(link, &data);
            if let Some(fast) = super::lean(link, &data) {
                assert_eq!(Dissection::Udp(fast), general, "lean: {data:02x?}");
                lean += 1;
            }
            if let Some(fast) = super::strict(link, &data) {
                assert_eq!(Dissection::Udp(fast), general, "strict: {data:02x?}");
                strict += 1;
            }
        }
        assert!(lean > 100, "only {lean} frames took the lean path");
        assert!(strict > 100, "only {strict} frames took the strict path");
    }

    /// The lean path's fragments are the general path's, on every fixture frame and on damaged
    /// copies of the fragments among them.
    #[test]
    fn lean_fragments_agree_with_the_general_path() {
        fn general(link: super::LinkType, v: &[u8]) -> Option<super::Fragment<'_>> {
            super::super::fragment_of(&super::super::network(link, v).ok()?)
        }
        let mut rng = fastrand::Rng::with_seed(0x0fed_cba9_8765_4321);
        let (mut tried, mut agreed) = (0, 0);
        for (link, data) in fixture_frames() {
            let mut variants = vec![data.clone()];
            if super::lean_fragment(link, &data).is_some() {
                variants.extend((0..data.len()).map(|n| data[..n].to_vec()));
                for _ in 0..256 {
                    let mut v = data.clone();
                    let at = rng.usize(..v.len().min(40));
                    v[at] ^= 1 << rng.u32(..8);
                    variants.push(v);
                }
            }
            for v in variants {
                tried += 1;
                if let Some(f) = super::lean_fragment(link, &v) {
                    assert_eq!(Some(f), general(link, &v), "{v:02x?}");
                    agreed += 1;
                }
            }
        }
        assert!(agreed > 1_000, "{tried} tried, {agreed} fragments agreed");
    }

    /// On damaged copies of the fixtures' UDP frames (cut anywhere, a header byte changed,
    /// ether types and IP versions swapped), the lean path either steps aside or agrees.
    #[test]
    fn lean_path_agrees_on_damaged_frames() {
        let mut rng = fastrand::Rng::with_seed(0x0123_4567_89ab_cdef);
        let mut next = || rng.u64(..);
        let (mut tried, mut agreed) = (0, 0);
        for (link, data) in fixture_frames() {
            if super::lean(link, &data).is_none() {
                continue;
            }
            let mut variants: Vec<Vec<u8>> = (0..data.len()).map(|n| data[..n].to_vec()).collect();
            for _ in 0..64 {
                let mut v = data.clone();
                let at = (next() as usize) % v.len().min(70);
                v[at] = match next() % 4 {
                    0 => 0,
                    1 => 0xff,
                    2 => v[at] ^ (1 << (next() % 8)),
                    _ => next() as u8,
                };
                variants.push(v);
            }
            for (at, value) in [(12, 0x86), (13, 0xdd), (12, 0x81), (14, 0x65), (14, 0x45)] {
                if at < data.len() {
                    let mut v = data.clone();
                    v[at] = value;
                    variants.push(v);
                }
            }
            for v in variants {
                tried += 1;
                if let Some(fast) = super::lean(link, &v) {
                    assert_eq!(Dissection::Udp(fast), general(link, &v), "{v:02x?}");
                    agreed += 1;
                }
            }
        }
        assert!(
            tried > 10_000 && agreed > 1_000,
            "{tried} tried, {agreed} agreed"
        );
    }
}
