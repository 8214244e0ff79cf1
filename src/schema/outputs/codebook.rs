//! The codebook `docs/outputs.md`, written from the catalogue: every file,
//! every column with its type, unit, labels and meaning.

use super::{OutFile, OutType, Var, FILES};
use std::fmt::Write;

/// The codebook as Markdown.
pub fn codebook() -> String {
    let mut s = String::new();
    s.push_str(HEAD);
    s.push_str("\n## Variable parts of names\n\n");
    s.push_str(
        "A name with a part in angle brackets stands for one column (or file) per value:\n\n",
    );
    for var in [Var::Class, Var::Level, Var::Af, Var::Year, Var::Indicator] {
        let _ = write!(s, "- `<{}>`: ", var.name());
        match var.values() {
            Some(list) => {
                let values: Vec<String> = list
                    .iter()
                    .map(|(n, vi, en)| format!("`{n}` ({vi} / {en})"))
                    .collect();
                let _ = writeln!(s, "{}.", values.join(", "));
            }
            None if var == Var::Year => s.push_str("a survey year, four digits.\n"),
            None => s.push_str(
                "an indicator id of the year's standard (`dachieu standards show <standard>` lists them).\n",
            ),
        }
    }
    s.push_str("\n## Types\n\n");
    for ty in [
        OutType::Text,
        OutType::Int,
        OutType::Float,
        OutType::Bool,
        OutType::Percent,
        OutType::PercentagePoints,
    ] {
        let _ = writeln!(s, "- {}: {}", ty.name(), type_meaning(ty));
    }
    for f in FILES {
        file_section(&mut s, f);
    }
    s
}

const HEAD: &str = "# Output files and their columns (codebook)

Generated from the catalogue in `src/schema/outputs/`; do not edit by hand.
`UPDATE_GOLDEN=1 cargo test codebook` rewrites this file after a
change of the catalogue, and a test fails while the two differ. Another test
holds the catalogue against the files a run writes: every column of every
output is here with its type, and every entry here appears in some output.

Column names are the same in every format (CSV, JSON, Parquet). The Parquet
files carry each column's description, labels, unit and type in the field
metadata (`description`, `label_vi`, `label_en`, `unit`, `type`). The Excel
workbooks (`report/tables_vi.xlsx`, `report/tables_en.xlsx`) are for people:
they use the labels as sheet names and headers, and hold the rate and
indicator tables with counts beside rates, units by code and name,
indicators by their label (never an id), each year's total row first, and
a notes sheet (standard, legal basis, date of the run, input files with
their SHA-256, options); the machine columns (`level`, `standard`, person
rates, `af_…`, `cell_flags`) and the full estimate frame (`estimates`,
`estimates_change`) are only in the CSV, JSON and Parquet files, for tools.
A missing value is an empty CSV cell, JSON
`null` or Parquet null, never NaN. Paths are relative to the output folder
(`out/` by default); `bridge_…` files go to the folder `dachieu bridge
--out` names.
";

fn type_meaning(ty: OutType) -> &'static str {
    match ty {
        OutType::Text => "text (codes and ids are text, so `01` keeps its zero).",
        OutType::Int => "whole number (Parquet Int64; the scored file's counts UInt8).",
        OutType::Float => {
            "real number (Parquet Float64): weighted counts, proportions 0–1, indices."
        }
        OutType::Bool => "true / false (Parquet Boolean); empty when unknown.",
        OutType::Percent => "real number 0–100, a percentage (Parquet Float64).",
        OutType::PercentagePoints => {
            "real number, a difference of two percentages (Parquet Float64)."
        }
    }
}

fn file_section(s: &mut String, f: &OutFile) {
    let exts = if f.formats.len() == 1 {
        f.formats[0].to_string()
    } else {
        format!("{{{}}}", f.formats.join(","))
    };
    let _ = write!(
        s,
        "\n## `{}.{exts}`\n\n{} ({} / {}; written by {})\n\n",
        f.path,
        text(f.about),
        text(f.vi),
        text(f.en),
        f.written_by
    );
    s.push_str("| column | type | unit | nhãn | label | meaning |\n|---|---|---|---|---|---|\n");
    for c in f.columns {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} |",
            c.name,
            c.ty.name(),
            c.unit,
            text(c.vi),
            text(c.en),
            text(c.about)
        );
    }
}

/// Text for a Markdown table cell: `|` escaped, `<var>` kept visible.
fn text(t: &str) -> String {
    t.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
