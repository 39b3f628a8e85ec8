//! What the datagrams add up to: conversations, requests and their replies, what was skipped.
//!
//! A conversation is every datagram between the same two endpoints (address and port), in either
//! direction, like tshark's `udp.stream`. Its first sender is side A. A datagram from one side
//! that follows a datagram from the other side is that datagram's reply; a datagram that no reply
//! follows is unanswered — the one-way case UDP allows.
//!
//! Memory: the conversation table is the only state that grows with the capture, and it stops
//! growing at [`CONVERSATION_LIMIT`]; datagrams of later conversations are still listed, counted
//! as untracked, and the summary says so.

use std::collections::BTreeMap;
use std::hash::BuildHasher;

// foldhash: several times faster than std's SipHash on these small keys, and still seeded per
// process, so a crafted capture cannot aim collisions at the tables.
use foldhash::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use crate::dissect::contrast::{IcmpError, TcpSegment};
use crate::dissect::{Endpoint, Skip, Udp};

/// How many conversations are tracked at most (about 150 bytes each).
pub const CONVERSATION_LIMIT: usize = 65_536;

/// How many TCP connections are tracked at most (for the handshake contrast only).
pub const TCP_LIMIT: usize = 4_096;

/// Where a frame number's input is kept, when several inputs are merged: a frame *id* is
/// `input << FILE_SHIFT | frame`, `input` counting from 1 (so that an id of one input alone is its
/// frame number, and no extra work is done for it). Frames beyond 2^40 in one file, or more than
/// 2^24 inputs, are beyond any capture a disk holds.
pub const FILE_SHIFT: u32 = 40;

/// The id of frame `frame` of input `input` (counted from 1; 0: the only input).
pub fn frame_id(input: usize, frame: u64) -> u64 {
    ((input as u64) << FILE_SHIFT) | (frame & ((1 << FILE_SHIFT) - 1))
}

/// A frame id's input (from 1; 0 when the capture is one input) and its frame number there.
pub fn split_frame_id(id: u64) -> (usize, u64) {
    ((id >> FILE_SHIFT) as usize, id & ((1 << FILE_SHIFT) - 1))
}

/// The name of input `input` (from 1; 0: the only one) among `files`.
pub fn file_of(files: &[String], input: usize) -> &str {
    files
        .get(input.saturating_sub(1))
        .map_or("", String::as_str)
}

/// A frame id for people: `12` for one input, `2:12` for frame 12 of the second input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameNo(pub u64);

impl std::fmt::Display for FrameNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match split_frame_id(self.0) {
            (0, frame) => write!(f, "{frame}"),
            (input, frame) => write!(f, "{input}:{frame}"),
        }
    }
}

/// Appends [`FrameNo`]'s text for `id` (the table's hot path: no formatter).
pub fn push_frame(out: &mut String, id: u64) {
    let (input, frame) = split_frame_id(id);
    if input > 0 {
        out.push_str(itoa::Buffer::new().format(input));
        out.push(':');
    }
    out.push_str(itoa::Buffer::new().format(frame));
}

/// A frame number and its time.
pub type Mark = (u64, Option<Duration>);

/// The first ICMP error that answered a conversation's datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcmpNote {
    /// The ICMP frame.
    pub frame: u64,
    /// Who sent it.
    pub from: IpAddr,
    /// What it says (`port unreachable`, …).
    pub what: &'static str,
    /// The endpoint the datagram was sent to.
    pub target: Endpoint,
}

/// A TCP connection, seen for contrast: its handshake and its first data.
#[derive(Debug, Clone)]
pub struct TcpConnection {
    /// The side that sent the SYN (or, mid-stream, the first segment).
    pub client: Endpoint,
    /// The other side.
    pub server: Endpoint,
    /// The SYN.
    pub syn: Option<Mark>,
    /// The SYN-ACK.
    pub syn_ack: Option<Mark>,
    /// The ACK that completes the handshake.
    pub ack: Option<Mark>,
    /// The first segment that carried data, and how much.
    pub first_data: Option<(u64, Option<Duration>, usize)>,
    /// Segments seen.
    pub segments: u64,
}

