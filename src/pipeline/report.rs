//! `report` on its own: the charts, HTML report and workbook from a folder
//! of scored years, each under the standard its file names, carrying the
//! ingest counts and manifest of the run that left them when there is one.

use crate::i18n::Lang;
use crate::measure::design::LonelyPsu;
use crate::report::write::{write, Grouping, Provenance};
use crate::{score, standard};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// What the report is drawn from and where it goes.
pub struct ReportPlan<'a> {
    pub scored: &'a Path,
    pub out: &'a Path,
    /// A standard for the labels instead of the one each file records.
    pub standard: Option<&'a str>,
    pub langs: &'a [Lang],
    pub lonely: LonelyPsu,
    /// The breakdown (`--by`); empty: the one the data call for.
    pub by: &'a [crate::measure::Level],
    /// The user's names of unit codes the bundled list lacks.
    pub user: std::sync::Arc<crate::geo::UserNames>,
}

/// Write the report of a scored folder; the files written.
pub fn report(p: &ReportPlan<'_>) -> Result<Vec<PathBuf>> {
    let _lock = crate::outdir::begin(p.out)?;
    crate::manifest::print_scored_warnings(p.scored);
    let scored = score::files::read_scored(p.scored)?;
    let mut standards = standard::ByYear::new();
    for b in &scored {
        let Some(year) = score::survey_year_of(b) else {
            continue;
        };
        let st = match p.standard {
            Some(s) => standard::resolve(s)?,
            None => {
                let meta = score::meta::ScoredMeta::of(b);
                recorded_standard(&meta.standard, &meta.origin)?
            }
        };
        standards.insert(year as i32, std::sync::Arc::new(st));
    }
    let prov = provenance(p.scored, &scored);
    let g = Grouping {
        by: p.by,
        user: p.user.clone(),
        lonely: p.lonely,
    };
    Ok(write(&scored, &standards, p.out, p.langs, &g, &prov)?)
}

/// The undetermined households of the scored years; and, when a run left
/// its manifest beside the scored folder, its ingest counts and the
/// manifest itself.
fn provenance(scored_dir: &Path, scored: &[arrow_array::RecordBatch]) -> Provenance {
    let undetermined = scored
        .iter()
        .map(|b| {
            b.column_by_name("class")
                .and_then(|c| {
                    arrow_array::cast::AsArray::as_string_opt::<i32>(c.as_ref())
                        .map(|c| c.iter().filter(|v| *v == Some(score::UNDETERMINED)).count())
                })
                .unwrap_or(0)
        })
        .sum();
    let mut prov = Provenance {
        undetermined,
        ..Default::default()
    };
    if let Some(text) = scored_dir
        .parent()
        .map(|d| d.join("manifest.json"))
        .and_then(|p| std::fs::read_to_string(p).ok())
    {
        if let Ok(m) = serde_json::from_str::<serde_json::Value>(&text) {
            prov.read = m["ingest"]["read"].as_u64().unwrap_or(0);
            prov.quarantined = m["ingest"]["quarantined"].as_u64().unwrap_or(0);
        }
        prov.manifest_json = text;
    }
    prov
}

/// The standard a scored file names: bundled by id, or loaded again from
/// the folder it came from; a clear error when that folder is gone.
fn recorded_standard(id: &str, origin: &str) -> Result<standard::Standard> {
    if let Some(bundled) = origin.strip_prefix("bundled:") {
        return Ok(standard::resolve(bundled)?);
    }
    if !origin.is_empty() && Path::new(origin).is_dir() {
        return Ok(standard::load_dir(Path::new(origin))?);
    }
    standard::resolve(id).map_err(|e| {
        anyhow::anyhow!(
            "{e}\nthe scored files name standard `{id}` from `{origin}`; give it with --standard ID or FOLDER"
        )
    })
}
