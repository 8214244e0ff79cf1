//! Ingest: input files (CSV, XLSX, Parquet) → a validated Parquet dataset
//! partitioned by survey year, plus a quarantine of every rejected row.
//! Invariant: for every file, accepted + quarantined = read.

pub mod build;
pub mod quarantine;
pub mod read;
pub mod validate;

use crate::dataset;
use crate::error::{Error, Result};
use crate::schema::{self, ColumnSpec, TableKind};
use build::{Storage, TableBuilder};
use quarantine::Entry;
use read::{RawCell, Sink};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use validate::Typed;

/// Counts for one input table (a CSV/Parquet file or one XLSX sheet).
#[derive(Debug, Clone, Default, serde::Serialize)]
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
    #[serde(skip)]
    pub quarantine: Vec<Entry>,
}

/// Hidden files and the `~$book.xlsx` lock files Excel keeps while a
/// workbook is open are not inputs.
fn is_hidden_or_lock(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"))
}

/// Expand inputs: folders give their input files (not recursive), sorted.
pub fn input_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && read::is_input_file(p) && !is_hidden_or_lock(p))
                .collect();
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(Error::input(p, "no such file or folder"));
        }
    }
    if files.is_empty() {
        return Err(Error::Usage(
            "no input files (.csv, .xlsx, .parquet) found in the given paths".into(),
        ));
    }
    Ok(files)
}

/// A table as read from one source, before validation.
struct RawTable {
    source: String,
    kind: TableKind,
    header: Vec<String>,
    rows: Vec<(u64, std::result::Result<Vec<RawCell>, String>)>,
}

#[derive(Default)]
struct Collector {
    tables: Vec<RawTable>,
    path: PathBuf,
}

impl Sink for Collector {
    fn begin(&mut self, source: &str, kind: Option<TableKind>, header: Vec<String>) -> Result<()> {
        let kind = kind.unwrap_or_else(|| {
            let is_member = header.iter().any(|h| {
                schema::resolve_header(TableKind::Members, h).is_some_and(|c| c.name == "member_id")
            });
            if is_member {
                TableKind::Members
            } else {
                TableKind::Households
            }
        });
        if header.iter().all(|h| h.is_empty()) {
            return Err(Error::input(&self.path, "the header row is empty"));
        }
        self.tables.push(RawTable {
            source: source.to_string(),
            kind,
            header,
            rows: Vec::new(),
        });
        Ok(())
    }
    fn row(&mut self, row_no: u64, cells: std::result::Result<Vec<RawCell>, String>) {
        if let Some(t) = self.tables.last_mut() {
            t.rows.push((row_no, cells));
        }
    }
}

/// Where each header column goes.
enum Target {
    Contract(&'static ColumnSpec, usize),
    Flag(String),
    Ignored,
}

fn map_header(t: &RawTable, warnings: &mut Vec<String>) -> Result<Vec<Target>> {
    let contract = t.kind.columns();
    let mut targets = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for h in &t.header {
        let norm = schema::normalise_header(h);
        if let Some(spec) = schema::resolve_header(t.kind, h) {
            if let Some(prev) = seen.insert(spec.name, h) {
                return Err(Error::input(
                    &t.source,
                    format!(
                        "columns `{prev}` and `{h}` both mean `{}`; keep one",
                        spec.name
                    ),
                ));
            }
            let idx = contract
                .iter()
                .position(|c| c.name == spec.name)
                .unwrap_or(0);
            targets.push(Target::Contract(spec, idx));
        } else if norm.starts_with(schema::DEP_FLAG_PREFIX)
            && norm.len() > schema::DEP_FLAG_PREFIX.len()
            && t.kind == TableKind::Households
        {
            targets.push(Target::Flag(norm));
        } else {
            warnings.push(format!(
                "{}: column `{h}` is not part of the {} data contract and was ignored (see data-samples/README.md)",
                t.source,
                t.kind.name()
            ));
            targets.push(Target::Ignored);
        }
    }
    let missing: Vec<String> = contract
        .iter()
        .filter(|c| c.required && !seen.contains_key(c.name))
        .map(|c| {
            if c.aliases.is_empty() {
                format!("`{}`", c.name)
            } else {
                format!("`{}` (or {})", c.name, c.aliases.join(", "))
            }
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::input(
            &t.source,
            format!(
                "this {} table lacks required column(s) {}; add them or rename the header (see data-samples/README.md)",
                t.kind.name(),
                missing.join(", ")
            ),
        ));
    }
    Ok(targets)
}

#[derive(Default)]
struct Year {
    households: Option<TableBuilder>,
    members: Option<TableBuilder>,
    /// household_id → (builder row, where it was read)
    hh_rows: HashMap<String, (u32, String)>,
    /// builder row of each member's household
    member_hh: Vec<u32>,
}

/// Validated values of one row, keyed by contract column index, plus flags.
struct Row {
    values: Vec<Typed>,
    flags: Vec<(String, Typed)>,
}

/// The key a row must be unique on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Household(i32, String),
    Member(i32, String, String),
}

