//! `serve`'s log, written by a thread of its own so that the log never decides the server's fate.
//!
//! The serving loop writes each line into a buffer ([`Log::line`]) and hands the buffer over
//! ([`Log::ship`]) when it holds [`CHUNK`] bytes or the socket goes idle. Between the two
//! threads the queue is bounded in bytes ([`QUEUE_BYTES`]): when the writer falls behind (a slow
//! reader, a reader that never reads), what does not fit is counted, not kept, and serving goes
//! on. When a write fails (a full disk, `/dev/full`, a closed pipe) the writer stops writing and
//! every later line is counted too. The summary says how many lines were not logged and why; a
//! warning says it at once, naming the stream (`stdout (/dev/full)`).
//!
//! At the end ([`Log::finish`]) the writer gets a bounded time to write what is queued; a writer
//! still blocked then (a reader that never reads) is left behind, and what it had not written is
//! counted as not logged. So Ctrl-C ends the server promptly whatever the reader does.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::Instant;

use crate::i18n::tr;

/// A buffer is handed to the writer once it holds this many bytes (or the socket goes idle).
pub const CHUNK: usize = 64 * 1024;
/// Most bytes waiting for the writer; lines that would go past it are counted, not logged.
pub const QUEUE_BYTES: usize = 4 * 1024 * 1024;
/// When the socket goes idle while busy, what is gathered is handed over at most this often
/// (each hand-over wakes the writer thread); the rest waits for the next idle moment or for
/// the receive to time out (`TICK`).
pub const SHIP_EVERY: std::time::Duration = std::time::Duration::from_millis(2);

/// One buffer of whole lines.
struct Chunk {
    bytes: Vec<u8>,
    lines: u64,
}

/// What both threads see.
#[derive(Default)]
struct Shared {
    /// Bytes handed over and not yet written.
    queued: AtomicUsize,
    /// Lines written.
    written: AtomicU64,
    /// The first write error, as text.
    failure: OnceLock<String>,
    failed: AtomicBool,
}

/// Why lines were not logged, for the summary.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Lines not logged (dropped while the writer was behind, after a failure, or still queued
    /// when the writer was given up on).
    pub lost: u64,
    /// Why: `stdout (/dev/full): No space left on device (os error 28)`, or that the log fell
    /// behind.
    pub why: Option<String>,
}

/// The serving loop's side of the log.
pub struct Log {
    /// Lines being gathered.
    buf: Vec<u8>,
    lines: u64,
    /// Lines handed to the writer.
    shipped: u64,
    /// Lines counted, not logged.
    dropped: u64,
    /// The queue was full at least once.
    fell_behind: bool,
    /// The warning about this log was printed.
    warned: bool,
    tx: Option<Sender<Chunk>>,
    done: Receiver<()>,
    shared: Arc<Shared>,
    /// The stream's name for messages: `stdout (/dev/full)`.
    name: String,
    /// When the last buffer was handed over.
    shipped_at: Instant,
}

impl Log {
    /// Starts the writer thread on `out`, called `name` in messages.
    pub fn start(mut out: Box<dyn Write + Send>, name: String) -> io::Result<Log> {
        let (tx, rx) = mpsc::channel::<Chunk>();
        let (done_tx, done) = mpsc::channel();
        let shared = Arc::new(Shared::default());
        let theirs = shared.clone();
        let named = name.clone();
        thread::Builder::new()
            .name("oneway-log".into())
            .spawn(move || {
                write_all(&mut *out, &rx, &theirs, &named);
                let _ = done_tx.send(());
            })?;
        Ok(Log {
            buf: Vec::with_capacity(CHUNK),
            lines: 0,
            shipped: 0,
            dropped: 0,
            fell_behind: false,
            warned: false,
            tx: Some(tx),
            done,
            shared,
            name,
            shipped_at: Instant::now(),
        })
    }

    /// Hands what is gathered over if the last hand-over is at least [`SHIP_EVERY`] old (a busy
    /// server going idle for a moment), or if `force` (the socket has been idle a while).
    pub fn ship_if_due(
        &mut self,
        now: Instant,
        force: bool,
        err: &mut dyn Write,
    ) -> io::Result<()> {
        if force || now.saturating_duration_since(self.shipped_at) >= SHIP_EVERY {
            self.ship(err)?;
        }
        Ok(())
    }

