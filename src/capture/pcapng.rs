//! pcapng as tshark reads it: block by block, every option that oneway does not need set aside.
//!
//! pcap-file decodes every option of a section or interface block and refuses the whole block
//! when one is odd (a string option that is not UTF-8, an `if_fcslen` of two bytes, an
//! `if_tsresol` finer than it represents). Its `next_raw_block` does not help there: it still
//! decodes section and interface blocks to keep its own state, refuses the same ones, and does
//! not move past them. So this module reads the block framing itself (type and total length,
//! one block at a time, into one reused buffer) and lets pcap-file's [`RawBlock::from_slice`]
//! check and split it; the section, interface and packet blocks are then parsed here. Of the
//! options only those that change how packets are read are decoded: `if_tsresol` (9),
//! `if_fcslen` (13) and `if_tsoffset` (14) of an interface, and the FCS length of a packet's
//! flags (`epb_flags`, 2), which overrides `if_fcslen`. Every other option is stepped over
//! whatever its bytes; one of the three whose length is wrong, and string options that are not
//! UTF-8, are counted and named in one note, never fatal. An Ethernet frame whose interface or
//! flags declare an FCS is handed on without it, as tshark's Ethernet dissector takes it off
//! (its original length stays what the wire carried).
//!
//! Memory: one buffer as large as the largest block read (at most [`MAX_BLOCK`], pcap-file's own
//! buffer size), and 16 bytes per interface of the current section (at most [`MAX_INTERFACES`]).

use std::borrow::Cow;
use std::io::{self, Read};
use std::time::Duration;

use pcap_file::pcapng::RawBlock;
use pcap_file::pcapng::blocks::block_common::{
    CUSTOM_BLOCK_COPIABLE, CUSTOM_BLOCK_NON_COPIABLE, ENHANCED_PACKET_BLOCK,
    INTERFACE_DESCRIPTION_BLOCK, PACKET_BLOCK, SECTION_HEADER_BLOCK, SIMPLE_PACKET_BLOCK,
    SYSTEMD_JOURNAL_EXPORT_BLOCK,
};

use super::{CaptureError, Frame, LinkType, MAX_SNAPLEN, Record};
use crate::i18n::tr;

/// The largest block read: pcap-file's reader holds at most this much (its buffer), and
/// Wireshark's limit is of the same order (16 MiB).
pub const MAX_BLOCK: u32 = 8_000_000;

/// Interfaces kept per section; the interface blocks after it are set aside (their packets are
/// unreadable records). 16 bytes each: 4 MiB at most.
pub const MAX_INTERFACES: usize = 262_144;

/// One interface of the current section, as far as reading its packets needs.
#[derive(Debug, Clone, Copy)]
struct Interface {
    link: LinkType,
    /// `if_tsresol` as written (default 6: microseconds).
    tsresol: u8,
    /// `if_tsoffset`, seconds.
    offset: i64,
    /// Bytes of frame check sequence at the end of each Ethernet frame (`if_fcslen`).
    fcs: u8,
}

/// What was set aside, counted (a note each when not zero).
#[derive(Debug, Default, Clone)]
struct SetAside {
    /// String options (comments, names, descriptions…) that are not UTF-8.
    not_utf8: u64,
    /// `if_tsresol`, `if_tsoffset` or `if_fcslen` options of a length the specification
    /// does not allow.
    bad_length: u64,
    /// Option lists that run past the end of their block.
    overrun: u64,
    /// Interfaces whose time resolution cannot be decoded: (section, interface) of the first,
    /// and how many.
    untimed: Option<(u32, u32)>,
    untimed_count: u64,
    /// Packets whose time falls before 1970 (after `if_tsoffset`): the first one's frame.
    before_1970: Option<u64>,
    before_1970_count: u64,
    /// Interface blocks past [`MAX_INTERFACES`] in one section.
    too_many_interfaces: u64,
}

/// The reader of a pcapng stream, from its first byte (the section header's block type).
pub struct PcapNg<R: Read> {
    input: io::BufReader<R>,
    big_endian: bool,
    /// Bytes consumed so far: the offset of the next block.
    offset: u64,
    /// The current block, framing included, in its first `len` bytes (one buffer, reused).
    buf: Vec<u8>,
    len: usize,
    interfaces: Vec<Interface>,
    /// Sections begun (the first section header makes it 1).
    sections: u32,
    aside: SetAside,
}

