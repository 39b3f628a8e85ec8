//! inspect's two threads and what crosses between them.
//!
//! The reading thread ([`super::reader`]) reads records, dissects, reassembles and prepares what
//! needs no analysis; the calling thread analyzes and writes ([`super::view`]). Each keeps its own
//! working set in its own core's cache (the writer's flow table is the summary's main cost, and
//! packet bytes would evict it), and the two overlap.
//!
//! - **Batches.** Events cross in [`Batch`]es of at most [`BATCH_EVENTS`] events or about
//!   [`BATCH_BYTES`] bytes of arena, so that the writer is woken once per batch, not per packet.
//! - **Back-pressure.** At most [`IN_FLIGHT`] batches wait for the writer; the reader blocks
//!   beyond that, so memory stays flat whatever the capture's size. Batches the writer is done
//!   with come back to the reader through a second channel and are reused.
//! - **Streaming.** A source that [streams](Source::streams) (a pipe, an interface) has its batch
//!   sent whenever it would wait for the next record, so every line is written as soon as its
//!   record arrives; the writer is told at the end of each batch ([`Step::BatchDone`]) and flushes.
//!   A file's batches are sent only when full.
//! - **Stopping.** When the writing side stops early (a closed pipe, an error), its end of the
//!   channel closes and the reader stops at its next batch (a streaming source is also told to
//!   stop waiting, [`super::source::stop`]: no next batch may ever come). A read error travels after the last
//!   batch as [`Message::Failed`], so everything read before the damage is written first. A panic
//!   in the reader reaches the caller when the scope joins it.

use std::ops::Range;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use super::prepare::Prepare;
use super::reader;
use super::source::Source;
use crate::analyze::Facts;
use crate::capture::CaptureError;
use crate::dissect::Skip;
use crate::dissect::contrast::Contrast;

/// Events per batch at most.
pub const BATCH_EVENTS: usize = 4096;
/// Arena bytes after which a batch is sent before it has [`BATCH_EVENTS`] events.
/// (256 KiB: about 400 jsonl records, whose batches fill their arena where a table's hold
/// short previews; at 1 MiB the six batches in circulation touched 6 MiB more.)
pub const BATCH_BYTES: usize = 256 << 10;
/// How full a batch gets before it is sent: [`BATCH_EVENTS`] events or [`BATCH_BYTES`] bytes of
/// arena for one input; a share of that for each of many inputs read at once
/// ([`Size::share`]), so that their batches in flight take the memory of one input's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Events per batch at most.
    pub events: usize,
    /// Arena bytes after which the batch is sent.
    pub bytes: usize,
}

impl Size {
    /// One input's batches.
    pub const FULL: Size = Size {
        events: BATCH_EVENTS,
        bytes: BATCH_BYTES,
    };

    /// `1/n` of a full batch, down to a sixteenth at most (smaller batches wake the writer more
    /// often than they save).
    pub fn share(n: usize) -> Size {
        let n = n.clamp(1, 16);
        Size {
            events: BATCH_EVENTS / n,
            bytes: BATCH_BYTES / n,
        }
    }
}

/// Batches sent and not yet taken by the writer, at most.
const IN_FLIGHT: usize = 4;
/// Batches kept for reuse, at most.
const RECYCLED: usize = 8;

