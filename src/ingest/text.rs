//! What a CSV file's bytes are, before they are split into cells: whether
//! they are text at all, their encoding (UTF-8; UTF-16 from Excel's
//! "Unicode text", found by its byte-order mark; Windows-1258 and others on
//! request, `--encoding`), the delimiter (found from the header) and where
//! a quote left open swallows the rest of the file. Each of these, guessed
//! wrong, otherwise shows up far from its cause: as "lacks required
//! columns", as a file that shrinks to its first rows, as row numbers off.

use crate::error::{Error, Result};
use encoding_rs::Encoding;
use std::io::{BufRead, Read};
use std::path::Path;

/// Bytes looked at to judge a file.
const HEAD: usize = 1 << 16;

/// An encoding named by the user (`--encoding cp1258`): any WHATWG label.
pub fn encoding_for_label(label: &str) -> std::result::Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!("unknown encoding `{label}`; use utf-8, utf-16le, utf-16be or cp1258 (Vietnamese Windows)")
    })
}

/// The first bytes of a file.
fn head(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buf = Vec::with_capacity(HEAD);
    file.take(HEAD as u64)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    Ok(buf)
}

/// How the file's bytes become UTF-8 text: `None` when they already are.
/// A byte-order mark wins over `forced`; without either, a file that is
/// not UTF-8 text is an error naming what it looks like.
pub fn sniff_encoding(
    path: &Path,
    forced: Option<&'static Encoding>,
) -> Result<Option<&'static Encoding>> {
    let head = head(path)?;
    if let Some((enc, _)) = Encoding::for_bom(&head) {
        return Ok((enc != encoding_rs::UTF_8).then_some(enc));
    }
    if let Some(enc) = forced {
        return Ok((enc != encoding_rs::UTF_8).then_some(enc));
    }
    if let Some(why) = not_text(&head) {
        return Err(Error::input(path, why));
    }
    if let Some(line) = legacy_encoding(&head, head.len() == HEAD) {
        return Err(Error::input(
            path,
            format!(
                "the file is not UTF-8 text (line {line} holds bytes that are not UTF-8); \
                 it looks like Windows-1258 (Vietnamese Windows): save it as \"CSV UTF-8\", \
                 or pass --encoding cp1258"
            ),
        ));
    }
    Ok(None)
}

/// Why bytes that are not text are not (NUL bytes, a zip archive such as
/// a renamed workbook, other control bytes).
fn not_text(head: &[u8]) -> Option<String> {
    if head.starts_with(b"PK\x03\x04") {
        return Some("this is not a text file but a zip archive (an .xlsx workbook named .csv?); give a workbook the extension .xlsx, or save the sheet as \"CSV UTF-8\"".into());
    }
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = head.len() / 2;
    if half > 0 && (zeros(0) > half * 3 / 4 || zeros(1) > half * 3 / 4) {
        let order = if zeros(1) > zeros(0) { "le" } else { "be" };
        return Some(format!(
            "the file looks like UTF-16 text without a byte-order mark; save it as \"CSV UTF-8\", or pass --encoding utf-16{order}"
        ));
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    // One NUL in a text file is a damaged cell (quarantined); text has few.
    if control * 100 > head.len() {
        return Some("this is not a text file (it holds binary data); a CSV file is text: save the table as \"CSV UTF-8\"".into());
    }
    None
}

/// The line of the first byte that is not UTF-8, when the head reads as a
/// legacy 8-bit encoding rather than UTF-8 with a stray byte: no valid
/// UTF-8 beyond ASCII, and the header or two or more lines affected. A
/// single bad byte in one row is that row's problem (it is quarantined).
fn legacy_encoding(head: &[u8], truncated: bool) -> Option<u64> {
    let mut valid_wide = 0usize;
    let mut bad_lines = std::collections::BTreeSet::new();
    let mut line = 1u64;
    let mut offset = 0usize;
    for chunk in head.utf8_chunks() {
        let valid = chunk.valid();
        valid_wide += valid.chars().filter(|c| !c.is_ascii()).count();
        line += valid.bytes().filter(|&b| b == b'\n').count() as u64;
        offset += valid.len() + chunk.invalid().len();
        // A character cut in two at the end of the head is not an error.
        let cut = truncated && offset == head.len();
        if !chunk.invalid().is_empty() && !cut {
            bad_lines.insert(line);
        }
    }
    let first = *bad_lines.first()?;
    (valid_wide == 0 && (first == 1 || bad_lines.len() >= 2)).then_some(first)
}

/// Bytes of another encoding read as UTF-8, as they are read.
pub struct Decode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Decode<R> {
    /// A byte-order mark, if any, is taken off (and wins over `enc`).
    pub fn new(inner: R, enc: &'static Encoding) -> Self {
        Decode {
            inner,
            decoder: enc.new_decoder(),
            raw: vec![0; 1 << 15],
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.pos);
                buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.raw)?;
            self.done = n == 0;
            let room = (self.decoder.max_utf8_buffer_length(n)).unwrap_or(4 * n + 16);
            self.out.resize(room, 0);
            // With this much room the decoder takes all of the input.
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.raw[..n], &mut self.out, self.done);
            self.out.truncate(written);
            self.pos = 0;
        }
    }
}

