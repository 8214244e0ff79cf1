//! Ingest: input files (CSV, XLSX, Parquet) → a validated Parquet dataset
//! partitioned by survey year, plus a quarantine of every rejected row.
//! Invariant: for every input table, accepted + quarantined = read.
//!
//! Two passes over the inputs, side by side on a thread each: households
//! and members. Rows stream from the readers through validation into typed
//! builders (`stream`). Input already in key order is written to each
//! year's staged Parquet files as it is read (`direct`: the members join
//! their households' row indices through a channel between the passes),
//! and the staged files become the dataset (`adopt`) unless some key needs
//! the whole input to settle. Otherwise the rows are cut into sorted runs
//! spilled beside the dataset (`runs`, `spill`: each run sorted and
//! written on a thread of its own; staged rows come back as the first run,
//! `staged`), merged in key order, households and members in lockstep,
//! into each year's partition (`write`, encoded on a thread of its own, a
//! column per core, `encoder`; staged and swapped in, `staging`).
//! Memory is bounded by the run size, not the input.

mod adopt;
mod block;
pub mod build;
mod coded;
mod csv_cut;
mod direct;
mod encoder;
mod fast;
mod grouping;
mod header;
mod judge;
mod keys;
pub mod originals;
pub mod quarantine;
pub mod read;
mod read_csv;
mod read_xlsx;
mod row;
mod runs;
pub(crate) mod spill;
mod staged;
mod staging;
mod stream;
pub mod template;
pub mod text;
mod units;
pub mod validate;
mod write;

use crate::error::{Error, Result};
use crate::progress::{Progress, Unit};
use crate::schema::TableKind;
use quarantine::Entry;
use std::path::{Path, PathBuf};

/// Counts for one input table (a CSV/Parquet file or one XLSX sheet).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TableCount {
    pub source: String,
    pub table: String,
    pub read: u64,
    pub accepted: u64,
    pub quarantined: u64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct YearCount {
    pub survey_year: i32,
    pub households: usize,
    pub members: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IngestSummary {
    pub tables: Vec<TableCount>,
    pub years: Vec<YearCount>,
    pub read: u64,
    pub accepted: u64,
    pub quarantined: u64,
    /// Problems that did not reject rows (ignored columns, …).
    pub warnings: Vec<String>,
    /// Household columns outside the contract kept as text (normalised
    /// names, in order of first sight): carried into the scored file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kept_columns: Vec<String>,
    #[serde(skip)]
    pub quarantine: Vec<Entry>,
    /// Whether the accepted households and members (in that order) came in
    /// key order, so their runs were merged as they came, unsorted.
    #[serde(skip)]
    pub in_key_order: [bool; 2],
    /// Whether the rows were written to the dataset as they were read,
    /// with no run file (`direct`): the input came in key order, and no
    /// key needed settling once read.
    #[serde(skip)]
    pub written_directly: bool,
}

/// Why an entry of an input folder is not read, or `None` when it is an
/// input: the one place that decides which files of a folder are read
/// (which formats are readable is `read::is_input_file`).
fn not_an_input(p: &Path) -> Option<String> {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
    Some(if p.is_dir() {
        "a folder; folders inside an input folder are not read: give it as an input of its own"
            .into()
    } else if name.starts_with("~$") {
        "an Excel lock file, there while the workbook is open in Excel".into()
    } else if name.starts_with('.') {
        "a hidden file".into()
    } else if read::is_input_file(p) {
        return None;
    } else if ["txt", "tsv", "tab"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
    {
        "a text file; if it holds a table, rename it to .csv".into()
    } else {
        format!("not a table format; inputs are {} files", read::READABLE)
    })
}

/// Inputs expanded: folders give their input files (not recursive),
/// sorted; and a line per folder naming what it holds that is not read.
fn scan(inputs: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<String>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            found.sort();
            let mut not_read = Vec::new();
            for f in found {
                match not_an_input(&f) {
                    None if f.is_file() => files.push(f),
                    None => {}
                    Some(why) => not_read.push(format!(
                        "{} ({why})",
                        f.file_name().unwrap_or_default().to_string_lossy()
                    )),
                }
            }
            if !not_read.is_empty() {
                skipped.push(format!(
                    "{}: {} entr{} not read: {}",
                    p.display(),
                    not_read.len(),
                    if not_read.len() == 1 { "y" } else { "ies" },
                    not_read.join("; ")
                ));
            }
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(Error::input(p, "no such file or folder"));
        }
    }
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no input files ({}) found in the given paths{}",
            read::READABLE,
            skipped
                .iter()
                .map(|s| format!("\n  {s}"))
                .collect::<String>()
        )));
    }
    Ok((files, skipped))
}

/// Expand inputs: folders give their input files (not recursive), sorted.
pub fn input_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    Ok(scan(inputs)?.0)
}

/// Options of an ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Rows per sorted run (default: `stream::RUN_ROWS`); small values make
    /// tests exercise the spilled merge on small inputs.
    pub run_rows: Option<usize>,
    /// Most runs merged at once (default `FAN_IN`); more are merged in stages.
    pub fan_in: Option<usize>,
    /// What CSV files without a byte-order mark are written in, when not
    /// UTF-8 (`--encoding cp1258`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The survey years a later stage can score; rows of other years are
    /// quarantined. `None`: every year the contract allows.
    pub years: Option<SurveyYears>,
    /// Bytes of CSV text validated at a time on a worker thread (default
    /// `read_csv::BLOCK_BYTES`); small values make tests cut records
    /// across blocks. Nothing read or written depends on it.
    pub csv_block_bytes: Option<usize>,
    /// The worker threads that validate CSV blocks (default: rayon's
    /// global pool). Nothing read or written depends on their number.
    pub pool: Option<std::sync::Arc<rayon::ThreadPool>>,
    /// Validate CSV rows one by one on the reading thread, as workbook
    /// rows are: the reference the blocks are tested against.
    pub csv_rows_one_by_one: bool,
    /// Input in key order through a run file and the merge, as any other,
    /// instead of straight to the dataset (`direct`): the reference the
    /// direct writer is tested against.
    pub no_direct: bool,
}

