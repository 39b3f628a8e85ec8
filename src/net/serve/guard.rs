//! Which datagrams `serve` answers: the loop rules, then a token bucket per source address.
//!
//! - **Loop rules** ([`Loops`]). Never answer a datagram that comes from this server itself: a
//!   source with the server's own port and one of this host's addresses (loopback, the address
//!   the datagram was sent to, or any interface's address). Never answer a source port where a
//!   well-known service answers any datagram with a datagram ([`REFLECTOR_PORTS`]: echo,
//!   daytime, qotd, chargen, time), nor port 0, which cannot be answered. Either would let one
//!   forged datagram start a loop that never ends.
//! - **Rate limit** ([`Limiter`]). Each source address (not port: a forged source aims at an
//!   address, and its ports are free) has a bucket of `2 × rate` tokens that refills at `rate` a
//!   second; a reply takes one, and a datagram that finds the bucket empty is logged but not
//!   answered. The buckets live in a fixed table ([`SLOTS`] entries, 2 MiB, allocated once): a new
//!   source takes, among the [`WAYS`] entries its address hashes to, the one that has refilled the
//!   most (an idle entry first, then the oldest), so a flood from many sources cannot push out the
//!   drained bucket of a source it is limiting.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// Source ports that are never answered: 0 (not a port one can send to) and the classic UDP
/// services that answer any datagram — echo (7), daytime (13), qotd (17), chargen (19), time
/// (37) — so that a datagram forged from one of them cannot start a loop with it.
pub const REFLECTOR_PORTS: [u16; 6] = [0, 7, 13, 17, 19, 37];

/// Rate-limit table entries (32 bytes each: 2 MiB).
pub const SLOTS: usize = 1 << 16;
/// Entries one address may use (the set its hash picks).
pub const WAYS: usize = 4;
/// How long the local interface addresses are trusted before they are read again.
const ADDRESSES_TTL: Duration = Duration::from_secs(1);

/// Why a datagram is not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Its source is this server (its port, one of this host's addresses).
    Own,
    /// Its source port is 0 or a well-known reflector ([`REFLECTOR_PORTS`]).
    Reflector(u16),
}

/// The loop rules: see the module documentation.
pub struct Loops {
    /// The server's port.
    port: u16,
    /// The address it is bound to (unspecified for all).
    bound: IpAddr,
    /// This host's interface addresses, when last read.
    addresses: HashSet<IpAddr>,
    read_at: Option<Instant>,
}

impl Loops {
    /// The rules for a server bound to `local`.
    pub fn new(local: SocketAddr) -> Self {
        Loops {
            port: local.port(),
            bound: local.ip(),
            addresses: HashSet::new(),
            read_at: None,
        }
    }

    /// Whether to refuse a datagram from `peer` (IPv4-mapped shown as IPv4) sent to `to` (the
    /// local address it came to, when known).
    pub fn check(&mut self, peer: SocketAddr, to: Option<IpAddr>, now: Instant) -> Option<Refusal> {
        let port = peer.port();
        if REFLECTOR_PORTS.contains(&port) {
            return Some(Refusal::Reflector(port));
        }
        if port != self.port {
            return None;
        }
        let ip = peer.ip();
        let own = ip.is_loopback()
            || ip.is_unspecified()
            || Some(ip) == to
            || ip == self.bound
            || self.is_local(ip, now);
        own.then_some(Refusal::Own)
    }

    /// Whether `ip` is one of this host's interface addresses (read again at most once per
    /// [`ADDRESSES_TTL`], and only for datagrams that carry the server's own port).
    fn is_local(&mut self, ip: IpAddr, now: Instant) -> bool {
        if self
            .read_at
            .is_none_or(|t| now.saturating_duration_since(t) >= ADDRESSES_TTL)
        {
            self.addresses = interface_addresses();
            self.read_at = Some(now);
        }
        self.addresses.contains(&ip)
    }
}

/// The addresses of this host's interfaces (empty where they cannot be read).
#[cfg(target_os = "linux")]
fn interface_addresses() -> HashSet<IpAddr> {
    let Ok(list) = nix::ifaddrs::getifaddrs() else {
        return HashSet::new();
    };
    list.filter_map(|i| i.address)
        .filter_map(|a| {
            if let Some(v4) = a.as_sockaddr_in() {
                Some(IpAddr::V4(v4.ip()))
            } else {
                a.as_sockaddr_in6().map(|v6| IpAddr::V6(v6.ip()))
            }
        })
        .map(|ip| match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        })
        .collect()
}

#[cfg(not(target_os = "linux"))]
fn interface_addresses() -> HashSet<IpAddr> {
    HashSet::new()
}

/// One source address's bucket.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The address as 16 bytes (IPv4 as IPv4-mapped IPv6).
    key: [u8; 16],
    used: bool,
    /// Tokens left at `last`.
    tokens: f32,
    /// When the bucket was last used, in ms since the limiter started.
    last: u64,
}

