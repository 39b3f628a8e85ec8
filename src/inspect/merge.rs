//! Many captures read as one: each file on a reading thread of its own, their events merged by
//! time on the calling thread, as `mergecap` merges records.
//!
//! - **Order.** The merge takes, again and again, the record whose time is the earliest among
//!   the next records of every file; equal times go in the order the files were given (mergecap
//!   4.0 takes the later file's first: a rotated set whose files meet at one timestamp would
//!   come out of order). A record without a time (an unreadable one, a time that cannot be
//!   decoded) sorts at the time of the record before it in its own file (at the start of its
//!   file: before any time), so it stays where its file put it. Within a file, the order is the file's, as with mergecap: a file
//!   whose times go backwards is not re-sorted.
//! - **Frames.** Each file's reader numbers its own frames; the [`Outbox`](super::pipeline::Outbox) adds the file's share
//!   of a [frame id](crate::analyze::frame_id), so that the analysis and the views tell frame 12
//!   of the second file (`2:12`) from frame 12 of the first.
//! - **Both cores.** Files are read and dissected in parallel: up to [`ahead`] files (the cores)
//!   are read ahead of the merge, and any file whose first record is due is started too. A file
//!   holds at most [`IN_FLIGHT`] batches waiting for the merge, so memory is bounded by the files
//!   in flight, never by their total size: a rotated `tcpdump -C` set is read a file or two at a
//!   time. Files whose times overlap are all in flight at once (eight copies of one capture: all
//!   eight): a file started while a file per core is already read has batches of a share of one
//!   input's ([`Size::share`]: the files in flight per core), so that the batches in flight take
//!   about what those of one input per core take.
//! - **Cheap merging.** Each batch says the latest time its records sort at (found on the reading
//!   thread): a batch that sorts before every other file's next record is handed over whole,
//!   without looking at its records' times (a rotated set is nearly all such batches).
//! - **Damage.** A file that cannot be opened, or whose reading fails, is named in the failures
//!   returned; everything read of it before the damage is merged, and the other files are read to
//!   their end.
//! - **Reassembly** is the merge's, in merged order: a rotation may cut a datagram's IP fragments
//!   between two files. Each reading thread sends a fragment's frame as it is
//!   ([`Event::Fragment`]); one [`Reassembler`] here rebuilds the datagrams of every file, as
//!   tshark does on mergecap's output, and hands on what each fragment completes (fragments of
//!   one datagram captured in two files, on two interfaces, are pooled, as there). A fragment's
//!   datagram is prepared here, with the [`Prepare`] of its file's, instead of on its reading
//!   thread.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender};
use std::time::Duration;

use super::pipeline::{Batch, Event, Message, Size, Step, spawn_reader};
use super::prepare::Prepare;
use super::reader;
use super::source;
use crate::analyze::{frame_id, split_frame_id};
use crate::dissect::Reassembler;

/// Batches of one file sent and not yet taken by the merge, at most.
const IN_FLIGHT: usize = 2;
/// Batches of one file kept for reuse, at most.
const RECYCLED: usize = 2;

/// How many files are read ahead of the merge: the cores this process may use.
fn ahead() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// One file being read.
struct Lane {
    rx: Receiver<Message>,
    free: SyncSender<Batch>,
    /// The batch being merged, and the position of its next event.
    batch: Batch,
    next: usize,
    /// The time the next record sorts at: its own, or its file's previous one.
    clock: Duration,
}

enum State {
    /// Not started yet.
    Waiting,
    Reading(Box<Lane>),
    Done,
}

impl Lane {
    /// Whether there is a next event, receiving the next batch when this one is done (the merge
    /// waits for it); `false` at the file's end. A read error is pushed to `failures` as
    /// `(file, error)`.
    fn fetch(
        &mut self,
        file: usize,
        failures: &mut Vec<(usize, crate::capture::CaptureError)>,
    ) -> bool {
        while self.next >= self.batch.events.len() {
            let batch = match self.rx.recv() {
                Ok(Message::Batch(b)) => b,
                Ok(Message::Failed(e)) => {
                    failures.push((file, e));
                    return false;
                }
                Err(_) => return false,
            };
            let done = std::mem::replace(&mut self.batch, batch);
            self.next = 0;
            let _ = self.free.try_send(done);
        }
        true
    }
}

/// The merge's reassembly: IP fragments of every file, in merged order, so that a datagram whose
/// fragments a rotation cut between two files is rebuilt as in the capture that was cut.
struct Rebuild<'o, 'p> {
    /// Datagrams rebuilt and kept by the filters, so far.
    rebuilt: &'p std::cell::Cell<u64>,
    reassembler: Reassembler,
    /// What the datagrams rebuilt need prepared, per file (made when a file first needs it).
    prepares: Vec<Option<Prepare<'o>>>,
    prepare: &'p dyn Fn(usize) -> Prepare<'o>,
    /// The events of what a fragment completed, and their bytes.
    batch: Batch,
}