/// What one block is, once read.
enum Step {
    /// A packet: its interface's link type, its time, its original length, and where its bytes
    /// lie in the buffer.
    Frame {
        link: LinkType,
        time: Option<Duration>,
        orig_len: u32,
        data: std::ops::Range<usize>,
    },
    Bad(String),
    Other(&'static str),
    Skip,
}

impl<R: Read> PcapNg<R> {
    /// Reads the first section header block; `input` starts at the block type.
    pub fn open(input: R) -> Result<Self, CaptureError> {
        let mut reader = PcapNg {
            // Each block's header is read on its own: buffered, so that this is not a system
            // call per block.
            input: io::BufReader::with_capacity(1 << 16, input),
            big_endian: false,
            offset: 0,
            buf: Vec::with_capacity(2048),
            len: 0,
            interfaces: Vec::new(),
            sections: 0,
            aside: SetAside::default(),
        };
        match reader.read_block(0) {
            Ok(true) => {}
            Ok(false) => {
                return Err(CaptureError::BadHeader {
                    format: "pcapng",
                    why: tr!("why-header-ends").into_owned(),
                });
            }
            Err(CaptureError::Truncated { .. }) => {
                return Err(CaptureError::BadHeader {
                    format: "pcapng",
                    why: tr!("why-header-ends").into_owned(),
                });
            }
            Err(CaptureError::Damaged { why, .. }) => {
                return Err(CaptureError::BadHeader {
                    format: "pcapng",
                    why,
                });
            }
            Err(e) => return Err(e),
        }
        match reader.step(0) {
            Ok(Step::Skip) => Ok(reader),
            Ok(Step::Bad(why)) => Err(CaptureError::BadHeader {
                format: "pcapng",
                why,
            }),
            Ok(_) => Err(CaptureError::BadHeader {
                format: "pcapng",
                why: tr!("why-first-not-shb").into_owned(),
            }),
            Err(CaptureError::Damaged { why, .. }) => Err(CaptureError::BadHeader {
                format: "pcapng",
                why,
            }),
            Err(e) => Err(e),
        }
    }

    fn u16_at(&self, at: usize) -> u16 {
        let b = [self.buf[at], self.buf[at + 1]];
        if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    }

    fn u32_at(&self, at: usize) -> u32 {
        let b = [
            self.buf[at],
            self.buf[at + 1],
            self.buf[at + 2],
            self.buf[at + 3],
        ];
        if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    }

    /// Reads bytes `from..to` of the block into `buf` (grown if need be, never zeroed again);
    /// fewer only at the end of the input.
    fn fill(&mut self, from: usize, to: usize) -> Result<usize, CaptureError> {
        if self.buf.len() < to {
            self.buf.resize(to, 0);
        }
        let mut got = from;
        while got < to {
            match self.input.read(&mut self.buf[got..to]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(CaptureError::Io {
                        offset: self.offset,
                        source,
                    });
                }
            }
        }
        Ok(got)
    }