    /// The buffer to write the next line into; call [`Log::end_line`] after it.
    pub fn line(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// One more line is in the buffer; ships it when the buffer is full. A warning (at most one)
    /// goes to `err` the first time lines could not be logged.
    pub fn end_line(&mut self, err: &mut dyn Write) -> io::Result<()> {
        self.lines += 1;
        if self.buf.len() >= CHUNK {
            self.ship(err)?;
        }
        Ok(())
    }

    /// Hands what is gathered to the writer, or counts it as not logged when the writer failed
    /// or is [`QUEUE_BYTES`] behind.
    pub fn ship(&mut self, err: &mut dyn Write) -> io::Result<()> {
        if self.lines == 0 {
            return Ok(());
        }
        self.shipped_at = Instant::now();
        let len = self.buf.len();
        let failed = self.shared.failed.load(Ordering::Acquire);
        let full = self.shared.queued.load(Ordering::Acquire) + len > QUEUE_BYTES;
        if failed || full || self.tx.is_none() {
            self.dropped += self.lines;
            self.lines = 0;
            self.buf.clear();
            self.fell_behind |= full && !failed;
            if !self.warned {
                self.warned = true;
                let line = match self.shared.failure.get() {
                    Some(f) => tr!("log-cannot-write", failure = f),
                    None => tr!("log-not-keeping-up", name = &self.name),
                };
                writeln!(err, "oneway: {line}")?;
            }
            return Ok(());
        }
        self.shared.queued.fetch_add(len, Ordering::AcqRel);
        let bytes = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        let chunk = Chunk {
            bytes,
            lines: self.lines,
        };
        self.shipped += self.lines;
        self.lines = 0;
        if let Some(tx) = &self.tx
            && tx.send(chunk).is_err()
        {
            // The writer is gone (it never ends on its own): count as failed.
            self.tx = None;
        }
        Ok(())
    }

    /// Ships the rest and gives the writer until `deadline` to write it; lines it has not
    /// written by then are counted as not logged.
    pub fn finish(mut self, deadline: Instant, err: &mut dyn Write) -> io::Result<Report> {
        self.ship(err)?;
        drop(self.tx.take());
        let left = deadline.saturating_duration_since(Instant::now());
        let finished = match self.done.recv_timeout(left) {
            Ok(()) | Err(RecvTimeoutError::Disconnected) => true,
            Err(RecvTimeoutError::Timeout) => false,
        };
        let written = self.shared.written.load(Ordering::Acquire);
        let lost = self.dropped + self.shipped.saturating_sub(written);
        let why = match self.shared.failure.get() {
            Some(f) => Some(f.clone()),
            None if !finished && lost > 0 => Some(tr!("log-not-written", name = &self.name)),
            None if self.fell_behind => Some(tr!("log-fell-behind", name = &self.name)),
            None => None,
        };
        Ok(Report { lost, why })
    }
}

/// The writer thread: writes each chunk, flushing when nothing more is queued; after a failure,
/// only counts.
fn write_all(out: &mut dyn Write, rx: &Receiver<Chunk>, shared: &Shared, name: &str) {
    loop {
        let chunk = match rx.try_recv() {
            Ok(c) => c,
            Err(TryRecvError::Empty) => {
                if let Err(e) = out.flush() {
                    fail(shared, name, &e);
                }
                match rx.recv() {
                    Ok(c) => c,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        if !shared.failed.load(Ordering::Acquire) {
            match out.write_all(&chunk.bytes) {
                Ok(()) => {
                    shared.written.fetch_add(chunk.lines, Ordering::AcqRel);
                }
                Err(e) => fail(shared, name, &e),
            }
        }
        shared.queued.fetch_sub(chunk.bytes.len(), Ordering::AcqRel);
    }
    if !shared.failed.load(Ordering::Acquire)
        && let Err(e) = out.flush()
    {
        fail(shared, name, &e);
    }
}

fn fail(shared: &Shared, name: &str, e: &io::Error) {
    let what = if e.kind() == io::ErrorKind::BrokenPipe {
        tr!("log-reader-gone", name = name, error = e.to_string())
    } else {
        format!("{name}: {e}")
    };
    let _ = shared.failure.set(what);
    shared.failed.store(true, Ordering::Release);
}

/// How stdout is named in messages: `stdout`, with what it is where that can be read
/// (`stdout (/dev/full)`, `stdout (pipe)`).
pub fn stdout_name() -> String {
    #[cfg(target_os = "linux")]
    if let Ok(target) = std::fs::read_link("/proc/self/fd/1") {
        let t = target.to_string_lossy();
        let what = match t.split_once(":[") {
            Some((kind, _)) => kind.to_owned(),
            None => t.into_owned(),
        };
        return format!("stdout ({})", crate::escape::escape(what.as_bytes()));
    }
    "stdout".to_owned()
}

/// A writer that keeps what it is given, for tests: clones share the bytes.
#[cfg(test)]
#[derive(Clone, Default)]
pub struct Shelf(pub Arc<std::sync::Mutex<Vec<u8>>>);

#[cfg(test)]
impl Write for Shelf {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Writes nothing, ever: every write blocks until the test ends it.
    struct Stuck(Receiver<()>);
    impl Write for Stuck {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            let _ = self.0.recv();
            Err(io::Error::other("released"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn lines(log: &mut Log, n: usize, err: &mut Vec<u8>) {
        for i in 0..n {
            writeln!(log.line(), "line {i:0>100}").unwrap();
            log.end_line(err).unwrap();
        }
        log.ship(err).unwrap();
    }

    #[test]
    fn everything_is_written_in_order() {
        let shelf = Shelf::default();
        let mut log = Log::start(Box::new(shelf.clone()), "test".into()).unwrap();
        let mut err = Vec::new();
        lines(&mut log, 3000, &mut err);
        let report = log
            .finish(Instant::now() + Duration::from_secs(10), &mut err)
            .unwrap();
        assert_eq!(report, Report::default());
        let text = String::from_utf8(shelf.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 3000);
        assert!(text.ends_with(&format!("line {:0>100}\n", 2999)));
        assert!(err.is_empty());
    }

    #[test]
    fn a_stuck_reader_costs_lines_not_time() {
        let (release, rx) = mpsc::channel();
        let mut log = Log::start(Box::new(Stuck(rx)), "stdout (pipe)".into()).unwrap();
        let mut err = Vec::new();
        // 10 MB of lines: past the queue's bound, they are counted and not kept.
        let started = Instant::now();
        lines(&mut log, 100_000, &mut err);
        assert!(log.shared.queued.load(Ordering::Acquire) <= QUEUE_BYTES);
        let report = log
            .finish(Instant::now() + Duration::from_millis(100), &mut err)
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(report.lost, 100_000);
        assert_eq!(
            report.why.as_deref(),
            Some("stdout (pipe): not written when the server stopped")
        );
        let err = String::from_utf8(err).unwrap();
        assert_eq!(
            err,
            "oneway: warning: the log (stdout (pipe)) is not keeping up; serving goes on, and \
             the lines not logged are counted in the summary\n"
        );
        drop(release);
    }

    #[test]
    fn a_failed_write_is_named_and_counted() {
        let mut log = Log::start(Box::new(Full), "stdout (/dev/full)".into()).unwrap();
        let mut err = Vec::new();
        lines(&mut log, 10, &mut err);
        // the writer fails on the first chunk; once it has, later lines are counted at once
        while !log.shared.failed.load(Ordering::Acquire) {
            thread::sleep(Duration::from_millis(1));
        }
        lines(&mut log, 5, &mut err);
        let report = log
            .finish(Instant::now() + Duration::from_secs(10), &mut err)
            .unwrap();
        assert_eq!(report.lost, 15);
        let why = report.why.unwrap();
        assert!(
            why.starts_with("stdout (/dev/full): No space left on device"),
            "{why}"
        );
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.starts_with(
                "oneway: warning: cannot write the log to stdout (/dev/full): No space"
            ),
            "{err}"
        );
    }
}
