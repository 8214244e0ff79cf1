//! Follow-up lists for commune officers (danh sách hộ cần theo dõi):
//! households whose class is undetermined, newly poor, newly near-poor,
//! fallen back into poverty or near poverty (tái nghèo, tái cận nghèo) and
//! out of poverty (thoát nghèo) in the latest survey year of a run, against
//! the review before it. The movements are those of `measure::movement`,
//! which the summary forms count: a list's length is its form's column.
//!
//! One Excel workbook per commune, one sheet per list, under
//! `lists/<year>/<province>/<district>/<commune>.xlsx` (codes then names
//! without tone marks). One file per commune because a commune officer
//! receives, prints and returns their own list: a district office forwards
//! files, never cuts sheets out of a workbook. A national run of ~10,000
//! communes writes ~10,000 small files (a few kB each) in folders of one
//! district (at most a few dozen files), written in parallel.
//!
//! The lists are the only outputs that carry the pass-through columns
//! naming people (`head_name`, `village`, `address`; `schema::KEPT_COLUMNS`):
//! tables, charts, the report and the comparison never do (a test scans
//! them). Headers and values are Vietnamese; the column labels come from
//! the catalogue of outputs (`schema::outputs`, file `lists/…`).

pub mod names;
pub mod rows;
mod sheet;

pub use rows::{lists, CommuneLists, Entry, Lists, Unit};

use crate::error::Result;
use crate::measure::Level;
use crate::standard::Standard;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A follow-up list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Class undetermined: unknown indicator values leave it open.
    Undetermined,
    /// Poor now, not before, never poor in an earlier review (phát sinh).
    NewPoor,
    /// Near-poor now, not near-poor before (a class known, or no record),
    /// never near-poor in an earlier review.
    NewNearPoor,
    /// Poor now, not before, poor in an earlier review (tái nghèo).
    FellBack,
    /// Near-poor now, not before, near-poor in an earlier review.
    FellBackNearPoor,
    /// Poor before, a determined other class now (thoát nghèo).
    LeftPoverty,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Undetermined,
        Kind::NewPoor,
        Kind::NewNearPoor,
        Kind::FellBack,
        Kind::FellBackNearPoor,
        Kind::LeftPoverty,
    ];

    /// The sheet's name.
    pub fn sheet(self) -> &'static str {
        match self {
            Kind::Undetermined => "Chưa xác định",
            Kind::NewPoor => "Nghèo mới phát sinh",
            Kind::NewNearPoor => "Cận nghèo mới phát sinh",
            Kind::FellBack => "Tái nghèo",
            Kind::FellBackNearPoor => "Tái cận nghèo",
            Kind::LeftPoverty => "Thoát nghèo",
        }
    }

    /// The list's title, upper case as official lists write it.
    pub fn title(self, year: i64) -> String {
        let what = match self {
            Kind::Undetermined => "HỘ CHƯA XÁC ĐỊNH ĐƯỢC LOẠI HỘ",
            Kind::NewPoor => "HỘ NGHÈO MỚI PHÁT SINH",
            Kind::NewNearPoor => "HỘ CẬN NGHÈO MỚI PHÁT SINH",
            Kind::FellBack => "HỘ TÁI NGHÈO",
            Kind::FellBackNearPoor => "HỘ TÁI CẬN NGHÈO",
            Kind::LeftPoverty => "HỘ THOÁT NGHÈO",
        };
        format!("DANH SÁCH {what} NĂM {year}")
    }

    /// Who is on the list, in one sentence.
    pub fn rule(self, year: i64, from: Option<i64>) -> String {
        let p = from.map_or("trước".to_string(), |p| p.to_string());
        match self {
            Kind::Undetermined => format!(
                "Hộ có chỉ số chưa rõ giá trị nên chưa xếp được loại hộ năm {year}. \
                 Cần thu thập thông tin ở cột cuối rồi chấm lại."
            ),
            Kind::NewPoor => format!(
                "Hộ nghèo năm {year}, không nghèo năm {p} (hoặc chưa có trong danh sách), \
                 chưa từng là hộ nghèo trong các năm rà soát trước có trong dữ liệu."
            ),
            Kind::NewNearPoor => format!(
                "Hộ cận nghèo năm {year}, không là hộ cận nghèo năm {p} (hoặc chưa có trong \
                 danh sách), chưa từng là hộ cận nghèo trong các năm rà soát trước có trong dữ liệu."
            ),
            Kind::FellBackNearPoor => format!(
                "Hộ cận nghèo năm {year}, không là hộ cận nghèo năm {p}, đã là hộ cận nghèo \
                 trong một năm rà soát trước đó."
            ),
            Kind::FellBack => format!(
                "Hộ nghèo năm {year}, không nghèo năm {p}, đã là hộ nghèo trong một năm \
                 rà soát trước đó."
            ),
            Kind::LeftPoverty => format!(
                "Hộ nghèo năm {p}, năm {year} được xác định không còn là hộ nghèo \
                 (cột loại hộ năm {year} ghi loại hộ hiện nay)."
            ),
        }
    }
}

/// Write the lists of `scored`'s latest year (against the year before)
/// under `dir` (the run's `lists/`): one workbook per commune. `standards`
/// names the indicators (by year; a year without one shows indicator ids).
/// Returns the files written.
pub fn write_lists(
    scored: &[arrow_array::RecordBatch],
    standards: &crate::standard::ByYear,
    names: &crate::measure::Names,
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    let Some(l) = lists(scored, names)? else {
        return Ok(Vec::new());
    };
    let st = standards.get(&(l.year as i32)).map(|s| s.as_ref());
    write_lists_of(&l, st, dir)
}

/// Write the lists `l` under `dir`.
pub fn write_lists_of(l: &Lists, st: Option<&Standard>, dir: &Path) -> Result<Vec<PathBuf>> {
    let year_dir = dir.join(l.year.to_string());
    let jobs: Vec<(&Unit, &CommuneLists)> = l.communes.iter().collect();
    let files: Vec<Result<PathBuf>> = jobs
        .par_iter()
        .map(|(unit, lists)| {
            let path = path_of(l, &year_dir, unit);
            if let Some(parent) = path.parent() {
                crate::files::create_dir_all(parent)?;
            }
            let bytes = sheet::workbook(l, unit, lists, st).map_err(|e| {
                crate::error::Error::input(&path, format!("cannot build the list: {e}"))
            })?;
            crate::files::write_atomic(&path, &bytes)?;
            Ok(path)
        })
        .collect();
    files.into_iter().collect()
}

/// `<year dir>/<province>/<district>/<commune>.xlsx` (no district folder
/// for records without a district).
pub fn path_of(l: &Lists, year_dir: &Path, u: &Unit) -> PathBuf {
    let name = |level, code| names::file_name(&l.names, l.year, level, code);
    let mut dir = year_dir.join(name(Level::Province, &u.province));
    // Records of the 34-province scheme have communes and no districts.
    if !u.district.is_empty() {
        dir = dir.join(name(Level::District, &u.district));
    }
    dir.join(format!("{}.xlsx", name(Level::Commune, &u.commune)))
}
