//! The one place a worker-thread count is set (`score`, `run`, `synth`), so
//! a careless `--threads 100000` cannot spawn tens of thousands of threads
//! (minutes of machine-wide stall, or a stack-overflow abort).
//!
//! The ceiling is 4 × the machine's available parallelism, and never below
//! [`FLOOR`]: the work is CPU-bound, so threads beyond the cores only cost
//! memory (a stack and buffers each), yet a few more than the cores keep a
//! thread-invariance check (`--threads 3` against `--threads 1`) meaning
//! the same on a 1-core or 2-core machine as on a workstation.

/// The ceiling never goes below this, whatever the machine.
pub const FLOOR: usize = 8;
/// The ceiling is this many threads per available core.
pub const PER_CORE: usize = 4;

/// The most worker threads a run may use on a machine with `cores` cores.
pub fn ceiling(cores: usize) -> usize {
    cores.saturating_mul(PER_CORE).max(FLOOR)
}

/// The thread count to use for `--threads requested` (`None`: not given)
/// on a machine with `cores` cores, and a warning when the request (or
/// `RAYON_NUM_THREADS`, read by the pool when no count is given) was
/// lowered. `0` means all cores, as when the option is left out.
pub fn resolve(
    requested: Option<usize>,
    env: Option<&str>,
    cores: usize,
) -> (Option<usize>, Option<String>) {
    let max = ceiling(cores);
    let (n, what) = match requested {
        Some(0) => return (Some(cores.max(1)), None),
        Some(n) => (n, "--threads".to_string()),
        None => match env.and_then(|v| v.trim().parse::<usize>().ok()) {
            Some(n) => (n, "RAYON_NUM_THREADS".to_string()),
            None => return (None, None),
        },
    };
    if n > max {
        let warning = format!(
            "{what} {n} is more than this machine can use; using {max} threads (at most {PER_CORE} per core, {cores} core(s) available)"
        );
        (Some(max), Some(warning))
    } else {
        (requested, None)
    }
}

impl super::Command {
    /// The `--threads` a subcommand was given, if it takes one.
    pub fn threads(&self) -> Option<usize> {
        match self {
            super::Command::Score(a) => a.flags.threads,
            super::Command::Run(a) => a.score.threads,
            super::Command::Synth(a) => a.threads,
            _ => None,
        }
    }
}

/// Size the global worker pool for `--threads requested`, warning on stderr
/// when the count was capped. Every subcommand goes through here before it
/// starts (a pool left to rayon would read `RAYON_NUM_THREADS` unchecked);
/// later calls do nothing, as the pool is built once.
pub fn init(requested: Option<usize>) {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| build(requested));
}

fn build(requested: Option<usize>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let env = std::env::var("RAYON_NUM_THREADS").ok();
    let (n, warning) = resolve(requested, env.as_deref(), cores);
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
    if let Some(n) = n {
        // A second call (tests in one process) keeps the first pool: fine.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_count_is_capped_with_a_warning_naming_the_value_used() {
        let (n, w) = resolve(Some(100_000), None, 2);
        assert_eq!(n, Some(8));
        let w = w.unwrap();
        assert!(
            w.contains("--threads 100000") && w.contains("using 8 threads"),
            "{w}"
        );
        assert_eq!(resolve(Some(100_000), None, 16).0, Some(64));
    }

    #[test]
    fn sane_counts_pass_through_and_zero_means_all_cores() {
        assert_eq!(resolve(Some(3), None, 2), (Some(3), None));
        assert_eq!(resolve(Some(8), None, 2), (Some(8), None));
        assert_eq!(resolve(Some(0), None, 6), (Some(6), None));
        assert_eq!(resolve(None, None, 6), (None, None));
    }

    #[test]
    fn the_environment_variable_is_capped_too() {
        let (n, w) = resolve(None, Some("50000"), 2);
        assert_eq!(n, Some(8));
        assert!(w.unwrap().contains("RAYON_NUM_THREADS 50000"));
        assert_eq!(resolve(None, Some("4"), 2), (None, None));
        // --threads wins over the variable, as in rayon.
        assert_eq!(resolve(Some(2), Some("50000"), 2), (Some(2), None));
    }
}
