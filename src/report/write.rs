//! The human outputs of a run: charts (SVG and PNG), the self-contained
//! HTML report and the Excel workbook, in each requested language. They are
//! drawn from the scored households through the same tables and estimates
//! as the CSV files, so they always agree with them.

use super::figures::figures;
use super::{
    notices, render_html, select_columns, write_workbook, AfFigures, Headline, MpiHeadline,
    ReportInput, ReportStandard,
};
use crate::error::Result;
use crate::export::estimates::measure_name;
use crate::export::publish::publish_in_memory;
use crate::export::{Column, Estimates, Frame, LevelTables};
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

fn headline(rates: &Frame, year: i64) -> Option<Headline> {
    let col = |name: &str| rates.names.iter().position(|n| n == name);
    let (yc, lc) = (col("survey_year")?, col("level")?);
    let r = (0..rates.rows())
        .find(|&r| rates.cell(yc, r) == year.to_string() && rates.cell(lc, r) == "national")?;
    Some(Headline {
        year,
        standard: match rates.column("standard") {
            Some(Column::Str(v)) => v[r].clone(),
            _ => None,
        },
        households: rates.float("households_weighted", r).unwrap_or(0.0),
        poor_pct: rates.float("poor_pct", r),
        poor_income_pct: rates.float("poor_income_pct", r),
        poor_deprivation_pct: rates.float("poor_deprivation_pct", r),
        near_poor_pct: rates.float("near_poor_pct", r),
        undetermined: rates.float("undetermined", r).unwrap_or(0.0),
        mpi: None,
    })
}

/// The weighted standard's national headline from the estimates: H, A, M0
/// at the cut-off, vulnerable = H(band) − H(cut-off), severe = H(severe
/// band), for persons and households — all over the units whose
/// indicators are all known, as the Alkire–Foster measures are.
fn mpi_headline(est: &Frame, st: &Standard, year: i64) -> Option<MpiHeadline> {
    let w = st.weighted?;
    let col = |name: &str| est.names.iter().position(|n| n == name);
    let (yc, gc, lc, mc, kc) = (
        col("survey_year")?,
        col("level")?,
        col("unit_of_analysis")?,
        col("measure")?,
        col("k")?,
    );
    let get = |unit: &str, measure: &str, k: crate::exact::rational::Ratio| {
        let (k, measure) = (k.to_string(), measure_name(measure, unit == "person"));
        (0..est.rows())
            .find(|&r| {
                est.cell(yc, r) == year.to_string()
                    && est.cell(gc, r) == "national"
                    && est.cell(lc, r) == unit
                    && est.cell(mc, r) == measure
                    && est.cell(kc, r) == k
            })
            .and_then(|r| est.float("estimate", r))
    };
    let figures = |level: &str| {
        let h = get(level, "H", w.cutoff);
        AfFigures {
            h,
            a: get(level, "A", w.cutoff),
            m0: get(level, "M0", w.cutoff),
            vulnerable: w
                .vulnerable
                .and_then(|v| get(level, "H", v))
                .zip(h)
                .map(|(hv, h)| hv - h),
            severe: w.severe.and_then(|s| get(level, "H", s)),
        }
    };
    Some(MpiHeadline {
        k: w.cutoff.to_string(),
        person: figures("person"),
        household: figures("household"),
    })
}

