//! The differential test: every capture under `fixtures/` (and `fixtures/lab/`, and every
//! directory named in `ONEWAY_TSHARK_DIRS`, `:`-separated) is read by `oneway inspect --format
//! jsonl` and by `tshark -T fields`, and the two must list the same UDP datagrams: frame number,
//! time, addresses, ports, length and payload.
//!
//! Only the outermost UDP layer of a frame counts, as in oneway: tshark prints repeated fields
//! (a VXLAN frame's inner UDP, a tunnel's inner IP) comma-separated, and the test takes the values
//! of the first UDP layer and of the IP layer right before it, found from `frame.protocols`.
//! Frames whose first UDP layer follows an ICMP/ICMPv6 layer are the UDP header quoted in an ICMP
//! error, not a datagram: they are left out. tshark reassembles IP fragments by default and
//! reports the datagram at the frame that completed it, as oneway does.
//!
//! Skipped with a message when tshark is not installed.

#[path = "../examples/make_hostile.rs"]
#[allow(dead_code)]
mod make_hostile;
mod oracle;
mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use oracle::{Datagram, oneway, short, tshark, tshark_present};

/// How oneway may differ from tshark where tshark is not the reference.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Difference {
    /// The same datagram, with a payload that is a prefix of tshark's (the record ends sooner).
    ShorterPayload,
    /// oneway lists a datagram that tshark does not.
    OnlyOneway,
    /// The same datagram, without a time where tshark shows one before 1970.
    NoTimeBefore1970,
}

/// Where tshark is not the reference: (file name, frame, how, why). Each is listed as a known
/// difference; any other difference fails the test.
const KNOWN: &[(&str, u64, Difference, &str)] = &[
    (
        "caplen-over-snaplen.pcap",
        2,
        Difference::ShorterPayload,
        "the record is longer than the file's snaplen: oneway keeps the first snaplen bytes, as \
         tcpdump (libpcap) does; tshark reads the whole record",
    ),
    (
        "real-vxlan-any.pcap",
        21,
        Difference::OnlyOneway,
        "the reply's IPv4 fragments were captured twice in one pcap interface, first inside VXLAN \
         on veth-a (frames 16, 18, 20), then on vx42 (17, 19, 21); tshark reassembles them \
         inside the tunnel at frame 20 and takes the vx42 copies for duplicates, so it never \
         reports the datagram vx42 received; oneway does not look inside the tunnel and \
         reassembles the vx42 copy at frame 21, as it does for the request (frames 10, 12, 14, \
         where tshark agrees)",
    ),
    (
        "no-such-interface.pcapng",
        3,
        Difference::OnlyOneway,
        "frame 2 is a packet block of an interface the section does not describe: tshark stops \
         reading the file there; oneway sets the block aside (an unreadable record) and reads \
         on, as it does for any block whose framing is sound",
    ),
    (
        "before-1970.pcapng",
        1,
        Difference::NoTimeBefore1970,
        "the packet's time falls before 1970 after its interface's if_tsoffset: tshark shows a \
         negative epoch time; oneway lists the datagram without a time and says so in a note \
         (its times are durations since 1970: README, deliberate differences)",
    ),
];

/// Captures tshark cannot read at all: (file name, why). They are listed as not compared; the
/// golden files and the README hold what oneway must show, checked with tcpdump.
const UNREADABLE_BY_TSHARK: &[(&str, &str)] = &[(
    "ppp-pppd.pcap",
    "tshark 4.0 does not know link type 166 (PPP_PPPD); tcpdump 4.99 reads it",
)];

