//! Apache Parquet, for the engines that query many captures at once (DuckDB, Spark, Polars,
//! Trino): one row per datagram with its analysis, or with `--summary` one row per conversation.
//! Typed columns (README.md lists them), zstd-compressed.
//!
//! Written without an Arrow layer in between, every column as pages of oneway's making
//! ([`number_pages`], [`plain_pages`], [`dictionary_pages`]) through the crate's page writer;
//! the crate serializes the descriptions of the row groups and the file. The
//! values of one row group are kept here column by column, and each row group is encoded and
//! compressed, on a thread of its own while the next one fills, as soon as it fills
//! ([`ROW_GROUP_ROWS`] rows or [`ROW_GROUP_BYTES`] bytes of payload), and handed to the output;
//! the footer, which describes every row group, waits as the bytes it will be ([`File`]), in
//! memory and past [`SPOOL_BYTES`] in a temporary file: memory stays the same whatever the
//! capture's size.
//! Parquet needs no seeking (its index is a footer), so the output can be a pipe.
//!
//! Payloads are written as they were captured, as binary: no byte of them is ever shown.

use std::io::{self, Write};
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::column::page::{CompressedPage, Page, PageWriter};
use parquet::errors::ParquetError;
use parquet::file::metadata::{
    ColumnChunkMetaData, FileMetaData, ParquetMetaData, ParquetMetaDataWriter, RowGroupMetaData,
};
use parquet::file::properties::WriterProperties;
use parquet::file::properties::WriterPropertiesPtr;
use parquet::file::statistics::{Statistics, ValueStatistics};
use parquet::file::writer::{SerializedPageWriter, TrackedWrite};
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnDescPtr;
use parquet::schema::types::{SchemaDescPtr, SchemaDescriptor};

use crate::analyze::{Analyzer, Facts, Role, Seen, file_of, split_frame_id};

/// Rows of a row group at most.
pub const ROW_GROUP_ROWS: usize = 1 << 15;
/// Bytes of payload (and text) in a row group after which it is written before it has
/// [`ROW_GROUP_ROWS`] rows.
pub const ROW_GROUP_BYTES: usize = 4 << 20;

/// Bytes of a data page at most (before compression).
const PAGE_BYTES: usize = 512 << 10;

/// What a column holds, and so its Parquet type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `required int64`.
    Int64,
    /// `optional int64`.
    OptInt64,
    /// `required int32`.
    Int32,
    /// `optional int32`.
    OptInt32,
    /// `required int32 (INTEGER(16,false))`: a port, a length.
    U16,
    /// `optional int64 (TIMESTAMP(NANOS,true))`: nanoseconds since the epoch, UTC.
    Time,
    /// `required binary (STRING)`: an address, written as text (dictionary-encoded).
    Addr,
    /// `required binary (STRING)`: the name of an input, kept as its number (from 1; 0: the
    /// only one) until written (dictionary-encoded).
    File,
    /// `optional binary (STRING)`: as [`Kind::File`].
    OptFile,
    /// `optional binary (STRING)`.
    OptStr,
    /// `required binary`: bytes.
    Binary,
    /// `required boolean`.
    Bool,
}

impl Kind {
    fn declaration(self, name: &str) -> String {
        match self {
            Kind::Int64 => format!("required int64 {name};"),
            Kind::OptInt64 => format!("optional int64 {name};"),
            Kind::Int32 => format!("required int32 {name};"),
            Kind::OptInt32 => format!("optional int32 {name};"),
            Kind::U16 => format!("required int32 {name} (INTEGER(16,false));"),
            Kind::Time => format!("optional int64 {name} (TIMESTAMP(NANOS,true));"),
            Kind::Addr | Kind::File => format!("required binary {name} (STRING);"),
            Kind::OptStr | Kind::OptFile => format!("optional binary {name} (STRING);"),
            Kind::Binary => format!("required binary {name};"),
            Kind::Bool => format!("required boolean {name};"),
        }
    }
}

/// The columns of `--format parquet`, one row per datagram: the fields of jsonl and csv, in their
/// order ([`super::records::FIELDS`]; README.md documents each).
const DATAGRAM_COLUMNS: &[(&str, Kind)] = &[
    ("frame", Kind::Int64),
    ("time", Kind::Time),
    ("src", Kind::Addr),
    ("sport", Kind::U16),
    ("dst", Kind::Addr),
    ("dport", Kind::U16),
    ("length", Kind::U16),
    ("payload", Kind::Binary),
    ("reassembled", Kind::Bool),
    ("captured", Kind::Int64),
    ("cut", Kind::Bool),
    ("bad_length", Kind::Bool),
    ("text", Kind::OptStr),
    ("conv", Kind::OptInt32),
    ("reply_to", Kind::OptInt64),
    ("rtt_ns", Kind::OptInt64),
    ("repeat_of", Kind::OptInt64),
    ("icmp", Kind::OptStr),
    ("file", Kind::File),
    ("reply_to_file", Kind::OptFile),
    ("repeat_of_file", Kind::OptFile),
];

/// The columns of `--summary --format parquet`, one row per conversation: the fields of the
/// summary's jsonl records, typed.
const CONVERSATION_COLUMNS: &[(&str, Kind)] = &[
    ("conversation", Kind::Int32),
    ("a", Kind::Addr),
    ("aport", Kind::U16),
    ("b", Kind::Addr),
    ("bport", Kind::U16),
    ("first_frame", Kind::Int64),
    ("start", Kind::Time),
    ("duration_ns", Kind::OptInt64),
    ("packets_ab", Kind::Int64),
    ("packets_ba", Kind::Int64),
    ("bytes_ab", Kind::Int64),
    ("bytes_ba", Kind::Int64),
    ("replies", Kind::Int64),
    ("unanswered", Kind::Int64),
    ("first_reply_frame", Kind::OptInt64),
    ("first_reply_after_ns", Kind::OptInt64),
    ("first_reply_to_frame", Kind::OptInt64),
    ("first_reply_retries", Kind::OptInt64),
    ("first_try_frame", Kind::OptInt64),
    ("first_try_before_reply_ns", Kind::OptInt64),
    ("frame_bytes_ab", Kind::Int64),
    ("frame_bytes_ba", Kind::Int64),
    ("repeats", Kind::Int64),
    ("icmp_errors", Kind::Int64),
    ("first_icmp_frame", Kind::OptInt64),
    ("first_icmp", Kind::OptStr),
    ("file", Kind::File),
    ("first_reply_file", Kind::OptFile),
    ("first_reply_to_file", Kind::OptFile),
    ("first_try_file", Kind::OptFile),
    ("first_icmp_file", Kind::OptFile),
];

/// One column's values in the row group being filled.
#[derive(Debug, Default)]
struct Column {
    kind: Option<Kind>,
    ints: Vec<i64>,
    /// The values of 32-bit columns, and the input numbers of file columns.
    ints32: Vec<i32>,
    /// The values of address columns.
    addrs: Vec<IpAddr>,
    bools: Vec<bool>,
    /// Byte values end to end, and where each ends. A required byte column ([`Kind::Binary`])
    /// holds them as a PLAIN page lays them out, each after its length (4 bytes), so that its
    /// pages are compressed from here, not copied first.
    bytes: Vec<u8>,
    ends: Vec<u32>,
    /// Definition levels of an optional column (1 present, 0 null).
    defs: Vec<i16>,
}

impl Column {
    /// Its number of rows.
    fn len(&self) -> usize {
        match self.kind {
            Some(Kind::OptInt64 | Kind::OptInt32 | Kind::Time | Kind::OptStr | Kind::OptFile) => {
                self.defs.len()
            }
            Some(Kind::Int64) => self.ints.len(),
            Some(Kind::Int32 | Kind::U16 | Kind::File) => self.ints32.len(),
            Some(Kind::Bool) => self.bools.len(),
            Some(Kind::Addr) => self.addrs.len(),
            Some(Kind::Binary) => self.ends.len(),
            None => 0,
        }
    }

    /// Appends the value `v` of a required byte column, after its length.
    fn push_plain(&mut self, v: &[u8]) {
        self.bytes
            .extend_from_slice(&u32::try_from(v.len()).unwrap_or(u32::MAX).to_le_bytes());
        self.bytes.extend_from_slice(v);
        self.ends
            .push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }

    /// Empties it, keeping its buffers.
    fn clear(&mut self) {
        self.ints.clear();
        self.ints32.clear();
        self.addrs.clear();
        self.bools.clear();
        self.bytes.clear();
        self.ends.clear();
        self.defs.clear();
    }

    /// Moves the values of the last `rows` rows of this byte column to the empty column `to`.
    fn carry(&mut self, rows: usize, to: &mut Column) {
        debug_assert!(matches!(self.kind, Some(Kind::OptStr | Kind::Binary)));
        // Of those rows, the ones with a value (all of them unless the column is optional).
        let values = if self.kind == Some(Kind::OptStr) {
            let from = self.defs.len() - rows;
            to.defs.extend_from_slice(&self.defs[from..]);
            self.defs.truncate(from);
            to.defs.iter().filter(|&&d| d == 1).count()
        } else {
            rows
        };
        let first = self.ends.len() - values;
        let start = first.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        to.bytes.extend_from_slice(&self.bytes[start..]);
        to.ends
            .extend(self.ends[first..].iter().map(|&e| e - start as u32));
        self.bytes.truncate(start);
        self.ends.truncate(first);
    }
}

