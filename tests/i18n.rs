//! The language oneway speaks: chosen by `--lang`, else by the locale; machine formats never
//! change with it; and (the pseudo-locale) no human-facing text bypasses the catalogue.

mod util;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

const UDP: &str = "fixtures/udp.pcap";
const ENGLISH_LESSON: &str = "UDP is connectionless";
const INDONESIAN_LESSON: &str = "UDP bersifat connectionless";

/// `oneway ARGS` with exactly these locale variables set.
fn with_locale(vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = util::oneway();
    c.env_remove("LANG");
    for (k, v) in vars {
        c.env(k, v);
    }
    c.args(args).output().expect("oneway runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

#[test]
fn the_language_comes_from_lang_then_the_locale() {
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a str);
    let cases: &[Case] = &[
        (&[], &[], ENGLISH_LESSON),
        (&[("LANG", "id_ID.UTF-8")], &[], INDONESIAN_LESSON),
        (&[("LANG", "in_ID")], &[], INDONESIAN_LESSON),
        (&[("LANG", "C")], &["--lang", "id"], INDONESIAN_LESSON),
        (
            &[("LANG", "id_ID.UTF-8")],
            &["--lang", "en"],
            ENGLISH_LESSON,
        ),
        (&[("LANG", "id_ID.UTF-8")], &["--lang=en"], ENGLISH_LESSON),
        (
            &[("LANG", "id_ID.UTF-8"), ("LC_ALL", "C")],
            &[],
            ENGLISH_LESSON,
        ),
        (
            &[("LANG", "C"), ("LC_MESSAGES", "id_ID.UTF-8")],
            &[],
            INDONESIAN_LESSON,
        ),
        (&[("LANG", "fr_FR.UTF-8")], &[], ENGLISH_LESSON),
    ];
    for (vars, extra, want) in cases {
        let mut args = vec!["inspect", UDP];
        args.extend_from_slice(extra);
        let out = with_locale(vars, &args);
        assert_eq!(out.status.code(), Some(0), "{vars:?} {extra:?}");
        assert!(
            stdout(&out).contains(want),
            "{vars:?} {extra:?}:\n{}",
            stdout(&out)
        );
    }
    // Before the subcommand too (the option is global).
    let out = with_locale(&[], &["--lang", "id", "inspect", UDP]);
    assert!(stdout(&out).contains(INDONESIAN_LESSON));
}

#[test]
fn a_language_oneway_does_not_speak_is_a_usage_error() {
    let out = with_locale(&[], &["inspect", UDP, "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// jsonl, csv and Parquet are for programs: the same bytes in every language.
#[test]
fn machine_formats_are_the_same_bytes_in_every_language() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for capture in ["fixtures/udp.pcap", "fixtures/mixed.pcap"] {
        for args in [
            &["--format", "jsonl"][..],
            &["--format", "csv"],
            &["--summary", "--format", "jsonl"],
            &["--summary", "--format", "csv"],
            &["--format", "parquet", "-o"],
            &["--summary", "--format", "parquet", "-o"],
        ] {
            let mut outputs = Vec::new();
            for lang in ["en", "id", "qps"] {
                let mut a = vec!["inspect", capture, "--lang", lang];
                a.extend_from_slice(args);
                let file = tmp.join(format!("i18n-{lang}.parquet"));
                let file = file.to_str().expect("path").to_string();
                if args.last() == Some(&"-o") {
                    a.push(&file);
                }
                let out = with_locale(&[], &a);
                assert_eq!(out.status.code(), Some(0), "{a:?}");
                let bytes = if args.last() == Some(&"-o") {
                    std::fs::read(&file).expect("parquet written")
                } else {
                    out.stdout
                };
                assert!(!bytes.is_empty(), "{a:?}");
                outputs.push(bytes);
            }
            assert_eq!(
                outputs[0], outputs[1],
                "{capture} {args:?}: en and id differ"
            );
            assert_eq!(
                outputs[0], outputs[2],
                "{capture} {args:?}: en and qps differ"
            );
        }
    }
}

/// The words of the English catalogue's text (what a bypassing string would most likely
/// contain), lowercased, three letters or more.
fn english_words() -> BTreeSet<String> {
    use fluent_syntax::ast;
    fn pattern(p: &ast::Pattern<&str>, out: &mut Vec<String>) {
        for e in &p.elements {
            match e {
                ast::PatternElement::TextElement { value } => out.push(value.to_string()),
                ast::PatternElement::Placeable { expression } => expression_text(expression, out),
            }
        }
    }
    fn expression_text(e: &ast::Expression<&str>, out: &mut Vec<String>) {
        if let ast::Expression::Select { variants, .. } = e {
            for v in variants {
                pattern(&v.value, out);
            }
        }
    }
    let source = std::fs::read_to_string("src/i18n/en.ftl").expect("en.ftl");
    let resource = fluent_syntax::parser::parse(source.as_str()).expect("en.ftl parses");
    let mut texts = Vec::new();
    for entry in &resource.body {
        if let ast::Entry::Message(m) = entry
            && let Some(p) = &m.value
        {
            pattern(p, &mut texts);
        }
    }
    texts.iter().flat_map(|t| words(t)).collect()
}

/// Runs of three or more ASCII letters, lowercased.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// `s` without what the catalogue gave (the pseudo-locale's `⟦…⟧`).
fn outside_brackets(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '\u{27e6}' => depth += 1,
            '\u{27e7}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The words a capture's payloads carry (data, not oneway's words), from its jsonl.
fn payload_words(capture: &Path) -> BTreeSet<String> {
    let out = util::inspect(capture, &["--format", "jsonl"]);
    let mut found = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let hex = v["payload"].as_str().unwrap_or_default();
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        found.extend(words(&String::from_utf8_lossy(&bytes)));
    }
    found
}

/// Technical names that are the same in every language and reach messages as arguments.
const NAMES: &[&str] = &[
    "oneway", "udp", "tcp", "icmp", "syn", "ack", "pcap", "pcapng", "arp",
];

/// Every view of every fixture, in the pseudo-locale: outside the catalogue's `⟦…⟧` there are
/// only numbers, addresses, payloads, file names and protocol names — no English word of the
/// catalogue, i.e. nothing a person reads bypasses it.
#[test]
fn nothing_a_person_reads_bypasses_the_catalogue() {
    let english = english_words();
    assert!(english.contains("handshake") && english.len() > 100);
    let mut failures = Vec::new();
    for capture in util::captures("fixtures") {
        let name = capture.to_string_lossy().to_string();
        let mut allowed: BTreeSet<String> = payload_words(&capture);
        allowed.extend(words(&name));
        allowed.extend(NAMES.iter().map(|s| s.to_string()));
        let views: &[&[&str]] = &[
            &[],
            &["--follow", "1"],
            &["--time", "absolute"],
            &["--summary"],
            &["--follow", "999"],
        ];
        for view in views {
            let mut args = vec!["--lang", "qps"];
            args.extend_from_slice(view);
            let out = util::inspect(&capture, &args);
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                let bare = outside_brackets(&text);
                let stray: BTreeSet<String> = words(&bare)
                    .into_iter()
                    .filter(|w| english.contains(w) && !allowed.contains(w))
                    .collect();
                if !stray.is_empty() {
                    failures.push(format!("{name} {view:?} {stream}: {stray:?}\n{bare}"));
                }
            }
        }
        // The HTML report, its markup and style aside.
        let page = Path::new(env!("CARGO_TARGET_TMPDIR")).join("i18n-qps.html");
        let page_arg = page.to_str().expect("path").to_string();
        let out = util::inspect(
            &capture,
            &["--lang", "qps", "--summary", "--html", &page_arg],
        );
        if out.status.code() == Some(0) {
            let html = std::fs::read_to_string(&page).expect("page written");
            let text = outside_brackets(&without_markup(&html));
            let stray: BTreeSet<String> = words(&text)
                .into_iter()
                .filter(|w| english.contains(w) && !allowed.contains(w))
                .collect();
            if !stray.is_empty() {
                failures.push(format!("{name} --html: {stray:?}\n{text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A page's text: its style sheet and every tag left out, entities as they are.
fn without_markup(html: &str) -> String {
    let body = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `--help` and the manual in Indonesian where clap lets them be (its own words stay English).
#[test]
fn help_and_manual_speak_indonesian() {
    let out = with_locale(&[], &["--lang", "id", "inspect", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    assert!(help.contains("Pemakaian: oneway inspect"), "{help}");
    assert!(
        help.contains("Tampilkan datagram UDP dari capture"),
        "{help}"
    );
    assert!(
        help.contains("Opsi:") && help.contains("Argumen:"),
        "{help}"
    );
    assert!(!help.contains("Usage:"), "{help}");
    // From the locale, before clap has parsed anything.
    let out = with_locale(&[("LANG", "id_ID.UTF-8")], &["--help"]);
    let help = stdout(&out);
    assert!(
        help.contains("Perintah:") && help.contains("Kode keluar"),
        "{help}"
    );
    let out = with_locale(&[("LANG", "id_ID.UTF-8")], &["manpage", "serve"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Jalankan server UDP"));
    // English stays clap's and the doc comments'.
    let help = stdout(&with_locale(&[], &["inspect", "--help"]));
    assert!(
        help.contains("Usage: oneway inspect") && help.contains("Print help"),
        "{help}"
    );
}

/// README shows the real output of the lab's capture in both languages (its golden files).
#[test]
fn the_readme_shows_the_real_output_in_both_languages() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    for (command, golden) in [
        (
            "$ LANG=id_ID.UTF-8 oneway inspect fixtures/udp.pcap\n",
            "fixtures/expected/udp.pcap.id.table",
        ),
        (
            "$ oneway inspect fixtures/udp.pcap\n",
            "fixtures/expected/udp.pcap.table",
        ),
    ] {
        let start = readme.find(command).expect("README shows the command") + command.len();
        let end = start + readme[start..].find("```").expect("the block ends");
        let want = std::fs::read_to_string(golden).expect("golden file");
        assert_eq!(&readme[start..end], want, "README's output of {command}");
    }
}
