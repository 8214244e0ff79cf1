//! Scored survey years as the statistics read them: each year's schema
//! (what the standard says about it is in the metadata) and its rows in
//! parts. Rows already in memory are one part; a scored file on disk is
//! read a row group at a time, so tabulating a national file holds one row
//! group's columns at once, not the whole file's.

use super::meta::ScoredMeta;
use crate::dataset;
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::ArrowReaderMetadata;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// One survey year of scored households.
pub struct ScoredYear<'a> {
    pub year: i64,
    /// No rows: the schema and its metadata.
    pub header: RecordBatch,
    /// The metadata, read once.
    pub meta: ScoredMeta,
    rows: Rows<'a>,
    /// Rows outside this domain are marked in every part (see `domain`).
    domain: Option<std::sync::Arc<super::domain::Domain>>,
}

enum Rows<'a> {
    Batch(&'a RecordBatch),
    File {
        path: PathBuf,
        footer: ArrowReaderMetadata,
        skip: Vec<String>,
        coded: Vec<&'static str>,
    },
}

/// A part of a year's rows and the position of its first row in the year.
pub type YearPart<'b> = (usize, Cow<'b, RecordBatch>);

impl<'a> ScoredYear<'a> {
    /// Years in memory, one batch each (each must hold one survey year).
    pub fn of_batches(batches: &'a [RecordBatch]) -> Result<Vec<ScoredYear<'a>>> {
        batches
            .iter()
            .map(|b| {
                let year = super::survey_year_of(b).ok_or_else(|| {
                    Error::Usage(
                        "each scored file must hold one survey year; re-run `dachieu score`".into(),
                    )
                })?;
                Ok(ScoredYear {
                    year,
                    header: RecordBatch::new_empty(b.schema()),
                    meta: ScoredMeta::of(b),
                    rows: Rows::Batch(b),
                    domain: None,
                })
            })
            .collect()
    }

    /// The year's rows, part by part, in order.
    pub fn parts(&self) -> impl Iterator<Item = Result<YearPart<'_>>> + '_ {
        let count = match &self.rows {
            Rows::Batch(_) => 1,
            Rows::File { footer, .. } => footer.metadata().num_row_groups(),
        };
        let mut first = 0;
        (0..count).map(move |g| {
            let part = match &self.rows {
                Rows::Batch(b) => Cow::Borrowed(*b),
                Rows::File {
                    path,
                    footer,
                    skip,
                    coded,
                } => {
                    let skip: Vec<&str> = skip.iter().map(String::as_str).collect();
                    Cow::Owned(dataset::read_row_group(path, footer, g, &skip, coded)?)
                }
            };
            let path = match &self.rows {
                Rows::File { path, .. } => Some(path.as_path()),
                Rows::Batch(_) => None,
            };
            check_year(&part, self.year, path)?;
            let part = match &self.domain {
                Some(d) => Cow::Owned(d.mark(&part)?.0),
                None => part,
            };
            let at = first;
            first += part.num_rows();
            Ok((at, part))
        })
    }

    /// The year restricted to a domain: its rows outside are marked in
    /// every part, never dropped (the columns the domain reads are read
    /// even where tables would skip them). Checked against the year's
    /// columns.
    pub fn with_domain(mut self, d: std::sync::Arc<super::domain::Domain>) -> Result<Self> {
        d.check(self.header.schema_ref(), self.year)?;
        if let Rows::File { skip, .. } = &mut self.rows {
            skip.retain(|c| !d.columns().contains(&c.as_str()));
        }
        self.domain = Some(d);
        Ok(self)
    }

    /// Read the year without these columns too (a file on disk; rows in
    /// memory are as they are).
    pub fn skip_columns(&mut self, names: &[String]) {
        if let Rows::File { skip, footer, .. } = &mut self.rows {
            for f in footer.schema().fields() {
                if names.contains(f.name()) && !skip.contains(f.name()) {
                    skip.push(f.name().clone());
                }
            }
        }
    }

    /// The distinct values of each of these text columns (none for a
    /// column the year lacks), reading only them.
    pub fn distinct<const N: usize>(
        &self,
        names: [&str; N],
    ) -> Result<[std::collections::BTreeSet<String>; N]> {
        let mut out: [std::collections::BTreeSet<String>; N] =
            std::array::from_fn(|_| Default::default());
        let mut add = |b: &RecordBatch| {
            for (set, name) in out.iter_mut().zip(names) {
                let Some(t) = b.column_by_name(name).and_then(dataset::text::Text::of) else {
                    continue;
                };
                set.extend(t.distinct().into_iter().map(str::to_string));
            }
        };
        match &self.rows {
            Rows::Batch(b) => add(b),
            Rows::File { path, footer, .. } => {
                let skip: Vec<&str> = (footer.schema().fields().iter())
                    .map(|f| f.name().as_str())
                    .filter(|n| !names.contains(n))
                    .collect();
                for g in 0..footer.metadata().num_row_groups() {
                    add(&dataset::read_row_group(path, footer, g, &skip, &names)?);
                }
            }
        }
        Ok(out)
    }

    /// The number of the year's rows inside its domain (all of them
    /// without one), reading only the columns the domain reads.
    pub fn rows_inside(&self) -> Result<usize> {
        let Some(d) = &self.domain else {
            return Ok(match &self.rows {
                Rows::Batch(b) => b.num_rows(),
                Rows::File { footer, .. } => footer.metadata().file_metadata().num_rows() as usize,
            });
        };
        match &self.rows {
            Rows::Batch(b) => Ok(d.mark(b)?.1),
            Rows::File { path, footer, .. } => {
                let skip: Vec<&str> = (footer.schema().fields().iter())
                    .map(|f| f.name().as_str())
                    .filter(|n| !d.columns().contains(n))
                    .collect();
                let mut inside = 0;
                for g in 0..footer.metadata().num_row_groups() {
                    let b = dataset::read_row_group(path, footer, g, &skip, &[])?;
                    inside += d.mark(&b)?.1;
                }
                Ok(inside)
            }
        }
    }
}

/// Every row of a part is of the year it is tabulated as: a scored file
/// filed under another year's folder, or holding two years, would put its
/// households in the wrong year's figures.
fn check_year(part: &RecordBatch, year: i64, path: Option<&Path>) -> Result<()> {
    use arrow_array::cast::AsArray;
    let Some(years) = (part.column_by_name("survey_year"))
        .and_then(|a| a.as_primitive_opt::<arrow_array::types::Int64Type>())
    else {
        return Ok(());
    };
    let Some(other) = years.iter().flatten().find(|y| *y != year) else {
        return Ok(());
    };
    Err(match path {
        Some(p) => Error::input(p, format!(
            "holds households of survey year {other} but is read as survey year {year} (a scored file filed under another year's folder, or holding two years); re-run `dachieu score` for the years you need"
        )),
        None => Error::Usage(format!(
            "scored rows of survey year {year} hold households of survey year {other}; re-run `dachieu score` for the years you need"
        )),
    })
}

/// Give every part of every year, in order, to `f`: the year's index, the
/// part's first row in the year, and the part. (Reading the next part
/// while `f` sums this one measured no faster: both keep the cores busy.)
pub fn each_part(
    years: &[ScoredYear<'_>],
    mut f: impl FnMut(usize, usize, &RecordBatch) -> Result<()>,
) -> Result<()> {
    for (i, y) in years.iter().enumerate() {
        for part in y.parts() {
            let (first, b) = part?;
            f(i, first, &b)?;
        }
    }
    Ok(())
}

/// Every scored year under `root` (ascending), for tabulation: read a row
/// group at a time, without the columns tables never look at (household
/// ids included: a sampled household without a PSU is its own PSU, named
/// by its row) nor those in `unread` (grouping columns no level asks for),
/// and with the group, design and class columns dictionary-coded.
pub fn scored_years_for_tables(
    root: &Path,
    unread: &[&'static str],
) -> Result<Vec<ScoredYear<'static>>> {
    let years = super::files::scored_years(root)?;
    let mut skip = vec![
        "household_id",
        "measure",
        "unknown_indicators",
        "deprivations_min",
        "deprivations_max",
    ];
    skip.extend(unread);
    let mut coded = crate::schema::GROUP_COLUMNS.to_vec();
    coded.extend(["stratum", "psu", "class", "poor_path", "possible_classes"]);
    years
        .iter()
        .map(|y| {
            let path = super::files::scored_file(root, *y);
            let footer = dataset::parquet_footer(&path)?;
            Ok(ScoredYear {
                year: *y as i64,
                header: RecordBatch::new_empty(footer.schema().clone()),
                meta: ScoredMeta::of_year_metadata(footer.schema().metadata(), *y as i64),
                rows: Rows::File {
                    path,
                    footer,
                    skip: skip.iter().map(|c| c.to_string()).collect(),
                    coded: coded.clone(),
                },
                domain: None,
            })
        })
        .collect()
}
