//! The Linux fast path of `oneway serve`: while a burst is pending, up to [`BATCH`] datagrams per
//! `recvmmsg`, and their replies in as few sends as possible — a run of replies of one size to
//! one peer from one local address (what a client with several requests in flight gets) as one
//! UDP GSO send that the kernel cuts into exactly those datagrams, the others through `sendmmsg`
//! (all through `nix`'s safe wrappers) — instead of one `recvfrom` and one `sendto` per datagram.
//!
//! It behaves exactly like the one-datagram loop in the parent module: the same log lines in the
//! same order, the same replies, warnings and summary; `--count N` never receives more than the
//! datagrams still to serve; the log is handed over when the socket goes idle (at most every
//! [`SHIP_EVERY`](super::log::SHIP_EVERY) while busy, at the latest after [`TICK`](super::TICK));
//! Ctrl-C is noticed at least every [`TICK`](super::TICK). Each datagram has its own [`RECV_BUFFER`]-byte buffer
//! (one allocation of `BATCH × 65,535` bytes, made once), so nothing is truncated — and a
//! datagram the kernel marks `MSG_TRUNC` anyway is reported, never logged as if it were whole.
//!
//! **The reply's source address.** On a socket bound to a wildcard address ([`want_pktinfo`]),
//! each datagram comes with the local address it was sent to (`IP_PKTINFO`, or `IPV6_PKTINFO`,
//! which on a dual-stack socket also carries IPv4 destinations as IPv4-mapped addresses), and
//! its reply is sent with that address as its source (the same control message on the send; in
//! `sendmmsg`, whose control messages are shared by the whole call, replies go in runs from one
//! source). A socket bound to one address needs none of it, and asks for none.
//!
//! Where `recvmmsg` is missing (`ENOSYS`), [`serve`] returns `None` before serving anything and
//! the caller falls back to the one-datagram loop (where the system picks the source address).

use std::io::{self, IoSlice, IoSliceMut};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::ops::Range;
use std::os::fd::AsRawFd;
use std::time::Instant;

use anyhow::Context as _;
use nix::errno::Errno;
use nix::libc;
use nix::sys::socket::{
    ControlMessage, ControlMessageOwned, MsgFlags, MultiHeaders, SockaddrStorage, recvmmsg,
    sendmmsg, sendmsg, setsockopt, sockopt,
};

use super::{RECV_BUFFER, Reply, Session, Stop, is_peer_error, stop, unmap, write_greeting_head};
use crate::i18n::tr;

/// Most datagrams received (and replies sent) per system call.
pub const BATCH: usize = 64;

/// Largest reply sent as a GSO segment: what IPv6 carries in a 1500-byte Ethernet frame.
const GSO_MAX_SEGMENT: usize = 1452;
/// Most segments in one GSO send (the kernel's `UDP_MAX_SEGMENTS`), and most bytes.
const GSO_MAX_SEGMENTS: usize = 64;
const GSO_MAX_BYTES: usize = 60_000;

/// Which destination-address control message the socket was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    /// `IP_PKTINFO` (an IPv4 socket).
    V4,
    /// `IPV6_RECVPKTINFO` (an IPv6 socket, dual-stack or not).
    V6,
}

/// Asks the socket for each datagram's destination address when it is bound to a wildcard
/// address (a socket bound to one address answers from it anyway).
pub(super) fn want_pktinfo(socket: &UdpSocket, local: SocketAddr) -> io::Result<Option<Family>> {
    if !local.ip().is_unspecified() {
        return Ok(None);
    }
    match local {
        SocketAddr::V4(_) => setsockopt(socket, sockopt::Ipv4PacketInfo, &true)
            .map(|()| Some(Family::V4))
            .map_err(io::Error::from),
        SocketAddr::V6(_) => setsockopt(socket, sockopt::Ipv6RecvPacketInfo, &true)
            .map(|()| Some(Family::V6))
            .map_err(io::Error::from),
    }
}

/// The source a reply is sent from: what goes in its `IP_PKTINFO` / `IPV6_PKTINFO`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `ipi_spec_dst`: the local address.
    V4([u8; 4]),
    /// `ipi6_addr` and `ipi6_ifindex` (0 unless the address is link-local).
    V6([u8; 16], u32),
}

/// What a datagram's destination control message says.
#[derive(Debug, Clone, Copy)]
struct Dest {
    /// The address the datagram was sent to (IPv4-mapped shown as IPv4).
    ip: IpAddr,
    /// Where its reply leaves from.
    source: Source,
}

