//! Requests to handlers: the host and token checks every request passes
//! first, the routes, and the catch that turns a panic in a handler into a
//! 500 page in Vietnamese rather than a dead server.

use super::http::{send, Reply, Req};
use super::{check, lock, pages, runs, token, upload, RunOptions, State};
use std::sync::Arc;

/// Answer one request; never panics.
pub fn handle(state: &Arc<State>, mut rq: tiny_http::Request) {
    let req = Req::of(&rq);
    let reply =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| route(state, &req, &mut rq)))
            .unwrap_or_else(|p| {
                let what = crate::panics::payload_text(p.as_ref());
                pages::error_page(&req, 500, &what)
            });
    send(rq, reply);
}

/// The host a loopback server must be reached by: a page of another site
/// that points a name at 127.0.0.1 (DNS rebinding) is refused.
fn host_ok(state: &State, host: Option<&str>) -> bool {
    if !state.loopback {
        return true;
    }
    let Some(host) = host else {
        return false;
    };
    let port = format!(":{}", state.port);
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|h| host == format!("{h}{port}") || (state.port == 80 && host == *h))
}

fn route(state: &Arc<State>, req: &Req, rq: &mut tiny_http::Request) -> Reply {
    if !host_ok(state, req.host.as_deref()) {
        return pages::error_page(req, 403, "host");
    }
    let get = matches!(req.method.as_str(), "GET" | "HEAD");
    if !get && !token::matches(&state.token, req.query.get("token").map(String::as_str)) {
        return pages::error_page(req, 403, "token");
    }
    match (get, req.path.as_str()) {
        (true, "/") => Reply::redirect(&pages::link(req, "/data")),
        (true, "/data") => pages::data::page(state, req),
        (true, "/run") => pages::run::page(state, req),
        (true, "/results") => pages::results::page(state, req),
        (true, "/progress") => progress(state),
        (true, "/template.xlsx") => template(state, req),
        (true, p) if p.starts_with("/files/") => file(state, req, &p["/files/".len()..]),
        (false, "/upload") => receive(state, req, rq),
        (false, "/clear") => clear(state, req),
        (false, "/run") => start_run(state, req, rq),
        (false, "/cancel") => cancel(state, req),
        _ => pages::error_page(req, 404, ""),
    }
}

fn file(state: &State, req: &Req, rel: &str) -> Reply {
    match super::confine(&state.layout.root, rel).map(|p| Reply::file(&p)) {
        Some(Ok(r)) => r,
        _ => pages::error_page(req, 404, ""),
    }
}

fn template(state: &State, req: &Req) -> Reply {
    let path = state.layout.downloads.join("mau_nhap_lieu.xlsx");
    let made = std::fs::create_dir_all(&state.layout.downloads)
        .map_err(anyhow::Error::from)
        .and_then(|_| crate::ingest::template::write_template(&path, req.lang()));
    match made.map(|_| Reply::file(&path)) {
        Ok(Ok(r)) => r,
        _ => pages::error_page(req, 500, "template"),
    }
}

fn progress(state: &State) -> Reply {
    let run = lock(&state.run);
    let p = run.job.as_ref().map(|j| j.progress());
    Reply::json(&serde_json::json!({
        "running": run.phase == runs::Phase::Running,
        "stage": p.as_ref().map(|p| p.stage.clone()),
        "pct": p.as_ref().map(|p| p.pct),
    }))
}

/// An upload: refused at once past the limit, streamed to a fresh folder,
/// moved into `inputs/` (replacing what was there unless `keep`), checked.
fn receive(state: &Arc<State>, req: &Req, rq: &mut tiny_http::Request) -> Reply {
    if req.content_length.is_some_and(|n| n > state.max_upload) {
        return pages::error_page(req, 413, "");
    }
    let Some(boundary) = upload::boundary(&req.content_type) else {
        return pages::error_page(req, 400, "multipart");
    };
    let Some(_busy) = super::try_busy(state) else {
        return pages::error_page(req, 409, "");
    };
    let tmp = state
        .layout
        .root
        .join(format!(".upload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let got = upload::receive(rq.as_reader(), &boundary, state.max_upload, &tmp);
    let got = match got {
        Ok(g) => g,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return match e {
                upload::UploadError::TooLarge => pages::error_page(req, 413, ""),
                upload::UploadError::Malformed(m) => pages::error_page(req, 400, &m),
                upload::UploadError::Io(e) => pages::error_page(req, 500, &e.to_string()),
            };
        }
    };
    let moved = move_in(state, &tmp, &got);
    let _ = std::fs::remove_dir_all(&tmp);
    if let Err(e) = moved {
        return pages::error_page(req, 500, &e.to_string());
    }
    let c = check::run_check(state);
    *lock(&state.check) = Some(c);
    *lock(&state.flash) = Some(pages::Flash::Uploaded(got));
    Reply::redirect(&pages::link(req, "/data"))
}

fn move_in(state: &State, tmp: &std::path::Path, got: &upload::Received) -> std::io::Result<()> {
    let inputs = &state.layout.inputs;
    if got.files.is_empty() {
        return Ok(());
    }
    if !got.fields.contains_key("keep") {
        let _ = std::fs::remove_dir_all(inputs);
    }
    std::fs::create_dir_all(inputs)?;
    for (name, _) in &got.files {
        std::fs::rename(tmp.join(name), inputs.join(name))?;
    }
    Ok(())
}

fn clear(state: &State, req: &Req) -> Reply {
    let Some(_busy) = super::try_busy(state) else {
        return pages::error_page(req, 409, "");
    };
    let _ = std::fs::remove_dir_all(&state.layout.inputs);
    let _ = std::fs::remove_dir_all(&state.layout.check);
    *lock(&state.check) = None;
    Reply::redirect(&pages::link(req, "/data"))
}

/// Read a small url-encoded form body.
fn small_form(rq: &mut tiny_http::Request) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let mut text = String::new();
    let _ = rq.as_reader().take(64 * 1024).read_to_string(&mut text);
    super::http::form(&text)
}

fn start_run(state: &Arc<State>, req: &Req, rq: &mut tiny_http::Request) -> Reply {
    let f = small_form(rq);
    let opts = RunOptions {
        missing: f.get("missing").cloned().unwrap_or_default(),
        by: f.get("by").cloned().unwrap_or_default(),
    };
    if !runs::start(state, opts) {
        return pages::error_page(req, 409, "");
    }
    Reply::redirect(&pages::link(req, "/run"))
}

fn cancel(state: &State, req: &Req) -> Reply {
    if let Some(job) = &lock(&state.run).job {
        job.cancel();
    }
    Reply::redirect(&pages::link(req, "/run"))
}
