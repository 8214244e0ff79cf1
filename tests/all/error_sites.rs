//! Every place in `src/` that builds a message the CLI prints before exiting
//! with code 2 is found by reading the source, and each must be covered by
//! a snapshot of the catalogue (`tests/cases/**/*.snap`) or of a test
//! (`tests/golden/errors/*.stderr`, see `common::assert_error_snapshot`) or be listed, with
//! a reason, in `tests/cases/errors/not-snapshotted.txt`.
//!
//! A site is a call of one of [`CONSTRUCTORS`]; its message is the text of
//! the string literals inside the call, cut at each `{…}` placeholder. The
//! site is covered when one snapshot section contains every piece. Sites are
//! named by their message, not by file and line, so moving code between
//! files does not disturb the list.
//!
//! What this scan cannot see, and is covered otherwise:
//! - messages composed away from the constructor and passed in as a variable
//!   (`Error::input(path, why)`): listed under their call text, snapshotted
//!   where a case reaches them;
//! - the standard's validation problems (`Problems::at` in
//!   `src/standard/load.rs`, `weights.rs`, `raw.rs`) and the rule
//!   language's parse errors (`src/standard/expr/`): one `Error::Standard`
//!   site; several are snapshotted in `tests/cases/errors/standards.toml` and
//!   every one is unit-tested by substring in `src/standard/`;
//! - clap's own usage errors and the messages of our value parsers
//!   (`FromStr` for `--sample`, `--k`, `--encoding`; exit 2 as well): a few
//!   snapshotted in `tests/cases/errors/usage.toml` and `synth.toml`;
//! - operating-system texts inside `Error::Io` (they differ by platform);
//! - the panic hook's one line (`panics::message`: "internal error … this is
//!   a bug in dachieu"), exit 2 too: no command panics on purpose, so it is
//!   unit-tested in `src/panics.rs`, not snapshotted.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Calls that build an error the CLI prints with exit code 2.
const CONSTRUCTORS: &[&str] = &[
    "Error::Usage(",
    "Error::input(",
    "Error::Input {",
    "Error::Standard(",
    "anyhow!(",
    "bail!(",
    ".context(",
    ".with_context(",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") && !path.ends_with("tests.rs") {
            out.push(path);
        }
    }
}

/// The source without its unit tests (from `#[cfg(test)]` before a `mod`).
fn without_tests(text: &str) -> &str {
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]") {
        let at = from + at;
        if text[at + 12..].trim_start().starts_with("mod ") {
            return &text[..at];
        }
        from = at + 12;
    }
    text
}

/// The text of the call starting at `open` (a `(` or `{`), to its balanced close,
/// and the string literals inside it, unescaped.
fn call(text: &str, open: usize) -> (String, Vec<String>) {
    let b = text.as_bytes();
    let (mut depth, mut i, mut lits) = (0i32, open, Vec::new());
    while i < b.len() {
        match b[i] {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\\') => i += 3,
            b'"' => {
                let start = i + 1;
                i += 1;
                while b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                lits.push(unescape(&text[start..i]));
            }
            _ => {}
        }
        i += 1;
    }
    (text[open..=i.min(b.len() - 1)].to_string(), lits)
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(c) => out.push(c),
            None => {}
        }
    }
    out
}

/// The literal pieces of a format string, between its `{…}` placeholders;
/// only pieces with a letter in them (", " and ": " say nothing).
fn pieces(lit: &str) -> Vec<String> {
    let lit = lit.replace("{{", "\u{1}").replace("}}", "\u{2}");
    let mut out = Vec::new();
    let mut rest = lit.as_str();
    loop {
        let (piece, after) = match rest.find('{') {
            Some(a) => (&rest[..a], rest[a..].find('}').map(|z| &rest[a + z + 1..])),
            None => (rest, None),
        };
        let piece = piece.replace('\u{1}', "{").replace('\u{2}', "}");
        if piece.chars().any(char::is_alphabetic) {
            out.push(piece.trim().to_string());
        }
        match after {
            Some(a) => rest = a,
            None => return out,
        }
    }
}

