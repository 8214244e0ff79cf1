//! `dachieu report`: charts (SVG, PNG), a self-contained HTML report and an
//! Excel workbook from scored households, in Vietnamese and/or English.

use super::Outcome;
use crate::i18n::Lang;
use crate::measure::design::LonelyPsu;
use crate::out;
use crate::report::write::{self, Provenance};
use crate::{score, standard};
use std::path::PathBuf;

/// Options shared by `report` and `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportFlags {
    /// Languages of the charts, report and workbook (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "vi,en")]
    pub lang: Vec<Lang>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder written by `dachieu score`.
    #[arg(long, default_value = "out/scored")]
    pub scored: PathBuf,
    /// Folder for the charts, report and workbook.
    #[arg(long, default_value = "out/report")]
    pub out: PathBuf,
    /// The standard the households were scored with, for its labels
    /// (default: each year's standard as recorded in the scored files).
    #[arg(long)]
    pub standard: Option<String>,
    /// Strata with a single PSU (samples only), as for `tables`.
    #[arg(long, value_enum, default_value = "fail")]
    pub lonely_psu: LonelyPsu,
    #[command(flatten)]
    pub flags: ReportFlags,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    let _lock = crate::outdir::begin(&a.out)?;
    crate::manifest::print_scored_warnings(&a.scored);
    let scored = score::files::read_scored(&a.scored)?;
    let mut standards = standard::ByYear::new();
    for b in &scored {
        let Some(year) = score::survey_year_of(b) else {
            continue;
        };
        let st = match &a.standard {
            Some(s) => standard::resolve(s)?,
            None => {
                let meta = score::meta::ScoredMeta::of(b);
                recorded_standard(&meta.standard, &meta.origin)?
            }
        };
        standards.insert(year as i32, std::sync::Arc::new(st));
    }
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
    // A run leaves its manifest beside the scored folder: the report then
    // carries the ingest counts and the manifest too.
    let mut prov = Provenance {
        undetermined,
        ..Default::default()
    };
    if let Some(text) = a
        .scored
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
    let files = write::write(
        &scored,
        &standards,
        &a.out,
        &a.flags.lang,
        a.lonely_psu,
        &prov,
    )?;
    if !a.quiet {
        out!("wrote {} file(s) to {}", files.len(), a.out.display());
    }
    Ok(Outcome::Success)
}

/// The standard a scored file names: bundled by id, or loaded again from
/// the folder it came from; a clear error when that folder is gone.
fn recorded_standard(id: &str, origin: &str) -> anyhow::Result<standard::Standard> {
    if let Some(bundled) = origin.strip_prefix("bundled:") {
        return Ok(standard::resolve(bundled)?);
    }
    if !origin.is_empty() && std::path::Path::new(origin).is_dir() {
        return Ok(standard::load_dir(std::path::Path::new(origin))?);
    }
    standard::resolve(id).map_err(|e| {
        anyhow::anyhow!(
            "{e}\nthe scored files name standard `{id}` from `{origin}`; give it with --standard ID or FOLDER"
        )
    })
}
