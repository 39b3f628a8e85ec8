//! IP reassembly (IPv4 and IPv6) with hard bounds: the only state of the dissection layer.
//!
//! [`crate::dissect::dissect`] stays pure: a fragment comes out of it as a [`Fragment`] borrowing
//! the frame. The caller hands it to a [`Reassembler`], which copies what it must keep and, at
//! the fragment that completes a datagram, returns the [`Whole`] datagram; the caller reports it
//! at that frame, as tshark does.
//!
//! What a hostile or damaged capture can make it hold is bounded ([`Limits`]): the number of
//! datagrams being reassembled at once, the bytes charged for all of them — their data and
//! every byte of bookkeeping ([`ENTRY_COST`] a datagram, [`PIECE_COST`] a piece) — the capture
//! time a datagram may wait for its missing fragments, the size of one datagram (65 535 bytes,
//! the most an IP length field can describe) and the pieces it may hold ([`MAX_PIECES`]). When
//! the count bound is hit the oldest datagram is given up; when the bytes or pieces bound is
//! hit, the datagram that would grow past it (as Linux refuses fragments over
//! `ipfrag_high_thresh`). Every fragment frame is accounted for exactly once, by
//! [`Reassembler::take_counts`]: either as part of a datagram reassembled at a later frame, or as
//! not reassembled (given up, expired, inconsistent, cut by the snaplen, or still incomplete at
//! the end of the capture).
//!
//! Each fragment costs a hash look-up, a B-tree look-up and a copy of the bytes it brings that
//! no earlier piece owns: never a pass over what is held (see `Pieces`). A fragment repeated
//! 40,000 times costs 40,000 look-ups; the datagram is built once, when its last byte comes.

use std::borrow::Cow;
use std::collections::hash_map::Entry as Slot;
use std::collections::{BTreeMap, VecDeque};

// foldhash, as the analysis's tables: several times faster than SipHash on these keys (SipHash
// was a fifth of a fragment's cost), and seeded per process, so that a crafted capture cannot aim
// collisions at the table.
use foldhash::HashMap;
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::time::Duration;

use super::{Dissection, Skip, Udp};
use crate::i18n::tr;

/// The most payload one IP datagram can carry (its length fields are 16 bits).
pub const MAX_DATAGRAM: usize = 65_535;

/// One IP fragment, as found in a frame (borrowing it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment<'a> {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// The IP identification (16 bits for IPv4, 32 for IPv6).
    pub id: u32,
    /// The protocol of the fragmented payload (IPv4 protocol; IPv6: the fragment header's next
    /// header).
    pub proto: u8,
    /// Where this fragment's data goes in the datagram, in bytes.
    pub offset: u32,
    /// More fragments follow (the MF flag).
    pub more: bool,
    /// The fragment's data length according to the IP header.
    pub len: u32,
    /// The data that was captured (shorter than `len` when the snaplen cut the frame).
    pub data: Cow<'a, [u8]>,
}

/// The bounds of a [`Reassembler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Datagrams being reassembled at once.
    pub max_entries: usize,
    /// Bytes charged for all of them: their data and their bookkeeping.
    pub max_bytes: usize,
    /// How long (in capture time, from its first fragment) a datagram may wait to be completed.
    pub max_age: Duration,
}

impl Default for Limits {
    /// 1024 datagrams, 16 MiB, 60 s: far more than real captures need (Linux gives up after 30 s
    /// and 4 MiB), small enough for any machine.
    fn default() -> Self {
        Limits {
            max_entries: 1024,
            max_bytes: 16 << 20,
            max_age: Duration::from_secs(60),
        }
    }
}

/// A datagram rebuilt from its fragments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whole {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// The protocol of the payload.
    pub proto: u8,
    /// The payload of the IP datagram (for UDP: the UDP header and its payload).
    pub data: Vec<u8>,
}

impl Whole {
    /// What the reassembled datagram carries, as [`crate::dissect::dissect`] says it of a frame.
    pub fn dissect(&self) -> Dissection<'_> {
        super::from_ip_payload(self.src, self.dst, self.proto, &self.data, false)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    src: IpAddr,
    dst: IpAddr,
    id: u32,
    proto: u8,
}