/// A datagram's place in its conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Sent with no datagram from the other side waiting for an answer.
    Request,
    /// Answers the datagram of frame `to` from the other side — the latest one that waited —
    /// `after` it (when both have times).
    Reply {
        /// The frame it answers.
        to: u64,
        /// How long after that frame.
        after: Option<Duration>,
        /// The tries of it that came before: the same payload, from the same side, each
        /// unanswered when the next came (0: none).
        retries: u32,
        /// When there were retries, the first try's frame and how much earlier than this reply
        /// it was.
        first_try: Option<(u64, Option<Duration>)>,
    },
}

/// What [`Analyzer::datagram`] says about one datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// The conversation's id (1-based), or `None` past [`CONVERSATION_LIMIT`].
    pub conversation: Option<u32>,
    /// Request or reply.
    pub role: Role,
    /// The same payload as the previous datagram in the same direction, sent at that frame
    /// with no reply in between: a retry or a duplicate.
    pub repeat_of: Option<u64>,
}

/// The first reply seen in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstReply {
    /// The request's frame (the latest try, when it was tried more than once).
    pub request: u64,
    /// The tries before it ([`Role::Reply`]'s `retries`).
    pub retries: u32,
    /// The first of them, and how much earlier than the reply ([`Role::Reply`]'s `first_try`).
    pub first_try: Option<(u64, Option<Duration>)>,
    /// The reply's frame.
    pub reply: u64,
    /// Time between them.
    pub after: Option<Duration>,
    /// Who replied.
    pub replier: Endpoint,
}

/// Everything known about one conversation.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// 1-based id, in order of first appearance.
    pub id: u32,
    /// The first sender.
    pub a: Endpoint,
    /// The other end.
    pub b: Endpoint,
    /// Frame of the first datagram.
    pub first_frame: u64,
    /// UDP payload length of the first datagram (data in the very first packet).
    pub first_length: u16,
    /// Time of the first datagram.
    pub first_time: Option<Duration>,
    /// Time of the last datagram.
    pub last_time: Option<Duration>,
    /// Datagrams A→B and B→A.
    pub packets: [u64; 2],
    /// UDP payload bytes (from the length field) A→B and B→A.
    pub bytes: [u64; 2],
    /// Bytes on the wire of the frames they were reported at, A→B and B→A (tshark's
    /// conversation table's bytes).
    pub frame_bytes: [u64; 2],
    /// Datagrams that answered one from the other side.
    pub replies: u64,
    /// The first request/reply pair.
    pub first_reply: Option<FirstReply>,
    /// Datagrams that nothing answered (final once the capture is read).
    pub unanswered: u64,
    /// Datagrams that repeated the previous one in their direction (retries, duplicates).
    pub repeats: u64,
    /// ICMP errors that answered datagrams of this conversation.
    pub icmp_errors: u64,
    /// The first of them.
    pub first_icmp: Option<IcmpNote>,
}

impl Conversation {
    /// Duration from first to last datagram, when both have times.
    pub fn duration(&self) -> Option<Duration> {
        Some(self.last_time?.saturating_sub(self.first_time?))
    }

    /// Unanswered datagrams, including those still waiting at the end of the capture.
    pub fn unanswered_total(&self) -> u64 {
        self.unanswered
    }
}

/// "No time" in [`Hot`]'s nanosecond fields.
const NO_TIME: u64 = u64::MAX;

fn to_ns(t: Option<Duration>) -> u64 {
    t.map_or(NO_TIME, |d| {
        u64::try_from(d.as_nanos()).unwrap_or(NO_TIME - 1)
    })
}

fn from_ns(ns: u64) -> Option<Duration> {
    (ns != NO_TIME).then(|| Duration::from_nanos(ns))
}