/// A Parquet file being written to an output, one row group at a time. The rows are gathered
/// here, on the analysing thread; each full row group is encoded and compressed on a thread of
/// its own (the `oneway-parquet` thread) while the next one fills, so two sets of columns exist
/// at most: the one filling, the one being encoded.
struct Table {
    columns: Vec<Column>,
    /// The second set of columns, until it is first needed; later each set comes back from the
    /// encoder once written.
    spare: Option<Vec<Column>>,
    rows: usize,
    bytes: usize,
    /// The columns filled when a row comes ([`Table::early`]), before its other columns.
    early: &'static [usize],
    /// Rows whose early columns are filled and the others not yet.
    pending: usize,
    /// Full row groups, to the encoder (it takes one when it has written the one before).
    groups: Option<SyncSender<Vec<Column>>>,
    /// Sets of columns written and emptied, for the next row group.
    emptied: Receiver<Vec<Column>>,
    /// The file's bytes as the encoder produces them, to go to the output in order.
    written: Receiver<Vec<u8>>,
    /// Their buffers, written, back to the encoder.
    spent: Sender<Vec<u8>>,
    encoder: Option<JoinHandle<io::Result<()>>>,
}

/// The file being written, as the encoder thread writes it: its row groups go out as they are
/// encoded, and its footer is kept as the bytes it will have.
///
/// The parquet crate's file writer keeps every row group's description until the end, as
/// structures of about 700 bytes a column chunk (a million datagrams made 1 MB of them, so that
/// 30 million passed 64 MB); serialized they are about 80 bytes. So the row groups are written
/// here, each column chunk as pages of oneway's making, and each row group's description
/// serialized by the crate as soon as it is written: only its bytes are kept.
struct File {
    schema: SchemaDescPtr,
    props: WriterPropertiesPtr,
    /// Bytes of the file so far.
    offset: usize,
    /// The row groups' descriptions (thrift compact `RowGroup`s), one after another.
    groups: Spool,
    count: usize,
    rows: i64,
    /// The file's description with no row group, cut around `num_rows` and `row_groups`
    /// (see [`File::cut`]), once the first row group is written.
    frame: Option<(Vec<u8>, Vec<u8>)>,
    /// A column chunk being encoded (its buffer kept).
    chunk: Vec<u8>,
    /// The byte columns' pages: one being made, and its compressor (one for the whole file).
    page: Vec<u8>,
    zstd: Option<zstd::bulk::Compressor<'static>>,
    /// The inputs' names, for the file columns (which hold their numbers).
    names: Vec<String>,
}

/// Appends `v` as an unsigned varint (thrift compact).
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The bytes of a file description (thrift compact `FileMetaData`) with these row groups, as
/// the parquet crate writes it (without the length and magic after it).
fn describe(
    schema: &SchemaDescPtr,
    created_by: &str,
    groups: Vec<RowGroupMetaData>,
) -> Result<Vec<u8>, ParquetError> {
    let file = FileMetaData::new(1, 0, Some(created_by.into()), None, schema.clone(), None);
    let mut out = Vec::new();
    ParquetMetaDataWriter::new(&mut out, &ParquetMetaData::new(file, groups)).finish()?;
    out.truncate(out.len().saturating_sub(8));
    Ok(out)
}

impl File {
    fn new(schema: SchemaDescPtr, props: WriterPropertiesPtr, names: Vec<String>) -> Self {
        File {
            names,
            schema,
            props,
            offset: 0,
            groups: Spool::default(),
            count: 0,
            rows: 0,
            frame: None,
            chunk: Vec::new(),
            page: Vec::new(),
            zstd: None,
        }
    }

    /// Encodes `columns` (one batch of rows) as a row group, appended to `out`.
    fn row_group(&mut self, columns: &mut [Column], out: &mut Vec<u8>) -> io::Result<()> {
        if self.offset == 0 && out.is_empty() {
            out.extend_from_slice(b"PAR1");
        }
        let start = self.offset + out.len();
        let (mut chunks, mut uncompressed, mut rows) = (Vec::new(), 0, 0);
        for (c, descr) in columns.iter_mut().zip(self.schema.columns()) {
            rows = c.len();
            self.chunk.clear();
            let mut sink = TrackedWrite::new(std::mem::take(&mut self.chunk));
            let zstd = match &mut self.zstd {
                Some(z) => z,
                None => self.zstd.insert(zstd::bulk::Compressor::new(ZSTD_LEVEL)?),
            };
            let pages = (&mut sink, &mut self.page, zstd);
            let names = &self.names;
            let name = |input: i32, out: &mut Vec<u8>| {
                let input = usize::try_from(input).unwrap_or(usize::MAX);
                out.extend_from_slice(file_of(names, input).as_bytes());
            };
            let meta = match c.kind {
                Some(Kind::Addr) => dictionary_pages((&c.addrs, None), descr, pages, |a, out| {
                    super::push_ip_bytes(out, a)
                }),
                Some(Kind::File) => dictionary_pages((&c.ints32, None), descr, pages, name),
                Some(Kind::OptFile) => {
                    dictionary_pages((&c.ints32, Some(&c.defs)), descr, pages, name)
                }
                Some(Kind::Binary | Kind::OptStr) => plain_pages(c, descr, pages),
                _ => number_pages(c, descr, pages),
            }
            .map_err(parquet_error)?;
            c.clear();
            self.chunk = sink.into_inner().map_err(parquet_error)?;
            // Its pages' offsets, from the chunk's start to the file's.
            let at = i64::try_from(self.offset + out.len()).map_err(io::Error::other)?;
            let first = meta
                .dictionary_page_offset()
                .unwrap_or(meta.data_page_offset());
            let shift = |o: i64| o - first + at;
            let (data, dictionary) = (meta.data_page_offset(), meta.dictionary_page_offset());
            uncompressed += meta.uncompressed_size();
            chunks.push(
                meta.into_builder()
                    .set_data_page_offset(shift(data))
                    .set_dictionary_page_offset(dictionary.map(shift))
                    .build()
                    .map_err(parquet_error)?,
            );
            out.extend_from_slice(&self.chunk);
        }
        let rows = i64::try_from(rows).map_err(io::Error::other)?;
        let group = RowGroupMetaData::builder(self.schema.clone())
            .set_column_metadata(chunks)
            .set_total_byte_size(uncompressed)
            .set_num_rows(rows)
            .set_ordinal(i32::try_from(self.count).unwrap_or(i32::MAX))
            .set_file_offset(i64::try_from(start).map_err(io::Error::other)?)
            .build()
            .map_err(parquet_error)?;
        self.describe(group, rows)?;
        self.offset += out.len();
        Ok(())
    }

    /// Keeps the bytes of `group`'s description, of `rows` rows.
    fn describe(&mut self, group: RowGroupMetaData, rows: i64) -> io::Result<()> {
        let created_by = self.props.created_by().to_string();
        let one = describe(&self.schema, &created_by, vec![group]).map_err(parquet_error)?;
        let (head, tail) = match &self.frame {
            Some(frame) => frame,
            None => {
                let none =
                    describe(&self.schema, &created_by, Vec::new()).map_err(parquet_error)?;
                self.frame.insert(File::cut(&none, &one)?)
            }
        };
        // `one` is `head`, num_rows (the crate sums the groups': `rows`), the list header of one
        // struct, the group, `tail`.
        let mut before = head.clone();
        varint(&mut before, zigzag(rows));
        before.extend_from_slice(&[0x19, 0x1c]);
        if !one.starts_with(&before)
            || !one.ends_with(tail)
            || one.len() < before.len() + tail.len()
        {
            return Err(io::Error::other(
                "parquet: a row group's description is not as expected",
            ));
        }
        self.groups
            .append(&one[before.len()..one.len() - tail.len()])?;
        self.count += 1;
        self.rows += rows;
        Ok(())
    }

    /// Cuts the description of a file of no row group where the one of a file of one row group
    /// differs: after `num_rows`'s field header (`head`), and after the empty `row_groups` list
    /// (`tail`), checking that they are where thrift's compact encoding puts them: field 3
    /// (`num_rows`, i64: header 0x16) then field 4 (`row_groups`, a list: header 0x19, and 0x0c
    /// for an empty list of structs).
    fn cut(none: &[u8], one: &[u8]) -> io::Result<(Vec<u8>, Vec<u8>)> {
        let same = none.iter().zip(one).take_while(|(a, b)| a == b).count();
        if same == 0
            || none.get(same - 1) != Some(&0x16)
            || none.get(same..same + 3) != Some(&[0x00, 0x19, 0x0c])
        {
            return Err(io::Error::other(
                "parquet: the file's description is not as expected",
            ));
        }
        Ok((none[..same].to_vec(), none[same + 3..].to_vec()))
    }

