//! Capture files in, frames out: pcap and pcapng, read one record at a time.
//!
//! The format is detected by the magic number, never by the file name, so a file and a pipe
//! (`tcpdump -w - | oneway inspect -`) read alike. Memory is the reader's fixed buffer
//! ([`READ_BUFFER`] for pcap; for pcapng one buffer as large as the largest block, at most 8 MB)
//! whatever the capture's size.
//!
//! Read: pcap with microsecond and nanosecond magic in both byte orders, and the modified
//! (Kuznetzov) variant; the link-type field's low 16 bits are the link type (the upper bits may
//! carry FCS information); records whose captured length exceeds their original length are read,
//! and those longer than the file's snaplen are cut to it, as libpcap (tcpdump) does; a record
//! longer than 262144 bytes is damage. pcapng: several sections, several interfaces of different
//! link types, `if_tsresol` (decimal and binary) and `if_tsoffset`, enhanced, simple and obsolete
//! packet blocks, read by [`pcapng`] as tshark reads them (odd options set aside, never fatal);
//! custom and systemd journal blocks take a frame number, as in Wireshark, and are
//! counted as not packets; other blocks are stepped over.
//!
//! This module owns the container formats only: what is inside a frame is [`crate::dissect`]'s
//! business. A record that cannot be read ends the capture with a [`CaptureError`] naming the
//! frame and byte offset; every frame before it has been delivered.

use std::borrow::Cow;
use std::io::{self, Read};
use std::time::Duration;

use pcap_file::pcap::{PcapReadError, PcapReader, PcapTsResolution};

use crate::i18n::tr;

mod pcapng;

/// A link-layer header type, as in the pcap and pcapng specifications (LINKTYPE_*).
pub type LinkType = u16;

/// One captured record: a frame with its link type, time and lengths.
#[derive(Debug, Clone)]
pub struct Frame<'a> {
    /// 1-based number of the record in the file (tshark's and Wireshark's frame number).
    pub number: u64,
    /// Link type of the interface the frame was captured on.
    pub link: LinkType,
    /// Capture time since the Unix epoch; `None` for pcapng simple packet blocks, which carry none.
    pub time: Option<Duration>,
    /// Length of the frame on the wire.
    pub orig_len: u32,
    /// The bytes captured (fewer than `orig_len` when the snaplen cut the frame).
    pub data: Cow<'a, [u8]>,
}

/// Why a capture could not be read (further).
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The input holds no bytes at all.
    Empty,
    /// The first bytes are not a magic number we read.
    NotACapture(Vec<u8>),
    /// A format we recognise but do not read.
    Unsupported(&'static str),
    /// The file header itself is unreadable.
    BadHeader {
        /// `pcap` or `pcapng`.
        format: &'static str,
        /// What was wrong.
        why: String,
    },
    /// The file ends inside a record: everything before `offset` was read.
    Truncated {
        /// The frame that could not be read whole.
        frame: u64,
        /// Where its record starts in the file.
        offset: u64,
    },
    /// A record or block is damaged: reading stops there.
    Damaged {
        /// The frame that would have come next.
        frame: u64,
        /// Where the damaged record or block starts.
        offset: u64,
        /// What is wrong with it.
        why: String,
    },
    /// A live capture failed (reading its socket, writing its file).
    Live {
        /// What was being done.
        what: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// Reading the input failed.
    Io {
        /// How far the reading had come.
        offset: u64,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// In the language of the run: each message is a whole sentence of the catalogue.
impl std::fmt::Display for CaptureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            CaptureError::Empty => tr!("error-empty").into_owned(),
            CaptureError::NotACapture(magic) => tr!("error-not-capture", magic = show_magic(magic)),
            CaptureError::Unsupported(what) => tr!("error-unsupported", what = *what),
            CaptureError::BadHeader { format, why } => {
                tr!("error-bad-header", format = *format, why = why)
            }
            CaptureError::Truncated { frame, offset } => {
                tr!("error-truncated", frame = *frame, offset = *offset)
            }
            CaptureError::Damaged { frame, offset, why } => {
                tr!("error-damaged", frame = *frame, offset = *offset, why = why)
            }
            CaptureError::Live { what, .. } => what.clone(),
            CaptureError::Io { offset, .. } => tr!("error-read", offset = *offset),
        })
    }
}

