//! The HTML report, as a student's browser shows it: headless Chromium lays the page out at 1,400
//! and 800 px, and a measuring script (added to a copy of the page; the report itself has no
//! script) reads the layout back: the page never overflows, the diagram fits or scrolls inside
//! its frame with the host names in view, no label crosses a lifeline, every frame of the story
//! has its arrow and its row, and every payload's whole escaped text is in the page.
//!
//! Screenshots are kept in `target/tmp/report-*.png` for a person to look at.

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Reads the layout and writes it, as JSON, into `<pre id="measure">`.
const MEASURE: &str = r#"<script>
(() => {
  const r = {};
  r.innerWidth = window.innerWidth;
  r.pageWidth = document.documentElement.scrollWidth;
  r.text = document.body.innerText;
  const svg = document.querySelector('svg.arrows');
  const box = document.querySelector('div.diagram');
  if (svg && box) {
    const xs = JSON.parse(svg.dataset.lifelines);
    r.lifelines = xs;
    r.crossings = [];
    for (const t of svg.querySelectorAll('text.port')) {
      const b = t.getBBox();
      for (const x of xs) {
        if (b.x + 0.5 < x && x < b.x + b.width - 0.5) r.crossings.push(t.textContent + ' crosses x=' + x);
      }
    }
    r.hostOverflow = [];
    for (const g of document.querySelectorAll('svg.hosts g.host')) {
      const rect = g.querySelector('rect').getBBox();
      const text = g.querySelector('text').getBBox();
      if (text.x < rect.x || text.x + text.width > rect.x + rect.width) r.hostOverflow.push(g.querySelector('text').textContent);
    }
    const first = Math.min(...xs);
    r.arrows = [];
    for (const g of svg.querySelectorAll('g.arrow')) {
      const note = g.querySelector('text.note').getBBox();
      const when = g.querySelector('text.when').getBBox();
      r.arrows.push({
        frame: Number(g.dataset.frame),
        kind: g.getAttribute('class'),
        title: g.querySelector('title').textContent,
        // The row's words stand left of the first lifeline, inside the frame's visible width.
        wordsLeftOfLines: note.x + note.width < first && when.x + when.width < note.x + 1,
        wordsInView: note.x + note.width <= box.clientWidth,
        y: when.y,
      });
    }
    r.fits = box.scrollWidth <= box.clientWidth;
    r.scrolls = box.scrollHeight > box.clientHeight;
    box.scrollTop = box.scrollHeight;
    box.scrollLeft = box.scrollWidth;
    const hosts = document.querySelector('svg.hosts').getBoundingClientRect();
    r.hostsOffset = hosts.top - box.getBoundingClientRect().top;
  }
  r.rows = {};
  for (const tr of document.querySelectorAll('table.datagrams tr[id]')) {
    r.rows[tr.id] = { cls: tr.className, text: tr.querySelector('td.text').textContent };
  }
  const pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
})();
</script></body>"#;

fn browser() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new("sh")
                .args(["-c", &format!("command -v {b}")])
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        util::missing("chromium (apt-get install chromium), for the HTML report's layout");
    }
    found
}

fn chromium(browser: &str, page: &Path, extra: &[&str]) -> String {
    let out = Command::new("timeout")
        .arg("90")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of `<pre id="measure">` in a serialized DOM, unescaped.
fn measured(dom: &str) -> Value {
    let start = dom.find("<pre id=\"measure\">").expect("the script ran") + 18;
    let end = start + dom[start..].find("</pre>").expect("</pre>");
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&text).expect("the measure is JSON")
}

/// Every UDP datagram of the capture: frame → payload bytes, from jsonl.
fn datagrams(capture: &Path) -> BTreeMap<u64, Vec<u8>> {
    let out = util::inspect(capture, &["--format", "jsonl"]);
    assert!(out.status.success(), "{}", util::status(&out));
    String::from_utf8(out.stdout)
        .expect("jsonl is UTF-8")
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a jsonl line");
            let hex = v["payload"].as_str().expect("payload");
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                .collect();
            (v["frame"].as_u64().expect("frame"), bytes)
        })
        .collect()
}