impl Hash for Key {
    /// One write of 38 bytes (hashing field by field cost a fragment twice the time).
    fn hash<H: Hasher>(&self, state: &mut H) {
        fn octets(a: IpAddr) -> [u8; 16] {
            match a {
                IpAddr::V4(a) => a.to_ipv6_mapped().octets(),
                IpAddr::V6(a) => a.octets(),
            }
        }
        let mut b = [0u8; 38];
        b[..16].copy_from_slice(&octets(self.src));
        b[16..32].copy_from_slice(&octets(self.dst));
        b[32..36].copy_from_slice(&self.id.to_le_bytes());
        b[36] = self.proto;
        b[37] = u8::from(self.src.is_ipv6());
        state.write(&b);
    }
}

/// Bytes charged for one datagram in reassembly besides its pieces: its slot in the table (key
/// and entry, at the table's worst load), its items in the age queue, and the allocator's
/// headers. A unit test checks that it covers the sizes the compiler gives.
pub const ENTRY_COST: usize = 512;

/// Bytes charged for one piece besides its data: its share of a B-tree node (at the worst fill
/// a node keeps) and the allocator's header of its data.
pub const PIECE_COST: usize = 128;

/// Pieces one datagram may hold: a 64 KiB datagram cut into 32-byte fragments. A datagram cut
/// finer than any link's MTU would cut it is given up. (Linux bounds a datagram by its memory
/// and by how far its fragments may fall behind others, `ipfrag_max_dist`; FreeBSD allows 16
/// fragments a datagram.)
pub const MAX_PIECES: usize = 2048;

/// Fragment data held for one datagram, keyed by the fragment offset it came with.
///
/// Where fragments overlap, a byte belongs to the fragment with the lowest offset, then to the
/// first that came (Wireshark's rule). Only what a piece owns is kept: a fragment covered by one
/// with a lower (or the same, earlier) offset is a duplicate and dropped; one with the same
/// offset as an earlier piece, but longer, extends it; a fragment that overrides the start of a
/// later piece trims it, and removes the pieces it covers whole. So the pieces' data never
/// overlap, their ends grow with their offsets, and each fragment costs a B-tree look-up plus the
/// bytes it brings — never a pass over what is held.
#[derive(Debug, Default)]
struct Pieces {
    /// By offset: the piece's data and the first position of it that it still owns.
    map: BTreeMap<u32, Piece>,
    /// Bytes owned below `limit`.
    covered: u64,
    /// The datagram's payload length once known, else no limit.
    limit: Option<u32>,
    /// Bytes charged: [`PIECE_COST`] a piece plus the capacity of its data.
    cost: usize,
}

#[derive(Debug)]
struct Piece {
    /// The data, from the piece's offset (its key) on.
    data: Vec<u8>,
    /// The first position it owns (bytes before it belong to a piece with a lower offset).
    from: u32,
}

impl Piece {
    fn end(&self, key: u32) -> u32 {
        key + self.data.len() as u32
    }
}

/// Bytes of `from..end` below `limit`.
fn clip(limit: Option<u32>, from: u32, end: u32) -> u64 {
    let end = limit.map_or(end, |l| end.min(l));
    u64::from(end.saturating_sub(from))
}

impl Pieces {
    /// What adding `data` can cost at most.
    fn growth(data: &[u8]) -> usize {
        PIECE_COST + data.len()
    }

    /// Adds a fragment's data at `offset` (a multiple of 8, as IP offsets are).
    fn add(&mut self, offset: u32, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let end = offset + data.len() as u32;
        let limit = self.limit;
        // Fragments mostly come in order: past the last piece, that piece is the one before and
        // none comes after.
        let last = self.map.last_key_value().map(|(k, p)| (*k, p.end(*k)));
        let appending = last.is_none_or(|(k, _)| k < offset);
        let pred = if appending {
            last
        } else {
            self.map
                .range(..=offset)
                .next_back()
                .map(|(k, p)| (*k, p.end(*k)))
        };
        match pred {
            Some((_, pend)) if pend >= end => return, // covered: a duplicate
            Some((k, pend)) if k == offset => {
                // The same offset, longer: the rest is this piece's.
                let p = self.map.get_mut(&k).expect("the piece just found");
                let old_cap = p.data.capacity();
                p.data.reserve_exact(data.len() - p.data.len());
                p.data.extend_from_slice(&data[p.data.len()..]);
                self.cost += p.data.capacity() - old_cap;
                self.covered += clip(limit, pend, end);
            }
            pred => {
                let from = pred.map_or(offset, |(_, pend)| pend.max(offset));
                let piece = Piece {
                    data: data.to_vec(),
                    from,
                };
                self.cost += PIECE_COST + piece.data.capacity();
                self.covered += clip(limit, from, end);
                self.map.insert(offset, piece);
            }
        }
        // Later pieces lose what this one covers: whole ones go, the first beyond is trimmed.
        if appending {
            return;
        }
        while let Some((&k, p)) = self.map.range_mut(offset + 1..).next() {
            if p.from >= end {
                break;
            }
            let pend = p.end(k);
            if pend <= end {
                self.covered -= clip(limit, p.from, pend);
                self.cost -= PIECE_COST + p.data.capacity();
                self.map.remove(&k);
            } else {
                self.covered -= clip(limit, p.from, end);
                p.from = end;
            }
        }
    }

