//! Writes big synthetic captures for the benchmark (`scripts/bench.sh`), byte for byte the same
//! on every run for the same arguments.
//!
//! ```text
//! cargo run --release --example gen_capture -- VARIANT PACKETS OUT_FILE [FLOWS]
//! ```
//!
//! Variants (all Ethernet, microsecond timestamps, FLOWS (default 4096, at most 65,536)
//! request/reply flows between as many clients in 10.1.0.0/16 and 16 servers in 10.0.0.0/24, each
//! packet's flow drawn at random, timestamps 0–200 µs apart):
//!
//! - `udp`: IPv4 UDP only; payload sizes 0–1400 bytes, median near 100 (48 % in 0–99, 48 % in
//!   100–199, 4 % in 200–1400; mean about 128), half printable text, half binary. 10 M packets
//!   make about 1.9 GB.
//! - `mixed`: like `udp`, with 15 % TCP segments, 10 % IPv6 UDP and 5 % ARP mixed in.
//! - `tiny`: IPv4 UDP with 0–15 byte payloads (the per-packet overhead case).
//! - `pcapng`: the `udp` packets in a pcapng file (Enhanced Packet Blocks).
//!
//! Packets are built with etherparse's `PacketBuilder`, files written with pcap-file's writers.
//! The random numbers come from a fixed-seed generator (fastrand's), so the bytes never depend on the machine.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Duration;

use etherparse::{ArpHardwareId, ArpOperation, ArpPacket, EtherType, PacketBuilder};
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
use pcap_file::{DataLink, Endianness};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// 2025-09-15T11:20:53Z, the second of the lab's capture.
const BASE_SECS: u64 = 1_757_935_253;
/// Number of request/reply flows unless the command line says otherwise.
const FLOWS: usize = 4096;
/// Number of servers the flows talk to.
const SERVERS: usize = 16;

/// Which capture to write.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Udp,
    Mixed,
    Tiny,
    PcapNg,
}

/// One flow: a client and a server endpoint, and whose turn it is.
struct Flow {
    client: [u8; 4],
    client_port: u16,
    server: [u8; 4],
    server_port: u16,
    client_next: bool,
}

/// Writes frames to a pcap or pcapng file.
enum Sink {
    Pcap(PcapWriter<BufWriter<File>>),
    PcapNg(PcapNgWriter<BufWriter<File>>),
}

