//! The catalogue of cases: every `tests/cases/**/*.toml` file, run by one
//! harness. A case writes small input files into a fresh folder, runs the
//! real binary once per step, and checks the exit code, households' classes
//! (or any column of an output table), counts, messages, and snapshots of
//! stdout/stderr kept next to the case file as `<file>.snap`.
//!
//! `UPDATE_GOLDEN=1` rewrites the `.snap` files (what the program says);
//! the expected tables are the law and are never rewritten. Every step that
//! exits with code 2 must snapshot its stderr. The format is described in
//! `tests/cases/README.md`.

use crate::common::*;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    about: String,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    about: String,
    /// Files written before the first step (path → text; `#` lines dropped
    /// from `.csv` files, so that cases can be commented).
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// Files or folders copied from the repository (destination → source).
    #[serde(default)]
    copy: BTreeMap<String, String>,
    /// Edits of copied files, in order: the first `from` becomes `to`.
    #[serde(default)]
    edit: Vec<Edit>,
    step: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    args: Vec<String>,
    exit: i32,
    /// Files written (or overwritten) before this step.
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// Files or folders removed before this step.
    #[serde(default)]
    remove: Vec<String>,
    /// Files or folders renamed (from → to) before this step.
    #[serde(default)]
    rename: BTreeMap<String, String>,
    /// `"stdout"` and/or `"stderr"`: compared with the case file's `.snap`.
    #[serde(default)]
    snapshot: Vec<String>,
    #[serde(default)]
    stdout_contains: Vec<String>,
    #[serde(default)]
    stderr_contains: Vec<String>,
    /// Output file → texts it must contain.
    #[serde(default)]
    file_contains: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    exists: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    table: Vec<Table>,
}

/// Expected rows of an output table (Parquet or CSV), found by `key`; a
/// cell `*` is not checked, an empty cell means null or empty.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    path: String,
    #[serde(default = "household_id")]
    key: String,
    #[serde(default)]
    rows: String,
    count: Option<usize>,
    /// Parquet key-value metadata the file must carry.
    #[serde(default)]
    meta: BTreeMap<String, String>,
}

fn household_id() -> String {
    "household_id".into()
}

fn case_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("tests/cases")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "toml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn load(path: &Path) -> CaseFile {
    let text = std::fs::read_to_string(path).unwrap();
    let file: CaseFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        !file.about.trim().is_empty(),
        "{}: no about",
        path.display()
    );
    let mut names = std::collections::BTreeSet::new();
    for c in &file.case {
        assert!(
            names.insert(c.name.as_str()),
            "{}: two cases named {}",
            path.display(),
            c.name
        );
    }
    file
}

/// What one case produced: its snapshot sections and the problems found.
struct Ran {
    snap: String,
    problems: Vec<String>,
}

