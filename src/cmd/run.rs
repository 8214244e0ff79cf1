//! `dachieu run [DIR]`: the main job. Ingest every input file of a folder,
//! score it, write the tables and a manifest under `out/`, print a summary.

use super::report::ReportFlags;
use super::score::ScoreFlags;
use super::tables::TableFlags;
use super::Outcome;
use crate::ingest;
use crate::manifest::{hash_file, Manifest, StandardRef};
use crate::out;
use crate::score::files::score_dataset;
use crate::standard::Choice;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder (or files) of input records.
    #[arg(default_value = "data-samples")]
    pub inputs: Vec<PathBuf>,
    /// Output folder: dataset/, scored/, tables/, report/, quarantine.csv, manifest.json.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub score: ScoreFlags,
    #[command(flatten)]
    pub tables: TableFlags,
    #[command(flatten)]
    pub report: ReportFlags,
    #[command(flatten)]
    pub read: super::ingest::ReadFlags,
    /// Skip the charts, HTML report and workbook.
    #[arg(long)]
    pub no_report: bool,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    crate::progress::init(a.quiet);
    // Check the standard before touching any output (under `auto`, whether
    // it covers the years is known after ingest, before anything is scored).
    let choice = Choice::parse(&a.score.standard)?;
    let files = ingest::input_files(&a.inputs)?;
    let _lock = crate::manifest::begin_run(&a.out)?;
    let dataset = a.out.join("dataset");
    let scored_dir = a.out.join("scored");
    let tables_dir = a.out.join("tables");
    let quarantine = a.out.join("quarantine.csv");

    let opts = a.read.options(Some(&choice))?;
    let ing = super::ingest::ingest_to(&files, &dataset, &quarantine, opts)?;
    let years: Vec<i32> = ing.years.iter().map(|y| y.survey_year).collect();
    if years.is_empty() {
        // Never fall back to "all years": the dataset folder may hold an
        // earlier run's data, which these inputs did not produce.
        if !a.quiet {
            super::ingest::print_summary(&ing, &quarantine)?;
        }
        anyhow::bail!(
            "no household row was accepted from the inputs, so there is nothing to score{}",
            if ing.quarantined > 0 {
                format!("; see {} for the reasons", quarantine.display())
            } else {
                String::new()
            }
        );
    }
    let (standards, _) = choice.for_years(&years)?;
    let sc = score_dataset(&choice, &dataset, &scored_dir, &a.score.options(), &years)?;
    let scored: Vec<_> = crate::score::files::read_scored(&scored_dir)?
        .into_iter()
        .filter(|b| crate::score::survey_year_of(b).is_some_and(|y| years.contains(&(y as i32))))
        .collect();
    let published = crate::export::publish::publish(
        &crate::score::years::ScoredYear::of_batches(&scored)?,
        &tables_dir,
        &a.tables.by,
        &a.tables.format,
        &a.tables.stats(),
    )?;
    let (built, mut written) = (published.tables, published.files);
    // Two or more years: the last two compared (rates, transitions, follow-up).
    if let [.., y0, y1] = years.as_slice() {
        let opts = crate::measure::StatsOptions {
            groupings: vec![crate::measure::Level::Province],
            ..a.tables.stats()
        };
        let c = crate::export::compare::compare(
            &scored,
            *y0 as i64,
            *y1 as i64,
            crate::measure::Level::Province,
            &opts,
        )?;
        written.extend(crate::export::compare::files::write_comparison(
            &c,
            &a.out.join("compare"),
            "province",
            *y1 as i64,
            &a.tables.format,
        )?);
    }

    let mut outputs: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    outputs.push(quarantine.display().to_string());
    for y in &years {
        let dir = crate::dataset::year_dir(&scored_dir, *y);
        outputs.push(dir.join(crate::dataset::SCORED_FILE).display().to_string());
        outputs.push(
            dir.join(crate::score::files::UNDETERMINED_FILE)
                .display()
                .to_string(),
        );
    }
    let mut manifest = Manifest {
        status: None,
        engine: "dachieu".into(),
        engine_version: env!("CARGO_PKG_VERSION").into(),
        standard: choice.name(),
        standards: standards
            .iter()
            .map(|(y, st)| StandardRef {
                survey_year: *y,
                id: st.id.clone(),
                version: st.version.clone(),
                origin: st.origin.clone(),
                name_en: st.name_en.clone(),
                provisional: st.provisional,
            })
            .collect(),
        options: serde_json::json!({
            "missing": a.score.missing.map(|m| m.to_override().name()).unwrap_or("per-indicator"),
            "strict": a.score.strict,
            "by": a.tables.by.iter().map(|l| l.name()).collect::<Vec<_>>(),
            "formats": a.tables.format.iter().map(|f| f.ext()).collect::<Vec<_>>(),
            "k": a.tables.k.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            "lonely_psu": a.tables.lonely_psu.name(),
            "min_cell": a.tables.min_cell,
            "suppress": a.tables.suppress,
            "report": !a.no_report,
            "lang": a.report.lang.iter().map(|l| l.code()).collect::<Vec<_>>(),
        }),
        inputs: files
            .iter()
            .map(|f| hash_file(f))
            .collect::<Result<_, _>>()?,
        ingest: ing,
        score: sc,
        outputs,
        files: Vec::new(),
    };
    if !a.no_report {
        // The report carries the manifest as it stands before the report's
        // own files are added to it.
        let prov = crate::report::write::Provenance {
            read: manifest.ingest.read,
            quarantined: manifest.ingest.quarantined,
            undetermined: manifest.score.undetermined,
            manifest_json: serde_json::to_string_pretty(&manifest).unwrap_or_default(),
        };
        let files = crate::report::write::write(
            &scored,
            &standards,
            &a.out.join("report"),
            &a.report.lang,
            a.tables.lonely_psu,
            &prov,
        )?;
        manifest
            .outputs
            .extend(files.iter().map(|p| p.display().to_string()));
    }
    let manifest_path = a.out.join("manifest.json");
    crate::manifest::finish_run(&a.out, &mut manifest, &years)?;

    if !a.quiet {
        super::ingest::print_summary(&manifest.ingest, &quarantine)?;
        for (years, st) in crate::report::write::standards_in_use(&standards) {
            let years: Vec<String> = years.iter().map(i32::to_string).collect();
            out!(
                "standard for {}: {} — {}",
                years.join(", "),
                st.label(),
                st.name_vi
            );
        }
        for note in crate::report::write::comparability_notes(&standards, crate::i18n::Lang::En) {
            out!("note: {note}");
        }
        super::score::print_summary(&manifest.score)?;
        if let Some(first) = built.first() {
            super::tables::print_rates(first)?;
        }
        out!(
            "outputs in {} (manifest: {})",
            a.out.display(),
            manifest_path.display()
        );
    }
    let mut outcome = a.score.outcome(&manifest.score);
    if manifest.ingest.quarantined > 0 {
        outcome = outcome.or(Outcome::Findings);
    }
    Ok(outcome)
}
