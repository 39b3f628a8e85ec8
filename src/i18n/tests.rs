use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// Each message of a catalogue and the `$variables` it uses.
fn catalogue(name: &str, source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{name} does not parse: {errors:?}"));
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                } else {
                    panic!("{name}: {} has no value", m.id.name);
                }
                assert!(
                    messages.insert(m.id.name.to_string(), vars).is_none(),
                    "{name}: {} twice",
                    m.id.name
                );
            }
            ast::Entry::Junk { content } => panic!("{name}: junk {content:?}"),
            _ => {}
        }
    }
    messages
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for e in &p.elements {
        if let ast::PatternElement::Placeable { expression } = e {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

#[test]
fn both_catalogues_have_the_same_messages_with_the_same_arguments() {
    let en = catalogue("en.ftl", EN_FTL);
    let id = catalogue("id.ftl", ID_FTL);
    let keys = |c: &BTreeMap<String, BTreeSet<String>>| c.keys().cloned().collect::<BTreeSet<_>>();
    let only_en: Vec<_> = keys(&en).difference(&keys(&id)).cloned().collect();
    let only_id: Vec<_> = keys(&id).difference(&keys(&en)).cloned().collect();
    assert!(only_en.is_empty(), "missing from id.ftl: {only_en:?}");
    assert!(only_id.is_empty(), "missing from en.ftl: {only_id:?}");
    for (key, vars) in &en {
        assert_eq!(
            vars, &id[key],
            "{key}: the arguments differ between en.ftl and id.ftl"
        );
    }
    assert!(en.len() >= 2);
}

/// Every key the code names (`tr!("…"`, `text("…"`, `Template::new("…"`) is in the catalogue.
#[test]
fn every_key_the_code_uses_is_in_the_catalogue() {
    let en = catalogue("en.ftl", EN_FTL);
    let help = catalogue("help-id.ftl", HELP_ID_FTL);
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut used = 0;
    // The module itself names keys in its docs and tests that are not messages.
    for file in files
        .iter()
        .filter(|f| !f.starts_with(env!("CARGO_MANIFEST_DIR").to_string() + "/src/i18n"))
    {
        let code = std::fs::read_to_string(file).expect("source");
        for call in ["tr!(", "text(", "text_in(", "Template::new(", "tr_key("] {
            for (at, _) in code.match_indices(call) {
                let rest = &code[at + call.len()..];
                let end = rest.find(')').unwrap_or(rest.len()).min(120);
                let Some(open) = rest[..end].find('"') else {
                    continue;
                };
                let Some(len) = rest[open + 1..].find('"') else {
                    continue;
                };
                let key = &rest[open + 1..open + 1 + len];
                if key.is_empty() || key.contains([' ', '\\', '{']) {
                    continue;
                }
                used += 1;
                assert!(
                    en.contains_key(key) || help.contains_key(key),
                    "{}: {key} is not in the catalogue",
                    file.display()
                );
            }
        }
    }
    assert!(used > 0, "no key found in the code");
}

fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn locales_as_posix_spells_them() {
    for (locale, want) in [
        ("id_ID.UTF-8", Some(Lang::Id)),
        ("id_ID", Some(Lang::Id)),
        ("id", Some(Lang::Id)),
        ("in_ID", Some(Lang::Id)),
        ("id-ID", Some(Lang::Id)),
        ("en_US.UTF-8", Some(Lang::En)),
        ("en_GB.ISO-8859-1@euro", Some(Lang::En)),
        ("C", None),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("fr_FR.UTF-8", None),
        ("", None),
    ] {
        assert_eq!(Lang::from_locale(locale), want, "{locale}");
    }
}

#[test]
fn the_environment_decides_in_posix_order() {
    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }
    assert_eq!(from_vars(env(&[])), Lang::En);
    assert_eq!(from_vars(env(&[("LANG", "id_ID.UTF-8")])), Lang::Id);
    assert_eq!(from_vars(env(&[("LANG", "in_ID")])), Lang::Id);
    assert_eq!(from_vars(env(&[("LANG", "C")])), Lang::En);
    // LC_MESSAGES before LANG, LC_ALL before both; an empty one does not count.
    let messages = [("LANG", "id_ID.UTF-8"), ("LC_MESSAGES", "C")];
    assert_eq!(from_vars(env(&messages)), Lang::En);
    let all = [("LANG", "en_US.UTF-8"), ("LC_ALL", "id_ID.UTF-8")];
    assert_eq!(from_vars(env(&all)), Lang::Id);
    let c = [("LANG", "id_ID.UTF-8"), ("LC_ALL", "C")];
    assert_eq!(from_vars(env(&c)), Lang::En);
    let empty = [("LANG", "id_ID.UTF-8"), ("LC_ALL", "")];
    assert_eq!(from_vars(env(&empty)), Lang::Id);
    assert_eq!(from_vars(env(&[("LANG", "fr_FR.UTF-8")])), Lang::En);
}

#[test]
fn messages_in_each_language_without_isolation_marks() {
    assert!(text_in(Lang::En, "lesson-udp").starts_with("UDP is connectionless"));
    assert!(text_in(Lang::Id, "lesson-udp").starts_with("UDP bersifat"));
    assert_eq!(
        text_in(Lang::Pseudo, "lesson-udp"),
        format!("\u{27e6}{}\u{27e7}", text_in(Lang::En, "lesson-udp"))
    );
    assert_eq!(text_in(Lang::En, "no-such-key"), "no-such-key");
    for lang in Lang::ALL {
        let mut args = Args::new();
        args.set("n", value(2u64));
        for key in catalogue("en.ftl", EN_FTL).keys() {
            let s = format_in(lang, key, &args);
            assert!(!s.contains(['\u{2068}', '\u{2069}']), "{key}: {s:?}");
        }
    }
}

#[test]
fn templates_are_the_message_with_values_in_place() {
    let t = Template::new(Lang::En, "lesson-udp", &[]);
    let mut s = String::new();
    t.push(&mut s, &[]);
    assert_eq!(s, text_in(Lang::En, "lesson-udp"));
    assert!(t.is_ascii());
}
