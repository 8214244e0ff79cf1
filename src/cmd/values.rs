//! The command-line spelling of the library's option types. The library
//! types carry no clap derives: their names and help on the command line
//! are given here, once each.

use crate::export::Format;
use crate::i18n::Lang;
use crate::measure::design::LonelyPsu;
use crate::measure::Level;
use crate::standard::expr::dialect::Dialect;
use crate::synth::write::Format as SynthFormat;
use clap::builder::PossibleValue;

/// `impl clap::ValueEnum` for a library enum: each variant, its name on the
/// command line, and its help when it has one.
macro_rules! value_enum {
    ($ty:ident { $($v:ident => $name:literal $(: $help:literal)?),* $(,)? }) => {
        impl clap::ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($ty::$v),*]
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $($ty::$v => PossibleValue::new($name)$(.help($help))?,)*
                })
            }
        }
    };
}

value_enum!(Lang { Vi => "vi", En => "en" });

/// The named levels (a column of the data, `--by COLUMN`, is read by
/// `Level::parse`, not listed here).
impl clap::ValueEnum for Level {
    fn value_variants<'a>() -> &'a [Self] {
        &Level::NAMED
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        let v = PossibleValue::new(self.name());
        Some(match self {
            Level::Unit2025 => {
                v.help("The 34 provincial units from 1 July 2025, through the crosswalk")
            }
            Level::Column(_) => return None,
            _ => v,
        })
    }
}

value_enum!(Format {
    Csv => "csv",
    Json => "json",
    Parquet => "parquet",
});

value_enum!(SynthFormat {
    Csv => "csv",
    Parquet => "parquet",
});

value_enum!(LonelyPsu {
    Fail => "fail": "Refuse to estimate a variance (R's default)",
    Adjust => "adjust": "Centre the lonely PSU at the population mean instead of its stratum mean",
    Remove => "remove": "The stratum contributes nothing to the variance",
    Certainty => "certainty": "Treat the PSU as sampled with certainty: no contribution",
});

value_enum!(Dialect {
    Duckdb => "duckdb": "DuckDB (tested: the query is run against the engine in the tests)",
    Spark => "spark": "Spark SQL 3.x (`spark-sql`, PySpark's `spark.sql`)",
    Ansi => "ansi": "Standard SQL, for other engines; adapt where yours differs",
});

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    /// Every variant has its name, and each name reads back as its variant.
    #[test]
    fn names_read_back() {
        for l in Level::value_variants() {
            assert_eq!(Level::from_str(l.name(), false), Ok(*l));
        }
        for l in Lang::value_variants() {
            assert_eq!(Lang::from_str(l.code(), false), Ok(*l));
        }
        for f in Format::value_variants() {
            assert_eq!(Format::from_str(f.ext(), false), Ok(*f));
        }
        for p in LonelyPsu::value_variants() {
            assert_eq!(LonelyPsu::from_str(p.name(), false), Ok(*p));
        }
        assert_eq!(Dialect::value_variants().len(), 3);
        assert_eq!(SynthFormat::value_variants().len(), 2);
    }
}
