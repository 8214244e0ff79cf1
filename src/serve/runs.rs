//! A run from the page: `pipeline::run` on a thread of its own, told of
//! each stage through the progress observer (the stages of the command
//! line's bars), stopped between stages when cancelled. The last run's
//! folder is set aside while the new one is written, and put back whole
//! when the new run fails or is cancelled: `out/` is always one complete
//! run. Each finished run's manifest is kept under `runs/`.

use super::{lock, Layout, RunOptions, State};
use crate::progress::{Observer, Unit};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The stages of a run, in order, as the pipeline names them (a scoring
/// bar is `scoring YEAR`).
pub const STAGES: &[&str] = &[
    "reading",
    "writing dataset",
    "scoring",
    "tables",
    "comparison",
    "lists",
    "report",
    "manifest",
];

/// How a run stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Phase {
    #[default]
    Idle,
    Running,
    Done,
    Cancelled,
    Failed(super::check::Problem),
}

#[derive(Default)]
pub struct RunState {
    pub phase: Phase,
    pub job: Option<Arc<Job>>,
}

/// A run going on: its current stage and how far it is, and the cancel flag.
#[derive(Default)]
pub struct Job {
    stage: Mutex<(String, u64, bool)>,
    done: AtomicU64,
    cancel: AtomicBool,
}

impl Observer for Job {
    fn stage(&self, label: &str, total: u64, unit: Unit) {
        *lock(&self.stage) = (label.to_string(), total, unit == Unit::Bytes);
        self.done.store(0, Ordering::Relaxed);
    }
    fn inc(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Where a run is: the stage, its index among [`STAGES`], the share of
/// the stage done and of the whole run (0–100).
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub stage: String,
    pub step: usize,
    pub stage_pct: f64,
    pub pct: f64,
}

impl Job {
    pub fn progress(&self) -> Progress {
        let (stage, total, _) = lock(&self.stage).clone();
        let done = self.done.load(Ordering::Relaxed);
        let step = (STAGES.iter())
            .position(|s| stage.starts_with(s))
            .unwrap_or(0);
        let frac = match total {
            0 => 0.0,
            t => (done as f64 / t as f64).min(1.0),
        };
        Progress {
            stage,
            step,
            stage_pct: 100.0 * frac,
            pct: 100.0 * (step as f64 + frac) / STAGES.len() as f64,
        }
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The error and its causes on one line, each once.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for c in e.chain() {
        let t = c.to_string();
        if out.ends_with(&t) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&t);
    }
    out
}

/// Start a run unless one (or an ingest check) is going on; false when busy.
pub fn start(state: &Arc<State>, opts: RunOptions) -> bool {
    let job = Arc::new(Job::default());
    {
        let mut run = lock(&state.run);
        if run.phase == Phase::Running {
            return false;
        }
        run.phase = Phase::Running;
        run.job = Some(job.clone());
    }
    let state = state.clone();
    std::thread::spawn(move || {
        let phase = {
            let _busy = lock(&state.busy);
            crate::progress::observe(Some(job.clone()));
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_in_place(&state, &opts)
            }));
            crate::progress::observe(None);
            match r {
                Ok(Ok(())) => Phase::Done,
                Ok(Err(e)) if e.downcast_ref::<crate::progress::Cancelled>().is_some() => {
                    Phase::Cancelled
                }
                Ok(Err(e)) => Phase::Failed(failure(&e)),
                Err(p) => Phase::Failed(super::check::Problem {
                    vi: "Lỗi nội bộ của chương trình khi chạy rà soát; kết quả trước vẫn giữ nguyên. Hãy báo lỗi này kèm các tệp dữ liệu.".into(),
                    en: "An internal error stopped the run; the previous results are kept. Please report it with the data files.".into(),
                    detail: crate::panics::payload_text(p.as_ref()),
                    alert: true,
                }),
            }
        };
        let mut run = lock(&state.run);
        run.phase = phase;
    });
    true
}

/// A failed run's message for the page.
fn failure(e: &anyhow::Error) -> super::check::Problem {
    if e.downcast_ref::<crate::pipeline::NothingAccepted>()
        .is_some()
    {
        return super::check::Problem {
            vi: "Không có dòng hộ nào hợp lệ nên không có gì để rà soát. Xem các dòng bị loại và lý do ở trang Dữ liệu, sửa rồi tải lên lại.".into(),
            en: "No household row was accepted, so there is nothing to review. See the rejected rows and their reasons on the Data page, fix them and upload again.".into(),
            detail: one_line(e),
            alert: true,
        };
    }
    let mut p = super::check::refusal(e);
    p.vi.push_str(" Kết quả lần chạy trước vẫn giữ nguyên.");
    p.en.push_str(" The previous results are kept.");
    p
}

/// The run itself: the old `out/` set aside, `pipeline::run` into a fresh
/// one, and the old one put back if this one does not finish.
fn run_in_place(state: &State, opts: &RunOptions) -> anyhow::Result<()> {
    let l = &state.layout;
    let plan = (state.plan)(&l.inputs, &l.out, opts)?;
    let previous = l.previous_out();
    remove(&previous)?;
    if l.out.exists() {
        std::fs::rename(&l.out, &previous)?;
    }
    match crate::pipeline::run(&plan) {
        Ok(_) => {
            keep_manifest(l)?;
            remove(&previous)?;
            Ok(())
        }
        Err(e) => {
            remove(&l.out)?;
            if previous.exists() {
                std::fs::rename(&previous, &l.out)?;
            }
            Err(e)
        }
    }
}

fn remove(p: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A server killed mid-run left the previous `out/` aside: put it back
/// (the new one is incomplete by definition).
pub fn recover(l: &Layout) -> anyhow::Result<()> {
    let previous = l.previous_out();
    if previous.exists() {
        remove(&l.out)?;
        std::fs::rename(&previous, &l.out)?;
    }
    Ok(())
}

/// Copy the finished run's manifest to `runs/NNNN/manifest.json`, with
/// the time it finished (seconds since 1970) in `finished.txt`.
fn keep_manifest(l: &Layout) -> anyhow::Result<()> {
    let n = history(l).iter().map(|r| r.number).max().unwrap_or(0) + 1;
    let dir = l.runs.join(format!("{n:04}"));
    std::fs::create_dir_all(&dir)?;
    std::fs::copy(l.out.join("manifest.json"), dir.join("manifest.json"))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    std::fs::write(dir.join("finished.txt"), now.to_string())?;
    Ok(())
}

/// One finished run of this data folder.
#[derive(Debug, Clone)]
pub struct PastRun {
    pub number: u32,
    /// `runs/NNNN/manifest.json`, relative to the data folder.
    pub manifest: String,
    pub finished: u64,
    pub json: serde_json::Value,
}

/// The finished runs of the data folder, newest first.
pub fn history(l: &Layout) -> Vec<PastRun> {
    let mut v: Vec<PastRun> = std::fs::read_dir(&l.runs)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let number: u32 = name.parse().ok()?;
            let text = std::fs::read_to_string(e.path().join("manifest.json")).ok()?;
            let finished = std::fs::read_to_string(e.path().join("finished.txt"))
                .ok()
                .and_then(|t| t.trim().parse().ok())
                .unwrap_or(0);
            Some(PastRun {
                number,
                manifest: format!("runs/{name}/manifest.json"),
                finished,
                json: serde_json::from_str(&text).ok()?,
            })
        })
        .collect();
    v.sort_by_key(|r| std::cmp::Reverse(r.number));
    v
}
