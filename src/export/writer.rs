//! The writers of a `Frame`: one `Writer` per format (CSV, JSON, Parquet),
//! each turning a frame into the bytes of a file, and `write`, which puts a
//! frame in a folder in each format asked for, atomically.

use super::frame::{Column, Frame};
use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Output formats for tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Parquet,
}

impl Format {
    pub fn ext(self) -> &'static str {
        self.writer().ext()
    }

    /// The writer of this format.
    pub fn writer(self) -> &'static dyn Writer {
        match self {
            Format::Csv => &Csv,
            Format::Json => &Json,
            Format::Parquet => &Parquet,
        }
    }
}

/// A file format a frame can be written in.
pub trait Writer: Sync {
    /// The file name's extension, without the dot.
    fn ext(&self) -> &'static str;
    /// Write the whole frame to `out`.
    fn write(&self, frame: &Frame, out: &mut (dyn Write + Send)) -> Result<()>;

    /// Write the frame as the output file `stem` (the name the catalogue of
    /// output columns knows it by): a format that can carry each column's
    /// description and labels does.
    fn write_file(&self, frame: &Frame, _stem: &str, out: &mut (dyn Write + Send)) -> Result<()> {
        self.write(frame, out)
    }

    /// The file's bytes.
    fn bytes(&self, frame: &Frame) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write(frame, &mut out)?;
        Ok(out)
    }
}

/// Comma-separated, a header row, missing values empty, floats in their
/// shortest round-trip text.
pub struct Csv;
/// An array of objects, pretty-printed, missing values `null`.
pub struct Json;
/// One row group of typed columns (Int64, Float64, Utf8), zstd-compressed.
pub struct Parquet;

/// The error of a write to a file that is not there yet: named by the writer.
fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from("<output>"),
        source: e,
    }
}

impl Writer for Csv {
    fn ext(&self) -> &'static str {
        "csv"
    }

    fn write(&self, frame: &Frame, out: &mut (dyn Write + Send)) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let record = |e: csv::Error| match e.into_kind() {
            csv::ErrorKind::Io(e) => io(e),
            other => io(std::io::Error::other(format!("{other:?}"))),
        };
        w.write_record(&frame.names).map_err(record)?;
        for r in 0..frame.rows() {
            (w.write_record((0..frame.columns.len()).map(|c| frame.cell(c, r)))).map_err(record)?;
        }
        w.flush().map_err(io)
    }
}

impl Writer for Json {
    fn ext(&self) -> &'static str {
        "json"
    }

    fn write(&self, frame: &Frame, out: &mut (dyn Write + Send)) -> Result<()> {
        // Streamed row by row, keys in name order (as a JSON object's map
        // sorts them): the bytes of building a `serde_json::Value` per row,
        // without building one.
        let mut order: Vec<usize> = (0..frame.names.len()).collect();
        order.sort_by(|&a, &b| frame.names[a].cmp(&frame.names[b]));
        let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(
            &mut w,
            &JsonRows {
                frame,
                order: &order,
            },
        )
        .map_err(|e| io(e.into()))?;
        w.write_all(b"\n").map_err(io)?;
        w.flush().map_err(io)
    }
}

/// A frame as a JSON array of objects, one per row.
struct JsonRows<'a> {
    frame: &'a Frame,
    order: &'a [usize],
}

/// One row as a JSON object, its keys in `order`.
struct JsonRow<'a> {
    rows: &'a JsonRows<'a>,
    r: usize,
}

impl serde::Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq((0..self.frame.rows()).map(|r| JsonRow { rows: self, r }))
    }
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (frame, r) = (self.rows.frame, self.r);
        let mut m = s.serialize_map(Some(self.rows.order.len()))?;
        for &c in self.rows.order {
            let name = &frame.names[c];
            match &frame.columns[c] {
                Column::Int(v) => m.serialize_entry(name, &v[r])?,
                // Not finite: null, as `serde_json::Number::from_f64` has it.
                Column::Float(v) => m.serialize_entry(name, &v[r].filter(|x| x.is_finite()))?,
                Column::Str(v) => m.serialize_entry(name, &v[r])?,
            }
        }
        m.end()
    }
}

