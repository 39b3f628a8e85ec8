//! Where inspect's records come from: a capture file, or a capture on stdin; either may be
//! gzip-compressed (told by its magic number, as the capture format is, and decompressed as it is
//! read: memory stays the decoder's window).
//!
//! A source hands out [`Record`]s one at a time, in capture order, and says at the end what it had
//! to set aside. The reading thread ([`super::reader`]) is generic over [`Source`], so a new kind
//! of input (a live interface, many files merged by time) is a new type implementing it, in a file
//! of its own, and one line in [`open`] — not a branch in the pipeline.

use std::fs::File;
use std::io::{self, Cursor, IsTerminal, Read};
use std::path::Path;

use anyhow::Context as _;
use flate2::read::MultiGzDecoder;

use crate::capture::{Capture, CaptureError, Record};
use crate::exit::UsageError;

/// The first two bytes of a gzip stream (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A supply of records.
pub trait Source: Send {
    /// The next record; `None` at the end. After an error, always `None`.
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>>;
    /// What was set aside so far, in words, for the summary.
    fn notes(&self) -> Vec<String>;
}

impl<R: Read + Send> Source for Capture<R> {
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>> {
        Capture::next_record(self)
    }

    fn notes(&self) -> Vec<String> {
        Capture::notes(self)
    }
}

/// An input, opened and its header read.
pub struct Opened<S> {
    /// How messages name it: the path, or `stdin`.
    pub label: String,
    /// Its container format, as the summary says it ("pcapng", …).
    pub container: String,
    /// Its records.
    pub source: S,
}

/// Opens `path` (`-` is stdin) as a pcap or pcapng capture, told apart by magic number, and
/// decompressed first when it is gzip. A terminal on stdin is a usage error: a capture cannot be
/// typed, and waiting without a word for one would look like a hang.
pub fn open(path: &Path) -> anyhow::Result<Opened<Capture<Box<dyn Read + Send>>>> {
    let stdin = path == Path::new("-");
    if stdin && io::stdin().is_terminal() {
        return Err(UsageError(
            "no capture to read: stdin is a terminal. Give a FILE (or -r FILE), or pipe one in, \
             e.g. `tcpdump -i lo -U -w - udp | oneway inspect`"
                .into(),
        )
        .into());
    }
    let name = path.display().to_string();
    let input: Box<dyn Read + Send> = if stdin {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path).with_context(|| format!("cannot open {name}"))?)
    };
    let label = if stdin { "stdin".to_string() } else { name };
    let (head, input) = peek(input).with_context(|| format!("{label}: cannot read"))?;
    let gzip = head == GZIP_MAGIC;
    let input: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(input))
    } else {
        Box::new(input)
    };
    let capture = Capture::open(input).with_context(|| label.clone())?;
    let mut container = capture.format().to_string();
    if gzip {
        container.push_str(", gzip-compressed");
    }
    Ok(Opened {
        label,
        container,
        source: capture,
    })
}

/// An input again from its first byte, after some were read to look at.
type Replayed<R> = io::Chain<Cursor<Vec<u8>>, R>;

/// The input's first two bytes (fewer at its end), and the input again from its first byte.
fn peek<R: Read>(mut input: R) -> io::Result<([u8; 2], Replayed<R>)> {
    let mut head = [0u8; 2];
    let mut got = 0;
    while got < head.len() {
        match input.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((head, Cursor::new(head[..got].to_vec()).chain(input)))
}
