//! Many inputs: the paths given, each directory replaced by the captures in it.
//!
//! A directory's captures are told from its other files by their first bytes (a capture magic
//! number, or gzip whose first decompressed bytes are one), never by their names; they are taken
//! in natural order of their names (`cap.pcap2` before `cap.pcap10`, as `ls -v`), and whatever
//! else the directory holds is named on stderr, once, as skipped. Directories are not descended.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use flate2::read::GzDecoder;

use crate::capture::is_capture_magic;
use crate::escape::escape;
use crate::i18n::tr;

/// What the paths given name.
#[derive(Debug, Default)]
pub struct Listed {
    /// The captures, in the order given (a directory's in natural order of their names).
    pub files: Vec<PathBuf>,
    /// What could not be listed (a directory that cannot be read), each naming its path.
    pub errors: Vec<anyhow::Error>,
    /// For each directory with something else in it, one line saying what was skipped.
    pub skipped: Vec<String>,
}

/// Lists the captures `paths` name: a file as it is (whatever it holds: opening it says), a
/// directory as the captures in it.
pub fn list(paths: &[PathBuf]) -> Listed {
    let mut listed = Listed::default();
    for path in paths {
        if !path.is_dir() {
            listed.files.push(path.clone());
            continue;
        }
        match directory(path) {
            Ok((files, skipped)) => {
                if files.is_empty() {
                    let dir = path.display().to_string();
                    listed
                        .errors
                        .push(anyhow::anyhow!(tr!("inputs-empty-dir", dir = dir)));
                }
                listed.files.extend(files);
                if !skipped.is_empty() {
                    listed.skipped.push(tr!(
                        "inputs-skipped",
                        dir = path.display().to_string(),
                        n = skipped.len(),
                        names = skipped.join(", ")
                    ));
                }
            }
            Err(e) => listed.errors.push(e),
        }
    }
    listed
}

/// The captures in `dir`, in natural order, and the names of what else is there.
fn directory(dir: &Path) -> anyhow::Result<(Vec<PathBuf>, Vec<String>)> {
    let cannot = || tr!("inputs-cannot-read-dir", dir = dir.display().to_string());
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(cannot)? {
        names.push(entry.with_context(cannot)?.file_name());
    }
    names.sort_by(|a, b| natural(&a.to_string_lossy(), &b.to_string_lossy()).then(a.cmp(b)));
    let (mut files, mut skipped) = (Vec::new(), Vec::new());
    for name in names {
        let path = dir.join(&name);
        let shown = escape(name.as_encoded_bytes());
        // Looked at before it is opened: opening a FIFO would wait for a writer.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => skipped.push(format!("{shown}/ ({})", tr!("inputs-skip-dir"))),
            Ok(m) if !m.is_file() => {
                skipped.push(format!("{shown} ({})", tr!("inputs-skip-special")));
            }
            Ok(_) if sniff(&path).unwrap_or(false) => files.push(path),
            Ok(_) => skipped.push(shown),
            // A broken link, a file gone or not allowed.
            Err(_) => skipped.push(format!("{shown} ({})", tr!("inputs-skip-unreadable"))),
        }
    }
    Ok((files, skipped))
}

/// Whether the file at `path` begins as a capture, or as gzip that decompresses to one.
fn sniff(path: &Path) -> io::Result<bool> {
    let mut file = File::open(path)?;
    let Some(head) = first4(&mut file)? else {
        return Ok(false);
    };
    if head[..2] == [0x1f, 0x8b] {
        let mut gz = GzDecoder::new(File::open(path)?);
        return Ok(first4(&mut gz)?.is_some_and(is_capture_magic));
    }
    Ok(is_capture_magic(head))
}

/// The first four bytes of `r`, if it has four.
fn first4(r: &mut impl Read) -> io::Result<Option<[u8; 4]>> {
    let mut head = [0u8; 4];
    match r.read_exact(&mut head) {
        Ok(()) => Ok(Some(head)),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

/// Compares names as `ls -v` does: runs of digits as numbers, the rest as text.
fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (run(a), run(b));
                let strip = |s: &[u8]| {
                    let zeros = s.iter().take_while(|c| **c == b'0').count();
                    s[zeros..].to_vec()
                };
                let (da, db) = (strip(&a[..na]), strip(&b[..nb]));
                let order = da.len().cmp(&db.len()).then_with(|| da.cmp(&db));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (&a[na..], &b[nb..]);
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => (a, b) = (&a[1..], &b[1..]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::natural;
    use std::cmp::Ordering::*;

    #[test]
    fn names_sort_as_ls_v_does() {
        let mut names = vec![
            "cap.pcap10",
            "cap.pcap2",
            "cap.pcap",
            "cap.pcap1",
            "a",
            "cap.pcap02",
        ];
        names.sort_by(|a, b| natural(a, b).then(a.cmp(b)));
        assert_eq!(
            names,
            [
                "a",
                "cap.pcap",
                "cap.pcap1",
                "cap.pcap02",
                "cap.pcap2",
                "cap.pcap10"
            ]
        );
        assert_eq!(natural("x9", "x10"), Less);
        assert_eq!(natural("x10", "x10"), Equal);
        assert_eq!(natural("b", "a1"), Greater);
    }
}