fn show_magic(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let text = crate::escape::escape(bytes);
    format!("{} \"{}\"", hex.join(" "), text)
}

/// Which container format a capture uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Classic libpcap format, with microsecond timestamps.
    PcapMicro,
    /// Classic libpcap format, with nanosecond timestamps.
    PcapNano,
    /// Alexey Kuznetzov's modified libpcap format (magic a1b2cd34, 24-byte record headers).
    PcapModified,
    /// pcapng.
    PcapNg,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As people read it, in their language (the summary's first line).
        f.write_str(&match self {
            Format::PcapMicro => tr!("format-pcap-micro"),
            Format::PcapNano => tr!("format-pcap-nano"),
            Format::PcapModified => tr!("format-pcap-modified"),
            Format::PcapNg => "pcapng".into(),
        })
    }
}

/// What one step of reading gives: a frame, or a record that was skipped as unreadable while the
/// rest of the file stays readable (pcapng blocks carry their own length).
#[derive(Debug)]
pub enum Record<'a> {
    /// A frame.
    Frame(Frame<'a>),
    /// A record that is not a packet but that Wireshark numbers as a frame (a pcapng custom
    /// block, a systemd journal entry): it takes a frame number, so that numbers agree.
    NotAPacket {
        /// Its frame number.
        number: u64,
        /// What it is.
        what: &'static str,
    },
    /// A packet record that could not be decoded and was skipped.
    Unreadable {
        /// Its frame number.
        number: u64,
        /// Why.
        why: String,
    },
}

/// A capture being read, whatever its format.
pub struct Capture<R: Read> {
    inner: Inner<R>,
    next_number: u64,
    /// Byte offset of the next record (pcap only; pcapng asks its reader).
    offset: u64,
    done: bool,
}

/// The input again from its first byte: the magic number read to tell the format, then the rest.
type Input<R> = io::Chain<io::Cursor<[u8; 4]>, R>;

enum Inner<R: Read> {
    Pcap {
        reader: PcapReader<Input<R>>,
        link: LinkType,
        nanos: bool,
        /// The snaplen as libpcap adjusts it (0 or too large: the maximum).
        snapshot: u32,
    },
    PcapNg(pcapng::PcapNg<Input<R>>),
    Modified(Modified<Input<R>>),
}

/// A reader of the modified (Kuznetzov) pcap format, which pcap-file does not read: the classic
/// 24-byte file header, then records whose 16-byte header is followed by 8 more bytes (interface
/// index, protocol, packet type, padding). Microsecond timestamps.
struct Modified<R: Read> {
    input: R,
    big_endian: bool,
    link: LinkType,
    snapshot: u32,
    buf: Vec<u8>,
}

