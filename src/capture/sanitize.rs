//! pcapng interface blocks that pcap-file refuses, made readable before it sees them.
//!
//! pcap-file decodes every Interface Description Block and stops the whole capture when one
//! carries an `if_tsresol` it cannot represent (finer than a nanosecond, e.g. the 0xff a damaged
//! or exotic writer leaves) — losing every packet after it, where tshark reads on. This reader
//! sits between the file and pcap-file: it passes every byte through, except in interface
//! blocks, where such an `if_tsresol` option is renamed to an unknown option code (which
//! pcap-file skips), and the interface is remembered so that its packets are shown without a
//! time rather than with a wrong one. It buffers one interface block at a time (at most
//! [`MAX_IDB`] bytes; larger ones pass through untouched) and nothing else.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// Interface blocks larger than this pass through unchanged.
pub const MAX_IDB: usize = 64 * 1024;

/// An option code no specification uses: pcap-file keeps it as an unknown option.
const RENAMED: u16 = 0x7ffe;

const SHB: u32 = 0x0a0d_0d0a;
const IDB: u32 = 1;
const IF_TSRESOL: u16 = 9;

/// (section, interface) pairs, counted from 0, whose times cannot be decoded.
pub type Untimed = Arc<Mutex<Vec<(u32, u32)>>>;

/// The reader; see the module documentation.
pub struct Sanitizer<R> {
    inner: R,
    /// Bytes ready to hand out, from `pos`.
    out: Vec<u8>,
    pos: usize,
    /// Bytes of the current block still to pass straight through.
    through: u64,
    big_endian: bool,
    /// Sections begun (the first section header makes it 1) and interfaces in the current one.
    sections: u32,
    interfaces: u32,
    untimed: Untimed,
}

impl<R: Read> Sanitizer<R> {
    /// Wraps a pcapng stream (starting at its first block); `untimed` collects the interfaces
    /// whose time resolution was set aside.
    pub fn new(inner: R, untimed: Untimed) -> Self {
        Sanitizer {
            inner,
            out: Vec::new(),
            pos: 0,
            through: 0,
            big_endian: false,
            sections: 0,
            interfaces: 0,
            untimed,
        }
    }

    /// Reads up to `n` more bytes into `out` (fewer only at the end of the input).
    fn fill(&mut self, n: usize) -> io::Result<usize> {
        let start = self.out.len();
        self.out.resize(start + n, 0);
        let mut got = 0;
        while got < n {
            match self.inner.read(&mut self.out[start + got..]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.out.truncate(start + got);
                    return Err(e);
                }
            }
        }
        self.out.truncate(start + got);
        Ok(got)
    }

    fn u32_at(&self, at: usize) -> u32 {
        let b = [
            self.out[at],
            self.out[at + 1],
            self.out[at + 2],
            self.out[at + 3],
        ];
        if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    }

    fn u16_at(&self, at: usize) -> u16 {
        let b = [self.out[at], self.out[at + 1]];
        if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    }

    /// Reads the next block's start, and the whole block if it is an interface block.
    fn next_block(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        if self.fill(8)? < 8 {
            return Ok(()); // the end, or a cut header: pcap-file says which
        }
        let kind = u32::from_le_bytes([self.out[0], self.out[1], self.out[2], self.out[3]]);
        if kind == SHB {
            if self.fill(4)? < 4 {
                return Ok(());
            }
            self.big_endian = self.out[8..12] == [0x1a, 0x2b, 0x3c, 0x4d];
            self.sections += 1;
            self.interfaces = 0;
        }
        let len = self.u32_at(4) as usize;
        let kind = self.u32_at(0);
        if kind == IDB && (20..=MAX_IDB).contains(&len) && len.is_multiple_of(4) {
            let want = len - self.out.len();
            if self.fill(want)? == want {
                self.sanitize_idb(len);
            }
            self.interfaces += 1;
        } else {
            self.through = (len as u64).saturating_sub(self.out.len() as u64);
        }
        Ok(())
    }

    /// Renames an `if_tsresol` that pcap-file would refuse (binary finer than 2^-29, decimal
    /// finer than 10^-9, or not one byte long).
    fn sanitize_idb(&mut self, len: usize) {
        let mut p = 16; // type, length, link type, reserved, snaplen
        while p + 4 <= len - 4 {
            let code = self.u16_at(p);
            let olen = usize::from(self.u16_at(p + 2));
            if code == 0 || p + 4 + olen > len - 4 {
                break;
            }
            if code == IF_TSRESOL {
                let v = self.out[p + 4];
                let (binary, resol) = (v & 0x80 != 0, v & 0x7f);
                if olen != 1 || (binary && resol > 29) || (!binary && resol > 9) {
                    let renamed = if self.big_endian {
                        RENAMED.to_be_bytes()
                    } else {
                        RENAMED.to_le_bytes()
                    };
                    self.out[p..p + 2].copy_from_slice(&renamed);
                    if let Ok(mut u) = self.untimed.lock() {
                        u.push((self.sections.saturating_sub(1), self.interfaces));
                    }
                }
            }
            p += 4 + olen.div_ceil(4) * 4;
        }
    }
}

impl<R: Read> Read for Sanitizer<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.pos);
                buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.through > 0 {
                let cap = usize::try_from(self.through)
                    .unwrap_or(usize::MAX)
                    .min(buf.len());
                let n = self.inner.read(&mut buf[..cap])?;
                self.through -= n as u64;
                return Ok(n);
            }
            self.next_block()?;
            if self.out.is_empty() {
                return Ok(0);
            }
        }
    }
}
