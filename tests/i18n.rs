//! The language oneway speaks: chosen by `--lang`, else by the locale; machine formats never
//! change with it; and (the pseudo-locale) no human-facing text bypasses the catalogue.

mod util;

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