/// The standard's classification rule in words, with its own lines and
/// cut-off, so a local standard's report describes that standard.
fn rule_in_words(st: &Standard, lang: Lang) -> String {
    use crate::standard::ClassRule;
    let vnd = |v: Option<i64>| {
        v.map(|x| lang.count(x as f64))
            .unwrap_or_else(|| "–".into())
    };
    let (r, u) = (&st.rural, &st.urban);
    let (k, n) = (st.cutoff, st.indicators.len());
    let score = if st.score.is_some() {
        lang.t(
            " (hoặc điểm chấm theo phiếu rà soát, khi hộ có điểm)",
            " (or its review-form score, when the record has one)",
        )
    } else {
        ""
    };
    let text = match (st.rule, lang) {
        (ClassRule::Union, Lang::Vi) => format!(
            "Thu nhập bình quân đầu người một tháng của hộ{score} được so với chuẩn nghèo ({} đồng ở nông thôn, {} đồng ở thành thị) và chuẩn cận nghèo ({} / {} đồng). Hộ nghèo là hộ có thu nhập từ chuẩn nghèo trở xuống (nghèo theo thu nhập), hoặc có thu nhập trên chuẩn nghèo đến chuẩn cận nghèo và thiếu hụt từ {k} trở lên trong {n} chỉ số (nghèo theo thiếu hụt đa chiều). Hộ có thu nhập trong khoảng đó nhưng thiếu hụt dưới {k} chỉ số là hộ cận nghèo.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty)), vnd(r.near_poverty), vnd(u.near_poverty)
        ),
        (ClassRule::Union, Lang::En) => format!(
            "A household's monthly income per person{score} is compared with the poverty line ({} VND rural, {} VND urban) and the near-poverty line ({} / {} VND). A household is poor if its income is at or below the poverty line (poor by income), or above it but at or below the near-poverty line with at least {k} of the {n} deprivations (poor by deprivation). In that band with fewer than {k} deprivations it is near-poor.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty)), vnd(r.near_poverty), vnd(u.near_poverty)
        ),
        (ClassRule::Intersection, Lang::Vi) => format!(
            "Thu nhập bình quân đầu người một tháng của hộ{score} được so với chuẩn nghèo ({} đồng ở nông thôn, {} đồng ở thành thị). Hộ có thu nhập từ chuẩn nghèo trở xuống là hộ nghèo nếu thiếu hụt từ {k} trở lên trong {n} chỉ số, là hộ cận nghèo nếu thiếu hụt dưới {k} chỉ số.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty))
        ),
        (ClassRule::Intersection, Lang::En) => format!(
            "A household's monthly income per person{score} is compared with the poverty line ({} VND rural, {} VND urban). At or below it, a household with at least {k} of the {n} deprivations is poor, one with fewer is near-poor.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty))
        ),
        (ClassRule::Weighted, lang) => weighted_in_words(st, lang),
    };
    // One space between words, however the source lines were wrapped.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The standards in use, each with the survey years it scored, in order of
/// their first year.
pub fn standards_in_use(by: &ByYear) -> Vec<(Vec<i32>, Arc<Standard>)> {
    let mut out: Vec<(Vec<i32>, Arc<Standard>)> = Vec::new();
    for (y, st) in by {
        match out
            .iter_mut()
            .find(|(_, s)| s.id == st.id && s.origin == st.origin && s.version == st.version)
        {
            Some((years, _)) => years.push(*y),
            None => out.push((vec![*y], st.clone())),
        }
    }
    out
}

/// What a reader must know when consecutive survey years were scored under
/// different standards: the change mixes a change of standard with a change
/// in living standards, and where one rule is a union and the other an
/// intersection, "near-poor" means different households (spec §9 item 13).
pub fn comparability_notes(by: &ByYear, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let years: Vec<(&i32, &Arc<Standard>)> = by.iter().collect();
    for w in years.windows(2) {
        let ((y0, a), (y1, b)) = (w[0], w[1]);
        if a.id == b.id && a.origin == b.origin {
            continue;
        }
        out.push(match lang {
            Lang::Vi => format!(
                "Năm {y0} được phân loại theo chuẩn {}, năm {y1} theo chuẩn {}: thay đổi giữa hai năm gồm cả thay đổi do đổi chuẩn nghèo, không chỉ do thay đổi mức sống.",
                a.id, b.id
            ),
            Lang::En => format!(
                "{y0} was classified under {} and {y1} under {}: the change between them includes the change of standard, not only changes in living standards.",
                a.id, b.id
            ),
        });
        let meaning = |st: &Standard| {
            match (st.rule, lang) {
            (ClassRule::Union, Lang::Vi) => format!(
                "theo {} hộ cận nghèo có thu nhập trên chuẩn nghèo đến chuẩn cận nghèo và thiếu hụt dưới {} chỉ số",
                st.id, st.cutoff
            ),
            (ClassRule::Union, Lang::En) => format!(
                "under {} a near-poor household has an income above the poverty line up to the near-poverty line and fewer than {} deprivations",
                st.id, st.cutoff
            ),
            (ClassRule::Intersection, Lang::Vi) => format!(
                "theo {} hộ cận nghèo có thu nhập từ chuẩn nghèo trở xuống và thiếu hụt dưới {} chỉ số",
                st.id, st.cutoff
            ),
            (ClassRule::Intersection, Lang::En) => format!(
                "under {} a near-poor household has an income at or below the poverty line and fewer than {} deprivations",
                st.id, st.cutoff
            ),
            (ClassRule::Weighted, Lang::Vi) => format!(
                "theo {} không có hộ cận nghèo: hộ được phân loại chỉ theo điểm thiếu hụt, không theo thu nhập",
                st.id
            ),
            (ClassRule::Weighted, Lang::En) => format!(
                "under {} there are no near-poor households: households are classified on the deprivation score alone, not on income",
                st.id
            ),
        }
        };
        if a.rule != b.rule {
            out.push(match lang {
                Lang::Vi => format!(
                    "Khái niệm hộ cận nghèo khác nhau giữa hai chuẩn: {}; {}. Số hộ cận nghèo năm {y0} và năm {y1} không so sánh được với nhau.",
                    meaning(a),
                    meaning(b)
                ),
                Lang::En => format!(
                    "The near-poor are defined differently: {}; {}. Near-poor counts of {y0} and {y1} are not comparable.",
                    meaning(a),
                    meaning(b)
                ),
            });
        }
    }
    out
}

/// The weighted rule in words: no income, the weighted score and its bands,
/// and the person as the unit of the headline.
fn weighted_in_words(st: &Standard, lang: Lang) -> String {
    let Some(w) = &st.weighted else {
        return String::new();
    };
    let pct = |r: crate::exact::rational::Ratio| lang.pct(100.0 * r.value(), 1);
    let n = st.indicators.len();
    let mut text = match lang {
        Lang::Vi => format!(
            "Không dùng thu nhập. Mỗi hộ có điểm thiếu hụt c là tổng trọng số của các chỉ số mà hộ thiếu hụt ({n} chỉ số, trọng số lồng nhau theo chiều, tổng bằng 1). Hộ — và mọi thành viên của hộ — là nghèo đa chiều nếu c ≥ {} ({}); phép so sánh dùng phân số chính xác.",
            w.cutoff,
            pct(w.cutoff)
        ),
        Lang::En => format!(
            "No income is used. Each household has a deprivation score c, the sum of the weights of the indicators it is deprived in ({n} indicators, weights nested by dimension, summing to 1). A household — and every member of it — is multidimensionally poor if c ≥ {} ({}); comparisons use exact fractions.",
            w.cutoff,
            pct(w.cutoff)
        ),
    };
    if let Some(v) = w.vulnerable {
        text.push_str(&match lang {
            Lang::Vi => format!(
                " Dễ bị tổn thương trước nghèo đa chiều nếu {v} ≤ c < {}.",
                w.cutoff
            ),
            Lang::En => format!(" Vulnerable to poverty if {v} ≤ c < {}.", w.cutoff),
        });
    }
    if let Some(s) = w.severe {
        text.push_str(&match lang {
            Lang::Vi => format!(" Nghèo đa chiều nghiêm trọng nếu c ≥ {s} ({}).", pct(s)),
            Lang::En => format!(" In severe poverty if c ≥ {s} ({}).", pct(s)),
        });
    }
    text.push_str(match lang {
        Lang::Vi => " Số liệu chính tính theo người: mỗi thành viên mang điểm thiếu hụt của hộ mình, nên mỗi hộ được tính bằng quyền số × số nhân khẩu; số liệu theo hộ cũng được báo cáo.",
        Lang::En => " The headline counts persons: every member carries the household's score, so each household counts as its weight × its size; household figures are reported too.",
    });
    text
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
            self.last,
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

/// How the report names a standard in use and the years it scored.
fn report_standard(years: &[i32], st: &Standard, lang: Lang) -> ReportStandard {
    ReportStandard {
        years: years.iter().map(|y| *y as i64).collect(),
        id: st.id.clone(),
        version: st.version.clone(),
        name: lang.t(&st.name_vi, &st.name_en).into(),
        legal_basis: st.legal_basis.clone(),
        review_years: st.review_years,
        classification: Some(rule_in_words(st, lang)),
        provisional: st.provisional,
        research: st.rule == ClassRule::Weighted,
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

/// The province summary table's columns and caption: a weighted standard
/// (the global MPI) is read by persons first; years under a count rule by
/// poor and near-poor households.
fn summary_columns(
    weighted: bool,
    counted: bool,
    lang: Lang,
) -> (&'static [&'static str], &'static str) {
    match (weighted, counted) {
        (true, false) => (
            &[
                "survey_year",
                "standard",
                "name",
                "households",
                "af_H_person",
                "af_A_person",
                "af_M0_person",
                "af_H",
                "af_M0",
                "poor_pct",
                "severe_pct",
                "vulnerable_pct",
                "undetermined",
            ],
            lang.t(
                "Nghèo đa chiều theo tỉnh: theo người và theo hộ",
                "Multidimensional poverty by province, persons and households",
            ),
        ),
        (true, true) => (
            &[
                "survey_year",
                "standard",
                "name",
                "households",
                "poor_pct",
                "poor_income_pct",
                "poor_deprivation_pct",
                "severe_pct",
                "near_poor_pct",
                "vulnerable_pct",
                "undetermined",
                "af_H",
                "af_M0",
                "af_H_person",
                "af_M0_person",
            ],
            lang.t(
                "Tỷ lệ hộ nghèo theo tỉnh, mỗi năm theo chuẩn của năm đó",
                "Poor households by province, each year under its own standard",
            ),
        ),
        (false, _) => (
            &[
                "survey_year",
                "standard",
                "name",
                "households",
                "poor_pct",
                "poor_income_pct",
                "poor_deprivation_pct",
                "near_poor_pct",
                "undetermined",
                "af_H",
                "af_M0",
            ],
            lang.t(
                "Tỷ lệ hộ nghèo, cận nghèo theo tỉnh",
                "Poor and near-poor households by province",
            ),
        ),
    }
}