impl Writer for Parquet {
    fn ext(&self) -> &'static str {
        "parquet"
    }

    fn write(&self, frame: &Frame, out: &mut (dyn Write + Send)) -> Result<()> {
        write_batch(&frame.to_batch()?, out)
    }

    fn write_file(&self, frame: &Frame, stem: &str, out: &mut (dyn Write + Send)) -> Result<()> {
        // Each field carries its catalogue description and labels.
        write_batch(
            &crate::schema::outputs::describe(stem, frame.to_batch()?)?,
            out,
        )
    }
}

fn write_batch(batch: &arrow_array::RecordBatch, out: &mut (dyn Write + Send)) -> Result<()> {
    let props = Some(crate::dataset::writer_properties());
    let mut pw = parquet::arrow::ArrowWriter::try_new(out, batch.schema(), props)?;
    pw.write(batch)?;
    pw.close()?;
    Ok(())
}

/// Write `frame` as `<stem>.<ext>` in each format, atomically.
pub fn write(frame: &Frame, dir: &Path, stem: &str, formats: &[Format]) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for f in formats {
        let writer = f.writer();
        let path = dir.join(format!("{stem}.{}", writer.ext()));
        crate::files::write_atomic_with(&path, |w| {
            writer.write_file(frame, stem, w).map_err(|e| match e {
                Error::Io { source, .. } => Error::io(&path, source),
                other => other,
            })
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Each writer on a small frame (a Vietnamese name, a missing value, a
/// negative zero, a float that is whole, one that is not) against its
/// committed bytes; `UPDATE_GOLDEN=1` rewrites them.
#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Frame {
        let mut f = Frame::default();
        f.push(
            "name",
            Column::Str(vec![Some("Hà Nội".into()), None, Some("a,\"b\"".into())]),
        );
        f.push("rate", Column::Float(vec![Some(1.5), None, Some(-0.0)]));
        f.push(
            "weighted",
            Column::Float(vec![Some(2.0), Some(0.1 + 0.2), None]),
        );
        f.push("n", Column::Int(vec![Some(3), Some(0), None]));
        f
    }

    fn snapshot(format: Format) {
        let got = format.writer().bytes(&small()).unwrap();
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/writers")
            .join(format!("small.{}", format.ext()));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            got == want,
            "{} differs from {}",
            format.ext(),
            path.display()
        );
    }

    #[test]
    fn csv_snapshot() {
        snapshot(Format::Csv);
    }

    #[test]
    fn json_snapshot() {
        snapshot(Format::Json);
    }

    /// Floats that are not finite are written as null, and an empty frame as
    /// an empty array: what a `serde_json::Value` per row gave.
    #[test]
    fn json_non_finite_and_empty() {
        let mut f = Frame::default();
        f.push(
            "x",
            Column::Float(vec![Some(f64::NAN), Some(f64::INFINITY)]),
        );
        let got = String::from_utf8(Json.bytes(&f).unwrap()).unwrap();
        assert_eq!(
            got,
            "[\n  {\n    \"x\": null\n  },\n  {\n    \"x\": null\n  }\n]\n"
        );
        assert_eq!(Json.bytes(&Frame::default()).unwrap(), b"[]\n");
    }

    #[test]
    fn parquet_snapshot() {
        snapshot(Format::Parquet);
    }

    #[test]
    fn parquet_reads_back_the_frame() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&small(), dir.path(), "small", &[Format::Parquet]).unwrap();
        assert_eq!(path, vec![dir.path().join("small.parquet")]);
        let file = std::fs::File::open(&path[0]).unwrap();
        let reader =
            parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(file, 1024).unwrap();
        let batches: Vec<_> = reader.collect::<std::result::Result<_, _>>().unwrap();
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0], small().to_batch().unwrap());
    }
}