impl Dest {
    fn from_cmsg(c: &ControlMessageOwned) -> Option<Dest> {
        match c {
            ControlMessageOwned::Ipv4PacketInfo(i) => Some(Dest {
                ip: IpAddr::V4(Ipv4Addr::from(i.ipi_addr.s_addr.to_ne_bytes())),
                source: Source::V4(i.ipi_spec_dst.s_addr.to_ne_bytes()),
            }),
            ControlMessageOwned::Ipv6PacketInfo(i) => {
                let to = Ipv6Addr::from(i.ipi6_addr.s6_addr);
                let source = if to.is_multicast() {
                    // Not a source: the system picks one on that interface.
                    Source::V6([0; 16], i.ipi6_ifindex)
                } else if to.is_unicast_link_local() {
                    Source::V6(to.octets(), i.ipi6_ifindex)
                } else {
                    Source::V6(to.octets(), 0)
                };
                let ip = to.to_ipv4_mapped().map_or(IpAddr::V6(to), IpAddr::V4);
                Some(Dest { ip, source })
            }
            _ => None,
        }
    }
}

/// The control messages of one send: a GSO segment size and a source, either or both.
fn with_cmsgs<R>(
    segment: Option<&u16>,
    source: Option<Source>,
    f: impl FnOnce(&[ControlMessage<'_>]) -> R,
) -> R {
    let v4;
    let v6;
    let src = match source {
        None => None,
        Some(Source::V4(a)) => {
            v4 = libc::in_pktinfo {
                ipi_ifindex: 0,
                ipi_spec_dst: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a),
                },
                ipi_addr: libc::in_addr { s_addr: 0 },
            };
            Some(ControlMessage::Ipv4PacketInfo(&v4))
        }
        Some(Source::V6(a, ifindex)) => {
            v6 = libc::in6_pktinfo {
                ipi6_addr: libc::in6_addr { s6_addr: a },
                ipi6_ifindex: ifindex as _,
            };
            Some(ControlMessage::Ipv6PacketInfo(&v6))
        }
    };
    match (segment.map(ControlMessage::UdpGsoSegments), src) {
        (Some(g), Some(s)) => f(&[g, s]),
        (Some(one), None) | (None, Some(one)) => f(&[one]),
        (None, None) => f(&[]),
    }
}

/// What `recvmmsg` said about one datagram.
struct Received {
    /// Bytes in its buffer.
    len: usize,
    /// The sender, as the kernel wrote it.
    from: Option<SockaddrStorage>,
    /// Where it was sent (when the socket asks).
    to: Option<Dest>,
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
    /// Where to send it from (the address the datagram came to), when known.
    from: Option<Source>,
    /// The peer as logged (IPv4-mapped shown as IPv4), for warnings.
    peer: SocketAddr,
}

/// Buffers and message headers, allocated once.
pub(super) struct Batch {
    /// `BATCH` receive buffers of [`RECV_BUFFER`] bytes, back to back.
    bufs: Vec<u8>,
    recv: MultiHeaders<SockaddrStorage>,
    /// Headers for replies without a source, and (when the socket asks for destinations) with
    /// one: their control-message space is sized for the family's `PKTINFO`.
    send: MultiHeaders<SockaddrStorage>,
    send_from: Option<MultiHeaders<SockaddrStorage>>,
    got: Vec<Received>,
    replies: Vec<Pending>,
    /// Greeting heads of the current batch, concatenated.
    heads: Vec<u8>,
    /// Runs of equal replies to one peer go out as one UDP GSO send (until the kernel refuses).
    gso: bool,
    /// The destination control message the socket was asked for.
    pktinfo: Option<Family>,
    /// A datagram came without it: the receive headers' control space may have shrunk (the
    /// kernel writes back what it used), so they are made anew.
    remake: bool,
}

/// Control-message space for one datagram's destination.
fn cmsg_space(family: Family) -> Vec<u8> {
    match family {
        Family::V4 => nix::cmsg_space!(libc::in_pktinfo),
        Family::V6 => nix::cmsg_space!(libc::in6_pktinfo),
    }
}

impl Batch {
    /// Buffers for [`BATCH`] datagrams, GSO on, destinations read when `pktinfo` says so.
    pub(super) fn new(pktinfo: Option<Family>) -> Self {
        Batch {
            bufs: vec![0; BATCH * RECV_BUFFER],
            recv: MultiHeaders::preallocate(BATCH, pktinfo.map(cmsg_space)),
            send: MultiHeaders::preallocate(BATCH, None),
            send_from: pktinfo.map(|f| MultiHeaders::preallocate(BATCH, Some(cmsg_space(f)))),
            got: Vec::with_capacity(BATCH),
            replies: Vec::with_capacity(BATCH),
            heads: Vec::with_capacity(BATCH * 64),
            gso: true,
            pktinfo,
            remake: false,
        }
    }