/// What every datagram of a conversation updates, kept apart from the rest and small (128
/// bytes), so that thousands of conversations stay in the CPU's cache: the general part
/// ([`Conversation`]) is touched only when a conversation starts and when the summary is made.
///
/// Only one side can be waiting for an answer at a time: a datagram from the other side is that
/// answer.
#[derive(Debug, Clone, Copy, Default)]
struct Hot {
    packets: [u64; 2],
    bytes: [u64; 2],
    frame_bytes: [u64; 2],
    /// Time of the last datagram ([`NO_TIME`] without).
    last_ns: u64,
    /// The last datagram's frame each way (0: none yet): what an ICMP error answers.
    last_frame: [u64; 2],
    /// The latest datagram waiting for an answer: frame, time, fingerprint.
    latest: (u64, u64, u64),
    /// The first of the identical tries that end with `latest`: frame and time.
    first_try: (u64, u64),
    /// How many datagrams wait (0: none), and how many of them are `latest`'s tries.
    waiting: u32,
    tries: u32,
    /// The side that waits (0: A).
    side: u32,
    /// A datagram of it was kept by `--port`/`--host` (all are, without them).
    shown: bool,
    replies: u32,
    unanswered: u32,
    repeats: u32,
}

/// In [`Analyzer`]'s index: side A is the lower endpoint of the key.
const A_IS_LOWER: u32 = 1 << 31;

/// The conversation index, by (lower, higher) endpoint. IPv4 pairs — nearly all traffic — are
/// packed into two integers (`address << 16 | port`, which orders as [`Endpoint`] does): a key
/// of 16 bytes instead of 40, hashed and compared in a few instructions, so that more of the
/// table stays in the cache.
#[derive(Debug, Default)]
struct FlowIndex {
    v4: HashMap<(u64, u64), u32>,
    other: HashMap<(Endpoint, Endpoint), u32>,
}

/// A key of [`FlowIndex`].
enum FlowKey {
    V4((u64, u64)),
    Other((Endpoint, Endpoint)),
}

impl FlowIndex {
    /// The key of the pair `src`, `dst`, and whether `src` is its lower endpoint.
    #[inline(always)]
    fn key(src: Endpoint, dst: Endpoint) -> (FlowKey, bool) {
        match (src.addr, dst.addr) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let pack = |a: std::net::Ipv4Addr, port: u16| {
                    u64::from(a.to_bits()) << 16 | u64::from(port)
                };
                let (s, d) = (pack(a, src.port), pack(b, dst.port));
                (FlowKey::V4(if s <= d { (s, d) } else { (d, s) }), s <= d)
            }
            _ => {
                let lower = src <= dst;
                (
                    FlowKey::Other(if lower { (src, dst) } else { (dst, src) }),
                    lower,
                )
            }
        }
    }

    #[inline(always)]
    fn get(&self, key: &FlowKey) -> Option<u32> {
        match key {
            FlowKey::V4(k) => self.v4.get(k).copied(),
            FlowKey::Other(k) => self.other.get(k).copied(),
        }
    }

    fn insert(&mut self, key: FlowKey, value: u32) {
        match key {
            FlowKey::V4(k) => self.v4.insert(k, value),
            FlowKey::Other(k) => self.other.insert(k, value),
        };
    }
}

/// What the analyzer needs of a datagram: all but its payload, for which a fingerprint (of the
/// length field and the captured bytes) and the captured length stand. Small and `Copy`, so
/// that `inspect`'s reader thread can make it and hand it over without the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// The UDP header's length field.
    pub length_field: u16,
    /// The snaplen cut the payload.
    pub cut: bool,
    /// The length field disagrees with the IP layer.
    pub bad_length: bool,
    /// Payload bytes captured.
    pub captured: u32,
    /// Fingerprint of the length field and the captured payload.
    pub print: u64,
    /// Length on the wire of the frame it was reported at (0: not known): what tshark's
    /// conversation table counts as bytes.
    pub frame_len: u32,
}

