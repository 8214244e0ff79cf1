//! Uploads: a `multipart/form-data` body streamed to files in a fresh
//! folder, never held in memory, and refused whole (the folder removed)
//! past the size limit. Only input files (CSV, Excel, Parquet) directly in
//! what was picked are kept, as `dachieu run FOLDER` reads a folder; each
//! other file is named with the reason it was left out.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What an upload brought.
#[derive(Debug, Default)]
pub struct Received {
    /// Saved files: name and bytes.
    pub files: Vec<(String, u64)>,
    /// Files left out: name and why (Vietnamese, English).
    pub skipped: Vec<(String, Why)>,
    /// The small fields of the form (checkboxes).
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Why a file of an upload was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Not CSV, Excel or Parquet.
    NotATable,
    /// In a folder inside the picked folder.
    InSubfolder,
}

#[derive(Debug)]
pub enum UploadError {
    /// More than the limit: 413.
    TooLarge,
    /// Not a well-formed multipart body (or it ended early).
    Malformed(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for UploadError {
    fn from(e: std::io::Error) -> Self {
        UploadError::Io(e)
    }
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    (params.split(';')).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.trim().eq_ignore_ascii_case("boundary")).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Read the body from `body` into files under `dir` (made here), at most
/// `limit` bytes in all. On any error the caller removes `dir`.
pub fn receive(
    body: &mut dyn Read,
    boundary: &str,
    limit: u64,
    dir: &Path,
) -> Result<Received, UploadError> {
    std::fs::create_dir_all(dir)?;
    let mut r = Stream {
        inner: body,
        buf: Vec::new(),
        read: 0,
        limit,
    };
    let first = format!("--{boundary}");
    let delim = format!("\r\n--{boundary}");
    r.skip_until(first.as_bytes())?;
    let mut got = Received::default();
    loop {
        // After a boundary: `--` ends the body, CRLF starts a part.
        let tail = r.take(2)?;
        if tail == b"--" {
            break;
        }
        if tail != b"\r\n" {
            return Err(UploadError::Malformed(
                "no line end after a boundary".into(),
            ));
        }
        let head = r.until(b"\r\n\r\n", 16 * 1024)?;
        let (name, filename) = disposition(&String::from_utf8_lossy(&head));
        match filename {
            Some(f) => part_file(&mut r, delim.as_bytes(), &f, dir, &mut got)?,
            None => {
                let value = r.until(delim.as_bytes(), 64 * 1024)?;
                got.fields
                    .insert(name, String::from_utf8_lossy(&value).into_owned());
            }
        }
    }
    Ok(got)
}

/// One file part: saved under its own name when it is an input file
/// directly in what was picked, else read past and named as skipped.
fn part_file(
    r: &mut Stream<'_>,
    delim: &[u8],
    sent: &str,
    dir: &Path,
    got: &mut Received,
) -> Result<(), UploadError> {
    // A folder picked in the browser sends `folder/sub/file.csv`.
    let parts: Vec<&str> = sent.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let name = parts.last().copied().unwrap_or_default().to_string();
    let why = if name.is_empty() {
        // An empty file input: no file was picked.
        return r.copy_until(delim, &mut std::io::sink()).map(|_| ());
    } else if parts.len() > 2 {
        Some(Why::InSubfolder)
    } else if name.starts_with('.') || !crate::ingest::read::is_input_file(Path::new(&name)) {
        Some(Why::NotATable)
    } else {
        None
    };
    if let Some(why) = why {
        r.copy_until(delim, &mut std::io::sink())?;
        got.skipped.push((sent.to_string(), why));
        return Ok(());
    }
    let path: PathBuf = dir.join(&name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let bytes = r.copy_until(delim, &mut f)?;
    f.flush()?;
    got.files.retain(|(n, _)| *n != name);
    got.files.push((name, bytes));
    Ok(())
}

/// The field name and file name of a part's headers.
fn disposition(head: &str) -> (String, Option<String>) {
    let line = (head.lines())
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
        .unwrap_or_default();
    let param = |key: &str| {
        (line.split(';')).find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_string())
        })
    };
    (param("name").unwrap_or_default(), param("filename"))
}

/// The body, read in blocks, with what was read but not yet used.
struct Stream<'a> {
    inner: &'a mut dyn Read,
    buf: Vec<u8>,
    read: u64,
    limit: u64,
}

const BLOCK: usize = 64 * 1024;

