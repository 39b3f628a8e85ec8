//! Live capture on a Linux interface: an AF_PACKET socket as a [`Source`] that streams.
//!
//! Only safe calls (nix, socket2): a raw packet socket for all protocols, a classic BPF program
//! attached in the kernel that keeps the chosen interface's packets (by the ancillary
//! `SKF_AD_IFINDEX` load, since binding to a `sockaddr_ll` has no safe API), kernel timestamps
//! (`SO_TIMESTAMPNS`), and the kernel's drop count carried by each packet (`SO_RXQ_OVFL`, the
//! socket's `sk_drops`, which counts what PACKET_STATISTICS counts as drops; reading
//! PACKET_STATISTICS itself needs an unsafe `getsockopt`). `--port`/`--host` are applied in user
//! space, as for files.
//!
//! What the frames look like follows libpcap: an Ethernet or loopback interface gives Ethernet
//! frames, a tun (no link header) raw IP, and `any` (or any other kind of device) Linux cooked
//! frames, SLL2, as `tcpdump -i any` writes them. A packet the loopback interface sends is seen
//! again when it comes in: only the incoming copy is kept, as libpcap does. `-w` writes every
//! frame as captured (up to 262,144 bytes) to a microsecond pcap, as `tcpdump -w` does.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use nix::errno::Errno;
use nix::sys::socket::{
    AddressFamily, ControlMessageOwned, LinkAddr, MsgFlags, SockFlag, SockProtocol, SockType,
    recvmsg, setsockopt, socket, sockopt,
};
use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use socket2::SockFilter;

use super::source::{Source, readable_now, wait_readable};
use crate::capture::{CaptureError, Frame, LinkType, MAX_SNAPLEN, Record};
use crate::exit::UsageError;
use crate::i18n::tr;

/// LINKTYPE_ETHERNET.
const ETHERNET: LinkType = 1;
/// LINKTYPE_RAW.
const RAW: LinkType = 101;
/// LINKTYPE_LINUX_SLL2.
const SLL2: LinkType = 276;
/// Length of the SLL2 header.
const SLL2_LEN: usize = 20;
/// `sll_pkttype` of a packet the host sends.
const PACKET_OUTGOING: u32 = 4;
/// The receive buffer asked for (tcpdump's ring is 2 MiB by default).
const RCVBUF: usize = 8 << 20;

/// A live capture.
pub struct Live {
    socket: OwnedFd,
    /// The interface's name, or `any`.
    name: String,
    link: LinkType,
    /// Whether frames get an SLL2 header built from the packet's address.
    cooked: bool,
    buf: Vec<u8>,
    cmsg: Vec<u8>,
    number: u64,
    /// Frames handed out.
    captured: u64,
    /// The kernel's drop count, as the last packet carried it.
    drops: u32,
    write: Option<(PathBuf, PcapWriter<BufWriter<File>>)>,
    done: bool,
}

/// Opens a live capture on interface `name` (`any`: all), saving it to `write` if given.
/// (`--port`/`--host` are the reader's, in user space: they choose what is shown, not what is
/// captured and saved.)
pub fn open(name: &str, write: Option<&Path>) -> anyhow::Result<Live> {
    let lo = interface("lo").map(|(index, _)| index).ok();
    let (index, link, cooked) = if name == "any" {
        (None, SLL2, true)
    } else {
        let (index, hatype) = interface(name)?;
        let (link, cooked) = match hatype {
            // Ethernet, and loopback (which carries Ethernet headers of zeros).
            1 | 772 => (ETHERNET, false),
            // No link header (tun, WireGuard).
            65534 => (RAW, false),
            _ => (SLL2, true),
        };
        (Some(index), link, cooked)
    };
    let ty = if cooked {
        SockType::Datagram
    } else {
        SockType::Raw
    };
    let socket = socket(
        AddressFamily::Packet,
        ty,
        SockFlag::SOCK_CLOEXEC,
        SockProtocol::EthAll,
    )
    .map_err(|e| match e {
        Errno::EPERM | Errno::EACCES => {
            anyhow::anyhow!(tr!("error-live-permission", name = name))
        }
        e => anyhow::Error::new(io::Error::from(e)).context(tr!("error-packet-socket")),
    })?;
    let socket = socket2::Socket::from(socket);
    // Nothing comes through until the real filter is in place; what came before it is drained.
    socket.attach_filter(&[SockFilter::new(BPF_RET, 0, 0, 0)])?;
    let mut scratch = [0u8; 64];
    while nix::sys::socket::recv(socket.as_raw_fd(), &mut scratch, MsgFlags::MSG_DONTWAIT).is_ok() {
    }
    socket
        .attach_filter(&filter(index, lo))
        .context(tr!("error-attach-filter"))?;
    let socket = OwnedFd::from(socket);
    if setsockopt(&socket, sockopt::RcvBufForce, &RCVBUF).is_err() {
        let _ = setsockopt(&socket, sockopt::RcvBuf, &RCVBUF);
    }
    setsockopt(&socket, sockopt::ReceiveTimestampns, &true)?;
    setsockopt(&socket, sockopt::RxqOvfl, &1)?;
    let write = match write {
        None => None,
        Some(path) => {
            let cannot = || tr!("error-cannot-write", path = path.display().to_string());
            let file = File::create(path).with_context(cannot)?;
            let header = PcapHeader {
                snaplen: MAX_SNAPLEN,
                datalink: DataLink::from(u32::from(link)),
                ..PcapHeader::default()
            };
            let writer =
                PcapWriter::with_header(BufWriter::new(file), header).with_context(cannot)?;
            Some((path.to_path_buf(), writer))
        }
    };
    Ok(Live {
        socket,
        name: name.to_string(),
        link,
        cooked,
        buf: vec![0; MAX_SNAPLEN as usize],
        cmsg: nix::cmsg_space!(nix::sys::time::TimeSpec, u32),
        number: 0,
        captured: 0,
        drops: 0,
        write,
        done: false,
    })
}

