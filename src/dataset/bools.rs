//! Boolean Parquet columns decoded straight into Arrow bitmaps. Parquet
//! stores booleans bit-packed, low bit first (Arrow's own layout), and the
//! definition levels of a flat optional column are one bit per row (a
//! validity bitmap). arrow-rs decodes both through a byte per value; this
//! moves them a word at a time. Only flat BOOLEAN columns whose pages hold
//! plain or RLE values and RLE levels are read here: for anything else
//! [`read_bool_chunk`] answers None and the caller reads with arrow-rs.

use crate::error::Result;
use arrow_array::BooleanArray;
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer};
use parquet::basic::{Encoding, Type};
use parquet::column::page::{Page, PageReader};
use parquet::file::metadata::ParquetMetaData;
use parquet::file::serialized_reader::SerializedPageReader;
use std::sync::Arc;

/// The `n` (≤ 64) low bits of `word`.
fn low(word: u64, n: usize) -> u64 {
    if n >= 64 {
        word
    } else {
        word & ((1u64 << n) - 1)
    }
}

/// Bits appended at any position, packed low bit first in words.
#[derive(Default)]
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn with_capacity(bits: usize) -> Bits {
        Bits {
            words: Vec::with_capacity(bits.div_ceil(64)),
            len: 0,
        }
    }

    /// Append the `n` (≤ 64) low bits of `word`.
    fn push(&mut self, word: u64, n: usize) {
        if n == 0 {
            return;
        }
        let word = low(word, n);
        let off = self.len % 64;
        match self.words.last_mut() {
            Some(last) if off != 0 => {
                *last |= word << off;
                if off + n > 64 {
                    self.words.push(word >> (64 - off));
                }
            }
            _ => self.words.push(word),
        }
        self.len += n;
    }

    /// Append `n` copies of `bit`.
    fn push_run(&mut self, bit: bool, mut n: usize) {
        let word = if bit { u64::MAX } else { 0 };
        while n > 0 {
            let k = n.min(64);
            self.push(word, k);
            n -= k;
        }
    }

    /// Append the first `n` bits of `bytes` (low bit first); the caller
    /// has checked that there are that many.
    fn push_bytes(&mut self, bytes: &[u8], n: usize) {
        let mut left = n;
        for chunk in bytes.chunks(8) {
            if left == 0 {
                break;
            }
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            let k = left.min(64);
            self.push(u64::from_le_bytes(b), k);
            left -= k;
        }
    }

    /// Read from bit `at` on.
    fn reader(&self, at: usize) -> Reader<'_> {
        Reader {
            words: &self.words,
            pos: at,
        }
    }

    fn into_buffer(self) -> BooleanBuffer {
        let len = self.len;
        BooleanBuffer::new(Buffer::from_vec(self.words), 0, len)
    }
}

/// Bits read in order from words, low bit first; past the end, zeros.
struct Reader<'a> {
    words: &'a [u64],
    pos: usize,
}

impl Reader<'_> {
    /// The next `n` (≤ 64) bits.
    fn take(&mut self, n: usize) -> u64 {
        let (i, s) = (self.pos / 64, self.pos % 64);
        let lo = self.words.get(i).copied().unwrap_or(0) >> s;
        let hi = match s {
            0 => 0,
            _ => self.words.get(i + 1).copied().unwrap_or(0) << (64 - s),
        };
        self.pos += n;
        low(lo | hi, n)
    }

    /// How many of the next `n` bits are set.
    fn count(&mut self, mut n: usize) -> usize {
        let mut ones = 0;
        while n > 0 {
            let k = n.min(64);
            ones += self.take(k).count_ones() as usize;
            n -= k;
        }
        ones
    }
}

