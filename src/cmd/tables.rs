//! `dachieu tables`: scored households → rate and indicator tables.

use super::Outcome;
use crate::exact::rational::Ratio;
use crate::export::{Format, LevelTables};
use crate::measure::design::LonelyPsu;
use crate::measure::{Level, StatsOptions};
use crate::out;
use crate::score::domain::Domain;
use crate::score::years::ScoredYear;
use std::path::PathBuf;

/// Options shared by `tables` and `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct TableFlags {
    /// Grouping levels (comma-separated): total, region, province, district, commune, area, unit2025, or any text column of the scored file (a column of your own kept from the input, e.g. village, ethnic_minority); every table also has a total row, named for what the data cover ("Tỉnh Điện Biên", "Toàn quốc"). Default: province; district when the data hold one province (and commune too when one district).
    #[arg(long, value_delimiter = ',', value_parser = Level::parse)]
    pub by: Vec<Level>,
    /// Estimate for these provinces only (codes, comma-separated), as a domain: standard errors keep the whole design.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub province: Vec<String>,
    /// Estimate for the households where CONDITION holds, as a domain: COLUMN=VALUE, COLUMN!=VALUE or COLUMN in (V1, V2); repeat for several (all must hold).
    #[arg(long = "where", value_name = "CONDITION")]
    pub where_: Vec<String>,
    /// Output formats (comma-separated).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv,json,parquet"
    )]
    pub format: Vec<Format>,
    /// Alkire–Foster cut-offs as fractions of the weights (`3/10,1/3`); default: every j/J and the standard's.
    #[arg(long, value_delimiter = ',', value_parser = parse_ratio)]
    pub k: Vec<Ratio>,
    /// Strata with a single PSU (samples only): as R's survey.lonely.psu.
    #[arg(long, value_enum, default_value = "fail")]
    pub lonely_psu: LonelyPsu,
    /// Flag estimates resting on fewer than N households (for publication).
    #[arg(long, value_name = "N")]
    pub min_cell: Option<u64>,
    /// With --min-cell: blank those estimates instead of only flagging them.
    #[arg(long, requires = "min_cell")]
    pub suppress: bool,
    #[command(flatten)]
    pub names: UnitNamesFlag,
}

/// `--unit-names FILE`, shared by run, tables, report and compare.
#[derive(Debug, Clone, clap::Args)]
pub struct UnitNamesFlag {
    /// Names for unit codes GSO's list of 01/03/2025 lacks (communes merged before 2025): a CSV with the columns level,code,name (level: province, district or commune) and optionally name_en.
    #[arg(long, value_name = "FILE")]
    pub unit_names: Option<PathBuf>,
}

impl UnitNamesFlag {
    /// The names of the file, checked (none without one).
    pub fn load(&self) -> crate::error::Result<std::sync::Arc<crate::geo::UserNames>> {
        Ok(std::sync::Arc::new(match &self.unit_names {
            Some(p) => crate::geo::UserNames::read(p)?,
            None => Default::default(),
        }))
    }
}

fn parse_ratio(s: &str) -> Result<Ratio, String> {
    Ratio::parse(s).ok_or_else(|| format!("`{s}` is not a fraction like 3/10, 1/3 or 0.3"))
}

impl TableFlags {
    /// The domain of `--province` and `--where`, if any.
    pub fn domain(&self) -> crate::error::Result<Option<Domain>> {
        Domain::new(&self.province, &self.where_)
    }