    /// Reads the next whole block into `buf`; `Ok(false)` at the end of the input.
    fn read_block(&mut self, frame: u64) -> Result<bool, CaptureError> {
        let at = self.offset;
        let damaged = |why: String| CaptureError::Damaged {
            frame,
            offset: at,
            why,
        };
        self.len = 0;
        match self.fill(0, 8)? {
            0 => return Ok(false),
            n if n < 8 => return Err(CaptureError::Truncated { frame, offset: at }),
            _ => {}
        }
        let kind = u32::from_le_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]]);
        if kind == SECTION_HEADER_BLOCK {
            // The byte order is the section's own: its byte-order magic says which.
            if self.fill(8, 12)? < 12 {
                return Err(CaptureError::Truncated { frame, offset: at });
            }
            self.big_endian = match self.buf[8..12] {
                [0x1a, 0x2b, 0x3c, 0x4d] => true,
                [0x4d, 0x3c, 0x2b, 0x1a] => false,
                _ => {
                    let magic = format!(
                        "{:02x}{:02x}{:02x}{:02x}",
                        self.buf[8], self.buf[9], self.buf[10], self.buf[11]
                    );
                    return Err(damaged(tr!("why-byte-order-magic", magic = magic)));
                }
            };
        }
        let len = self.u32_at(4);
        if len < 12 {
            return Err(damaged(tr!("why-block-too-short", length = len)));
        }
        if !len.is_multiple_of(4) {
            return Err(damaged(tr!("why-block-not-multiple", length = len)));
        }
        if len > MAX_BLOCK {
            return Err(damaged(tr!(
                "why-block-too-long",
                length = len,
                max = MAX_BLOCK
            )));
        }
        let len = len as usize;
        let have = if kind == SECTION_HEADER_BLOCK { 12 } else { 8 };
        if self.fill(have.min(len), len)? < len {
            return Err(CaptureError::Truncated { frame, offset: at });
        }
        self.len = len;
        self.offset += len as u64;
        Ok(true)
    }

    /// The block in `buf`, checked and split by pcap-file.
    fn raw(&self) -> Result<(u32, std::ops::Range<usize>), String> {
        let parsed = if self.big_endian {
            RawBlock::from_slice::<byteorder_slice::BigEndian>(&self.buf[..self.len])
        } else {
            RawBlock::from_slice::<byteorder_slice::LittleEndian>(&self.buf[..self.len])
        };
        match parsed {
            Ok((_, raw)) => Ok((raw.type_, 8..8 + raw.body.len())),
            Err(e) => Err(match e.to_string() {
                s if s.contains("mismatch") || s.contains("Mismatch") => tr!(
                    "why-trailing-length",
                    trailing = self.u32_at(self.len - 4),
                    leading = self.u32_at(4)
                ),
                s => s,
            }),
        }
    }

    /// Interprets the block in `buf`.
    fn step(&mut self, frame: u64) -> Result<Step, CaptureError> {
        let at = self.offset - self.len as u64;
        let (kind, body) = self.raw().map_err(|why| CaptureError::Damaged {
            frame,
            offset: at,
            why,
        })?;
        let (start, end) = (body.start, body.end);
        Ok(match kind {
            SECTION_HEADER_BLOCK => {
                if end - start < 16 {
                    return Err(CaptureError::Damaged {
                        frame,
                        offset: at,
                        why: tr!("why-shb-short").into_owned(),
                    });
                }
                let major = self.u16_at(start + 4);
                if major != 1 {
                    return Err(CaptureError::Damaged {
                        frame,
                        offset: at,
                        why: tr!(
                            "why-version",
                            version = format!("{major}.{}", self.u16_at(start + 6))
                        ),
                    });
                }
                self.options(start + 16, end, SHB_STRINGS, |_, _, _| {});
                self.sections += 1;
                self.interfaces.clear();
                Step::Skip
            }
            INTERFACE_DESCRIPTION_BLOCK => {
                if end - start < 8 {
                    return Ok(Step::Bad(tr!("why-idb-short").into_owned()));
                }
                let link = self.u16_at(start);
                let mut iface = Interface {
                    link,
                    tsresol: 6,
                    offset: 0,
                    fcs: 0,
                };
                let big_endian = self.big_endian;
                let mut bad_length = 0;
                self.options(start + 8, end, IDB_STRINGS, |code, value, _| match code {
                    9 if value.len() == 1 => iface.tsresol = value[0],
                    14 if value.len() == 8 => {
                        let b: [u8; 8] = value.try_into().unwrap_or([0; 8]);
                        iface.offset = if big_endian {
                            i64::from_be_bytes(b)
                        } else {
                            i64::from_le_bytes(b)
                        };
                    }
                    13 if value.len() == 1 => iface.fcs = fcs_bytes(value[0]),
                    9 | 13 | 14 => bad_length += 1,
                    _ => {}
                });
                self.aside.bad_length += bad_length;
                if self.interfaces.len() >= MAX_INTERFACES {
                    self.aside.too_many_interfaces += 1;
                } else {
                    if units(iface.tsresol).is_none() {
                        let id = u32::try_from(self.interfaces.len()).unwrap_or(u32::MAX);
                        self.aside
                            .untimed
                            .get_or_insert((self.sections.saturating_sub(1), id));
                        self.aside.untimed_count += 1;
                    }
                    self.interfaces.push(iface);
                }
                Step::Skip
            }
            ENHANCED_PACKET_BLOCK | PACKET_BLOCK => {
                if end - start < 20 {
                    return Ok(Step::Bad(tr!("why-packet-short").into_owned()));
                }
                let id = if kind == PACKET_BLOCK {
                    u32::from(self.u16_at(start))
                } else {
                    self.u32_at(start)
                };
                let (high, low) = (self.u32_at(start + 4), self.u32_at(start + 8));
                let (caplen, orig_len) = (self.u32_at(start + 12), self.u32_at(start + 16));
                let Some(iface) = self.interfaces.get(id as usize).copied() else {
                    return Ok(Step::Bad(tr!("why-no-interface", interface = id)));
                };
                let data = start + 20;
                if caplen as usize > end - data {
                    return Ok(Step::Bad(tr!(
                        "why-packet-cannot-hold",
                        size = self.len,
                        caplen = caplen
                    )));
                }
                if caplen > MAX_SNAPLEN {
                    return Ok(Step::Bad(tr!(
                        "why-packet-caplen",
                        caplen = caplen,
                        max = MAX_SNAPLEN
                    )));
                }
                let ticks = (u64::from(high) << 32) | u64::from(low);
                let time = match time(ticks, iface) {
                    Some(Ok(t)) => Some(t),
                    Some(Err(())) => {
                        self.aside.before_1970.get_or_insert(frame);
                        self.aside.before_1970_count += 1;
                        None
                    }
                    None => None,
                };
                // A flags option's FCS length (octets) overrides the interface's.
                let options = data + (caplen as usize).div_ceil(4) * 4;
                let fcs = self.flags_fcs(options, end).unwrap_or(iface.fcs);
                let kept = without_fcs(iface.link, fcs, caplen, orig_len);
                Step::Frame {
                    link: iface.link,
                    time,
                    orig_len,
                    data: data..data + kept as usize,
                }
            }
            SIMPLE_PACKET_BLOCK => {
                let Some(iface) = self.interfaces.first().copied() else {
                    return Ok(Step::Bad(tr!("why-spb-first").into_owned()));
                };
                if end - start < 4 {
                    return Ok(Step::Bad(tr!("why-spb-short").into_owned()));
                }
                let orig_len = self.u32_at(start);
                let data = start + 4;
                let caplen = (orig_len as usize).min(end - data);
                let kept = without_fcs(iface.link, iface.fcs, caplen as u32, orig_len);
                Step::Frame {
                    link: iface.link,
                    time: None,
                    orig_len,
                    data: data..data + kept as usize,
                }
            }
            CUSTOM_BLOCK_COPIABLE | CUSTOM_BLOCK_NON_COPIABLE => Step::Other("pcapng custom block"),
            SYSTEMD_JOURNAL_EXPORT_BLOCK => Step::Other("systemd journal export block"),
            _ => Step::Skip,
        })
    }

    /// Walks the options from `from` to `end`, handing each (code, value, is-string) to `each`;
    /// string options (`strings`) that are not UTF-8 are counted, a list that runs past the
    /// block is counted and cut there.
    fn options(
        &mut self,
        from: usize,
        end: usize,
        strings: &[u16],
        mut each: impl FnMut(u16, &[u8], bool),
    ) {
        let mut p = from;
        while p + 4 <= end {
            let code = self.u16_at(p);
            let len = usize::from(self.u16_at(p + 2));
            if code == 0 {
                return;
            }
            if p + 4 + len > end {
                self.aside.overrun += 1;
                return;
            }
            let value = &self.buf[p + 4..p + 4 + len];
            let string = code == 1 || strings.contains(&code);
            if string && std::str::from_utf8(value).is_err() {
                self.aside.not_utf8 += 1;
            }
            each(code, value, string);
            p += 4 + len.div_ceil(4) * 4;
        }
    }

    /// The FCS length a packet block's flags option (`epb_flags`, 2) gives (bits 5–8, in
    /// octets), when it gives one (not zero); the options run from `from` to `end`. Only this
    /// option is read: the rest are stepped over whatever their bytes, as in
    /// [`PcapNg::options`], and a list that runs past the block ends the walk.
    fn flags_fcs(&self, from: usize, end: usize) -> Option<u8> {
        let mut p = from;
        while p + 4 <= end {
            let code = self.u16_at(p);
            let len = usize::from(self.u16_at(p + 2));
            if code == 0 || p + 4 + len > end {
                return None;
            }
            if code == 2 && len == 4 {
                let fcs = ((self.u32_at(p + 4) >> 5) & 0xf) as u8;
                return (fcs != 0).then_some(fcs);
            }
            p += 4 + len.div_ceil(4) * 4;
        }
        None
    }

    /// The next record; `None` at the end.
    pub fn next(&mut self, number: u64) -> Option<Result<Record<'_>, CaptureError>> {
        loop {
            match self.read_block(number) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
            match self.step(number) {
                Err(e) => return Some(Err(e)),
                Ok(Step::Skip) => continue,
                Ok(Step::Bad(why)) => return Some(Ok(Record::Unreadable { number, why })),
                Ok(Step::Other(what)) => return Some(Ok(Record::NotAPacket { number, what })),
                Ok(Step::Frame {
                    link,
                    time,
                    orig_len,
                    data,
                }) => {
                    return Some(Ok(Record::Frame(Frame {
                        number,
                        link,
                        time,
                        orig_len,
                        data: Cow::Borrowed(&self.buf[data]),
                    })));
                }
            }
        }
    }

    /// What was set aside so far, in words.
    pub fn notes(&self) -> Vec<String> {
        let a = &self.aside;
        let mut notes = Vec::new();
        if let Some((section, interface)) = a.untimed {
            notes.push(if a.untimed_count == 1 {
                tr!(
                    "note-pcapng-untimed-one",
                    interface = interface,
                    section = section
                )
            } else {
                tr!(
                    "note-pcapng-untimed-many",
                    n = a.untimed_count,
                    interface = interface,
                    section = section
                )
            });
        }
        if let Some(first) = a.before_1970 {
            notes.push(tr!(
                "note-pcapng-before-1970",
                n = a.before_1970_count,
                first = first
            ));
        }
        let mut why = Vec::new();
        for (n, key) in [
            (a.not_utf8, "note-pcapng-not-utf8"),
            (a.bad_length, "note-pcapng-bad-length"),
            (a.overrun, "note-pcapng-overrun"),
        ] {
            if n > 0 {
                why.push(tr!(key, n = n));
            }
        }
        if !why.is_empty() {
            notes.push(tr!("note-pcapng-options-set-aside", why = why.join(", ")));
        }
        if a.too_many_interfaces > 0 {
            notes.push(tr!(
                "note-pcapng-too-many-interfaces",
                n = a.too_many_interfaces,
                max = MAX_INTERFACES
            ));
        }
        notes
    }
}