/// An unsigned LEB128 integer at the start of `data`, and its length.
fn uleb128(data: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, b) in data.iter().enumerate().take(9) {
        v |= ((b & 0x7f) as u64) << (7 * i);
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Decode `count` values of bit width 1 from the RLE / bit-packed hybrid
/// encoding into `out`. None when the data is short or malformed.
fn rle_bits(data: &[u8], count: usize, out: &mut Bits) -> Option<()> {
    let (mut pos, mut left) = (0, count);
    while left > 0 {
        let (header, used) = uleb128(data.get(pos..)?)?;
        pos += used;
        let n = usize::try_from(header >> 1).ok()?;
        if header & 1 == 1 {
            // n groups of eight bit-packed values: n bytes.
            let bytes = data.get(pos..pos.checked_add(n)?)?;
            pos += n;
            let k = n.saturating_mul(8).min(left);
            out.push_bytes(bytes, k);
            left -= k;
        } else {
            // A run of n copies of one value, stored in one byte.
            let value = *data.get(pos)?;
            pos += 1;
            if n == 0 {
                return None;
            }
            let k = n.min(left);
            out.push_run(value & 1 == 1, k);
            left -= k;
        }
    }
    Some(())
}

/// Append `rows` row values to `values`: where the validity bits (read by
/// `valid`) are set, the next bit of `dense`; elsewhere a zero.
fn scatter(valid: &mut Reader<'_>, rows: usize, dense: &mut Reader<'_>, values: &mut Bits) {
    let mut left = rows;
    while left > 0 {
        let k = left.min(64);
        let mask = valid.take(k);
        let word = if mask == low(u64::MAX, k) {
            dense.take(k)
        } else {
            // Deposit the next popcount(mask) bits at the mask's set bits.
            let mut src = dense.take(mask.count_ones() as usize);
            let (mut out, mut m) = (0u64, mask);
            while m != 0 {
                out |= (src & 1) << m.trailing_zeros();
                src >>= 1;
                m &= m - 1;
            }
            out
        };
        values.push(word, k);
        left -= k;
    }
}

/// A data page's values (after any levels), its number of rows, the
/// values' encoding, and its definition levels (an optional column's).
type PageParts<'p> = (&'p [u8], usize, Encoding, Option<&'p [u8]>);

/// The parts of a data page; None for a page this reader does not read.
fn page_parts(page: &Page, optional: bool) -> Option<PageParts<'_>> {
    match page {
        Page::DataPage {
            buf,
            num_values,
            encoding,
            def_level_encoding,
            ..
        } => {
            let n = *num_values as usize;
            if !optional {
                return Some((buf.as_ref(), n, *encoding, None));
            }
            if *def_level_encoding != Encoding::RLE {
                return None;
            }
            let len = u32::from_le_bytes(buf.get(..4)?.try_into().ok()?) as usize;
            let levels = buf.get(4..4usize.checked_add(len)?)?;
            Some((&buf[4 + len..], n, *encoding, Some(levels)))
        }
        Page::DataPageV2 {
            buf,
            num_values,
            encoding,
            def_levels_byte_len,
            rep_levels_byte_len,
            ..
        } => {
            let (r, d) = (*rep_levels_byte_len as usize, *def_levels_byte_len as usize);
            let levels = buf.get(r..r.checked_add(d)?)?;
            Some((
                &buf[r + d..],
                *num_values as usize,
                *encoding,
                optional.then_some(levels),
            ))
        }
        Page::DictionaryPage { .. } => None,
    }
}

