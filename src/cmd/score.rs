//! `dachieu score`: dataset → scored households and the undetermined list.

use super::Outcome;
use crate::out;
use crate::score::files::{score_dataset, ScoreSummary};
use crate::score::{MissingOverride, ScoreOptions};
use crate::standard;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Missing {
    /// Unknown stays unknown; the class is a range, `undetermined` when it matters (default).
    Unknown,
    /// Count every unknown indicator as not deprived (the optimistic bound).
    NotDeprived,
    /// Count every unknown indicator as deprived (the pessimistic bound).
    Deprived,
    /// Leave households with any unknown indicator out of the tables.
    Exclude,
}

impl Missing {
    pub fn to_override(self) -> MissingOverride {
        match self {
            Missing::Unknown => MissingOverride::Unknown,
            Missing::NotDeprived => MissingOverride::NotDeprived,
            Missing::Deprived => MissingOverride::Deprived,
            Missing::Exclude => MissingOverride::Exclude,
        }
    }
}

/// `--members none`: the only value; without the option, a standard that
/// reads members needs member records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Members {
    /// Score without member records: member-level indicators are unknown.
    None,
}

/// Options shared by `score` and `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct ScoreFlags {
    /// Standard: `auto` (each survey year under the national standard in
    /// force for it: 2016–2021 vn-2016-2020, 2022–2026 vn-2022-2025,
    /// 2027–2030 vn-2027-2030), a bundled id (see `dachieu standards list`)
    /// or a folder.
    #[arg(long, default_value = crate::standard::select::AUTO)]
    pub standard: String,
    /// Policy for unknown indicators (default: each indicator's own, `unknown` for the bundled standards).
    #[arg(long, value_enum)]
    pub missing: Option<Missing>,
    /// `none`: score households without member records (every member-level
    /// indicator unknown unless pre-coded as dep_<id>). Without it, a year
    /// with no member rows under a standard that reads members is an error.
    #[arg(long, value_enum, value_name = "none")]
    pub members: Option<Members>,
    /// Exit 1 when any household is undetermined.
    #[arg(long)]
    pub strict: bool,
    /// Number of worker threads (default and 0: all cores; at most 4 per
    /// core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

impl ScoreFlags {
    pub fn options(&self) -> ScoreOptions {
        ScoreOptions {
            missing: self.missing.map(Missing::to_override),
            no_members: self.members == Some(Members::None),
            ..Default::default()
        }
    }

    pub fn outcome(&self, s: &ScoreSummary) -> Outcome {
        if self.strict && s.undetermined > 0 {
            Outcome::Findings
        } else {
            Outcome::Success
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Dataset folder written by `dachieu ingest`.
    #[arg(long, default_value = "out/dataset")]
    pub dataset: PathBuf,
    /// Folder for scored households.
    #[arg(long, default_value = "out/scored")]
    pub out: PathBuf,
    /// Score only these survey years (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub years: Vec<i32>,
    #[command(flatten)]
    pub flags: ScoreFlags,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn print_summary(s: &ScoreSummary) -> anyhow::Result<()> {
    for w in &s.warnings {
        out!("warning: {w}");
    }
    for y in &s.years {
        let parts: Vec<String> = y
            .classes
            .iter()
            .map(|(c, n)| match (c.as_str(), y.severe) {
                ("poor", Some(s)) => format!("{c} {n} (severe {s})"),
                _ => format!("{c} {n}"),
            })
            .collect();
        out!(
            "survey year {} ({} {}{}): {} households scored: {}",
            y.survey_year,
            y.standard,
            y.standard_version,
            if y.standard_provisional {
                ", PROVISIONAL"
            } else {
                ""
            },
            y.households,
            parts.join(", ")
        );
    }
    if s.undetermined > 0 {
        out!(
            "{} household(s) undetermined: their class depends on unknown values; see the follow-up lists survey_year=*/{}",
            s.undetermined,
            crate::score::files::UNDETERMINED_FILE
        );
    }
    Ok(())
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    crate::progress::init(a.quiet);
    let choice = standard::Choice::parse(&a.flags.standard)?;
    let _lock = crate::outdir::begin(&a.out)?;
    let s = score_dataset(&choice, &a.dataset, &a.out, &a.flags.options(), &a.years)?;
    if !a.quiet {
        if let standard::Choice::Fixed(st) = &choice {
            out!("standard {} ({})", st.label(), st.origin);
        }
        print_summary(&s)?;
    }
    Ok(a.flags.outcome(&s))
}