/// What the reader found, in capture order.
#[derive(Debug)]
pub enum Event {
    /// A record was read (with its time, when it has one).
    Frame(Option<Duration>),
    /// A UDP datagram: its facts, and in the batch's arena its payload (when this run shows
    /// payloads whole) and its text (a record, or the table's preview), each possibly empty.
    Udp {
        /// This datagram's record was not counted by a [`Event::Frame`]: count it.
        new_frame: bool,
        /// Its frame number (the last fragment's, when reassembled).
        frame: u64,
        /// Its time.
        time: Option<Duration>,
        /// What analysis needs of it.
        facts: Facts,
        /// Its payload in the arena (empty unless this run shows payloads whole).
        payload: Range<u32>,
        /// Its prepared text in the arena (a jsonl/csv record, the table's preview, or
        /// Parquet's text).
        text: Range<u32>,
        /// The table preview's display width (Parquet: 1 when the text is not null).
        text_width: u16,
        /// Rebuilt from IP fragments.
        reassembled: bool,
    },
    /// A UDP datagram that `--port`/`--host` leave out (the analysis still files it: ids and
    /// pairing belong to the capture).
    FilteredOut {
        /// Its frame number.
        frame: u64,
        /// Its time.
        time: Option<Duration>,
        /// What the analysis needs of it.
        facts: Facts,
    },
    /// An IP fragment of one of many inputs merged: the merge reassembles these in merged order
    /// ([`super::merge`]) and hands on what they complete. In the arena: its link type (2 bytes),
    /// its length on the wire (4), both little-endian, then its frame's bytes (so that the event
    /// is no larger than the others).
    Fragment {
        /// Its frame number.
        frame: u64,
        /// Its time.
        time: Option<Duration>,
        /// Its link type, length on the wire and bytes, in the arena.
        bytes: Range<u32>,
    },
    /// Frames that are not UDP, by kind.
    Skipped(Skip, u64),
    /// What a TCP or ICMP frame tells by contrast.
    Contrast {
        /// Its frame number.
        frame: u64,
        /// Its time.
        time: Option<Duration>,
        /// What it tells.
        what: Contrast,
    },
    /// A frame too damaged to dissect.
    Malformed {
        /// Its frame number.
        frame: u64,
        /// Its time.
        time: Option<Duration>,
        /// Why.
        why: String,
    },
    /// A record the reader could not decode.
    Unreadable {
        /// Its frame number.
        number: u64,
        /// Why.
        why: String,
    },
    /// Something the capture reader set aside, in words (for the summary).
    Note(String),
    /// What the source says on stderr once it ended (a live capture's counts).
    Closing(String),
}

impl Event {
    /// The time a record beginning with this event sorts at when inputs are merged: its own, or
    /// `clock` (the time its input's previous record sorted at) when it has none. `None`: the
    /// event does not begin a record, it belongs with the one before it.
    #[inline]
    pub fn starts(&self, clock: Duration) -> Option<Duration> {
        match self {
            Event::Frame(t)
            | Event::Udp {
                new_frame: true,
                time: t,
                ..
            } => Some(t.unwrap_or(clock)),
            _ => None,
        }
    }
}

/// Events and the bytes they refer to.
#[derive(Debug, Default)]
pub struct Batch {
    /// The events, in capture order.
    pub events: Vec<Event>,
    /// Payloads and prepared texts, referred to by ranges in the events.
    pub arena: Vec<u8>,
    /// When inputs are merged: the latest time a record of this batch [sorts at](Event::starts)
    /// (none: `Duration::ZERO`), so that the merge hands over a batch that sorts before every
    /// other input's next record without looking at each record's time.
    pub latest: Duration,
    /// When inputs are merged: the time the batch's last record sorts at (the input's clock
    /// after it).
    pub clock: Duration,
}

impl Batch {
    /// The bytes of `r` in the arena.
    pub fn range(&self, r: &Range<u32>) -> &[u8] {
        &self.arena[r.start as usize..r.end as usize]
    }

    fn empty(size: Size) -> Self {
        Batch {
            events: Vec::with_capacity(size.events + 64),
            arena: Vec::with_capacity(size.bytes + 4096),
            ..Batch::default()
        }
    }
}

/// What goes to the writer.
pub(super) enum Message {
    Batch(Batch),
    /// The capture could not be read further; every batch before this one holds what was read.
    Failed(CaptureError),
}

/// The reader's end of the pipeline: the batch being filled, and where it goes when full.
pub struct Outbox<'a> {
    /// The batch being filled.
    pub batch: Batch,
    tx: &'a SyncSender<Message>,
    free: &'a Receiver<Batch>,
    /// Added to every frame number sent: the input's share of a [frame id](crate::analyze::frame_id)
    /// when several inputs are merged (0 for one input).
    base: u64,
    /// When the batch is sent.
    size: Size,
    /// When inputs are merged: the time the last record sent sorts at ([`Event::starts`]).
    clock: Duration,
}

impl<'a> Outbox<'a> {
    /// An outbox sending to `tx` batches of `size`, taking them back from `free`, adding `base`
    /// to the frame numbers it sends.
    pub(super) fn new(
        tx: &'a SyncSender<Message>,
        free: &'a Receiver<Batch>,
        base: u64,
        size: Size,
    ) -> Self {
        Outbox {
            batch: Batch::empty(size),
            tx,
            free,
            base,
            size,
            clock: Duration::ZERO,
        }
    }

    /// Whether this input is one of many merged (its frame numbers then carry its share of a
    /// frame id).
    pub fn merged(&self) -> bool {
        self.base != 0
    }