fn known(
    file: &Path,
    frame: u64,
    theirs: Option<&Datagram>,
    ours: Option<&Datagram>,
) -> Option<&'static str> {
    let name = file.file_name()?.to_str()?;
    let (_, _, how, why) = KNOWN
        .iter()
        .find(|(n, f, _, _)| *n == name && *f == frame)?;
    let fits = match (how, theirs, ours) {
        (Difference::ShorterPayload, Some(t), Some(o)) => {
            let same_but_payload = Datagram {
                payload: t.payload.clone(),
                ..o.clone()
            } == *t;
            same_but_payload && t.payload.starts_with(&o.payload)
        }
        (Difference::OnlyOneway, None, Some(_)) => true,
        (Difference::NoTimeBefore1970, Some(t), Some(o)) => {
            o.time.is_none()
                && t.time.is_some_and(|t| t < 0)
                && Datagram {
                    time: t.time,
                    ..o.clone()
                } == *t
        }
        _ => false,
    };
    fits.then_some(*why)
}

fn captures_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e == "pcap" || e == "pcapng" || e == "cap")
        })
        .collect();
    v.sort();
    v
}

/// Every capture compared: the fixtures, the crafted hostile ones (those too big to commit
/// written to a scratch directory), and those of `ONEWAY_TSHARK_DIRS`.
fn all_captures() -> Vec<PathBuf> {
    let generated = std::env::temp_dir().join(format!("oneway-tshark-{}", std::process::id()));
    make_hostile::write_generated(&generated).expect("temp dir is writable");
    let mut dirs = vec![
        PathBuf::from("fixtures"),
        PathBuf::from("fixtures/lab"),
        PathBuf::from("fixtures/hostile"),
        generated,
    ];
    if let Some(extra) = std::env::var_os("ONEWAY_TSHARK_DIRS") {
        dirs.extend(std::env::split_paths(&extra));
    }
    dirs.iter().flat_map(|d| captures_in(d)).collect()
}

/// How one capture compares.
struct Comparison {
    /// The per-file line.
    line: String,
    agree: usize,
    total: usize,
    failures: Vec<String>,
}

fn compare(file: &Path) -> Comparison {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some((_, why)) = UNREADABLE_BY_TSHARK.iter().find(|(n, _)| *n == name) {
        return Comparison {
            line: format!("{}: not compared: {why}", file.display()),
            agree: 0,
            total: 0,
            failures: Vec::new(),
        };
    }
    let (theirs, ours) = match (tshark(file), oneway(file)) {
        (Ok(t), Ok(o)) => (t, o),
        (Err(e), _) | (_, Err(e)) => {
            return Comparison {
                line: format!("{}: not compared", file.display()),
                agree: 0,
                total: 0,
                failures: vec![format!("{}: {e}", file.display())],
            };
        }
    };
    let mut frames: Vec<u64> = theirs.keys().chain(ours.keys()).copied().collect();
    frames.sort_unstable();
    frames.dedup();
    let (mut agree, mut known_here, mut failures) = (0, Vec::new(), Vec::new());
    for f in &frames {
        match (theirs.get(f), ours.get(f)) {
            (Some(t), Some(o)) if t == o => agree += 1,
            (t, o) if t != o && known(file, *f, t, o).is_some() => {
                known_here.push(format!(
                    "frame {f}: {}",
                    known(file, *f, t, o).unwrap_or("")
                ));
            }
            (Some(t), Some(o)) => failures.push(format!(
                "{} frame {f}:\n  tshark: {}\n  oneway: {}",
                file.display(),
                short(t),
                short(o)
            )),
            (Some(t), None) => failures.push(format!(
                "{} frame {f}: only tshark lists it: {}",
                file.display(),
                short(t)
            )),
            (None, Some(o)) => failures.push(format!(
                "{} frame {f}: only oneway lists it: {}",
                file.display(),
                short(o)
            )),
            (None, None) => {}
        }
    }
    let line = format!(
        "{}: {agree}/{} datagrams agree{}",
        file.display(),
        frames.len(),
        if known_here.is_empty() {
            String::new()
        } else {
            format!(", known differences: {}", known_here.join("; "))
        }
    );
    Comparison {
        line,
        agree,
        total: frames.len(),
        failures,
    }
}