/// String options of a section header (`shb_hardware`, `shb_os`, `shb_userappl`); 1
/// (`opt_comment`) is a string in every block.
const SHB_STRINGS: &[u16] = &[2, 3, 4];
/// String options of an interface block (`if_name`, `if_description`, `if_os`, `if_hardware`).
const IDB_STRINGS: &[u16] = &[2, 3, 12, 15];

/// LINKTYPE_ETHERNET: the one link type whose FCS tshark takes off (its Ethernet dissector).
const ETHERNET: LinkType = 1;

/// The bytes of FCS an `if_fcslen` value means. The specification counts bits; values below 8
/// are read as bytes (writers that put 4 there mean bytes), as Wireshark's reader does.
fn fcs_bytes(fcslen: u8) -> u8 {
    if fcslen < 8 { fcslen } else { fcslen / 8 }
}

/// How many of a packet's `caplen` captured bytes are kept when it ends in `fcs` bytes of frame
/// check sequence: an Ethernet frame loses the FCS's place (the last `fcs` bytes of its length
/// on the wire, or of what was captured when that is more), when the frame holds more than its
/// header and the FCS; what lies before stays as captured. Other link types keep every byte:
/// tshark removes an FCS in its Ethernet dissector only, after the 14-byte header.
fn without_fcs(link: LinkType, fcs: u8, caplen: u32, orig_len: u32) -> u32 {
    let reported = orig_len.max(caplen);
    let fcs = u32::from(fcs);
    if link != ETHERNET || fcs == 0 || reported < 14 + fcs {
        return caplen;
    }
    caplen.min(reported - fcs)
}