    /// Whether the batch holds nothing.
    pub fn is_empty(&self) -> bool {
        self.batch.events.is_empty()
    }

    /// Whether the batch should be sent.
    pub fn full(&self) -> bool {
        self.batch.events.len() >= self.size.events || self.batch.arena.len() >= self.size.bytes
    }

    /// Sends the batch and starts another (a recycled one when there is one); `false` when the
    /// writing side is gone.
    pub fn send(&mut self) -> bool {
        let fresh = match self.free.try_recv() {
            Ok(mut b) => {
                b.events.clear();
                b.arena.clear();
                b
            }
            Err(_) => Batch::empty(self.size),
        };
        let mut batch = std::mem::replace(&mut self.batch, fresh);
        if self.base != 0 {
            // (Here, on the reading thread, what the merge would otherwise find out per record.)
            let mut latest = Duration::ZERO;
            for event in &mut batch.events {
                if let Some(t) = event.starts(self.clock) {
                    self.clock = t;
                    latest = latest.max(t);
                }
                match event {
                    Event::Udp { frame, .. }
                    | Event::FilteredOut { frame, .. }
                    | Event::Contrast { frame, .. }
                    | Event::Malformed { frame, .. }
                    | Event::Fragment { frame, .. }
                    | Event::Unreadable { number: frame, .. } => *frame |= self.base,
                    Event::Frame(_) | Event::Skipped(..) | Event::Note(_) | Event::Closing(_) => {}
                }
            }
            batch.latest = latest;
            batch.clock = self.clock;
        }
        self.tx.send(Message::Batch(batch)).is_ok()
    }

    /// Sends the batch, then the error that ended the reading.
    pub fn fail(mut self, e: CaptureError) {
        if self.send() {
            let _ = self.tx.send(Message::Failed(e));
        }
    }
}

/// What the writer is handed.
pub enum Step<'a> {
    /// The next event, and the batch whose arena it refers to.
    Event(&'a Event, &'a Batch),
    /// Every event of a batch was handed over.
    BatchDone,
}

/// Starts a reading thread in `scope` for `source`: at most `in_flight` batches of `size` wait in
/// the returned receiver, `recycled` come back through the returned sender; `base` is added to
/// frame numbers ([`Outbox::new`]). The one place the reading loop is called from, one input or many:
/// the compiler inlines dissection into it as when there was only one input.
pub(super) fn spawn_reader<'scope, S: Source + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    source: S,
    prepare: Prepare<'scope>,
    limit: Option<u64>,
    (in_flight, recycled, size): (usize, usize, Size),
    base: u64,
) -> (Receiver<Message>, SyncSender<Batch>) {
    let (tx, rx) = sync_channel::<Message>(in_flight);
    let (free_tx, free_rx) = sync_channel::<Batch>(recycled);
    scope.spawn(move || {
        let outbox = Outbox::new(&tx, &free_rx, base, size);
        reader::read(source, prepare, limit, outbox);
    });
    (rx, free_tx)
}

/// Reads `source` on a thread of its own and hands every event, in capture order, to `each` on
/// this one. Returns the read error that ended the capture early, if any (after every event read
/// before it was handed over); an error from `each` stops both threads and is returned. The reader
/// stops after `limit` datagrams kept by the filters, when given.
pub fn run<S: Source>(
    source: S,
    prepare: Prepare<'_>,
    limit: Option<u64>,
    mut each: impl FnMut(Step<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<Option<CaptureError>> {
    std::thread::scope(|scope| {
        let (rx, free_tx) = spawn_reader(
            scope,
            source,
            prepare,
            limit,
            (IN_FLIGHT, RECYCLED, Size::FULL),
            0,
        );
        for message in rx {
            let batch = match message {
                Message::Batch(batch) => batch,
                Message::Failed(e) => return Ok(Some(e)),
            };
            let handed = batch
                .events
                .iter()
                .try_for_each(|event| each(Step::Event(event, &batch)))
                .and_then(|()| each(Step::BatchDone));
            if let Err(e) = handed {
                // A streaming reader may be waiting for input that never comes: it ends now.
                super::source::stop();
                return Err(e);
            }
            let _ = free_tx.try_send(batch);
        }
        Ok(None)
    })
}

// Events cross from a reading core to the merging one by the million: a larger one costs every
// run (a fragment's fields go in the arena for this).
const _: () = assert!(std::mem::size_of::<Event>() <= 112);
