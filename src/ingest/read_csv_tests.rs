//! The block splitter's fast path (lines without a `"` split straight from
//! the bytes) against the CSV reader reading the whole block, as blocks
//! were read before it: the same rows, numbers, errors and last record,
//! under random lines (quotes over several lines, `\r`, blank lines,
//! ragged rows, bytes that are not UTF-8, no line end at the end).

use super::*;
use proptest::prelude::*;

/// The rows `each` is given, as text.
type Seen = Vec<(u64, std::result::Result<Vec<String>, String>)>;

fn collect(f: impl FnOnce(&mut Each) -> Last) -> (Seen, Last) {
    let mut seen = Vec::new();
    let last = f(&mut |row, cells| {
        let cells = cells.map(|c| c.iter().map(|c| format!("{c:?}")).collect());
        seen.push((row, cells));
    });
    (seen, last)
}

/// The whole block read by the CSV reader, record by record, each
/// numbered by the line it starts on: past the blank lines (`\n` alone)
/// the reader skips before it.
fn by_reader(block: &Block, syn: Syntax, width: usize, each: &mut Each) -> Last {
    let mut rdr = syn.reader(&block.bytes);
    let mut rec = csv::ByteRecord::new();
    let mut last = None;
    loop {
        let from = rdr.position().byte() as usize;
        if !rdr.read_byte_record(&mut rec).unwrap() {
            return last;
        }
        let start = from
            + block.bytes[from..]
                .iter()
                .take_while(|&&b| b == b'\n')
                .count();
        let line = block.line + memchr::memchr_iter(b'\n', &block.bytes[..start]).count() as u64;
        let end = line + memchr::memchr_iter(b'\n', rec.as_slice()).count() as u64;
        last = Some((end > line).then_some((block.byte + start as u64, line)));
        let mut cells = Vec::new();
        take_record(&rec, (line, end), width, syn, &mut cells, each);
    }
}

const PIECES: &[&[u8]] = &[
    b"a",
    b"12",
    b"",
    b" x ",
    b",",
    b",",
    b",",
    b"\n",
    b"\n",
    b"\r\n",
    b"\"",
    b"\"q,\nr\"",
    b"\"\"",
    b"N\xf4ng",
    "Nông".as_bytes(),
    b"\r",
    b";",
    b"\t",
];

proptest! {
    #[test]
    fn lines_split_from_the_bytes_are_read_as_the_reader_reads_them(
        pieces in proptest::collection::vec(0..PIECES.len(), 0..80),
        width in 1usize..4,
        delimiter in prop_oneof![Just(b','), Just(b';')],
    ) {
        let bytes: Vec<u8> = pieces.iter().flat_map(|&p| PIECES[p].iter().copied()).collect();
        let block = Block { bytes, line: 7, byte: 100, error: None };
        let syn = Syntax { delimiter, crlf: false };
        let fast = collect(|each| parse_block(&block, syn, width, each, None));
        let reader = collect(|each| by_reader(&block, syn, width, each));
        prop_assert_eq!(fast, reader);
    }
}
