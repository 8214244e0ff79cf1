//! The human outputs of a run: charts (SVG and PNG), the self-contained
//! HTML report and the Excel workbook, in each requested language. They are
//! drawn from the scored households through the same tables and estimates
//! as the CSV files, so they always agree with them.

use super::changes::add_changes;
use super::figures::{by_words, figures, Focus};
use super::notes::{notes, run_date, NotesInput};
use super::standards::{comparability_notes, report_standard, standards_in_use};
use super::summary::{headline, mpi_headline, summary_columns};
use super::{
    by_year, notices, people, render_html, select_columns, write_book, Book, Headline, ReportInput,
};
use crate::error::Result;
use crate::export::publish::publish_in_memory;
use crate::export::{Estimates, Frame, LevelTables};
use crate::i18n::Lang;
use crate::measure::{Coverage, Level, Names, StatsOptions};
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

/// The levels a report of all provinces shows: provinces, and regions.
pub const REPORT_LEVELS: [Level; 2] = [Level::Province, Level::Region];

/// The levels the report shows for a run broken down by `by`: its first
/// level (provinces with their regions; a one-province run's districts or
/// communes), so its charts and tables follow the breakdown.
pub fn report_levels(by: &[Level]) -> Vec<Level> {
    match by.iter().copied().find(|l| *l != Level::Total) {
        None | Some(Level::Province) => REPORT_LEVELS.to_vec(),
        Some(l) => vec![l],
    }
}

/// The tables and estimates the report is drawn from (at
/// [`report_levels`]), the small-cell rule they were made under, and the
/// names of their groups (the total row named for the run's scope).
pub struct Tables<'a> {
    pub tables: &'a [LevelTables],
    pub estimates: &'a Estimates,
    pub min_cell: Option<u64>,
    pub suppress: bool,
    pub names: &'a Names,
    /// District and commune codes not in the bundled list, for the notes.
    pub not_in_list: &'a crate::measure::NotInList,
}

/// How the standalone report groups and names: `--by` (empty: the
/// breakdown the data call for), the user's names, lonely PSUs.
pub struct Grouping<'a> {
    pub by: &'a [Level],
    pub user: Arc<crate::geo::UserNames>,
    pub lonely: crate::measure::design::LonelyPsu,
}

