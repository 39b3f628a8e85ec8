//! How many distinct peers (address and port) `serve` has seen, in bounded memory: exactly up to
//! [`EXACT_MAX`] (a set of 64-bit hashes, about 1 MiB at most), then estimated with a
//! HyperLogLog of 2^16 one-byte registers (64 KiB; a standard error of about 0.4%).

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::net::SocketAddr;

/// Peers counted exactly; past this, the count is an estimate.
pub const EXACT_MAX: usize = 65_536;
/// log2 of the number of registers.
const P: u32 = 16;
const M: usize = 1 << P;

/// The distinct-peer count: see the module documentation.
pub struct Peers {
    hasher: foldhash::quality::FixedState,
    exact: HashSet<u64, foldhash::fast::FixedState>,
    /// The HyperLogLog registers, once the exact set was given up.
    sketch: Option<Box<[u8]>>,
}

impl Default for Peers {
    fn default() -> Self {
        Peers {
            hasher: foldhash::quality::FixedState::with_seed(0x0070_6565_7273),
            exact: HashSet::default(),
            sketch: None,
        }
    }
}

impl Peers {
    /// Counts `peer`.
    pub fn add(&mut self, peer: SocketAddr) {
        let h = self.hasher.hash_one(peer);
        match &mut self.sketch {
            Some(registers) => observe(registers, h),
            None => {
                if self.exact.insert(h) && self.exact.len() > EXACT_MAX {
                    let mut registers = vec![0u8; M].into_boxed_slice();
                    for &h in &self.exact {
                        observe(&mut registers, h);
                    }
                    self.exact = HashSet::default();
                    self.sketch = Some(registers);
                }
            }
        }
    }

    /// The count, and whether it is an estimate.
    pub fn count(&self) -> (u64, bool) {
        match &self.sketch {
            None => (self.exact.len() as u64, false),
            Some(registers) => (estimate(registers), true),
        }
    }
}

/// Records hash `h` in the registers.
fn observe(registers: &mut [u8], h: u64) {
    let index = (h >> (64 - P)) as usize;
    let rest = h << P;
    let rank = (rest.leading_zeros() + 1).min(64 - P + 1) as u8;
    if registers[index] < rank {
        registers[index] = rank;
    }
}

/// The HyperLogLog estimate, with linear counting for small counts.
fn estimate(registers: &[u8]) -> u64 {
    let m = M as f64;
    let alpha = 0.7213 / (1.0 + 1.079 / m);
    let sum: f64 = registers.iter().map(|&r| 2f64.powi(-i32::from(r))).sum();
    let raw = alpha * m * m / sum;
    let zeros = registers.iter().filter(|&&r| r == 0).count();
    let e = if raw <= 2.5 * m && zeros > 0 {
        m * (m / zeros as f64).ln()
    } else {
        raw
    };
    e.round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn peer(i: u32) -> SocketAddr {
        SocketAddr::new(
            IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + (i >> 4))),
            (i & 15) as u16,
        )
    }

    #[test]
    fn exact_then_about() {
        let mut p = Peers::default();
        for round in 0..3 {
            for i in 0..1000 {
                p.add(peer(i));
            }
            assert_eq!(p.count(), (1000, false), "round {round}");
        }
        for n in [100_000u32, 1_000_000] {
            let mut p = Peers::default();
            for i in 0..n {
                p.add(peer(i));
                p.add(peer(i));
            }
            let (got, about) = p.count();
            assert!(about);
            let error = (got as f64 - f64::from(n)).abs() / f64::from(n);
            assert!(error < 0.02, "{got} for {n}");
        }
    }
}
