//! Progress bars for long stages (reading, merging, scoring): rows or bytes
//! done, rate and time left, on stderr. Shown only on a terminal, never with
//! `--quiet` or under CI, so scripts and logs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Call once from the command line: bars show only on an interactive
/// terminal, outside CI, and without `--quiet`.
pub fn init(quiet: bool) {
    let on = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    ENABLED.store(on, Ordering::Relaxed);
}

#[derive(Debug, Clone, Copy)]
pub enum Unit {
    Bytes,
    Rows,
}

/// A bar, or nothing when bars are off. Cheap to update from a hot loop.
#[derive(Clone)]
pub struct Progress(Option<ProgressBar>);

impl Progress {
    pub fn new(total: u64, unit: Unit, label: &str) -> Self {
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
