//! The library floor of the benchmark: the barest loop over a capture that pcap-file and
//! etherparse allow — read each packet, slice it, count the UDP datagrams and their payload
//! bytes, print three numbers. No formatting, no state per flow.
//!
//! ```text
//! cargo run --release --example floor -- FILE
//! ```
//!
//! `oneway inspect` can do no better than this with the same libraries; `scripts/bench.sh`
//! reports every format as a ratio to it. pcap and pcapng (Ethernet) are both read, detected by
//! the magic number.

use std::error::Error;
use std::fs::File;
use std::io::Read;

use etherparse::{SlicedPacket, TransportSlice};
use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::{Block, PcapNgReader};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Frames, UDP datagrams, UDP payload bytes.
#[derive(Default)]
struct Counts {
    frames: u64,
    udp: u64,
    bytes: u64,
}

impl Counts {
    fn frame(&mut self, data: &[u8]) {
        self.frames += 1;
        if let Ok(p) = SlicedPacket::from_ethernet(data)
            && let Some(TransportSlice::Udp(u)) = p.transport
        {
            self.udp += 1;
            self.bytes += u.payload().len() as u64;
        }
    }
}

fn main() -> Result<()> {
    let path = std::env::args().nth(1).ok_or("usage: floor FILE")?;
    let mut magic = [0u8; 4];
    File::open(&path)?.read_exact(&mut magic)?;
    let file = File::open(&path)?;
    let mut counts = Counts::default();
    if magic == [0x0a, 0x0d, 0x0d, 0x0a] {
        let mut reader = PcapNgReader::new(file)?;
        while let Some(block) = reader.next_block() {
            match block?.0 {
                Block::EnhancedPacket(p) => counts.frame(&p.data),
                Block::SimplePacket(p) => counts.frame(&p.data),
                _ => {}
            }
        }
    } else {
        let mut reader = PcapReader::new(file)?;
        while let Some(packet) = reader.next_packet() {
            counts.frame(packet?.data());
        }
    }
    println!(
        "frames {} udp {} payload_bytes {}",
        counts.frames, counts.udp, counts.bytes
    );
    Ok(())
}
