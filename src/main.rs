//! The `dachieu` command: parse arguments, call the library, map the outcome
//! to an exit code (0 success, 1 findings, 2 error). Broken pipe exits 0.

use clap::Parser;
use dachieu::cmd::{Cli, Outcome};

fn main() {
    // A panic is one line naming the bug and exit 2, never a backtrace.
    dachieu::panics::install_hook();
    let cli = Cli::parse();
    let code = match dachieu::cmd::run(cli) {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::Findings) => 1,
        Err(e) => {
            if is_broken_pipe(&e) {
                0
            } else {
                eprintln!("error: {e:#}");
                2
            }
        }
    };
    std::process::exit(code);
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
