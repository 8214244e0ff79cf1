//! The rejected rows as a workbook a person fixes in Excel: from
//! `quarantine.csv`, a sheet per input table (`households`, `members`)
//! with each rejected row's values under the input template's headers,
//! the bad cells highlighted, then where the row is in its file, the
//! column, the value, the reason and what to do, in the reader's
//! language; and a sheet explaining how to fix and submit again.
//!
//! The quarantine keeps only the rejected value of each row, so the rest
//! of the row is read again from the input file the quarantine names
//! (`ingest::originals`). When that file is gone, or no longer holds the
//! rejected values at those rows (edited since), the row shows only its
//! rejected values, and the notes sheet says so for that file.

mod reasons;
mod sheet;

pub use reasons::explain;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::ingest::originals::{self, Originals};
use crate::ingest::quarantine::{Entry, HEADER};
use crate::ingest::template;
use crate::schema::{self, ColumnSpec, TableKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Write the rejected rows of `quarantine_csv` to the workbook `out`;
/// returns the number of rejected rows written (a row with several
/// problems counts once).
pub fn write_rejected_xlsx(quarantine_csv: &Path, out: &Path, lang: Lang) -> anyhow::Result<usize> {
    let entries = read_quarantine(quarantine_csv)?;
    let bases: Vec<&Path> = quarantine_csv.ancestors().skip(1).take(2).collect();
    let book = build(&entries, &bases, lang);
    let bytes = sheet::workbook(&book, lang)?;
    crate::files::write_atomic(out, &bytes)?;
    Ok(book.tables.iter().map(|t| t.rows.len()).sum())
}

/// The entries of a quarantine file, as ingest wrote them.
pub fn read_quarantine(path: &Path) -> Result<Vec<Entry>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file);
    let not_ours = |why: String| {
        Error::input(
            path,
            format!("is not a quarantine file as dachieu writes it ({why}); give the quarantine.csv that `dachieu ingest` or `dachieu run` wrote, unchanged"),
        )
    };
    let header = rdr.headers().map_err(|e| not_ours(e.to_string()))?.clone();
    if header.iter().ne(HEADER) {
        return Err(not_ours(format!(
            "its header is `{}`, not `{}`",
            header.iter().collect::<Vec<_>>().join(","),
            HEADER.join(",")
        )));
    }
    let mut entries = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| not_ours(format!("line {line}: {e}")))?;
        let row = rec[1].parse::<u64>().map_err(|_| {
            not_ours(format!(
                "line {line}: the row `{}` is not a number",
                &rec[1]
            ))
        })?;
        entries.push(Entry {
            source: rec[0].to_string(),
            row,
            column: rec[2].to_string(),
            value: rec[3].to_string(),
            reason: rec[4].to_string(),
        });
    }
    Ok(entries)
}

/// What became of a source's original rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Read again; every rejected value is where the quarantine says.
    Yes,
    /// The file is gone or cannot be read.
    Missing,
    /// The file no longer holds the rejected values at those rows (edited
    /// since, or a CSV file read with `--encoding`, read here without it).
    Changed,
}

/// One problem of a rejected row, ready to show.
#[derive(Debug, Clone)]
pub struct Problem {
    pub column: String,
    pub value: String,
    pub reason: String,
    pub fix: String,
}

/// A rejected row as the workbook shows it.
#[derive(Debug, Clone)]
pub struct RowOut {
    pub source: String,
    pub row: u64,
    /// Under the table's columns (the template's, then the file's others).
    pub cells: Vec<String>,
    /// Whether `cells` are the row's own values (else only the rejected ones).
    pub original: bool,
    pub bad: BTreeSet<usize>,
    pub problems: Vec<Problem>,
}

/// One sheet: a table's columns and its rejected rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: TableKind,
    pub columns: Vec<&'static ColumnSpec>,
    /// Columns of the input files outside the template, as headed there.
    pub others: Vec<String>,
    pub rows: Vec<RowOut>,
}

