//! The people's workbook (`report/tables_vi.xlsx`, `tables_en.xlsx`), read
//! back with calamine as a person opens it: every sheet name and every cell
//! of every table's header row is a label of the catalogue of outputs in the
//! workbook's language (never the other language's, never a machine name
//! with `_`); no cell anywhere is a machine value (`national`, `household`,
//! `poor_rate`, an indicator id, a standard id); indicators are named by
//! their label; each year's total row comes first; counts stand beside
//! rates and equal the CSV tables'; the full estimate frame is not a sheet;
//! and a notes sheet names the standard, the date and the inputs' hashes.

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use dachieu::i18n::Lang;
use dachieu::measure::Measure;
use dachieu::schema::outputs::{fill, Var, CLASSES, FILES, LEVELS};
use std::collections::HashSet;
use std::path::Path;

/// What the catalogue says: every label in each language, every sheet
/// title, and every machine name (column names, variable values, measure,
/// indicator and standard ids).
struct Catalogue {
    labels: [HashSet<String>; 2],
    titles: [HashSet<String>; 2],
    indicator_labels: [HashSet<String>; 2],
    machine: HashSet<String>,
}

fn idx(lang: Lang) -> usize {
    match lang {
        Lang::Vi => 0,
        Lang::En => 1,
    }
}

/// The (value, vi, en) of the first variable in `pattern`, each value's
/// `vars`; one empty expansion when the pattern has no variable.
fn expansions(pattern: &str) -> Vec<Vec<(Var, String)>> {
    for var in [Var::Class, Var::Level, Var::Af] {
        if pattern.contains(&format!("<{}>", var.name())) {
            let values = var.values().unwrap();
            return (values.iter())
                .map(|(v, _, _)| vec![(var, v.to_string())])
                .collect();
        }
    }
    vec![Vec::new()]
}

fn catalogue() -> Catalogue {
    let mut c = Catalogue {
        labels: Default::default(),
        titles: Default::default(),
        indicator_labels: Default::default(),
        machine: HashSet::new(),
    };
    for f in FILES {
        for vars in expansions(f.stem()) {
            c.titles[0].insert(fill(f.vi, &vars, true));
            c.titles[1].insert(fill(f.en, &vars, false));
        }
        for col in f.columns {
            for vars in expansions(col.name) {
                c.labels[0].insert(fill(col.vi, &vars, true));
                c.labels[1].insert(fill(col.en, &vars, false));
                let mut name = col.name.to_string();
                for (var, v) in &vars {
                    name = name.replace(&format!("<{}>", var.name()), v);
                }
                if !name.contains('<') {
                    c.machine.insert(name);
                }
            }
        }
    }
    for (v, _, _) in CLASSES.iter().chain(LEVELS) {
        c.machine.insert(v.to_string());
    }
    for v in [
        "national",
        "total",
        "household",
        "person",
        "undetermined",
        "excluded",
        "census",
    ] {
        c.machine.insert(v.into());
    }
    let mut measures: Vec<Measure> = Measure::CLASS_MEASURES.to_vec();
    measures.extend(Measure::AF);
    measures.extend([
        Measure::CensoredHeadcount,
        Measure::Contribution,
        Measure::SubgroupContribution,
        Measure::UncensoredHeadcount,
        Measure::CountExactly,
        Measure::CountAtLeast,
    ]);
    for m in measures {
        c.machine.insert(m.name().to_string());
        c.machine.insert(m.person_name());
    }
    for id in dachieu::standard::bundled::ids() {
        c.machine.insert(id.to_string());
        let st = dachieu::standard::resolve(id).unwrap();
        for i in &st.indicators {
            c.machine.insert(i.id.clone());
            c.indicator_labels[0].insert(i.label_vi.clone());
            c.indicator_labels[1].insert(i.label_en.clone());
        }
    }
    c
}

/// The suffix of an estimated count's header (`report::xlsx::ESTIMATED`).
fn without_estimated(h: &str) -> &str {
    let (vi, en) = dachieu::report::xlsx::ESTIMATED;
    h.trim_end_matches(vi).trim_end_matches(en)
}