    /// Sends the footer to `send`, in pieces: the file's description with every row group's,
    /// its length and the magic.
    fn footer(&mut self, mut send: impl FnMut(Vec<u8>)) -> io::Result<()> {
        let mut out = Vec::new();
        if self.offset == 0 {
            out.extend_from_slice(b"PAR1");
        }
        let start = out.len();
        let mut len = 0;
        let Some((head, tail)) = &self.frame else {
            // No row group.
            let created_by = self.props.created_by().to_string();
            out.extend(describe(&self.schema, &created_by, Vec::new()).map_err(parquet_error)?);
            return footer_end(out, start, 0, send);
        };
        out.extend_from_slice(head);
        varint(&mut out, zigzag(self.rows));
        out.push(0x19);
        // A list of structs (type 12): its size in the header's high half, or after it.
        if self.count < 15 {
            out.push(((self.count as u8) << 4) | 0x0c);
        } else {
            out.push(0xfc);
            varint(&mut out, self.count as u64);
        }
        // The description so far, then the row groups', then the rest of it.
        len += out.len() - start;
        send(out);
        self.groups.drain(|piece| {
            len += piece.len();
            send(piece);
        })?;
        footer_end(tail.clone(), 0, len, send)
    }
}

/// Ends the footer in `out` (whose description began at `start`, with `len` more bytes sent
/// before) with the description's length and the magic, and sends it.
fn footer_end(
    mut out: Vec<u8>,
    start: usize,
    len: usize,
    mut send: impl FnMut(Vec<u8>),
) -> io::Result<()> {
    let len = u32::try_from(out.len() - start + len).map_err(io::Error::other)?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(b"PAR1");
    send(out);
    Ok(())
}

/// Bytes kept to the end, in memory up to [`SPOOL_BYTES`] and in a temporary file beyond (one
/// that has no name: the system removes it however the process ends).
#[derive(Default)]
struct Spool {
    memory: Vec<u8>,
    file: Option<std::fs::File>,
}

/// Bytes of row group descriptions kept in memory at most (about 75M datagrams' worth); the
/// rest waits in a temporary file. (The unit tests spool after a few row groups.)
const SPOOL_BYTES: usize = if cfg!(test) { 4096 } else { 8 << 20 };

impl Spool {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.memory.len() + bytes.len() > SPOOL_BYTES {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(tempfile::tempfile().map_err(|e| {
                    io::Error::new(
                        e.kind(),
                        format!("parquet: a temporary file for the footer: {e}"),
                    )
                })?),
            };
            file.write_all(&self.memory)?;
            self.memory.clear();
        }
        self.memory.extend_from_slice(bytes);
        Ok(())
    }

    /// Hands everything appended to `send`, in order, in pieces of at most a megabyte.
    fn drain(&mut self, mut send: impl FnMut(Vec<u8>)) -> io::Result<()> {
        if let Some(mut file) = self.file.take() {
            use std::io::{Read, Seek};
            file.seek(io::SeekFrom::Start(0))?;
            loop {
                let mut piece = Vec::with_capacity(1 << 20);
                (&mut file).take(1 << 20).read_to_end(&mut piece)?;
                if piece.is_empty() {
                    break;
                }
                send(piece);
            }
        }
        send(std::mem::take(&mut self.memory));
        Ok(())
    }
}

/// zstd's level for every column.
const ZSTD_LEVEL: i32 = 1;

/// Rows of a page of a byte column at most (the crate's own limit for the other columns).
const PAGE_ROWS: usize = 20_000;

/// A byte column's pages on their way into its chunk: each made in `page`, compressed by the
/// file's one compressor and written by the crate's page writer (which writes their headers),
/// their sizes and the first data page's offset counted for the chunk's description.
struct Pages<'a> {
    writer: SerializedPageWriter<'a, Vec<u8>>,
    page: &'a mut Vec<u8>,
    zstd: &'a mut zstd::bulk::Compressor<'static>,
    compressed: i64,
    uncompressed: i64,
    first_data: Option<i64>,
}

impl<'a> Pages<'a> {
    fn new(
        (sink, page, zstd): (
            &'a mut TrackedWrite<Vec<u8>>,
            &'a mut Vec<u8>,
            &'a mut zstd::bulk::Compressor<'static>,
        ),
    ) -> Self {
        page.clear();
        Pages {
            writer: SerializedPageWriter::new(sink),
            page,
            zstd,
            compressed: 0,
            uncompressed: 0,
            first_data: None,
        }
    }

    /// Writes the page made in `page`, of `values` values: a data page in `encoding`, or the
    /// dictionary page (`None`). Returns its offset in the chunk, and empties `page`.
    fn write(&mut self, values: usize, encoding: Option<Encoding>) -> Result<i64, ParquetError> {
        let page = std::mem::take(self.page);
        let offset = self.write_from(&page, values, encoding);
        *self.page = page;
        self.page.clear();
        offset
    }

    /// Writes the page `page`, of `values` values, as [`Pages::write`] does the one in `page`.
    fn write_from(
        &mut self,
        page: &[u8],
        values: usize,
        encoding: Option<Encoding>,
    ) -> Result<i64, ParquetError> {
        let uncompressed = page.len();
        let buf = Bytes::from(self.zstd.compress(page)?);
        let num_values = u32::try_from(values).map_err(|e| ParquetError::External(e.into()))?;
        let page = match encoding {
            Some(encoding) => Page::DataPage {
                buf,
                num_values,
                encoding,
                def_level_encoding: Encoding::RLE,
                rep_level_encoding: Encoding::RLE,
                statistics: None,
            },
            None => Page::DictionaryPage {
                buf,
                num_values,
                encoding: Encoding::PLAIN,
                is_sorted: false,
            },
        };
        let spec = self
            .writer
            .write_page(CompressedPage::new(page, uncompressed))?;
        self.compressed += spec.bytes_written as i64;
        self.uncompressed += spec.uncompressed_size as i64;
        let offset = spec.offset as i64;
        if encoding.is_some() {
            self.first_data.get_or_insert(offset);
        }
        Ok(offset)
    }

    /// The chunk's description: `rows` values in `encodings`, its dictionary page at
    /// `dictionary` if it has one.
    fn finish(
        mut self,
        descr: &ColumnDescPtr,
        rows: usize,
        encodings: Vec<Encoding>,
        dictionary: Option<i64>,
    ) -> Result<parquet::file::metadata::ColumnChunkMetaDataBuilder, ParquetError> {
        self.writer.close()?;
        Ok(ColumnChunkMetaData::builder(descr.clone())
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL)?))
            .set_encodings(encodings)
            .set_num_values(rows as i64)
            .set_total_compressed_size(self.compressed)
            .set_total_uncompressed_size(self.uncompressed)
            .set_dictionary_page_offset(dictionary)
            .set_data_page_offset(self.first_data.or(dictionary).unwrap_or(0)))
    }
}

/// Where a byte column's pages go: the chunk's sink, a page's buffer, the file's compressor.
type PageParts<'a> = (
    &'a mut TrackedWrite<Vec<u8>>,
    &'a mut Vec<u8>,
    &'a mut zstd::bulk::Compressor<'static>,
);

/// Writes a byte column without a dictionary (`payload`, and the optional text columns) as
/// pages of oneway's making, and returns its description. The crate's column writer took each
/// value as a reference-counted slice (two atomic operations a value, and a vector of them a
/// row group) and made a compressor for every column chunk; here a page is the values as PLAIN
/// encoding lays them out (a 4-byte length, the bytes), compressed straight from the column's
/// buffer for `payload` (held that way), copied into the page after its definition levels
/// ([`push_levels`]) for a nullable column; one compressor serves the whole file.
fn plain_pages(
    c: &mut Column,
    descr: &ColumnDescPtr,
    parts: PageParts<'_>,
) -> Result<ColumnChunkMetaData, ParquetError> {
    let optional = c.kind == Some(Kind::OptStr);
    // A required column's values are laid out as PLAIN lays them out (`Column::push_plain`).
    let prefixed = if optional { 0 } else { 4 };
    let rows = c.len();
    let mut pages = Pages::new(parts);
    let (mut row, mut value) = (0, 0);
    let start = |v: usize| v.checked_sub(1).map_or(0, |i| c.ends[i] as usize);
    while row < rows || (rows == 0 && pages.first_data.is_none()) {
        // The rows of this page: up to PAGE_ROWS, or until its values pass PAGE_BYTES.
        let start_value = value;
        let mut end = row;
        let mut bytes = 0;
        while end < rows && end - row < PAGE_ROWS && bytes < PAGE_BYTES {
            if !optional || c.defs[end] == 1 {
                bytes += c.ends[value] as usize - start(value) + 4 - prefixed;
                value += 1;
            }
            end += 1;
        }
        if optional {
            push_levels(pages.page, &c.defs[row..end]);
            for v in start_value..value {
                let (from, to) = (start(v), c.ends[v] as usize);
                pages
                    .page
                    .extend_from_slice(&((to - from) as u32).to_le_bytes());
                pages.page.extend_from_slice(&c.bytes[from..to]);
            }
            pages.write(end - row, Some(Encoding::PLAIN))?;
        } else {
            let these = &c.bytes[start(start_value)..start(value)];
            pages.write_from(these, end - row, Some(Encoding::PLAIN))?;
        }
        row = end;
    }
    let mut meta = pages.finish(descr, rows, vec![Encoding::PLAIN, Encoding::RLE], None)?;
    if optional {
        let nulls = (rows - value) as u64;
        meta = meta.set_statistics(Statistics::byte_array(None, None, None, Some(nulls), false));
    }
    meta.build()
}