impl Table {
    fn new(kind: TableKind) -> Self {
        Table {
            kind,
            columns: template::columns(kind),
            others: Vec::new(),
            rows: Vec::new(),
        }
    }
    /// The sheet column of a header as written in an input file, adding
    /// it to the others when the template has no such column (`add`).
    fn column_of(&mut self, header: &str, add: bool) -> Option<usize> {
        let spec = schema::resolve_header(self.kind, header).or(match self.kind {
            TableKind::Households => schema::resolve_kept(header),
            TableKind::Members => None,
        });
        if let Some(spec) = spec {
            return self.columns.iter().position(|c| c.name == spec.name);
        }
        let h = header.trim();
        if h.is_empty() {
            return None;
        }
        let at = self.others.iter().position(|o| o == h);
        let at = match (at, add) {
            (Some(i), _) => i,
            (None, true) => {
                self.others.push(h.to_string());
                self.others.len() - 1
            }
            (None, false) => return None,
        };
        Some(self.columns.len() + at)
    }
    fn width(&self) -> usize {
        self.columns.len() + self.others.len()
    }
}

/// The workbook's content.
#[derive(Debug, Clone)]
pub struct Book {
    pub tables: [Table; 2],
    /// Each source and what became of its original rows.
    pub sources: Vec<(String, TableKind, Found)>,
}

/// The rows of every source, grouped by table.
pub fn build(entries: &[Entry], bases: &[&Path], lang: Lang) -> Book {
    let mut by_source: BTreeMap<&str, BTreeMap<u64, Vec<&Entry>>> = BTreeMap::new();
    for e in entries {
        let rows = by_source.entry(e.source.as_str()).or_default();
        rows.entry(e.row).or_default().push(e);
    }
    let mut book = Book {
        tables: [
            Table::new(TableKind::Households),
            Table::new(TableKind::Members),
        ],
        sources: Vec::new(),
    };
    for (source, rows) in by_source {
        let wanted: BTreeSet<u64> = rows.keys().copied().collect();
        let read = originals::read_rows(source, &wanted, bases);
        let found = match &read {
            None => Found::Missing,
            Some(o) if !consistent(o, &rows) => Found::Changed,
            Some(_) => Found::Yes,
        };
        let kind = match (&read, found) {
            (Some(o), _) => o.kind,
            _ => guess_kind(source, &rows),
        };
        let table = &mut book.tables[(kind == TableKind::Members) as usize];
        let read = read.filter(|_| found == Found::Yes);
        for (row, problems) in rows {
            let own = read
                .as_ref()
                .and_then(|o| o.rows.get(&row)?.as_ref().ok().map(|c| (&o.header, c)));
            let out = row_out(table, source, row, own, &problems, lang);
            table.rows.push(out);
        }
        book.sources.push((source.to_string(), kind, found));
    }
    // Rows added later may have added columns: every row as wide as its table.
    for t in &mut book.tables {
        let w = t.width();
        t.rows
            .iter_mut()
            .for_each(|r| r.cells.resize(w, String::new()));
    }
    book
}

/// One rejected row: its own values when read, else only the rejected ones.
fn row_out(
    table: &mut Table,
    source: &str,
    row: u64,
    own: Option<(&Vec<String>, &Vec<String>)>,
    problems: &[&Entry],
    lang: Lang,
) -> RowOut {
    let mut cells = vec![String::new(); table.width()];
    if let Some((header, values)) = own {
        for (h, v) in header.iter().zip(values) {
            if let Some(i) = table.column_of(h, true) {
                cells.resize(table.width(), String::new());
                cells[i] = v.clone();
            }
        }
    }
    let mut bad = BTreeSet::new();
    let mut shown = Vec::new();
    for e in problems {
        if let Some(i) = table.column_of(&e.column, own.is_none()) {
            cells.resize(table.width(), String::new());
            if own.is_none() {
                cells[i] = e.value.clone();
            }
            bad.insert(i);
        }
        let (reason, fix) = explain(&e.reason, lang);
        shown.push(Problem {
            column: column_label(table.kind, &e.column, lang),
            value: e.value.clone(),
            reason,
            fix,
        });
    }
    RowOut {
        source: source.to_string(),
        row,
        cells,
        original: own.is_some(),
        bad,
        problems: shown,
    }
}