/// Everything wrong with the workbook at `path` in `lang`; empty when none.
fn problems(path: &Path, lang: Lang, cat: &Catalogue) -> Vec<String> {
    let (me, other) = (idx(lang), 1 - idx(lang));
    let mut out = Vec::new();
    let mut wb = open_workbook_auto(path).unwrap();
    for sheet in wb.sheet_names() {
        if sheet.contains('_') || cat.machine.contains(&sheet) {
            out.push(format!("sheet name {sheet:?} is a machine name"));
        }
        let range = wb.worksheet_range(&sheet).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        // Every cell of every sheet: no machine value. A form's row of
        // column numbers (A, B, (1), (2) …, as the official template numbers
        // them) is not one, though the measure A shares its letter.
        let text = |d: Option<&Data>| match d {
            Some(Data::String(s)) => s.trim().to_string(),
            _ => String::new(),
        };
        for (r, row) in rows.iter().enumerate() {
            if text(row.first()) == "A" && text(row.get(1)) == "B" {
                continue;
            }
            for (c, d) in row.iter().enumerate() {
                if let Data::String(s) = d {
                    if cat.machine.contains(s.trim()) {
                        out.push(format!("{sheet}!R{}C{}: machine value {s:?}", r + 1, c + 1));
                    }
                }
            }
        }
        let table = cat.titles[me].contains(&sheet) || cat.titles[other].contains(&sheet);
        if !cat.titles[me].contains(&sheet) && cat.titles[other].contains(&sheet) {
            out.push(format!("sheet name {sheet:?} is in the other language"));
        }
        if !table {
            continue;
        }
        let Some(header) = rows.first() else {
            out.push(format!("{sheet}: no header row"));
            continue;
        };
        for (c, d) in header.iter().enumerate() {
            let h = d.to_string();
            let base = without_estimated(&h);
            if h.contains('_') || cat.machine.contains(base) {
                out.push(format!("{sheet}: header {h:?} is a machine name"));
            } else if !cat.labels[me].contains(base) {
                let why = if cat.labels[other].contains(base) {
                    "a label of the other language"
                } else {
                    "not a label of the catalogue"
                };
                out.push(format!("{sheet}: header {h:?} is {why}"));
            }
            // The indicator column holds labels of the workbook's language.
            if base == label_of("indicator", lang) {
                for row in &rows[1..] {
                    let v = row.get(c).map(|d| d.to_string()).unwrap_or_default();
                    if !cat.indicator_labels[me].contains(&v) {
                        out.push(format!("{sheet}: indicator {v:?} is not a label"));
                    }
                }
            }
        }
    }
    out
}

/// The label of the column `name` of the indicator tables in `lang`.
fn label_of(name: &str, lang: Lang) -> String {
    let f = dachieu::schema::outputs::file_by_stem("indicators_province").unwrap();
    let (vi, en) = f.column(name).unwrap().labels();
    lang.t(&vi, &en).to_string()
}

/// A run of the bundled sample, dated, in a temporary folder.
fn sample_run() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let o = dachieu(
        tmp.path(),
        &["run", p(&sample_dir()), "--out", "out", "--quiet"],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    tmp
}