    /// Sets the payload length: from now on only what lies below it counts.
    fn set_limit(&mut self, total: u32) {
        self.limit = Some(total);
        self.covered = self
            .map
            .iter()
            .map(|(k, p)| clip(self.limit, p.from, p.end(*k)))
            .sum();
    }

    /// The datagram, once every byte below the limit is owned by a piece.
    fn whole(&self) -> Option<Vec<u8>> {
        let total = self.limit?;
        if self.covered != u64::from(total) {
            return None;
        }
        let mut out = Vec::with_capacity(total as usize);
        for (k, p) in &self.map {
            let (from, end) = (p.from.min(total), p.end(*k).min(total));
            if from >= end {
                break;
            }
            out.extend_from_slice(&p.data[(from - k) as usize..(end - k) as usize]);
        }
        (out.len() == total as usize).then_some(out)
    }
}

#[derive(Debug)]
struct Entry {
    /// Arrival order, to give up the oldest first.
    seq: u64,
    /// What it holds.
    pieces: Pieces,
    /// Fragment frames that went into this entry.
    frames: u64,
    /// The datagram's payload length, once its last fragment has been seen.
    total: Option<u32>,
    /// A fragment was cut by the snaplen or is inconsistent: this datagram cannot complete.
    doomed: bool,
    /// The payload's protocol: IPv4's (part of the key), or the next header of the last IPv6
    /// fragment added (tshark dissects a reassembled IPv6 datagram by the next header of the
    /// fragment that completed it; RFC 8200 would take the first fragment's: where they differ,
    /// oneway follows tshark).
    proto: u8,
}

impl Entry {
    /// Bytes charged for it.
    fn cost(&self) -> usize {
        ENTRY_COST + self.pieces.cost
    }
}

/// Reassembles IP fragments within hard bounds. See the module documentation.
#[derive(Debug)]
pub struct Reassembler {
    limits: Limits,
    entries: HashMap<Key, Entry>,
    /// The entries in the order they were made (with stale items of entries since removed,
    /// dropped as they come to the front and when they outnumber the live ones): the oldest is
    /// found in constant time. Each with its entry's first time, so that expiring looks an
    /// entry up only when it is old.
    order: VecDeque<(u64, Option<Duration>, Key)>,
    /// Bytes charged for all entries ([`ENTRY_COST`], [`PIECE_COST`] and data).
    held: usize,
    next_seq: u64,
    /// Fragment frames that went into a datagram reassembled at a later frame.
    used: u64,
    /// Fragment frames whose datagram was not reassembled.
    lost: u64,
}

impl Default for Reassembler {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl Reassembler {
    /// An empty reassembler with these bounds.
    pub fn new(limits: Limits) -> Self {
        Reassembler {
            limits,
            entries: HashMap::default(),
            order: VecDeque::new(),
            held: 0,
            next_seq: 0,
            used: 0,
            lost: 0,
        }
    }

    /// Bytes charged now for what is held: data and bookkeeping.
    pub fn held_bytes(&self) -> usize {
        self.held
    }

    /// Datagrams being reassembled now.
    pub fn pending(&self) -> usize {
        self.entries.len()
    }