impl<R: Read> Modified<R> {
    fn open(mut input: R, magic: [u8; 4]) -> Result<Self, CaptureError> {
        let big_endian = magic == [0xa1, 0xb2, 0xcd, 0x34];
        // The whole file header, magic included (the input starts again at the magic).
        let mut header = [0u8; 24];
        input
            .read_exact(&mut header)
            .map_err(|e| CaptureError::BadHeader {
                format: "pcap",
                why: if e.kind() == io::ErrorKind::UnexpectedEof {
                    tr!("why-header-ends").into_owned()
                } else {
                    e.to_string()
                },
            })?;
        let word = |at: usize| {
            let b = [header[at], header[at + 1], header[at + 2], header[at + 3]];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let snapshot = match word(16) {
            0 => MAX_SNAPLEN,
            n => n.min(MAX_SNAPLEN),
        };
        Ok(Modified {
            input,
            big_endian,
            link: (word(20) & 0xffff) as LinkType,
            snapshot,
            buf: Vec::new(),
        })
    }

    fn next(&mut self, number: u64, offset: &mut u64) -> Option<Result<Record<'_>, CaptureError>> {
        let at = *offset;
        let mut header = [0u8; 24];
        let mut got = 0;
        while got < header.len() {
            match self.input.read(&mut header[got..]) {
                Ok(0) if got == 0 => return None,
                Ok(0) => {
                    return Some(Err(CaptureError::Truncated {
                        frame: number,
                        offset: at,
                    }));
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => return Some(Err(CaptureError::Io { offset: at, source })),
            }
        }
        let word = |i: usize| {
            let b = [header[i], header[i + 1], header[i + 2], header[i + 3]];
            if self.big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let (secs, micros, caplen, orig_len) = (word(0), word(4), word(8), word(12));
        if caplen > MAX_SNAPLEN {
            return Some(Err(CaptureError::Damaged {
                frame: number,
                offset: at,
                why: tr!("why-caplen", caplen = caplen, max = MAX_SNAPLEN),
            }));
        }
        self.buf.resize(caplen as usize, 0);
        if let Err(e) = self.input.read_exact(&mut self.buf) {
            return Some(Err(if e.kind() == io::ErrorKind::UnexpectedEof {
                CaptureError::Truncated {
                    frame: number,
                    offset: at,
                }
            } else {
                CaptureError::Io {
                    offset: at,
                    source: e,
                }
            }));
        }
        *offset += 24 + u64::from(caplen);
        let keep = caplen.min(self.snapshot) as usize;
        let time = Duration::from_secs(u64::from(secs)) + Duration::from_micros(u64::from(micros));
        Some(Ok(Record::Frame(Frame {
            number,
            link: self.link,
            time: Some(time),
            orig_len,
            data: Cow::Borrowed(&self.buf[..keep]),
        })))
    }
}

const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// Whether a file that begins with `magic` is a capture this reader opens (pcap of either byte
/// order and resolution, Kuznetzov's modified pcap, pcapng): how a directory's captures are told
/// from its other files.
pub fn is_capture_magic(magic: [u8; 4]) -> bool {
    matches!(
        magic,
        PCAPNG_MAGIC
            | [0xa1, 0xb2, 0xc3, 0xd4]
            | [0xd4, 0xc3, 0xb2, 0xa1]
            | [0xa1, 0xb2, 0x3c, 0x4d]
            | [0x4d, 0x3c, 0xb2, 0xa1]
            | [0xa1, 0xb2, 0xcd, 0x34]
            | [0x34, 0xcd, 0xb2, 0xa1]
    )
}

/// The largest record libpcap reads (its `MAXIMUM_SNAPLEN` for nearly every link type); a larger
/// captured length is damage.
pub const MAX_SNAPLEN: u32 = 262_144;

/// pcap's read buffer: the largest record and its header, with room to spare. (pcap-file's own
/// default is 8 MB, zeroed when the file is opened: 64 MB for eight files merged, and pages the
/// reading thread keeps evicting from its cache; a system call per half megabyte costs nothing.)
/// A record's captured length above [`MAX_SNAPLEN`] is damage; one beyond this buffer, like one
/// beyond 8 MB before, cannot be held to be looked at, and reads as a cut record.
pub const READ_BUFFER: usize = 512 << 10;

impl<R: Read> Capture<R> {
    /// Detects the format from the first bytes and reads the file header.
    pub fn open(mut input: R) -> Result<Self, CaptureError> {
        let mut magic = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            match input.read(&mut magic[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => return Err(CaptureError::Io { offset: 0, source }),
            }
        }
        if got == 0 {
            return Err(CaptureError::Empty);
        }
        if got < 4 {
            return Err(CaptureError::NotACapture(magic[..got].to_vec()));
        }
        let chained = io::Cursor::new(magic).chain(input);
        let inner = match magic {
            PCAPNG_MAGIC => Inner::PcapNg(pcapng::PcapNg::open(chained)?),
            [0xa1, 0xb2, 0xc3, 0xd4]
            | [0xd4, 0xc3, 0xb2, 0xa1]
            | [0xa1, 0xb2, 0x3c, 0x4d]
            | [0x4d, 0x3c, 0xb2, 0xa1] => {
                let reader = PcapReader::with_capacity(chained, READ_BUFFER)
                    .map_err(|e| header_error("pcap", &e))?;
                let header = reader.header();
                // The upper 16 bits may carry FCS information (pcap specification, LinkType).
                let link = (u32::from(header.datalink) & 0xffff) as LinkType;
                let nanos = header.ts_resolution == PcapTsResolution::NanoSecond;
                let snapshot = match header.snaplen {
                    0 => MAX_SNAPLEN,
                    n => n.min(MAX_SNAPLEN),
                };
                Inner::Pcap {
                    reader,
                    link,
                    nanos,
                    snapshot,
                }
            }
            [0xa1, 0xb2, 0xcd, 0x34] | [0x34, 0xcd, 0xb2, 0xa1] => {
                Inner::Modified(Modified::open(chained, magic)?)
            }
            _ => return Err(CaptureError::NotACapture(magic.to_vec())),
        };
        Ok(Capture {
            inner,
            next_number: 1,
            offset: 24,
            done: false,
        })
    }

    /// What the reader had to set aside so far, in words (e.g. an interface whose time
    /// resolution cannot be decoded: its packets have no time).
    pub fn notes(&self) -> Vec<String> {
        match &self.inner {
            Inner::PcapNg(reader) => reader.notes(),
            _ => Vec::new(),
        }
    }

    /// The container format.
    pub fn format(&self) -> Format {
        match &self.inner {
            Inner::Pcap { nanos: true, .. } => Format::PcapNano,
            Inner::Pcap { .. } => Format::PcapMicro,
            Inner::PcapNg { .. } => Format::PcapNg,
            Inner::Modified(_) => Format::PcapModified,
        }
    }

    /// The next record; `None` at the end. After an error, always `None`.
    pub fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>> {
        if self.done {
            return None;
        }
        let number = self.next_number;
        let result = match &mut self.inner {
            Inner::Pcap {
                reader,
                link,
                nanos,
                snapshot,
            } => {
                let offset = self.offset;
                match reader.next_raw_packet() {
                    None => None,
                    Some(Ok(p)) if p.incl_len > MAX_SNAPLEN => Some(Err(CaptureError::Damaged {
                        frame: number,
                        offset,
                        why: tr!("why-caplen-peers", caplen = p.incl_len, max = MAX_SNAPLEN),
                    })),
                    Some(Ok(p)) => {
                        self.offset += 16 + u64::from(p.incl_len);
                        // Longer than the file's snaplen: libpcap (tcpdump) keeps the first
                        // snaplen bytes and discards the rest of the record.
                        let keep = p.incl_len.min(*snapshot) as usize;
                        let data = match p.data {
                            Cow::Borrowed(b) => Cow::Borrowed(&b[..keep.min(b.len())]),
                            Cow::Owned(mut v) => {
                                v.truncate(keep);
                                Cow::Owned(v)
                            }
                        };
                        // A fraction out of range is carried into the seconds, as tcpdump does.
                        let frac = u64::from(p.ts_frac) * if *nanos { 1 } else { 1000 };
                        let time =
                            Duration::from_secs(u64::from(p.ts_sec)) + Duration::from_nanos(frac);
                        Some(Ok(Record::Frame(Frame {
                            number,
                            link: *link,
                            time: Some(time),
                            orig_len: p.orig_len,
                            data,
                        })))
                    }
                    Some(Err(e)) => Some(Err(pcap_error(e, number, offset))),
                }
            }
            Inner::PcapNg(reader) => reader.next(number),
            Inner::Modified(m) => m.next(number, &mut self.offset),
        };
        match &result {
            None | Some(Err(_)) => self.done = true,
            Some(Ok(_)) => self.next_number += 1,
        }
        result
    }
}

fn header_error(format: &'static str, e: &dyn std::error::Error) -> CaptureError {
    let mut why = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        why = format!("{why}: {s}");
        source = s.source();
    }
    if why.contains("UnexpectedEof") || why.contains("unexpected end of file") {
        why = tr!("why-header-ends").into_owned();
    }
    CaptureError::BadHeader { format, why }
}

fn pcap_error(e: PcapReadError, frame: u64, offset: u64) -> CaptureError {
    match e {
        PcapReadError::Io(io) if io.kind() == io::ErrorKind::UnexpectedEof => {
            CaptureError::Truncated { frame, offset }
        }
        PcapReadError::Io(source) => CaptureError::Io { offset, source },
        PcapReadError::Validation(v) => CaptureError::Damaged {
            frame,
            offset,
            why: v.to_string(),
        },
    }
}