impl Facts {
    /// The facts of `udp` (hashes its payload).
    pub fn of(udp: &Udp<'_>) -> Self {
        Facts {
            src: udp.src,
            dst: udp.dst,
            sport: udp.sport,
            dport: udp.dport,
            length_field: udp.length_field,
            cut: udp.cut,
            bad_length: udp.bad_length,
            captured: u32::try_from(udp.payload.len()).unwrap_or(u32::MAX),
            print: foldhash::fast::FixedState::with_seed(0x6f6e_6577_6179)
                .hash_one((udp.length_field, udp.payload)),
            frame_len: 0,
        }
    }

    /// The same, reported at a frame of `frame_len` bytes on the wire.
    pub fn at_frame_of(self, frame_len: u32) -> Self {
        Facts { frame_len, ..self }
    }

    /// The datagram again, with its payload.
    pub fn udp<'a>(&self, payload: &'a [u8]) -> Udp<'a> {
        Udp {
            src: self.src,
            dst: self.dst,
            sport: self.sport,
            dport: self.dport,
            length_field: self.length_field,
            payload,
            cut: self.cut,
            bad_length: self.bad_length,
        }
    }

    /// Payload length according to the UDP header.
    pub fn length(&self) -> u16 {
        self.length_field.saturating_sub(8)
    }
}

/// Collects what the capture holds, frame after frame.
#[derive(Debug, Default)]
pub struct Analyzer {
    /// Conversation index by (lower, higher) endpoint, with [`A_IS_LOWER`] set when side A
    /// is the lower endpoint: the direction of a datagram is known without touching the
    /// conversation.
    index: FlowIndex,
    /// The general part of each conversation (its counters live in `hot`).
    conversations: Vec<Conversation>,
    hot: Vec<Hot>,
    /// Frames read (every record, UDP or not).
    pub frames: u64,
    /// The inputs merged, `file (format)` in the order given (empty for one input).
    pub inputs: Vec<String>,
    /// UDP datagrams kept by the filters.
    pub datagrams: u64,
    /// Their payload bytes, from the UDP length fields.
    pub payload_bytes: u64,
    /// UDP datagrams left out by `--port`/`--host`.
    pub filtered_out: u64,
    /// Datagrams in conversations past [`CONVERSATION_LIMIT`].
    pub untracked: u64,
    /// Datagrams whose payload the snaplen cut.
    pub cut: u64,
    /// Datagrams whose UDP length field disagrees with the IP layer.
    pub bad_length: u64,
    /// Frames that were not UDP, by kind.
    pub skipped: BTreeMap<Skip, u64>,
    /// Frames too damaged to dissect.
    pub malformed: u64,
    /// Records the capture reader could not decode.
    pub unreadable: u64,
    /// What the capture reader set aside, in words.
    pub notes: Vec<String>,
    /// TCP connections, for contrast.
    pub tcp: Vec<TcpConnection>,
    tcp_index: HashMap<(Endpoint, Endpoint), usize>,
    /// TCP segments of connections past [`TCP_LIMIT`].
    pub tcp_untracked: u64,
    /// ICMP errors about UDP datagrams that are not in the capture (or were filtered out).
    pub icmp_unmatched: u64,
    /// Time of the first and the last frame that had one.
    pub first_time: Option<Duration>,
    /// See `first_time`.
    pub last_time: Option<Duration>,
}

impl Analyzer {
    /// A new, empty analyzer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a frame (call once per record, before anything else about it).
    pub fn frame(&mut self, time: Option<Duration>) {
        self.frames += 1;
        if let Some(t) = time {
            self.first_time.get_or_insert(t);
            self.last_time = Some(t);
        }
    }

    /// Counts a frame that is not UDP.
    pub fn skipped(&mut self, kind: Skip) {
        *self.skipped.entry(kind).or_default() += 1;
    }

