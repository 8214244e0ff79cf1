//! Shared helpers: run the real binary, compare with golden files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The day every test run is dated (2026-01-01, seconds since 1970): the
/// workbook's notes name the day of the run, and outputs must not change
/// from one day to the next.
pub const SOURCE_DATE_EPOCH: &str = "1767225600";

/// Run `dachieu` with `args` in `cwd`, dated [`SOURCE_DATE_EPOCH`].
pub fn dachieu(cwd: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_dachieu"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .current_dir(cwd)
        .output()
        .expect("the test binary runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `dachieu ingest INPUT --dataset DS --quarantine Q [extra…]` in `cwd`.
pub fn ingest_into(cwd: &Path, input: &Path, ds: &Path, q: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["ingest", p(input), "--dataset", p(ds), "--quarantine", p(q)];
    args.extend_from_slice(extra);
    dachieu(cwd, &args)
}

pub fn sample_dir() -> PathBuf {
    repo().join("data-samples")
}

pub fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Compare `actual` with `tests/golden/<name>`; `UPDATE_GOLDEN=1` rewrites it.
pub fn assert_golden(name: &str, actual: &[u8]) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let (e, a) = (
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual),
        );
        let first = e
            .lines()
            .zip(a.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(e.lines().count().min(a.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {}\n  actual:   {}\n(run with UPDATE_GOLDEN=1 to bless a deliberate change)",
            first + 1,
            e.lines().nth(first).unwrap_or("<end>"),
            a.lines().nth(first).unwrap_or("<end>")
        );
    }
}

/// Minimal CSV writing for test inputs.
pub fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// All files under `dir`, relative path → bytes (sorted), for byte comparisons;
/// the output folder's lock (which names the process that held it) is not
/// an output and is left out.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == ".dachieu.lock") {
                continue;
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A CSV row by column name.
pub type Row = std::collections::BTreeMap<String, String>;

/// Every row of a CSV file, by column name.
pub fn read_rows(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|x| {
            h.iter()
                .zip(x.unwrap().iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .collect()
}

/// Copy a bundled standard's folder (`indicators/<id>`) to `dest`, to edit it.
pub fn copy_standard(id: &str, dest: &Path) -> PathBuf {
    std::fs::create_dir_all(dest).unwrap();
    for e in std::fs::read_dir(repo().join("indicators").join(id)).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dest.join(e.file_name())).unwrap();
    }
    dest.to_path_buf()
}

/// Replace the first `from` in `dir/file` with `to`; the file must contain it.
pub fn edit_file(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// `dir` (and its canonical form) written `<tmp>`, so that messages naming
/// a temporary folder can be compared with a snapshot.
pub fn normalise(text: &str, dir: &Path) -> String {
    let mut t = text.to_string();
    for d in [dir.to_path_buf(), dir.canonicalize().unwrap_or_default()] {
        let s = d.display().to_string();
        if !s.is_empty() {
            t = t.replace(&s, "<tmp>");
        }
    }
    t
}

/// A failed command: exit code 2 and its whole stderr (with `dir` as
/// `<tmp>`) as in `tests/golden/errors/<name>.stderr`.
pub fn assert_error_snapshot(name: &str, o: &Output, dir: &Path) {
    assert_eq!(o.code, 2, "{name}: {}{}", o.stdout, o.stderr);
    assert_golden(
        &format!("errors/{name}.stderr"),
        normalise(&o.stderr, dir).as_bytes(),
    );
}

/// A folder holding `synth/` (a synthetic sample of 3,000 of 400,000
/// households in 2020 and 2021, 2 % of optional cells blank, seed 21) and
/// `out/`, its full `run`: made once per test process, shared by the tests
/// that read it (the hashes and the output catalogue), in the target
/// folder's scratch space (replaced by the next test process).
pub fn synth_run() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("synth-run");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let o = dachieu(
            &dir,
            &[
                "synth",
                "--households",
                "400000",
                "--years",
                "2020,2021",
                "--sample",
                "3000",
                "--missing-rate",
                "0.02",
                "--seed",
                "21",
                "--out",
                "synth",
                "--quiet",
            ],
        );
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        let o = dachieu(&dir, &["run", "synth", "--out", "out", "--quiet"]);
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        dir
    })
}

/// The estimates' name of `measure` for the unit of analysis `unit`: a
/// person measure carries `_person` (`poor_person_rate`, `H_person`).
pub fn measure_of(unit: &str, measure: &str) -> String {
    match (unit == "person", measure.strip_suffix("_rate")) {
        (false, _) => measure.to_string(),
        (true, Some(class)) => format!("{class}_person_rate"),
        (true, None) => format!("{measure}_person"),
    }
}
