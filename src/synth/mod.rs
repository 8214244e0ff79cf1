//! `dachieu synth`: a synthetic population of Vietnam — 63 provinces,
//! districts and communes, households and their members over one or more
//! survey years — calibrated so that, scored under Decision 59/2015, each
//! province's poor and near-poor rates come out at its targets
//! (`data/synth/targets.csv`).
//!
//! It streams: households are generated in fixed blocks, blocks in parallel
//! (rayon) in bounded batches, and one writer thread appends them in order,
//! so memory does not grow with the number of households. Every household
//! draws from its own random stream keyed by (seed, household number), so
//! the bytes written depend on the seed and the options only, never on the
//! thread count.

pub mod emit;
pub mod frame;
pub mod household;
pub mod kept;
pub mod people;
pub mod record;
pub mod rng;
pub mod sample;
pub mod targets;
pub mod units;
pub mod write;

use crate::error::{Error, Result};
use emit::{Blanker, Design};
use frame::Frame;
use household::{Ctx, Household};
use rayon::prelude::*;
use sample::{Sample, SampleSpec};
use std::path::PathBuf;
use targets::Targets;
use write::{Chunk, Encoder, Format, TableFile};

/// Households per block: the unit of parallel work and of ordered writing.
/// Fixed (not derived from the thread count) so Parquet pages come out the same.
pub const BLOCK: usize = 16_384;

#[derive(Debug, Clone)]
pub struct Options {
    pub households: u64,
    pub years: Vec<i32>,
    pub seed: u64,
    pub missing_rate: f64,
    pub format: Format,
    pub sample: Option<SampleSpec>,
    /// Only these provinces (codes); the rest of the country is laid out
    /// but not written, so a province's households are the same as in a
    /// national run.
    pub provinces: Option<Vec<String>>,
    /// A targets file instead of the bundled one.
    pub targets: Option<PathBuf>,
    pub out: PathBuf,
}

/// What was written, per survey year.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct YearSummary {
    pub survey_year: i32,
    pub households: u64,
    pub members: u64,
    /// Households by the class the scorer will find, per province:
    /// [poor by income, poor by deprivation, near-poor, average, not poor].
    pub classes: std::collections::BTreeMap<String, [u64; 5]>,
    /// Sum of design weights (households represented); households in census mode.
    pub weighted_households: f64,
    /// Sum of design weights of the poor households.
    pub weighted_poor: f64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub years: Vec<YearSummary>,
    pub files: Vec<String>,
    pub bytes: u64,
    pub communes: usize,
    pub psus: usize,
    pub strata: usize,
}

/// The households to generate: all, a province's range, or a sample.
struct Plan {
    ranges: Vec<(u64, u64)>,
    sample: Option<Sample>,
}

impl Plan {
    fn len(&self) -> u64 {
        match &self.sample {
            Some(s) => s.selected.len() as u64,
            None => self.ranges.iter().map(|r| r.1 - r.0).sum(),
        }
    }

    /// Household indices of block `b`.
    fn block(&self, b: u64, out: &mut Vec<u64>) {
        out.clear();
        let lo = b * BLOCK as u64;
        let hi = (lo + BLOCK as u64).min(self.len());
        if let Some(s) = &self.sample {
            out.extend_from_slice(&s.selected[lo as usize..hi as usize]);
            return;
        }
        // Walk the ranges to position lo.
        let mut skip = lo;
        let mut need = hi - lo;
        for &(a, z) in &self.ranges {
            let n = z - a;
            if skip >= n {
                skip -= n;
                continue;
            }
            let from = a + skip;
            let take = (z - from).min(need);
            out.extend(from..from + take);
            need -= take;
            skip = 0;
            if need == 0 {
                break;
            }
        }
    }
}

/// One generated block: both tables encoded, and its counts.
struct Block {
    households: Chunk,
    members: Chunk,
    counts: Vec<[u64; 5]>,
    n_households: u64,
    n_members: u64,
    weight: f64,
    weight_poor: f64,
}