/// Appends a nullable column's definition levels for its rows `defs` to `page` as a data page
/// (v1) lays them out: their length, then the RLE/bit-packed hybrid of bit width 1: one RLE
/// run if they are all the same (every value present, or none), else one bit-packed run of
/// ceil(n / 8) groups of eight, each after its header.
fn push_levels(page: &mut Vec<u8>, defs: &[i16]) {
    let at = page.len();
    page.extend_from_slice(&[0; 4]);
    match defs.first() {
        Some(&first) if defs.iter().all(|&d| d == first) => {
            varint(page, (defs.len() as u64) << 1);
            page.push(first as u8 & 1);
        }
        _ => {
            varint(page, ((defs.len().div_ceil(8) as u64) << 1) | 1);
            for eight in defs.chunks(8) {
                page.push(
                    eight
                        .iter()
                        .enumerate()
                        .fold(0u8, |b, (i, &d)| b | ((d as u8 & 1) << i)),
                );
            }
        }
    }
    let len = (page.len() - at - 4) as u32;
    page[at..at + 4].copy_from_slice(&len.to_le_bytes());
}

/// Appends `values` to `out`, `width` bits each, low bits first (Parquet's bit packing).
fn pack(out: &mut Vec<u8>, values: impl Iterator<Item = u64>, width: u32) {
    let (mut bits, mut held) = (0u128, 0);
    for v in values {
        bits |= u128::from(v) << held;
        held += width;
        while held >= 8 {
            out.push(bits as u8);
            (bits, held) = (bits >> 8, held - 8);
        }
    }
    if held > 0 {
        out.push(bits as u8);
    }
}

/// Values of a DELTA_BINARY_PACKED block, and of each of its miniblocks: the parquet crate's
/// layout for 64-bit values.
const DELTA_BLOCK: usize = 256;
const DELTA_MINIBLOCK: usize = 64;

/// Appends `values` to `out` in DELTA_BINARY_PACKED: the header (block size, miniblocks per
/// block, the number of values, the first), then for each block of deltas its smallest (zigzag)
/// and the bit width of each miniblock, and each miniblock's deltas less the smallest,
/// bit-packed and padded to the miniblock's size (a miniblock past the last delta: width 0, no
/// bytes).
fn push_deltas(out: &mut Vec<u8>, values: &[i64]) {
    varint(out, DELTA_BLOCK as u64);
    varint(out, (DELTA_BLOCK / DELTA_MINIBLOCK) as u64);
    varint(out, values.len() as u64);
    varint(out, zigzag(values.first().copied().unwrap_or(0)));
    let mut deltas = [0i64; DELTA_BLOCK];
    for from in (1..values.len()).step_by(DELTA_BLOCK) {
        let block = &values[from - 1..values.len().min(from + DELTA_BLOCK)];
        for (d, pair) in deltas.iter_mut().zip(block.windows(2)) {
            *d = pair[1].wrapping_sub(pair[0]);
        }
        let deltas = &deltas[..block.len() - 1];
        let min = deltas.iter().copied().min().unwrap_or(0);
        varint(out, zigzag(min));
        let widths = out.len();
        out.extend_from_slice(&[0; DELTA_BLOCK / DELTA_MINIBLOCK]);
        for (i, mini) in deltas.chunks(DELTA_MINIBLOCK).enumerate() {
            let over = |&d: &i64| d.wrapping_sub(min) as u64;
            let width = u64::BITS - mini.iter().map(over).max().unwrap_or(0).leading_zeros();
            out[widths + i] = width as u8;
            let padding = std::iter::repeat_n(0, DELTA_MINIBLOCK - mini.len());
            pack(out, mini.iter().map(over).chain(padding), width);
        }
    }
}