    /// Files a UDP datagram that is shown into its conversation and says what it is.
    pub fn datagram(&mut self, frame: u64, time: Option<Duration>, udp: &Facts) -> Seen {
        self.file(frame, time, udp, true)
    }

    /// Files a UDP datagram that `--port`/`--host` leave out: it is not shown, and its
    /// conversation is not unless another datagram of it is; but it takes its place in the
    /// capture's numbering and pairing, so that ids and replies are the same under any filter
    /// (as tshark's `udp.stream`).
    pub fn hidden(&mut self, frame: u64, time: Option<Duration>, udp: &Facts) {
        self.filtered_out += 1;
        self.file(frame, time, udp, false);
    }

    // Inlined into `datagram` and `hidden`: the analysing thread's main work, per datagram.
    #[inline(always)]
    fn file(&mut self, frame: u64, time: Option<Duration>, udp: &Facts, shown: bool) -> Seen {
        // A length field that disagrees with the IP layer is shown, not trusted: count what IP
        // carried instead.
        let bytes = if udp.bad_length {
            u64::from(udp.captured)
        } else {
            u64::from(udp.length())
        };
        if shown {
            self.datagrams += 1;
            self.payload_bytes += bytes;
            self.cut += u64::from(udp.cut);
            self.bad_length += u64::from(udp.bad_length);
        }
        let src = Endpoint {
            addr: udp.src,
            port: udp.sport,
        };
        let dst = Endpoint {
            addr: udp.dst,
            port: udp.dport,
        };
        let (key, src_is_lower) = FlowIndex::key(src, dst);
        let (id, a_is_lower) = match self.index.get(&key) {
            Some(v) => (v & !A_IS_LOWER, v & A_IS_LOWER != 0),
            None if self.conversations.len() < CONVERSATION_LIMIT => {
                let id = self.conversations.len() as u32 + 1;
                let flag = if src_is_lower { A_IS_LOWER } else { 0 };
                self.index.insert(key, id | flag);
                self.conversations.push(Conversation {
                    id,
                    a: src,
                    b: dst,
                    first_frame: frame,
                    first_length: u16::try_from(bytes).unwrap_or(u16::MAX),
                    first_time: time,
                    last_time: time,
                    packets: [0; 2],
                    bytes: [0; 2],
                    frame_bytes: [0; 2],
                    replies: 0,
                    first_reply: None,
                    unanswered: 0,
                    repeats: 0,
                    icmp_errors: 0,
                    first_icmp: None,
                });
                self.hot.push(Hot {
                    last_ns: NO_TIME,
                    ..Hot::default()
                });
                (id, src_is_lower)
            }
            None => {
                self.untracked += u64::from(shown);
                return Seen {
                    conversation: None,
                    role: Role::Request,
                    repeat_of: None,
                };
            }
        };
        let i = id as usize - 1;
        let c = &mut self.hot[i];
        c.shown |= shown;
        // Side A→B is 0; a conversation with itself (same endpoint both ends) stays 0.
        let d = usize::from(src != dst && src_is_lower != a_is_lower);
        c.packets[d] += 1;
        c.bytes[d] += bytes;
        c.frame_bytes[d] += u64::from(udp.frame_len);
        c.last_frame[d] = frame;
        let now = to_ns(time);
        if now != NO_TIME {
            c.last_ns = now;
        }
        let print = udp.print;
        let d32 = d as u32;
        // The same payload as the datagram waiting before it, from the same side: a retry.
        let repeat_of =
            (c.waiting > 0 && c.side == d32 && c.latest.2 == print).then_some(c.latest.0);
        c.repeats = c.repeats.saturating_add(u32::from(repeat_of.is_some()));
        let role = if c.waiting > 0 && c.side != d32 {
            // It answers the latest datagram from the other side; that one's identical tries
            // before it are its retries; any other that waited went unanswered.
            let (to, then, _) = c.latest;
            let between =
                |a: u64, b: u64| (a != NO_TIME && b != NO_TIME).then(|| b.saturating_sub(a));
            let after = between(then, now).map(Duration::from_nanos);
            let retries = c.tries.saturating_sub(1);
            let first_try = (retries > 0).then(|| {
                let (f, t) = c.first_try;
                (f, between(t, now).map(Duration::from_nanos))
            });
            let first = c.replies == 0;
            c.replies = c.replies.saturating_add(1);
            c.unanswered = c
                .unanswered
                .saturating_add(c.waiting - c.tries.min(c.waiting));
            c.waiting = 0;
            c.tries = 0;
            // The general part only for the first reply: touching it on every one would bring
            // it into the cache for nothing.
            if first {
                self.conversations[i].first_reply = Some(FirstReply {
                    request: to,
                    retries,
                    first_try,
                    reply: frame,
                    after,
                    replier: src,
                });
            }
            Role::Reply {
                to,
                after,
                retries,
                first_try,
            }
        } else {
            if repeat_of.is_some() {
                c.tries = c.tries.saturating_add(1);
            } else {
                c.first_try = (frame, now);
                c.tries = 1;
            }
            c.side = d32;
            c.waiting = c.waiting.saturating_add(1);
            c.latest = (frame, now, print);
            Role::Request
        };
        Seen {
            conversation: Some(id),
            role,
            repeat_of,
        }
    }

