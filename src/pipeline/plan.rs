//! What a run is asked to do, as data: the command line, a notebook or the
//! local web page fill one [`Plan`].

use crate::export::Format;
use crate::i18n::Lang;
use crate::ingest::IngestOptions;
use crate::measure::Level;
use crate::measure::StatsOptions;
use crate::score::ScoreOptions;
use crate::standard::Choice;
use std::path::PathBuf;

/// Everything a run needs.
pub struct Plan {
    /// Folders or files of input records.
    pub inputs: Vec<PathBuf>,
    /// The output folder: dataset/, scored/, tables/, compare/, lists/, report/,
    /// quarantine.csv, manifest.json.
    pub out: PathBuf,
    pub standard: Choice,
    /// Encoding of CSV files that are not UTF-8 and carry no byte-order mark.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub score: ScoreOptions,
    /// Recorded in the manifest; the exit code it implies is the caller's.
    pub strict: bool,
    pub tables: TablePlan,
    /// Write the charts, HTML report and workbook.
    pub report: bool,
    /// The languages of the report (recorded even without one).
    pub langs: Vec<Lang>,
}

/// The tables a run writes.
pub struct TablePlan {
    /// Grouping levels besides the total, in the order asked for; empty:
    /// the breakdown the data call for (`Coverage::default_levels`: by
    /// province, or by district for one province's records).
    pub levels: Vec<Level>,
    pub formats: Vec<Format>,
    /// Cut-offs, lonely PSUs, small cells (its `groupings` are `levels`),
    /// and the user's unit names (`names.user`; the run adds its scope).
    pub stats: StatsOptions,
}

impl Plan {
    /// The ingest options of this plan: under `--standard auto`, rows of a
    /// year no bundled standard covers are quarantined rather than stopping
    /// the run.
    pub fn ingest_options(&self) -> crate::error::Result<IngestOptions> {
        super::ingest_options(self.encoding, Some(&self.standard))
    }

    /// The options as the manifest records them.
    pub fn options_json(&self, levels: &[Level]) -> serde_json::Value {
        let t = &self.tables;
        serde_json::json!({
            "missing": self.score.missing.map(|m| m.name()).unwrap_or("per-indicator"),
            "strict": self.strict,
            "by": levels.iter().map(|l| l.name()).collect::<Vec<_>>(),
            "formats": t.formats.iter().map(|f| f.ext()).collect::<Vec<_>>(),
            "k": t.stats.ks.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            "lonely_psu": t.stats.lonely.name(),
            "min_cell": t.stats.min_cell,
            "suppress": t.stats.suppress,
            "report": self.report,
            "lang": self.langs.iter().map(|l| l.code()).collect::<Vec<_>>(),
        })
    }
}
