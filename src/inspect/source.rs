//! Where inspect's records come from: a capture file, or a capture on stdin.
//!
//! A source hands out [`Record`]s one at a time, in capture order, and says at the end what it had
//! to set aside. The reading thread ([`super::reader`]) is generic over [`Source`], so a new kind
//! of input (a live interface, many files merged by time) is a new type implementing it, in a file
//! of its own, and one line in [`open`] — not a branch in the pipeline.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::Context as _;

use crate::capture::{Capture, CaptureError, Record};

/// A supply of records.
pub trait Source: Send {
    /// The next record; `None` at the end. After an error, always `None`.
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>>;
    /// What was set aside so far, in words, for the summary.
    fn notes(&self) -> Vec<String>;
}

impl<R: Read + Send> Source for Capture<R> {
    fn next_record(&mut self) -> Option<Result<Record<'_>, CaptureError>> {
        Capture::next_record(self)
    }

    fn notes(&self) -> Vec<String> {
        Capture::notes(self)
    }
}

/// An input, opened and its header read.
pub struct Opened<S> {
    /// How messages name it: the path, or `stdin`.
    pub label: String,
    /// Its container format, as the summary says it ("pcapng", …).
    pub container: String,
    /// Its records.
    pub source: S,
}

/// Opens `path` (`-` is stdin) as a pcap or pcapng capture, told apart by magic number.
pub fn open(path: &Path) -> anyhow::Result<Opened<Capture<Box<dyn Read + Send>>>> {
    let stdin = path == Path::new("-");
    let name = path.display().to_string();
    let input: Box<dyn Read + Send> = if stdin {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path).with_context(|| format!("cannot open {name}"))?)
    };
    let label = if stdin { "stdin".to_string() } else { name };
    let capture = Capture::open(input).with_context(|| label.clone())?;
    Ok(Opened {
        label,
        container: capture.format().to_string(),
        source: capture,
    })
}