    /// Takes one fragment, captured at `time`. Returns the datagram it completes, if it does.
    pub fn add(&mut self, time: Option<Duration>, f: &Fragment<'_>) -> Option<Whole> {
        if let Some(now) = time {
            self.expire(now);
        }
        // IPv6 fragments belong together by addresses and identification alone (RFC 8200, as
        // tshark): the next header of a fragment other than the first is not the datagram's.
        let key = Key {
            src: f.src,
            dst: f.dst,
            id: f.id,
            proto: if f.src.is_ipv6() { 0 } else { f.proto },
        };
        let end = u64::from(f.offset) + u64::from(f.len);
        // A fragment cut by the snaplen (or whose IP length claims more than was captured) is
        // not used, as in tshark: a whole copy of it may still come and complete the datagram.
        if f.data.len() < f.len as usize {
            self.lost += 1;
            return None;
        }
        let keep = f.data.len().min(f.len as usize);
        // It can never complete when it reaches beyond 64 KiB or is misaligned. (A fragment
        // that is not the last and whose length is not a multiple of 8 breaks RFC 791, but
        // tshark reassembles it, the next fragment overlapping it: so does oneway, found by
        // tests/difffuzz.rs.)
        let hopeless = end > MAX_DATAGRAM as u64 || !f.offset.is_multiple_of(8);
        let data = &f.data[..keep];
        let max = self.limits.max_bytes;
        // A datagram already in progress: one look-up.
        if let Some(e) = self.entries.get_mut(&key) {
            e.frames += 1;
            if e.doomed {
                return None;
            }
            e.proto = f.proto;
            let other_end = !f.more && e.total.is_some_and(|t| u64::from(t) != end);
            // Over the bytes bound, or over the pieces a datagram may hold: this datagram is
            // given up (not the oldest, whose data the next fragment may complete: giving up
            // the oldest made every fragment of many interleaved datagrams free one datagram
            // and start another). Linux, too, refuses fragments over its memory bound. What it
            // held is freed now; it stays, without data, to count its later fragments as lost.
            if hopeless
                || other_end
                || self.held + Pieces::growth(data) > max
                || e.pieces.map.len() >= MAX_PIECES
            {
                self.held -= e.pieces.cost;
                e.pieces = Pieces::default();
                e.doomed = true;
                return None;
            }
            if !f.more && e.total.is_none() {
                e.total = Some(end as u32);
                e.pieces.set_limit(end as u32);
            }
            let before = e.pieces.cost;
            e.pieces.add(f.offset, data);
            self.held = self.held + e.pieces.cost - before;
            let whole = e.pieces.whole()?;
            return self.complete(key, whole);
        }
        // A new datagram: room for it first (give up the oldest).
        while self.entries.len() >= self.limits.max_entries || self.held + ENTRY_COST > max {
            if !self.give_up_oldest(Some(&key)) {
                break;
            }
        }
        if self.held + ENTRY_COST > max {
            self.lost += 1; // not even room to remember it
            return None;
        }
        if hopeless || self.held + ENTRY_COST + Pieces::growth(data) > max {
            self.doom(key, time);
            return None;
        }
        let entry = self.entry(key.clone(), time);
        entry.frames += 1;
        entry.proto = f.proto;
        if !f.more {
            entry.total = Some(end as u32);
            entry.pieces.set_limit(end as u32);
        }
        entry.pieces.add(f.offset, data);
        let cost = entry.pieces.cost;
        let whole = entry.pieces.whole();
        self.held += cost;
        self.complete(key, whole?)
    }

    /// Removes the entry of a datagram just completed, and returns it whole.
    fn complete(&mut self, key: Key, data: Vec<u8>) -> Option<Whole> {
        let entry = self.entries.remove(&key)?;
        self.held -= entry.cost();
        self.used += entry.frames - 1;
        Some(Whole {
            src: key.src,
            dst: key.dst,
            proto: entry.proto,
            data,
        })
    }

    /// Gives up every datagram still incomplete (at the end of the capture).
    pub fn finish(&mut self) {
        for (_, e) in self.entries.drain() {
            self.lost += e.frames;
        }
        self.order.clear();
        self.held = 0;
    }

    /// Fragment frames accounted for since the last call, by kind: those that went into a
    /// datagram reported at a later frame ([`Skip::FragmentReassembled`]) and those whose
    /// datagram was not reassembled ([`Skip::Fragment`]). Zero counts are left out.
    pub fn take_counts(&mut self) -> Vec<(Skip, u64)> {
        let counts = [
            (Skip::FragmentReassembled, std::mem::take(&mut self.used)),
            (Skip::Fragment, std::mem::take(&mut self.lost)),
        ];
        counts.into_iter().filter(|(_, n)| *n > 0).collect()
    }

    /// Counts a fragment into its datagram and marks that datagram as one that cannot complete,
    /// freeing what it held; it stays (without data) to count its later fragments as lost.
    fn doom(&mut self, key: Key, time: Option<Duration>) {
        if !self.entries.contains_key(&key) && self.held + ENTRY_COST > self.limits.max_bytes {
            self.lost += 1; // not even room to remember it
            return;
        }
        let entry = self.entry(key, time);
        let before = entry.cost();
        entry.frames += 1;
        entry.doomed = true;
        entry.pieces = Pieces::default();
        let after = entry.cost();
        self.held = self.held + after - before;
    }