impl Sink {
    fn write(&mut self, ts: Duration, data: &[u8]) -> Result<()> {
        let len = u32::try_from(data.len())?;
        match self {
            Sink::Pcap(w) => {
                w.write_packet(&PcapPacket::new(ts, len, data)?)?;
            }
            Sink::PcapNg(w) => {
                w.write_pcapng_block(EnhancedPacketBlock {
                    interface_id: 0,
                    timestamp: ts,
                    original_len: len,
                    data: data.into(),
                    options: vec![],
                })?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Pcap(w) => w.into_inner().flush()?,
            Sink::PcapNg(w) => w.into_inner().flush()?,
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (variant, packets, out, flows) = match args.as_slice() {
        [v, p, o] => (v, p, o, FLOWS),
        [v, p, o, f] => (v, p, o, f.parse()?),
        _ => {
            return Err("usage: gen_capture udp|mixed|tiny|pcapng PACKETS OUT_FILE [FLOWS]".into());
        }
    };
    if !(1..=65_536).contains(&flows) {
        return Err("FLOWS must be 1 to 65536".into());
    }
    let variant = match variant.as_str() {
        "udp" => Variant::Udp,
        "mixed" => Variant::Mixed,
        "tiny" => Variant::Tiny,
        "pcapng" => Variant::PcapNg,
        other => return Err(format!("unknown variant {other:?}").into()),
    };
    let packets: u64 = packets.replace('_', "").parse()?;
    write(variant, packets, out, flows)
}

/// Writes `packets` frames of `variant` between `flows` flows to the file `out` (the tests call
/// this too).
pub fn write(variant: Variant, packets: u64, out: &str, flows: usize) -> Result<()> {
    // Write to a temporary name and rename at the end: a cut-short run leaves no half file.
    let partial = format!("{out}.partial");
    let file = BufWriter::with_capacity(1 << 20, File::create(&partial)?);
    let mut sink = if variant == Variant::PcapNg {
        let mut w = PcapNgWriter::with_endianness(file, Endianness::Little)?;
        w.write_pcapng_block(InterfaceDescriptionBlock {
            linktype: DataLink::ETHERNET,
            snaplen: 262_144,
            options: vec![],
        })?;
        Sink::PcapNg(w)
    } else {
        let header = PcapHeader {
            datalink: DataLink::ETHERNET,
            endianness: Endianness::Little,
            ..PcapHeader::default()
        };
        Sink::Pcap(PcapWriter::with_header(file, header)?)
    };
    generate(variant, packets, flows, &mut sink)?;
    sink.finish()?;
    std::fs::rename(&partial, out)?;
    Ok(())
}

/// Writes `packets` frames of `variant` to `sink`.
fn generate(variant: Variant, packets: u64, nflows: usize, sink: &mut Sink) -> Result<()> {
    let mut rng = fastrand::Rng::with_seed(0x6f6e_6577_6179);
    // Payload bytes are slices of this pool: the first half printable text, the second binary.
    let mut pool = vec![0u8; 8192];
    for (i, b) in pool.iter_mut().enumerate() {
        let r = rng.u64(..) as u8;
        *b = if i < 4096 { b' ' + r % 95 } else { r };
    }
    let mut flows: Vec<Flow> = (0..nflows)
        .map(|i| Flow {
            client: [10, 1, (i >> 8) as u8, i as u8],
            client_port: 32768 + rng.u64(..28000) as u16,
            server: [10, 0, 0, 1 + (i % SERVERS) as u8],
            server_port: 12345 + (i % 8) as u16,
            client_next: true,
        })
        .collect();
    let mut time = Duration::from_secs(BASE_SECS);
    let mut frame = Vec::with_capacity(2048);
    let mut tcp_seq = 1u32;
    for _ in 0..packets {
        time += Duration::from_nanos(1000 * rng.u64(..200));
        let flow = &mut flows[rng.u64(..nflows as u64) as usize];
        let size = match variant {
            Variant::Tiny => rng.u64(..16) as usize,
            _ => match rng.u64(..100) {
                0..48 => rng.u64(..100) as usize,
                48..96 => 100 + rng.u64(..100) as usize,
                _ => 200 + rng.u64(..1201) as usize,
            },
        };
        let text = rng.u64(..2) == 0;
        let start = rng.u64(..4096 - 1401) as usize + if text { 0 } else { 4096 };
        let payload = &pool[start..start + size];
        let kind = if variant == Variant::Mixed {
            rng.u64(..100)
        } else {
            0
        };
        let (src, sport, dst, dport) = if flow.client_next {
            (flow.client, flow.client_port, flow.server, flow.server_port)
        } else {
            (flow.server, flow.server_port, flow.client, flow.client_port)
        };
        let src_mac = mac(src);
        let dst_mac = mac(dst);
        frame.clear();
        match kind {
            // TCP segments.
            70..85 => {
                tcp_seq = tcp_seq.wrapping_add(size as u32);
                PacketBuilder::ethernet2(src_mac, dst_mac)
                    .ipv4(src, dst, 64)
                    .tcp(sport, 443, tcp_seq, 64240)
                    .ack(tcp_seq ^ 0x5555)
                    .write(&mut frame, payload)?
            }
            // IPv6 UDP.
            85..95 => PacketBuilder::ethernet2(src_mac, dst_mac)
                .ipv6(v6(src), v6(dst), 64)
                .udp(sport, dport)
                .write(&mut frame, payload)?,
            // ARP who-has.
            95.. => {
                let arp = ArpPacket::new(
                    ArpHardwareId::ETHERNET,
                    EtherType::IPV4,
                    ArpOperation::REQUEST,
                    &src_mac,
                    &src,
                    &[0; 6],
                    &dst,
                )?;
                PacketBuilder::ethernet2(src_mac, [0xff; 6])
                    .arp(arp)
                    .write(&mut frame)?
            }
            // IPv4 UDP, a request or the reply to it.
            _ => {
                flow.client_next = !flow.client_next;
                PacketBuilder::ethernet2(src_mac, dst_mac)
                    .ipv4(src, dst, 64)
                    .udp(sport, dport)
                    .write(&mut frame, payload)?
            }
        }
        sink.write(time, &frame)?;
    }
    Ok(())
}

/// 02:00 followed by the IPv4 address.
fn mac(ip: [u8; 4]) -> [u8; 6] {
    [2, 0, ip[0], ip[1], ip[2], ip[3]]
}

/// 2001:db8:: with the IPv4 address in the last four bytes.
fn v6(ip: [u8; 4]) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[12..].copy_from_slice(&ip);
    a
}
