//! A run as a transaction on its output folder: the lock, stale temporary
//! files, outputs of years not in the run, folders swapped in whole, the
//! manifest as the folder's commit record, and a full or read-only disk
//! named in the user's terms.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Whether `out` is what its manifest says: `Ok(inputs)` (the input paths
/// the manifest names) when it is complete and every output file under the
/// run's folders is listed with its hash; `Err(why)` when the folder is
/// marked incomplete (torn, and saying so). Panics on a manifest that
/// claims complete over files it does not match.
pub fn check_manifest(out: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(out.join("manifest.json"))
        .map_err(|e| format!("no manifest: {e}"))?;
    let m: serde_json::Value = serde_json::from_str(&text).expect("the manifest is JSON");
    match m["status"].as_str() {
        Some("complete") => {}
        Some("incomplete") => return Err("marked incomplete".into()),
        s => panic!("manifest status {s:?}"),
    }
    let mut listed: Vec<String> = Vec::new();
    for f in m["files"].as_array().expect("files listed") {
        let rel = f["path"].as_str().unwrap();
        let h = dachieu::manifest::hash_file(&out.join(rel))
            .unwrap_or_else(|e| panic!("complete manifest lists {rel}, unreadable: {e}"));
        assert_eq!(
            Some(h.sha256.as_str()),
            f["sha256"].as_str(),
            "{rel} does not match its hash"
        );
        assert!(
            f["made_from"].as_array().is_some_and(|a| !a.is_empty()),
            "{rel}"
        );
        listed.push(rel.to_string());
    }
    listed.sort();
    let mut present: Vec<String> = output_files(out);
    present.sort();
    assert_eq!(present, listed, "files present vs listed in the manifest");
    Ok((m["inputs"].as_array().unwrap().iter())
        .map(|i| i["path"].as_str().unwrap().to_string())
        .collect())
}

/// The run's output files under `out` (not hidden), relative.
fn output_files(out: &Path) -> Vec<String> {
    all_entries(out)
        .into_iter()
        .filter(|(rel, dir)| {
            !dir && (rel == "quarantine.csv"
                || [
                    "dataset/", "scored/", "tables/", "compare/", "lists/", "report/",
                ]
                .iter()
                .any(|p| rel.starts_with(p)))
                && !rel.split('/').any(|c| c.starts_with('.'))
        })
        .map(|(rel, _)| rel)
        .collect()
}

/// Every entry under `dir`, hidden ones too: (relative path, is a folder).
pub fn all_entries(dir: &Path) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            let is_dir = path.is_dir();
            if is_dir {
                stack.push(path);
            }
            out.push((rel, is_dir));
        }
    }
    out.sort();
    out
}

/// Hidden entries under `out` besides the lock: temporary files left behind.
pub fn leftovers(out: &Path) -> Vec<String> {
    all_entries(out)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.split('/').any(|c| c.starts_with('.')) && rel != ".dachieu.lock")
        .collect()
}

fn run_sample(out: &Path, extra: &[&str]) -> Output {
    let sample = sample_dir();
    let mut args = vec!["run", p(&sample), "--out", p(out)];
    args.extend_from_slice(extra);
    dachieu(&repo(), &args)
}