impl Live {
    /// How the summary names the capture.
    pub fn link_name(&self) -> String {
        let link = match self.link {
            ETHERNET => "Ethernet",
            RAW => "raw IP",
            _ => "Linux cooked SLL2",
        };
        tr!("live-capture-on", name = &self.name, link = link)
    }

    /// Reads the next packet into `buf` (after room for an SLL2 header when cooked): its length
    /// on the wire and its time; `None` when stopped.
    fn receive(&mut self) -> Result<Option<(usize, usize, Duration)>, CaptureError> {
        let at = if self.cooked { SLL2_LEN } else { 0 };
        loop {
            let live = wait_readable(self.socket.as_fd()).map_err(|e| self.error(e))?;
            if !live {
                return Ok(None);
            }
            let mut iov = [IoSliceMut::new(&mut self.buf[at..])];
            let flags = MsgFlags::MSG_TRUNC | MsgFlags::MSG_DONTWAIT;
            let msg = match recvmsg::<LinkAddr>(
                self.socket.as_raw_fd(),
                &mut iov,
                Some(&mut self.cmsg),
                flags,
            ) {
                Ok(m) => m,
                Err(Errno::EAGAIN | Errno::EINTR) => continue,
                Err(e) => return Err(self.error(e.into())),
            };
            let wire = msg.bytes;
            let mut time = None;
            if let Ok(cmsgs) = msg.cmsgs() {
                for c in cmsgs {
                    match c {
                        ControlMessageOwned::ScmTimestampns(t) => {
                            time = Some(
                                Duration::from_secs(u64::try_from(t.tv_sec()).unwrap_or(0))
                                    + Duration::from_nanos(u64::try_from(t.tv_nsec()).unwrap_or(0)),
                            );
                        }
                        ControlMessageOwned::RxqOvfl(n) => self.drops = n,
                        _ => {}
                    }
                }
            }
            let address = msg.address;
            let time = time.unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap_or_default()
            });
            if self.cooked {
                let Some(a) = address else { continue };
                let h = &mut self.buf[..SLL2_LEN];
                h[0..2].copy_from_slice(&a.protocol().to_ne_bytes());
                h[2..4].fill(0);
                let index = u32::try_from(a.ifindex()).unwrap_or(0);
                h[4..8].copy_from_slice(&index.to_be_bytes());
                h[8..10].copy_from_slice(&a.hatype().to_be_bytes());
                h[10] = a.pkttype();
                let halen = a.halen().min(8);
                h[11] = u8::try_from(halen).unwrap_or(8);
                h[12..20].fill(0);
                let mac = a.addr().unwrap_or_default();
                let n = halen.min(6);
                h[12..12 + n].copy_from_slice(&mac[..n]);
            }
            let captured = (at + wire).min(self.buf.len());
            return Ok(Some((captured, at + wire, time)));
        }
    }

    fn error(&self, e: io::Error) -> CaptureError {
        CaptureError::Live {
            what: tr!("error-capturing-on", name = &self.name),
            source: e,
        }
    }

    /// Writes what `-w` holds to its file.
    fn flush(&mut self) -> Result<(), CaptureError> {
        if let Some((path, w)) = &mut self.write {
            let path = path.display().to_string();
            w.flush().map_err(|e| CaptureError::Live {
                what: tr!("error-cannot-write", path = path),
                source: io::Error::other(e.to_string()),
            })?;
        }
        Ok(())
    }
}