fn check(opts: &Options) -> Result<()> {
    if opts.households == 0 {
        return Err(Error::Usage("--households must be at least 1".into()));
    }
    if opts.years.is_empty() || opts.years.windows(2).any(|w| w[0] >= w[1]) {
        return Err(Error::Usage(
            "--years must be increasing, e.g. 2020,2021".into(),
        ));
    }
    if !(0.0..1.0).contains(&opts.missing_rate) {
        return Err(Error::Usage(
            "--missing-rate must be at least 0 and below 1".into(),
        ));
    }
    Ok(())
}

/// Refuse to mix with other input files in the output folder: `dachieu run
/// DIR` reads every table there.
fn check_out_dir(opts: &Options) -> Result<()> {
    let ours = [
        format!("households.{}", opts.format.ext()),
        format!("members.{}", opts.format.ext()),
    ];
    let Ok(entries) = std::fs::read_dir(&opts.out) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_file()
            && crate::ingest::read::is_input_file(&path)
            && !name.starts_with('.')
            && !ours.contains(&name)
        {
            return Err(Error::Usage(format!(
                "{} already holds {name}; `dachieu run` reads every table in a folder, so write the synthetic population to an empty folder (or remove {name})",
                opts.out.display()
            )));
        }
    }
    Ok(())
}

fn plan(opts: &Options, frame: &Frame) -> Result<Plan> {
    let wanted: Option<Vec<usize>> = match &opts.provinces {
        None => None,
        Some(codes) => Some(
            codes
                .iter()
                .map(|c| {
                    let c = format!("{:0>2}", c.trim());
                    frame
                        .provinces
                        .iter()
                        .position(|p| p.code == c)
                        .ok_or_else(|| {
                            Error::Usage(format!(
                                "--provinces: `{c}` is not one of the 63 province codes"
                            ))
                        })
                })
                .collect::<Result<_>>()?,
        ),
    };
    let keep = |p: usize| wanted.as_ref().is_none_or(|w| w.contains(&p));
    let mut ranges: Vec<(u64, u64)> = (0..frame.provinces.len())
        .filter(|&p| keep(p))
        .map(|p| frame.province_range(p))
        .filter(|r| r.1 > r.0)
        .collect();
    ranges.sort_unstable();
    let sample = match opts.sample {
        None => None,
        Some(spec) => {
            let mut s = sample::draw(frame, spec, opts.seed)?;
            if wanted.is_some() {
                s.selected
                    .retain(|&g| keep(frame.communes[frame.commune_of(g)].province));
            }
            Some(s)
        }
    };
    Ok(Plan { ranges, sample })
}

/// Generate block `b` of the plan for year index `yi`.
fn block(ctx: &Ctx, opts: &Options, plan: &Plan, b: u64, yi: usize) -> Result<Block> {
    let mut idx = Vec::with_capacity(BLOCK);
    plan.block(b, &mut idx);
    let sample = plan.sample.is_some();
    let mut hh = Encoder::new(opts.format, true, sample, idx.len());
    let mut mem = Encoder::new(opts.format, false, sample, idx.len() * 4);
    let mut out = Block {
        households: Chunk::Csv(Vec::new()),
        members: Chunk::Csv(Vec::new()),
        counts: vec![[0; 5]; ctx.frame.provinces.len()],
        n_households: 0,
        n_members: 0,
        weight: 0.0,
        weight_poor: 0.0,
    };
    let mut family: Vec<Household> = Vec::new();
    for &g in &idx {
        family.clear();
        family.push(Household::base(ctx, g));
        for s in 1..=yi {
            // Households that split off earlier move on; then the original,
            // whose own split (if any) starts in this year.
            for h in family.iter_mut().skip(1) {
                if h.alive {
                    h.step(ctx, s);
                }
            }
            if family[0].alive {
                if let Some(new) = family[0].step(ctx, s) {
                    family.push(new);
                }
            }
        }
        let design = plan.sample.as_ref().map(|s| Design {
            weight: s.weight[ctx.frame.commune_of(g)],
        });
        for h in family.iter().filter(|h| h.alive) {
            let mut blank = Blanker::new(ctx.seed, h.key, yi, opts.missing_rate);
            let mut row = emit::household_row(h, ctx, yi, design);
            blank.household(&mut row);
            hh.push(&row);
            emit::member_rows(h, ctx, yi, |r| {
                blank.member(r);
                mem.push(r);
            });
            out.counts[ctx.frame.communes[h.commune].province][h.outcome()] += 1;
            out.n_households += 1;
            out.n_members += h.members.len() as u64;
            let w = design.map_or(1.0, |d| d.weight);
            out.weight += w;
            if h.outcome() <= household::OUT_POOR_DEPRIVATION {
                out.weight_poor += w;
            }
        }
    }
    out.households = hh.finish()?;
    out.members = mem.finish()?;
    Ok(out)
}