    /// The entry of `key`, made (and charged for) if there is none.
    fn entry(&mut self, key: Key, time: Option<Duration>) -> &mut Entry {
        if self.order.len() > 2 * self.limits.max_entries + 64 {
            let entries = &self.entries;
            self.order
                .retain(|(seq, _, k)| entries.get(k).is_some_and(|e| e.seq == *seq));
        }
        match self.entries.entry(key) {
            Slot::Occupied(o) => o.into_mut(),
            Slot::Vacant(v) => {
                let seq = self.next_seq;
                self.next_seq += 1;
                self.held += ENTRY_COST;
                self.order.push_back((seq, time, v.key().clone()));
                let proto = v.key().proto;
                v.insert(Entry {
                    seq,
                    pieces: Pieces::default(),
                    frames: 0,
                    total: None,
                    doomed: false,
                    proto,
                })
            }
        }
    }

    /// Whether an item of `order` is still an entry (and not an older one under the same key).
    fn live(&self, seq: u64, key: &Key) -> bool {
        self.entries.get(key).is_some_and(|e| e.seq == seq)
    }

    /// Gives up datagrams whose first fragment is older than the age bound, oldest first, as
    /// long as the oldest is too old (captures are in time order, nearly always).
    fn expire(&mut self, now: Duration) {
        while let Some((seq, first, key)) = self.order.front() {
            let old = first.is_some_and(|t| now.saturating_sub(t) > self.limits.max_age);
            if !old {
                break;
            }
            let (seq, key) = (*seq, key.clone());
            self.order.pop_front();
            if self.live(seq, &key) {
                self.drop_entry(&key);
            }
        }
    }

    /// Gives up the oldest datagram other than `keep`; false when there is none.
    fn give_up_oldest(&mut self, keep: Option<&Key>) -> bool {
        let mut kept = None;
        let mut gave_up = false;
        while let Some((seq, first, key)) = self.order.pop_front() {
            if !self.live(seq, &key) {
                continue;
            }
            if Some(&key) == keep {
                kept = Some((seq, first, key));
                continue;
            }
            self.drop_entry(&key);
            gave_up = true;
            break;
        }
        if let Some(item) = kept {
            self.order.push_front(item);
        }
        gave_up
    }

