//! `dachieu synth`: the same bytes for the same seed whatever the threads;
//! what it writes ingests without a rejected row and scores, through the real
//! pipeline, to exactly the classes it drew; the rates come out at the
//! published figures within their sampling error; the sample design's
//! weights add up; missing values blank only optional cells.

use crate::common::*;
use crate::tolerance::*;
use arrow_array::cast::AsArray;
use arrow_array::Array;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn synth_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dachieu"));
    c.arg("synth").args(args).current_dir(cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("the binary runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn synth(cwd: &Path, args: &[&str]) -> Output {
    let o = synth_env(cwd, args, &[]);
    assert_eq!(o.code, 0, "synth {args:?}: {}{}", o.stdout, o.stderr);
    o
}

/// Ingest (no row may be quarantined) and score `input`; the scored batches.
/// The files are passed as a shell passes `DIR/*` (hidden ones left out).
fn ingest_and_score(dir: &Path, input: &Path) -> Vec<arrow_array::RecordBatch> {
    std::fs::create_dir_all(dir).unwrap();
    let ds = dir.join("dataset");
    let mut files: Vec<String> = std::fs::read_dir(input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| !f.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|f| p(&f).to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let q = dir.join("q.csv");
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--dataset", p(&ds), "--quarantine", p(&q), "-q"]);
    let o = dachieu(dir, &args);
    assert_eq!(
        o.code, 0,
        "ingest must accept every row: {}{}",
        o.stdout, o.stderr
    );
    let scored = dir.join("scored");
    let o = dachieu(dir, &["score", "--dataset", p(&ds), "--out", p(&scored)]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    dachieu::score::files::read_scored(&scored).unwrap()
}

/// Households per (year, province): [poor by income, poor by deprivation,
/// near-poor, average, not poor], the order of .synth.json.
fn scored_classes(batches: &[arrow_array::RecordBatch]) -> BTreeMap<(i64, String), [u64; 5]> {
    let mut out: BTreeMap<(i64, String), [u64; 5]> = BTreeMap::new();
    for b in batches {
        let year = dachieu::score::survey_year_of(b).unwrap();
        let prov = b
            .column_by_name("province_code")
            .unwrap()
            .as_string::<i32>();
        let class = b.column_by_name("class").unwrap().as_string::<i32>();
        let path = b.column_by_name("poor_path").unwrap().as_string::<i32>();
        for i in 0..b.num_rows() {
            let k = match (class.value(i), path.is_valid(i).then(|| path.value(i))) {
                ("poor", Some("deprivation")) => 1,
                ("poor", _) => 0,
                ("near_poor", _) => 2,
                ("average", _) => 3,
                ("not_poor", _) => 4,
                (other, _) => panic!("unexpected class {other}"),
            };
            out.entry((year, prov.value(i).to_string())).or_default()[k] += 1;
        }
    }
    out
}

/// The classes synth says it drew, from .synth.json.
fn drawn_classes(dir: &Path) -> BTreeMap<(i64, String), [u64; 5]> {
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(".synth.json")).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for y in j["summary"]["years"].as_array().unwrap() {
        let year = y["survey_year"].as_i64().unwrap();
        for (prov, c) in y["classes"].as_object().unwrap() {
            let v: Vec<u64> = c
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect();
            out.insert((year, prov.clone()), [v[0], v[1], v[2], v[3], v[4]]);
        }
    }
    out
}

/// (poor, near-poor) shares of the households of `year` in `provinces` (all when empty).
fn rates(c: &BTreeMap<(i64, String), [u64; 5]>, year: i64, provinces: &[&str]) -> (f64, f64, u64) {
    let (mut poor, mut near, mut n) = (0, 0, 0);
    for ((y, prov), x) in c {
        if *y == year && (provinces.is_empty() || provinces.contains(&prov.as_str())) {
            poor += x[0] + x[1];
            near += x[2];
            n += x.iter().sum::<u64>();
        }
    }
    (poor as f64 / n as f64, near as f64 / n as f64, n)
}

/// Binomial standard error of a share `p` from `n` households.
fn se(p: f64, n: u64) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt()
}

fn files(dir: &Path, ext: &str) -> Vec<Vec<u8>> {
    ["households", "members"]
        .iter()
        .map(|t| std::fs::read(dir.join(format!("{t}.{ext}"))).unwrap())
        .collect()
}

#[test]
fn synth_same_seed_gives_the_same_bytes_with_1_and_3_threads() {
    // CSV: 36,000 households in 3 blocks of 16,384 (two batches with one
    // thread, one with three); Parquet: two panel years. Missing values on.
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for (fmt, n, years) in [("csv", "36000", "2020"), ("parquet", "12000", "2020,2021")] {
        let base = [
            "--households",
            n,
            "--years",
            years,
            "--missing-rate",
            "0.02",
            "--format",
            fmt,
            "--quiet",
        ];
        let run = |dir: &str, extra: &[&str], env: &[(&str, &str)]| {
            let out = t.join(format!("{fmt}-{dir}"));
            let o = synth_env(t, &[&base[..], extra, &["--out", p(&out)]].concat(), env);
            assert_eq!(o.code, 0, "{}", o.stderr);
            files(&out, fmt)
        };
        let one = run("1", &["--seed", "7", "--threads", "1"], &[]);
        assert!(one[0].len() > 100_000, "{fmt}: {} bytes", one[0].len());
        assert!(
            one == run("3", &["--seed", "7", "--threads", "3"], &[]),
            "{fmt}: 1 vs 3 threads"
        );
        if fmt == "csv" {
            let env = run("env", &["--seed", "7"], &[("RAYON_NUM_THREADS", "2")]);
            assert!(one == env, "RAYON_NUM_THREADS=2");
        }
        let other = run("seed8", &["--seed", "8"], &[]);
        assert!(
            one[0] != other[0] && one[1] != other[1],
            "{fmt}: another seed, other bytes"
        );
    }
}

#[test]
fn synth_scored_classes_are_exactly_the_drawn_ones_in_every_province_and_year() {
    // Through the real ingest and scorer: every household lands in the class
    // synth drew for it (the rule is applied to what synth wrote, not trusted).
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    synth(
        t,
        &[
            "--households",
            "12000",
            "--years",
            "2020,2021",
            "--seed",
            "3",
            "--out",
            "syn",
            "-q",
        ],
    );
    let scored = scored_classes(&ingest_and_score(t, &t.join("syn")));
    let drawn = drawn_classes(&t.join("syn"));
    assert_eq!(scored.len(), 2 * 63, "63 provinces in both years");
    assert_eq!(scored, drawn);
    // The panel's second year: the national 2021 rate (published 2.23 %)
    // within 4 binomial standard errors (about ±0.54 points at 12,000).
    let (poor, _, n) = rates(&scored, 2021, &[]);
    assert!(
        (poor - 0.0223).abs() < TARGET_IN_BINOMIAL_SES * se(0.0223, n),
        "2021 national poor {poor} (n = {n})"
    );
    // Households are followed: most 2020 ids reappear in 2021, some new.
    let hh = read_rows(&t.join("syn/households.csv"));
    let ids = |y: &str| -> std::collections::BTreeSet<String> {
        hh.iter()
            .filter(|r| r["survey_year"] == y)
            .map(|r| r["household_id"].clone())
            .collect()
    };
    let (a, b) = (ids("2020"), ids("2021"));
    let kept = a.intersection(&b).count() as f64 / a.len() as f64;
    assert!(kept > 0.97 && kept < 1.0, "share followed {kept}");
    assert!(b.difference(&a).count() > 100, "new households in 2021");
}

#[test]
fn synth_calibration_national_and_published_provinces() {
    // Scored by the pipeline, the rates equal the targets up to sampling
    // error (the classes are exact, previous test). Tolerance: 4 binomial
    // standard errors at the draw's size — national 2020 at 60,000
    // households: 2.75 % ± 0.27 points; An Giang, Kiên Giang, Hải Dương from
    // a 1-million frame (about 20,000 households each): poor ± 0.4, near-poor
    // ± 0.6 points. A biased generator would miss by more; a fair one fails
    // about once in 15,000 runs (and never with these fixed seeds).
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    synth(
        t,
        &[
            "--households",
            "60000",
            "--seed",
            "11",
            "--out",
            "nat",
            "-q",
        ],
    );
    let nat = scored_classes(&ingest_and_score(&t.join("n"), &t.join("nat")));
    let (poor, _, n) = rates(&nat, 2020, &[]);
    assert_eq!(n, 60_000);
    assert!(
        (poor - 0.0275).abs() < TARGET_IN_BINOMIAL_SES * se(0.0275, n),
        "national 2020 poor {poor}"
    );

    synth(
        t,
        &[
            "--households",
            "1000000",
            "--provinces",
            "89,91,30",
            "--seed",
            "12",
            "--out",
            "three",
            "-q",
        ],
    );
    let three = scored_classes(&ingest_and_score(&t.join("t"), &t.join("three")));
    for (prov, tp, tn) in [
        ("89", 0.0190, 0.0494),
        ("91", 0.0191, 0.0421),
        ("30", 0.0136, 0.0200),
    ] {
        let (poor, near, n) = rates(&three, 2020, &[prov]);
        assert!(n > 15_000, "{prov}: {n} households");
        assert!(
            (poor - tp).abs() < TARGET_IN_BINOMIAL_SES * se(tp, n),
            "{prov} poor {poor} vs {tp} (n = {n})"
        );
        assert!(
            (near - tn).abs() < TARGET_IN_BINOMIAL_SES * se(tn, n),
            "{prov} near-poor {near} vs {tn} (n = {n})"
        );
    }
    assert_eq!(three.len(), 3, "only the three provinces are written");
}

#[test]
fn synth_sample_weights_add_up_per_stratum_with_two_psus_each() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    synth(
        t,
        &[
            "--households",
            "200000",
            "--sample",
            "0.02",
            "--seed",
            "5",
            "--out",
            "smp",
            "-q",
        ],
    );
    let rows = read_rows(&t.join("smp/households.csv"));
    let mut weight: BTreeMap<String, f64> = BTreeMap::new();
    let mut psus: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    let mut psu_commune: BTreeMap<String, String> = BTreeMap::new();
    for r in &rows {
        *weight.entry(r["stratum"].clone()).or_default() += r["weight"].parse::<f64>().unwrap();
        psus.entry(r["stratum"].clone())
            .or_default()
            .insert(r["psu"].clone());
        // A PSU is one laid-out commune, which lies in one real commune.
        let commune = psu_commune
            .entry(r["psu"].clone())
            .or_insert(r["commune_code"].clone());
        assert_eq!(*commune, r["commune_code"], "psu {}", r["psu"]);
    }
    // Households per stratum of the frame synth laid out.
    let frame = dachieu::synth::frame::Frame::build(200_000).unwrap();
    let mut pop: BTreeMap<String, u64> = BTreeMap::new();
    for c in &frame.communes {
        let s = format!(
            "{}-{}",
            frame.provinces[c.province].code,
            if c.urban { "urban" } else { "rural" }
        );
        *pop.entry(s).or_default() += c.len;
    }
    assert_eq!(weight.len(), pop.len(), "every stratum is sampled");
    for (s, n) in &pop {
        assert!(
            (weight[s] - *n as f64).abs() < WEIGHTS_SUM_REL * *n as f64,
            "{s}: weights {} vs {n}",
            weight[s]
        );
        assert!(psus[s].len() >= 2, "{s}: {} PSU", psus[s].len());
    }
    let total: f64 = weight.values().sum();
    assert!((total - 200_000.0).abs() < WEIGHTS_TOTAL_ABS, "{total}");
    assert!(
        (rows.len() as f64 / 4000.0 - 1.0).abs() < SAMPLE_SIZE_REL,
        "{} sampled",
        rows.len()
    );
    // The sample goes through the whole pipeline, standard errors included
    // (a stratum with one PSU would stop it under the default lonely-PSU policy).
    let o = dachieu(t, &["run", "smp", "--out", "out", "--no-report", "--quiet"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let est = read_rows(&t.join("out/tables/estimates.csv"));
    assert!(
        est.iter()
            .any(|r| r.get("se").is_some_and(|s| !s.is_empty())),
        "standard errors"
    );
}

#[test]
fn synth_missing_values_blank_only_optional_cells_of_the_same_population() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let args = [
        "--households",
        "8000",
        "--years",
        "2020,2021",
        "--seed",
        "4",
        "-q",
    ];
    synth(t, &[&args[..], &["--out", "full"]].concat());
    synth(
        t,
        &[&args[..], &["--out", "gaps", "--missing-rate", "0.05"]].concat(),
    );
    for (table, schema) in [
        ("households", dachieu::schema::HOUSEHOLD_COLUMNS),
        ("members", dachieu::schema::MEMBER_COLUMNS),
    ] {
        let full = read_rows(&t.join(format!("full/{table}.csv")));
        let gaps = read_rows(&t.join(format!("gaps/{table}.csv")));
        assert_eq!(full.len(), gaps.len());
        let (mut cells, mut blanked) = (0u64, 0u64);
        for (f, g) in full.iter().zip(&gaps) {
            for c in schema {
                let Some(fv) = f.get(c.name) else { continue };
                let gv = &g[c.name];
                if gv.is_empty() && !fv.is_empty() {
                    assert!(
                        !c.required,
                        "{table}.{}: a required cell was blanked",
                        c.name
                    );
                    assert!(
                        !["district_code", "commune_code"].contains(&c.name),
                        "geography blanked"
                    );
                    blanked += 1;
                } else {
                    assert_eq!(fv, gv, "{table}.{}: only blanks differ", c.name);
                }
                if !fv.is_empty()
                    && !c.required
                    && !["district_code", "commune_code"].contains(&c.name)
                {
                    cells += 1;
                }
            }
        }
        let rate = blanked as f64 / cells as f64;
        assert!((rate - 0.05).abs() < MISSING_RATE_ABS, "{table}: {rate}");
    }
    // Blank optional cells are valid input: nothing is quarantined.
    let o = dachieu(
        t,
        &[
            "ingest",
            "gaps",
            "--dataset",
            "ds",
            "--quarantine",
            "q.csv",
            "-q",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
}

#[test]
fn synth_a_province_alone_is_the_same_rows_as_in_the_national_population() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    synth(
        t,
        &[
            "--households",
            "10000",
            "--years",
            "2020,2021",
            "--out",
            "all",
            "-q",
        ],
    );
    synth(
        t,
        &[
            "--households",
            "10000",
            "--years",
            "2020,2021",
            "--provinces",
            "30",
            "--out",
            "hd",
            "-q",
        ],
    );
    for table in ["households", "members"] {
        let text = std::fs::read_to_string(t.join(format!("all/{table}.csv"))).unwrap();
        let hd = std::fs::read_to_string(t.join(format!("hd/{table}.csv"))).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        // Hải Dương's household ids, from the national households file.
        let ids: std::collections::BTreeSet<String> = read_rows(&t.join("all/households.csv"))
            .into_iter()
            .filter(|r| r["province_code"] == "30")
            .map(|r| r["household_id"].clone())
            .collect();
        let expected: Vec<&str> = lines
            .filter(|l| ids.contains(l.split(',').nth(1).unwrap()))
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(
            hd,
            format!("{header}\n{}\n", expected.join("\n")),
            "{table}"
        );
    }
}

#[test]
fn synth_refuses_a_folder_holding_other_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(&t.join("busy/other.csv"), "survey_year,household_id\n");
    let o = synth_env(t, &["--households", "100", "--out", "busy"], &[]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("other.csv"), "{}", o.stderr);
    // Its own earlier output is replaced.
    synth(t, &["--households", "100", "--out", "mine", "-q"]);
    synth(t, &["--households", "200", "--out", "mine", "-q"]);
    assert_eq!(read_rows(&t.join("mine/households.csv")).len(), 200);
}