/// Write the synthetic population; see the module docs.
pub fn synth(opts: &Options) -> Result<Summary> {
    check(opts)?;
    let frame = Frame::build(opts.households)?;
    let targets = load_targets(opts, &frame)?;
    let plan = plan(opts, &frame)?;
    crate::files::create_dir_all(&opts.out)?;
    check_out_dir(opts)?;
    let ctx = Ctx {
        seed: opts.seed,
        frame: &frame,
        targets: &targets,
    };
    let hh_path = opts.out.join(format!("households.{}", opts.format.ext()));
    let mem_path = opts.out.join(format!("members.{}", opts.format.ext()));
    let (hh_file, mem_file) = create_tables(opts, &hh_path, &mem_path, plan.sample.is_some())?;

    // The writer thread appends batches in order while the pool makes the next.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Block>>(0);
    let writer = spawn_writer(rx, hh_file, mem_file);
    let maker = YearMaker {
        ctx: &ctx,
        opts,
        plan: &plan,
        blocks: plan.len().div_ceil(BLOCK as u64),
        batch: (2 * rayon::current_num_threads()).max(2) as u64,
        province_codes: frame.provinces.iter().map(|p| p.code).collect(),
    };
    let mut years = Vec::new();
    let mut failure = None;
    for (yi, &year) in opts.years.iter().enumerate() {
        match maker.year(yi, year, &tx) {
            Ok(ys) => years.push(ys),
            Err(e) => {
                failure = e;
                break;
            }
        }
    }
    drop(tx);
    let (written, hf, mf) = writer
        .join()
        .map_err(|_| Error::Usage("internal: the writer thread panicked".into()))?;
    if let Some(e) = failure.or(written.err()) {
        hf.abandon();
        mf.abandon();
        return Err(e);
    }
    let bytes = hf.finish()? + mf.finish()?;
    let summary = Summary {
        years,
        files: vec![
            hh_path.display().to_string(),
            mem_path.display().to_string(),
        ],
        bytes,
        communes: frame.communes.len(),
        psus: plan.sample.as_ref().map_or(0, |s| s.psus),
        strata: plan.sample.as_ref().map_or(0, |s| s.strata),
    };
    write_manifest(opts, &summary)?;
    Ok(summary)
}

/// The province targets: `--targets FILE`, or the bundled file.
fn load_targets(opts: &Options, frame: &Frame) -> Result<Targets> {
    let (text, origin) = match &opts.targets {
        None => (
            targets::TARGETS_CSV.to_string(),
            "data/synth/targets.csv".to_string(),
        ),
        Some(p) => (
            std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?,
            p.display().to_string(),
        ),
    };
    Targets::load(&text, &origin, &opts.years, frame)
}