/// A row read and validated, waiting for the key checks.
struct Pending {
    table: usize,
    source: String,
    row_no: u64,
    /// None when the row could not be split into cells.
    row: Option<Row>,
    problems: Vec<(String, String, String)>,
}

impl Row {
    /// The row's key, when its key cells are valid.
    fn key(&self, kind: TableKind) -> Option<Key> {
        let year = match self.get(kind, "survey_year") {
            Typed::Int(y) => *y as i32,
            _ => return None,
        };
        let id = match self.get(kind, "household_id") {
            Typed::Str(s) => s.clone(),
            _ => return None,
        };
        match kind {
            TableKind::Households => Some(Key::Household(year, id)),
            TableKind::Members => match self.get(kind, "member_id") {
                Typed::Str(m) => Some(Key::Member(year, id, m.clone())),
                _ => None,
            },
        }
    }

    fn get(&self, kind: TableKind, name: &str) -> &Typed {
        let i = kind.columns().iter().position(|c| c.name == name);
        i.and_then(|i| self.values.get(i)).unwrap_or(&Typed::Null)
    }
}

struct Ctx {
    quarantine: Vec<Entry>,
    years: BTreeMap<i32, Year>,
    /// (year, household_id) of quarantined households → where they were.
    rejected_households: HashMap<(i32, String), String>,
}

/// Validate one row's cells. Problems are (column header, value, reason).
fn validate_row(
    kind: TableKind,
    header: &[String],
    targets: &[Target],
    cells: &[RawCell],
) -> (Row, Vec<(String, String, String)>) {
    let contract = kind.columns();
    let mut row = Row {
        values: vec![Typed::Null; contract.len()],
        flags: Vec::new(),
    };
    let mut problems = Vec::new();
    for ((target, cell), h) in targets.iter().zip(cells).zip(header) {
        match target {
            Target::Contract(spec, i) => match validate::cell(spec, cell) {
                Ok(Typed::Null) if spec.required => problems.push((
                    h.clone(),
                    String::new(),
                    format!("`{}` is required but empty", spec.name),
                )),
                Ok(v) => row.values[*i] = v,
                Err(why) => {
                    problems.push((h.clone(), cell.display(), format!("`{}` {why}", spec.name)))
                }
            },
            Target::Flag(name) => {
                let spec = ColumnSpec {
                    name: "dep_*",
                    ty: schema::ColType::Bool,
                    required: false,
                    aliases: &[],
                    range: None,
                    code_aliases: &[],
                    doc: "",
                };
                match validate::cell(&spec, cell) {
                    Ok(v) => row.flags.push((name.clone(), v)),
                    Err(why) => {
                        problems.push((h.clone(), cell.display(), format!("`{name}` {why}")))
                    }
                }
            }
            Target::Ignored => {}
        }
    }
    // Cross-column checks and derivations.
    if kind == TableKind::Members {
        if let (Typed::Int(year), Typed::Int(by)) = (
            row.get(kind, "survey_year").clone(),
            row.get(kind, "birth_year").clone(),
        ) {
            if by > year {
                problems.push((
                    "birth_year".into(),
                    by.to_string(),
                    format!("`birth_year` {by} is after the survey year {year}"),
                ));
            } else if year - by > 120 && matches!(row.get(kind, "age"), Typed::Null) {
                problems.push((
                    "birth_year".into(),
                    by.to_string(),
                    format!("`birth_year` {by} means an age over 120 in {year}"),
                ));
            }
        }
    }
    (row, problems)
}

impl Ctx {
    fn reject(&mut self, source: &str, row_no: u64, problems: Vec<(String, String, String)>) {
        for (column, value, reason) in problems {
            self.quarantine.push(Entry {
                source: source.to_string(),
                row: row_no,
                column,
                value,
                reason,
            });
        }
    }