#[test]
fn the_peoples_workbooks_speak_their_language_without_machine_names() {
    let cat = catalogue();
    let tmp = sample_run();
    let report = tmp.path().join("out/report");
    for lang in [Lang::Vi, Lang::En] {
        let path = report.join(format!("tables_{}.xlsx", lang.code()));
        let found = problems(&path, lang, &cat);
        assert!(
            found.is_empty(),
            "{}:\n{}",
            path.display(),
            found.join("\n")
        );
    }
    let mut wb = open_workbook_auto(report.join("tables_vi.xlsx")).unwrap();
    let names = wb.sheet_names();
    assert!(!names.iter().any(|n| n == "Ước lượng"), "{names:?}");
    assert_eq!(names.last().map(String::as_str), Some("Ghi chú"));

    // The province rates: the total row first in each year, named as the
    // tables name it; counts beside rates, equal to the CSV's.
    let rates = wb.worksheet_range("Tỷ lệ theo tỉnh").unwrap();
    let rows: Vec<Vec<Data>> = rates.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
    let at = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h}: {header:?}"))
    };
    let (year, name, poor, pct) = (
        at("Năm khảo sát"),
        at("Tên đơn vị"),
        at("Số hộ nghèo"),
        at("Tỷ lệ hộ nghèo (%)"),
    );
    assert_eq!(pct, poor + 1, "the poor count stands beside its rate");
    at("Mã đơn vị");
    at("Số hộ cận nghèo");
    at("Số hộ chưa xác định");
    let mut reader =
        csv::Reader::from_path(tmp.path().join("out/tables/rates_province.csv")).unwrap();
    let cols: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |n: &str| cols.iter().position(|c| c == n).unwrap();
    // The total rows (their names, "6 tỉnh, thành phố trong dữ liệu", hold commas).
    let national: Vec<csv::StringRecord> = (reader.records())
        .map(Result::unwrap)
        .filter(|r| r[col("level")] == *"total")
        .collect();
    let mut last_year = None;
    let mut totals = 0;
    for row in &rows[1..] {
        let y = row[year].to_string();
        if last_year.as_ref() != Some(&y) {
            let total = national
                .iter()
                .find(|r| r[col("survey_year")] == y)
                .unwrap();
            assert_eq!(
                row[name].to_string(),
                total[col("name")],
                "year {y}: total row first"
            );
            assert_eq!(row[poor].to_string(), total[col("poor")], "year {y}");
            totals += 1;
            last_year = Some(y);
        }
    }
    assert_eq!(totals, national.len());

    // The notes: the standard and its legal basis in Vietnamese, the date,
    // each input with its hash from the manifest.
    let notes = wb.worksheet_range("Ghi chú").unwrap();
    let text: Vec<String> = notes
        .rows()
        .flat_map(|r| r.iter().map(|d| d.to_string()))
        .collect();
    let has = |s: &str| text.iter().any(|t| t.contains(s));
    assert!(
        has("Nghị định số 07/2021/NĐ-CP ngày 27/01/2021"),
        "{text:?}"
    );
    assert!(has("01/01/2026"), "the date of SOURCE_DATE_EPOCH: {text:?}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("out/manifest.json")).unwrap())
            .unwrap();
    for input in manifest["inputs"].as_array().unwrap() {
        assert!(has(input["sha256"].as_str().unwrap()), "{input}");
    }
}

#[test]
fn the_scan_finds_machine_headers_and_values() {
    use dachieu::export::{Column, Frame};
    let cat = catalogue();
    let dir = tempfile::tempdir().unwrap();
    let mut f = Frame::default();
    f.push("level", Column::Str(vec![Some("national".into())]));
    f.push("indicator", Column::Str(vec![Some("health_access".into())]));
    f.push("deprived_pct", Column::Float(vec![Some(1.0)]));
    f.push("made_up", Column::Float(vec![Some(1.0)]));
    let path = dir.path().join("bad_vi.xlsx");
    dachieu::report::write_workbook(&path, &[("indicators_province", &f)], Lang::Vi, &[]).unwrap();
    let found = problems(&path, Lang::Vi, &cat).join("\n");
    for want in [
        "machine value \"national\"",
        "machine value \"health_access\"",
        "header \"made_up\" is a machine name",
        "indicator \"health_access\" is not a label",
    ] {
        assert!(found.contains(want), "{want} not in:\n{found}");
    }
    // Headed in English, read as the Vietnamese workbook.
    let path = dir.path().join("bad_en.xlsx");
    dachieu::report::write_workbook(&path, &[("indicators_province", &f)], Lang::En, &[]).unwrap();
    let found = problems(&path, Lang::Vi, &cat).join("\n");
    for want in [
        "header \"Deprived (%)\" is a label of the other language",
        "sheet name \"Deprivations by province\" is in the other language",
    ] {
        assert!(found.contains(want), "{want} not in:\n{found}");
    }
}