impl Rebuild<'_, '_> {
    /// Gives `event`, a fragment of `batch`, to the reassembler and hands what it completes to
    /// `each`.
    ///
    /// (Never inlined: fragments are rare, and the merge's loop is the analysis's.)
    #[inline(never)]
    fn hand(
        &mut self,
        event: &Event,
        batch: &Batch,
        each: &mut dyn FnMut(Step<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let &Event::Fragment {
            frame: id,
            time,
            ref bytes,
        } = event
        else {
            return each(Step::Event(event, batch));
        };
        let file = split_frame_id(id).0.saturating_sub(1);
        // Its link type, its length on the wire, its bytes (as the reader put them).
        let (link, rest) = batch.range(bytes).split_at(2);
        let (orig_len, data) = rest.split_at(4);
        let frame = crate::capture::Frame {
            number: split_frame_id(id).1,
            link: u16::from_le_bytes([link[0], link[1]]),
            time,
            orig_len: u32::from_le_bytes([orig_len[0], orig_len[1], orig_len[2], orig_len[3]]),
            data: std::borrow::Cow::Borrowed(data),
        };
        let prepare = self.prepares[file].get_or_insert_with(|| (self.prepare)(file));
        self.batch.events.clear();
        self.batch.arena.clear();
        let kept = match reader::reassemble(&frame, &mut self.reassembler, &mut self.batch.events) {
            Some(whole) => reader::push_dissection::<Self>(
                whole.dissect(),
                &frame,
                id,
                (false, true),
                prepare,
                &mut self.batch,
            ),
            None => 0,
        };
        self.rebuilt.set(self.rebuilt.get() + kept);
        self.flush(each)
    }

    /// Hands what the reassembler still held, counted, once every file is read.
    fn finish(
        &mut self,
        each: &mut dyn FnMut(Step<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.batch.events.clear();
        self.batch.arena.clear();
        self.reassembler.finish();
        reader::counts(&mut self.reassembler, &mut self.batch.events);
        self.flush(each)
    }

    fn flush(&self, each: &mut dyn FnMut(Step<'_>) -> anyhow::Result<()>) -> anyhow::Result<()> {
        self.batch
            .events
            .iter()
            .try_for_each(|e| each(Step::Event(e, &self.batch)))
    }
}

/// What a merged run returns: how each file that could not be read to its end failed, as
/// `(file, error)`, in the order met.
pub type Failures = Vec<(usize, anyhow::Error)>;

/// Reads `files` (those whose `first` is `Some`: the time their first record sorts at), each with
/// the [`Prepare`] `prepare` makes for it, and hands every event, merged by time, to `each`.
/// Stops after `limit` datagrams kept by the filters, when given, or at `each`'s error (returned).
pub fn run<'o>(
    files: &[PathBuf],
    first: &[Option<Duration>],
    prepare: impl Fn(usize) -> Prepare<'o>,
    limit: Option<u64>,
    mut each: impl FnMut(Step<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<Failures> {
    let mut failures: Failures = Vec::new();
    let mut read_failures = Vec::new();
    // Datagrams rebuilt from fragments and kept, so far (for `limit`).
    let rebuilt = std::cell::Cell::new(0);
    let mut rebuild = Rebuild {
        rebuilt: &rebuilt,
        reassembler: Reassembler::default(),
        prepares: files.iter().map(|_| None).collect(),
        prepare: &prepare,
        batch: Batch::default(),
    };
    let mut handed = |step: Step<'_>| match step {
        Step::Event(event @ Event::Fragment { .. }, batch) => rebuild.hand(event, batch, &mut each),
        step => each(step),
    };
    std::thread::scope(|scope| {
        // (Declared in here: returning early drops the lanes, which stops their readers, before
        // the scope waits for them.)
        let mut states: Vec<State> = first
            .iter()
            .map(|f| match f {
                Some(_) => State::Waiting,
                None => State::Done,
            })
            .collect();
        // Every file not yet done, by the time its next record sorts at, then by its place.
        let mut heap: BinaryHeap<Reverse<(Duration, usize)>> = first
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.map(|t| Reverse((t, i))))
            .collect();
        // The files not yet started, last due first: started ahead of their time.
        let mut due: Vec<usize> = heap
            .clone()
            .into_sorted_vec()
            .iter()
            .map(|r| r.0.1)
            .collect();
        let ahead = ahead();
        let start = |i: usize, states: &mut Vec<State>, failures: &mut Failures| {
            if !matches!(states[i], State::Waiting) {
                return;
            }
            // Up to a file per core, full batches; beyond, each file started has a share.
            let reading = states
                .iter()
                .filter(|s| matches!(s, State::Reading(_)))
                .count();
            let size = Size::share((reading + 1).div_ceil(ahead));
            let opened = match source::open(&files[i]) {
                Ok(o) => o,
                Err(e) => {
                    failures.push((i, e));
                    states[i] = State::Done;
                    return;
                }
            };
            let (rx, free) = spawn_reader(
                scope,
                opened.source,
                prepare(i),
                None,
                (IN_FLIGHT, RECYCLED, size),
                frame_id(i + 1, 0),
            );
            states[i] = State::Reading(Box::new(Lane {
                rx,
                free,
                batch: Batch::default(),
                next: 0,
                clock: Duration::ZERO,
            }));
        };
        let fill = |states: &mut Vec<State>, due: &mut Vec<usize>, failures: &mut Failures| {
            while states
                .iter()
                .filter(|s| matches!(s, State::Reading(_)))
                .count()
                < ahead
            {
                match due.pop() {
                    Some(i) => start(i, states, failures),
                    None => break,
                }
            }
        };
        fill(&mut states, &mut due, &mut failures);
        let mut left = limit.unwrap_or(u64::MAX);
        while let Some(Reverse((_, i))) = heap.pop() {
            if matches!(states[i], State::Waiting) {
                due.retain(|d| *d != i);
                start(i, &mut states, &mut failures);
            }
            let State::Reading(lane) = &mut states[i] else {
                continue;
            };
            // This file's records go while they sort before every other file's next one.
            let bound = heap.peek().map(|r| r.0);
            let mut began = false;
            let ended = loop {
                if !lane.fetch(i, &mut read_failures) {
                    break true;
                }
                // The whole rest of the batch sorts before the other files' next records: it
                // goes without looking at each record's time (without `--count`, which counts).
                if limit.is_none() && bound.is_none_or(|b| (lane.batch.latest, i) <= b) {
                    for event in &lane.batch.events[lane.next..] {
                        handed(Step::Event(event, &lane.batch))?;
                    }
                    lane.next = lane.batch.events.len();
                    lane.clock = lane.batch.clock;
                    began = true;
                    continue;
                }
                let event = &lane.batch.events[lane.next];
                if let Some(t) = event.starts(lane.clock) {
                    if began && bound.is_some_and(|b| (t, i) > b) {
                        heap.push(Reverse((t, i)));
                        break false;
                    }
                    began = true;
                    lane.clock = t;
                }
                let before = rebuilt.get();
                handed(Step::Event(event, &lane.batch))?;
                lane.next += 1;
                // (Datagrams rebuilt from fragments count too.)
                let n = u64::from(matches!(event, Event::Udp { .. })) + rebuilt.get() - before;
                if n > 0 {
                    left = left.saturating_sub(n);
                    if left == 0 {
                        return anyhow::Ok(());
                    }
                }
            };
            if ended {
                states[i] = State::Done;
                fill(&mut states, &mut due, &mut failures);
            }
        }
        Ok(())
    })?;
    rebuild.finish(&mut each)?;
    failures.extend(
        read_failures
            .into_iter()
            .map(|(i, e)| (i, anyhow::Error::new(e))),
    );
    Ok(failures)
}

/// A capture file looked at before the merge: when its first record is due, and its format.
pub struct Peeked {
    /// The time its first record sorts at (its own, or the start of time when it has none);
    /// `None` for a capture without records.
    pub first: Option<Duration>,
    /// Its format, as the summary says it (`pcap (microsecond), gzip-compressed`).
    pub container: String,
}

/// Opens `path` to see when its first record is. A file that is not a regular one is refused: it
/// could not be read a second time.
///
/// (Read through a type of its own, `Capture<Box<dyn Read>>`, not [`source::open`]'s: the reading
/// loop stays the only caller of its readers, which the compiler then inlines into it.)
pub fn peek(path: &std::path::Path, name: &str) -> anyhow::Result<Peeked> {
    use anyhow::Context as _;
    use std::io::Read;
    // Looked at before it is opened: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).with_context(|| format!("cannot open {name}"))?;
    if !meta.is_file() {
        anyhow::bail!(crate::i18n::tr!("inputs-not-regular", file = name));
    }
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {name}"))?;
    let mut head = [0u8; 2];
    let gzip = (&file).read_exact(&mut head).is_ok() && head == [0x1f, 0x8b];
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {name}"))?;
    let input: Box<dyn Read> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, file))
    };
    let mut capture = crate::capture::Capture::open(input).with_context(|| name.to_string())?;
    let mut container = capture.format().to_string();
    if gzip {
        container.push_str(", gzip-compressed");
    }
    let first = match capture.next_record() {
        None => None,
        Some(Ok(crate::capture::Record::Frame(f))) => Some(f.time.unwrap_or_default()),
        Some(_) => Some(Duration::ZERO),
    };
    Ok(Peeked { first, container })
}
