//! The `dachieu` command: parse arguments, call the library, map the outcome
//! to an exit code (0 success, 1 findings, 2 error). Broken pipe exits 0.

use clap::Parser;
use dachieu::cmd::{Cli, Outcome};

fn main() {
    // A panic is one line naming the bug and exit 2, never a backtrace.
    dachieu::panics::install_hook();
    // Double-clicked on Windows: no argument, a console window of its own.
    let double_clicked = cfg!(windows) && std::env::args_os().len() == 1;
    let args = dachieu::cmd::serve::args_or_serve(std::env::args_os().collect(), cfg!(windows));
    let cli = Cli::parse_from(args);
    let code = match dachieu::cmd::run(cli) {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::Findings) => 1,
        Err(e) => {
            if is_broken_pipe(&e) {
                0
            } else {
                eprintln!("error: {}", message(&e));
                2
            }
        }
    };
    if double_clicked && code != 0 {
        // The window closes with the program: keep the error readable.
        eprintln!("Nhấn Enter để đóng cửa sổ này.");
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    std::process::exit(code);
}

/// The error and its causes on one line, each cause once: a message that
/// already ends with its cause's text (`file: No such file or directory`)
/// is not followed by that text again.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
