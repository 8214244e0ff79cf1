//! The modules are layers that only point down: `src/lib.rs`'s module doc
//! lists them in order, and every `crate::` path in `src/` (a `use` line, a
//! grouped `use crate::{…}`, or a path written inline) must name a module
//! listed before the one it is written in. Comments are not read.

use crate::common::repo;
use std::collections::BTreeMap;
use std::path::Path;

/// The modules in layer order, as `src/lib.rs`'s doc lists them: lines
/// `//! N. `a`, `b` — what they hold`.
fn layer_order(lib: &str) -> Vec<String> {
    let mut order = Vec::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("//! ") else {
            continue;
        };
        let Some((num, body)) = rest.split_once(". ") else {
            continue;
        };
        if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let names = body.split(" — ").next().unwrap_or("");
        for part in names.split(',') {
            let name = part.trim().trim_matches('`');
            assert!(!name.is_empty(), "empty module name in layer line: {line}");
            order.push(name.to_string());
        }
    }
    order
}

/// The top-level module names each path written in `text` refers to:
/// `crate::x::…`, `crate::{x, y::z}`.
fn crate_paths(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            // Not part of a longer identifier (`dachieu_crate::`).
            let before = rest[..i].chars().next_back();
            let after = &rest[i + "crate::".len()..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = after.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                names.extend(inner.split(',').filter_map(|p| first_ident(p.trim())));
            } else if let Some(n) = first_ident(after) {
                names.push(n);
            }
        }
    }
    names
}

fn first_ident(s: &str) -> Option<String> {
    let n: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!n.is_empty()).then_some(n)
}

/// The crate's top-level module a file of `src/` belongs to.
fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let top = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    top.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::` path in `src/` names a module of an earlier layer (or
/// its own module), and every module of the crate is in the list once.
#[test]
fn layers_only_point_down() {
    let src = repo().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let order = layer_order(&lib);
    let rank: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    assert_eq!(
        rank.len(),
        order.len(),
        "a module is listed twice: {order:?}"
    );
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let mut missing: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|m| !rank.contains_key(m))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "modules not in lib.rs's layer list: {missing:?}"
    );
    let stale: Vec<&String> = order
        .iter()
        .filter(|m| !declared.contains(&m.as_str()))
        .collect();
    assert!(
        stale.is_empty(),
        "layer list names modules that do not exist: {stale:?}"
    );

    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    // An exported macro is reached as `crate::name` but belongs to the
    // module that defines it.
    let mut macros: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let top = top_module(&src, f);
        let text = std::fs::read_to_string(f).unwrap();
        let mut lines = text.lines();
        while let Some(l) = lines.next() {
            if l.trim() == "#[macro_export]" {
                let def = lines.next().unwrap_or("");
                if let (Some(name), Some(&r)) = (
                    def.trim()
                        .strip_prefix("macro_rules! ")
                        .and_then(first_ident),
                    rank.get(top.as_str()),
                ) {
                    macros.insert(name, r);
                }
            }
        }
    }
    let mut upward = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = top_module(&src, f);
        let Some(&own) = rank.get(top.as_str()) else {
            // lib.rs and main.rs sit above every layer.
            assert!(
                top == "lib" || top == "main",
                "{} is in no module",
                rel.display()
            );
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        for m in crate_paths(&text) {
            match rank.get(m.as_str()).or(macros.get(&m)) {
                Some(&r) if r > own => upward.push(format!("{} → {m}", rel.display())),
                Some(_) => {}
                None if m == "Result" || m == "Error" => {}
                None => upward.push(format!("{} → {m} (not a listed module)", rel.display())),
            }
        }
    }
    assert!(
        upward.is_empty(),
        "{} import(s) point up the layers (src/lib.rs lists the order):\n  {}",
        upward.len(),
        upward.join("\n  ")
    );
}

#[test]
fn crate_paths_are_read_from_use_lines_groups_and_inline_paths() {
    let text = "use crate::a::b;\nuse crate::{c, d::e};\nlet x = crate::f::g(1);\n// crate::h\nmy_crate::i";
    assert_eq!(crate_paths(text), ["a", "c", "d", "f"]);
    let lib = "//! 1. `a`, `b` — first\n//! 2. `c` — then\n//! not a layer";
    assert_eq!(layer_order(lib), ["a", "b", "c"]);
}
