//! Progress bars for long stages (reading, merging, scoring): rows or bytes
//! done, rate and time left, on stderr. Shown only on a terminal, never with
//! `--quiet` or under CI, so scripts and logs stay clean.
//!
//! The same stages are told to an [`Observer`] when one is installed (the
//! local web page's progress bar), which can also ask a run to stop: the
//! pipeline calls [`checkpoint`] between its stages. Without an observer
//! both are no-ops, so the command line's output does not change.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Is an observer installed: the hot path's one check.
static OBSERVED: AtomicBool = AtomicBool::new(false);
static OBSERVER: RwLock<Option<Arc<dyn Observer>>> = RwLock::new(None);

/// Told of each stage a run goes through, as the bars are.
pub trait Observer: Send + Sync {
    /// A stage starts: its label (`reading`, `scoring 2022`, `tables`…),
    /// and its size in `unit` (0: a stage without a measure).
    fn stage(&self, label: &str, total: u64, unit: Unit);
    /// `n` more bytes or rows of the current stage are done.
    fn inc(&self, n: u64);
    /// Should the run stop at its next checkpoint?
    fn cancelled(&self) -> bool;
}

/// Install (or with `None` remove) the observer of the runs of this process.
pub fn observe(observer: Option<Arc<dyn Observer>>) {
    let on = observer.is_some();
    if let Ok(mut o) = OBSERVER.write() {
        *o = observer;
    }
    OBSERVED.store(on, Ordering::Release);
}

fn with_observer(f: impl FnOnce(&dyn Observer)) {
    if !OBSERVED.load(Ordering::Acquire) {
        return;
    }
    if let Ok(o) = OBSERVER.read() {
        if let Some(o) = o.as_deref() {
            f(o);
        }
    }
}

/// A run was asked to stop (by the observer) and did, between two stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the run was cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Between two stages: tell the observer the next one starts, and stop
/// here when it asked the run to.
pub fn checkpoint(next: &str) -> Result<(), Cancelled> {
    let mut stop = false;
    with_observer(|o| {
        stop = o.cancelled();
        if !stop {
            o.stage(next, 0, Unit::Rows);
        }
    });
    match stop {
        true => Err(Cancelled),
        false => Ok(()),
    }
}

/// Call once from the command line: bars show only on an interactive
/// terminal, outside CI, and without `--quiet`.
pub fn init(quiet: bool) {
    let on = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    ENABLED.store(on, Ordering::Relaxed);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Rows,
}

/// A bar, or nothing when bars are off. Cheap to update from a hot loop.
#[derive(Clone)]
pub struct Progress(Option<ProgressBar>);

impl Progress {
    pub fn new(total: u64, unit: Unit, label: &str) -> Self {
        with_observer(|o| o.stage(label, total, unit));
        if !ENABLED.load(Ordering::Relaxed) {
            return Progress(None);
        }
        let template = match unit {
            Unit::Bytes => "{msg:>18} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, {eta} left",
            Unit::Rows => {
                "{msg:>18} [{bar:30}] {human_pos}/{human_len} rows, {per_sec}, {eta} left"
            }
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(label.to_string());
        Progress(Some(bar))
    }

    /// No bar, whatever the terminal: for a quick read no one waits on.
    pub fn hidden() -> Self {
        Progress(None)
    }

    pub fn inc(&self, n: u64) {
        with_observer(|o| o.inc(n));
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// A reader that moves a bar by the bytes it reads.
pub struct Counting<R> {
    inner: R,
    bar: Progress,
}

impl<R> Counting<R> {
    pub fn new(inner: R, bar: Progress) -> Self {
        Counting { inner, bar }
    }
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}