/// Run every case of every file, a few at a time; snapshots compared per
/// file, every problem reported at once.
#[test]
fn catalogue() {
    let files: Vec<(PathBuf, CaseFile)> = case_files()
        .into_iter()
        .map(|p| (p.clone(), load(&p)))
        .collect();
    assert!(!files.is_empty(), "no case files under tests/cases");
    let jobs: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, (_, cf))| (0..cf.case.len()).map(move |c| (f, c)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(BTreeMap::new());
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(f, c)) = jobs.get(j) else { break };
                let ran = run_case(&files[f].1.case[c]);
                results.lock().unwrap().insert((f, c), ran);
            });
        }
    });
    let results = results.into_inner().unwrap();
    let mut problems = Vec::new();
    for (f, (path, cf)) in files.iter().enumerate() {
        let mut snap = String::new();
        for c in 0..cf.case.len() {
            let ran = &results[&(f, c)];
            snap.push_str(&ran.snap);
            let rel = path.strip_prefix(repo()).unwrap().display().to_string();
            let case = &cf.case[c];
            problems.extend(
                ran.problems
                    .iter()
                    .map(|p| format!("{rel} [{}: {}]: {p}", case.name, case.about)),
            );
        }
        if let Err(p) = check_snap(&path.with_extension("snap"), &snap) {
            problems.push(p);
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn run_case(case: &Case) -> Ran {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut ran = Ran {
        snap: String::new(),
        problems: Vec::new(),
    };
    for (dest, src) in &case.copy {
        copy_tree(&repo().join(src), &dir.join(dest));
    }
    write_files(dir, &case.files);
    for e in &case.edit {
        let (d, f) = e.file.rsplit_once('/').unwrap_or((".", &e.file));
        edit_file(&dir.join(d), f, &e.from, &e.to);
    }
    let n = case.step.len();
    for (k, step) in case.step.iter().enumerate() {
        write_files(dir, &step.files);
        for r in &step.remove {
            let path = dir.join(r);
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
        for (from, to) in &step.rename {
            std::fs::rename(dir.join(from), dir.join(to)).unwrap_or_else(|e| panic!("{from}: {e}"));
        }
        let args: Vec<&str> = step.args.iter().map(String::as_str).collect();
        let o = dachieu(dir, &args);
        let label = if n == 1 {
            case.name.clone()
        } else {
            format!("{} · step {}", case.name, k + 1)
        };
        let mut problem = |p: String| ran.problems.push(format!("step {}: {p}", k + 1));
        if o.code != step.exit {
            problem(format!(
                "exit {} (expected {})\n--- stdout\n{}--- stderr\n{}",
                o.code, step.exit, o.stdout, o.stderr
            ));
        }
        if step.exit == 2 && !step.snapshot.iter().any(|s| s == "stderr") {
            problem("a step that exits with 2 must snapshot its stderr".into());
        }
        for (stream, text) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            let wanted = if stream == "stdout" {
                &step.stdout_contains
            } else {
                &step.stderr_contains
            };
            for w in wanted.iter().filter(|w| !text.contains(w.as_str())) {
                problem(format!("{stream} lacks `{w}`:\n{text}"));
            }
            if step.snapshot.iter().any(|s| s == stream) {
                let _ = writeln!(
                    ran.snap,
                    "── {label} · {stream} ──\n{}",
                    normalise(text, dir)
                );
            }
        }
        for bad in step
            .snapshot
            .iter()
            .filter(|s| *s != "stdout" && *s != "stderr")
        {
            problem(format!("snapshot `{bad}`: say stdout or stderr"));
        }
        for p in check_outputs(dir, step) {
            problem(p);
        }
    }
    ran
}

fn check_outputs(dir: &Path, step: &Step) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, wanted) in &step.file_contains {
        match std::fs::read_to_string(dir.join(file)) {
            Ok(text) => problems.extend(
                wanted
                    .iter()
                    .filter(|w| !text.contains(w.as_str()))
                    .map(|w| format!("{file} lacks `{w}`:\n{text}")),
            ),
            Err(e) => problems.push(format!("{file}: {e}")),
        }
    }
    for f in step.exists.iter().filter(|f| !dir.join(f).exists()) {
        problems.push(format!("{f} should exist"));
    }
    for f in step.absent.iter().filter(|f| dir.join(f).exists()) {
        problems.push(format!("{f} should not exist"));
    }
    for t in &step.table {
        if let Err(p) = check_table(dir, t) {
            problems.push(format!("{}: {p}", t.path));
        }
    }
    problems
}

fn write_files(dir: &Path, files: &BTreeMap<String, String>) {
    for (name, text) in files {
        let text = if name.ends_with(".csv") {
            uncomment(text)
        } else {
            text.clone()
        };
        write(&dir.join(name), &text);
    }
}

/// Drop `#` comment lines and leading blank lines from inline CSV text.
fn uncomment(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(|l| format!("{}\n", l.trim()))
        .collect()
}

fn copy_tree(src: &Path, dest: &Path) {
    if src.is_dir() {
        std::fs::create_dir_all(dest).unwrap();
        for e in std::fs::read_dir(src).unwrap() {
            let e = e.unwrap();
            copy_tree(&e.path(), &dest.join(e.file_name()));
        }
    } else {
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(src, dest).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    }
}

/// Column name → cell texts of an output table, and its metadata.
type Columns = (BTreeMap<String, Vec<String>>, BTreeMap<String, String>);

fn read_table(path: &Path) -> Result<Columns, String> {
    if path.extension().is_some_and(|x| x == "csv") {
        let rows = read_rows(path);
        let mut cols: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(first) = rows.first() {
            for k in first.keys() {
                cols.insert(k.clone(), rows.iter().map(|r| r[k].clone()).collect());
            }
        }
        return Ok((cols, BTreeMap::new()));
    }
    let batch = dachieu::dataset::read_parquet(path).map_err(|e| e.to_string())?;
    let meta = batch.schema().metadata().clone().into_iter().collect();
    let cols = batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, a)| Ok((f.name().clone(), cells(a)?)))
        .collect::<Result<_, String>>()?;
    Ok((cols, meta))
}

