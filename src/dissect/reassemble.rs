//! IP reassembly (IPv4 and IPv6) with hard bounds: the only state of the dissection layer.
//!
//! [`crate::dissect::dissect`] stays pure: a fragment comes out of it as a [`Fragment`] borrowing
//! the frame. The caller hands it to a [`Reassembler`], which copies what it must keep and, at
//! the fragment that completes a datagram, returns the [`Whole`] datagram; the caller reports it
//! at that frame, as tshark does.
//!
//! What a hostile or damaged capture can make it hold is bounded ([`Limits`]): the number of
//! datagrams being reassembled at once, the bytes held in all of them, the capture time a
//! datagram may wait for its missing fragments, and the size of one datagram (65 535 bytes, the
//! most an IP length field can describe). When a bound is hit the oldest datagram is given up.
//! Every fragment frame is accounted for exactly once, by [`Reassembler::take_counts`]: either as
//! part of a datagram reassembled at a later frame, or as not reassembled (given up, expired,
//! inconsistent, cut by the snaplen, or still incomplete at the end of the capture).

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::Duration;

use super::{Dissection, Skip, Udp};

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
    /// Bytes of fragment data held in all of them.
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

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    src: IpAddr,
    dst: IpAddr,
    id: u32,
    proto: u8,
}

#[derive(Debug)]
struct Entry {
    /// Capture time of the first fragment seen.
    first_seen: Option<Duration>,
    /// Arrival order, to give up the oldest first.
    seq: u64,
    /// (offset, data), in arrival order.
    pieces: Vec<(u32, Vec<u8>)>,
    /// Fragment frames that went into this entry.
    frames: u64,
    /// Bytes held.
    bytes: usize,
    /// The datagram's payload length, once its last fragment has been seen.
    total: Option<u32>,
    /// A fragment was cut by the snaplen or is inconsistent: this datagram cannot complete.
    doomed: bool,
}

/// Reassembles IP fragments within hard bounds. See the module documentation.
#[derive(Debug)]
pub struct Reassembler {
    limits: Limits,
    entries: HashMap<Key, Entry>,
    /// The entries in the order they were made (with stale items of entries since removed,
    /// dropped as they come to the front and when they outnumber the live ones): the oldest is
    /// found in constant time.
    order: VecDeque<(u64, Key)>,
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
            entries: HashMap::new(),
            order: VecDeque::new(),
            held: 0,
            next_seq: 0,
            used: 0,
            lost: 0,
        }
    }

    /// Bytes of fragment data held now.
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
        let key = Key {
            src: f.src,
            dst: f.dst,
            id: f.id,
            proto: f.proto,
        };
        let end = u64::from(f.offset) + u64::from(f.len);
        let keep = f.data.len().min(f.len as usize);
        // Room for a new datagram first: give up the oldest, never this fragment's own.
        if !self.entries.contains_key(&key) {
            while self.entries.len() >= self.limits.max_entries {
                if !self.give_up_oldest(Some(&key)) {
                    break;
                }
            }
        }
        let inconsistent = end > MAX_DATAGRAM as u64 || (f.more && !f.len.is_multiple_of(8));
        if inconsistent || f.data.len() < f.len as usize {
            // It can never complete (beyond 64 KiB, misaligned, cut by the snaplen): its
            // datagram is lost, and what it held is freed now.
            self.doom(key, time);
            return None;
        }
        while self.held + keep > self.limits.max_bytes {
            if !self.give_up_oldest(Some(&key)) {
                break;
            }
        }
        if self.held + keep > self.limits.max_bytes {
            // Even alone it is too much.
            self.doom(key, time);
            return None;
        }
        let entry = self.entry(key.clone(), time);
        entry.frames += 1;
        if !f.more {
            match entry.total {
                Some(t) if u64::from(t) != end => entry.doomed = true,
                _ => entry.total = Some(end as u32),
            }
        }
        if entry.doomed {
            let freed = std::mem::take(&mut entry.bytes);
            entry.pieces = Vec::new();
            self.held -= freed;
            return None;
        }
        entry.pieces.push((f.offset, f.data[..keep].to_vec()));
        entry.bytes += keep;
        let complete = entry.total.and_then(|t| assemble(&entry.pieces, t));
        self.held += keep;
        let data = complete?;
        let entry = self.entries.remove(&key)?;
        self.held -= entry.bytes;
        self.used += entry.frames - 1;
        Some(Whole {
            src: key.src,
            dst: key.dst,
            proto: key.proto,
            data,
        })
    }

    /// Gives up every datagram still incomplete (at the end of the capture).
    pub fn finish(&mut self) {
        for (_, e) in self.entries.drain() {
            self.lost += e.frames;
        }
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
        let entry = self.entry(key, time);
        entry.frames += 1;
        entry.doomed = true;
        let freed = std::mem::take(&mut entry.bytes);
        entry.pieces = Vec::new();
        self.held -= freed;
    }

    fn entry(&mut self, key: Key, time: Option<Duration>) -> &mut Entry {
        let seq = self.next_seq;
        if !self.entries.contains_key(&key) {
            self.next_seq += 1;
            self.order.push_back((seq, key.clone()));
            if self.order.len() > 2 * self.limits.max_entries + 64 {
                let entries = &self.entries;
                self.order
                    .retain(|(seq, k)| entries.get(k).is_some_and(|e| e.seq == *seq));
            }
        }
        self.entries.entry(key).or_insert_with(|| Entry {
            first_seen: time,
            seq,
            pieces: Vec::new(),
            frames: 0,
            bytes: 0,
            total: None,
            doomed: false,
        })
    }

    /// Whether an item of `order` is still an entry (and not an older one under the same key).
    fn live(&self, seq: u64, key: &Key) -> bool {
        self.entries.get(key).is_some_and(|e| e.seq == seq)
    }

    /// Gives up datagrams whose first fragment is older than the age bound, oldest first, as
    /// long as the oldest is too old (captures are in time order, nearly always).
    fn expire(&mut self, now: Duration) {
        while let Some((seq, key)) = self.order.front().cloned() {
            if !self.live(seq, &key) {
                self.order.pop_front();
                continue;
            }
            let old = self
                .entries
                .get(&key)
                .and_then(|e| e.first_seen)
                .is_some_and(|t| now.saturating_sub(t) > self.limits.max_age);
            if !old {
                break;
            }
            self.order.pop_front();
            self.drop_entry(&key);
        }
    }

    /// Gives up the oldest datagram other than `keep`; false when there is none.
    fn give_up_oldest(&mut self, keep: Option<&Key>) -> bool {
        let mut kept = None;
        let mut gave_up = false;
        while let Some((seq, key)) = self.order.pop_front() {
            if !self.live(seq, &key) {
                continue;
            }
            if Some(&key) == keep {
                kept = Some((seq, key));
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
            self.held -= e.bytes;
        }
    }
}

