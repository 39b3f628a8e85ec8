//! The Linux fast path of `oneway serve`: while a burst is pending, up to [`BATCH`] datagrams per
//! `recvmmsg`, and their replies in as few sends as possible — a run of replies of one size to
//! one peer (what a client with several requests in flight gets) as one UDP GSO send that the
//! kernel cuts into exactly those datagrams, the others through `sendmmsg` (all through `nix`'s
//! safe wrappers) — instead of one `recvfrom` and one `sendto` per datagram.
//!
//! It behaves exactly like the one-datagram loop in the parent module: the same log lines in the
//! same order, the same replies, warnings and summary; `--count N` never receives more than the
//! datagrams still to serve; the log is flushed when the socket goes idle; Ctrl-C is noticed at
//! least every [`TICK`](super::TICK). Each datagram has its own [`RECV_BUFFER`]-byte buffer (one
//! allocation of `BATCH × 65,535` bytes, made once), so nothing is truncated — and a datagram the
//! kernel marks `MSG_TRUNC` anyway is reported, never logged as if it were whole.
//!
//! Where `recvmmsg` is missing (`ENOSYS`), [`serve`] returns `None` before serving anything and
//! the caller falls back to the one-datagram loop.

use std::io::{self, IoSlice, IoSliceMut, Write};
use std::net::{SocketAddr, UdpSocket};
use std::ops::Range;
use std::os::fd::AsRawFd;
use std::sync::atomic::Ordering;

use anyhow::Context as _;
use nix::errno::Errno;
use nix::sys::socket::{
    ControlMessage, MsgFlags, MultiHeaders, SockaddrStorage, recvmmsg, sendmmsg, sendmsg,
};

use super::{
    Options, RECV_BUFFER, Reply, STOP, Stats, Stop, is_peer_error, unmap, write_greeting_head,
    write_log,
};

/// Most datagrams received (and replies sent) per system call.
pub const BATCH: usize = 64;

/// Largest reply sent as a GSO segment: what IPv6 carries in a 1500-byte Ethernet frame.
const GSO_MAX_SEGMENT: usize = 1452;
/// Most segments in one GSO send (the kernel's `UDP_MAX_SEGMENTS`), and most bytes.
const GSO_MAX_SEGMENTS: usize = 64;
const GSO_MAX_BYTES: usize = 60_000;

/// What `recvmmsg` said about one datagram.
struct Received {
    /// Bytes in its buffer.
    len: usize,
    /// The sender, as the kernel wrote it.
    from: Option<SockaddrStorage>,
    /// `MSG_TRUNC`: the datagram was longer than its buffer.
    truncated: bool,
}

/// One reply waiting for `sendmmsg`: a greeting head (empty for echo) then the datagram's payload.
struct Pending {
    /// Which receive buffer holds the payload.
    slot: usize,
    /// Payload length.
    len: usize,
    /// The greeting head, in [`Batch::heads`].
    head: Range<usize>,
    /// Where to send it (the address the datagram came from).
    to: SockaddrStorage,
    /// The peer as logged (IPv4-mapped shown as IPv4), for warnings.
    peer: SocketAddr,
}

/// Buffers and message headers, allocated once.
pub(super) struct Batch {
    /// `BATCH` receive buffers of [`RECV_BUFFER`] bytes, back to back.
    bufs: Vec<u8>,
    recv: MultiHeaders<SockaddrStorage>,
    send: MultiHeaders<SockaddrStorage>,
    got: Vec<Received>,
    replies: Vec<Pending>,
    /// Greeting heads of the current batch, concatenated.
    heads: Vec<u8>,
    /// Runs of equal replies to one peer go out as one UDP GSO send (until the kernel refuses).
    gso: bool,
}

impl Batch {
    /// Buffers for [`BATCH`] datagrams, GSO on.
    pub(super) fn new() -> Self {
        Batch {
            bufs: vec![0; BATCH * RECV_BUFFER],
            recv: MultiHeaders::preallocate(BATCH, None),
            send: MultiHeaders::preallocate(BATCH, None),
            got: Vec::with_capacity(BATCH),
            replies: Vec::with_capacity(BATCH),
            heads: Vec::with_capacity(BATCH * 64),
            gso: true,
        }
    }