impl Stream<'_> {
    /// Read one more block; false at the end of the body.
    fn fill(&mut self) -> Result<bool, UploadError> {
        let at = self.buf.len();
        self.buf.resize(at + BLOCK, 0);
        let n = loop {
            match self.inner.read(&mut self.buf[at..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let n = n.inspect_err(|_| self.buf.truncate(at))?;
        self.buf.truncate(at + n);
        self.read += n as u64;
        if self.read > self.limit {
            return Err(UploadError::TooLarge);
        }
        Ok(n > 0)
    }

    fn ended() -> UploadError {
        UploadError::Malformed("the upload ended early".into())
    }

    fn take(&mut self, n: usize) -> Result<Vec<u8>, UploadError> {
        while self.buf.len() < n {
            if !self.fill()? {
                return Err(Self::ended());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Bytes up to `delim` (consumed, not returned), at most `max` of them.
    fn until(&mut self, delim: &[u8], max: usize) -> Result<Vec<u8>, UploadError> {
        loop {
            if let Some(at) = find(&self.buf, delim) {
                let out = self.buf[..at].to_vec();
                self.buf.drain(..at + delim.len());
                return Ok(out);
            }
            if self.buf.len() > max + delim.len() {
                return Err(UploadError::Malformed("a part's header is too long".into()));
            }
            if !self.fill()? {
                return Err(Self::ended());
            }
        }
    }

    fn skip_until(&mut self, delim: &[u8]) -> Result<(), UploadError> {
        self.copy_until(delim, &mut std::io::sink()).map(|_| ())
    }

    /// Stream bytes up to `delim` into `out`; the bytes written.
    fn copy_until(&mut self, delim: &[u8], out: &mut dyn Write) -> Result<u64, UploadError> {
        let mut written = 0u64;
        loop {
            if let Some(at) = find(&self.buf, delim) {
                out.write_all(&self.buf[..at])?;
                self.buf.drain(..at + delim.len());
                return Ok(written + at as u64);
            }
            // All but a possible start of the delimiter is body.
            let safe = self.buf.len().saturating_sub(delim.len() - 1);
            out.write_all(&self.buf[..safe])?;
            written += safe as u64;
            self.buf.drain(..safe);
            if !self.fill()? {
                return Err(Self::ended());
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(i) = hay[from..].iter().position(|&b| b == first) {
        let at = from + i;
        if hay.len() - at < needle.len() {
            return None;
        }
        if &hay[at..at + needle.len()] == needle {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut b = b"preamble\r\n".to_vec();
        for (name, file, data) in parts {
            b.extend_from_slice(b"--XyZ\r\n");
            let f = file
                .map(|f| format!("; filename=\"{f}\""))
                .unwrap_or_default();
            b.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"{f}\r\n\r\n").as_bytes(),
            );
            b.extend_from_slice(data);
            b.extend_from_slice(b"\r\n");
        }
        b.extend_from_slice(b"--XyZ--\r\n");
        b
    }

    #[test]
    fn parts_stream_to_files_and_others_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        // Big enough to cross blocks, with a near-boundary inside.
        let mut big = b"a,b\r\n--Xy-not-quite\r\n-".to_vec();
        big.extend(std::iter::repeat_n(b'x', 3 * BLOCK + 17));
        let b = body(&[
            ("keep", None, b"on"),
            ("files", Some("households.csv"), &big),
            ("files", Some("data/members.csv"), b"m"),
            ("files", Some("data/bad/members.csv"), b"m2"),
            ("files", Some("README.md"), b"# hi"),
            ("files", Some(""), b""),
        ]);
        let dir = tmp.path().join("up");
        let got = receive(&mut b.as_slice(), "XyZ", 1 << 30, &dir).unwrap();
        assert_eq!(got.fields["keep"], "on");
        assert_eq!(std::fs::read(dir.join("households.csv")).unwrap(), big);
        assert_eq!(std::fs::read(dir.join("members.csv")).unwrap(), b"m");
        assert_eq!(got.files.len(), 2);
        assert_eq!(
            got.skipped,
            vec![
                ("data/bad/members.csv".to_string(), Why::InSubfolder),
                ("README.md".to_string(), Why::NotATable)
            ]
        );
    }

    #[test]
    fn over_the_limit_or_cut_short_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let b = body(&[("files", Some("h.csv"), &[b'x'; 5000])]);
        let r = receive(&mut b.as_slice(), "XyZ", 1000, &tmp.path().join("a"));
        assert!(matches!(r, Err(UploadError::TooLarge)), "{r:?}");
        let r = receive(
            &mut &b[..b.len() - 12],
            "XyZ",
            1 << 20,
            &tmp.path().join("b"),
        );
        assert!(matches!(r, Err(UploadError::Malformed(_))), "{r:?}");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"ab c\"").as_deref(),
            Some("ab c")
        );
        assert_eq!(boundary("text/plain"), None);
    }
}