/// Column `leaf` of row group `g` as a BooleanArray, when it is a flat
/// BOOLEAN column whose pages this reader understands; None otherwise
/// (read it with arrow-rs).
pub fn read_bool_chunk(
    file: &Arc<std::fs::File>,
    meta: &ParquetMetaData,
    g: usize,
    leaf: usize,
) -> Result<Option<BooleanArray>> {
    let rg = meta.row_group(g);
    let col = rg.column(leaf);
    let descr = col.column_descr();
    if descr.physical_type() != Type::BOOLEAN
        || descr.max_rep_level() != 0
        || descr.max_def_level() > 1
    {
        return Ok(None);
    }
    let optional = descr.max_def_level() == 1;
    let rows = usize::try_from(rg.num_rows()).unwrap_or(0);
    let mut pages = SerializedPageReader::new(file.clone(), col, rows, None)?;
    let (mut valid, mut values) = (Bits::with_capacity(rows), Bits::with_capacity(rows));
    while let Some(page) = pages.get_next_page()? {
        let Some((data, n, encoding, levels)) = page_parts(&page, optional) else {
            return Ok(None);
        };
        // The validity of the page's rows, then its non-null values.
        let from = valid.len;
        match levels {
            Some(levels) => {
                if rle_bits(levels, n, &mut valid).is_none() {
                    return Ok(None);
                }
            }
            None => valid.push_run(true, n),
        }
        let present = valid.reader(from).count(n);
        let mut dense = Bits::with_capacity(present);
        match encoding {
            Encoding::PLAIN if data.len().saturating_mul(8) >= present => {
                dense.push_bytes(data, present)
            }
            // RLE values carry their length first, in four bytes.
            Encoding::RLE if data.len() >= 4 => {
                if rle_bits(&data[4..], present, &mut dense).is_none() {
                    return Ok(None);
                }
            }
            _ => return Ok(None),
        }
        scatter(
            &mut valid.reader(from),
            n,
            &mut dense.reader(0),
            &mut values,
        );
    }
    if valid.len != rows || values.len != rows {
        return Ok(None);
    }
    let nulls = match valid.reader(0).count(rows) == rows {
        true => None,
        false => Some(NullBuffer::new(valid.into_buffer())),
    };
    Ok(Some(BooleanArray::new(values.into_buffer(), nulls)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, ArrayRef, RecordBatch};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::arrow::ArrowWriter;
    use parquet::basic::Compression;
    use parquet::file::properties::{WriterProperties, WriterVersion};

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    /// Every row group of every column reads here as arrow-rs reads it —
    /// values where valid, the same nulls — over page and row-group
    /// boundaries at odd places, both page versions (plain and RLE values),
    /// with and without compression, nulls from none to all, and a
    /// required column.
    #[test]
    fn bool_chunks_read_as_arrow_rs_reads_them() {
        let n = 5_000;
        let mut seed = 7;
        let mut cols: Vec<(Field, ArrayRef)> = Vec::new();
        for (i, null_per_mille) in [0u64, 10, 500, 1000].into_iter().enumerate() {
            let values: Vec<Option<bool>> = (0..n)
                .map(|_| {
                    let r = lcg(&mut seed);
                    (r % 1000 >= null_per_mille).then_some(r.is_multiple_of(3))
                })
                .collect();
            cols.push((
                Field::new(format!("b{i}"), DataType::Boolean, true),
                Arc::new(arrow_array::BooleanArray::from(values)),
            ));
        }
        let required: Vec<bool> = (0..n).map(|_| lcg(&mut seed).is_multiple_of(2)).collect();
        cols.push((
            Field::new("req", DataType::Boolean, false),
            Arc::new(arrow_array::BooleanArray::from(required)),
        ));
        let schema = Arc::new(Schema::new(
            cols.iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
        ));
        let batch =
            RecordBatch::try_new(schema.clone(), cols.into_iter().map(|c| c.1).collect()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (version, compression) in [
            (WriterVersion::PARQUET_1_0, Compression::UNCOMPRESSED),
            (WriterVersion::PARQUET_1_0, Compression::SNAPPY),
            (WriterVersion::PARQUET_2_0, Compression::UNCOMPRESSED),
            (WriterVersion::PARQUET_2_0, Compression::SNAPPY),
        ] {
            let path = dir.path().join("b.parquet");
            let props = WriterProperties::builder()
                .set_writer_version(version)
                .set_compression(compression)
                .set_max_row_group_row_count(Some(1_777))
                .set_data_page_row_count_limit(333)
                .set_write_batch_size(111)
                .build();
            let mut w = ArrowWriter::try_new(
                std::fs::File::create(&path).unwrap(),
                schema.clone(),
                Some(props),
            )
            .unwrap();
            w.write(&batch).unwrap();
            w.close().unwrap();
            let file = Arc::new(std::fs::File::open(&path).unwrap());
            let builder =
                ParquetRecordBatchReaderBuilder::try_new(file.as_ref().try_clone().unwrap())
                    .unwrap();
            let meta = builder.metadata().clone();
            for g in 0..meta.num_row_groups() {
                let theirs =
                    ParquetRecordBatchReaderBuilder::try_new(file.as_ref().try_clone().unwrap())
                        .unwrap()
                        .with_row_groups(vec![g])
                        .with_batch_size(n)
                        .build()
                        .unwrap()
                        .next()
                        .unwrap()
                        .unwrap();
                for leaf in 0..theirs.num_columns() {
                    let ours = read_bool_chunk(&file, &meta, g, leaf)
                        .unwrap()
                        .unwrap_or_else(|| {
                            panic!("{version:?} {compression:?}: column {leaf} not read here")
                        });
                    let want = theirs
                        .column(leaf)
                        .as_any()
                        .downcast_ref::<arrow_array::BooleanArray>()
                        .unwrap();
                    assert_eq!(ours.len(), want.len());
                    assert_eq!(
                        ours.null_count(),
                        want.null_count(),
                        "{version:?} column {leaf}"
                    );
                    for i in 0..want.len() {
                        assert_eq!(
                            ours.is_valid(i),
                            want.is_valid(i),
                            "{version:?} g {g} column {leaf} row {i}"
                        );
                        if want.is_valid(i) {
                            assert_eq!(
                                ours.value(i),
                                want.value(i),
                                "{version:?} g {g} column {leaf} row {i}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn bits_append_at_any_offset_and_read_back() {
        let mut b = Bits::default();
        let mut want: Vec<bool> = Vec::new();
        let mut seed = 3;
        for _ in 0..200 {
            let (word, n) = (
                lcg(&mut seed) << 31 ^ lcg(&mut seed),
                (lcg(&mut seed) % 65) as usize,
            );
            b.push(word, n);
            want.extend((0..n).map(|i| word >> i & 1 == 1));
            let run = (lcg(&mut seed) % 100) as usize;
            let bit = lcg(&mut seed).is_multiple_of(2);
            b.push_run(bit, run);
            want.extend(std::iter::repeat_n(bit, run));
        }
        assert_eq!(b.len, want.len());
        let mut r = b.reader(0);
        for (i, w) in want.iter().enumerate() {
            assert_eq!(r.take(1) == 1, *w, "bit {i}");
        }
        let ones = want.iter().filter(|x| **x).count();
        assert_eq!(b.reader(0).count(want.len()), ones);
        // A malformed RLE stream is refused, not read past its end.
        assert!(rle_bits(&[0x03], 8, &mut Bits::default()).is_none());
        assert!(rle_bits(&[0x80], 8, &mut Bits::default()).is_none());
        assert!(rle_bits(&[0x00, 0x01], 8, &mut Bits::default()).is_none());
    }
}
