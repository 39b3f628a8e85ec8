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

/// The datagram of a frame in the common case, or `None` for the general path.
pub(super) fn udp(link: LinkType, data: &[u8]) -> Option<Udp<'_>> {
    lean(link, data).or_else(|| strict(link, data))
}

/// What the fast paths read: a datagram, or an IPv4 fragment of the lean shape.
pub(super) enum Fast<'a> {
    Udp(Udp<'a>),
    Fragment(Fragment<'a>),
}

/// [`udp`], or the IPv4 fragment a frame of the lean shape carries (whole, not cut by the
/// snaplen): for it the general path's lax slicing cost three times the reassembly itself.
pub(super) fn read(link: LinkType, data: &[u8]) -> Option<Fast<'_>> {
    match lean_or_fragment(link, data) {
        Some(f) => Some(f),
        None => strict(link, data).map(Fast::Udp),
    }
}

/// [`lean`]'s datagrams only.
fn lean(link: LinkType, data: &[u8]) -> Option<Udp<'_>> {
    match lean_or_fragment(link, data)? {
        Fast::Udp(u) => Some(u),
        Fast::Fragment(_) => None,
    }
}

/// The commonest case of all, cheaper still: Ethernet without VLAN tags (or raw IP), IPv4
/// unfragmented or IPv6 without extension headers, then UDP, read with etherparse's header
/// slices alone. `SlicedPacket` builds a result of several hundred bytes for every frame, which
/// made it half of the bare library loop's time; these few checks are the ones strict slicing
/// makes on such a frame, so the result is the same (the tests check this on every fixture frame
/// and on thousands of damaged copies of them). An IPv4 fragment of that shape, whole in the
/// frame, is returned as the [`Fragment`] the general path would give.
fn lean_or_fragment(link: LinkType, data: &[u8]) -> Option<Fast<'_>> {
    use etherparse::{Ipv4HeaderSlice, Ipv6HeaderSlice};
    // The IP version the link layer announces (raw IP: the packet's own, as `from_ip` reads it).
    let (version, ip) = match link {
        1 => match data.get(12..14)? {
            [0x08, 0x00] => (4, &data[14..]),
            [0x86, 0xdd] => (6, &data[14..]),
            _ => return None,
        },
        101 | 12 | 14 | 228 | 229 => (data.first()? >> 4, data),
        _ => return None,
    };
    let (src, dst, transport) = match version {
        4 => {
            let h = Ipv4HeaderSlice::from_slice(ip).ok()?;
            let header = h.slice().len();
            let total = usize::from(h.total_len());
            if total < header || total > ip.len() {
                return None;
            }
            if h.is_fragmenting_payload() {
                return Some(Fast::Fragment(Fragment {
                    src: IpAddr::V4(h.source_addr()),
                    dst: IpAddr::V4(h.destination_addr()),
                    id: u32::from(h.identification()),
                    proto: h.protocol().0,
                    offset: u32::from(h.fragments_offset().value()) * 8,
                    more: h.more_fragments(),
                    len: (total - header) as u32,
                    data: Cow::Borrowed(&ip[header..total]),
                }));
            }
            if h.protocol() != etherparse::IpNumber::UDP {
                return None;
            }
            (
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                &ip[header..total],
            )
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
            (
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                &ip[40..end],
            )
        }
        _ => return None,
    };
    whole(src, dst, transport).map(Fast::Udp)
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
fn strict(link: LinkType, data: &[u8]) -> Option<Udp<'_>> {
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
        NetSlice::Ipv6(ip) => (
            IpAddr::V6(ip.header().source_addr()),
            IpAddr::V6(ip.header().destination_addr()),
        ),
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
        let mut rng = fastrand::Rng::with_seed(0x0fed_cba9_8765_4321);
        let (mut tried, mut agreed) = (0, 0);
        for (link, data) in fixture_frames() {
            let mut variants = vec![data.clone()];
            if matches!(
                super::lean_or_fragment(link, &data),
                Some(super::Fast::Fragment(_))
            ) {
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
                if let Some(super::Fast::Fragment(f)) = super::lean_or_fragment(link, &v) {
                    assert_eq!(Some(f), super::super::fragment(link, &v), "{v:02x?}");
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
