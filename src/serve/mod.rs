//! `dachieu serve`: the whole review in the office computer's own browser,
//! offline. A small HTTP server ([tiny_http]) on 127.0.0.1 renders the
//! pages on the server (Vietnamese, English with `?lang=en`): **Dữ liệu**
//! (upload and what ingest made of it), **Chạy rà soát** (the years, their
//! standards, a run with its progress, cancellable) and **Kết quả** (the
//! report, workbooks, lists, earlier runs). A run is `pipeline::run`, the
//! library pipeline of `dachieu run`, writing the same `out/` under the data
//! folder.
//!
//! The data folder holds `inputs/` (the uploaded files), `check/` (what
//! ingest made of them: its dataset and quarantine), `out/` (the last run),
//! `runs/` (each finished run's manifest) and `downloads/` (workbooks
//! written on request). Only files under it are served; every request that
//! changes anything carries the session's token.

mod browser;
mod check;
mod files;
mod http;
mod pages;
mod router;
mod runs;
mod token;
mod upload;

pub use browser::open_browser;
pub use files::confine;

use crate::pipeline::Plan;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The run options the page offers, as the command line spells them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// `--missing`: empty for each indicator's own policy.
    pub missing: String,
    /// `--by`: empty for the breakdown the data call for.
    pub by: String,
}

/// Turns the page's options into the plan `dachieu run` would make of
/// them (inputs folder, output folder, options): given by the command
/// line, so the page and the CLI share one set of defaults.
pub type PlanFn = dyn Fn(&Path, &Path, &RunOptions) -> anyhow::Result<Plan> + Send + Sync;

/// How to serve.
pub struct Config {
    /// The data folder (made when missing).
    pub data: PathBuf,
    /// The address to listen on: 127.0.0.1 unless `--listen` says otherwise.
    pub addr: SocketAddr,
    /// Largest upload, in bytes, of one request.
    pub max_upload: u64,
    pub plan: Arc<PlanFn>,
}

/// Where things live under the data folder.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
    pub inputs: PathBuf,
    pub check: PathBuf,
    pub out: PathBuf,
    pub runs: PathBuf,
    pub downloads: PathBuf,
}

impl Layout {
    fn of(root: PathBuf) -> Layout {
        Layout {
            inputs: root.join("inputs"),
            check: root.join("check"),
            out: root.join("out"),
            runs: root.join("runs"),
            downloads: root.join("downloads"),
            root,
        }
    }

    /// The run's previous output folder, kept aside while a run writes a
    /// new one, put back when it fails or is cancelled.
    fn previous_out(&self) -> PathBuf {
        self.root.join(".out-previous")
    }
}

/// What every request handler shares.
pub struct State {
    pub layout: Layout,
    pub token: String,
    pub max_upload: u64,
    /// The bound port, for the `Host` check.
    pub port: u16,
    /// Listening on loopback only: requests must name a loopback host.
    pub loopback: bool,
    pub plan: Arc<PlanFn>,
    /// What ingest made of the uploaded files, the last time it ran.
    pub check: Mutex<Option<check::Check>>,
    /// A note for the next page shown (an upload's outcome).
    pub flash: Mutex<Option<pages::Flash>>,
    /// The run going on or last finished.
    pub run: Mutex<runs::RunState>,
    /// Held by the one ingest check or run going on.
    pub busy: Mutex<()>,
}

/// A lock that survives a panic in another holder (which the request
/// catcher turned into an error page): the data behind it is plain.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The `busy` lock, waiting for an ingest check to finish; `None` while a
/// run goes on (it may take long: the page says so instead of waiting).
pub(crate) fn try_busy(state: &State) -> Option<MutexGuard<'_, ()>> {
    if lock(&state.run).phase == runs::Phase::Running {
        return None;
    }
    Some(lock(&state.busy))
}

/// A bound server, not yet answering.
pub struct Server {
    http: tiny_http::Server,
    state: Arc<State>,
}

impl Server {
    /// Make the data folder, put back an output folder a killed run left
    /// aside, and bind.
    pub fn bind(cfg: Config) -> anyhow::Result<Server> {
        std::fs::create_dir_all(&cfg.data).map_err(|e| crate::error::Error::io(&cfg.data, e))?;
        let root = cfg
            .data
            .canonicalize()
            .map_err(|e| crate::error::Error::io(&cfg.data, e))?;
        let layout = Layout::of(root);
        runs::recover(&layout)?;
        let http = tiny_http::Server::http(cfg.addr)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", cfg.addr))?;
        let bound = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| anyhow::anyhow!("the server has no IP address"))?;
        let state = State {
            check: Mutex::new(None),
            flash: Mutex::new(None),
            run: Mutex::new(runs::RunState::default()),
            busy: Mutex::new(()),
            token: token::new_token()?,
            max_upload: cfg.max_upload,
            port: bound.port(),
            loopback: bound.ip().is_loopback(),
            plan: cfg.plan,
            layout,
        };
        Ok(Server {
            http,
            state: Arc::new(state),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> Option<SocketAddr> {
        self.http.server_addr().to_ip()
    }

    /// The page's address, for the browser.
    pub fn url(&self) -> String {
        match self.addr() {
            Some(a) if a.ip().is_unspecified() => format!("http://127.0.0.1:{}/", a.port()),
            Some(a) => format!("http://{a}/"),
            None => String::new(),
        }
    }

    /// Answer requests until the process ends, one thread each.
    pub fn serve(self) {
        check::start_if_inputs(&self.state);
        for rq in self.http.incoming_requests() {
            let state = self.state.clone();
            std::thread::spawn(move || router::handle(&state, rq));
        }
    }
}