/// Writes a column of numbers or booleans as pages of oneway's making (as [`plain_pages`] does
/// the byte columns), and returns its description: the 64-bit numbers in DELTA_BINARY_PACKED
/// (frame numbers and times grow by little: 5 % fewer bytes on udp-1M, fewer to compress), the
/// others PLAIN, a nullable column's definition levels before its values, pages of
/// [`PAGE_ROWS`] rows, and the chunk's statistics (minimum, maximum, nulls) as the crate's
/// column writer computes them. The crate's column writers made a compressor and a
/// decompressor for every column chunk, and took the values a batch at a time.
fn number_pages(
    c: &mut Column,
    descr: &ColumnDescPtr,
    parts: PageParts<'_>,
) -> Result<ColumnChunkMetaData, ParquetError> {
    let kind = c.kind.unwrap_or(Kind::Int64);
    let optional = matches!(kind, Kind::OptInt64 | Kind::OptInt32 | Kind::Time);
    let encoding = match kind {
        Kind::Int64 | Kind::OptInt64 | Kind::Time => Encoding::DELTA_BINARY_PACKED,
        Kind::Int32 | Kind::OptInt32 | Kind::U16 | Kind::Bool => Encoding::PLAIN,
        Kind::Addr | Kind::File | Kind::OptFile | Kind::OptStr | Kind::Binary => {
            return Err(ParquetError::General(
                "text and byte columns are written by plain_pages and dictionary_pages".into(),
            ));
        }
    };
    let rows = c.len();
    let mut pages = Pages::new(parts);
    let (mut row, mut value) = (0, 0);
    while row < rows || (rows == 0 && pages.first_data.is_none()) {
        let end = rows.min(row + PAGE_ROWS);
        let values = if optional {
            push_levels(pages.page, &c.defs[row..end]);
            c.defs[row..end].iter().filter(|&&d| d == 1).count()
        } else {
            end - row
        };
        let these = value..value + values;
        match encoding {
            Encoding::DELTA_BINARY_PACKED => push_deltas(pages.page, &c.ints[these]),
            _ if kind == Kind::Bool => {
                pack(pages.page, c.bools[these].iter().map(|&b| u64::from(b)), 1)
            }
            _ => {
                for v in &c.ints32[these] {
                    pages.page.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
        pages.write(end - row, Some(encoding))?;
        (row, value) = (end, value + values);
    }
    let nulls = Some((rows - value) as u64);
    let signed = descr.sort_order().is_signed();
    let statistics = match encoding {
        Encoding::DELTA_BINARY_PACKED => {
            let (min, max) = (c.ints.iter().min(), c.ints.iter().max());
            Statistics::Int64(
                ValueStatistics::new(min.copied(), max.copied(), None, nulls, false)
                    .with_backwards_compatible_min_max(signed),
            )
        }
        _ if kind == Kind::Bool => {
            let (min, max) = (c.bools.iter().min(), c.bools.iter().max());
            Statistics::Boolean(
                ValueStatistics::new(min.copied(), max.copied(), None, nulls, false)
                    .with_backwards_compatible_min_max(signed),
            )
        }
        _ => {
            let (min, max) = (c.ints32.iter().min(), c.ints32.iter().max());
            Statistics::Int32(
                ValueStatistics::new(min.copied(), max.copied(), None, nulls, false)
                    .with_backwards_compatible_min_max(signed),
            )
        }
    };
    let meta = pages
        .finish(descr, rows, vec![encoding, Encoding::RLE], None)?
        .set_statistics(statistics);
    meta.build()
}

/// Bytes of a dictionary at most; a column chunk with more distinct values is written PLAIN.
const DICTIONARY_BYTES: usize = 1 << 20;

/// Writes a text column that repeats (addresses, file names) dictionary-encoded, as pages of
/// oneway's making (as [`plain_pages`] does the others), and returns its description: a
/// dictionary page of its distinct values (PLAIN), each written once as `text` makes it from
/// its key, then pages of [`PAGE_ROWS`] rows, each of a nullable column's definition levels
/// and its values' indices (RLE_DICTIONARY: the bit width, then the indices bit-packed). The
/// column holds keys (an address, an input's number), not text: a row costs no formatting and
/// no copy of its text, and the dictionary is made by hashing a few bytes. `keys` are the
/// values present, `defs` a nullable column's definition levels. A chunk whose distinct
/// values pass [`DICTIONARY_BYTES`] is written PLAIN instead.
fn dictionary_pages<K: Copy + Eq + std::hash::Hash>(
    (keys, defs): (&[K], Option<&[i16]>),
    descr: &ColumnDescPtr,
    parts: PageParts<'_>,
    text: impl Fn(K, &mut Vec<u8>),
) -> Result<ColumnChunkMetaData, ParquetError> {
    let rows = defs.map_or(keys.len(), <[i16]>::len);
    // Each value's index among the distinct ones, and the dictionary page they make, in order
    // of appearance.
    let mut indices = Vec::with_capacity(keys.len());
    let mut dictionary = Vec::new();
    let mut index: foldhash::HashMap<K, u32> = foldhash::HashMap::default();
    for &k in keys {
        let distinct = index.len() as u32;
        let i = *index.entry(k).or_insert_with(|| {
            let at = dictionary.len();
            dictionary.extend_from_slice(&[0; 4]);
            text(k, &mut dictionary);
            let len = (dictionary.len() - at - 4) as u32;
            dictionary[at..at + 4].copy_from_slice(&len.to_le_bytes());
            distinct
        });
        indices.push(i);
        if dictionary.len() > DICTIONARY_BYTES {
            // PLAIN, from the values as text.
            let mut plain = Column {
                kind: Some(if defs.is_some() {
                    Kind::OptStr
                } else {
                    Kind::Binary
                }),
                defs: defs.map(<[i16]>::to_vec).unwrap_or_default(),
                ..Column::default()
            };
            let mut value = Vec::new();
            for &k in keys {
                value.clear();
                text(k, &mut value);
                if defs.is_some() {
                    plain.bytes.extend_from_slice(&value);
                    let end = u32::try_from(plain.bytes.len()).unwrap_or(u32::MAX);
                    plain.ends.push(end);
                } else {
                    plain.push_plain(&value);
                }
            }
            return plain_pages(&mut plain, descr, parts);
        }
    }
    let mut pages = Pages::new(parts);
    pages.page.extend_from_slice(&dictionary);
    let at = pages.write(index.len(), None)?;
    // Bits an index takes (at least one).
    let width = u32::BITS - (index.len().max(2) as u32 - 1).leading_zeros();
    let (mut row, mut value) = (0, 0);
    while row < rows || (rows == 0 && pages.first_data.is_none()) {
        let end = rows.min(row + PAGE_ROWS);
        let values = match defs {
            Some(defs) => {
                push_levels(pages.page, &defs[row..end]);
                defs[row..end].iter().filter(|&&d| d == 1).count()
            }
            None => end - row,
        };
        pages.page.push(width as u8);
        if values > 0 && index.len() == 1 {
            // One value (one input's name, say): one RLE run of index 0.
            varint(pages.page, (values as u64) << 1);
            pages.page.push(0);
        } else if values > 0 {
            // One bit-packed run: groups of eight indices, each group `width` bytes.
            varint(pages.page, ((values.div_ceil(8) as u64) << 1) | 1);
            let part = &indices[value..value + values];
            let padding = std::iter::repeat_n(0, values.next_multiple_of(8) - values);
            pack(
                pages.page,
                part.iter().map(|&i| u64::from(i)).chain(padding),
                width,
            );
        }
        pages.write(end - row, Some(Encoding::RLE_DICTIONARY))?;
        (row, value) = (end, value + values);
    }
    let encodings = vec![Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY];
    let mut meta = pages.finish(descr, rows, encodings, Some(at))?;
    if defs.is_some() {
        let nulls = (rows - value) as u64;
        meta = meta.set_statistics(Statistics::byte_array(None, None, None, Some(nulls), false));
    }
    meta.build()
}

/// An i64 as thrift compact writes it (zigzag).
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The encoder thread: writes each batch of rows it is given as a row group, hands the columns
/// back emptied and the bytes on (in a buffer the writing thread gives back once written, so
/// that each row group's bytes land in memory already faulted in); at the end, the footer.
fn encode(
    mut file: File,
    groups: Receiver<Vec<Column>>,
    emptied: Sender<Vec<Column>>,
    (written, spent): (Sender<Vec<u8>>, Receiver<Vec<u8>>),
) -> io::Result<()> {
    let buffer = || {
        let mut next = spent.try_recv().unwrap_or_default();
        next.clear();
        next
    };
    for mut columns in groups {
        let mut out = buffer();
        file.row_group(&mut columns, &mut out)?;
        let _ = emptied.send(columns);
        let _ = written.send(out);
    }
    file.footer(|piece| {
        let _ = written.send(piece);
    })
}

/// The columns of one row, pushed in schema order (the early ones skipped, or only they).
struct Row<'t> {
    columns: &'t mut [Column],
    at: usize,
    bytes: &'t mut usize,
}

impl Row<'_> {
    /// Passes over a column filled early.
    fn skip(&mut self) {
        self.at += 1;
    }

    /// Goes to the column `at` (an early one).
    fn to(&mut self, at: usize) -> &mut Self {
        self.at = at;
        self
    }

    fn next(&mut self, kind: Kind) -> &mut Column {
        let c = &mut self.columns[self.at];
        debug_assert_eq!(c.kind, Some(kind), "column {} pushed out of order", self.at);
        self.at += 1;
        c
    }

    fn int(&mut self, v: i64) {
        self.next(Kind::Int64).ints.push(v);
    }

    fn opt(&mut self, kind: Kind, v: Option<i64>) {
        let c = self.next(kind);
        c.defs.push(i16::from(v.is_some()));
        c.ints.extend(v);
    }

    fn u16(&mut self, v: u16) {
        self.next(Kind::U16).ints32.push(v.into());
    }

    /// A conversation id (below 2^31: there are at most 65,536).
    fn id(&mut self, kind: Kind, v: Option<u32>) {
        let c = self.next(kind);
        if kind == Kind::OptInt32 {
            c.defs.push(i16::from(v.is_some()));
        }
        c.ints32
            .extend(v.map(|v| i32::try_from(v).unwrap_or(i32::MAX)));
    }

    fn time(&mut self, t: Option<Duration>) {
        // Nanoseconds since 1970 fit an i64 until 2262; a later time is no time.
        self.opt(Kind::Time, t.and_then(|t| i64::try_from(t.as_nanos()).ok()));
    }

    fn bytes(&mut self, v: &[u8]) {
        let c = self.next(Kind::Binary);
        if c.bytes.capacity() == 0 {
            // Once, the size a row group ends at (its values and their lengths): no doubling
            // past it.
            c.bytes
                .reserve_exact(ROW_GROUP_BYTES + 4 * ROW_GROUP_ROWS + usize::from(u16::MAX) + 4);
        }
        c.push_plain(v);
        *self.bytes += v.len();
    }

    fn opt_str(&mut self, v: Option<&[u8]>) {
        let c = self.next(Kind::OptStr);
        c.defs.push(i16::from(v.is_some()));
        if let Some(v) = v {
            c.bytes.extend_from_slice(v);
            c.ends
                .push(u32::try_from(c.bytes.len()).unwrap_or(u32::MAX));
            *self.bytes += v.len();
        }
    }

    fn addr(&mut self, a: IpAddr) {
        self.next(Kind::Addr).addrs.push(a);
    }

    /// The input `input` (its number: from 1, 0 the only one).
    fn file(&mut self, input: usize) {
        let input = i32::try_from(input).unwrap_or(i32::MAX);
        self.next(Kind::File).ints32.push(input);
    }

    fn opt_file(&mut self, input: Option<usize>) {
        let c = self.next(Kind::OptFile);
        c.defs.push(i16::from(input.is_some()));
        c.ints32
            .extend(input.map(|i| i32::try_from(i).unwrap_or(i32::MAX)));
    }

    fn bool(&mut self, v: bool) {
        self.next(Kind::Bool).bools.push(v);
    }
}

fn parquet_error(e: ParquetError) -> io::Error {
    match e {
        ParquetError::External(e) => match e.downcast::<io::Error>() {
            Ok(io) => *io,
            Err(e) => io::Error::other(e),
        },
        e => io::Error::other(e),
    }
}

impl Table {
    /// A table whose columns `early` are filled when a row comes, and the others later, in the
    /// same order.
    fn new(
        name: &str,
        columns: &[(&str, Kind)],
        early: &'static [usize],
        files: &[String],
    ) -> io::Result<Self> {
        let mut schema = format!("message {name} {{\n");
        for (column, kind) in columns {
            schema.push_str(&kind.declaration(column));
            schema.push('\n');
        }
        schema.push('}');
        let schema = Arc::new(parse_message_type(&schema).map_err(parquet_error)?);
        // Every page is of oneway's making (`number_pages`, `plain_pages`, `dictionary_pages`);
        // the crate's properties only name the writer in the footer.
        let props = WriterProperties::builder()
            .set_created_by(format!("oneway {}", env!("CARGO_PKG_VERSION")));
        let file = File::new(
            Arc::new(SchemaDescriptor::new(schema)),
            Arc::new(props.build()),
            files.to_vec(),
        );
        let set = || -> Vec<Column> {
            columns
                .iter()
                .map(|(_, kind)| Column {
                    kind: Some(*kind),
                    ..Column::default()
                })
                .collect()
        };
        // A rendezvous: the encoder takes a row group only when it is done with the last.
        let (groups, to_encode) = mpsc::sync_channel(0);
        let (give_back, emptied) = mpsc::channel();
        let (send_bytes, written) = mpsc::channel();
        let (spent, reuse) = mpsc::channel();
        let encoder = std::thread::Builder::new()
            .name("oneway-parquet".into())
            .spawn(move || encode(file, to_encode, give_back, (send_bytes, reuse)))?;
        Ok(Table {
            columns: set(),
            spare: Some(set()),
            rows: 0,
            bytes: 0,
            early,
            pending: 0,
            groups: Some(groups),
            emptied,
            written,
            spent,
            encoder: Some(encoder),
        })
    }

    /// The early columns of the next row to come, to fill with [`Row::to`].
    fn early(&mut self) -> Row<'_> {
        self.pending += 1;
        Row {
            columns: &mut self.columns,
            at: 0,
            bytes: &mut self.bytes,
        }
    }

    /// The other columns of the oldest row whose early ones are filled (or of a row without
    /// early columns), to push in order, with [`Row::skip`] over the early ones.
    fn row(&mut self) -> Row<'_> {
        self.rows += 1;
        self.pending = self
            .pending
            .saturating_sub(usize::from(!self.early.is_empty()));
        Row {
            columns: &mut self.columns,
            at: 0,
            bytes: &mut self.bytes,
        }
    }

    /// Writes the row group if it is full.
    fn flush_if_full(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.rows >= ROW_GROUP_ROWS || self.bytes >= ROW_GROUP_BYTES {
            self.flush(out)?;
        }
        Ok(())
    }

    /// Hands the rows held to the encoder as one row group, and what it has written so far to
    /// `out`.
    fn flush(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.rows > 0 {
            let next = match self.spare.take() {
                Some(set) => set,
                // The encoder is done with the group before last when it gives its set back.
                None => match self.emptied.recv() {
                    Ok(set) => set,
                    Err(_) => return Err(self.encoder_error()),
                },
            };
            let mut full = std::mem::replace(&mut self.columns, next);
            // The rows begun and not ended go on in the next group.
            self.bytes = 0;
            for &c in self.early {
                full[c].carry(self.pending, &mut self.columns[c]);
                self.bytes += self.columns[c].bytes.len();
            }
            let sent = self.groups.as_ref().map(|g| g.send(full));
            if !matches!(sent, Some(Ok(()))) {
                return Err(self.encoder_error());
            }
            self.rows = 0;
        }
        self.write_out(out)
    }

    /// Writes the bytes the encoder has produced so far, and gives their buffers back.
    fn write_out(&mut self, out: &mut dyn Write) -> io::Result<()> {
        for bytes in self.written.try_iter() {
            out.write_all(&bytes)?;
            let _ = self.spent.send(bytes);
        }
        Ok(())
    }

    /// Why the encoder stopped (it ends only by an error before [`Table::finish`]).
    fn encoder_error(&mut self) -> io::Error {
        self.groups = None;
        match self.encoder.take().map(JoinHandle::join) {
            Some(Ok(Err(e))) => e,
            Some(Err(_)) => io::Error::other("parquet: the encoder thread panicked"),
            _ => io::Error::other("parquet: the encoder stopped"),
        }
    }

    /// Writes the last row group and the footer.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        debug_assert_eq!(self.pending, 0, "rows begun and never ended");
        self.flush(out)?;
        self.groups = None;
        let done = match self.encoder.take().map(JoinHandle::join) {
            Some(Ok(done)) => done,
            Some(Err(_)) => Err(io::Error::other("parquet: the encoder thread panicked")),
            None => Err(io::Error::other("parquet: the encoder stopped")),
        };
        self.write_out(out)?;
        done
    }
}

