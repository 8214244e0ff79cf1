//! Where a CSV file's records end, found without splitting them into
//! cells: a block of text cut there holds whole records only, so the blocks
//! can be split and validated each on its own thread. Quotes are followed
//! exactly as the CSV reader follows them (RFC 4180; `""` inside a quoted
//! value), so a line end inside a quoted value never cuts a record, and a
//! quote left open keeps the rest of the file in one record, as it does
//! for the reader.

/// How the file's records are written: the delimiter, and whether a lone
/// `\r` ends a line too (files without any `\n`, as old Mac files were).
#[derive(Debug, Clone, Copy)]
pub struct Syntax {
    pub delimiter: u8,
    pub crlf: bool,
}

impl Syntax {
    pub fn ends_line(self, b: u8) -> bool {
        b == b'\n' || (self.crlf && b == b'\r')
    }

    pub fn reader(self, bytes: &[u8]) -> csv::Reader<&[u8]> {
        let terminator = match self.crlf {
            true => csv::Terminator::CRLF,
            false => csv::Terminator::Any(b'\n'),
        };
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .terminator(terminator)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes)
    }
}

/// Where the CSV reader stands in the text: the states of its quoting.
#[derive(Debug, Clone, Copy, PartialEq)]
enum S {
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Where records end in a growing buffer, found as the CSV reader (RFC
/// 4180 quotes, `""` inside a quoted value) would find them; resumable as
/// the buffer grows. `cut` is just past the line end of the last record
/// found (0: none yet): blank lines after it belong to the next block, as
/// the reader, having read that record, stands before them.
pub struct Scan {
    s: S,
    at: usize,
    pub cut: usize,
}

impl Scan {
    pub fn new() -> Self {
        Scan {
            s: S::RecordStart,
            at: 0,
            cut: 0,
        }
    }

    pub fn run(&mut self, b: &[u8], syn: Syntax) {
        const Q: u8 = b'"';
        let (mut i, mut s) = (self.at, self.s);
        while i < b.len() {
            match s {
                S::Quoted => match memchr::memchr(Q, &b[i..]) {
                    Some(j) => (i, s) = (i + j + 1, S::QuoteInQuoted),
                    None => i = b.len(),
                },
                // Inside an unquoted value only a line end matters, and a
                // quote right after a delimiter (which opens a value). The
                // byte before is in this buffer (a block starts a record)
                // and was read in this state, even where the last scan
                // stopped: a delimiter there is one.
                S::Unquoted => {
                    let hit = match syn.crlf {
                        true => memchr::memchr3(Q, b'\n', b'\r', &b[i..]),
                        false => memchr::memchr2(Q, b'\n', &b[i..]),
                    };
                    let Some(at) = hit.map(|j| i + j) else {
                        i = b.len();
                        continue;
                    };
                    if b[at] != Q {
                        (self.cut, s) = (at + 1, S::RecordStart);
                    } else if at > 0 && b[at - 1] == syn.delimiter {
                        s = S::Quoted;
                    }
                    i = at + 1;
                }
                _ => {
                    let c = b[i];
                    i += 1;
                    s = match (s, c) {
                        (S::QuoteInQuoted, Q) => S::Quoted,
                        (S::RecordStart, c) if syn.ends_line(c) => S::RecordStart,
                        (_, c) if syn.ends_line(c) => {
                            self.cut = i;
                            S::RecordStart
                        }
                        (_, Q) => S::Quoted,
                        (_, c) if c == syn.delimiter => S::FieldStart,
                        _ => S::Unquoted,
                    };
                }
            }
        }
        (self.at, self.s) = (i, s);
    }

    /// The first `n` bytes (up to `cut`) were taken away.
    pub fn taken(&mut self, n: usize) {
        self.at -= n;
        self.cut = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the scan cuts, against where the CSV reader ends records.
    fn cuts(text: &[u8], crlf: bool) -> (Vec<usize>, Vec<usize>) {
        let syn = Syntax {
            delimiter: b',',
            crlf,
        };
        let mut scan = Scan::new();
        let mut found = Vec::new();
        for i in 1..=text.len() {
            scan.run(&text[..i], syn);
            if scan.cut > 0 && found.last() != Some(&scan.cut) {
                found.push(scan.cut);
            }
        }
        let mut rdr = syn.reader(text);
        let mut rec = csv::ByteRecord::new();
        let mut ends = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            ends.push(rdr.position().byte() as usize);
        }
        // A last record without a line end is not a cut.
        if ends.last().is_some_and(|&e| !syn.ends_line(text[e - 1])) {
            ends.pop();
        }
        (found, ends)
    }

    #[test]
    fn blocks_are_cut_where_the_reader_ends_records() {
        for text in [
            &b"a,b\n1,2\n"[..],
            b"a,\"b\nc\",d\n\n\ne,f\n",
            b"a,b\"c\nd,\"e\"\"\nf\"\n",
            b"\"x\"y,z\n\"\"\"\",\n,\"\n\"\n",
            b"a\r\nb\r\n\r\nc",
        ] {
            let (found, ends) = cuts(text, false);
            assert_eq!(found, ends, "{:?}", String::from_utf8_lossy(text));
        }
        // A quote left open: no record ends after it.
        assert_eq!(cuts(b"a\n\"b\nc\n", false).0, [2]);
        let (found, ends) = cuts(b"a\rb\r\r\"c\rd\"\r\ne\r", true);
        assert_eq!(found, ends);
    }
}
