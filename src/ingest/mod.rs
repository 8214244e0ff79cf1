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
use std::collections::{BTreeMap, HashMap, HashSet};
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

/// Expand inputs: folders give their input files (not recursive), sorted.
pub fn input_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && read::is_input_file(p))
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
    member_keys: HashSet<(u32, String)>,
}

/// Validated values of one row, keyed by contract column index, plus flags.
struct Row {
    values: Vec<Typed>,
    flags: Vec<(String, Typed)>,
}

impl Row {
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
        derive_age(&mut row.values);
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

    fn table(
        &mut self,
        t: &RawTable,
        count: &mut TableCount,
        warnings: &mut Vec<String>,
    ) -> Result<()> {
        let targets = map_header(t, warnings)?;
        let kind = t.kind;
        for (row_no, cells) in &t.rows {
            count.read += 1;
            let cells = match cells {
                Ok(c) => c,
                Err(reason) => {
                    self.reject(
                        &t.source,
                        *row_no,
                        vec![(String::new(), String::new(), reason.clone())],
                    );
                    count.quarantined += 1;
                    continue;
                }
            };
            let (row, mut problems) = validate_row(kind, &t.header, &targets, cells);
            let year = match row.get(kind, "survey_year") {
                Typed::Int(y) => Some(*y as i32),
                _ => None,
            };
            let hh_id = match row.get(kind, "household_id") {
                Typed::Str(s) => Some(s.clone()),
                _ => None,
            };
            let here = format!("{}:{row_no}", t.source);
            if kind == TableKind::Households {
                if let Typed::Str(code) = row.get(kind, "province_code") {
                    if crate::geo::geography().province(code).is_none() {
                        problems.push((
                            "province_code".into(),
                            code.clone(),
                            format!("`province_code` {code} is not one of the 63 GSO province codes (data/geo/provinces.csv)"),
                        ));
                    }
                }
                if let (Some(y), Some(id)) = (year, &hh_id) {
                    if problems.is_empty() {
                        if let Some((_, first)) =
                            self.years.get(&y).and_then(|yr| yr.hh_rows.get(id))
                        {
                            problems.push((
                                "household_id".into(),
                                id.clone(),
                                format!("duplicate household: `{id}` already appears for survey year {y} at {first}; keep one record per household per year"),
                            ));
                        }
                    }
                    if !problems.is_empty() {
                        self.rejected_households
                            .entry((y, id.clone()))
                            .or_insert(here.clone());
                    }
                }
            } else if let (Some(y), Some(id)) = (year, &hh_id) {
                let hh = self
                    .years
                    .get(&y)
                    .and_then(|yr| yr.hh_rows.get(id))
                    .map(|(r, _)| *r);
                match hh {
                    None => {
                        let why = match self.rejected_households.get(&(y, id.clone())) {
                            Some(at) => format!("its household `{id}` (survey year {y}) was quarantined at {at}; fix that row first"),
                            None => format!("household `{id}` has no record for survey year {y} in the households input"),
                        };
                        problems.push(("household_id".into(), id.clone(), why));
                    }
                    Some(hh_row) => {
                        if let Typed::Str(mid) = row.get(kind, "member_id") {
                            let dup = self
                                .years
                                .get(&y)
                                .is_some_and(|yr| yr.member_keys.contains(&(hh_row, mid.clone())));
                            if dup && problems.is_empty() {
                                problems.push((
                                    "member_id".into(),
                                    mid.clone(),
                                    format!("duplicate member: `{mid}` appears twice in household `{id}` (survey year {y})"),
                                ));
                            }
                        }
                    }
                }
            }
            if !problems.is_empty() {
                self.reject(&t.source, *row_no, problems);
                count.quarantined += 1;
                continue;
            }
            let (Some(y), Some(id)) = (year, hh_id) else {
                continue; // unreachable: both are required and were checked
            };
            count.accepted += 1;
            self.accept(kind, y, id, row, here);
        }
        Ok(())
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
                let mid = builder
                    .strings("member_id")
                    .and_then(|v| v.last().cloned().flatten())
                    .unwrap_or_default();
                yr.member_hh.push(hh);
                yr.member_keys.insert((hh, mid));
            }
        }
    }
}

/// Fill `age` from `birth_year` or `birth_year` from `age`, using the survey
/// year, when only one is given. `values` are a members row in contract order.
pub fn derive_age(values: &mut [Typed]) {
    let kind = TableKind::Members;
    let idx = |name: &str| kind.columns().iter().position(|c| c.name == name);
    let (Some(yi), Some(ai), Some(bi)) = (idx("survey_year"), idx("age"), idx("birth_year")) else {
        return;
    };
    match (values[yi].clone(), values[ai].clone(), values[bi].clone()) {
        (Typed::Int(y), Typed::Null, Typed::Int(by)) if by <= y && y - by <= 120 => {
            values[ai] = Typed::Int(y - by)
        }
        (Typed::Int(y), Typed::Int(age), Typed::Null) => values[bi] = Typed::Int(y - age),
        _ => {}
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
    // Households first, so members can be checked against them.
    tables.sort_by_key(|t| t.kind == TableKind::Members);
    let mut summary = IngestSummary::default();
    let mut ctx = Ctx {
        quarantine: Vec::new(),
        years: BTreeMap::new(),
        rejected_households: HashMap::new(),
    };
    for t in &tables {
        let mut count = TableCount {
            source: t.source.clone(),
            table: t.kind.name().into(),
            ..Default::default()
        };
        ctx.table(t, &mut count, &mut summary.warnings)?;
        summary.read += count.read;
        summary.accepted += count.accepted;
        summary.quarantined += count.quarantined;
        summary.tables.push(count);
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
