//! The two human-facing writers of a run's results: a self-contained
//! bilingual HTML report (`html`) and an Excel workbook (`xlsx`). This module
//! holds what both share: the report's input, a panic-free view of a
//! [`Frame`]'s cells (a frame built by hand may be ragged), and what kind of
//! number each common column holds (`labels`).

mod by_year;
mod caveats;
mod changes;
pub mod figures;
pub mod forms;
pub mod html;
mod labels;
pub mod lists;
mod markup;
pub mod notes;
pub mod notices;
pub mod people;
mod provenance;
pub mod rejected;
mod research_figures;
pub mod standards;
mod style;
mod summary;
pub mod trend;
pub mod write;
pub mod xlsx;

pub use html::render_html;
pub use xlsx::{write_book, write_workbook, Book};

use crate::export::{Column, Frame};
use crate::i18n::Lang;

/// Everything the HTML report shows. The charts are trusted SVG markup from
/// our own chart module; every other text is escaped.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    pub lang: Lang,
    /// E.g. "Kết quả rà soát hộ nghèo, hộ cận nghèo" / "Poverty review results".
    pub title: String,
    /// The standards used, each with the survey years it scored.
    pub standards: Vec<ReportStandard>,
    pub years: Vec<i64>,
    /// What the records cover, as the total row is named ("Tỉnh Điện
    /// Biên", "Toàn quốc"), in the report's language.
    pub scope: String,
    /// The totals' numbers, one per survey year.
    pub headline: Vec<Headline>,
    pub charts: Vec<ReportChart>,
    /// Notes on charts not drawn ("only one survey year", …).
    pub skipped_charts: Vec<String>,
    /// (caption, table).
    pub tables: Vec<(String, &'a Frame)>,
    pub undetermined: usize,
    pub quarantined: u64,
    pub read: u64,
    pub census: bool,
    pub manifest_json: String,
    /// What a reader must know when comparing years scored under different
    /// standards (in the report's language); empty when one standard scored all.
    pub comparability: Vec<String>,
    /// Shown before any figure, in the report's language (see `notices`).
    pub notices: Vec<notices::Notice>,
    /// The research charts (contributions to M0, cut-off sensitivity):
    /// (caption, SVG markup), shown with the research measures, apart from
    /// the official figures.
    pub research_charts: Vec<ReportChart>,
    /// The report in the other language, when the run writes it too (its
    /// file name, beside this one: `report_en.html`).
    pub other_report: Option<String>,
    /// (year, month, day) the report was made: today (UTC) or the day of
    /// `SOURCE_DATE_EPOCH` (`notes::run_date`).
    pub date: (i64, u32, u32),
}

/// A chart as the report shows it: the SVG where the page is wide enough
/// to read it, its numbers as a table where it is not (a phone).
#[derive(Debug, Clone, Default)]
pub struct ReportChart {
    /// The chart's file stem ("poor_by_province"), its `data-chart` in the page.
    pub stem: String,
    /// How to read the chart (its title is drawn in it).
    pub caption: String,
    /// Trusted SVG markup from our chart module.
    pub svg: String,
    /// The chart's numbers and caveats; None: the chart is shown at every width.
    pub data: Option<crate::chart::DataTable>,
}

/// A standard as the report describes it.
#[derive(Debug, Clone)]
pub struct ReportStandard {
    /// The survey years it scored.
    pub years: Vec<i64>,
    pub id: String,
    pub version: String,
    /// In the report's language.
    pub name: String,
    pub legal_basis: Vec<String>,
    pub review_years: (i32, i32),
    /// The classification rule in words, in the report's language, from the
    /// standard's lines and cut-off (`Standard::rule_in_words`).
    pub classification: String,
    /// Not confirmed from the legal text: the report says so wherever it
    /// names the standard.
    pub provisional: bool,
    /// A research measure (the weighted rule: the global MPI), not an
    /// official review: no review years, and its sources are references.
    pub research: bool,
    /// Each indicator's name in the report's language, and how sure its
    /// definition is.
    pub indicators: Vec<(String, Confidence)>,
    /// Where the standard's files are, to correct a definition
    /// (`indicators/vn-2016-2020/`, or the folder of a local standard).
    pub files: String,
}

/// How sure an indicator's definition is (the `confidence` of its file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Checked against the legal text (or, for a research measure, its source).
    Confirmed,
    /// Seen only in an indirect source.
    Secondary,
    /// Not found in any source retrieved.
    Unconfirmed,
}

impl Confidence {
    /// From an indicator file's label; anything else reads as unconfirmed.
    pub fn of(label: &str) -> Self {
        match label {
            "confirmed" => Confidence::Confirmed,
            "secondary" => Confidence::Secondary,
            _ => Confidence::Unconfirmed,
        }
    }

    /// In words, as a reader is told it.
    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            Confidence::Confirmed => lang.t(
                "đã đối chiếu với văn bản gốc",
                "checked against the original text",
            ),
            Confidence::Secondary => lang.t("theo nguồn thứ cấp", "from secondary sources"),
            Confidence::Unconfirmed => lang.t(
                "chưa được đối chiếu với văn bản gốc",
                "not yet checked against the original text",
            ),
        }
    }
}