#[test]
fn a_second_writer_refuses_at_once_naming_the_holder_or_waits() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run_sample(&out, &["--no-report", "-q"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // This test process holds the folder, as a running `run` would.
    let lock = dachieu::outdir::lock_folder(&out).unwrap();
    let before = tree(&out);
    let holder = format!("pid {}", std::process::id());
    for args in [
        vec!["run", p(&sample_dir()), "--out", p(&out), "--no-report"],
        vec![
            "tables",
            "--scored",
            p(&out.join("scored")),
            "--out",
            p(&out.join("tables")),
        ],
    ] {
        let o = dachieu(tmp.path(), &args);
        // The holder (pid, command, time) differs each run.
        let at = o.stderr.find("process (").map_or(0, |a| a + 9);
        let end = o.stderr[at..].find("); wait").map_or(at, |e| at + e);
        let shown = Output {
            stderr: format!("{}<holder>{}", &o.stderr[..at], &o.stderr[end..]),
            stdout: String::new(),
            code: o.code,
        };
        assert_error_snapshot(&format!("outdir-locked-{}", args[0]), &shown, tmp.path());
        for part in [
            p(&out),
            "in use by another dachieu process",
            &holder,
            "since",
            "--wait",
        ] {
            assert!(
                o.stderr.contains(part),
                "{args:?}: no `{part}` in {}",
                o.stderr
            );
        }
    }
    assert_eq!(tree(&out), before, "a refused writer touched the folder");
    // With --wait it waits, then runs once the holder is done.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dachieu"))
        .args([
            "run",
            p(&sample_dir()),
            "--out",
            p(&out),
            "--no-report",
            "-q",
            "--wait",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert!(child.try_wait().unwrap().is_none(), "--wait did not wait");
    drop(lock);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("waiting for"));
    check_manifest(&out).unwrap();
}

#[test]
fn temp_files_of_dead_processes_are_removed_at_the_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(run_sample(&out, &["--no-report", "-q"]).code, 0);
    // What kills at different moments leave: every kind of temporary name.
    let dead = "4000000";
    write(&out.join(format!(".manifest.json.tmp-{dead}")), "x");
    write(
        &out.join(format!("tables/.rates_province.csv.tmp-{dead}")),
        "x",
    );
    write(
        &out.join(format!("dataset/.spill-{dead}-households/run-00000.arrows")),
        "x",
    );
    write(
        &out.join(format!(
            "dataset/.staging-survey_year=2020-{dead}/households.parquet"
        )),
        "x",
    );
    write(
        &out.join(format!(
            "scored/.staging-survey_year=2021-{dead}/scored.parquet"
        )),
        "x",
    );
    write(
        &out.join(format!(".staging-tables-{dead}/rates_province.csv")),
        "x",
    );
    assert_eq!(leftovers(&out).len(), 10, "{:?}", leftovers(&out));
    let o = run_sample(&out, &["--no-report", "-q"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    check_manifest(&out).unwrap();
}

/// The sample's rows of some years only.
fn sample_years(dir: &Path, years: &[&str]) -> PathBuf {
    for f in ["households.csv", "members.csv"] {
        let text = std::fs::read_to_string(sample_dir().join(f)).unwrap();
        let keep: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, l)| *i == 0 || years.iter().any(|y| l.starts_with(&format!("{y},"))))
            .map(|(_, l)| l)
            .collect();
        write(&dir.join(f), &(keep.join("\n") + "\n"));
    }
    dir.to_path_buf()
}

#[test]
fn a_run_with_fewer_years_leaves_nothing_of_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(run_sample(&out, &["--no-report", "-q"]).code, 0);
    assert!(out.join("compare/follow_up_2022.csv").exists());
    let only = sample_years(&tmp.path().join("y2021"), &["2021"]);
    let o = dachieu(
        tmp.path(),
        &["run", p(&only), "--out", p(&out), "-q", "--no-report"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    for part in ["dataset", "scored"] {
        assert_eq!(
            dachieu::dataset::years(&out.join(part)).unwrap(),
            vec![2021],
            "{part}"
        );
    }
    // No comparison this time: the old one, with its follow-up list of
    // household ids, is gone.
    assert!(!out.join("compare").exists());
    let rows = read_rows(&out.join("tables/rates_province.csv"));
    assert!(rows.iter().all(|r| r["survey_year"] == "2021"));
    // A later `tables` on the folder sees 2021 alone.
    let o = dachieu(
        tmp.path(),
        &["tables", "--scored", "out/scored", "--out", "out/t2", "-q"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows = read_rows(&out.join("t2/rates_province.csv"));
    assert!(rows.iter().all(|r| r["survey_year"] == "2021"));
    std::fs::remove_dir_all(out.join("t2")).unwrap();
    check_manifest(&out).unwrap();
}

#[test]
fn a_dataset_written_after_scoring_is_noticed_by_tables_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(run_sample(&out, &["--no-report", "-q"]).code, 0);
    let o = dachieu(
        tmp.path(),
        &["tables", "--scored", "out/scored", "--out", "out/tables"],
    );
    assert_eq!(o.code, 0);
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
    // As a kill between ingest and score leaves it: a new dataset beside
    // the old scored files.
    let o = dachieu(
        tmp.path(),
        &["ingest", p(&sample_dir()), "--dataset", "out/dataset", "-q"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    for cmd in ["tables", "report"] {
        let o = dachieu(
            tmp.path(),
            &[
                cmd,
                "--scored",
                "out/scored",
                "--out",
                &format!("out/{cmd}"),
                "-q",
            ],
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(
            o.stderr.contains("scored.parquet is older than")
                && o.stderr.contains("run `dachieu score` again"),
            "{cmd}: {}",
            o.stderr
        );
    }
    // A run that did not finish is named as such.
    let m = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    std::fs::write(
        out.join("manifest.json"),
        m.replace("\"complete\"", "\"incomplete\""),
    )
    .unwrap();
    let o = dachieu(
        tmp.path(),
        &[
            "tables",
            "--scored",
            "out/scored",
            "--out",
            "out/tables",
            "-q",
        ],
    );
    assert!(o.stderr.contains("did not finish"), "{}", o.stderr);
}

/// A tmpfs mounted for a test, unmounted when dropped; `None` (with a
/// note) where mounting is not permitted.
pub struct Mount(PathBuf);

impl Mount {
    pub fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                p(dir),
            ])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("note: cannot mount a tmpfs here (not root?): disk-full and read-only checks skipped");
        }
        ok.then(|| Mount(dir.to_path_buf()))
    }

    fn remount_ro(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro", p(&self.0)])
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").args(["-l", p(&self.0)]).status();
    }
}

/// Fill the file system at `dir` but for about `free` bytes.
fn fill(dir: &Path, free: u64) {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![7u8; 4096];
    let mut len = 0u64;
    while f.write_all(&chunk).is_ok() {
        len += chunk.len() as u64;
    }
    drop(f);
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(len.saturating_sub(free)).unwrap();
}

#[test]
fn a_full_disk_leaves_the_old_tables_and_names_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(m) = Mount::tmpfs(&tmp.path().join("disk"), "16m") else {
        return;
    };
    let out = m.0.join("out");
    let o = run_sample(&out, &["--no-report", "-q", "--format", "csv"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let before = tree(&out.join("tables"));
    fill(&m.0, 24 * 1024);
    let o = dachieu(
        tmp.path(),
        &[
            "tables",
            "--scored",
            p(&out.join("scored")),
            "--out",
            p(&out.join("tables")),
            "--by",
            "province,district,commune,region,area",
            "-q",
        ],
    );
    assert_error_snapshot("outdir-disk-full-tables", &o, tmp.path());
    assert_eq!(
        tree(&out.join("tables")),
        before,
        "the tables folder is half new"
    );
    assert!(
        o.stderr
            .contains(&format!("the disk holding {} is full", out.display())),
        "{}",
        o.stderr
    );
    assert_eq!(leftovers(&out), Vec::<String>::new());
    // A whole run on a disk too small: the user's folder, not Arrow's words.
    std::fs::remove_file(m.0.join("filler")).unwrap();
    fill(&m.0, 64 * 1024);
    let o = run_sample(&m.0.join("out2"), &["--no-report", "-q"]);
    assert_error_snapshot("outdir-disk-full-run", &o, tmp.path());
    assert!(
        o.stderr.contains("the disk holding") && o.stderr.contains("out2"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("Io error"), "{}", o.stderr);
    assert_eq!(leftovers(&m.0.join("out2")), Vec::<String>::new());
}

#[test]
fn a_read_only_out_is_named_not_an_internal_temp_path() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(m) = Mount::tmpfs(&tmp.path().join("ro"), "16m") else {
        return;
    };
    let out = m.0.join("out");
    assert_eq!(run_sample(&out, &["--no-report", "-q"]).code, 0);
    if !m.remount_ro() {
        eprintln!("note: cannot remount read-only here: check skipped");
        return;
    }
    for (name, o) in [
        (
            "outdir-read-only-existing",
            run_sample(&out, &["--no-report", "-q"]),
        ),
        (
            "outdir-read-only-new",
            run_sample(&m.0.join("new"), &["--no-report", "-q"]),
        ),
    ] {
        assert_error_snapshot(name, &o, tmp.path());
        assert!(
            o.stderr.contains("cannot write to the output folder"),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("read-only"), "{}", o.stderr);
        for internal in [".tmp-", ".staging", ".spill", ".dachieu.lock"] {
            assert!(!o.stderr.contains(internal), "{}", o.stderr);
        }
    }
}