/// Write charts, report and workbook for each language under `dir`, for
/// scored years each under its own standard (`standards`), tabulating them
/// first (the small-cell rule as the run's manifest recorded it).
pub fn write(
    scored: &[RecordBatch],
    standards: &ByYear,
    dir: &Path,
    langs: &[Lang],
    g: &Grouping<'_>,
    prov: &Provenance,
) -> Result<Vec<PathBuf>> {
    let (min_cell, suppress) = cell_rule(&prov.manifest_json);
    let coverage = Coverage::of_batches(scored)?;
    let levels = match g.by {
        [] => report_levels(&coverage.default_levels()),
        by => report_levels(by),
    };
    let opts = StatsOptions {
        groupings: levels.clone(),
        ks: Vec::new(),
        lonely: g.lonely,
        min_cell,
        suppress,
        names: Names::of(&coverage, g.user.clone()),
    };
    let (tables, estimates) = publish_in_memory(scored, &levels, &opts)?;
    let t = Tables {
        tables: &tables,
        estimates: &estimates,
        min_cell,
        suppress,
        names: &opts.names,
        not_in_list: &coverage.not_in_list(&g.user),
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
        // The two reports link to each other when both are written.
        let other = (langs.iter().copied()).find(|l| *l != lang);
        written.extend(report.write_language(staged.path(), (lang, other), prov)?);
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
    /// The summary forms (or why there are none).
    forms: super::forms::FormBook,
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
            forms: super::forms::book(scored, standards, t.names)?,
        })
    }

    /// The table of the report's main level (the breakdown's first).
    fn main(&self) -> Option<&'a LevelTables> {
        self.t.tables.first()
    }

    fn main_level(&self) -> Level {
        self.main().map_or(Level::Province, |t| t.level)
    }

    /// The name of the run's total in `lang` (the last year's scope).
    fn scope(&self, lang: Lang) -> String {
        let last = self.years.last().copied().unwrap_or_default();
        self.t.names.total(last, lang)
    }

    /// The main table's rates with each total row named in `lang`.
    fn main_rates(&self, lang: Lang) -> Option<Frame> {
        let mut f = self.main()?.rates.clone();
        relabel_totals(&mut f, self.t.names, lang);
        Some(f)
    }

    /// The charts, HTML report and workbook in one language.
    fn write_language(
        &self,
        dir: &Path,
        (lang, other): (Lang, Option<Lang>),
        prov: &Provenance,
    ) -> Result<Vec<PathBuf>> {
        let scope = self.scope(lang);
        let focus = Focus {
            level: self.main_level(),
            total: &scope,
        };
        let figs = figures(
            self.t.tables,
            self.t.estimates,
            (self.last, self.standards, &focus),
            &self.years,
            self.k.as_deref(),
            lang,
        );
        let chart_dir = dir.join("charts").join(lang.code());
        let (mut written, svgs) = write_charts(&figs.figures, &chart_dir, lang)?;
        // The research measures' charts go with their explanation, apart
        // from the official figures.
        let (research, charts): (Vec<_>, Vec<_>) = (svgs.into_iter())
            .partition(|c| super::research_figures::STEMS.contains(&c.stem.as_str()));
        let frames = self.report_tables(focus.level, lang);
        let tables: Vec<(String, &Frame)> = frames.iter().map(|(c, f)| (c.clone(), f)).collect();
        let input = ReportInput {
            charts,
            research_charts: research,
            skipped_charts: figs.skipped,
            tables,
            other_report: other.map(|o| format!("report_{}.html", o.code())),
            ..self.input(lang, prov)
        };
        let html_path = dir.join(format!("report_{}.html", lang.code()));
        crate::files::write_atomic(&html_path, render_html(&input).as_bytes())?;
        written.push(html_path);
        let xlsx = dir.join(format!("tables_{}.xlsx", lang.code()));
        self.write_book(&xlsx, &input)?;
        written.push(xlsx);
        Ok(written)
    }

    /// The tables the report shows, as people read them (`by_year`): the
    /// poor over the years, units down and years across (with two years
    /// or more), and the last year's table of rates and counts; each with
    /// the total row first and the units by poor rate, highest first. The
    /// stacked table of every year stays in the data files.
    fn report_tables(&self, level: Level, lang: Lang) -> Vec<(String, Frame)> {
        let Some(rates) = self.main_rates(lang) else {
            return Vec::new();
        };
        let by = by_words(level, lang);
        let mut out = Vec::new();
        if let (Some(first), Some(last), true) =
            (self.years.first(), self.years.last(), self.years.len() > 1)
        {
            let f = by_year::years_across(&rates, &self.years, lang);
            let keep: Vec<&str> = (f.names.iter().map(String::as_str))
                .filter(|n| *n != "code")
                .collect();
            let what = lang.t(
                "Tỷ lệ hộ nghèo và số hộ nghèo qua các năm",
                "Poor rate and number of poor households over the years",
            );
            let caption = format!("{what} {by}, {first}–{last}{}", self.standards_note(lang));
            out.push((caption, select_columns(&f, &keep)));
        }
        if let Some(&last) = self.years.last() {
            let (columns, caption) = summary_columns(self.weighted, self.counted, (by, lang));
            let columns: Vec<&str> = std::iter::once("level")
                .chain(columns.iter().copied())
                .filter(|c| !["survey_year", "standard"].contains(c))
                .collect();
            let f = by_year::one_year(&rates, last);
            let year = match lang {
                Lang::Vi => format!("năm {last}"),
                Lang::En => last.to_string(),
            };
            let standard = (self.standards.get(&(last as i32)))
                .map(|st| format!(" ({})", super::trend::short_name(st, lang)))
                .unwrap_or_default();
            out.push((
                format!("{caption}, {year}{standard}"),
                by_year::without_empty(&select_columns(&f, &columns)),
            ));
        }
        out
    }

    /// Which years each standard scored, by its short name, when more than
    /// one did (" — 2020–2021: QĐ 59/2015; 2022: NĐ 07/2021").
    fn standards_note(&self, lang: Lang) -> String {
        if self.in_use.len() < 2 {
            return String::new();
        }
        let each: Vec<String> = (self.in_use.iter())
            .map(|(ys, st)| {
                let years = match (ys.first(), ys.last()) {
                    (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                    (Some(a), _) => a.to_string(),
                    _ => String::new(),
                };
                format!("{years}: {}", super::trend::short_name(st, lang))
            })
            .collect();
        format!(" — {}", each.join("; "))
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
            scope: self.scope(lang),
            headline: self.headlines(lang),
            charts: Vec::new(),
            skipped_charts: Vec::new(),
            tables: Vec::new(),
            undetermined: prov.undetermined,
            quarantined: prov.quarantined,
            read: prov.read,
            census: est.census,
            manifest_json: prov.manifest_json.clone(),
            comparability: comparability_notes(self.standards, lang),
            research_charts: Vec::new(),
            other_report: None,
            date: run_date(),
            notices: (notices::quarantine(lang, prov.read, prov.quarantined).into_iter())
                .chain(
                    self.small
                        .as_ref()
                        .and_then(|s| notices::small_cells(lang, s)),
                )
                .chain(
                    self.t
                        .not_in_list
                        .summary(lang)
                        .map(|text| notices::Notice {
                            tone: notices::Tone::Note,
                            text,
                        }),
                )
                .collect(),
        }
    }

    /// The key figures of each year, from the main table's total rows,
    /// each naming its standard in `lang`, each after the first with its
    /// change against the one before and its movements from the summary forms.
    fn headlines(&self, lang: Lang) -> Vec<Headline> {
        let Some(p) = self.main() else {
            return Vec::new();
        };
        let mut hls: Vec<Headline> = (self.years.iter())
            .filter_map(|y| {
                headline(&p.rates, *y).map(|mut hl| {
                    let st = self.standards.get(&(*y as i32));
                    hl.mpi = st.and_then(|st| mpi_headline(&self.t.estimates.estimates, st, *y));
                    if let Some(st) = st {
                        hl.standard = Some(lang.t(&st.name_vi, &st.name_en).to_string());
                    }
                    hl
                })
            })
            .collect();
        add_changes(&mut hls, self.standards, &self.forms, lang);
        hls
    }

    /// The people's workbook (`people`): each level's rates and indicators
    /// as people read them, and the notes. The full estimates stay in the
    /// CSV, JSON and Parquet tables.
    fn write_book(&self, path: &Path, input: &ReportInput<'_>) -> Result<()> {
        let lang = input.lang;
        let mut frames = people::sheets(self.t.tables, self.standards, lang);
        // The total rows carry the scope's name in the workbook's language.
        for (_, f) in &mut frames {
            relabel_totals(f, self.t.names, lang);
        }
        if let Some(sheet) = self.years_sheet(lang) {
            frames.insert(0, sheet);
        }
        let sheets: Vec<(&str, &Frame)> = frames.iter().map(|(n, f)| (n.as_str(), f)).collect();
        let notes = notes(&NotesInput {
            lang,
            standards: &input.standards,
            in_use: &self.in_use,
            manifest_json: &input.manifest_json,
            census: input.census,
            date: input.date,
        });
        // Why a workbook has no summary forms (one year, a sample) is said
        // with its notices.
        let mut book_notices = input.notices.clone();
        book_notices.extend(self.forms.notice(lang).map(|text| notices::Notice {
            tone: notices::Tone::Note,
            text,
        }));
        write_book(
            path,
            &Book {
                lang,
                notices: &book_notices,
                sheets: &sheets,
                estimated: !input.census,
                whole_counts: true,
                notes: &notes,
                forms: Some(&self.forms),
            },
        )
    }
}