/// A column as the reader knows it: its template label, else as written.
fn column_label(kind: TableKind, written: &str, lang: Lang) -> String {
    let spec = schema::resolve_header(kind, written).or_else(|| schema::resolve_kept(written));
    match spec.and_then(|c| schema::labels::label(c.name)) {
        Some(l) => l.text(lang).to_string(),
        None => written.to_string(),
    }
}

/// Whether the file still holds each rejected value where the quarantine
/// says (a value cut short in the quarantine is not compared).
fn consistent(o: &Originals, rows: &BTreeMap<u64, Vec<&Entry>>) -> bool {
    let norm = schema::normalise_header;
    rows.iter().all(|(row, problems)| {
        let Some(cells) = o.rows.get(row) else {
            return false;
        };
        let Ok(cells) = cells else {
            return true;
        };
        problems.iter().all(|e| {
            let at = o.header.iter().position(|h| norm(h) == norm(&e.column));
            match at {
                None => true,
                Some(i) => {
                    let v = cells.get(i).map_or("", |c| c.trim());
                    e.value.contains('…') || v == e.value.trim()
                }
            }
        })
    })
}

/// The table of a source whose file cannot be read: a workbook's sheet
/// name, else a member-only column or reason among its problems.
fn guess_kind(source: &str, rows: &BTreeMap<u64, Vec<&Entry>>) -> TableKind {
    if let (_, Some(sheet)) = originals::split_source(source) {
        let s = sheet.trim().to_lowercase();
        if ["members", "thanh_vien", "thành_viên", "thành viên"].contains(&s.as_str()) {
            return TableKind::Members;
        }
        return TableKind::Households;
    }
    let member = rows.values().flatten().any(|e| {
        let only_member = schema::resolve_header(TableKind::Members, &e.column).is_some()
            && schema::resolve_header(TableKind::Households, &e.column).is_none();
        only_member
            || e.reason.starts_with("its household")
            || e.reason.starts_with("duplicate: member")
            || e.reason.contains("has no record for survey year")
    });
    match member {
        true => TableKind::Members,
        false => TableKind::Households,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_quarantine_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let q = dir.path().join("q.csv");
        std::fs::write(&q, "survey_year,household_id\n2020,a\n").unwrap();
        let e = read_quarantine(&q).unwrap_err().to_string();
        assert!(e.contains("is not a quarantine file as dachieu writes it (its header is `survey_year,household_id`"), "{e}");
        std::fs::write(&q, "source_file,row,column,value,reason\nh.csv,two,a,b,c\n").unwrap();
        let e = read_quarantine(&q).unwrap_err().to_string();
        assert!(e.contains("line 2: the row `two` is not a number"), "{e}");
    }

    #[test]
    fn a_source_that_cannot_be_read_is_placed_by_its_problems() {
        let entry = |source: &str, column: &str, reason: &str| Entry {
            source: source.into(),
            row: 2,
            column: column.into(),
            value: "x".into(),
            reason: reason.into(),
        };
        let entries = [
            entry("gone/m.csv", "age", "`age` must be a whole number"),
            entry(
                "gone/h.csv",
                "area",
                "`area` is not a known code; use one of: urban, rural",
            ),
            entry("gone/b.xlsx[thành viên]", "x", "something"),
        ];
        let book = build(&entries, &[], Lang::Vi);
        let kinds: Vec<_> = book
            .sources
            .iter()
            .map(|(s, k, f)| (s.as_str(), *k, *f))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "gone/b.xlsx[thành viên]",
                    TableKind::Members,
                    Found::Missing
                ),
                ("gone/h.csv", TableKind::Households, Found::Missing),
                ("gone/m.csv", TableKind::Members, Found::Missing),
            ]
        );
        // The rejected value alone, under its column; the row counts once.
        let hh = &book.tables[0];
        let area = hh.columns.iter().position(|c| c.name == "area").unwrap();
        assert_eq!(hh.rows[0].cells[area], "x");
        assert!(hh.rows[0].bad.contains(&area) && !hh.rows[0].original);
        assert_eq!(book.tables[1].rows.len(), 2);
    }
}