    /// Files a TCP segment into its connection.
    pub fn tcp(&mut self, frame: u64, time: Option<Duration>, s: &TcpSegment) {
        let key = if s.src <= s.dst {
            (s.src, s.dst)
        } else {
            (s.dst, s.src)
        };
        let i = match self.tcp_index.get(&key) {
            Some(&i) => i,
            None if self.tcp.len() < TCP_LIMIT => {
                self.tcp_index.insert(key, self.tcp.len());
                self.tcp.push(TcpConnection {
                    client: s.src,
                    server: s.dst,
                    syn: None,
                    syn_ack: None,
                    ack: None,
                    first_data: None,
                    segments: 0,
                });
                self.tcp.len() - 1
            }
            None => {
                self.tcp_untracked += 1;
                return;
            }
        };
        let c = &mut self.tcp[i];
        c.segments += 1;
        let mark = Some((frame, time));
        if s.syn && !s.ack && c.syn.is_none() {
            c.syn = mark;
            c.client = s.src;
            c.server = s.dst;
        } else if s.syn && s.ack && c.syn_ack.is_none() {
            c.syn_ack = mark;
        } else if !s.syn && s.ack && c.syn_ack.is_some() && c.ack.is_none() && s.src == c.client {
            c.ack = mark;
        }
        if s.data > 0 && c.first_data.is_none() {
            c.first_data = Some((frame, time, s.data));
        }
    }

    /// Attaches an ICMP error to the conversation of the datagram it quotes, and says which, with
    /// the frame of the last datagram it could answer (the latest from the quoted sender to the
    /// quoted destination).
    pub fn icmp_error(&mut self, frame: u64, e: &IcmpError) -> Option<(u32, Option<u64>)> {
        let (key, src_is_lower) = FlowIndex::key(e.udp_src, e.udp_dst);
        match self.index.get(&key) {
            Some(v) if self.hot[(v & !A_IS_LOWER) as usize - 1].shown => {
                let id = v & !A_IS_LOWER;
                let a_is_lower = v & A_IS_LOWER != 0;
                let d = usize::from(e.udp_src != e.udp_dst && src_is_lower != a_is_lower);
                let answered = Some(self.hot[id as usize - 1].last_frame[d]).filter(|f| *f > 0);
                let c = &mut self.conversations[id as usize - 1];
                c.icmp_errors += 1;
                c.first_icmp.get_or_insert(IcmpNote {
                    frame,
                    from: e.from,
                    what: e.what,
                    target: e.udp_dst,
                });
                Some((id, answered))
            }
            _ => {
                self.icmp_unmatched += 1;
                None
            }
        }
    }