#[test]
fn oneway_agrees_with_tshark() {
    if !tshark_present() {
        util::missing("tshark (apt-get install tshark), for the differential test");
        return;
    }
    let captures = all_captures();
    assert!(!captures.is_empty(), "no captures found under fixtures/");
    // A few captures at a time: tshark's start-up dominates.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Comparison)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = captures.get(i) else { break };
                        done.push((i, compare(file)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a comparison thread panicked"))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    let (mut agree, mut total, mut failures) = (0, 0, Vec::new());
    for (_, c) in results {
        eprintln!("{}", c.line);
        agree += c.agree;
        total += c.total;
        failures.extend(c.failures);
    }
    eprintln!(
        "{} captures: {agree}/{total} datagrams agree",
        captures.len()
    );
    assert!(
        failures.is_empty(),
        "oneway and tshark disagree:\n{}",
        failures.join("\n")
    );
}

/// Per conversation (its two endpoints as `addr:port`, in tshark's order A, B): frames and bytes
/// A→B, then B→A. Bytes as tshark prints them: exact below 10,000, else in kB (or MB…).
type Conversations = BTreeMap<(String, String), [(u64, Bytes); 2]>;

/// Bytes as tshark's conversation table prints them: exact, or `n` of a unit of `scale` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bytes {
    n: u64,
    scale: u64,
}

impl Bytes {
    /// Whether `exact` bytes print as this (tshark rounds to the unit; allow either way).
    fn fits(&self, exact: u64) -> bool {
        if self.scale == 1 {
            exact == self.n
        } else {
            (exact / self.scale).abs_diff(self.n) <= 1
        }
    }
}

/// `tshark -q -z conv,udp`: the UDP conversation table.
fn tshark_conversations(file: &Path) -> Result<Conversations, String> {
    let out = Command::new("tshark")
        .args(["-n", "-q", "-r"])
        .arg(file)
        .args(["-z", "conv,udp"])
        .output()
        .map_err(|e| format!("tshark: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut convs = BTreeMap::new();
    for line in text.lines().filter(|l| l.contains(" <-> ")) {
        let t: Vec<&str> = line.split_whitespace().collect();
        // A <-> B  frames bytes unit  frames bytes unit  (B→A first: "<-", then A→B: "->")
        let bytes = |n: &str, unit: &str| -> Result<Bytes, String> {
            let n = n
                .parse()
                .map_err(|_| format!("tshark bytes {n:?} in {line:?}"))?;
            let scale = match unit {
                "bytes" => 1,
                "kB" => 1_000,
                "MB" => 1_000_000,
                "GB" => 1_000_000_000,
                _ => return Err(format!("tshark unit {unit:?} in {line:?}")),
            };
            Ok(Bytes { n, scale })
        };
        let frames = |n: &str| -> Result<u64, String> {
            n.parse()
                .map_err(|_| format!("tshark frames {n:?} in {line:?}"))
        };
        if t.len() < 9 || t[1] != "<->" {
            return Err(format!("tshark printed an unexpected line: {line:?}"));
        }
        let ba = (frames(t[3])?, bytes(t[4], t[5])?);
        let ab = (frames(t[6])?, bytes(t[7], t[8])?);
        convs.insert((t[0].to_string(), t[2].to_string()), [ab, ba]);
    }
    Ok(convs)
}

/// Per conversation (A, B as `addr:port`): frames and frame bytes A→B, then B→A.
type OurConversations = BTreeMap<(String, String), [(u64, u64); 2]>;

/// `oneway inspect --summary --format jsonl`: per conversation (A, B), frames and frame bytes
/// each way.
fn oneway_conversations(file: &Path) -> Result<OurConversations, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_oneway"))
        .arg("inspect")
        .arg(file)
        .args(["--summary", "--format", "jsonl"])
        .output()
        .map_err(|e| format!("oneway: {e}"))?;
    let mut convs = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("oneway printed {line:?}: {e}"))?;
        let n = |k: &str| v[k].as_u64().unwrap_or(u64::MAX);
        let end = |a: &str, p: &str| format!("{}:{}", v[a].as_str().unwrap_or(""), n(p));
        convs.insert(
            (end("a", "aport"), end("b", "bport")),
            [
                (n("packets_ab"), n("frame_bytes_ab")),
                (n("packets_ba"), n("frame_bytes_ba")),
            ],
        );
    }
    Ok(convs)
}