/// Token buckets per source address in a fixed table: see the module documentation.
pub struct Limiter {
    /// Tokens a millisecond.
    per_ms: f32,
    /// The bucket's size (a new source's allowance).
    burst: f32,
    slots: Box<[Slot]>,
    hasher: foldhash::fast::RandomState,
    start: Instant,
}

impl Limiter {
    /// `rate` replies a second to each source address, in bursts of up to `2 × rate`.
    pub fn new(rate: u32) -> Self {
        Limiter {
            per_ms: rate as f32 / 1000.0,
            burst: (2 * u64::from(rate)) as f32,
            slots: vec![Slot::default(); SLOTS].into_boxed_slice(),
            hasher: foldhash::fast::RandomState::default(),
            start: Instant::now(),
        }
    }

    /// The bucket's size: `2 × rate`.
    pub fn burst(&self) -> u64 {
        self.burst as u64
    }

    /// Takes a token for a reply to `ip` at `now`; `false`: the bucket is empty, do not answer.
    pub fn allow(&mut self, ip: IpAddr, now: Instant) -> bool {
        let key = match ip {
            IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
            IpAddr::V6(v6) => v6.octets(),
        };
        let ms = now.saturating_duration_since(self.start).as_millis() as u64;
        let set = (self.hasher.hash_one(key) as usize & (SLOTS / WAYS - 1)) * WAYS;
        // Among the set: the entry of this address, or the one to give it.
        let mut victim = set;
        let mut best = (f32::NEG_INFINITY, 0u64);
        for i in set..set + WAYS {
            let slot = &mut self.slots[i];
            if !slot.used {
                if best.0 != f32::INFINITY {
                    best = (f32::INFINITY, u64::MAX);
                    victim = i;
                }
                continue;
            }
            let age = ms.saturating_sub(slot.last);
            let tokens = (slot.tokens + age as f32 * self.per_ms).min(self.burst);
            if slot.key == key {
                slot.last = ms;
                if tokens >= 1.0 {
                    slot.tokens = tokens - 1.0;
                    return true;
                }
                slot.tokens = tokens;
                return false;
            }
            if (tokens, age) > best {
                best = (tokens, age);
                victim = i;
            }
        }
        self.slots[victim] = Slot {
            key,
            used: true,
            tokens: self.burst - 1.0,
            last: ms,
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_gets_its_burst_then_the_rate() {
        let mut l = Limiter::new(100);
        let t0 = Instant::now();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "::2".parse().unwrap();
        let allowed = (0..1000).filter(|_| l.allow(a, t0)).count();
        assert_eq!(allowed, 200);
        // another address has its own bucket
        assert!(l.allow(b, t0));
        // 100 ms later: 10 more
        let t1 = t0 + Duration::from_millis(100);
        assert_eq!((0..1000).filter(|_| l.allow(a, t1)).count(), 10);
        // one request every 10 ms, forever: never refused
        let mut l = Limiter::new(100);
        for i in 0..10_000u64 {
            assert!(
                l.allow(a, t0 + Duration::from_millis(10 * i)),
                "refused at {i}"
            );
        }
    }

    #[test]
    fn many_sources_do_not_evict_a_drained_one() {
        let mut l = Limiter::new(100);
        let t0 = Instant::now();
        let victim: IpAddr = "192.0.2.1".parse().unwrap();
        while l.allow(victim, t0) {}
        // a million other sources, each once, within the same millisecond
        for i in 0..1_000_000u32 {
            l.allow(IpAddr::V4((0x0a00_0000 + i).into()), t0);
        }
        assert!(!l.allow(victim, t0), "the drained bucket was evicted");
        assert_eq!(std::mem::size_of::<Slot>(), 32);
    }

    #[test]
    fn loop_rules() {
        let local: SocketAddr = "0.0.0.0:12345".parse().unwrap();
        let mut r = Loops::new(local);
        let now = Instant::now();
        let at = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(
            r.check(at("127.0.0.1:12345"), None, now),
            Some(Refusal::Own)
        );
        assert_eq!(
            r.check(at("127.9.9.9:12345"), None, now),
            Some(Refusal::Own)
        );
        assert_eq!(r.check(at("[::1]:12345"), None, now), Some(Refusal::Own));
        let to = Some("192.0.2.7".parse().unwrap());
        assert_eq!(r.check(at("192.0.2.7:12345"), to, now), Some(Refusal::Own));
        assert_eq!(r.check(at("192.0.2.8:12345"), to, now), None);
        assert_eq!(r.check(at("127.0.0.1:12346"), None, now), None);
        for port in [0, 7, 13, 17, 19, 37] {
            let peer = SocketAddr::new("192.0.2.8".parse().unwrap(), port);
            assert_eq!(r.check(peer, to, now), Some(Refusal::Reflector(port)));
        }
        assert_eq!(r.check(at("192.0.2.8:53"), to, now), None);
    }
}
