//! The human outputs of a run: charts (SVG and PNG), the self-contained
//! HTML report and the Excel workbook, in each requested language. They are
//! drawn from the scored households through the same tables and estimates
//! as the CSV files, so they always agree with them.

use super::figures::figures;
use super::standards::{comparability_notes, report_standard, standards_in_use};
use super::summary::{headline, mpi_headline, summary_columns};
use super::{notices, render_html, select_columns, write_workbook, Headline, ReportInput};
use crate::error::Result;
use crate::export::publish::publish_in_memory;
use crate::export::{Estimates, Frame, LevelTables};
use crate::i18n::Lang;
use crate::measure::{Level, StatsOptions};
use crate::score::meta::ScoredMeta;
use crate::standard::{ByYear, ClassRule, Standard};
use arrow_array::RecordBatch;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The small-cell rule a run's manifest records (`options.min_cell`,
/// `options.suppress`), so the report and workbook flag and blank the same
/// cells as the tables of that run.
fn cell_rule(manifest_json: &str) -> (Option<u64>, bool) {
    let m: serde_json::Value = serde_json::from_str(manifest_json).unwrap_or_default();
    (
        m["options"]["min_cell"].as_u64(),
        m["options"]["suppress"].as_bool().unwrap_or(false),
    )
}

/// What the report says about the data's way in.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub read: u64,
    pub quarantined: u64,
    pub undetermined: usize,
    pub manifest_json: String,
}

/// The levels the report shows: provinces, and regions.
pub const REPORT_LEVELS: [Level; 2] = [Level::Province, Level::Region];

/// The tables and estimates the report is drawn from (at
/// [`REPORT_LEVELS`]), and the small-cell rule they were made under.
pub struct Tables<'a> {
    pub tables: &'a [LevelTables],
    pub estimates: &'a Estimates,
    pub min_cell: Option<u64>,
    pub suppress: bool,
}

/// Write charts, report and workbook for each language under `dir`, for
/// scored years each under its own standard (`standards`), tabulating them
/// first (the small-cell rule as the run's manifest recorded it).
pub fn write(
    scored: &[RecordBatch],
    standards: &ByYear,
    dir: &Path,
    langs: &[Lang],
    lonely: crate::measure::design::LonelyPsu,
    prov: &Provenance,
) -> Result<Vec<PathBuf>> {
    let (min_cell, suppress) = cell_rule(&prov.manifest_json);
    let opts = StatsOptions {
        groupings: REPORT_LEVELS.to_vec(),
        ks: Vec::new(),
        lonely,
        min_cell,
        suppress,
    };
    let (tables, estimates) = publish_in_memory(scored, &REPORT_LEVELS, &opts)?;
    let t = Tables {
        tables: &tables,
        estimates: &estimates,
        min_cell,
        suppress,
    };
    write_tabulated(&t, scored, standards, dir, langs, prov)
}

/// Write charts, report and workbook for each language under `dir` from
/// tables already made; into a staging folder swapped in once every file
/// is written.
pub fn write_tabulated(
    t: &Tables<'_>,
    scored: &[RecordBatch],
    standards: &ByYear,
    dir: &Path,
    langs: &[Lang],
    prov: &Provenance,
) -> Result<Vec<PathBuf>> {
    let staged = crate::outdir::stage::Staged::new(dir)?;
    let report = Report::of(t, scored, standards)?;
    let mut written = Vec::new();
    for &lang in langs {
        written.extend(report.write_language(staged.path(), lang, prov)?);
    }
    staged.commit(written, crate::outdir::REPORT_FILES)
}

/// What every language's report is drawn from.
struct Report<'a> {
    t: &'a Tables<'a>,
    standards: &'a ByYear,
    years: Vec<i64>,
    /// The last year's standard: its labels and cut-off head the figures.
    last: &'a Arc<Standard>,
    k: Option<String>,
    in_use: Vec<(Vec<i32>, Arc<Standard>)>,
    /// Standards under the weighted rule, and under a count rule, in use.
    weighted: bool,
    counted: bool,
    small: Option<notices::SmallCells>,
}

impl<'a> Report<'a> {
    fn of(t: &'a Tables<'a>, scored: &[RecordBatch], standards: &'a ByYear) -> Result<Self> {
        let small = t.min_cell.map(|min| notices::SmallCells {
            min,
            suppress: t.suppress,
            flagged: (t.tables.iter())
                .flat_map(|t| [&t.rates, &t.indicators])
                .chain([&t.estimates.estimates])
                .map(crate::export::cells::count_small)
                .sum(),
        });
        let mut years: Vec<i64> = scored
            .iter()
            .filter_map(crate::score::survey_year_of)
            .collect();
        years.sort_unstable();
        years.dedup();
        // The figures show the last year: its standard's labels and cut-off.
        let last_batch = scored
            .iter()
            .max_by_key(|b| crate::score::survey_year_of(b).unwrap_or(i64::MIN));
        let k = (last_batch.map(ScoredMeta::of))
            .and_then(|m| m.own_cutoff())
            .map(|k| k.to_string());
        let last = years
            .last()
            .and_then(|y| standards.get(&(*y as i32)))
            .or_else(|| standards.values().last())
            .ok_or_else(|| crate::error::Error::Usage("no scored survey years to report".into()))?;
        let in_use = standards_in_use(standards);
        let weighted = in_use.iter().any(|(_, s)| s.rule == ClassRule::Weighted);
        let counted = in_use.iter().any(|(_, s)| s.rule != ClassRule::Weighted);
        Ok(Report {
            t,
            standards,
            years,
            last,
            k,
            in_use,
            weighted,
            counted,
            small,
        })
    }

