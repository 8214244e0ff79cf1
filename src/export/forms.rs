//! The official summary forms as tidy tables for tools (`tables/form_lists`,
//! `tables/form_deprivations`): one row per review, list, unit and area,
//! the counts of `measure::forms` under machine names; the workbook lays
//! the same counts out as the templates are (`report::forms`).

use super::{Column, Frame};
use crate::measure::forms::{Forms, RowKey};
use crate::measure::{group_name, Level, Names};

/// Percent of `n` in `of` (None when `of` is 0).
pub fn pct(n: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| 100.0 * n as f64 / of as f64)
}

/// The level, code, name and area columns of a row of a form.
fn place(f: &Forms, k: &RowKey, names: &Names) -> [Option<String>; 4] {
    let level = f.level;
    let area = k.area.map(|a| a.name().to_string());
    match (&k.code, k.area) {
        (Some(code), _) => [
            Some(level.name().to_string()),
            Some(code.clone()),
            names.name(level, f.year, code),
            area,
        ],
        (None, Some(a)) => [
            Some(Level::Area.name().to_string()),
            Some(a.name().to_string()),
            group_name(Level::Area, a.name()),
            area,
        ],
        (None, None) => [
            Some(Level::Total.name().to_string()),
            Some("VN".to_string()),
            // The scope of the year's records ("Tỉnh Điện Biên", "Toàn
            // quốc"), as the run's other tables name it.
            Some(names.total(f.year, crate::i18n::Lang::Vi)),
            None,
        ],
    }
}

fn str_col(rows: &[[Option<String>; 4]], i: usize) -> Column {
    Column::Str(rows.iter().map(|r| r[i].clone()).collect())
}

fn ints(v: impl Iterator<Item = Option<u64>>) -> Column {
    Column::Int(v.map(|x| x.map(|x| x as i64)).collect())
}

/// The movement forms of every review, one row per (review, list, row).
pub fn lists_frame(forms: &[Forms], names: &Names) -> Frame {
    let mut keys = Vec::new();
    let mut places = Vec::new();
    let mut counts = Vec::new();
    for f in forms {
        for l in &f.lists {
            for (k, c) in &l.rows {
                keys.push((f.previous, f.year, l.list.name()));
                places.push(place(f, k, names));
                counts.push(c.clone());
            }
        }
    }
    let mut out = Frame::default();
    out.push(
        "from_year",
        Column::Int(keys.iter().map(|k| Some(k.0)).collect()),
    );
    out.push(
        "to_year",
        Column::Int(keys.iter().map(|k| Some(k.1)).collect()),
    );
    out.push(
        "list",
        Column::Str(keys.iter().map(|k| Some(k.2.to_string())).collect()),
    );
    for (i, name) in ["level", "code", "name", "area"].into_iter().enumerate() {
        out.push(name, str_col(&places, i));
    }
    let t = |f: fn(&crate::measure::movement::Tally) -> u64| {
        ints(counts.iter().map(|c| Some(f(&c.tally))))
    };
    out.push(
        "households",
        ints(counts.iter().map(|c| Some(c.households))),
    );
    out.push("start", t(|t| t.start));
    out.push(
        "start_minority",
        ints(counts.iter().map(|c| c.start_minority)),
    );
    out.push("left", t(|t| t.left));
    out.push("gone", t(|t| t.gone));
    out.push("fell_back", t(|t| t.fell_back));
    out.push("new", t(|t| t.new));
    out.push("to_undetermined", t(|t| t.to_undetermined));
    out.push("from_undetermined", t(|t| t.from_undetermined));
    out.push("end", t(|t| t.end));
    out.push(
        "end_pct",
        Column::Float(
            counts
                .iter()
                .map(|c| pct(c.tally.end, c.households))
                .collect(),
        ),
    );
    out.push("end_minority", ints(counts.iter().map(|c| c.end_minority)));
    out.push(
        "end_minority_pct",
        Column::Float(
            (counts.iter())
                .map(|c| c.end_minority.and_then(|m| pct(m, c.tally.end)))
                .collect(),
        ),
    );
    out
}

/// The deprivation forms of every review, one row per (review, list, row,
/// indicator).
pub fn deprivations_frame(forms: &[Forms], names: &Names) -> Frame {
    let mut keys: Vec<(i64, &str, String)> = Vec::new();
    let mut places = Vec::new();
    let mut counts: Vec<[u64; 3]> = Vec::new();
    for f in forms {
        for d in &f.deprivation {
            for (k, c) in &d.rows {
                for (j, id) in d.indicators.iter().enumerate() {
                    keys.push((f.year, d.list.name(), id.clone()));
                    places.push(place(f, k, names));
                    counts.push([c.households, c.deprived[j], c.unknown[j]]);
                }
            }
        }
    }
    let mut out = Frame::default();
    out.push(
        "survey_year",
        Column::Int(keys.iter().map(|k| Some(k.0)).collect()),
    );
    out.push(
        "list",
        Column::Str(keys.iter().map(|k| Some(k.1.to_string())).collect()),
    );
    for (i, name) in ["level", "code", "name", "area"].into_iter().enumerate() {
        out.push(name, str_col(&places, i));
    }
    out.push(
        "indicator",
        Column::Str(keys.iter().map(|k| Some(k.2.clone())).collect()),
    );
    out.push("households", ints(counts.iter().map(|c| Some(c[0]))));
    out.push("deprived", ints(counts.iter().map(|c| Some(c[1]))));
    out.push(
        "deprived_pct",
        Column::Float(counts.iter().map(|c| pct(c[1], c[0])).collect()),
    );
    out.push("unknown", ints(counts.iter().map(|c| Some(c[2]))));
    out
}
