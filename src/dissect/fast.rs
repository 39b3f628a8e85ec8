//! The common case, fast: a whole UDP datagram over Ethernet (with VLAN tags) or raw IP.
//!
//! etherparse's strict `SlicedPacket` is several times cheaper than the lax slicing the general
//! path needs (smaller result, no bookkeeping of where parsing stopped). When strict slicing
//! yields a UDP transport, the frame holds a complete, consistent, unfragmented datagram and that
//! UDP header is the outermost one, so the general path would give the very same [`Udp`]
//! (`cut` and `bad_length` false) — the tests check this on every fixture. Anything else (cut,
//! lying lengths, fragments, tunnels, other link layers) returns `None` and takes the general
//! path.

use std::net::IpAddr;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};

use super::Udp;
use crate::capture::LinkType;

/// The datagram of a frame in the common case, or `None` for the general path.
pub(super) fn udp(link: LinkType, data: &[u8]) -> Option<Udp<'_>> {
    let p = match link {
        1 => SlicedPacket::from_ethernet(data).ok()?,
        101 | 12 | 14 | 228 | 229 => SlicedPacket::from_ip(data).ok()?,
        _ => return None,
    };
    let Some(TransportSlice::Udp(u)) = p.transport else {
        return None;
    };
    // Strict slicing reads a length field of 0 as "the rest of the IP payload" (jumbograms);
    // the general path shows such a field as it is.
    if usize::from(u.length()) != 8 + u.payload().len() {
        return None;
    }
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
    Some(Udp {
        src,
        dst,
        sport: u.source_port(),
        dport: u.destination_port(),
        length_field: u.length(),
        payload: u.payload(),
        cut: false,
        bad_length: false,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Dissection, general};
    use crate::capture::{Capture, Record};

    /// On every frame of every fixture, the fast path agrees with the general one.
    #[test]
    fn fast_path_agrees_with_the_general_path() {
        let mut checked = 0;
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
                    let Record::Frame(frame) = record else {
                        continue;
                    };
                    if let Some(fast) = super::udp(frame.link, &frame.data) {
                        assert_eq!(
                            Dissection::Udp(fast),
                            general(frame.link, &frame.data),
                            "{} frame {}",
                            path.display(),
                            frame.number
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} frames took the fast path");
    }
}