impl Source for Live {
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>> {
        if self.done {
            return None;
        }
        let (captured, wire, time) = match self.receive() {
            Ok(Some(got)) => got,
            Ok(None) => {
                self.done = true;
                return self.flush().err().map(Err);
            }
            Err(e) => {
                self.done = true;
                let _ = self.flush();
                return Some(Err(e));
            }
        };
        self.number += 1;
        self.captured += 1;
        let orig_len = u32::try_from(wire).unwrap_or(u32::MAX);
        let data = &self.buf[..captured];
        if let Some((path, w)) = &mut self.write {
            let written = PcapPacket::new(time, orig_len, data)
                .map_err(|e| e.to_string())
                .and_then(|p| w.write_packet(&p).map_err(|e| e.to_string()));
            if let Err(e) = written {
                self.done = true;
                return Some(Err(CaptureError::Live {
                    what: tr!("error-cannot-write", path = path.display().to_string()),
                    source: io::Error::other(e),
                }));
            }
        }
        Some(Ok(Record::Frame(Frame {
            number: self.number,
            link: self.link,
            time: Some(time),
            orig_len,
            data: Cow::Borrowed(data),
        })))
    }

    fn notes(&self) -> Vec<String> {
        Vec::new()
    }

    fn streams(&self) -> bool {
        true
    }

    fn ready(&mut self) -> bool {
        let ready = readable_now(self.socket.as_fd());
        if !ready {
            // Idle: the -w file catches up, as `tcpdump -U` keeps it.
            let _ = self.flush();
        }
        ready
    }

    fn closing(&self) -> Option<String> {
        Some(tr!(
            "live-closing",
            captured = self.captured,
            dropped = self.drops
        ))
    }
}

/// The interface index and ARP hardware type of interface `name`, from /sys; no such interface
/// is a usage error naming it.
fn interface(name: &str) -> anyhow::Result<(u32, u32)> {
    let missing = || {
        UsageError(tr!(
            "error-no-interface",
            name = crate::escape::escape(name.as_bytes())
        ))
    };
    if name.is_empty() || name.len() > 15 || name.contains('/') || name == "." || name == ".." {
        return Err(missing().into());
    }
    let read = |what: &str| -> anyhow::Result<u32> {
        let text = std::fs::read_to_string(format!("/sys/class/net/{name}/{what}"))
            .map_err(|_| missing())?;
        Ok(text.trim().parse()?)
    };
    Ok((read("ifindex")?, read("type")?))
}

const BPF_LD_W_ABS: u16 = 0x20;
const BPF_JEQ_K: u16 = 0x15;
const BPF_RET: u16 = 0x06;
/// `SKF_AD_OFF` (-0x1000) as the kernel reads it, plus an ancillary field.
const fn ancillary(field: u32) -> u32 {
    0xffff_f000 + field
}
const SKF_AD_PKTTYPE: u32 = 4;
const SKF_AD_IFINDEX: u32 = 8;

/// The kernel filter: packets of interface `index` (all when `None`), without the copies the
/// loopback interface `lo` sends (they come in again).
fn filter(index: Option<u32>, lo: Option<u32>) -> Vec<SockFilter> {
    let accept = SockFilter::new(BPF_RET, 0, 0, MAX_SNAPLEN);
    let drop = SockFilter::new(BPF_RET, 0, 0, 0);
    let ld = |field| SockFilter::new(BPF_LD_W_ABS, 0, 0, ancillary(field));
    match (index, lo) {
        // Another interface than lo: its index only.
        (Some(i), lo) if lo != Some(i) => vec![
            ld(SKF_AD_IFINDEX),
            SockFilter::new(BPF_JEQ_K, 0, 1, i),
            accept,
            drop,
        ],
        // lo: its index, and not outgoing.
        (Some(i), _) => vec![
            ld(SKF_AD_IFINDEX),
            SockFilter::new(BPF_JEQ_K, 0, 3, i),
            ld(SKF_AD_PKTTYPE),
            SockFilter::new(BPF_JEQ_K, 1, 0, PACKET_OUTGOING),
            accept,
            drop,
        ],
        // any: everything but what lo sends.
        (None, Some(lo)) => vec![
            ld(SKF_AD_PKTTYPE),
            SockFilter::new(BPF_JEQ_K, 0, 2, PACKET_OUTGOING),
            ld(SKF_AD_IFINDEX),
            SockFilter::new(BPF_JEQ_K, 1, 0, lo),
            accept,
            drop,
        ],
        (None, None) => vec![accept],
    }
}