/// A capture of 50 conversations between 11 hosts: requests with plain, control, UTF-8 and
/// 3,000-byte payloads; every even conversation answered, one retried.
fn fifty_conversations(path: &Path) {
    fn frame(out: &mut Vec<u8>, t: u32, src: ([u8; 4], u16), dst: ([u8; 4], u16), payload: &[u8]) {
        let builder = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4(src.0, dst.0, 64)
            .udp(src.1, dst.1);
        let mut packet = Vec::with_capacity(builder.size(payload.len()));
        builder.write(&mut packet, payload).expect("a frame");
        let len = packet.len() as u32;
        for v in [1_700_000_000 + t / 1000, (t % 1000) * 1000, len, len] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&packet);
    }
    let mut pcap = Vec::new();
    for v in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65_535, 1] {
        if v == 0x0004_0002 {
            pcap.extend_from_slice(&2u16.to_le_bytes());
            pcap.extend_from_slice(&4u16.to_le_bytes());
        } else {
            pcap.extend_from_slice(&v.to_le_bytes());
        }
    }
    let long: Vec<u8> = (0..3000u32)
        .map(|i| b"abc\x01\xff "[(i % 6) as usize])
        .collect();
    let mut t = 0;
    for i in 0..50u8 {
        let client = ([10, 0, 5, 1 + i % 8], 40_000 + u16::from(i));
        let server = ([10, 0, 9, 1 + i % 3], 7_000 + u16::from(i % 5));
        let request: Vec<u8> = match i % 5 {
            0 => format!("request {i}").into_bytes(),
            1 => format!("ctl\x1b[31m{i}\r\n\0").into_bytes(),
            2 => format!("Grüße, 日本 {i} <b>&amp;</b>").into_bytes(),
            3 => long.clone(),
            _ => vec![0xc3, 0x28, i, 0x7f],
        };
        t += 7;
        frame(&mut pcap, t, client, server, &request);
        if i == 10 {
            t += 500;
            frame(&mut pcap, t, client, server, &request);
        }
        if i % 2 == 0 {
            t += 3;
            let reply = format!("You said {} bytes, conversation {i}", request.len());
            frame(&mut pcap, t, server, client, reply.as_bytes());
        }
    }
    std::fs::write(path, pcap).expect("capture written");
}

struct Case {
    name: &'static str,
    capture: PathBuf,
    /// Frames of the story that are not UDP (TCP, ICMP).
    others: &'static [u64],
    /// Whether the diagram must fit a 1,400 px page without scrolling sideways.
    fits_1400: bool,
}