/// Message key → its literal pieces, for every site in `src/`.
fn sites() -> BTreeMap<String, Vec<String>> {
    let mut files = Vec::new();
    rust_files(&repo().join("src"), &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let text = without_tests(&text);
        for c in CONSTRUCTORS {
            for (at, _) in text.match_indices(c) {
                let open = at + c.len() - 1;
                let (call, lits) = call(text, open);
                let ps: Vec<String> = lits.iter().flat_map(|l| pieces(l)).collect();
                let key = if ps.is_empty() {
                    format!("(no literal) {}{}", &c[..c.len() - 1], squash(&call))
                } else {
                    ps.join(" … ")
                };
                out.insert(key, ps);
            }
        }
    }
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every section (`── name · stream ──` and its text) of every `.snap`, and
/// every `tests/golden/errors/*.stderr`.
fn snapshot_sections() -> Vec<String> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(repo().join("tests/golden/errors")).unwrap() {
        files.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    let mut stack = vec![repo().join("tests/cases")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "snap") {
                files.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
        .iter()
        .flat_map(|t| t.split("\n── ").map(str::to_string).collect::<Vec<_>>())
        .collect()
}

const LEDGER: &str = "tests/cases/errors/not-snapshotted.txt";

/// `message key<TAB>reason` lines; `#` lines are comments.
fn ledger() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(repo().join(LEDGER)).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, why) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{LEDGER}: `{l}` has no tab and reason"));
            assert!(!why.trim().is_empty(), "{LEDGER}: `{k}` has no reason");
            (k.to_string(), why.to_string())
        })
        .collect()
}

/// A reason `see FILE` or `see FILE#case` must name a snapshot that exists.
fn see(why: &str) -> Result<(), String> {
    let Some(target) = why.strip_prefix("see ") else {
        return Ok(());
    };
    let (file, case) = target.split_once('#').unwrap_or((target, ""));
    let text = std::fs::read_to_string(repo().join(file))
        .map_err(|e| format!("{LEDGER}: `{target}`: {e}"))?;
    if !case.is_empty() && !text.contains(&format!("── {case} ")) {
        return Err(format!("{LEDGER}: `{target}`: no case `{case}` in {file}"));
    }
    Ok(())
}

#[test]
fn every_exit_2_message_site_has_a_snapshot_or_a_reason() {
    let sites = sites();
    assert!(
        sites.len() > 50,
        "the scan found only {} sites",
        sites.len()
    );
    let sections = snapshot_sections();
    let covered = |ps: &[String]| {
        !ps.is_empty()
            && sections
                .iter()
                .any(|s| ps.iter().all(|p| s.contains(p.as_str())))
    };
    let ledger = ledger();
    let mut problems: Vec<String> = ledger.values().filter_map(|why| see(why).err()).collect();
    for (key, ps) in &sites {
        match (covered(ps), ledger.contains_key(key)) {
            (false, false) => problems.push(format!(
                "no snapshot shows `{key}`: add a case under tests/cases/errors/ (or a line `{key}<TAB>reason` to {LEDGER})"
            )),
            (true, true) => problems.push(format!(
                "`{key}` is snapshotted now: remove it from {LEDGER}"
            )),
            _ => {}
        }
    }
    let keys: BTreeSet<&String> = sites.keys().collect();
    for k in ledger.keys().filter(|k| !keys.contains(k)) {
        problems.push(format!(
            "{LEDGER} lists `{k}`, which no longer appears in src/"
        ));
    }
    if std::env::var("LIST_ERROR_SITES").as_deref() == Ok("1") {
        for (k, ps) in &sites {
            println!("{}\t{k}", if covered(ps) { "covered" } else { "open" });
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
