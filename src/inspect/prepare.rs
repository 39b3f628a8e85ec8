//! What the reading thread prepares of each datagram, so that the writer need not: the
//! `--port`/`--host` filter, and whatever formatting needs no analysis (a jsonl or csv record
//! whole, the table's escaped payload preview and its width, Parquet's escaped text, a copy of
//! the payload when the run shows payloads whole).

use std::net::IpAddr;
use std::ops::Range;
use std::time::Duration;

use crate::dissect::Udp;
use crate::escape::escape_bytes_into;
use crate::render::parquet;
use crate::render::records::RecordWriter;
use crate::render::table;

/// How many characters of payload the table shows before `...`.
pub const PAYLOAD_PREVIEW: usize = crate::escape::PREVIEW_CHARS;

/// The reader's share of the formatting, chosen by what this run shows.
#[derive(Clone)]
pub struct Prepare<'o> {
    /// Keep datagrams with one of these ports at either end (empty: all).
    pub ports: &'o [u16],
    /// Keep datagrams with one of these addresses at either end (empty: all).
    pub hosts: &'o [IpAddr],
    /// Copy the payload (the follow view and the HTML report show it).
    pub payload: bool,
    /// The row's text, if any.
    pub text: Text,
}

/// The text the reader prepares for each datagram's row.
#[derive(Clone)]
pub enum Text {
    /// None: the writer needs no text.
    None,
    /// The jsonl or csv record, whole.
    Record(RecordWriter),
    /// The table's payload column, and its display width.
    Preview,
    /// Parquet's `text` column: the payload escaped when it is printable (width 1), else
    /// nothing (width 0: null).
    Parquet,
}

impl Prepare<'_> {
    /// Whether `--port`/`--host` keep this datagram.
    pub fn keeps(&self, u: &Udp<'_>) -> bool {
        (self.ports.is_empty() || self.ports.iter().any(|p| *p == u.sport || *p == u.dport))
            && (self.hosts.is_empty() || self.hosts.iter().any(|h| *h == u.src || *h == u.dst))
    }

    /// Appends what the writer needs of `udp` to `arena`: (payload, text) ranges, and the text's
    /// display width when it is the table's preview.
    ///
    /// (Always inlined: the merge's rebuilding of fragments calls it too, and called out of the
    /// reading loop it took a rotated set from 0.63 to 0.72 s on 2 cores.)
    #[inline(always)]
    pub fn datagram(
        &mut self,
        arena: &mut Vec<u8>,
        frame: u64,
        time: Option<Duration>,
        udp: &Udp<'_>,
        reassembled: bool,
    ) -> (Range<u32>, Range<u32>, u16) {
        let mut width = 0;
        // Batches end at about a megabyte: offsets fit in a u32.
        let offset = |arena: &Vec<u8>| u32::try_from(arena.len()).unwrap_or(u32::MAX);
        let start = offset(arena);
        if self.payload {
            arena.extend_from_slice(udp.payload);
        }
        let payload = start..offset(arena);
        match &mut self.text {
            Text::None => {}
            Text::Record(w) => w.render(arena, frame, time, udp, reassembled),
            Text::Preview => {
                escape_bytes_into(udp.payload, PAYLOAD_PREVIEW, arena);
                let shown = std::str::from_utf8(&arena[payload.end as usize..]).unwrap_or_default();
                width = u16::try_from(table::width(shown)).unwrap_or(u16::MAX);
            }
            Text::Parquet => width = u16::from(parquet::push_text(udp.payload, arena)),
        }
        (payload.clone(), payload.end..offset(arena), width)
    }
}