impl Report<'_> {
    /// The workbook's sheet of the years as columns (`by_year`), with two
    /// years or more: named and headed in `lang` (its year columns are
    /// not in the catalogue of outputs: their names hold the years).
    fn years_sheet(&self, lang: Lang) -> Option<(String, Frame)> {
        if self.years.len() < 2 {
            return None;
        }
        let rates = self.main_rates(lang)?;
        let mut f = by_year::years_across(&rates, &self.years, lang);
        let keep: Vec<&str> = (f.names.iter().map(String::as_str))
            .filter(|n| *n != "level")
            .collect();
        f = select_columns(&f, &keep);
        // The unit's code and name under the rate sheets' own labels.
        let stem = format!("rates_{}", self.main_level().name());
        let file = crate::schema::outputs::file_by_stem(&stem);
        for name in f.names.iter_mut() {
            if let Some(c) = file.and_then(|file| file.column(name)) {
                let (vi, en) = c.labels();
                *name = lang.t(&vi, &en).to_string();
            }
        }
        let title = lang.t("Hộ nghèo qua các năm", "Trend of the poor");
        Some((title.to_string(), f))
    }
}

/// Name each total row of `f` for its year's scope in `lang` (the tables
/// carry the Vietnamese name).
fn relabel_totals(f: &mut Frame, names: &Names, lang: Lang) {
    let rows = f.rows();
    let totals: Vec<Option<i64>> = (0..rows)
        .map(|r| {
            (f.cell_named("level", r) == Level::Total.name())
                .then(|| f.cell_named("survey_year", r).parse().ok())
                .flatten()
        })
        .collect();
    let Some(i) = f.names.iter().position(|n| n == "name") else {
        return;
    };
    if let Some(crate::export::Column::Str(v)) = f.columns.get_mut(i) {
        for (cell, year) in v.iter_mut().zip(totals) {
            if let Some(y) = year {
                *cell = Some(names.total(y, lang));
            }
        }
    }
}

/// The chart files written, and each chart as the report shows it.
type Charts = (Vec<PathBuf>, Vec<super::ReportChart>);

/// Each figure as SVG and PNG under `dir`; the files, and each SVG with
/// its caption and numbers for the HTML report.
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
        svgs.push(super::ReportChart {
            stem: f.stem.to_string(),
            caption: f.caption.clone(),
            svg,
            data: Some(crate::chart::data_table(&f.chart, lang)),
        });
    }
    Ok((written, svgs))
}