/// Where tshark's conversation table is not the reference: (file name, why). Its conversations
/// are still compared, but those only one side lists are reported, not failed.
const CONVERSATIONS_KNOWN: &[(&str, &str)] = &[
    (
        "vxlan.pcap",
        "tshark counts the UDP inside the VXLAN tunnel as a conversation; oneway counts only the \
         outermost UDP header of a frame, as README says",
    ),
    (
        "real-vxlan.pcap",
        "tshark counts the UDP inside the VXLAN tunnel; oneway only the outermost",
    ),
    (
        "real-vxlan-any.pcap",
        "tshark counts the UDP inside VXLAN (on veth-a) and its copy on vx42 as one \
         conversation; oneway counts the vx42 copy only (the outermost UDP of each frame)",
    ),
    (
        "tunnels.pcap",
        "tshark counts the UDP inside GTP-U and Teredo; oneway only the outermost",
    ),
    (
        "udp-length-lies.pcap",
        "one datagram's UDP length field is below 8: tshark lists the datagram but its UDP \
         dissector stops before its conversation tap; oneway counts it in its conversation",
    ),
    (
        "udp-length-0.pcap",
        "the request's UDP length field is 0 (below 8): as in udp-length-lies.pcap",
    ),
    (
        "udp-length-7.pcap",
        "the request's UDP length field is 7 (below 8): as in udp-length-lies.pcap",
    ),
    (
        "no-such-interface.pcapng",
        "tshark stops reading at the packet block of an interface not described; oneway sets \
         that block aside and reads on, so it counts the reply after it",
    ),
];

/// The summary's conversations against tshark's (`-z conv,udp`): the same conversations, frames
/// each way, bytes each way (frame bytes, as tshark counts them), on every capture.
#[test]
fn conversations_agree_with_tshark() {
    if !tshark_present() {
        util::missing("tshark (apt-get install tshark), for the differential test");
        return;
    }
    let captures = all_captures();
    let (mut agree, mut total, mut failures) = (0, 0, Vec::new());
    for file in &captures {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        if UNREADABLE_BY_TSHARK.iter().any(|(n, _)| *n == name) {
            eprintln!("{name}: not compared (tshark cannot read it)");
            continue;
        }
        let theirs = match tshark_conversations(file) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let ours = match oneway_conversations(file) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let mut here = Vec::new();
        let mut matched = 0;
        for ((a, b), t) in &theirs {
            total += 1;
            let found = ours
                .get(&(a.clone(), b.clone()))
                .map(|o| [o[0], o[1]])
                .or_else(|| ours.get(&(b.clone(), a.clone())).map(|o| [o[1], o[0]]));
            match found {
                Some(o) if (0..2).all(|d| o[d].0 == t[d].0 && t[d].1.fits(o[d].1)) => matched += 1,
                Some(o) => here.push(format!(
                    "{a} <-> {b}: tshark {:?}/{:?} and {:?}/{:?}, oneway {:?} and {:?}",
                    t[0].0, t[0].1, t[1].0, t[1].1, o[0], o[1]
                )),
                None => here.push(format!("{a} <-> {b}: only tshark lists it")),
            }
        }
        for (a, b) in ours.keys() {
            let listed = theirs.contains_key(&(a.clone(), b.clone()))
                || theirs.contains_key(&(b.clone(), a.clone()));
            if !listed {
                total += 1;
                here.push(format!("{a} <-> {b}: only oneway lists it"));
            }
        }
        agree += matched;
        let known = CONVERSATIONS_KNOWN.iter().find(|(n, _)| *n == name);
        match known {
            Some((_, why)) if !here.is_empty() => {
                eprintln!(
                    "{name}: {matched} agree; known differences ({why}): {}",
                    here.join("; ")
                )
            }
            _ if here.is_empty() => eprintln!("{name}: {matched} conversations agree"),
            _ => failures.extend(here.into_iter().map(|h| format!("{name}: {h}"))),
        }
    }
    eprintln!(
        "{} captures: {agree}/{total} conversations agree with tshark -z conv,udp",
        captures.len()
    );
    assert!(
        failures.is_empty(),
        "oneway's summary and tshark's conversations disagree:\n{}",
        failures.join("\n")
    );
}

