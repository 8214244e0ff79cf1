//! `dachieu serve` at the HTTP level, no browser: the server binds
//! 127.0.0.1 unless told otherwise; a path outside the data folder (`..`,
//! absolute, encoded, through a link) is refused; a request that changes
//! anything without the session's token is refused (403) and changes
//! nothing; an upload over the limit is refused (413) and leaves nothing on
//! disk; and an upload of the sample, checked, run and read back, gives the
//! results `dachieu run` gives.

use crate::common::*;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A `dachieu serve --no-open --port 0` of a data folder, killed on drop.
pub struct Served {
    child: Child,
    /// Kept open: the server's stdout is the test's pipe.
    _stdout: std::io::BufReader<std::process::ChildStdout>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    pub url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    pub fn start(data: &Path, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dachieu"))
            .args(["serve", "--no-open", "--port", "0", "--data", p(data)])
            .args(extra)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dachieu serve starts");
        let mut line = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Served {
            child,
            _stdout: stdout,
            addr,
            url,
        }
    }

    /// One request: status, headers (lower-case names), body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        raw(&self.addr, method, path, headers, body)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }

    /// The session token, read from a page's form.
    pub fn token(&self) -> String {
        let page = self.get("/data").text();
        let at = page.find("token=").expect("a form with the token") + 6;
        page[at..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect()
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        (self.headers.iter())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// HTTP/1.1 over a plain socket, the connection closed after one answer.
pub fn raw(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(300)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    let chunked = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"));
    if !chunked {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) and close before the body is all sent.
    let _ = if chunked {
        let mut b = Vec::new();
        for c in body.chunks(1000) {
            b.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
            b.extend_from_slice(c);
            b.extend_from_slice(b"\r\n");
        }
        b.extend_from_slice(b"0\r\n\r\n");
        s.write_all(&b)
    } else {
        s.write_all(body)
    };
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    parse(&all)
}

fn parse(all: &[u8]) -> Reply {
    let end = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer: {:?}", String::from_utf8_lossy(all)));
    let head = String::from_utf8_lossy(&all[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = all[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

pub fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

/// A multipart body of files (name, bytes) under the field `files`.
pub fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----dachieuTestBoundary7MA4YWxk";
    let mut b = Vec::new();
    for (name, data) in files {
        b.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

#[test]
fn it_listens_on_127_0_0_1_unless_told_and_checks_the_host() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Served::start(&tmp.path().join("data"), &[]);
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    let page = s.get("/data");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("Tải dữ liệu lên"),
        "Vietnamese by default"
    );
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(s.get("/data?lang=en").text().contains("Upload data"));
    // A page of another site pointing its name at 127.0.0.1 is refused.
    let r = s.request("GET", "/data", &[("Host", "evil.example:80")], b"");
    assert_eq!(r.status, 403);
    // Nothing from the network: no external address in the pages.
    for path in ["/data", "/run", "/results"] {
        let t = s.get(path).text();
        assert!(!t.contains("https://") && !t.contains("http://"), "{path}");
    }
}

#[test]
fn paths_outside_the_data_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("out")).unwrap();
    std::fs::write(data.join("out/ok.csv"), "a,b\n").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), data.join("link.txt")).unwrap();
    let s = Served::start(&data, &[]);
    let ok = s.get("/files/out/ok.csv");
    assert_eq!(ok.status, 200);
    assert_eq!(ok.text(), "a,b\n");
    let disposition = ok.header("content-disposition").unwrap_or_default();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let secret = p(&tmp.path().join("secret.txt")).to_string();
    for path in [
        "/files/../secret.txt".to_string(),
        "/files/out/../../secret.txt".into(),
        "/files/%2e%2e/secret.txt".into(),
        "/files/%2E%2E%2Fsecret.txt".into(),
        "/files/out/%2e%2e/%2e%2e/secret.txt".into(),
        format!("/files/{secret}"),
        format!("/files/{}", secret.replace('/', "%2F")),
        "/files//etc/passwd".into(),
        "/files/link.txt".into(),
        "/files/out/..%5c..%5csecret.txt".into(),
    ] {
        let r = s.get(&path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("SECRET"), "{path}");
    }
}

#[test]
fn a_request_that_changes_anything_needs_the_session_token() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("inputs")).unwrap();
    std::fs::write(data.join("inputs/households.csv"), "x\n").unwrap();
    let s = Served::start(&data, &[]);
    let token = s.token();
    assert_eq!(token.len(), 64);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    for path in [
        "/clear".to_string(),
        "/clear?token=".into(),
        format!("/clear?token={}", "0".repeat(64)),
        format!("/clear?token={}", &token[..63]),
    ] {
        let r = s.request("POST", &path, &form, b"");
        assert_eq!(r.status, 403, "{path}");
        assert!(r.text().contains("mã phiên không khớp"), "{path}");
        assert!(
            data.join("inputs/households.csv").exists(),
            "{path} changed nothing"
        );
    }
    for path in ["/run", "/cancel", "/upload"] {
        assert_eq!(s.request("POST", path, &form, b"").status, 403, "{path}");
    }
    let r = s.request("POST", &format!("/clear?token={token}"), &form, b"");
    assert_eq!(r.status, 303);
    assert!(!data.join("inputs").exists(), "the right token clears");
}

