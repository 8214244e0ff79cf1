//! Each year's output, staged: Parquet files written into a staging folder
//! beside the dataset (by the merge, `write`, or a direct writer,
//! `direct`), swapped in at the end (`publish`), so a year is replaced
//! whole or not at all.

use super::build::hh_index_column;
use super::encoder::Encoder;
use super::spill::output_schema;
use super::YearCount;
use crate::dataset;
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use arrow_schema::{Schema, SchemaRef};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(super) struct YearOut {
    staged: PathBuf,
    /// Whether its members file has rows (its households file has when
    /// `n_households > 0`).
    members: bool,
    pub n_households: u32,
    pub n_members: usize,
}

/// Fields drop in order: the encoder stops writing before the staging
/// folders of an ingest that failed are removed.
pub(super) struct Out {
    encoder: Encoder,
    root: PathBuf,
    /// Tells apart the staging folders of the direct writers (`direct`).
    tag: &'static str,
    years: BTreeMap<i32, YearOut>,
    hh_schema: SchemaRef,
    mem_schema: SchemaRef,
}

/// A year's staging folder goes with it unless it was swapped in.
impl Drop for YearOut {
    fn drop(&mut self) {
        if self.staged.exists() {
            let _ = std::fs::remove_dir_all(&self.staged);
        }
    }
}

impl Out {
    /// The output of a direct writer (`direct`): its files' schema is the
    /// runs' `run_schema` without the locations (members: with `hh_index`).
    pub fn new(
        root: &Path,
        run_schema: &SchemaRef,
        members: bool,
        tag: &'static str,
    ) -> Result<Self> {
        let schema = output_schema(run_schema);
        let mem_schema = match members {
            true => member_schema(&schema),
            false => schema.clone(),
        };
        Ok(Self::with_schemas(root, tag, schema, mem_schema))
    }

    /// The output of the merge, its files of these schemas.
    pub fn with_schemas(
        root: &Path,
        tag: &'static str,
        hh_schema: SchemaRef,
        mem_schema: SchemaRef,
    ) -> Self {
        Out {
            encoder: Encoder::new(),
            root: root.to_path_buf(),
            tag,
            years: BTreeMap::new(),
            hh_schema,
            mem_schema,
        }
    }

    /// The schema of the files written (`members`: the members').
    pub fn schema(&self, members: bool) -> SchemaRef {
        match members {
            true => self.mem_schema.clone(),
            false => self.hh_schema.clone(),
        }
    }

    /// Close every file written.
    pub fn finish(&mut self) -> Result<()> {
        self.encoder.finish()
    }

    /// The files written, a year after the other.
    pub fn files(&self) -> Vec<PathBuf> {
        (self.years.values())
            .map(|yo| match yo.members {
                true => yo.staged.join(dataset::MEMBERS_FILE),
                false => yo.staged.join(dataset::HOUSEHOLDS_FILE),
            })
            .filter(|p| p.exists())
            .collect()
    }

    pub fn year(&mut self, y: i32) -> Result<&mut YearOut> {
        if !self.years.contains_key(&y) {
            let staged = self.root.join(format!(
                ".staging-{}survey_year={y}-{}",
                self.tag,
                std::process::id()
            ));
            if staged.exists() {
                std::fs::remove_dir_all(&staged).map_err(|e| Error::io(&staged, e))?;
            }
            crate::files::create_dir_all(&staged)?;
            self.years.insert(
                y,
                YearOut {
                    staged,
                    members: false,
                    n_households: 0,
                    n_members: 0,
                },
            );
        }
        Ok(self.years.get_mut(&y).expect("inserted above"))
    }

    pub fn write(&mut self, y: i32, members: bool, batch: RecordBatch) -> Result<()> {
        let schema = if members {
            self.mem_schema.clone()
        } else {
            self.hh_schema.clone()
        };
        let yo = self.year(y)?;
        yo.members |= members;
        let name = if members {
            dataset::MEMBERS_FILE
        } else {
            dataset::HOUSEHOLDS_FILE
        };
        let path = yo.staged.join(name);
        // The batch without the columns the schema leaves out.
        let batch = match batch.num_columns() == schema.fields().len() {
            true => batch,
            false => {
                let bs = batch.schema();
                let keep: Vec<usize> = (schema.fields().iter())
                    .filter_map(|f| bs.index_of(f.name()).ok())
                    .collect();
                batch.project(&keep)?
            }
        };
        self.encoder.write(path, schema, batch)
    }
}

/// A members batch with each row's household row index as its last column.
pub(super) fn with_hh_index(batch: RecordBatch, index: Vec<u32>) -> Result<RecordBatch> {
    let (f, a) = hh_index_column(index);
    let mut fields: Vec<_> = batch.schema().fields().iter().cloned().collect();
    fields.push(Arc::new(f));
    let mut cols = batch.columns().to_vec();
    cols.push(a);
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
}

/// The members files' schema: the members' columns, then `hh_index`.
pub(super) fn member_schema(members: &SchemaRef) -> SchemaRef {
    let mut fields: Vec<_> = members.fields().iter().cloned().collect();
    fields.push(Arc::new(hh_index_column(Vec::new()).0));
    Arc::new(Schema::new(fields))
}

/// Swap each year's staged folder in; the years' counts.
pub(super) fn publish(out: &mut Out) -> Result<Vec<YearCount>> {
    let mut counts = Vec::new();
    for (y, yo) in std::mem::take(&mut out.years) {
        let written = yo.n_households > 0;
        if written && !yo.members {
            // A year whose households have no member rows: an empty members file.
            dataset::write_parquet_empty(&yo.staged.join(dataset::MEMBERS_FILE), &out.mem_schema)?;
        }
        if !written {
            // Every household of the year was set aside (its staging
            // folder goes when `yo` drops).
            continue;
        }
        crate::files::replace_dir(&yo.staged, &dataset::year_dir(&out.root, y))?;
        counts.push(YearCount {
            survey_year: y,
            households: yo.n_households as usize,
            members: yo.n_members,
        });
    }
    Ok(counts)
}

/// The members a direct writer staged (`members`) beside the households
/// another staged (`households`), for `publish`: the members' schema
/// becomes the households output's.
pub(super) fn join_staged(
    households: &mut Out,
    members: Option<&mut Out>,
    mem_schema: SchemaRef,
) -> Result<()> {
    households.mem_schema = mem_schema;
    let Some(members) = members else {
        return Ok(());
    };
    for (y, m) in &members.years {
        let from = m.staged.join(dataset::MEMBERS_FILE);
        let Some(h) = households.years.get_mut(y) else {
            continue;
        };
        if m.n_members > 0 && from.exists() {
            let to = h.staged.join(dataset::MEMBERS_FILE);
            std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
            h.members = true;
            h.n_members = m.n_members;
        }
    }
    Ok(())
}
