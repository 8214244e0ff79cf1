//! `dachieu serve`: the review in the computer's own browser. Binds
//! 127.0.0.1 (another address only with `--listen`, with a warning),
//! prints the page's address, opens the default browser unless
//! `--no-open`, and serves until stopped. A run from the page is the plan
//! `dachieu run` would make of the same options.

use super::Outcome;
use crate::serve::{Config, RunOptions, Server};
use clap::Parser;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Data folder: uploads (inputs/), checks, runs (out/, the same as `dachieu run --out`), history.
    #[arg(long, default_value = "dachieu-data")]
    pub data: PathBuf,
    /// Do not open the browser.
    #[arg(long)]
    pub no_open: bool,
    /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0: every
    /// computer of the network can then use the page and its data).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<IpAddr>,
    /// Largest upload (bytes, or with K, M, G).
    #[arg(long, default_value = "2G", value_parser = parse_size)]
    pub max_upload: u64,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("`{s}` is not a size like 500M or 2G"))
}

/// The plan `dachieu run INPUTS --out OUT [--missing M] [--by B]` makes:
/// one set of defaults for the page and the command line.
fn plan(inputs: &Path, out: &Path, o: &RunOptions) -> anyhow::Result<crate::pipeline::Plan> {
    let mut args: Vec<std::ffi::OsString> = vec!["run".into(), inputs.into(), "--out".into()];
    args.push(out.into());
    if !o.missing.is_empty() {
        args.extend(["--missing".into(), o.missing.clone().into()]);
    }
    if !o.by.is_empty() {
        args.extend(["--by".into(), o.by.clone().into()]);
    }
    #[derive(Parser)]
    struct Run {
        #[command(flatten)]
        run: super::run::Args,
    }
    let a = Run::try_parse_from(args).map_err(|e| anyhow::anyhow!("{}", e.render()))?;
    a.run.plan()
}

/// The arguments to parse: `args` as given, except that on Windows a start
/// without any argument — a double-click on `dachieu.exe` — is
/// `dachieu serve`, so that a person who never opens a terminal gets the
/// page (elsewhere it prints the help, as before).
pub fn args_or_serve(args: Vec<std::ffi::OsString>, windows: bool) -> Vec<std::ffi::OsString> {
    match args.as_slice() {
        [program] if windows => {
            eprintln!(
                "Không có lệnh: mở trang rà soát (dachieu serve). Xem các lệnh: dachieu --help"
            );
            vec![program.clone(), "serve".into()]
        }
        _ => args,
    }
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    crate::panics::unwind_to_callers();
    let ip = a.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {ip}: other computers that reach this one can open the page, upload and read the data folder; use it only on a network you trust"
        );
    }
    let server = Server::bind(Config {
        data: a.data.clone(),
        addr: SocketAddr::new(ip, a.port),
        max_upload: a.max_upload,
        plan: Arc::new(plan),
    })?;
    let url = server.url();
    // Printed for the user (and a test) to read; a closed or missing
    // console (a shortcut's) must not stop the server.
    {
        use std::io::Write as _;
        let mut o = std::io::stdout();
        let _ = writeln!(
            o,
            "dachieu serve: {url} (data folder: {})\nstop with Ctrl+C",
            a.data.display()
        );
        let _ = o.flush();
    }
    if !a.no_open && !crate::serve::open_browser(&url) {
        eprintln!("could not open a browser: open {url} yourself");
    }
    server.serve();
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_parse() {
        assert_eq!(super::parse_size("2G"), Ok(2 << 30));
        assert_eq!(super::parse_size("500m"), Ok(500 << 20));
        assert_eq!(super::parse_size("1000"), Ok(1000));
        assert!(super::parse_size("lots").is_err());
    }
}

#[cfg(test)]
mod start_tests {
    use super::args_or_serve;

    #[test]
    fn a_double_click_on_windows_starts_the_page() {
        let args = |v: &[&str]| {
            v.iter()
                .map(Into::into)
                .collect::<Vec<std::ffi::OsString>>()
        };
        assert_eq!(
            args_or_serve(args(&["dachieu.exe"]), true),
            args(&["dachieu.exe", "serve"])
        );
        assert_eq!(args_or_serve(args(&["dachieu"]), false), args(&["dachieu"]));
        let run = args(&["dachieu.exe", "run", "x"]);
        assert_eq!(args_or_serve(run.clone(), true), run);
    }
}