impl Drop for Table {
    /// An output that failed half way: the encoder ends with the rows it has.
    fn drop(&mut self) {
        self.groups = None;
        if let Some(encoder) = self.encoder.take() {
            let _ = encoder.join();
        }
    }
}

/// The columns of [`DATAGRAM_COLUMNS`] filled as a datagram comes: its bytes, which do not wait
/// with it for the ICMP error that may answer it (its other columns do).
const PAYLOAD: usize = 7;
const TEXT: usize = 12;

/// Appends the `text` column's value for `payload` to `out`: the payload escaped, if it is
/// printable (as jsonl's `text`); if it is not, nothing, and false (the column is null).
pub fn push_text(payload: &[u8], out: &mut Vec<u8>) -> bool {
    let printable = super::records::printable(payload);
    if printable {
        crate::escape::escape_bytes_into(payload, usize::MAX, out);
    }
    printable
}

/// `--format parquet`: one row per datagram.
pub struct DatagramWriter {
    table: Table,
}

impl DatagramWriter {
    /// A writer whose rows name their input among `files` (the only one when there is one),
    /// by the input's place in the row's [frame id](crate::analyze::frame_id).
    pub fn new(files: &[String]) -> io::Result<Self> {
        Ok(DatagramWriter {
            table: Table::new("datagram", DATAGRAM_COLUMNS, &[PAYLOAD, TEXT], files)?,
        })
    }

    /// Begins the row of the next datagram with its payload and its [text](push_text) (`None`:
    /// null), copied here once, as they come. [`DatagramWriter::datagram`] ends the rows in the
    /// same order. Returns the bytes the row holds so far.
    pub fn payload(&mut self, payload: &[u8], text: Option<&[u8]>) -> usize {
        let held = payload.len() + text.map_or(0, <[u8]>::len);
        let mut row = self.table.early();
        row.to(PAYLOAD).bytes(payload);
        row.to(TEXT).opt_str(text);
        held
    }

    /// Ends the oldest row begun with [`DatagramWriter::payload`]: the datagram's other columns,
    /// with its analysis, answered by the ICMP error `icmp` if any; a full row group goes to
    /// `out`.
    pub fn datagram(
        &mut self,
        out: &mut dyn Write,
        (frame, time): (u64, Option<Duration>),
        facts: &Facts,
        seen: Seen,
        reassembled: bool,
        icmp: Option<&str>,
    ) -> io::Result<()> {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let ns = |d: Duration| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
        let mut row = self.table.row();
        // The row's input and its own frame number there.
        let (input, frame) = split_frame_id(frame);
        row.int(n(frame));
        row.time(time);
        row.addr(facts.src);
        row.u16(facts.sport);
        row.addr(facts.dst);
        row.u16(facts.dport);
        row.u16(facts.length());
        row.skip(); // payload
        row.bool(reassembled);
        row.int(facts.captured.into());
        row.bool(facts.cut);
        row.bool(facts.bad_length);
        row.skip(); // text
        row.id(Kind::OptInt32, seen.conversation);
        let (to, after) = match seen.role {
            Role::Reply { to, after, .. } => (Some(split_frame_id(to)), after.map(ns)),
            Role::Request => (None, None),
        };
        let repeat = seen.repeat_of.map(split_frame_id);
        row.opt(Kind::OptInt64, to.map(|(_, f)| n(f)));
        row.opt(Kind::OptInt64, after);
        row.opt(Kind::OptInt64, repeat.map(|(_, f)| n(f)));
        row.opt_str(icmp.map(str::as_bytes));
        row.file(input);
        // The inputs of the frames it refers to (with several, a request may be in another).
        row.opt_file(to.map(|(i, _)| i));
        row.opt_file(repeat.map(|(i, _)| i));
        self.table.flush_if_full(out)
    }

    /// Writes the last row group and the footer.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.table.finish(out)
    }
}

