//! Cuts a pcap file into parts of N packets each, as a rotated `tcpdump -C` set is cut: every
//! part has the original's header, and each part's packets come after the previous part's.
//!
//! ```text
//! cargo run --release --example split_capture -- FILE PACKETS PREFIX
//! ```
//!
//! Writes `PREFIX0.pcap`, `PREFIX1.pcap`, …; `scripts/bench.sh --only many` reads them as one.

use std::error::Error;
use std::fs::File;
use std::io::{BufReader, BufWriter};

use pcap_file::pcap::{PcapReader, PcapWriter};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, each, prefix] = args.as_slice() else {
        return Err("usage: split_capture FILE PACKETS PREFIX".into());
    };
    let each: u64 = each.parse()?;
    if each == 0 {
        return Err("PACKETS must be at least 1".into());
    }
    let mut reader = PcapReader::new(BufReader::new(File::open(file)?))?;
    let header = reader.header();
    let mut part = 0u64;
    let mut written = 0u64;
    let mut writer: Option<PcapWriter<BufWriter<File>>> = None;
    while let Some(packet) = reader.next_packet() {
        let packet = packet?;
        if writer.is_none() || written == each {
            let out = BufWriter::new(File::create(format!("{prefix}{part}.pcap"))?);
            writer = Some(PcapWriter::with_header(out, header)?);
            part += 1;
            written = 0;
        }
        if let Some(w) = writer.as_mut() {
            w.write_packet(&packet)?;
        }
        written += 1;
    }
    Ok(())
}