/// An ICMP error about a UDP datagram, as either tool reports it: who sent it, to which
/// address (the quoted datagram's sender), what it says, and the frame of the datagram it
/// answers (the last one from the quoted sender to the quoted destination before it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct IcmpSeen {
    from: String,
    to: String,
    what: String,
    answers: Option<u64>,
}

/// The name oneway gives an ICMP destination unreachable (IPv4 type 3) or ICMPv6 destination
/// unreachable (type 1) code.
fn icmp_what(v6: bool, code: u8) -> &'static str {
    match (v6, code) {
        (false, 3) | (true, 4) => "port unreachable",
        (false, 1) => "host unreachable",
        (false, 0) => "network unreachable",
        (false, 2) => "protocol unreachable",
        (false, 4) => "fragmentation needed",
        (true, 3) => "address unreachable",
        (true, 0) => "no route",
        _ => "destination unreachable",
    }
}

const ICMP_FIELDS: &[&str] = &[
    "frame.number",
    "frame.protocols",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "icmp.code",
    "icmpv6.code",
    "udp.srcport",
    "udp.dstport",
];

/// The ICMP errors about UDP that tshark sees (its `icmp`/`icmpv6` fields and the quoted IP and
/// UDP headers), by frame, with the datagram each answers among `datagrams` (tshark's own list).
/// Errors quoting a pair of endpoints that exchanged no datagram are left out: oneway has no
/// conversation to attach them to (it counts them in its summary).
fn tshark_icmp(
    file: &Path,
    datagrams: &BTreeMap<u64, Datagram>,
) -> Result<BTreeMap<u64, IcmpSeen>, String> {
    let filter = "(icmp.type == 3 || icmpv6.type == 1) && udp";
    let mut map = BTreeMap::new();
    for row in oracle::fields(file, filter, ICMP_FIELDS)? {
        let col: Vec<&str> = row.iter().map(String::as_str).collect();
        let frame: u64 = col[0].parse().map_err(|_| format!("frame {:?}", col[0]))?;
        let stack: Vec<&str> = col[1].split(':').collect();
        let Some(k) = stack.iter().position(|p| *p == "icmp" || *p == "icmpv6") else {
            continue;
        };
        let v6 = stack[k] == "icmpv6";
        // Which occurrence of each repeated field: count the layers before.
        let count = |upto: usize, name: &str| stack[..upto].iter().filter(|p| **p == name).count();
        let outer = stack[..k].iter().rposition(|p| *p == "ip" || *p == "ipv6");
        let inner = stack[k..]
            .iter()
            .position(|p| *p == "ip" || *p == "ipv6")
            .map(|i| i + k);
        let (Some(outer), Some(inner)) = (outer, inner) else {
            continue;
        };
        let addr = |at: usize, which: usize| {
            if stack[at] == "ip" {
                oracle::nth(col[2 + which], count(at, "ip"))
            } else {
                oracle::nth(col[4 + which], count(at, "ipv6"))
            }
        };
        let udp_at = count(inner, "udp");
        let code: u8 = oracle::nth(if v6 { col[7] } else { col[6] }, 0)
            .parse()
            .unwrap_or(255);
        let (qsrc, qdst) = (addr(inner, 0), addr(inner, 1));
        let sport: u16 = oracle::nth(col[8], udp_at).parse().unwrap_or(0);
        let dport: u16 = oracle::nth(col[9], udp_at).parse().unwrap_or(0);
        let pair = |d: &Datagram, a: &str, ap: u16, b: &str, bp: u16| {
            d.src == a && d.sport == ap && d.dst == b && d.dport == bp
        };
        let known = datagrams
            .values()
            .any(|d| pair(d, &qsrc, sport, &qdst, dport) || pair(d, &qdst, dport, &qsrc, sport));
        if !known {
            continue;
        }
        let answers = datagrams
            .range(..frame)
            .rev()
            .find(|(_, d)| pair(d, &qsrc, sport, &qdst, dport))
            .map(|(f, _)| *f);
        map.insert(
            frame,
            IcmpSeen {
                from: addr(outer, 0),
                to: qsrc,
                what: icmp_what(v6, code).to_string(),
                answers,
            },
        );
    }
    Ok(map)
}