/// Survey years that can be scored (`--standard auto` in `run`: the years
/// a bundled standard covers), and what to say about any other.
#[derive(Debug, Clone, Default)]
pub struct SurveyYears {
    /// Inclusive ranges.
    pub covered: Vec<(i32, i32)>,
    /// Why another year cannot be scored and what to do; `{year}` is
    /// replaced by the year.
    pub reason: String,
}

impl SurveyYears {
    /// Why `year` cannot be scored, if it cannot.
    pub fn refuse(&self, year: i64) -> Option<String> {
        let covered = (self.covered.iter()).any(|&(a, b)| (a as i64..=b as i64).contains(&year));
        (!covered).then(|| self.reason.replace("{year}", &year.to_string()))
    }
}

/// The runs merged into the dataset (`write`).
fn merge(ing: &mut stream::Ingestor, root: &Path, fan_in: Option<usize>) -> Result<Vec<YearCount>> {
    ing.reduce_runs(fan_in.unwrap_or(FAN_IN))?;
    // The run files live until the merge is done, and go even on error.
    let _spill = ing.take_spill();
    let accepted: u64 = ing.tables.iter().map(|t| t.accepted).sum();
    let bar = Progress::new(accepted, Unit::Rows, "writing dataset");
    let years = write::write_years(ing, root, &bar)?;
    bar.finish();
    Ok(years)
}

/// Runs merged at once: open files stay well under the usual limit of 1024.
pub const FAN_IN: usize = 128;

/// Read, validate and write. `dataset_root` receives `survey_year=Y/`
/// partitions; each year present in the input replaces the old one atomically.
pub fn ingest(inputs: &[PathBuf], dataset_root: &Path) -> Result<IngestSummary> {
    ingest_with(inputs, dataset_root, IngestOptions::default())
}

pub fn ingest_with(
    inputs: &[PathBuf],
    dataset_root: &Path,
    opts: IngestOptions,
) -> Result<IngestSummary> {
    let (files, skipped) = scan(inputs)?;
    // A CSV file's bytes are counted as read: all of them by the pass of
    // its table, its first buffer by the other. A workbook or Parquet file
    // counts whole in each pass.
    let bytes: u64 = (files.iter())
        .map(|f| {
            let len = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
            match f.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                true => len + len.min(read::CSV_BUFFER as u64),
                false => 2 * len,
            }
        })
        .sum();
    let bar = Progress::new(bytes, Unit::Bytes, "reading");
    let shared = std::sync::Arc::new(direct::Shared::default());
    let (hh_direct, mem_direct) = match opts.no_direct {
        true => (None, None),
        false => {
            let (h, m) = direct::pair(&shared, dataset_root);
            (Some(h), Some(m))
        }
    };
    let read_pass = |pass: TableKind, direct| -> Result<stream::Ingestor> {
        let mut ing = stream::Ingestor::new(dataset_root);
        ing.years = opts.years.clone();
        ing.pool = opts.pool.clone();
        ing.one_by_one = opts.csv_rows_one_by_one;
        if let Some(bytes) = opts.csv_block_bytes {
            ing.block_bytes = bytes;
        }
        ing.begin_pass(pass, opts.run_rows, direct);
        for f in &files {
            read::read_file(f, &mut ing, &bar, opts.encoding)?;
            if let Some(e) = ing.failure.take() {
                return Err(e);
            }
        }
        ing.end_pass()?;
        Ok(ing)
    };
    // Households and members are read side by side, a thread each; their
    // rows meet in the merge, or (in key order) through the direct writers.
    let read_pass = &read_pass;
    let (households, members) = std::thread::scope(|s| {
        let members = s.spawn(move || read_pass(TableKind::Members, mem_direct));
        let households = read_pass(TableKind::Households, hh_direct);
        let members = members.join();
        (
            households,
            members.unwrap_or_else(|e| std::panic::resume_unwind(e)),
        )
    });
    let (mut ing, mut members) = (households?, members?);
    let in_key_order = [ing.in_order(), members.in_order()];
    // The staged files live until the dataset is written, and go even on error.
    let mut staged = adopt::Staged {
        households: ing.written.take(),
        members: members.written.take(),
    };
    ing.absorb(members);
    bar.finish();
    let adopted = adopt::adopt(&mut ing, &shared, &mut staged, dataset_root)?;
    let written_directly = adopted.is_some();
    let years = match adopted {
        Some(years) => years,
        None => merge(&mut ing, dataset_root, opts.fan_in)?,
    };
    drop(staged);
    let kept_columns: Vec<String> = (ing.kept.iter())
        .filter(|k| !ing.unfilled(k))
        .cloned()
        .collect();
    let (tables, warnings, quarantine) = ing.into_parts();
    let mut summary = IngestSummary {
        years,
        kept_columns,
        warnings: skipped.into_iter().chain(warnings).collect(),
        quarantine,
        in_key_order,
        written_directly,
        ..Default::default()
    };
    for t in tables {
        summary.read += t.read;
        summary.accepted += t.accepted;
        summary.quarantined += t.quarantined;
        summary.tables.push(t);
    }
    Ok(summary)
}
