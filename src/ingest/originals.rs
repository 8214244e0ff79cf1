//! Rejected rows read again from their input file: the quarantine keeps
//! only the rejected value of each row, so a person who fixes rows in
//! Excel needs the rest of the row from the file itself. A source is named
//! as the quarantine names it (`path`, or `path[sheet]` for a workbook).

use super::header::detect_kind;
use super::read::{read_file, RawCell, Sink};
use crate::progress::Progress;
use crate::schema::TableKind;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A row as read: its cells as a person would see them, or why it could
/// not be split into cells.
pub type Cells = std::result::Result<Vec<String>, String>;

/// The rows wanted of one source, as they are in the file now.
#[derive(Debug, Clone)]
pub struct Originals {
    pub kind: TableKind,
    pub header: Vec<String>,
    pub rows: BTreeMap<u64, Cells>,
}

/// The file a quarantine source names, and the sheet for a workbook.
pub fn split_source(source: &str) -> (PathBuf, Option<&str>) {
    match source.strip_suffix(']').and_then(|s| s.rsplit_once('[')) {
        Some((path, sheet)) if super::read::format_of(Path::new(path)).is_some() => {
            (PathBuf::from(path), Some(sheet))
        }
        _ => (PathBuf::from(source), None),
    }
}

/// The rows `wanted` of `source`, read from its file: found as named, else
/// under each of `bases`. `None` when the file is gone or cannot be read.
pub fn read_rows(source: &str, wanted: &BTreeSet<u64>, bases: &[&Path]) -> Option<Originals> {
    let (path, _) = split_source(source);
    let found = std::iter::once(path.clone())
        .chain(bases.iter().map(|b| b.join(&path)))
        .find(|p| p.is_file())?;
    // The source as the reader names it from the path found.
    let shown = source.replacen(&path.display().to_string(), &found.display().to_string(), 1);
    let mut sink = Wanted {
        source: shown,
        wanted,
        found: None,
        current: false,
    };
    read_file(&found, &mut sink, &Progress::hidden(), None).ok()?;
    sink.found
}

struct Wanted<'a> {
    source: String,
    wanted: &'a BTreeSet<u64>,
    found: Option<Originals>,
    current: bool,
}

impl Sink for Wanted<'_> {
    fn begin(
        &mut self,
        source: &str,
        kind: Option<TableKind>,
        header: Vec<String>,
    ) -> crate::error::Result<bool> {
        self.current = source == self.source && self.found.is_none();
        if self.current {
            let kind = kind.unwrap_or_else(|| detect_kind(&header));
            self.found = Some(Originals {
                kind,
                header,
                rows: BTreeMap::new(),
            });
        }
        Ok(self.current)
    }

    fn row(&mut self, row_no: u64, cells: std::result::Result<Vec<RawCell<'_>>, String>) {
        let Some(found) = self.found.as_mut().filter(|_| self.current) else {
            return;
        };
        if self.wanted.contains(&row_no) {
            let cells = cells.map(|c| c.iter().map(RawCell::display).collect());
            found.rows.insert(row_no, cells);
        }
    }
}
