//! Panics: what a user sees when one happens, and the guard that turns a
//! panic inside a third-party file decoder into an error naming the file.
//!
//! A panic is a bug (in dachieu or a library it calls), never the user's
//! doing: the user gets one line saying so and what to do, never a
//! backtrace (even with `RUST_BACKTRACE` set), and exit code 2 — from
//! whichever thread panicked, so a panic in a worker cannot leave the
//! process waiting for a result that never comes.

use crate::error::{Error, Result};
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    /// Depth of [`guard`] calls running on this thread. A panic inside one
    /// is caught and reported as an input error, so the hook stays quiet
    /// and lets it unwind to the guard.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Set by `dachieu serve`: a panic unwinds (after its one line) to the
/// request or run that raised it, which answers with an error page, so one
/// bug does not take the page down.
static UNWIND: AtomicBool = AtomicBool::new(false);

/// Let panics unwind to their `catch_unwind` instead of exiting: for a
/// long-lived server whose every request and run is caught.
pub fn unwind_to_callers() {
    UNWIND.store(true, Ordering::Relaxed);
}

/// Install the hook for the `dachieu` binary. Library users (and the
/// tests) keep Rust's default hook.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        if GUARDED.with(Cell::get) > 0 {
            return;
        }
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        eprintln!("{}", message(&payload_text(info.payload()), at.as_deref()));
        if UNWIND.load(Ordering::Relaxed) {
            return;
        }
        // Exiting here, not unwinding, is what keeps a panic on a worker
        // thread from leaving the main thread waiting forever.
        std::process::exit(2);
    }));
}

/// The one line a user sees for a panic with `what` as its message,
/// raised at `at` (source file and line, for the bug report).
pub fn message(what: &str, at: Option<&str>) -> String {
    let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = at.map(|a| format!(" (at {a})")).unwrap_or_default();
    format!(
        "error: internal error: {what}{at} — this is a bug in dachieu; please report it with the command you ran"
    )
}

/// The text a panic was raised with.
pub fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Run `decode`, which reads `path` through a third-party decoder; a panic
/// inside it becomes an input error naming the file, ending with `fix`
/// (what the user should do). Files are validated before decoding (see
/// `parquet_check`); this is the belt for the decoder's own bugs on the
/// damage validation cannot foresee.
pub fn guard<T>(path: &Path, fix: &str, decode: impl FnOnce() -> Result<T>) -> Result<T> {
    struct Depth;
    impl Drop for Depth {
        fn drop(&mut self) {
            GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
        }
    }
    GUARDED.with(|g| g.set(g.get() + 1));
    let depth = Depth;
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode));
    drop(depth);
    out.unwrap_or_else(|p| {
        Err(Error::input(
            path,
            format!(
                "the file is damaged: decoding it failed ({}); {fix}",
                payload_text(p.as_ref())
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_naming_the_bug_and_what_to_do() {
        let m = message("index out of bounds:\n the len is 3", Some("src/x.rs:7"));
        assert_eq!(m.lines().count(), 1, "{m}");
        assert!(m.starts_with("error: internal error: index out of bounds: the len is 3"));
        assert!(m.contains("(at src/x.rs:7)"));
        assert!(m.contains("this is a bug in dachieu; please report it with the command you ran"));
    }

    #[test]
    fn a_guarded_panic_becomes_an_input_error() {
        let path = Path::new("x.parquet");
        let r: Result<()> = guard(path, "export it again", || {
            panic!("offset + len out of bounds")
        });
        let e = r.unwrap_err().to_string();
        assert!(e.starts_with("x.parquet: "), "{e}");
        assert!(e.contains("offset + len out of bounds") && e.ends_with("export it again"));
        assert_eq!(GUARDED.with(Cell::get), 0, "the depth is restored");
        assert_eq!(guard(path, "", || Ok(3)).unwrap(), 3);
    }

    /// Run as a child process by the test below: the installed hook, then
    /// a panic on a rayon worker.
    #[test]
    fn panicking_child() {
        if std::env::var_os("DACHIEU_TEST_PANIC_CHILD").is_none() {
            return;
        }
        use rayon::prelude::*;
        install_hook();
        // A panic the guard catches is an error, not a bug report.
        let caught: Result<()> = guard(Path::new("f"), "fix", || panic!("caught by the guard"));
        assert!(caught.is_err());
        let v: Vec<u32> = (0..64u32)
            .into_par_iter()
            .map(|i| {
                if i == 63 {
                    panic!("boom in a worker")
                } else {
                    i
                }
            })
            .collect();
        println!("{}", v.len());
    }

    /// The binary's hook prints one line, no backtrace even with
    /// RUST_BACKTRACE=1, and exits 2 even when a worker thread panicked.
    #[test]
    fn the_hook_prints_one_line_and_exits_2() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "panics::tests::panicking_child", "--nocapture"])
            .args(["--test-threads", "1"])
            .env("DACHIEU_TEST_PANIC_CHILD", "1")
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.contains("internal error"))
            .collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(lines[0].contains("boom in a worker"), "{err}");
        assert!(!err.contains("caught by the guard"), "{err}");
        assert!(!err.contains("backtrace"), "{err}");
        assert!(!err.contains("panicked at"), "{err}");
    }
}
