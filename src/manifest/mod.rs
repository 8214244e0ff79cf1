//! The manifest written beside every `run`: what went in (file hashes), which
//! standard and engine version, which options, and what came out — enough to
//! reproduce or audit a published table. No timestamps: the same inputs give
//! the same bytes. Written last (`finish_run`), with the hash of
//! every output, so a reader can check the folder is what the run made.

mod record;

pub(crate) use record::files_under;
pub use record::{
    begin_run, finish_run, print_scored_warnings, scored_warnings, COMPLETE, INCOMPLETE,
};

use crate::error::{Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct InputFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

pub fn hash_file(path: &Path) -> Result<InputFile> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        h.update(&buf[..n]);
    }
    let digest = h.finalize();
    Ok(InputFile {
        path: path.display().to_string(),
        bytes,
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
    })
}

/// The standard one survey year was scored with.
#[derive(Debug, Serialize)]
pub struct StandardRef {
    pub survey_year: i32,
    pub id: String,
    pub version: String,
    pub origin: String,
    pub name_en: String,
    pub provisional: bool,
}

impl StandardRef {
    pub fn of(survey_year: i32, st: &crate::standard::Standard) -> StandardRef {
        StandardRef {
            survey_year,
            id: st.id.clone(),
            version: st.version.clone(),
            origin: st.origin.clone(),
            name_en: st.name_en.clone(),
            provisional: st.provisional,
        }
    }
}

/// One file a run wrote: its hash, and what it was made from (the input
/// files for the dataset and quarantine, the year's dataset partition for
/// a scored file, scored files for tables, comparisons and the report).
#[derive(Debug, Serialize)]
pub struct OutputFile {
    /// Relative to the run's output folder.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    pub made_from: Vec<String>,
}

/// What a run's records cover (the name of its total row) and the unit
/// codes the bundled list does not name.
#[derive(Debug, Serialize, Default, Clone, PartialEq)]
pub struct ScopeRecord {
    /// `country`, `province:11`, `provinces:01,11,30`.
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    /// Each survey year's, when the years cover different units.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<YearScope>,
    /// The date of the bundled list of districts and communes.
    pub list_date: String,
    /// District and commune codes of the data neither that list nor the
    /// user's names file names: kept, shown with their code and no name.
    pub districts_not_in_list: usize,
    pub communes_not_in_list: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes_not_in_list: Vec<String>,
    /// The names file given with `--unit-names`, with its hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_names: Option<InputFile>,
}

/// One survey year's scope.
#[derive(Debug, Serialize, Default, Clone, PartialEq)]
pub struct YearScope {
    pub survey_year: i64,
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    /// `complete` once every output is in place (written last); the copy
    /// the report embeds, written before, has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub engine: String,
    pub engine_version: String,
    /// `--standard` as given: `auto` or a standard's id.
    pub standard: String,
    /// The standard of each survey year.
    pub standards: Vec<StandardRef>,
    pub options: serde_json::Value,
    pub inputs: Vec<InputFile>,
    /// What the records cover; none for manifests of older runs' kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeRecord>,
    pub ingest: crate::ingest::IngestSummary,
    pub score: crate::score::files::ScoreSummary,
    pub outputs: Vec<String>,
    /// Every output file with its hash; filled in last.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<OutputFile>,
}

impl Manifest {
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::Usage(e.to_string()))?;
        bytes.push(b'\n');
        crate::files::write_atomic(path, &bytes)
    }
}