    /// The conversations shown, by id, with their counters as they stand.
    pub fn conversations(&self) -> Vec<Conversation> {
        (1..=self.conversations.len() as u32)
            .filter_map(|id| self.conversation(id))
            .collect()
    }

    /// One conversation, with its counters as they stand; `None` when it is not shown.
    pub fn conversation(&self, id: u32) -> Option<Conversation> {
        let i = (id as usize).checked_sub(1)?;
        let h = self.hot.get(i).filter(|h| h.shown)?;
        let mut c = self.conversations.get(i)?.clone();
        c.packets = h.packets;
        c.bytes = h.bytes;
        c.frame_bytes = h.frame_bytes;
        c.last_time = from_ns(h.last_ns).or(c.first_time);
        c.replies = u64::from(h.replies);
        c.repeats = u64::from(h.repeats);
        c.unanswered = u64::from(h.unanswered) + u64::from(h.waiting);
        Some(c)
    }

    /// How many conversations are shown.
    pub fn conversation_count(&self) -> usize {
        self.hot.iter().filter(|h| h.shown).count()
    }

    /// How many conversations the capture holds (tracked), shown or not: the highest id.
    pub fn conversation_ids(&self) -> usize {
        self.conversations.len()
    }

    /// Whether the conversation table reached [`CONVERSATION_LIMIT`].
    pub fn limit_reached(&self) -> bool {
        self.untracked > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udp(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16, len: u16) -> Facts {
        Facts::of(&Udp {
            src: IpAddr::from(src),
            dst: IpAddr::from(dst),
            sport,
            dport,
            length_field: len + 8,
            payload: b"",
            cut: false,
            bad_length: false,
        })
    }

    /// Packed IPv4 keys order pairs exactly as endpoints do (which side is A depends on it).
    #[test]
    fn packed_keys_order_as_endpoints() {
        let ends = [
            ([0, 0, 0, 0], 0),
            ([10, 0, 0, 1], 65535),
            ([10, 0, 0, 2], 0),
            ([10, 0, 1, 0], 1),
            ([172, 19, 0, 2], 12345),
            ([172, 19, 0, 3], 57314),
            ([255, 255, 255, 255], 65535),
        ]
        .map(|(a, port)| Endpoint {
            addr: IpAddr::from(a),
            port,
        });
        for a in ends {
            for b in ends {
                let (key, a_is_lower) = FlowIndex::key(a, b);
                assert_eq!(a_is_lower, a <= b, "{a} {b}");
                assert!(matches!(key, FlowKey::V4(_)));
            }
        }
    }

    const C: [u8; 4] = [172, 19, 0, 3];
    const S: [u8; 4] = [172, 19, 0, 2];

    #[test]
    fn lab_exchange() {
        let mut a = Analyzer::new();
        let t1 = Duration::new(1_757_935_253, 709_480_000);
        let t2 = Duration::new(1_757_935_253, 709_763_000);
        let s1 = a.datagram(1, Some(t1), &udp(C, 57314, S, 12345, 19));
        let s2 = a.datagram(2, Some(t2), &udp(S, 12345, C, 57314, 59));
        assert_eq!(s1.role, Role::Request);
        assert_eq!(
            s2.role,
            Role::Reply {
                to: 1,
                after: Some(Duration::from_micros(283)),
                retries: 0,
                first_try: None,
            }
        );
        assert_eq!(s1.conversation, Some(1));
        assert_eq!(s2.conversation, Some(1));
        let c = &a.conversations()[0];
        assert_eq!(c.a.to_string(), "172.19.0.3:57314");
        assert_eq!(c.packets, [1, 1]);
        assert_eq!(c.bytes, [19, 59]);
        assert_eq!(c.unanswered_total(), 0);
        assert_eq!(c.first_length, 19);
    }

    #[test]
    fn retries_and_one_way() {
        let mut a = Analyzer::new();
        // Three tries a second apart, then an answer 1 ms after the last: it answers the last;
        // the two before are its retries, not unanswered datagrams.
        let at = |ms: u64| Some(Duration::from_millis(ms));
        for f in 1..=3 {
            let seen = a.datagram(f, at(1000 * f), &udp(C, 1000, S, 53, 30));
            assert_eq!(seen.repeat_of, (f > 1).then_some(f - 1));
        }
        let r = a.datagram(4, at(3001), &udp(S, 53, C, 1000, 90));
        assert_eq!(
            r.role,
            Role::Reply {
                to: 3,
                after: at(1),
                retries: 2,
                first_try: Some((1, at(2001))),
            }
        );
        // Another flow that nobody answers.
        a.datagram(5, None, &udp(C, 1001, S, 9, 1));
        let convs = a.conversations();
        assert_eq!(convs.len(), 2);
        assert_eq!(convs[0].unanswered_total(), 0);
        assert_eq!(convs[0].replies, 1);
        assert_eq!(convs[0].repeats, 2);
        let first = convs[0].first_reply.expect("a reply");
        assert_eq!((first.request, first.retries), (3, 2));
        assert_eq!(convs[1].unanswered_total(), 1);
        assert_eq!(convs[1].replies, 0);
    }

    #[test]
    fn a_different_request_before_the_tries_stays_unanswered() {
        let mut a = Analyzer::new();
        a.datagram(1, None, &udp(C, 1000, S, 53, 10));
        a.datagram(2, None, &udp(C, 1000, S, 53, 30));
        a.datagram(3, None, &udp(C, 1000, S, 53, 30));
        let r = a.datagram(4, None, &udp(S, 53, C, 1000, 90));
        assert_eq!(
            r.role,
            Role::Reply {
                to: 3,
                after: None,
                retries: 1,
                first_try: Some((2, None)),
            }
        );
        let c = a.conversation(1).unwrap();
        assert_eq!((c.replies, c.unanswered_total(), c.repeats), (1, 1, 1));
    }

    #[test]
    fn directions_whichever_end_sorts_first() {
        for (client, server) in [(C, S), (S, C)] {
            let mut a = Analyzer::new();
            a.datagram(1, None, &udp(client, 1, server, 2, 5));
            a.datagram(2, None, &udp(server, 2, client, 1, 7));
            a.datagram(3, None, &udp(client, 1, server, 2, 5));
            let c = a.conversation(1).unwrap();
            assert_eq!(c.a.addr, IpAddr::from(client));
            assert_eq!(c.packets, [2, 1]);
            assert_eq!(c.bytes, [10, 7]);
            assert_eq!((c.replies, c.unanswered_total()), (1, 1));
        }
        // A conversation with itself: one endpoint at both ends.
        let mut a = Analyzer::new();
        a.datagram(1, None, &udp(C, 9, C, 9, 1));
        a.datagram(2, None, &udp(C, 9, C, 9, 1));
        assert_eq!(a.conversation(1).unwrap().packets, [2, 0]);
    }

    #[test]
    fn ipv6_endpoint_display() {
        let e = Endpoint {
            addr: "2001:db8::1".parse().unwrap(),
            port: 53,
        };
        assert_eq!(e.to_string(), "[2001:db8::1]:53");
    }

    #[test]
    fn conversation_limit_is_a_cap() {
        let mut a = Analyzer::new();
        for p in 0..(CONVERSATION_LIMIT as u32 + 10) {
            let port = (p % 60_000) as u16;
            let host = [10, (p / 60_000) as u8, 0, 1];
            a.datagram(u64::from(p), None, &udp(host, port, S, 1, 0));
        }
        assert_eq!(a.conversations().len(), CONVERSATION_LIMIT);
        assert_eq!(a.untracked, 10);
        assert!(a.limit_reached());
    }
}