    /// Validate every row of the tables of one kind, then settle them:
    /// keys are checked over all rows first, so every copy of a duplicated
    /// household or member is quarantined, whatever the input order.
    fn tables(
        &mut self,
        tables: &[&RawTable],
        counts: &mut [TableCount],
        warnings: &mut Vec<String>,
    ) -> Result<()> {
        let mut pending: Vec<Pending> = Vec::new();
        for (ti, t) in tables.iter().enumerate() {
            let targets = map_header(t, warnings)?;
            for (row_no, cells) in &t.rows {
                counts[ti].read += 1;
                let (row, problems) = match cells {
                    Ok(cells) => {
                        let (row, problems) = validate_row(t.kind, &t.header, &targets, cells);
                        (Some(row), problems)
                    }
                    Err(reason) => (None, vec![(String::new(), String::new(), reason.clone())]),
                };
                pending.push(Pending {
                    table: ti,
                    source: t.source.clone(),
                    row_no: *row_no,
                    row,
                    problems,
                });
            }
        }
        let Some(kind) = tables.first().map(|t| t.kind) else {
            return Ok(());
        };
        let mut seen: HashMap<Key, Vec<String>> = HashMap::new();
        for p in &pending {
            if let Some(k) = p.row.as_ref().and_then(|r| r.key(kind)) {
                seen.entry(k)
                    .or_default()
                    .push(format!("{}:{}", p.source, p.row_no));
            }
        }
        for p in pending {
            let count = &mut counts[p.table];
            match self.settle(kind, p, &seen) {
                true => count.accepted += 1,
                false => count.quarantined += 1,
            }
        }
        Ok(())
    }

    /// Accept or quarantine one validated row; true when accepted.
    fn settle(&mut self, kind: TableKind, p: Pending, seen: &HashMap<Key, Vec<String>>) -> bool {
        let Pending {
            source,
            row_no,
            row,
            mut problems,
            ..
        } = p;
        let Some(row) = row else {
            self.reject(&source, row_no, problems);
            return false;
        };
        let here = format!("{source}:{row_no}");
        let key = row.key(kind);
        if let Some(places) = key
            .as_ref()
            .and_then(|k| seen.get(k))
            .filter(|v| v.len() > 1)
        {
            let (column, value, what) = match &key {
                Some(Key::Member(y, id, mid)) => (
                    "member_id",
                    mid.clone(),
                    format!(
                        "member `{mid}` of household `{id}` appears {} times for survey year {y}",
                        places.len()
                    ),
                ),
                Some(Key::Household(y, id)) => (
                    "household_id",
                    id.clone(),
                    format!(
                        "household `{id}` appears {} times for survey year {y}",
                        places.len()
                    ),
                ),
                None => ("", String::new(), String::new()),
            };
            problems.push((
                column.into(),
                value,
                format!("duplicate: {what} (at {}); every copy is set aside, keep the right one and ingest again", places.join(", ")),
            ));
        }
        match (kind, &key) {
            (TableKind::Households, Some(Key::Household(y, id))) => {
                if let Typed::Str(code) = row.get(kind, "province_code") {
                    if crate::geo::geography().province(code).is_none() {
                        problems.push((
                            "province_code".into(),
                            code.clone(),
                            format!("`province_code` {code} is not one of the 63 GSO province codes (data/geo/provinces.csv)"),
                        ));
                    }
                }
                if !problems.is_empty() {
                    self.rejected_households
                        .entry((*y, id.clone()))
                        .or_insert(here.clone());
                }
            }
            (TableKind::Members, Some(Key::Member(y, id, _))) => {
                let known = self
                    .years
                    .get(y)
                    .is_some_and(|yr| yr.hh_rows.contains_key(id));
                if !known {
                    let why = match self.rejected_households.get(&(*y, id.clone())) {
                        Some(at) => format!("its household `{id}` (survey year {y}) was quarantined at {at}; fix that row first"),
                        None => format!("household `{id}` has no record for survey year {y} in the households input"),
                    };
                    problems.push(("household_id".into(), id.clone(), why));
                }
            }
            _ => {}
        }
        if !problems.is_empty() || key.is_none() {
            self.reject(&source, row_no, problems);
            return false;
        }
        let (y, id) = match key {
            Some(Key::Household(y, id)) | Some(Key::Member(y, id, _)) => (y, id),
            None => return false,
        };
        self.accept(kind, y, id, row, here);
        true
    }

    fn accept(&mut self, kind: TableKind, y: i32, id: String, row: Row, here: String) {
        let yr = self.years.entry(y).or_default();
        let slot = match kind {
            TableKind::Households => &mut yr.households,
            TableKind::Members => &mut yr.members,
        };
        let builder = slot.get_or_insert_with(|| TableBuilder::new(kind.columns()));
        let mut values: Vec<(usize, Typed)> = row.values.into_iter().enumerate().collect();
        for (name, v) in row.flags {
            values.push((builder.add_column(&name, Storage::Bool), v));
        }
        let index = builder.len() as u32;
        builder.push_row(values);
        match kind {
            TableKind::Households => {
                yr.hh_rows.insert(id, (index, here));
            }
            TableKind::Members => {
                let hh = yr.hh_rows.get(&id).map(|(r, _)| *r).unwrap_or(0);
                yr.member_hh.push(hh);
            }
        }
    }
}

/// Order for member ids: numbers numerically, then text.
fn natural_key(s: &str) -> (u8, u64, &str) {
    match s.parse::<u64>() {
        Ok(n) => (0, n, s),
        Err(_) => (1, 0, s),
    }
}