fn cells(a: &ArrayRef) -> Result<Vec<String>, String> {
    let text = |i: usize| -> String {
        match a.data_type() {
            DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
            DataType::LargeUtf8 => a.as_string::<i64>().value(i).to_string(),
            DataType::Boolean => a.as_boolean().value(i).to_string(),
            DataType::Int8 => a
                .as_primitive::<arrow_array::types::Int8Type>()
                .value(i)
                .to_string(),
            DataType::Int16 => a
                .as_primitive::<arrow_array::types::Int16Type>()
                .value(i)
                .to_string(),
            DataType::Int32 => a
                .as_primitive::<arrow_array::types::Int32Type>()
                .value(i)
                .to_string(),
            DataType::Int64 => a
                .as_primitive::<arrow_array::types::Int64Type>()
                .value(i)
                .to_string(),
            DataType::UInt8 => a
                .as_primitive::<arrow_array::types::UInt8Type>()
                .value(i)
                .to_string(),
            DataType::UInt16 => a
                .as_primitive::<arrow_array::types::UInt16Type>()
                .value(i)
                .to_string(),
            DataType::UInt32 => a
                .as_primitive::<arrow_array::types::UInt32Type>()
                .value(i)
                .to_string(),
            DataType::UInt64 => a
                .as_primitive::<arrow_array::types::UInt64Type>()
                .value(i)
                .to_string(),
            DataType::Float64 => a
                .as_primitive::<arrow_array::types::Float64Type>()
                .value(i)
                .to_string(),
            _ => unreachable!(),
        }
    };
    match a.data_type() {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float64 => {}
        // Columns of other types are simply not comparable here.
        _ => return Ok(vec!["<not comparable>".into(); a.len()]),
    }
    Ok((0..a.len())
        .map(|i| {
            if a.is_valid(i) {
                text(i)
            } else {
                String::new()
            }
        })
        .collect())
}

fn check_table(dir: &Path, t: &Table) -> Result<(), String> {
    let (cols, meta) = read_table(&dir.join(&t.path))?;
    let mut problems = Vec::new();
    for (k, want) in &t.meta {
        if meta.get(k) != Some(want) {
            problems.push(format!(
                "metadata {k} is {:?}, expected {want:?}",
                meta.get(k)
            ));
        }
    }
    let keys = cols
        .get(&t.key)
        .ok_or_else(|| format!("no column {}", t.key))?;
    if let Some(n) = t.count {
        if keys.len() != n {
            problems.push(format!("{} rows, expected {n}", keys.len()));
        }
    }
    let rows = uncomment(&t.rows);
    let mut r = csv::ReaderBuilder::new().from_reader(rows.as_bytes());
    let header = r.headers().map_err(|e| e.to_string())?.clone();
    let key_at = header.iter().position(|h| h == t.key);
    if !rows.is_empty() && key_at.is_none() {
        return Err(format!("the expected rows have no {} column", t.key));
    }
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("expected rows: {e}"))?;
        let id = &rec[key_at.unwrap()];
        let Some(i) = keys.iter().position(|k| k == id) else {
            problems.push(format!("no row {id}"));
            continue;
        };
        for (name, want) in header.iter().zip(rec.iter()) {
            let got = cols.get(name).map(|c| c[i].as_str());
            if want != "*" && got != Some(want) {
                problems.push(format!("{id}: {name} is {got:?}, expected {want:?}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n  "))
    }
}

/// Compare a case file's snapshots with its `.snap`; `UPDATE_GOLDEN=1`
/// rewrites it (and removes it when no step snapshots anything).
fn check_snap(path: &Path, actual: &str) -> Result<(), String> {
    let rel = path.strip_prefix(repo()).unwrap().display().to_string();
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        if actual.is_empty() {
            let _ = std::fs::remove_file(path);
        } else {
            std::fs::write(path, actual).unwrap();
        }
        return Ok(());
    }
    let expected = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) if actual.is_empty() => return Ok(()),
        Err(_) => {
            return Err(format!(
                "{rel} is missing; run with UPDATE_GOLDEN=1 to create it"
            ))
        }
    };
    if expected == actual {
        return Ok(());
    }
    let at = expected
        .lines()
        .zip(actual.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    Err(format!(
        "{rel} differs at line {}:\n  expected: {}\n  actual:   {}\n(run with UPDATE_GOLDEN=1 to bless a deliberate change)",
        at + 1,
        expected.lines().nth(at).unwrap_or("<end>"),
        actual.lines().nth(at).unwrap_or("<end>")
    ))
}