    /// Receives up to `want` (1..=[`BATCH`]) datagrams into `got`.
    fn receive(&mut self, socket: &UdpSocket, want: usize, flags: MsgFlags) -> Result<(), Errno> {
        let mut iovs: Vec<[IoSliceMut<'_>; 1]> = self
            .bufs
            .chunks_mut(RECV_BUFFER)
            .take(want)
            .map(|b| [IoSliceMut::new(b)])
            .collect();
        let results = recvmmsg(
            socket.as_raw_fd(),
            &mut self.recv,
            iovs.iter_mut(),
            flags,
            None,
        )?;
        self.got.clear();
        for r in results {
            self.got.push(Received {
                len: r.bytes,
                from: r.address,
                truncated: r.flags.contains(MsgFlags::MSG_TRUNC),
            });
        }
        Ok(())
    }

    /// The payload of the datagram in buffer `slot`.
    fn payload(&self, slot: usize, len: usize) -> &[u8] {
        &self.bufs[slot * RECV_BUFFER..][..len]
    }

    /// Sends every pending reply. Consecutive replies to the same peer of the same size (a client
    /// keeping a window of requests open gets a burst of them) go out as one send that the kernel
    /// cuts into those datagrams (UDP GSO: the peer receives exactly the same datagrams, and the
    /// stack is walked once instead of once each); the others in as few `sendmmsg` calls as the
    /// kernel allows. A reply that cannot be sent is counted and warned about, as in the
    /// one-datagram loop, and the others are still sent.
    fn send_replies(
        &mut self,
        socket: &UdpSocket,
        stats: &mut Stats,
        err: &mut dyn Write,
    ) -> io::Result<()> {
        let mut next = 0;
        while next < self.replies.len() {
            let run = self.gso_run(next);
            if run >= 2 {
                match self.send_segmented(socket, next, run) {
                    Ok(()) => {
                        next += run;
                        continue;
                    }
                    // Not supported here (kernel, route or device): never again. Either way,
                    // this run goes out one datagram at a time, where errors are told apart.
                    Err(Errno::EINVAL | Errno::EIO | Errno::EOPNOTSUPP | Errno::ENOPROTOOPT) => {
                        self.gso = false;
                    }
                    Err(_) => {}
                }
            }
            let end = if run >= 2 {
                next + run
            } else {
                self.plain_end(next)
            };
            self.send_each(socket, next, end, stats, err)?;
            next = end;
        }
        Ok(())
    }

    /// Size of a reply on the wire (UDP payload).
    fn size(&self, i: usize) -> usize {
        let r = &self.replies[i];
        r.head.len() + r.len
    }

    /// How many replies from `i` on can go out as one segmented send: same peer, same size, a
    /// size every IPv4 and IPv6 path over Ethernet carries (the kernel refuses segments larger
    /// than the route's MTU), and at most [`GSO_MAX_SEGMENTS`] and 64 KB in all.
    fn gso_run(&self, i: usize) -> usize {
        let (to, size) = (self.replies[i].to, self.size(i));
        if !self.gso || size == 0 || size > GSO_MAX_SEGMENT {
            return 1;
        }
        let most = GSO_MAX_SEGMENTS.min(GSO_MAX_BYTES / size);
        self.replies[i..]
            .iter()
            .take(most)
            .enumerate()
            .take_while(|(k, r)| r.to == to && self.size(i + k) == size)
            .count()
    }

    /// Where the replies that are not part of a segmented run end, from `i` on.
    fn plain_end(&self, i: usize) -> usize {
        (i + 1..self.replies.len())
            .find(|&j| self.gso_run(j) >= 2)
            .unwrap_or(self.replies.len())
    }

    /// Sends replies `i..i + run` (same peer, same size) in one `sendmsg` with `UDP_SEGMENT`.
    fn send_segmented(&self, socket: &UdpSocket, i: usize, run: usize) -> Result<(), Errno> {
        let replies = &self.replies[i..i + run];
        let iov: Vec<IoSlice<'_>> = replies
            .iter()
            .flat_map(|r| {
                [
                    IoSlice::new(&self.heads[r.head.clone()]),
                    IoSlice::new(&self.bufs[r.slot * RECV_BUFFER..][..r.len]),
                ]
            })
            .collect();
        let segment = u16::try_from(self.size(i)).map_err(|_| Errno::EINVAL)?;
        let cmsgs = [ControlMessage::UdpGsoSegments(&segment)];
        let total = usize::from(segment) * run;
        match sendmsg(
            socket.as_raw_fd(),
            &iov,
            &cmsgs,
            MsgFlags::empty(),
            Some(&replies[0].to),
        ) {
            Ok(n) if n == total => Ok(()),
            Ok(_) => Err(Errno::EIO),
            Err(e) => Err(e),
        }
    }

    /// Sends replies `start..end` with `sendmmsg`, one datagram each.
    fn send_each(
        &mut self,
        socket: &UdpSocket,
        start: usize,
        end: usize,
        stats: &mut Stats,
        err: &mut dyn Write,
    ) -> io::Result<()> {
        let mut next = start;
        while next < end {
            let rest = &self.replies[next..end];
            let iovs: Vec<[IoSlice<'_>; 2]> = rest
                .iter()
                .map(|r| {
                    [
                        IoSlice::new(&self.heads[r.head.clone()]),
                        IoSlice::new(&self.bufs[r.slot * RECV_BUFFER..][..r.len]),
                    ]
                })
                .collect();
            let addrs: Vec<Option<SockaddrStorage>> = rest.iter().map(|r| Some(r.to)).collect();
            let cmsgs: [ControlMessage<'_>; 0] = [];
            // sendmmsg reports an error only when the first message fails; a later failure
            // ends the call early and shows up as the first message of the next call.
            let failure = match sendmmsg(
                socket.as_raw_fd(),
                &mut self.send,
                &iovs,
                addrs,
                cmsgs,
                MsgFlags::empty(),
            ) {
                Ok(sent) => match sent.count() {
                    0 => Some(io::Error::other("sendmmsg sent nothing")),
                    n => {
                        next += n;
                        None
                    }
                },
                Err(Errno::EINTR) => None,
                Err(e) => Some(io::Error::from(e)),
            };
            if let Some(e) = failure {
                let r = &self.replies[next];
                let (peer, n) = (r.peer, r.head.len() + r.len);
                stats.failed_replies += 1;
                stats.warn(err, format_args!("cannot answer {peer} ({n} bytes): {e}"))?;
                next += 1;
            }
        }
        Ok(())
    }
}

/// The std form of a received address (IPv4 or IPv6).
fn to_std(a: &SockaddrStorage) -> Option<SocketAddr> {
    if let Some(v4) = a.as_sockaddr_in() {
        return Some(SocketAddr::V4((*v4).into()));
    }
    a.as_sockaddr_in6().map(|v6| SocketAddr::V6((*v6).into()))
}

/// Serves in batches until `--count`, Ctrl-C or SIGTERM, with the buffers `b` ([`Batch::new`];
/// the tests turn GSO off). `None`: `recvmmsg` is not available here (nothing was received; the
/// caller serves one datagram at a time instead).
pub(super) fn serve(
    mut b: Batch,
    socket: &UdpSocket,
    local: SocketAddr,
    o: &Options,
    stats: &mut Stats,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Option<Stop>> {
    // Datagrams were served since the log was last flushed: receive without waiting, and flush
    // when nothing is pending.
    let mut busy = false;
    loop {
        let want = match o.count {
            Some(n) if stats.datagrams >= n => return Ok(Some(Stop::Count)),
            Some(n) => (n - stats.datagrams).min(BATCH as u64) as usize,
            None => BATCH,
        };
        if STOP.load(Ordering::SeqCst) {
            return Ok(Some(Stop::Signal));
        }
        // Idle: block (up to the socket's read timeout) for the first datagram, then take what
        // else is already there. Busy: take what is there, or learn that nothing is.
        let flags = if busy {
            MsgFlags::MSG_DONTWAIT
        } else {
            MsgFlags::MSG_WAITFORONE
        };
        match b.receive(socket, want, flags) {
            Ok(()) => {}
            Err(Errno::EAGAIN) => {
                if busy {
                    out.flush()?;
                    busy = false;
                }
                continue;
            }
            Err(Errno::EINTR) => continue,
            Err(Errno::ENOSYS) if !busy && stats.datagrams == 0 => return Ok(None),
            Err(e) => {
                let e = io::Error::from(e);
                if is_peer_error(&e) {
                    stats.receive_errors += 1;
                    stats.warn(err, format_args!("receive on {local}: {e}"))?;
                    continue;
                }
                return Err(e).with_context(|| format!("cannot receive on {local}"));
            }
        }
        busy = true;
        b.replies.clear();
        b.heads.clear();
        for (slot, got) in b.got.iter().enumerate() {
            let from = got.from.as_ref().and_then(to_std);
            let (Some(from), false) = (from, got.truncated) else {
                stats.receive_errors += 1;
                let what = if got.truncated {
                    format!("a datagram longer than {RECV_BUFFER} bytes was cut; not served")
                } else {
                    "a datagram without a sender address; not served".to_string()
                };
                stats.warn(err, format_args!("receive on {local}: {what}"))?;
                continue;
            };
            let payload = b.payload(slot, got.len);
            let peer = unmap(from);
            stats.record(peer, got.len);
            write_log(out, o.format, jiff::Timestamp::now(), peer, payload)?;
            let start = b.heads.len();
            match o.reply {
                Reply::Greet => write_greeting_head(&mut b.heads, peer),
                Reply::Echo => {}
                Reply::None => continue,
            }
            if let Some(to) = got.from {
                b.replies.push(Pending {
                    slot,
                    len: got.len,
                    head: start..b.heads.len(),
                    to,
                    peer,
                });
            }
        }
        b.send_replies(socket, stats, err)?;
    }
}

#[cfg(test)]
mod tests {
    use std::net::UdpSocket;
    use std::sync::atomic::Ordering;
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::Duration;

    use super::super::{LogFormat, Options, Reply, STOP, Stats, Stop, TICK, one_by_one};
    use super::{Batch, serve};

    /// What one server loop made of the same datagrams: its log, its summary, the replies.
    type Served = (Vec<u8>, String, Vec<Vec<u8>>);

    /// Queues `requests` from `client` at a fresh server socket, then serves exactly that many
    /// with the loop `how` picks: 0 one datagram at a time, 1 batched with GSO, 2 batched
    /// without.
    fn served(how: u8, client: &UdpSocket, requests: &[Vec<u8>]) -> Served {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_read_timeout(Some(TICK)).unwrap();
        let local = socket.local_addr().unwrap();
        for r in requests {
            client.send_to(r, local).unwrap();
        }
        let o = Options {
            bind: local.ip(),
            port: local.port(),
            reply: Reply::Greet,
            count: Some(requests.len() as u64),
            format: LogFormat::Text,
        };
        let (mut out, mut err, mut stats) = (Vec::new(), Vec::new(), Stats::default());
        let stop = match how {
            0 => one_by_one(socket, local, &o, &mut stats, &mut out, &mut err).unwrap(),
            _ => {
                let b = Batch {
                    gso: how == 1,
                    ..Batch::new()
                };
                serve(b, &socket, local, &o, &mut stats, &mut out, &mut err)
                    .unwrap()
                    .expect("recvmmsg works here")
            }
        };
        assert_eq!(stop, Stop::Count);
        let mut buf = vec![0; 65_535];
        let replies = requests
            .iter()
            .map(|_| {
                let n = client.recv(&mut buf).expect("a reply within 5 s");
                buf[..n].to_vec()
            })
            .collect();
        (out, stats.summary(stop), replies)
    }

    /// The batched loop (with and without GSO) logs, counts and answers exactly as the
    /// one-datagram loop that other systems use: same log bytes, same summary, same replies in
    /// the same order, over runs of equal and unequal sizes, empty datagrams included.
    #[test]
    fn every_loop_serves_alike() {
        let client = UdpSocket::bind("127.0.0.1:0").unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        // Few and small enough to wait in the sockets' default buffers (about 200 KB).
        let requests: Vec<Vec<u8>> = (0..70)
            .map(|i: usize| {
                let mut m = format!("r{i:03}").into_bytes();
                m.resize(
                    [4, 4, 4, 900, 0, 1400, 4][i % 7].max(usize::from(i % 7 != 4)),
                    b'~',
                );
                if i % 7 == 4 {
                    m.clear();
                }
                m
            })
            .collect();
        // Bounded: were a datagram lost, the loops would wait for it; after 20 s they are told
        // to stop as Ctrl-C would, and the test fails instead of hanging.
        let (done, finished) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                if let Err(RecvTimeoutError::Timeout) =
                    finished.recv_timeout(Duration::from_secs(20))
                {
                    STOP.store(true, Ordering::SeqCst);
                }
            });
            let one = served(0, &client, &requests);
            assert_eq!(one.2.len(), requests.len());
            for how in [1, 2] {
                let other = served(how, &client, &requests);
                assert!(other.0 == one.0, "log differs (loop {how})");
                assert_eq!(other.1, one.1, "summary differs (loop {how})");
                assert!(other.2 == one.2, "replies differ (loop {how})");
            }
            done.send(()).unwrap();
        });
    }
}
