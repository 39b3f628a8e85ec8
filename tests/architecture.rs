//! ARCHITECTURE.md's import rules, held against the code.
//!
//! The table under "Code map" says which crate modules each top-level module may import; every
//! `crate::NAME` path in a module's code (comments aside) must name the module itself or one of
//! those. Every top-level module must have a row, and every row a module, so that the map cannot
//! go stale. clap is named only by `cli.rs`, `lib.rs` and `main.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The rules table of ARCHITECTURE.md: module → the modules it may import.
fn rules() -> BTreeMap<String, BTreeSet<String>> {
    let doc = fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = doc
        .find("<!-- The test parses this table")
        .expect("ARCHITECTURE.md has lost the marker before its rules table");
    let names = |cell: &str| -> BTreeSet<String> {
        cell.split(',')
            .map(|n| n.trim().trim_matches('`').to_string())
            .filter(|n| !n.is_empty() && n != "—")
            .collect()
    };
    let mut rules = BTreeMap::new();
    for line in doc[start..].lines().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
        if cells.len() != 2 || cells[0].contains("---") || cells[0].trim() == "module" {
            continue;
        }
        let module = cells[0].trim().trim_matches('`').to_string();
        assert!(
            rules.insert(module.clone(), names(cells[1])).is_none(),
            "{module} has two rows"
        );
    }
    assert!(rules.len() >= 5, "the rules table was not found: {rules:?}");
    rules
}

/// The crate's top-level modules and their files.
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let src = Path::new(ROOT).join("src");
    let mut modules = BTreeMap::new();
    for entry in fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut files = Vec::new();
            walk(&path, &mut files);
            modules.insert(name, files);
        } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main" {
            modules.entry(name).or_insert_with(Vec::new).push(path);
        }
    }
    modules
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The file without its `//` comments.
fn code(path: &Path) -> String {
    strip_comments(&fs::read_to_string(path).expect("source"))
}

/// `text` without its `//` comments (doc comments included).
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal (a URL) is rare here; cutting there only hides code.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every crate module named by a `crate::` path in `code`, `crate::{a, b::c}` groups included.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        if i > 0 {
            let before = code[..i].chars().next_back().unwrap_or(' ');
            if before.is_ascii_alphanumeric() || before == '_' || before == '$' {
                continue;
            }
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group only.
            let (mut depth, mut item_start) = (0, true);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && depth == 0 && !c.is_whitespace() => {
                        found.insert(ident(&group[j..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|n| !n.is_empty());
    found
}

#[test]
fn every_import_is_allowed_by_architecture_md() {
    let rules = rules();
    let modules = modules();
    let mapped: BTreeSet<&String> = rules.keys().collect();
    let present: BTreeSet<&String> = modules.keys().collect();
    assert_eq!(
        mapped, present,
        "ARCHITECTURE.md's rules table and the modules of src/ differ: add or remove a row"
    );
    let mut broken = Vec::new();
    for (module, files) in &modules {
        let allowed = &rules[module];
        for file in files {
            for name in imports(&code(file)) {
                if name != *module && !allowed.contains(&name) {
                    broken.push(format!(
                        "{} imports crate::{name}, which ARCHITECTURE.md does not allow {module}",
                        file.strip_prefix(ROOT).unwrap_or(file).display()
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "\n{}", broken.join("\n"));
}

#[test]
fn clap_stops_at_cli() {
    let mut files = Vec::new();
    walk(&Path::new(ROOT).join("src"), &mut files);
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy();
        if file.parent() == Some(&Path::new(ROOT).join("src"))
            && matches!(&*name, "cli.rs" | "lib.rs" | "main.rs")
        {
            continue;
        }
        let code = code(&file);
        assert!(
            !code.contains("clap"),
            "{} names clap: clap's types stop at cli.rs",
            file.display()
        );
    }
}

#[test]
fn the_checker_sees_what_it_must() {
    let code = "use crate::escape::escape;\nuse crate::{analyze::Facts, render::{table, Paint}};\n\
                let x = my_crate::nothing; crate::dissect::dissect(1, &[]);";
    let got: Vec<String> = imports(code).into_iter().collect();
    assert_eq!(got, ["analyze", "dissect", "escape", "render"]);
    assert!(
        imports(&strip_comments(
            "/// see crate::net::serve\nlet a = 1; // crate::cli"
        ))
        .is_empty()
    );
}