    /// Receives up to `want` (1..=[`BATCH`]) datagrams into `got`.
    fn receive(&mut self, socket: &UdpSocket, want: usize, flags: MsgFlags) -> Result<(), Errno> {
        if std::mem::take(&mut self.remake) {
            self.recv = MultiHeaders::preallocate(BATCH, self.pktinfo.map(cmsg_space));
        }
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
            let to = match (self.pktinfo, r.cmsgs()) {
                (None, _) => None,
                (Some(_), Ok(mut cmsgs)) => cmsgs.find_map(|c| Dest::from_cmsg(&c)),
                (Some(_), Err(_)) => None,
            };
            self.remake |= self.pktinfo.is_some() && to.is_none();
            self.got.push(Received {
                len: r.bytes,
                from: r.address,
                to,
                truncated: r.flags.contains(MsgFlags::MSG_TRUNC),
            });
        }
        Ok(())
    }

    /// Sends every pending reply. Consecutive replies to the same peer of the same size from the
    /// same source (a client keeping a window of requests open gets a burst of them) go out as
    /// one send that the kernel cuts into those datagrams (UDP GSO: the peer receives exactly
    /// the same datagrams, and the stack is walked once instead of once each); the others in as
    /// few `sendmmsg` calls as the kernel allows. A reply that cannot be sent is counted and
    /// warned about, as in the one-datagram loop, and the others are still sent.
    fn send_replies(&mut self, socket: &UdpSocket, s: &mut Session<'_>) -> io::Result<()> {
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
            self.send_each(socket, next, end, s)?;
            next = end;
        }
        Ok(())
    }

    /// Size of a reply on the wire (UDP payload).
    fn size(&self, i: usize) -> usize {
        let r = &self.replies[i];
        r.head.len() + r.len
    }

    /// How many replies from `i` on can go out as one segmented send: same peer, same source,
    /// same size, a size every IPv4 and IPv6 path over Ethernet carries (the kernel refuses
    /// segments larger than the route's MTU), and at most [`GSO_MAX_SEGMENTS`] and 64 KB in all.
    fn gso_run(&self, i: usize) -> usize {
        let (to, from, size) = (self.replies[i].to, self.replies[i].from, self.size(i));
        if !self.gso || size == 0 || size > GSO_MAX_SEGMENT {
            return 1;
        }
        let most = GSO_MAX_SEGMENTS.min(GSO_MAX_BYTES / size);
        self.replies[i..]
            .iter()
            .take(most)
            .enumerate()
            .take_while(|(k, r)| r.to == to && r.from == from && self.size(i + k) == size)
            .count()
    }

    /// Where the replies that are not part of a segmented run end, from `i` on.
    fn plain_end(&self, i: usize) -> usize {
        (i + 1..self.replies.len())
            .find(|&j| self.gso_run(j) >= 2)
            .unwrap_or(self.replies.len())
    }

    /// Sends replies `i..i + run` (same peer, source and size) in one `sendmsg` with
    /// `UDP_SEGMENT`.
    fn send_segmented(&self, socket: &UdpSocket, i: usize, run: usize) -> Result<(), Errno> {
        let replies = &self.replies[i..i + run];
        let iov: Vec<IoSlice<'_>> = replies
            .iter()
            .flat_map(|r| parts(&self.heads, &self.bufs, r))
            .collect();
        let segment = u16::try_from(self.size(i)).map_err(|_| Errno::EINVAL)?;
        let total = usize::from(segment) * run;
        let sent = with_cmsgs(Some(&segment), replies[0].from, |cmsgs| {
            sendmsg(
                socket.as_raw_fd(),
                &iov,
                cmsgs,
                MsgFlags::empty(),
                Some(&replies[0].to),
            )
        });
        match sent {
            Ok(n) if n == total => Ok(()),
            Ok(_) => Err(Errno::EIO),
            Err(e) => Err(e),
        }
    }

    /// Sends replies `start..end` with `sendmmsg`, one datagram each, in runs from one source
    /// (the control messages of one call are shared by all its messages).
    fn send_each(
        &mut self,
        socket: &UdpSocket,
        start: usize,
        end: usize,
        s: &mut Session<'_>,
    ) -> io::Result<()> {
        let mut next = start;
        while next < end {
            let from = self.replies[next].from;
            let stop = (next + 1..end)
                .find(|&j| self.replies[j].from != from)
                .unwrap_or(end);
            let rest = &self.replies[next..stop];
            let iovs: Vec<[IoSlice<'_>; 2]> = rest
                .iter()
                .map(|r| parts(&self.heads, &self.bufs, r))
                .collect();
            let addrs: Vec<Option<SockaddrStorage>> = rest.iter().map(|r| Some(r.to)).collect();
            let headers = match (&mut self.send_from, from) {
                (Some(h), Some(_)) => h,
                _ => &mut self.send,
            };
            // sendmmsg reports an error only when the first message fails; a later failure
            // ends the call early and shows up as the first message of the next call.
            let sent = with_cmsgs(None, from, |cmsgs| {
                sendmmsg(
                    socket.as_raw_fd(),
                    headers,
                    &iovs,
                    addrs,
                    cmsgs,
                    MsgFlags::empty(),
                )
                .map(|sent| sent.count())
            });
            let failure = match sent {
                Ok(0) => Some(io::Error::other("sendmmsg sent nothing")),
                Ok(n) => {
                    next += n;
                    None
                }
                Err(Errno::EINTR) => None,
                Err(e) => Some(io::Error::from(e)),
            };
            if let Some(e) = failure {
                let r = &self.replies[next];
                s.failed(r.peer, r.head.len() + r.len, &e)?;
                next += 1;
            }
        }
        Ok(())
    }
}

