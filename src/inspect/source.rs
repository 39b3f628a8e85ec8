//! Where inspect's records come from: a capture file, or a capture on stdin, a pipe, a FIFO or a
//! socket (a *stream*), or a live interface ([`super::live`]). A file or a stream may be
//! gzip-compressed (told by its magic number, as the capture format is, and decompressed as it is
//! read: memory stays the decoder's window).
//!
//! A source hands out [`Record`]s one at a time, in capture order, and says at the end what it had
//! to set aside. The reading thread ([`super::reader`]) is generic over [`Source`], so a new kind
//! of input (a live interface, many files merged by time) is a new type implementing it, in a file
//! of its own, and a variant of [`Input`] — not a branch in the pipeline.
//!
//! A regular file is read as fast as it goes, in batches. Anything else streams: records arrive
//! as they happen, so the reader hands on what it has whenever the source would make it wait
//! ([`Source::ready`]), and waiting stops at [`stop`] (Ctrl-C, SIGTERM): the input then ends as if
//! it had reached its end.

use std::fs::File;
use std::io::{self, Cursor, IsTerminal, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyhow::Context as _;
use flate2::read::MultiGzDecoder;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::live::Live;
use crate::capture::{Capture, CaptureError, Record};
use crate::exit::UsageError;
use crate::i18n::tr;

/// The first two bytes of a gzip stream (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A supply of records.
pub trait Source: Send {
    /// The next record; `None` at the end. After an error, always `None`.
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>>;
    /// What was set aside so far, in words, for the summary.
    fn notes(&self) -> Vec<String>;
    /// Whether records arrive as they happen (a pipe, a socket, an interface), so that each must
    /// be handed on as soon as the source would wait for the next; `false` for a file.
    fn streams(&self) -> bool {
        false
    }
    /// Whether the next record can (probably) be had without waiting. Asked only of a source
    /// that [`streams`](Source::streams), before each record: on `false` the reader hands on what
    /// it holds first. A wrong `true` delays lines until the next record comes; a wrong `false`
    /// only makes a batch smaller.
    fn ready(&mut self) -> bool {
        true
    }
    /// What to say on stderr once the input ended (a live capture's counts), if anything.
    fn closing(&self) -> Option<String> {
        None
    }
}

static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every streaming source to end, as if its input had ended (Ctrl-C, SIGTERM).
pub fn stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// Whether [`stop`] was asked.
pub fn stopped() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// How long a streaming source waits before it looks at [`stop`] again.
pub const WAIT_SLICE: u16 = 100;

/// Waits until `fd` can be read (or is at its end, or failed), or [`stop`] was asked (`false`).
pub fn wait_readable(fd: BorrowedFd<'_>) -> io::Result<bool> {
    loop {
        if stopped() {
            return Ok(false);
        }
        let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::from(WAIT_SLICE)) {
            Ok(0) | Err(nix::errno::Errno::EINTR) => {}
            Ok(_) => return Ok(true),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether `fd` can be read now without waiting (at its end or failed included).
pub fn readable_now(fd: BorrowedFd<'_>) -> bool {
    let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
    matches!(poll(&mut fds, PollTimeout::ZERO), Ok(n) if n > 0)
}

impl<R: Read + Send> Source for Capture<R> {
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>> {
        Capture::next_record(self)
    }

    fn notes(&self) -> Vec<String> {
        Capture::notes(self)
    }
}

/// A capture read from a pipe, a FIFO or a socket: records are handed on as they come.
pub struct Stream {
    capture: Capture<Box<dyn Read + Send>>,
    /// The input's descriptor, to ask whether more is there.
    fd: OwnedFd,
    /// How many times the input was read (counted by [`Waiting`]).
    reads: Arc<AtomicU64>,
    /// The read count at which the descriptor was last found readable: until the next read,
    /// nothing can make the reader wait, and the descriptor need not be asked again.
    readable_at: Option<u64>,
}

impl Source for Stream {
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>> {
        match self.capture.next_record() {
            // Stopped inside a record: the input ends there, without complaint.
            Some(Err(_)) if stopped() => None,
            r => r,
        }
    }

    fn notes(&self) -> Vec<String> {
        self.capture.notes()
    }

    fn streams(&self) -> bool {
        true
    }

    fn ready(&mut self) -> bool {
        // Bytes the capture reader already holds are not seen here: at worst a smaller batch.
        // Once the descriptor is readable, the next read cannot wait: one `poll` per read of the
        // input, not per record, while data keeps coming.
        let reads = self.reads.load(Ordering::Relaxed);
        if self.readable_at == Some(reads) {
            return true;
        }
        let ready = readable_now(self.fd.as_fd());
        self.readable_at = ready.then_some(reads);
        ready
    }
}

/// An input that waits for its bytes [`WAIT_SLICE`] at a time, and ends at [`stop`].
struct Waiting {
    input: Box<dyn Read + Send>,
    fd: OwnedFd,
    reads: Arc<AtomicU64>,
}

impl Read for Waiting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        if wait_readable(self.fd.as_fd())? {
            self.input.read(buf)
        } else {
            Ok(0)
        }
    }
}

/// Every kind of input, as one [`Source`]: the reading loop is compiled once, for this type, and
/// each record goes to its kind by a `match`. (A copy of the loop per kind of source made the
/// compiler stop inlining dissection and analysis into it, 12 % more instructions per packet on
/// files; a `dyn Source`, 5 %.) A new kind of input is a variant here and a file of its own.
pub enum Input {
    /// A regular file (or stdin redirected from one), read in batches.
    File(Capture<Box<dyn Read + Send>>),
    /// A pipe, a FIFO, a socket, a terminal.
    Stream(Stream),
    /// A live interface.
    Live(Live),
}

impl Source for Input {
    #[inline]
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>> {
        match self {
            Input::File(c) => c.next_record(),
            Input::Stream(s) => s.next_record(),
            Input::Live(l) => l.next_record(),
        }
    }

    fn notes(&self) -> Vec<String> {
        match self {
            Input::File(c) => c.notes(),
            Input::Stream(s) => s.notes(),
            Input::Live(l) => l.notes(),
        }
    }

    fn streams(&self) -> bool {
        !matches!(self, Input::File(_))
    }

    fn ready(&mut self) -> bool {
        match self {
            Input::File(_) => true,
            Input::Stream(s) => s.ready(),
            Input::Live(l) => l.ready(),
        }
    }

    fn closing(&self) -> Option<String> {
        match self {
            Input::Live(l) => l.closing(),
            _ => None,
        }
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
/// decompressed first when it is gzip: a regular file to be read in batches, anything else as a
/// [`Stream`]. A terminal on stdin is a usage error: a capture cannot be typed, and waiting
/// without a word for one would look like a hang.
pub fn open(path: &Path) -> anyhow::Result<Opened<Input>> {
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
    let (input, fd): (Box<dyn Read + Send>, OwnedFd) = if stdin {
        // Unbuffered: std's stdin would hold bytes that polling its descriptor cannot see.
        let fd = io::stdin().as_fd().try_clone_to_owned()?;
        (Box::new(File::from(fd.try_clone()?)), fd)
    } else {
        let file = File::open(path).with_context(|| tr!("error-cannot-open", path = &name))?;
        let fd = file.as_fd().try_clone_to_owned()?;
        (Box::new(file), fd)
    };
    let label = if stdin { "stdin".to_string() } else { name };
    let regular = File::from(fd.try_clone()?)
        .metadata()
        .is_ok_and(|m| m.file_type().is_file());
    let reads = Arc::new(AtomicU64::new(0));
    let input: Box<dyn Read + Send> = if regular {
        input
    } else {
        Box::new(Waiting {
            input,
            fd: fd.try_clone()?,
            reads: Arc::clone(&reads),
        })
    };
    let (head, input) = peek(input).with_context(|| tr!("error-cannot-read", path = &label))?;
    let gzip = head == GZIP_MAGIC;
    let input: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(input))
    } else {
        Box::new(input)
    };
    let capture = match Capture::open(input) {
        Err(CaptureError::Empty) if stopped() => {
            anyhow::bail!(tr!("error-stopped-before-input", path = &label))
        }

        r => r.with_context(|| label.clone())?,
    };
    let mut container = capture.format().to_string();
    if gzip {
        container = tr!("format-gzip", format = container);
    }
    Ok(Opened {
        label,
        container,
        source: if regular {
            Input::File(capture)
        } else {
            Input::Stream(Stream {
                capture,
                fd,
                reads,
                readable_at: None,
            })
        },
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