    fn province(&self) -> Option<&'a LevelTables> {
        self.t.tables.iter().find(|t| t.level == Level::Province)
    }

    /// The charts, HTML report and workbook in one language.
    fn write_language(&self, dir: &Path, lang: Lang, prov: &Provenance) -> Result<Vec<PathBuf>> {
        let figs = figures(
            self.t.tables,
            self.t.estimates,
            (self.last, self.standards),
            &self.years,
            self.k.as_deref(),
            lang,
        );
        let chart_dir = dir.join("charts").join(lang.code());
        let (mut written, svgs) = write_charts(&figs.figures, &chart_dir, lang)?;
        let summary = self.province().map(|p| {
            let (columns, caption) = summary_columns(self.weighted, self.counted, lang);
            (caption.to_string(), select_columns(&p.rates, columns))
        });
        let tables: Vec<(String, &Frame)> = summary.iter().map(|(c, f)| (c.clone(), f)).collect();
        let input = ReportInput {
            charts: svgs,
            skipped_charts: figs.skipped,
            tables,
            ..self.input(lang, prov)
        };
        let html_path = dir.join(format!("report_{}.html", lang.code()));
        crate::files::write_atomic(&html_path, render_html(&input).as_bytes())?;
        written.push(html_path);
        let xlsx = dir.join(format!("tables_{}.xlsx", lang.code()));
        write_workbook(&xlsx, &self.sheets(), lang, &input.notices)?;
        written.push(xlsx);
        Ok(written)
    }

    /// The report's input without its charts and tables.
    fn input(&self, lang: Lang, prov: &Provenance) -> ReportInput<'a> {
        let title = if self.weighted && !self.counted {
            lang.t(
                "Kết quả chỉ số nghèo đa chiều (MPI)",
                "Multidimensional Poverty Index (MPI) results",
            )
        } else {
            lang.t(
                "Kết quả rà soát hộ nghèo, hộ cận nghèo",
                "Poverty review results",
            )
        };
        let est = self.t.estimates;
        ReportInput {
            lang,
            title: title.into(),
            standards: (self.in_use.iter())
                .map(|(ys, st)| report_standard(ys, st, lang))
                .collect(),
            years: self.years.clone(),
            headline: self.headlines(),
            charts: Vec::new(),
            skipped_charts: Vec::new(),
            tables: Vec::new(),
            undetermined: prov.undetermined,
            quarantined: prov.quarantined,
            read: prov.read,
            census: est.census,
            manifest_json: prov.manifest_json.clone(),
            comparability: comparability_notes(self.standards, lang),
            notices: (notices::quarantine(lang, prov.read, prov.quarantined).into_iter())
                .chain(
                    self.small
                        .as_ref()
                        .and_then(|s| notices::small_cells(lang, s)),
                )
                .collect(),
        }
    }

    /// The key figures of each year, from the province table's national rows.
    fn headlines(&self) -> Vec<Headline> {
        let Some(p) = self.province() else {
            return Vec::new();
        };
        (self.years.iter())
            .filter_map(|y| {
                headline(&p.rates, *y).map(|mut hl| {
                    hl.mpi = (self.standards.get(&(*y as i32)))
                        .and_then(|st| mpi_headline(&self.t.estimates.estimates, st, *y));
                    hl
                })
            })
            .collect()
    }

    /// The workbook's sheets: each level's rates and indicators, the estimates.
    fn sheets(&self) -> Vec<(&'static str, &'a Frame)> {
        let mut sheets: Vec<(&str, &Frame)> = Vec::new();
        for t in self.t.tables {
            let (r, i) = match t.level {
                Level::Province => ("rates_province", "indicators_province"),
                _ => ("rates_region", "indicators_region"),
            };
            sheets.push((r, &t.rates));
            sheets.push((i, &t.indicators));
        }
        sheets.push(("estimates", &self.t.estimates.estimates));
        sheets
    }
}

/// The chart files written, and each SVG with its caption.
type Charts = (Vec<PathBuf>, Vec<(String, String)>);

/// Each figure as SVG and PNG under `dir`; the files, and each SVG with
/// its caption for the HTML report.
fn write_charts(figures: &[super::figures::Figure], dir: &Path, lang: Lang) -> Result<Charts> {
    let (mut written, mut svgs) = (Vec::new(), Vec::new());
    for f in figures {
        let svg = crate::chart::svg(&f.chart, lang)?;
        let png = crate::chart::png(&f.chart, lang)?;
        let svg_path = dir.join(format!("{}.svg", f.stem));
        let png_path = dir.join(format!("{}.png", f.stem));
        crate::files::write_atomic(&svg_path, svg.as_bytes())?;
        crate::files::write_atomic(&png_path, &png)?;
        written.extend([svg_path, png_path]);
        svgs.push((f.caption.clone(), svg));
    }
    Ok((written, svgs))
}
