//! `dachieu synth`: write a synthetic population of Vietnam (households and
//! members in the data contract), calibrated to the published poverty rates.

use super::Outcome;
use crate::out;
use crate::synth::{self, sample::SampleSpec, write::Format};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of households in the whole country (Vietnam 2019: 26,870,079).
    #[arg(long)]
    pub households: u64,
    /// Survey years, increasing; the same households are followed across them.
    #[arg(long, value_delimiter = ',', default_value = "2020")]
    pub years: Vec<i32>,
    /// Random seed: the same seed and options give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Share of optional cells left blank (0 to below 1).
    #[arg(long, default_value_t = 0.0)]
    pub missing_rate: f64,
    /// Output format of the two tables.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Draw a stratified two-stage sample instead of a census: a fraction
    /// (0.01) or a number of households (20000); writes weight, stratum, psu.
    #[arg(long)]
    pub sample: Option<SampleSpec>,
    /// Only these provinces (GSO codes, e.g. 89,91,30): the same households
    /// as in the national population, the rest not written.
    #[arg(long, value_delimiter = ',')]
    pub provinces: Option<Vec<String>>,
    /// Calibration targets instead of the bundled data/synth/targets.csv.
    #[arg(long)]
    pub targets: Option<PathBuf>,
    /// Output folder: households.<format>, members.<format> and a hidden .synth.json.
    #[arg(long, default_value = "out/synth")]
    pub out: PathBuf,
    /// Number of worker threads (default and 0: all cores; at most 4 per
    /// core). The output does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    super::threads::init(a.threads);
    let start = Instant::now();
    let opts = synth::Options {
        households: a.households,
        years: a.years.clone(),
        seed: a.seed,
        missing_rate: a.missing_rate,
        format: a.format,
        sample: a.sample,
        provinces: a.provinces.clone(),
        targets: a.targets.clone(),
        out: a.out.clone(),
    };
    let s = synth::synth(&opts)?;
    if !a.quiet {
        let secs = start.elapsed().as_secs_f64();
        let hh: u64 = s.years.iter().map(|y| y.households).sum();
        let mem: u64 = s.years.iter().map(|y| y.members).sum();
        // Weighted in a sample: the rate of the population it represents.
        let poor: Vec<String> = s
            .years
            .iter()
            .map(|y| {
                let rate = y.weighted_poor / y.weighted_households.max(1e-9);
                format!("{} {:.2} % poor", y.survey_year, 100.0 * rate)
            })
            .collect();
        let design = if a.sample.is_some() {
            format!(", sample of {} PSUs in {} strata", s.psus, s.strata)
        } else {
            String::new()
        };
        out!(
            "synth: {hh} households, {mem} members ({}){design}, {} communes → {} ({:.0} MB) in {secs:.1} s ({:.0} households/s)",
            poor.join(", "),
            s.communes,
            a.out.display(),
            s.bytes as f64 / 1e6,
            hh as f64 / secs.max(1e-9),
        );
    }
    Ok(Outcome::Success)
}