/// Read, validate and write. `dataset_root` receives `survey_year=Y/`
/// partitions; each year present in the input replaces the old one atomically.
pub fn ingest(inputs: &[PathBuf], dataset_root: &Path) -> Result<IngestSummary> {
    let files = input_files(inputs)?;
    let mut tables = Vec::new();
    for f in &files {
        let mut c = Collector {
            path: f.clone(),
            ..Default::default()
        };
        read::read_file(f, &mut c)?;
        tables.extend(c.tables);
    }
    tables.sort_by_key(|t| t.kind == TableKind::Members);
    let mut summary = IngestSummary::default();
    let mut ctx = Ctx {
        quarantine: Vec::new(),
        years: BTreeMap::new(),
        rejected_households: HashMap::new(),
    };
    let mut counts: Vec<TableCount> = tables
        .iter()
        .map(|t| TableCount {
            source: t.source.clone(),
            table: t.kind.name().into(),
            ..Default::default()
        })
        .collect();
    // Households first, so members can be checked against them.
    let n_households = tables
        .iter()
        .filter(|t| t.kind == TableKind::Households)
        .count();
    let (hh_tables, member_tables) = tables.split_at(n_households);
    let (hh_counts, member_counts) = counts.split_at_mut(n_households);
    ctx.tables(
        &hh_tables.iter().collect::<Vec<_>>(),
        hh_counts,
        &mut summary.warnings,
    )?;
    ctx.tables(
        &member_tables.iter().collect::<Vec<_>>(),
        member_counts,
        &mut summary.warnings,
    )?;
    for c in counts {
        summary.read += c.read;
        summary.accepted += c.accepted;
        summary.quarantined += c.quarantined;
        summary.tables.push(c);
    }
    write_years(&ctx.years, dataset_root, &mut summary)?;
    summary.quarantine = ctx.quarantine;
    Ok(summary)
}

fn write_years(
    years: &BTreeMap<i32, Year>,
    root: &Path,
    summary: &mut IngestSummary,
) -> Result<()> {
    crate::fsx::create_dir_all(root)?;
    for (&y, yr) in years {
        let Some(hh) = &yr.households else { continue };
        // Households sorted by id: the dataset does not depend on input row order.
        let ids = hh.strings("household_id").unwrap_or(&[]);
        let mut order: Vec<usize> = (0..hh.len()).collect();
        order.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
        let mut new_index = vec![0u32; hh.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new as u32;
        }
        let hh_batch = hh.finish(&order, Vec::new())?;
        let staged = root.join(format!(".staging-survey_year={y}-{}", std::process::id()));
        if staged.exists() {
            std::fs::remove_dir_all(&staged).map_err(|e| Error::io(&staged, e))?;
        }
        crate::fsx::create_dir_all(&staged)?;
        dataset::write_parquet(&staged.join(dataset::HOUSEHOLDS_FILE), &[hh_batch])?;
        let mut n_members = 0;
        let members = yr
            .members
            .as_ref()
            .map(|m| (m, m.strings("member_id").unwrap_or(&[])));
        let (m, mids) = match members {
            Some(x) => x,
            None => {
                // No member records this year: an empty members table keeps the schema.
                let empty = TableBuilder::new(TableKind::Members.columns());
                dataset::write_parquet(
                    &staged.join(dataset::MEMBERS_FILE),
                    &[empty.finish(&[], vec![build::hh_index_column(Vec::new())])?],
                )?;
                crate::fsx::replace_dir(&staged, &dataset::year_dir(root, y))?;
                summary.years.push(YearCount {
                    survey_year: y,
                    households: hh.len(),
                    members: 0,
                });
                continue;
            }
        };
        let mut morder: Vec<usize> = (0..m.len()).collect();
        morder.sort_by(|&a, &b| {
            let ka = (
                new_index[yr.member_hh[a] as usize],
                natural_key(mids[a].as_deref().unwrap_or("")),
            );
            let kb = (
                new_index[yr.member_hh[b] as usize],
                natural_key(mids[b].as_deref().unwrap_or("")),
            );
            ka.cmp(&kb)
        });
        let hh_idx: Vec<u32> = morder
            .iter()
            .map(|&i| new_index[yr.member_hh[i] as usize])
            .collect();
        n_members += m.len();
        let m_batch = m.finish(&morder, vec![build::hh_index_column(hh_idx)])?;
        dataset::write_parquet(&staged.join(dataset::MEMBERS_FILE), &[m_batch])?;
        crate::fsx::replace_dir(&staged, &dataset::year_dir(root, y))?;
        summary.years.push(YearCount {
            survey_year: y,
            households: hh.len(),
            members: n_members,
        });
    }
    Ok(())
}
