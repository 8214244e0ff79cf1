//! `dachieu template`: the Excel input template, to fill in Excel and give
//! to `ingest` or `run` as it is.

use super::Outcome;
use crate::i18n::Lang;
use crate::ingest::template;
use crate::out;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the workbook.
    #[arg(long, default_value = template::DEFAULT_FILE)]
    pub out: PathBuf,
    /// Language of the headers and notes (ingest reads either).
    #[arg(long, value_enum, default_value = "vi")]
    pub lang: Lang,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    template::write_template(&a.out, a.lang)?;
    out!(
        "wrote {} (sheets households and members to fill, notes and province codes to read)",
        a.out.display()
    );
    Ok(Outcome::Success)
}