/// `--summary --format parquet`: one row per conversation.
pub fn write_summary(out: &mut dyn Write, a: &Analyzer, files: &[String]) -> io::Result<()> {
    let mut table = Table::new("conversation", CONVERSATION_COLUMNS, &[], files)?;
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let ns = |d: Duration| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
    // One conversation at a time (not `Analyzer::conversations`, a copy of them all).
    for id in 1..=u32::try_from(a.conversation_count()).unwrap_or(u32::MAX) {
        let Some(c) = a.conversation(id) else {
            continue;
        };
        let mut row = table.row();
        row.id(Kind::Int32, Some(c.id));
        row.addr(c.a.addr);
        row.u16(c.a.port);
        row.addr(c.b.addr);
        row.u16(c.b.port);
        row.int(n(split_frame_id(c.first_frame).1));
        row.time(c.first_time);
        row.opt(Kind::OptInt64, c.duration().map(ns));
        for v in [c.packets[0], c.packets[1], c.bytes[0], c.bytes[1]] {
            row.int(n(v));
        }
        row.int(n(c.replies));
        row.int(n(c.unanswered_total()));
        row.opt(
            Kind::OptInt64,
            c.first_reply.map(|r| n(split_frame_id(r.reply).1)),
        );
        row.opt(Kind::OptInt64, c.first_reply.and_then(|r| r.after).map(ns));
        row.opt(
            Kind::OptInt64,
            c.first_reply.map(|r| n(split_frame_id(r.request).1)),
        );
        row.opt(Kind::OptInt64, c.first_reply.map(|r| i64::from(r.retries)));
        row.opt(
            Kind::OptInt64,
            c.first_reply
                .and_then(|r| r.first_try)
                .map(|(f, _)| n(split_frame_id(f).1)),
        );
        row.opt(
            Kind::OptInt64,
            c.first_reply.and_then(|r| r.first_try?.1).map(ns),
        );
        row.int(n(c.frame_bytes[0]));
        row.int(n(c.frame_bytes[1]));
        row.int(n(c.repeats));
        row.int(n(c.icmp_errors));
        row.opt(
            Kind::OptInt64,
            c.first_icmp.map(|i| n(split_frame_id(i.frame).1)),
        );
        row.opt_str(c.first_icmp.map(|i| i.what.as_bytes()));
        // The input of its first frame, and of each frame it refers to.
        let file = |f: u64| split_frame_id(f).0;
        row.file(file(c.first_frame));
        row.opt_file(c.first_reply.map(|r| file(r.reply)));
        row.opt_file(c.first_reply.map(|r| file(r.request)));
        row.opt_file(
            c.first_reply
                .and_then(|r| r.first_try)
                .map(|(f, _)| file(f)),
        );
        row.opt_file(c.first_icmp.map(|i| file(i.frame)));
        table.flush_if_full(out)?;
    }
    table.finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    fn facts(src: &str, sport: u16, dst: &str, dport: u16, payload: &[u8]) -> Facts {
        Facts::of(&crate::dissect::Udp {
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            sport,
            dport,
            length_field: 8 + payload.len() as u16,
            payload,
            cut: false,
            bad_length: false,
        })
    }

    /// Begins a row with `payload` and its text, as the reading thread prepares them.
    fn begin(w: &mut DatagramWriter, payload: &[u8]) {
        let mut text = Vec::new();
        let printable = push_text(payload, &mut text);
        w.payload(payload, printable.then_some(text.as_slice()));
    }

    /// The value of column `name` in `row`, as text.
    fn cell(row: &[(String, parquet::record::Field)], name: &str) -> String {
        row.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.to_string())
            .unwrap()
    }

    fn rows(file: Vec<u8>) -> (String, Vec<Vec<(String, parquet::record::Field)>>, usize) {
        let reader = SerializedFileReader::new(Bytes::from(file)).unwrap();
        let groups = reader.metadata().num_row_groups();
        let schema = parquet::schema::printer::print_schema;
        let mut s = Vec::new();
        schema(&mut s, reader.metadata().file_metadata().schema());
        let rows = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| {
                r.unwrap()
                    .get_column_iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .collect();
        (String::from_utf8(s).unwrap(), rows, groups)
    }

    #[test]
    fn datagrams_round_trip_with_their_types() {
        let mut a = Analyzer::new();
        let mut w = DatagramWriter::new(&["lab.pcap".into()]).unwrap();
        let mut out = Vec::new();
        let t = Duration::new(1_757_935_253, 709_480_000);
        let request = facts("172.19.0.3", 57314, "172.19.0.2", 12345, b"hi\x1b\0");
        let reply = facts("172.19.0.2", 12345, "172.19.0.3", 57314, b"ok");
        let seen = a.datagram(1, Some(t), &request);
        begin(&mut w, b"hi\x1b\0");
        w.datagram(&mut out, (1, Some(t)), &request, seen, false, None)
            .unwrap();
        let later = t + Duration::from_micros(283);
        let seen = a.datagram(4, Some(later), &reply);
        begin(&mut w, b"ok");
        w.datagram(&mut out, (4, Some(later)), &reply, seen, true, None)
            .unwrap();
        let v6 = facts("2001:db8::1", 9, "2001:db8::2", 53, b"");
        let seen = a.datagram(5, None, &v6);
        begin(&mut w, b"");
        w.datagram(
            &mut out,
            (5, None),
            &v6,
            seen,
            false,
            Some("port unreachable"),
        )
        .unwrap();
        w.finish(&mut out).unwrap();
        let (schema, rows, groups) = rows(out);
        assert_eq!(groups, 1);
        for line in [
            "REQUIRED BYTE_ARRAY file (STRING);",
            "OPTIONAL BYTE_ARRAY text (STRING);",
            "OPTIONAL INT64 time (TIMESTAMP(NANOS,true));",
            "REQUIRED INT32 sport (INTEGER(16,false));",
            "REQUIRED BYTE_ARRAY payload;",
        ] {
            assert!(schema.contains(line), "{line} in {schema}");
        }
        let names: Vec<&str> = rows[0].iter().map(|(k, _)| k.as_str()).collect();
        let want: Vec<&str> = DATAGRAM_COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, want);
        // The same fields in the same order as jsonl and csv.
        assert_eq!(want, crate::render::records::FIELDS);
        let get = |row: usize, name: &str| cell(&rows[row], name);
        assert_eq!(get(0, "text"), "null");
        assert_eq!(get(1, "text"), "\"ok\"");
        assert_eq!(get(2, "text"), "\"\"");
        assert_eq!(get(0, "icmp"), "null");
        assert_eq!(get(2, "icmp"), "\"port unreachable\"");
        assert_eq!(get(0, "file"), "\"lab.pcap\"");
        assert_eq!(get(0, "src"), "\"172.19.0.3\"");
        assert_eq!(get(0, "sport"), "57314");
        assert_eq!(get(0, "length"), "4");
        assert_eq!(get(0, "payload"), "[104, 105, 27, 0]");
        assert_eq!(get(0, "conv"), "1");
        assert_eq!(get(0, "reply_to"), "null");
        assert_eq!(get(1, "reply_to"), "1");
        assert_eq!(get(1, "reply_to_file"), "\"lab.pcap\"");
        assert_eq!(get(0, "reply_to_file"), "null");
        assert_eq!(get(0, "repeat_of_file"), "null");
        assert_eq!(get(1, "rtt_ns"), "283000");
        assert_eq!(get(1, "reassembled"), "true");
        assert_eq!(get(2, "dst"), "\"2001:db8::2\"");
        assert_eq!(get(2, "time"), "null");
        assert_eq!(get(2, "conv"), "2");
        // (The record reader shows nanosecond timestamps as their i64; the schema says the rest.)
        assert_eq!(get(0, "time"), t.as_nanos().to_string());
    }

    #[test]
    fn row_groups_are_written_as_they_fill() {
        let mut a = Analyzer::new();
        let mut w = DatagramWriter::new(&["-".into()]).unwrap();
        let mut out = Vec::new();
        let f = facts("10.0.0.1", 1, "10.0.0.2", 2, b"x");
        let mut written_before_the_end = 0;
        for frame in 1..=(ROW_GROUP_ROWS as u64 * 2 + 10) {
            let seen = a.datagram(frame, None, &f);
            begin(&mut w, b"x");
            w.datagram(&mut out, (frame, None), &f, seen, false, None)
                .unwrap();
            // A group goes out, encoded on the encoder's thread, once the next one is full.
            if frame == ROW_GROUP_ROWS as u64 * 2 + 1 {
                written_before_the_end = out.len();
            }
        }
        assert!(written_before_the_end > 1000, "the first group went out");
        w.finish(&mut out).unwrap();
        let reader = SerializedFileReader::new(Bytes::from(out)).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 3);
        assert_eq!(
            reader.metadata().file_metadata().num_rows(),
            ROW_GROUP_ROWS as i64 * 2 + 10
        );
    }

    #[test]
    fn rows_begun_as_a_group_fills_end_in_the_next() {
        // Payloads come ahead of the rest of their rows (rows wait for ICMP errors): those
        // begun when a row group fills go on in the next one, each with its own row.
        let mut a = Analyzer::new();
        let mut w = DatagramWriter::new(&["-".into()]).unwrap();
        let mut out = Vec::new();
        let total = ROW_GROUP_ROWS as u64 + 50;
        let ahead = 7;
        // Printable or not (text null), some empty, by frame.
        let payload = |frame: u64| -> Vec<u8> {
            match frame % 3 {
                0 => format!("frame {frame}").into_bytes(),
                1 => vec![0xff, frame as u8],
                _ => Vec::new(),
            }
        };
        let f = facts("10.0.0.1", 1, "10.0.0.2", 2, b"");
        for frame in 1..=total + ahead {
            if frame <= total {
                begin(&mut w, &payload(frame));
            }
            if frame > ahead {
                let done = frame - ahead;
                let seen = a.datagram(done, None, &f);
                w.datagram(&mut out, (done, None), &f, seen, false, None)
                    .unwrap();
            }
        }
        w.finish(&mut out).unwrap();
        let (_, rows, groups) = rows(out);
        assert_eq!(groups, 2);
        assert_eq!(rows.len() as u64, total);
        for (i, row) in rows.iter().enumerate() {
            let frame = i as u64 + 1;
            let bytes = payload(frame);
            assert_eq!(cell(row, "frame"), frame.to_string());
            assert_eq!(cell(row, "payload"), format!("{bytes:?}"), "frame {frame}");
            let text = match frame % 3 {
                1 => "null".to_string(),
                _ => format!("{:?}", String::from_utf8(bytes).unwrap()),
            };
            assert_eq!(cell(row, "text"), text, "frame {frame}");
        }
    }

    #[test]
    fn numbers_and_file_columns_read_back_with_their_statistics() {
        // Every kind that oneway encodes by hand, with the values that break encoders: the
        // extremes of each type (deltas that wrap), nulls in runs and alone, pages and delta
        // blocks cut anywhere, a row group of one row, and file names from a dictionary.
        const COLUMNS: &[(&str, Kind)] = &[
            ("i", Kind::Int64),
            ("o", Kind::OptInt64),
            ("t", Kind::Time),
            ("n", Kind::Int32),
            ("c", Kind::OptInt32),
            ("p", Kind::U16),
            ("b", Kind::Bool),
            ("f", Kind::File),
            ("g", Kind::OptFile),
        ];
        let files = ["a.pcap".to_string(), "b.pcap".into(), "c.pcap".into()];
        let mut table = Table::new("numbers", COLUMNS, &[], &files).unwrap();
        let mut rng = fastrand::Rng::with_seed(15);
        let total = 2 * ROW_GROUP_ROWS + 1;
        let extremes = [i64::MIN, i64::MAX, 0, -1, 1, i64::MIN + 1, i64::MAX - 1];
        let mut want = Vec::new();
        let mut out = Vec::new();
        for r in 0..total {
            let i = match r % 1000 {
                0..300 => extremes[r % extremes.len()],
                300..600 => r as i64 * 7 - 3000,
                _ => rng.i64(..),
            };
            // Nulls in long runs (the first 25,000 rows) and alone.
            let o = (r >= 25_000 && r % 5 != 0).then(|| rng.i64(-1000..1000));
            let t = (r % 3 != 0).then(|| 1_700_000_000_000_000_000 + r as i64 * 1000);
            let n = rng.u32(..);
            let c = (r % 2 == 0).then(|| rng.u32(..70_000));
            let p = [0, u16::MAX, rng.u16(..)][r % 3];
            let b = rng.bool();
            let (f, g) = (1 + r % 3, (r % 4 == 1).then_some(3 - r % 3));
            let mut row = table.row();
            row.int(i);
            row.opt(Kind::OptInt64, o);
            row.time(t.map(|t| Duration::from_nanos(t as u64)));
            row.id(Kind::Int32, Some(n));
            row.id(Kind::OptInt32, c);
            row.u16(p);
            row.bool(b);
            row.file(f);
            row.opt_file(g);
            table.flush_if_full(&mut out).unwrap();
            let n = i32::try_from(n).unwrap_or(i32::MAX);
            let c = c.map(|c| i32::try_from(c).unwrap());
            let name = |i: usize| format!("{:?}", files[i - 1]);
            let opt = |v: Option<String>| v.unwrap_or_else(|| "null".into());
            want.push(vec![
                i.to_string(),
                opt(o.map(|o| o.to_string())),
                opt(t.map(|t| t.to_string())),
                n.to_string(),
                opt(c.map(|c| c.to_string())),
                p.to_string(),
                b.to_string(),
                name(f),
                opt(g.map(name)),
            ]);
        }
        table.finish(&mut out).unwrap();
        let reader = SerializedFileReader::new(Bytes::from(out.clone())).unwrap();
        let meta = reader.metadata();
        assert_eq!(meta.num_row_groups(), 3);
        let (_, rows, _) = rows(out);
        assert_eq!(rows.len(), total);
        for (r, (row, want)) in rows.iter().zip(&want).enumerate() {
            let got: Vec<String> = row.iter().map(|(_, v)| v.to_string()).collect();
            assert_eq!(&got, want, "row {r}");
        }
        // Each chunk's minimum, maximum and nulls, as the rows say.
        let mut first = 0;
        for g in meta.row_groups() {
            let n = g.num_rows() as usize;
            let these = &want[first..first + n];
            for (k, (name, _)) in COLUMNS.iter().enumerate().take(7) {
                let stats = g.column(k).statistics().unwrap();
                let values: Vec<&String> = these
                    .iter()
                    .map(|r| &r[k])
                    .filter(|v| *v != "null")
                    .collect();
                assert_eq!(
                    stats.null_count_opt(),
                    Some((n - values.len()) as u64),
                    "{name}"
                );
                let show = |s: &Statistics, min: bool| match s {
                    Statistics::Int64(s) => {
                        format!("{:?}", if min { s.min_opt() } else { s.max_opt() })
                    }
                    Statistics::Int32(s) => {
                        format!("{:?}", if min { s.min_opt() } else { s.max_opt() })
                    }
                    Statistics::Boolean(s) => {
                        format!("{:?}", if min { s.min_opt() } else { s.max_opt() })
                    }
                    _ => unreachable!("{name}"),
                };
                let (lo, hi) = if *name == "b" {
                    let has = |v: &str| values.iter().any(|x| *x == v);
                    (
                        format!("{:?}", Some(&!has("false"))),
                        format!("{:?}", Some(&has("true"))),
                    )
                } else {
                    let v: Vec<i64> = values.iter().map(|v| v.parse().unwrap()).collect();
                    (
                        format!("{:?}", v.iter().min()),
                        format!("{:?}", v.iter().max()),
                    )
                };
                assert_eq!((show(stats, true), show(stats, false)), (lo, hi), "{name}");
            }
            first += n;
        }
    }

    #[test]
    fn a_footer_of_many_row_groups_reads_back() {
        // More than 14 row groups: the footer's list of them has its size after its header.
        let mut a = Analyzer::new();
        let mut w = DatagramWriter::new(&["-".into()]).unwrap();
        let mut out = Vec::new();
        let payload = vec![0xffu8; 40_000];
        let f = facts("10.0.0.1", 1, "10.0.0.2", 2, &payload);
        let total = 2100;
        for frame in 1..=total {
            begin(&mut w, &payload);
            let seen = a.datagram(frame, None, &f);
            w.datagram(&mut out, (frame, None), &f, seen, false, None)
                .unwrap();
        }
        w.finish(&mut out).unwrap();
        let reader = SerializedFileReader::new(Bytes::from(out)).unwrap();
        let meta = reader.metadata();
        assert!(
            meta.num_row_groups() >= 15,
            "{} groups",
            meta.num_row_groups()
        );
        assert_eq!(meta.file_metadata().num_rows(), total as i64);
        let mut frames = Vec::new();
        for row in reader.get_row_iter(None).unwrap() {
            frames.push(parquet::record::RowAccessor::get_long(&row.unwrap(), 0).unwrap());
        }
        assert_eq!(frames, (1..=total as i64).collect::<Vec<_>>());
        // Each row group where the footer says it is.
        let mut offset = 4;
        for g in meta.row_groups() {
            assert_eq!(g.file_offset(), Some(offset));
            offset += g.compressed_size();
        }
    }

    #[test]
    fn addresses_read_back_from_a_dictionary_or_plain_past_its_bound() {
        // 3,000 distinct sources: a dictionary, indices of 12 bits. 30,000 distinct long IPv6
        // sources (1.3 MB of distinct values): PLAIN, past DICTIONARY_BYTES.
        for (n, v6, dictionary) in [(3000u32, false, true), (30_000, true, false)] {
            let mut a = Analyzer::new();
            let mut w = DatagramWriter::new(&["-".into()]).unwrap();
            let mut out = Vec::new();
            let src = |i: u32| -> String {
                if v6 {
                    format!(
                        "2001:db8:1234:5678:9abc:def0:{:x}:{:x}",
                        0x1000 + i / 7,
                        0x8000 + i
                    )
                } else {
                    format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255)
                }
            };
            for i in 0..n {
                let f = facts(
                    &src(i),
                    1,
                    if v6 { "2001:db8::2" } else { "10.0.0.2" },
                    2,
                    b"",
                );
                begin(&mut w, b"");
                let frame = u64::from(i) + 1;
                let seen = a.datagram(frame, None, &f);
                w.datagram(&mut out, (frame, None), &f, seen, false, None)
                    .unwrap();
            }
            w.finish(&mut out).unwrap();
            let reader = SerializedFileReader::new(Bytes::from(out.clone())).unwrap();
            let chunk = reader.metadata().row_group(0).column(2).clone();
            assert_eq!(chunk.column_path().string(), "src");
            assert_eq!(
                chunk.dictionary_page_offset().is_some(),
                dictionary,
                "{n} sources"
            );
            let (_, rows, _) = rows(out);
            assert_eq!(rows.len(), n as usize);
            for (i, row) in rows.iter().enumerate() {
                assert_eq!(cell(row, "src"), format!("{:?}", src(i as u32)));
                assert_eq!(cell(row, "file"), "\"-\"");
            }
        }
    }

    #[test]
    fn the_spool_gives_back_what_it_kept_in_order_from_memory_and_file() {
        let mut spool = Spool::default();
        let mut all = Vec::new();
        for i in 0..3000u32 {
            let piece: Vec<u8> = (0..(i % 17)).map(|j| (i * 31 + j) as u8).collect();
            spool.append(&piece).unwrap();
            all.extend_from_slice(&piece);
        }
        assert!(spool.file.is_some(), "past SPOOL_BYTES, a file");
        assert!(spool.memory.len() <= SPOOL_BYTES);
        let mut back = Vec::new();
        spool.drain(|piece| back.extend_from_slice(&piece)).unwrap();
        assert_eq!(back, all);
    }

    #[test]
    fn conversations_one_row_each() {
        let mut a = Analyzer::new();
        let t = Some(Duration::new(10, 0));
        a.datagram(1, t, &facts("10.0.0.1", 1, "10.0.0.2", 2, b"abc"));
        a.datagram(2, t, &facts("10.0.0.2", 2, "10.0.0.1", 1, b"de"));
        a.datagram(3, None, &facts("10.0.0.3", 3, "10.0.0.2", 2, b""));
        let mut out = Vec::new();
        write_summary(&mut out, &a, &["-".into()]).unwrap();
        let (_, rows, _) = rows(out);
        assert_eq!(rows.len(), 2);
        let get = |row: usize, name: &str| cell(&rows[row], name);
        assert_eq!(get(0, "packets_ab"), "1");
        assert_eq!(get(0, "bytes_ba"), "2");
        assert_eq!(get(0, "replies"), "1");
        assert_eq!(get(1, "a"), "\"10.0.0.3\"");
        assert_eq!(get(1, "start"), "null");
    }
}