/// The two output tables, created together: if the second cannot be, the
/// first is abandoned.
fn create_tables(
    opts: &Options,
    hh_path: &std::path::Path,
    mem_path: &std::path::Path,
    sample: bool,
) -> Result<(TableFile, TableFile)> {
    let hh_file = TableFile::create(hh_path, opts.format, true, sample)?;
    match TableFile::create(mem_path, opts.format, false, sample) {
        Ok(mem_file) => Ok((hh_file, mem_file)),
        Err(e) => {
            hh_file.abandon();
            Err(e)
        }
    }
}

/// The writer thread: appends each batch's blocks in order, and stops at
/// the first write error, handing back both files either way.
fn spawn_writer(
    rx: std::sync::mpsc::Receiver<Vec<Block>>,
    hh_file: TableFile,
    mem_file: TableFile,
) -> std::thread::JoinHandle<(Result<()>, TableFile, TableFile)> {
    std::thread::spawn(move || -> (Result<()>, TableFile, TableFile) {
        let (mut hf, mut mf) = (hh_file, mem_file);
        for batch in rx {
            for b in &batch {
                if let Err(e) = hf.write(&b.households).and_then(|_| mf.write(&b.members)) {
                    return (Err(e), hf, mf);
                }
            }
        }
        (Ok(()), hf, mf)
    })
}

/// Makes one survey year's blocks, `batch` at a time in parallel, and sends
/// each batch to the writer in order.
struct YearMaker<'a> {
    ctx: &'a Ctx<'a>,
    opts: &'a Options,
    plan: &'a Plan,
    blocks: u64,
    batch: u64,
    province_codes: Vec<&'a str>,
}

impl YearMaker<'_> {
    /// The year's summary; Err(Some) when a block failed, Err(None) when the
    /// writer stopped (its error is reported when it is joined).
    fn year(
        &self,
        yi: usize,
        year: i32,
        tx: &std::sync::mpsc::SyncSender<Vec<Block>>,
    ) -> std::result::Result<YearSummary, Option<Error>> {
        let mut ys = YearSummary {
            survey_year: year,
            ..Default::default()
        };
        let mut counts = vec![[0u64; 5]; self.province_codes.len()];
        let mut b0 = 0;
        while b0 < self.blocks {
            let b1 = (b0 + self.batch).min(self.blocks);
            let made: Vec<Block> = (b0..b1)
                .into_par_iter()
                .map(|b| block(self.ctx, self.opts, self.plan, b, yi))
                .collect::<Result<_>>()
                .map_err(Some)?;
            for b in &made {
                ys.households += b.n_households;
                ys.members += b.n_members;
                ys.weighted_households += b.weight;
                ys.weighted_poor += b.weight_poor;
                for (c, x) in counts.iter_mut().zip(&b.counts) {
                    for k in 0..5 {
                        c[k] += x[k];
                    }
                }
            }
            tx.send(made).map_err(|_| None)?;
            b0 = b1;
        }
        ys.classes = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.iter().sum::<u64>() > 0)
            .map(|(p, c)| (self.province_codes[p].to_string(), *c))
            .collect();
        Ok(ys)
    }
}

/// `.synth.json` beside the tables: the options that make them again, and
/// what they hold. Hidden, so `dachieu run DIR` skips it and a shell's
/// `DIR/*` does not pass it to `dachieu ingest`.
fn write_manifest(opts: &Options, s: &Summary) -> Result<()> {
    let json = serde_json::json!({
        "engine": format!("dachieu {}", env!("CARGO_PKG_VERSION")),
        "command": "synth",
        "options": {
            "households": opts.households,
            "years": opts.years,
            "seed": opts.seed,
            "missing_rate": opts.missing_rate,
            "format": opts.format.ext(),
            "sample": opts.sample.map(|s| match s {
                SampleSpec::Fraction(f) => serde_json::json!(f),
                SampleSpec::Count(n) => serde_json::json!(n),
            }),
            "provinces": opts.provinces,
            "targets": opts.targets.as_ref().map(|p| p.display().to_string()),
        },
        "summary": s,
    });
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    crate::files::write_atomic(&opts.out.join(".synth.json"), text.as_bytes())
}