    /// The options of these flags, the names file read and checked.
    pub fn stats(&self) -> crate::error::Result<StatsOptions> {
        Ok(StatsOptions {
            groupings: self.by.clone(),
            ks: self.k.clone(),
            lonely: self.lonely_psu,
            min_cell: self.min_cell,
            suppress: self.suppress,
            names: crate::measure::Names {
                user: self.names.load()?,
                ..Default::default()
            },
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder written by `dachieu score`.
    #[arg(long, default_value = "out/scored")]
    pub scored: PathBuf,
    /// Folder for the tables.
    #[arg(long, default_value = "out/tables")]
    pub out: PathBuf,
    #[command(flatten)]
    pub flags: TableFlags,
    #[arg(long, short)]
    pub quiet: bool,
}

/// Weighted counts for people to read: whole numbers when every value of
/// the column is whole (whole weights), else one decimal for all of them —
/// never the float noise of a sum (`241.30400000000003`). The tables keep
/// full precision; only this text rounds.
pub fn weighted_counts(values: &[Option<f64>]) -> Vec<String> {
    let whole = values
        .iter()
        .flatten()
        .all(|v| (v - v.round()).abs() <= 1e-9 * v.abs().max(1.0));
    values
        .iter()
        .map(|v| match v {
            None => String::new(),
            Some(v) if whole => format!("{:.0}", v.round() + 0.0),
            Some(v) => format!("{v:.1}"),
        })
        .collect()
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "–".into())
}

/// The short human summary: one line per group of the first level, with
/// the columns of the standard's classes (near-poor under the count rules;
/// severe and vulnerable, and the person headcount, under the weighted rule).
pub fn print_rates(t: &LevelTables) -> anyhow::Result<()> {
    let f = &t.rates;
    let weighted = f.column("vulnerable_pct").is_some() || f.column("severe_pct").is_some();
    // Years under a count rule and under the weighted rule in one table:
    // each row shows its own standard's columns (the other's are blank).
    let both = weighted && f.column("near_poor_pct").is_some();
    let (h2, c2, h3, c3) = match (weighted, both) {
        (true, true) => (
            "depr/sev. %",
            "poor_deprivation_pct|severe_pct",
            "near/vul. %",
            "near_poor_pct|vulnerable_pct",
        ),
        (true, false) => ("severe %", "severe_pct", "vulner. %", "vulnerable_pct"),
        (false, _) => (
            "depr.poor %",
            "poor_deprivation_pct",
            "near-poor %",
            "near_poor_pct",
        ),
    };
    let first = |cols: &str, r: usize| cols.split('|').find_map(|c| f.float(c, r));
    let names: Vec<String> = (0..f.rows())
        .map(|r| match f.cell_named("name", r) {
            n if n.is_empty() => f.cell_named("code", r),
            n => n,
        })
        .collect();
    // As wide as the longest name (the total's may be "6 tỉnh, thành phố
    // trong dữ liệu"), counted in characters.
    let w = (names.iter().map(|n| n.chars().count()))
        .max()
        .unwrap_or(0)
        .max(24);
    let mut head = format!(
        "{:<6} {:<w$} {:>10} {:>8} {:>11} {:>11} {:>8}",
        "year",
        t.level.name(),
        "households",
        "poor %",
        h2,
        h3,
        "undet."
    );
    if weighted {
        head.push_str(&format!(" {:>9}", "H persons"));
    }
    out!("{head}");
    let counts =
        |name: &str| weighted_counts(&(0..f.rows()).map(|r| f.float(name, r)).collect::<Vec<_>>());
    let (households, undetermined) = (counts("households_weighted"), counts("undetermined"));
    for (r, name) in names.iter().enumerate() {
        let mut line = format!(
            "{:<6} {:<w$} {:>10} {:>8} {:>11} {:>11} {:>8}",
            f.cell_named("survey_year", r),
            name,
            households[r],
            pct(f.float("poor_pct", r)),
            pct(first(c2, r)),
            pct(first(c3, r)),
            undetermined[r],
        );
        if weighted {
            line.push_str(&format!(
                " {:>9}",
                pct(f.float("af_H_person", r).map(|h| 100.0 * h))
            ));
        }
        out!("{line}");
    }
    Ok(())
}

/// The scored years checked against `--by` and restricted to the domain
/// of `--province` and `--where` (rows outside marked, never dropped); a
/// domain no household of any year is in is refused.
pub fn restrict<'a>(
    years: Vec<ScoredYear<'a>>,
    flags: &TableFlags,
) -> anyhow::Result<Vec<ScoredYear<'a>>> {
    let schemas: Vec<&arrow_schema::Schema> = years
        .iter()
        .map(|y| y.header.schema_ref().as_ref())
        .collect();
    crate::measure::by::check_columns(&flags.by, &schemas)?;
    // Kept columns no grouping reads are not read (a head's name is
    // never needed for a table); the domain's are read again below.
    let unread: Vec<String> = (schemas.iter())
        .flat_map(|s| s.fields().iter())
        .filter(|f| f.data_type() == &arrow_schema::DataType::Utf8)
        .map(|f| f.name().clone())
        .filter(|n| crate::schema::is_extra_column(n))
        .filter(|n| !flags.by.iter().any(|l| l.name() == n.as_str()))
        .collect();
    let mut years = years;
    years.iter_mut().for_each(|y| y.skip_columns(&unread));
    let Some(domain) = flags.domain()? else {
        return Ok(years);
    };
    let domain = std::sync::Arc::new(domain);
    let years: Vec<ScoredYear> = (years.into_iter())
        .map(|y| y.with_domain(domain.clone()))
        .collect::<crate::error::Result<_>>()?;
    let mut inside = 0;
    for y in &years {
        inside += y.rows_inside()?;
    }
    if inside == 0 {
        return Err(crate::error::Error::Usage(format!(
            "no household of the scored years ({}) is in the domain {}; check the codes and values (values compare as written, blank as an empty value: --where 'village=')",
            years.iter().map(|y| y.year.to_string()).collect::<Vec<_>>().join(", "),
            domain.describe().join(" and ")
        ))
        .into());
    }
    Ok(years)
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    crate::progress::init(a.quiet);
    let _lock = crate::outdir::begin(&a.out)?;
    crate::manifest::print_scored_warnings(&a.scored);
    let mut stats = a.flags.stats()?;
    let all = crate::score::years::scored_years_for_tables(&a.scored, &[])?;
    let coverage = crate::measure::Coverage::of_years(&all)?;
    drop(all);
    let mut flags = a.flags.clone();
    if flags.by.is_empty() {
        flags.by = coverage.default_levels();
    }
    stats.names = crate::measure::Names::of(&coverage, stats.names.user.clone());
    let years = crate::score::years::scored_years_for_tables(
        &a.scored,
        &crate::measure::unread_group_columns(&flags.by),
    )?;
    let years = restrict(years, &flags)?;
    let p = crate::export::publish::publish(&years, &a.out, &flags.by, &flags.format, &stats)?;
    let (built, files) = (p.tables, p.files);
    if !a.quiet {
        if let Some(first) = built.first() {
            print_rates(first)?;
        }
        if let Some(note) = coverage
            .not_in_list(&stats.names.user)
            .summary(crate::i18n::Lang::En)
        {
            out!("note: {note}");
        }
        out!("wrote {} table file(s) to {}", files.len(), a.out.display());
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::weighted_counts;

    #[test]
    fn weighted_counts_print_without_float_noise() {
        let noisy = 0.1 + 0.2;
        assert_eq!(format!("{noisy}"), "0.30000000000000004");
        assert_eq!(
            weighted_counts(&[Some(noisy), Some(12.0), None]),
            ["0.3", "12.0", ""]
        );
        assert_eq!(
            weighted_counts(&[Some(2005.0), Some(0.0), Some(-0.0)]),
            ["2005", "0", "0"]
        );
        assert_eq!(weighted_counts(&[Some(84.30000000000021)]), ["84.3"]);
    }
}