/// The national numbers of one survey year (percentages in percent).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    pub year: i64,
    /// The name of the standard that scored the year, in the report's
    /// language (the report shows no internal id; `ReportStandard::years`
    /// says which standard scored which year).
    pub standard: Option<String>,
    pub households: f64,
    pub poor_pct: Option<f64>,
    pub poor_income_pct: Option<f64>,
    pub poor_deprivation_pct: Option<f64>,
    pub near_poor_pct: Option<f64>,
    /// The (weighted) numbers of poor and near-poor households behind the
    /// rates.
    pub poor: Option<f64>,
    pub near_poor: Option<f64>,
    pub undetermined: f64,
    /// A weighted standard (the global MPI): its headline, which replaces
    /// the income-based figures above.
    pub mpi: Option<MpiHeadline>,
    /// The change against the previous survey year in the data; None for
    /// the first year.
    pub change: Option<Change>,
    /// The households that moved on the poor and near-poor lists since the
    /// previous survey year.
    pub flows: Flows,
}

/// A year's key figures against the previous survey year in the data:
/// numbers of households and percentage points (this year minus that).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    pub previous: i64,
    pub poor: Option<f64>,
    pub poor_pp: Option<f64>,
    pub near_poor: Option<f64>,
    pub near_poor_pp: Option<f64>,
    /// The two years were classified under standards of different ids.
    pub standard_changed: bool,
    /// ... and their near-poor households are defined differently.
    pub near_poor_redefined: bool,
    /// What a reader must know about the change, in words and in the
    /// report's language (the charts' caveats: `caveats::for_years`);
    /// empty when one standard classified both years.
    pub caveats: Vec<String>,
}

/// How households moved on the lists since the previous survey year: the
/// summary forms' total row (`measure::forms`, `measure::movement`).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Flows {
    /// The first survey year in the data: no movement to count.
    #[default]
    None,
    /// Weighted sample data: the same households are not followed from
    /// year to year, so no household is counted as leaving or entering.
    Sample,
    /// Census records: each list's movement (None: the year's standard
    /// has no such list).
    Counted {
        previous: i64,
        poor: Option<crate::measure::movement::Tally>,
        near_poor: Option<crate::measure::movement::Tally>,
    },
}

/// The Alkire–Foster headline of a weighted standard, for persons (the
/// MPI's unit) and for households.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MpiHeadline {
    /// The standard's cut-off, as a fraction ("1/3").
    pub k: String,
    pub person: AfFigures,
    pub household: AfFigures,
}

/// Alkire–Foster figures over the units whose indicators are all known, as
/// proportions (0.25 = 25 %): H, A and M0 at the cut-off, the share
/// vulnerable (between the band and the cut-off) and in severe poverty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AfFigures {
    pub h: Option<f64>,
    pub a: Option<f64>,
    pub m0: Option<f64>,
    pub vulnerable: Option<f64>,
    pub severe: Option<f64>,
}

/// A copy of `frame` with only the named columns, in the order given
/// (names it lacks are skipped): the report shows a few columns of a wide
/// table, the CSV and workbook keep them all.
pub fn select_columns(frame: &Frame, names: &[&str]) -> Frame {
    let mut out = Frame::default();
    for name in names {
        if let Some(i) = frame.names.iter().position(|n| n == name) {
            if let Some(col) = frame.columns.get(i) {
                out.push(name, col.clone());
            }
        }
    }
    out
}

/// One cell, read without indexing panics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Int(i64),
    Float(f64),
    Str(&'a str),
    Missing,
}

/// Number of columns a frame really has (a name without a column is ignored).
pub(crate) fn n_cols(f: &Frame) -> usize {
    f.columns.len()
}

/// Number of rows: the longest column, so that a ragged frame loses
/// nothing (the short columns read as missing).
pub(crate) fn n_rows(f: &Frame) -> usize {
    f.columns.iter().map(col_len).max().unwrap_or(0)
}

fn col_len(c: &Column) -> usize {
    match c {
        Column::Int(v) => v.len(),
        Column::Float(v) => v.len(),
        Column::Str(v) => v.len(),
    }
}

/// The name of column `c` ("" if the frame has fewer names than columns).
pub(crate) fn col_name(f: &Frame, c: usize) -> &str {
    f.names.get(c).map(String::as_str).unwrap_or("")
}

pub(crate) fn cell(f: &Frame, c: usize, r: usize) -> Cell<'_> {
    match f.columns.get(c) {
        Some(Column::Int(v)) => v.get(r).copied().flatten().map_or(Cell::Missing, Cell::Int),
        Some(Column::Float(v)) => v
            .get(r)
            .copied()
            .flatten()
            .map_or(Cell::Missing, Cell::Float),
        Some(Column::Str(v)) => v
            .get(r)
            .and_then(|s| s.as_deref())
            .map_or(Cell::Missing, Cell::Str),
        None => Cell::Missing,
    }
}

/// Row `r` of the column named `name`, as text (for row-level decisions
/// such as "is this the national row").
pub(crate) fn text_at<'a>(f: &'a Frame, name: &str, r: usize) -> Option<&'a str> {
    let c = f.names.iter().position(|n| n == name)?;
    match cell(f, c, r) {
        Cell::Str(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_frames_read_as_missing() {
        let mut f = Frame::default();
        f.push("a", Column::Int(vec![Some(1)]));
        f.push(
            "b",
            Column::Str(vec![Some("x".into()), None, Some("z".into())]),
        );
        f.names.push("orphan".into());
        assert_eq!(n_rows(&f), 3);
        assert_eq!(n_cols(&f), 2);
        assert_eq!(cell(&f, 0, 2), Cell::Missing);
        assert_eq!(cell(&f, 1, 2), Cell::Str("z"));
        assert_eq!(cell(&f, 7, 0), Cell::Missing);
        assert_eq!(text_at(&f, "b", 0), Some("x"));
        let s = select_columns(&f, &["b", "nope", "a"]);
        assert_eq!(s.names, ["b", "a"]);
    }
}