/// The ICMP rows of oneway's table, by frame.
fn oneway_icmp(file: &Path) -> Result<BTreeMap<u64, IcmpSeen>, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_oneway"))
        .arg("inspect")
        .arg(file)
        .args(["--lang", "en"])
        .output()
        .map_err(|e| format!("oneway: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // "", #, time, conv, source, destination, len, payload, note, ""
        if cells.len() != 10 || cells[6] != "-" || !cells[8].starts_with("ICMP ") {
            continue;
        }
        let Ok(frame) = cells[1].parse::<u64>() else {
            continue;
        };
        let note = &cells[8]["ICMP ".len()..];
        let (what, answers) = match note.split_once(" for frame ") {
            Some((what, n)) => (what, n.parse().ok()),
            None => (
                note.split(" for a datagram to ").next().unwrap_or(note),
                None,
            ),
        };
        map.insert(
            frame,
            IcmpSeen {
                from: cells[4].to_string(),
                to: cells[5].to_string(),
                what: what.to_string(),
                answers,
            },
        );
    }
    Ok(map)
}

/// The ICMP errors oneway attaches (the table's ICMP rows) against tshark's `icmp`/`icmpv6`
/// fields on every capture: the same frames, senders, quoted senders, type and code, and the
/// datagram each answers.
#[test]
fn icmp_errors_agree_with_tshark() {
    if !tshark_present() {
        util::missing("tshark (apt-get install tshark), for the differential test");
        return;
    }
    let captures = all_captures();
    let (mut agree, mut total, mut failures) = (0, 0, Vec::new());
    for file in &captures {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        if UNREADABLE_BY_TSHARK.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let result = tshark(file).and_then(|d| {
            let theirs = tshark_icmp(file, &d)?;
            Ok((theirs, oneway_icmp(file)?))
        });
        let (theirs, ours) = match result {
            Ok(both) => both,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if theirs.is_empty() && ours.is_empty() {
            continue;
        }
        let mut frames: Vec<u64> = theirs.keys().chain(ours.keys()).copied().collect();
        frames.sort_unstable();
        frames.dedup();
        let mut here = 0;
        for f in &frames {
            total += 1;
            match (theirs.get(f), ours.get(f)) {
                (Some(t), Some(o)) if t == o => here += 1,
                (t, o) => failures.push(format!(
                    "{name} frame {f}:\n  tshark: {t:?}\n  oneway: {o:?}"
                )),
            }
        }
        agree += here;
        eprintln!("{name}: {here}/{} ICMP errors agree", frames.len());
    }
    eprintln!(
        "{} captures: {agree}/{total} ICMP errors about UDP agree with tshark's icmp/icmpv6 fields",
        captures.len()
    );
    assert!(
        failures.is_empty(),
        "oneway's ICMP rows and tshark disagree:\n{}",
        failures.join("\n")
    );
}