/// The datagram, if the pieces cover `0..total` without a hole. Where pieces overlap, the one
/// with the lower offset wins, then the one that came first — as Wireshark reassembles.
fn assemble(pieces: &[(u32, Vec<u8>)], total: u32) -> Option<Vec<u8>> {
    let mut order: Vec<(u32, usize)> = pieces
        .iter()
        .enumerate()
        .map(|(i, (o, _))| (*o, i))
        .collect();
    order.sort_unstable();
    let total = total as usize;
    let mut data = Vec::with_capacity(total);
    for (offset, i) in order {
        let offset = offset as usize;
        if offset > data.len() {
            return None; // a hole
        }
        let piece = &pieces[i].1;
        let end = (offset + piece.len()).min(total);
        if end > data.len() {
            let from = data.len() - offset;
            data.extend_from_slice(&piece[from..end - offset]);
        }
    }
    (data.len() == total).then_some(data)
}

/// Builds the [`Udp`] of a reassembled datagram's payload (used by [`Whole::dissect`]).
pub(super) fn udp_of<'a>(src: IpAddr, dst: IpAddr, data: &'a [u8], cut: bool) -> Dissection<'a> {
    let Some(h) = data.get(..8) else {
        return Dissection::Malformed(format!(
            "UDP header cut: 8 bytes needed, {} captured",
            data.len()
        ));
    };
    let length_field = u16::from_be_bytes([h[4], h[5]]);
    let lf = usize::from(length_field);
    let bad_length = length_field < 8 || (!cut && lf > data.len());
    let end = match lf {
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
        let mut r = Reassembler::new(Limits {
            max_entries: 1000,
            max_bytes: 64,
            max_age: Duration::from_secs(60),
        });
        let big = [0u8; 40];
        for id in 0..10 {
            r.add(at(0), &frag(id, 0, true, &big));
            assert!(r.held_bytes() <= 64);
        }
        // A fragment larger than the whole budget is never held.
        let huge = [0u8; 80];
        r.add(at(0), &frag(99, 0, true, &huge));
        assert!(r.held_bytes() <= 64);
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