#[test]
fn an_upload_over_the_limit_is_refused_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let s = Served::start(&data, &["--max-upload", "4K"]);
    let token = s.token();
    let big = vec![b'1'; 10_000];
    let (ctype, body) = multipart(&[("households.csv", &big)]);
    let path = format!("/upload?token={token}");
    let r = s.request("POST", &path, &[("Content-Type", &ctype)], &body);
    assert_eq!(r.status, 413);
    assert!(r.text().contains("quá lớn"), "{}", r.text());
    // Without a length, the limit is counted as the body streams in.
    let r = s.request(
        "POST",
        &path,
        &[("Content-Type", &ctype), ("Transfer-Encoding", "chunked")],
        &body,
    );
    assert_eq!(r.status, 413);
    let left: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "nothing left on disk: {left:?}");
    // Under the limit, the same request is taken.
    let (ctype, body) = multipart(&[("households.csv", b"household_id\n")]);
    let r = s.request("POST", &path, &[("Content-Type", &ctype)], &body);
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(data.join("inputs/households.csv").is_file());
}

/// Upload the sample over HTTP, run it, and read the results page: the
/// run wrote the same files `dachieu run` writes, and the page shows its
/// key figures.
#[test]
fn upload_run_and_results_over_http_match_dachieu_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let s = Served::start(&data, &[]);
    let token = s.token();
    let sample = sample_dir();
    let h = std::fs::read(sample.join("households.csv")).unwrap();
    let m = std::fs::read(sample.join("members.csv")).unwrap();
    let (ctype, body) = multipart(&[
        ("households.csv", &h),
        ("members.csv", &m),
        ("README.md", b"#"),
    ]);
    let r = s.request(
        "POST",
        &format!("/upload?token={token}"),
        &[("Content-Type", &ctype)],
        &body,
    );
    assert_eq!(r.status, 303);
    let page = s.get("/data").text();
    assert!(page.contains("README.md: không phải tệp dữ liệu"), "{page}");
    assert!(page.contains("id=\"tables\""), "{page}");
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let r = s.request(
        "POST",
        &format!("/run?token={token}"),
        &form,
        b"missing=&by=",
    );
    assert_eq!(r.status, 303);
    wait_for_run(&s);
    // The same run on the command line.
    let o = dachieu(tmp.path(), &["run", p(&sample), "--out", "cli"]);
    assert!(o.code <= 1, "{}", o.stderr);
    let served = std::fs::read(data.join("out/tables/rates_province.csv")).unwrap();
    let cli = std::fs::read(tmp.path().join("cli/tables/rates_province.csv")).unwrap();
    assert_eq!(
        served, cli,
        "the page's run writes what `dachieu run` writes"
    );
    let results = s.get("/results").text();
    for (year, households, poor) in key_figures(&tmp.path().join("cli")) {
        assert!(
            results.contains(&format!("id=\"households-{year}\">{households}<")),
            "{year}: {results}"
        );
        assert!(
            results.contains(&format!("id=\"poor-pct-{year}\">{poor}<")),
            "{year}"
        );
    }
    assert!(results.contains("id=\"history\""), "the run is listed");
    assert!(data.join("runs/0001/manifest.json").is_file());
}

/// Wait until the page's run is done (at most five minutes).
pub fn wait_for_run(s: &Served) {
    for _ in 0..600 {
        let page = s.get("/run").text();
        if page.contains("id=\"done\"") {
            return;
        }
        assert!(!page.contains("id=\"failed\""), "{page}");
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    panic!("the run did not finish in five minutes");
}

/// Each year's households and poor % of a `dachieu run` folder's total
/// rows, written as the Vietnamese page writes them.
pub fn key_figures(out: &Path) -> Vec<(String, String, String)> {
    let mut r = csv::Reader::from_path(out.join("tables/rates_province.csv")).unwrap();
    let head = r.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let lang = dachieu::i18n::Lang::Vi;
    let rows: Vec<_> = r
        .records()
        .map(|x| x.unwrap())
        .filter(|x| &x[col("level")] == "total")
        .map(|x| {
            (
                x[col("survey_year")].to_string(),
                lang.count(x[col("households")].parse().unwrap()),
                lang.pct(x[col("poor_pct")].parse().unwrap(), 2),
            )
        })
        .collect();
    assert!(!rows.is_empty());
    rows
}

/// A run cancelled from the page stops between stages and leaves the last
/// run's `out/` as it was, byte for byte.
#[test]
fn a_cancelled_run_leaves_the_previous_results_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("inputs")).unwrap();
    for f in ["households.csv", "members.csv"] {
        std::fs::copy(sample_dir().join(f), data.join("inputs").join(f)).unwrap();
    }
    let s = Served::start(&data, &[]);
    let token = s.token();
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let run = format!("/run?token={token}");
    assert_eq!(s.request("POST", &run, &form, b"by=province").status, 303);
    wait_for_run(&s);
    let before = std::fs::read(data.join("out/manifest.json")).unwrap();
    // Another breakdown, cancelled at once.
    assert_eq!(s.request("POST", &run, &form, b"by=region").status, 303);
    let r = s.request("POST", &format!("/cancel?token={token}"), &form, b"");
    assert_eq!(r.status, 303);
    let mut page = String::new();
    for _ in 0..600 {
        page = s.get("/run").text();
        if !page.contains("id=\"running\"") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(page.contains("id=\"cancelled\""), "{page}");
    assert_eq!(
        std::fs::read(data.join("out/manifest.json")).unwrap(),
        before
    );
    assert!(data.join("out/tables/rates_province.csv").is_file());
    assert!(!data.join("out/tables/rates_region.csv").exists());
    assert!(!data.join(".out-previous").exists());
}