/// Ticks per second of an `if_tsresol` (10^n, or 2^n with the top bit set); `None` when it
/// does not fit in 128 bits.
fn units(tsresol: u8) -> Option<u128> {
    let exp = u32::from(tsresol & 0x7f);
    if tsresol & 0x80 == 0 {
        10u128.checked_pow(exp)
    } else {
        2u128.checked_pow(exp)
    }
}

/// The time of a packet: `None` when the interface's resolution cannot be decoded or the time
/// does not fit; `Some(Err(()))` when it falls before 1970.
fn time(ticks: u64, iface: Interface) -> Option<Result<Duration, ()>> {
    let units = units(iface.tsresol)?;
    let secs = i128::from(ticks) / units as i128;
    let frac = u128::from(ticks) % units;
    let nanos = frac * 1_000_000_000 / units;
    let secs = secs + i128::from(iface.offset);
    if secs < 0 {
        return Some(Err(()));
    }
    let secs = u64::try_from(secs).ok()?;
    let nanos = u32::try_from(nanos).ok()?;
    Some(Ok(
        Duration::new(secs, 0).checked_add(Duration::from_nanos(u64::from(nanos)))?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iface(tsresol: u8, offset: i64) -> Interface {
        Interface {
            link: 1,
            tsresol,
            offset,
            fcs: 0,
        }
    }

    #[test]
    fn fcs_lengths_as_wireshark_reads_them() {
        // Bits from 8 on, bytes below (tshark 4.0 on crafted files: 4 and 32 both take 4
        // bytes, 1 and 8 both one, 255 takes 31).
        for (value, bytes) in [(0, 0), (1, 1), (4, 4), (7, 7), (8, 1), (15, 1), (32, 4)] {
            assert_eq!(fcs_bytes(value), bytes, "if_fcslen {value}");
        }
        assert_eq!(fcs_bytes(255), 31);
    }

    #[test]
    fn the_fcs_leaves_ethernet_frames_only() {
        // A whole 65-byte frame with a 4-byte FCS: 61 bytes are the frame.
        assert_eq!(without_fcs(ETHERNET, 4, 65, 65), 61);
        // Cut by the snaplen before the FCS: every captured byte stays.
        assert_eq!(without_fcs(ETHERNET, 4, 55, 65), 55);
        // Cut two bytes short of the end: the two FCS bytes captured go.
        assert_eq!(without_fcs(ETHERNET, 4, 65, 67), 63);
        // Captured length over the original length: the captured end is the FCS.
        assert_eq!(without_fcs(ETHERNET, 4, 65, 10), 61);
        // Nothing after the header but the FCS, or less: kept (tshark removes nothing).
        assert_eq!(without_fcs(ETHERNET, 4, 17, 17), 17);
        assert_eq!(without_fcs(ETHERNET, 4, 18, 18), 14);
        // Other link types, and no FCS.
        assert_eq!(without_fcs(101, 4, 65, 65), 65);
        assert_eq!(without_fcs(113, 4, 65, 65), 65);
        assert_eq!(without_fcs(ETHERNET, 0, 65, 65), 65);
    }

    #[test]
    fn times_in_every_resolution() {
        assert_eq!(
            time(1_500_000, iface(6, 0)),
            Some(Ok(Duration::from_millis(1500)))
        );
        assert_eq!(time(3, iface(9, 0)), Some(Ok(Duration::from_nanos(3))));
        // Finer than a nanosecond: cut to the nanosecond, as Wireshark does.
        assert_eq!(
            time(12_345, iface(12, 0)),
            Some(Ok(Duration::from_nanos(12)))
        );
        // Binary: 2^-10 s per tick.
        assert_eq!(time(1024, iface(0x8a, 0)), Some(Ok(Duration::from_secs(1))));
        assert_eq!(time(1, iface(6, -1)), Some(Err(())));
        assert_eq!(
            time(2_000_000, iface(6, -1)),
            Some(Ok(Duration::from_secs(1)))
        );
        // 10^127 ticks a second does not fit.
        assert_eq!(time(1, iface(127, 0)), None);
    }
}