/// The two parts of reply `r`: its greeting head (in `heads`) and the payload it answers (in
/// `bufs`).
fn parts<'a>(heads: &'a [u8], bufs: &'a [u8], r: &Pending) -> [IoSlice<'a>; 2] {
    [
        IoSlice::new(&heads[r.head.clone()]),
        IoSlice::new(&bufs[r.slot * RECV_BUFFER..][..r.len]),
    ]
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
    s: &mut Session<'_>,
) -> anyhow::Result<Option<Stop>> {
    let local = s.local;
    // Datagrams were served since the log was last handed over: receive without waiting, and
    // hand it over when nothing is pending.
    let mut busy = false;
    loop {
        let want = match s.o.count {
            Some(n) if s.stats.datagrams >= n => return Ok(Some(Stop::Count)),
            Some(n) => (n - s.stats.datagrams).min(BATCH as u64) as usize,
            None => BATCH,
        };
        if stop::requested() {
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
                s.idle(!busy)?;
                busy = false;
                continue;
            }
            Err(Errno::EINTR) => continue,
            Err(Errno::ENOSYS) if !busy && s.stats.datagrams == 0 => return Ok(None),
            Err(e) => {
                let e = io::Error::from(e);
                if is_peer_error(&e) {
                    s.stats.receive_errors += 1;
                    let why = tr!(
                        "serve-receive-warning",
                        local = local.to_string(),
                        error = e.to_string()
                    );
                    s.warn(format_args!("{why}"))?;
                    continue;
                }
                return Err(e)
                    .with_context(|| tr!("serve-cannot-receive", local = local.to_string()));
            }
        }
        busy = true;
        b.replies.clear();
        b.heads.clear();
        let now = Instant::now();
        for (slot, got) in b.got.iter().enumerate() {
            let from = got.from.as_ref().and_then(to_std);
            let (Some(from), false) = (from, got.truncated) else {
                s.stats.receive_errors += 1;
                let what = if got.truncated {
                    tr!("serve-cut", max = RECV_BUFFER)
                } else {
                    tr!("serve-no-sender").into_owned()
                };
                let why = tr!(
                    "serve-receive-warning",
                    local = local.to_string(),
                    error = what
                );
                s.warn(format_args!("{why}"))?;

                continue;
            };
            let payload = &b.bufs[slot * RECV_BUFFER..][..got.len];
            let peer = unmap(from);
            if !s.take(peer, got.to.map(|d| d.ip), payload, now)? {
                continue;
            }
            let start = b.heads.len();
            if s.o.reply == Reply::Greet {
                write_greeting_head(&mut b.heads, peer);
            }
            if let Some(to) = got.from {
                b.replies.push(Pending {
                    slot,
                    len: got.len,
                    head: start..b.heads.len(),
                    to,
                    from: got.to.map(|d| d.source),
                    peer,
                });
            }
        }
        b.send_replies(socket, s)?;
    }
}

#[cfg(test)]
mod tests {
    use std::net::UdpSocket;
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::Duration;

    use super::super::log::{Log, Shelf};
    use super::super::{LogFormat, Options, Reply, Session, Stop, TICK, one_by_one};
    use super::{Batch, serve};
    use crate::net::stop;
    use std::time::Instant;

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
            rate_limit: None,
        };
        let shelf = Shelf::default();
        let log = Log::start(Box::new(shelf.clone()), "test".into()).unwrap();
        let mut err = Vec::new();
        let mut s = Session::new(&o, local, log, &mut err);
        let stop = match how {
            0 => one_by_one(socket, &mut s).unwrap(),
            _ => {
                let b = Batch {
                    gso: how == 1,
                    ..Batch::new(None)
                };
                serve(b, &socket, &mut s)
                    .unwrap()
                    .expect("recvmmsg works here")
            }
        };
        assert_eq!(stop, Stop::Count);
        let Session { mut stats, log, .. } = s;
        stats.log = log
            .finish(Instant::now() + Duration::from_secs(10), &mut err)
            .unwrap();
        let out = shelf.0.lock().unwrap().clone();
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
                    stop::request();
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
