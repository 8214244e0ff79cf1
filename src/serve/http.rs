//! Requests and replies over tiny_http: the parts of a request the handlers
//! read (method, path, query, headers), replies as HTML, redirects, JSON
//! and files, with the headers every answer carries.

use std::collections::BTreeMap;
use std::path::Path;

/// A request's line and headers, decoded.
#[derive(Debug, Clone, Default)]
pub struct Req {
    pub method: String,
    /// The path, still percent-encoded (files decode it themselves).
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub host: Option<String>,
    pub content_type: String,
    pub content_length: Option<u64>,
}

impl Req {
    pub fn of(rq: &tiny_http::Request) -> Req {
        let (path, query) = match rq.url().split_once('?') {
            Some((p, q)) => (p, form(q)),
            None => (rq.url(), BTreeMap::new()),
        };
        let header = |name: &str| {
            (rq.headers().iter())
                .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
                .map(|h| h.value.as_str().to_string())
        };
        Req {
            method: rq.method().as_str().to_ascii_uppercase(),
            path: path.to_string(),
            query,
            host: header("Host"),
            content_type: header("Content-Type").unwrap_or_default(),
            content_length: header("Content-Length").and_then(|v| v.trim().parse().ok()),
        }
    }

    /// The page language: English with `lang=en`, else Vietnamese.
    pub fn lang(&self) -> crate::i18n::Lang {
        match self.query.get("lang").map(String::as_str) {
            Some("en") => crate::i18n::Lang::En,
            _ => crate::i18n::Lang::Vi,
        }
    }
}

/// `a=1&b=x+y` decoded (a value seen twice: the last).
pub fn form(text: &str) -> BTreeMap<String, String> {
    (text.split('&'))
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let dec = |s: &str| percent_decode(&s.replace('+', " ")).unwrap_or_default();
            (dec(k), dec(v))
        })
        .collect()
}

/// `%xx` decoded as UTF-8; `None` for a bad escape or invalid UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A path segment or query value, percent-encoded.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub enum Body {
    Bytes(Vec<u8>),
    File(std::fs::File),
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Reply {
    pub fn html(status: u16, page: String) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: Body::Bytes(page.into_bytes()),
        }
    }

    pub fn json(value: &serde_json::Value) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Body::Bytes(value.to_string().into_bytes()),
        }
    }

    /// 303 See Other: after a form post, the page to show.
    pub fn redirect(location: &str) -> Reply {
        Reply {
            status: 303,
            headers: vec![("Location".into(), location.into())],
            body: Body::Bytes(Vec::new()),
        }
    }

    /// A file, inline when a browser shows it (HTML, images), else as a
    /// download under its own name.
    pub fn file(path: &Path) -> std::io::Result<Reply> {
        let f = std::fs::File::open(path)?;
        let ext = (path.extension().and_then(|e| e.to_str()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (ctype, inline) = match ext.as_str() {
            "html" => ("text/html; charset=utf-8", true),
            "svg" => ("image/svg+xml", true),
            "png" => ("image/png", true),
            "css" => ("text/css", true),
            "json" => ("application/json", false),
            "csv" => ("text/csv; charset=utf-8", false),
            "xlsx" => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                false,
            ),
            _ => ("application/octet-stream", false),
        };
        let mut headers = vec![("Content-Type".to_string(), ctype.to_string())];
        if !inline {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let ascii: String = (name.chars())
                .map(|c| {
                    if c.is_ascii_graphic() && c != '"' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            headers.push((
                "Content-Disposition".into(),
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    percent_encode(&name)
                ),
            ));
        }
        Ok(Reply {
            status: 200,
            headers,
            body: Body::File(f),
        })
    }
}

/// Send `reply`, with the headers every answer carries: nothing framed by
/// another site, nothing loaded from the network, no type sniffing.
pub fn send(rq: tiny_http::Request, reply: Reply) {
    let mut headers = reply.headers;
    headers.extend([
        ("X-Content-Type-Options".to_string(), "nosniff".to_string()),
        ("X-Frame-Options".into(), "SAMEORIGIN".into()),
        (
            "Content-Security-Policy".into(),
            "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; \
             script-src 'self' 'unsafe-inline'; frame-ancestors 'self'; form-action 'self'"
                .into(),
        ),
        ("Cache-Control".into(), "no-store".into()),
        ("Referrer-Policy".into(), "no-referrer".into()),
    ]);
    let headers: Vec<tiny_http::Header> = (headers.iter())
        .filter_map(|(k, v)| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).ok())
        .collect();
    let status = tiny_http::StatusCode(reply.status);
    // A client gone before the answer is not the server's problem.
    let _ = match reply.body {
        Body::Bytes(b) => {
            let len = b.len();
            rq.respond(tiny_http::Response::new(
                status,
                headers,
                std::io::Cursor::new(b),
                Some(len),
                None,
            ))
        }
        Body::File(f) => {
            let len = f.metadata().ok().map(|m| m.len() as usize);
            rq.respond(tiny_http::Response::new(status, headers, f, len, None))
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_escapes_decode() {
        let f = form("a=1&b=x+y&c=%C4%91%E1%BB%8Bnh");
        assert_eq!(f["a"], "1");
        assert_eq!(f["b"], "x y");
        assert_eq!(f["c"], "định");
        assert_eq!(percent_decode("%2e%2E/x").as_deref(), Some("../x"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
        assert_eq!(percent_encode("a b/đ"), "a%20b/%C4%91");
    }
}