    /// Removes an entry, counting its fragments as not reassembled.
    fn drop_entry(&mut self, key: &Key) {
        if let Some(e) = self.entries.remove(key) {
            self.lost += e.frames;
            self.held -= e.cost();
        }
    }
}

/// Builds the [`Udp`] of a reassembled datagram's payload (used by [`Whole::dissect`]).
pub(super) fn udp_of<'a>(src: IpAddr, dst: IpAddr, data: &'a [u8], cut: bool) -> Dissection<'a> {
    let Some(h) = data.get(..8) else {
        return Dissection::Malformed(tr!(
            "why-header-cut",
            what = "UDP header",
            needed = 8u64,
            got = data.len()
        ));
    };
    let length_field = u16::from_be_bytes([h[4], h[5]]);
    let lf = usize::from(length_field);
    // Over IPv6 a length field of 0 is a jumbogram's (RFC 2675): the datagram is all the
    // reassembled packet carries, as for one that was not fragmented (and as tshark reads it;
    // tests/difffuzz.rs seed 1304 batch 4875).
    let jumbo = length_field == 0 && src.is_ipv6();
    let bad_length = !jumbo && (length_field < 8 || (!cut && lf > data.len()));
    let end = match lf {
        _ if jumbo => data.len(),
        0..8 => 8,
        8.. if lf <= data.len() => lf,
        _ => data.len(),
    };
    let payload = &data[8..end];
    Dissection::Udp(Udp {
        src,
        dst,
        sport: u16::from_be_bytes([h[0], h[1]]),
        dport: u16::from_be_bytes([h[2], h[3]]),
        length_field,
        payload,
        cut: cut && payload.len() < lf.saturating_sub(8),
        bad_length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn frag(id: u32, offset: u32, more: bool, data: &[u8]) -> Fragment<'_> {
        Fragment {
            src: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            dst: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
            id,
            proto: 17,
            offset,
            more,
            len: data.len() as u32,
            data: Cow::Borrowed(data),
        }
    }

    fn at(s: u64) -> Option<Duration> {
        Some(Duration::from_secs(s))
    }

    /// IPv6 fragments belong together whatever the next header of each says (RFC 8200; tshark
    /// agrees; found by tests/difffuzz.rs); the datagram's protocol is the completing fragment's,
    /// as tshark reads it. IPv4 keys on the protocol (RFC 791).
    #[test]
    fn ipv6_fragments_join_whatever_their_next_header() {
        let v6 = |proto: u8, offset: u32, more: bool, data: &'static [u8]| Fragment {
            src: IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            dst: IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
            proto,
            ..frag(9, offset, more, data)
        };
        let mut r = Reassembler::default();
        assert!(r.add(at(0), &v6(227, 8, false, &[2; 8])).is_none());
        let w = r.add(at(0), &v6(17, 0, true, &[1; 8])).expect("complete");
        assert_eq!((w.proto, w.data.len()), (17, 16));
        let mut r = Reassembler::default();
        assert!(r.add(at(0), &v6(17, 0, true, &[1; 8])).is_none());
        let w = r.add(at(0), &v6(13, 8, false, &[2; 8])).expect("complete");
        assert_eq!(w.proto, 13);
        let mut r = Reassembler::default();
        assert!(
            r.add(
                at(0),
                &Fragment {
                    proto: 6,
                    ..frag(9, 8, false, &[2; 8])
                }
            )
            .is_none()
        );
        assert!(r.add(at(0), &frag(9, 0, true, &[1; 8])).is_none());
    }

    /// A fragment that is not the last with a length not a multiple of 8 (against RFC 791) is
    /// reassembled as tshark does: the next one overlaps it, the lower offset keeps its bytes.
    #[test]
    fn a_first_fragment_of_odd_length_still_reassembles() {
        let mut r = Reassembler::default();
        assert!(r.add(at(0), &frag(3, 0, true, &[1; 12])).is_none());
        let w = r.add(at(0), &frag(3, 8, false, &[2; 8])).expect("complete");
        assert_eq!(w.data, [[1; 12].as_slice(), &[2; 4]].concat());
    }

    #[test]
    fn out_of_order_fragments_complete_at_the_last_one_seen() {
        let mut r = Reassembler::default();
        let a = [1u8; 16];
        let b = [2u8; 8];
        assert!(r.add(at(0), &frag(7, 16, false, &b)).is_none());
        let w = r.add(at(0), &frag(7, 0, true, &a)).expect("complete");
        assert_eq!(w.data.len(), 24);
        assert_eq!(&w.data[16..], &b);
        assert_eq!(r.take_counts(), vec![(Skip::FragmentReassembled, 1)]);
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
    }

    #[test]
    fn overlaps_keep_the_lower_offset_then_the_first_arrived() {
        let mut r = Reassembler::default();
        assert!(
            r.add(at(0), &frag(1, 0, true, b"AAAAAAAAAAAAAAAA"))
                .is_none()
        );
        assert!(
            r.add(at(0), &frag(1, 8, true, b"BBBBBBBBBBBBBBBB"))
                .is_none()
        );
        assert!(
            r.add(at(0), &frag(1, 8, true, b"CCCCCCCCCCCCCCCC"))
                .is_none()
        );
        let w = r
            .add(at(0), &frag(1, 24, false, b"DDDD"))
            .expect("complete");
        assert_eq!(w.data, b"AAAAAAAAAAAAAAAABBBBBBBBDDDD");
    }

    #[test]
    fn entries_are_bounded_and_the_oldest_given_up() {
        let mut r = Reassembler::new(Limits {
            max_entries: 4,
            max_bytes: 1 << 20,
            max_age: Duration::from_secs(60),
        });
        for id in 0..100 {
            assert!(r.add(at(0), &frag(id, 0, true, &[0; 8])).is_none());
            assert!(r.pending() <= 4);
        }
        assert_eq!(r.take_counts(), vec![(Skip::Fragment, 96)]);
        r.finish();
        assert_eq!(r.take_counts(), vec![(Skip::Fragment, 4)]);
    }

    #[test]
    fn bytes_are_bounded() {
        let max_bytes = 2 * ENTRY_COST + 2 * PIECE_COST + 100;
        let mut r = Reassembler::new(Limits {
            max_entries: 1000,
            max_bytes,
            max_age: Duration::from_secs(60),
        });
        let big = [0u8; 40];
        for id in 0..10 {
            r.add(at(0), &frag(id, 0, true, &big));
            assert!(r.held_bytes() <= max_bytes);
            assert!(r.pending() <= 2);
        }
        // A fragment larger than the whole budget is never held.
        let huge = [0u8; 800];
        r.add(at(0), &frag(99, 0, true, &huge));
        assert!(r.held_bytes() <= max_bytes);
        r.finish();
        assert_eq!(r.take_counts(), vec![(Skip::Fragment, 11)]);
    }

    #[test]
    fn duplicates_are_dropped_and_cost_nothing() {
        let mut r = Reassembler::default();
        let last = [7u8; 8];
        r.add(at(0), &frag(1, 16, false, &last));
        let held = r.held_bytes();
        assert_eq!(held, ENTRY_COST + PIECE_COST + 8);
        for _ in 0..40_000 {
            assert!(r.add(at(0), &frag(1, 16, false, &last)).is_none());
        }
        assert_eq!(r.held_bytes(), held);
        let w = r.add(at(0), &frag(1, 0, true, &[1; 16])).expect("complete");
        assert_eq!(&w.data[16..], &last);
        assert_eq!(r.take_counts(), vec![(Skip::FragmentReassembled, 40_001)]);
        assert_eq!(r.held_bytes(), 0);
    }

    #[test]
    fn a_piece_past_the_declared_end_does_not_stop_reassembly() {
        // The last fragment says 16 bytes; another (more=1) reaches past it: tshark
        // reassembles the 16 bytes.
        let mut r = Reassembler::default();
        assert!(r.add(at(0), &frag(1, 8, true, &[2; 24])).is_none());
        assert!(r.add(at(0), &frag(1, 8, false, &[3; 8])).is_none());
        let w = r.add(at(0), &frag(1, 0, true, &[1; 8])).expect("complete");
        assert_eq!(w.data, [[1u8; 8], [2; 8]].concat());
        // And one that starts past that end.
        assert!(r.add(at(0), &frag(2, 24, true, &[9; 8])).is_none());
        assert!(r.add(at(0), &frag(2, 8, false, &[3; 8])).is_none());
        let w = r.add(at(0), &frag(2, 0, true, &[1; 8])).expect("complete");
        assert_eq!(w.data, [[1u8; 8], [3; 8]].concat());
    }

    #[test]
    fn a_reassembled_ipv6_datagram_of_udp_length_0_is_a_jumbogram() {
        let v6 = |n: u16| IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, n));
        let mut data = vec![0x04, 0x57, 0x08, 0xae, 0, 0, 0, 0];
        data.extend(b"all of it");
        let Dissection::Udp(u) = udp_of(v6(1), v6(2), &data, false) else {
            panic!("a datagram");
        };
        assert_eq!(
            (u.payload, u.bad_length, u.cut),
            (&b"all of it"[..], false, false)
        );
        // Over IPv4 a length of 0 stays a lie: no payload.
        let v4 = |n: u8| IpAddr::V4(Ipv4Addr::new(10, 0, 0, n));
        let Dissection::Udp(u) = udp_of(v4(1), v4(2), &data, false) else {
            panic!("a datagram");
        };
        assert_eq!((u.payload, u.bad_length), (&b""[..], true));
    }

    #[test]
    fn two_last_fragments_of_different_ends_give_the_datagram_up() {
        // As Linux (ip_frag_queue, ip6_frag_queue: "end != len" drops the queue); tshark
        // reassembles to the longer end (tests/difffuzz.rs seed 1303 batch 2670, README).
        let mut r = Reassembler::default();
        assert!(r.add(at(0), &frag(1, 8, false, &[2; 8])).is_none());
        assert!(r.add(at(0), &frag(1, 16, false, &[3; 8])).is_none());
        assert!(r.add(at(0), &frag(1, 0, true, &[1; 8])).is_none());
        assert_eq!(r.held_bytes(), ENTRY_COST);
        // The same end twice is a duplicate, not a conflict.
        assert!(r.add(at(0), &frag(2, 8, false, &[2; 8])).is_none());
        assert!(r.add(at(0), &frag(2, 8, false, &[2; 8])).is_none());
        assert!(r.add(at(0), &frag(2, 0, true, &[1; 8])).is_some());
    }

    #[test]
    fn a_datagram_of_too_many_pieces_is_given_up() {
        let mut r = Reassembler::default();
        let piece = [0u8; 8];
        // In reverse order, so that no piece extends another.
        for i in (0..=MAX_PIECES as u32).rev() {
            assert!(r.add(at(0), &frag(1, 8 * i + 8, true, &piece)).is_none());
        }
        assert!(r.add(at(0), &frag(1, 0, false, &piece)).is_none());
        assert_eq!(r.held_bytes(), ENTRY_COST);
        r.finish();
        assert_eq!(
            r.take_counts(),
            vec![(Skip::Fragment, MAX_PIECES as u64 + 2)]
        );
    }

    #[test]
    fn the_costs_cover_what_the_compiler_allocates() {
        use std::mem::size_of;
        // The table at its worst load (half full after growing), its control bytes, the age
        // queue's items (up to twice the entries, in a buffer up to twice that), two heap
        // headers.
        let slot = size_of::<(Key, Entry)>() + 1;
        let queue = size_of::<(u64, Key)>();
        assert!(2 * slot + 4 * queue + 32 <= ENTRY_COST, "{slot} {queue}");
        // A B-tree leaf holds 11 items and at least 5 of them; the data's heap header.
        let item = size_of::<u32>() + size_of::<Piece>();
        assert!((11 * item + 16) / 5 + 16 <= PIECE_COST, "{item}");
    }

    /// Wireshark's rule, byte by byte: pieces in order of offset, then of arrival; each
    /// writes the bytes no earlier one wrote.
    fn reference(pieces: &[(u32, Vec<u8>)], total: u32) -> Option<Vec<u8>> {
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        order.sort_by_key(|&i| (pieces[i].0, i));
        let mut out = vec![None; total as usize];
        for i in order {
            let (o, d) = &pieces[i];
            for (j, b) in d.iter().enumerate() {
                if let Some(slot) = out.get_mut(*o as usize + j) {
                    slot.get_or_insert(*b);
                }
            }
        }
        out.into_iter().collect()
    }

    #[test]
    fn overlaps_resolve_as_a_byte_by_byte_reference_does() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut completed = 0;
        for round in 0..3000 {
            let blocks = 1 + next(12) as u32;
            let total = 8 * blocks - next(8) as u32;
            let mut r = Reassembler::default();
            let mut seen: Vec<(u32, Vec<u8>)> = Vec::new();
            let mut last_done = false;
            for step in 0..40u8 {
                let start = next(u64::from(blocks)) as u32;
                let last = next(4) == 0;
                let (offset, len) = if last {
                    (8 * start, total - 8 * start.min((total - 1) / 8))
                } else {
                    let n = 1 + next(u64::from(blocks + 2 - start)) as u32;
                    (8 * start, 8 * n)
                };
                let offset = if last { total - len } else { offset };
                let data: Vec<u8> = (0..len).map(|i| step.wrapping_mul(31) ^ i as u8).collect();
                let got = r.add(at(0), &frag(1, offset, !last, &data));
                last_done |= last;
                seen.push((offset, data));
                let want = if last_done {
                    reference(&seen, total)
                } else {
                    None
                };
                assert_eq!(got.map(|w| w.data), want, "round {round} step {step}");
                if want.is_some() {
                    completed += 1;
                    break;
                }
            }
        }
        // Not a test that cannot fail: most rounds complete.
        assert!(completed > 2000, "{completed} of 3000 rounds completed");
    }
    #[test]
    fn old_datagrams_expire_by_capture_time() {
        let mut r = Reassembler::default();
        r.add(at(0), &frag(1, 0, true, &[0; 8]));
        r.add(at(61), &frag(2, 0, true, &[0; 8]));
        assert_eq!(r.pending(), 1);
        assert_eq!(r.take_counts(), vec![(Skip::Fragment, 1)]);
        // Its last fragment comes too late: nothing is reassembled.
        assert!(r.add(at(62), &frag(1, 8, false, &[0; 8])).is_none());
    }

    #[test]
    fn a_cut_or_oversized_fragment_dooms_its_datagram() {
        let mut r = Reassembler::default();
        let mut f = frag(1, 0, true, &[0; 8]);
        f.len = 16;
        r.add(at(0), &f);
        assert!(r.add(at(0), &frag(1, 16, false, &[0; 8])).is_none());
        assert!(r.add(at(0), &frag(2, 65_530, false, &[0; 8])).is_none());
        r.finish();
        assert_eq!(r.take_counts(), vec![(Skip::Fragment, 3)]);
    }
}