#[test]
fn html_report_fits_and_tells_everything_in_chromium() {
    let Some(browser) = browser() else { return };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let fifty = dir.join("fifty-conversations.pcap");
    fifty_conversations(&fifty);
    let cases = [
        Case {
            name: "udp",
            capture: "fixtures/udp.pcap".into(),
            others: &[],
            fits_1400: true,
        },
        Case {
            name: "mixed",
            capture: "fixtures/mixed.pcap".into(),
            others: &[6, 7, 10, 11, 12],
            fits_1400: true,
        },
        Case {
            name: "fifty",
            capture: fifty,
            others: &[],
            fits_1400: false,
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let page = dir.join(format!("report-{}.html", case.name));
        let out = util::inspect(
            &case.capture,
            &["--summary", "--html", page.to_str().expect("path")],
        );
        assert!(out.status.success(), "{}", util::status(&out));
        let html = std::fs::read_to_string(&page).expect("page written");
        assert!(!html.contains("<script"), "the report itself has no script");
        let probe = dir.join(format!("report-{}-measured.html", case.name));
        std::fs::write(&probe, html.replace("</body>", MEASURE)).expect("probe written");
        let udp = datagrams(&case.capture);
        let mut story: Vec<u64> = udp
            .keys()
            .copied()
            .chain(case.others.iter().copied())
            .collect();
        story.sort_unstable();
        for width in [1400, 800] {
            let at = format!("{} at {width} px", case.name);
            let mut fail = |what: String| failures.push(format!("{at}: {what}"));
            let size = format!("--window-size={width},1000");
            let m = measured(&chromium(
                browser,
                &probe,
                &[&size, "--virtual-time-budget=2000", "--dump-dom"],
            ));
            let shot = dir.join(format!("report-{}-{width}.png", case.name));
            chromium(
                browser,
                &page,
                &[
                    &format!("--window-size={width},2000"),
                    &format!("--screenshot={}", shot.display()),
                ],
            );
            eprintln!("{at}: screenshot {}", shot.display());
            let (page_w, inner) = (m["pageWidth"].as_f64(), m["innerWidth"].as_f64());
            if page_w > inner {
                fail(format!(
                    "the page is {page_w:?} px wide in a {inner:?} px window"
                ));
            }
            if m["crossings"].as_array().is_none_or(|c| !c.is_empty()) {
                fail(format!("labels cross lifelines: {}", m["crossings"]));
            }
            if m["hostOverflow"].as_array().is_none_or(|c| !c.is_empty()) {
                fail(format!(
                    "host names overflow their boxes: {}",
                    m["hostOverflow"]
                ));
            }
            if case.fits_1400 && width == 1400 && m["fits"] != Value::Bool(true) {
                fail("the diagram does not fit the page".into());
            }
            if m["scrolls"] == Value::Bool(true) {
                let off = m["hostsOffset"].as_f64().unwrap_or(f64::MAX);
                if !(0.0..=2.0).contains(&off) {
                    fail(format!(
                        "scrolled to the end, the host names are {off} px off the top"
                    ));
                }
            }
            let arrows = m["arrows"].as_array().cloned().unwrap_or_default();
            let drawn: Vec<u64> = arrows.iter().filter_map(|a| a["frame"].as_u64()).collect();
            if drawn != story {
                fail(format!("frames drawn {drawn:?}, the story has {story:?}"));
            }
            // No blank band: rows follow one another at one pitch, each with its words in view.
            let ys: Vec<f64> = arrows.iter().filter_map(|a| a["y"].as_f64()).collect();
            let pitches: Vec<f64> = ys.windows(2).map(|w| w[1] - w[0]).collect();
            if pitches.iter().any(|p| (p - pitches[0]).abs() > 0.5) {
                fail(format!("rows are not evenly spaced: {pitches:?}"));
            }
            for a in &arrows {
                if a["wordsLeftOfLines"] != Value::Bool(true)
                    || a["wordsInView"] != Value::Bool(true)
                {
                    fail(format!("frame {}: its words are not in view", a["frame"]));
                }
            }
            // Every payload, whole, in its row and in its arrow's tooltip.
            for (frame, payload) in &udp {
                let text = oneway::escape::escape(payload);
                let row = &m["rows"][format!("f{frame}")];
                if row["text"].as_str() != Some(text.as_str()) {
                    fail(format!(
                        "frame {frame}: the table has {} for {text:?}",
                        row["text"]
                    ));
                }
                let arrow = arrows.iter().find(|a| a["frame"].as_u64() == Some(*frame));
                if !arrow.is_some_and(|a| a["title"].as_str().is_some_and(|t| t.contains(&text))) {
                    fail(format!("frame {frame}: the arrow's tooltip lacks {text:?}"));
                }
            }
            let words = m["text"].as_str().unwrap_or_default();
            for (n, one) in [
                ("1 ", "conversation"),
                ("1 ", "frame"),
                ("1 ", "UDP datagram"),
            ] {
                if words.contains(&format!("{n}{one}s")) {
                    fail(format!("says \"{n}{one}s\""));
                }
            }
        }
        if case.name == "mixed" {
            assert!(
                html.contains("ICMP port unreachable for frame 9"),
                "the ICMP error names the datagram it answers"
            );
        }
        if case.name == "udp" {
            assert!(html.contains("1 conversation,"), "plural: {html}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