/// The file as UTF-8 text, without a byte-order mark, from its start; its
/// raw bytes moved through `count` as they are read.
pub fn open<W: Read + Send + 'static>(
    path: &Path,
    enc: Option<&'static Encoding>,
    wrap: impl FnOnce(std::fs::File) -> W,
) -> Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let raw = wrap(file);
    let mut reader: Box<dyn BufRead + Send> = match enc {
        Some(enc) => Box::new(std::io::BufReader::with_capacity(
            super::read::CSV_BUFFER,
            Decode::new(raw, enc),
        )),
        None => Box::new(std::io::BufReader::with_capacity(
            super::read::CSV_BUFFER,
            raw,
        )),
    };
    if reader
        .fill_buf()
        .map_err(|e| Error::io(path, e))?
        .starts_with(b"\xef\xbb\xbf")
    {
        reader.consume(3);
    }
    Ok(reader)
}

/// The file as `open` reads it, from byte `at` of that text on (to read a
/// record again).
pub fn open_at(
    path: &Path,
    enc: Option<&'static Encoding>,
    at: u64,
) -> Result<Box<dyn Read + Send>> {
    use std::io::{Seek, SeekFrom};
    let io = |e| Error::io(path, e);
    let mut r = open(path, enc, |f| f)?;
    if enc.is_some() {
        std::io::copy(&mut Read::take(&mut r, at), &mut std::io::sink()).map_err(io)?;
        return Ok(r);
    }
    // UTF-8 is read as it is stored: seek past the byte-order mark and `at`.
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut bom = [0u8; 3];
    let n = file.read(&mut bom).map_err(io)?;
    let skip = if bom[..n] == *b"\xef\xbb\xbf" { 3 } else { 0 };
    file.seek(SeekFrom::Start(skip + at)).map_err(io)?;
    Ok(Box::new(file))
}

/// The delimiter of a header line: whichever of `,`, `;` (Excel in a
/// Vietnamese or European locale) and tab (Excel's "Unicode text") occurs
/// most outside quotes; a comma when none does.
pub fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in first_line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    [b',', b';', b'\t'][best]
}

/// The delimiter in words, for messages.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tabs".into(),
        b',' => "commas (`,`)".into(),
        b';' => "semicolons (`;`)".into(),
        other => format!("`{}`", other as char),
    }
}

/// The encoding in words, for messages.
pub fn encoding_name(enc: Option<&'static Encoding>) -> &'static str {
    enc.map_or("UTF-8", |e| e.name())
}

/// Where a quote opened in the record starting at `reader`'s first byte
/// (line `line`) is still open at the end of the file: the line it opened
/// on and the last line of the file. Quotes follow RFC 4180 as the CSV
/// reader does: one opens a value only at its start, `""` inside is a quote.
pub fn open_quote(
    reader: impl Read,
    mut line: u64,
    delimiter: u8,
) -> std::io::Result<Option<(u64, u64)>> {
    #[derive(PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut s = S::FieldStart;
    let mut opened = line;
    let mut last_byte = b'\n';
    let mut started = false;
    for b in std::io::BufReader::new(reader).bytes() {
        let b = b?;
        last_byte = b;
        // Blank lines before the record are skipped, as the reader does.
        started |= !matches!(b, b'\n' | b'\r');
        if !started {
            line += (b == b'\n') as u64;
            continue;
        }
        s = match (s, b) {
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, b'"') => S::Quoted,
            (_, b'\n') => return Ok(None), // the record ended, every quote closed
            (S::FieldStart, b'"') => {
                opened = line;
                S::Quoted
            }
            (_, d) if d == delimiter => S::FieldStart,
            _ => S::Unquoted,
        };
        line += (b == b'\n') as u64;
    }
    let last = if last_byte == b'\n' { line - 1 } else { line };
    Ok((s == S::Quoted).then_some((opened, last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"x;y\",b"), b',');
        assert_eq!(sniff_delimiter(b"abc"), b',');
    }

    #[test]
    fn quotes_left_open() {
        let q = |s: &str| open_quote(s.as_bytes(), 3, b',').unwrap();
        assert_eq!(q("a,\"b\nc\",d\ne\n"), None);
        assert_eq!(q("a,\"b\"\"\n,c\nd\n"), Some((3, 5)));
        assert_eq!(q("a,b\"c,d\n"), None);
        assert_eq!(q("a,\"b\nc\nd"), Some((3, 5)));
        assert_eq!(q("\r\n\na,\"b\nc\n"), Some((5, 6)));
    }

    #[test]
    fn what_is_not_utf8_text() {
        assert!(not_text(b"PK\x03\x04rest").unwrap().contains("zip"));
        assert!(not_text(b"s\0u\0r\0v\0").unwrap().contains("utf-16le"));
        assert!(
            not_text(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0\x01\0\0\0")
                .unwrap()
                .contains("not a text file")
        );
        assert_eq!(not_text("năm,mã hộ\n2020,a\n".as_bytes()), None);
        // "Nông thôn" in Windows-1258 on two lines; one stray byte is not enough.
        assert_eq!(
            legacy_encoding(b"a,b\n1,N\xf4ng\n2,th\xf4n\n", false),
            Some(2)
        );
        assert_eq!(legacy_encoding(b"a,b\n1,N\xf4ng\n2,x\n", false), None);
        assert_eq!(
            legacy_encoding(b"a,b\n1,N\xc3\xb4ng\n2,x\xff\n3,\xfe\n", false),
            None
        );
        assert_eq!(legacy_encoding(b"a,b\n1,\xe1\xbb", true), None);
    }

    #[test]
    fn decodes_windows_1258_and_utf16() {
        let mut s = String::new();
        let enc = encoding_for_label("cp1258").unwrap();
        Decode::new(&b"N\xf4ng th\xf4n"[..], enc)
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "Nông thôn");
        let mut s = String::new();
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("năm\tx".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        Decode::new(&utf16[..], encoding_rs::UTF_16LE)
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "năm\tx");
    }
}
