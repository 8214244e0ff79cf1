//! Comparing two survey years: the rates in each year and their change
//! (with its standard error for samples), and, for households present in
//! both years, the transitions between classes — who left poverty, who
//! entered it, who stayed — with a follow-up list of newly poor and newly
//! near-poor households for commune officers. Households that appear or
//! disappear are counted as `absent` on the other side, never dropped.

mod cells;
pub mod files;

use crate::error::{Error, Result};
use crate::measure::{estimate, StatsOptions};
use crate::score::classify::Class;
use crate::score::scheme::Scheme;
use crate::score::view::Scored;
use crate::table::frame::{Column, Frame};
use crate::table::{group_name, indicator_ids, Groups, Level, YearStandard};
use arrow_array::{Array, RecordBatch};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The class states a household can be in: the classes of the standards
/// compared (in the engine's order: poor, near-poor, vulnerable, average,
/// not poor), then undetermined, excluded, and `absent` when it has no
/// record. Poor is always state 0.
#[derive(Debug, Clone)]
struct States {
    names: Vec<String>,
    /// The class counted beside the poor (near-poor, or vulnerable).
    near: Option<usize>,
}

impl States {
    fn of(schemes: &[Scheme]) -> States {
        let mut names: Vec<String> = Class::ALL
            .iter()
            .map(|c| c.name())
            .filter(|c| schemes.iter().any(|s| s.has(c)))
            .map(str::to_string)
            .collect();
        names.extend(["undetermined", "excluded", "absent"].map(String::from));
        let near = schemes
            .iter()
            .find_map(|s| s.near.clone())
            .and_then(|n| names.iter().position(|x| *x == n));
        States { names, near }
    }
    fn n(&self) -> usize {
        self.names.len()
    }
    fn absent(&self) -> usize {
        self.names.len() - 1
    }
    fn undetermined(&self) -> usize {
        self.names.len() - 3
    }
    fn of_class(&self, class: &str) -> usize {
        self.names[..self.absent()]
            .iter()
            .position(|s| s == class)
            .unwrap_or(self.undetermined())
    }
}

/// One year's households: id → (state, group code, row).
fn households<'a>(
    b: &'a RecordBatch,
    ids: &[String],
    level: Level,
    states: &States,
) -> Result<HashMap<&'a str, (usize, String, usize)>> {
    let v = Scored::new(b, ids)?;
    let hid = v.ids()?;
    let groups = Groups::new(b);
    let mut out = HashMap::with_capacity(b.num_rows());
    for i in 0..b.num_rows() {
        out.insert(
            hid.value(i),
            (
                states.of_class(v.class.value(i)),
                groups.code(level, i).to_string(),
                i,
            ),
        );
    }
    Ok(out)
}

pub struct Comparison {
    pub rates: Frame,
    pub matrix: Frame,
    pub summary: Frame,
    pub follow_up: Frame,
}

fn batch_of(scored: &[RecordBatch], year: i64) -> Result<&RecordBatch> {
    scored
        .iter()
        .find(|b| crate::score::survey_year_of(b) == Some(year))
        .ok_or_else(|| {
            Error::Usage(format!(
                "survey year {year} has not been scored; score it first"
            ))
        })
}

/// Households by (state before, state after).
type Matrix = Vec<Vec<u64>>;

#[derive(Clone)]
struct Counts {
    matrix: Matrix,
}

pub fn compare(
    scored: &[RecordBatch],
    from: i64,
    to: i64,
    level: Level,
    opts: &StatsOptions,
) -> Result<Comparison> {
    if from >= to {
        return Err(Error::Usage(format!(
            "--from {from} must be before --to {to}"
        )));
    }
    let (b0, b1) = (batch_of(scored, from)?, batch_of(scored, to)?);
    // Each year under its own standard (the two may differ: 2021 under
    // Decision 59/2015, 2022 under Decree 07/2021).
    // The class states are those of both standards.
    let (s0, s1) = (YearStandard::of(b0), YearStandard::of(b1));
    let states = States::of(&[s0.scheme.clone(), s1.scheme.clone()]);
    let (h0, h1) = (
        households(b0, &s0.ids, level, &states)?,
        households(b1, &s1.ids, level, &states)?,
    );

    let counts = transitions(&h0, &h1, &states);
    let mut matrix = matrix_frame(&counts, from, to, level, &states);
    let mut summary = summary_frame(&counts, from, to, level, &states);
    for f in [&mut matrix, &mut summary] {
        let n = f.rows();
        f.push("standard_from", Column::Str(vec![Some(s0.id.clone()); n]));
        f.push("standard_to", Column::Str(vec![Some(s1.id.clone()); n]));
    }
    let rule = crate::table::cells::CellRule::of(opts.min_cell, opts.suppress);
    if let Some(rule) = &rule {
        cells::apply_transitions(rule, &mut matrix, &mut summary);
    }
    // The follow-up list names households for the commune officer: it is
    // not a statistical table, and small cells do not apply to it.
    let mut follow_up = follow_up_frame(b1, &h0, &h1, &s1.ids, from, to, &states)?;
    let n = follow_up.rows();
    follow_up.push("standard_to", Column::Str(vec![Some(s1.id.clone()); n]));
    let rates = rates_frame(scored, from, to, level, opts, (&s0, &s1))?;
    Ok(Comparison {
        rates,
        matrix,
        summary,
        follow_up,
    })
}

/// Transitions per group (of the first side; of the second for households
/// only there) and nationally, between the classes of two scorings.
fn transitions(
    h0: &HashMap<&str, (usize, String, usize)>,
    h1: &HashMap<&str, (usize, String, usize)>,
    states: &States,
) -> BTreeMap<String, Counts> {
    let (n, absent) = (states.n(), states.absent());
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut all: BTreeSet<&str> = h0.keys().copied().collect();
    all.extend(h1.keys().copied());
    for id in &all {
        let a = h0.get(id);
        let b = h1.get(id);
        let s0 = a.map(|x| x.0).unwrap_or(absent);
        let s1 = b.map(|x| x.0).unwrap_or(absent);
        let group = a.or(b).map(|x| x.1.clone()).unwrap_or_default();
        for g in [group, "VN".to_string()] {
            counts
                .entry(g)
                .or_insert_with(|| Counts {
                    matrix: vec![vec![0; n]; n],
                })
                .matrix[s0][s1] += 1;
        }
    }
    counts
}

/// The same survey year scored under two standards (e.g. the 2021 review
/// under the 2016–2020 and the 2022–2025 standard): how each household's
/// class moves from one to the other.
pub fn bridge(a: &RecordBatch, b: &RecordBatch, level: Level) -> Result<Frame> {
    let meta = |x: &RecordBatch| {
        x.schema()
            .metadata()
            .get(crate::score::META_STANDARD)
            .cloned()
            .unwrap_or_default()
    };
    let (year_a, year_b) = (
        crate::score::survey_year_of(a),
        crate::score::survey_year_of(b),
    );
    if year_a != year_b {
        return Err(Error::Usage(format!(
            "a bridge compares one survey year under two standards; got {year_a:?} and {year_b:?}"
        )));
    }
    let states = States::of(&[Scheme::of_batch(a), Scheme::of_batch(b)]);
    let (ha, hb) = (
        households(a, &indicator_ids(a), level, &states)?,
        households(b, &indicator_ids(b), level, &states)?,
    );
    let counts = transitions(&ha, &hb, &states);
    let year = year_a.unwrap_or_default();
    let mut f = matrix_frame(&counts, year, year, level, &states);
    let (sa, sb) = (meta(a), meta(b));
    let n = f.rows();
    f.names[0] = "survey_year".into();
    f.names[1] = "standard_from".into();
    f.columns[1] = Column::Str(vec![Some(sa); n]);
    f.names[5] = "class_standard_from".into();
    f.names[6] = "class_standard_to".into();
    f.push("standard_to", Column::Str(vec![Some(sb); n]));
    Ok(f)
}

fn level_of(code: &str, level: Level) -> Level {
    if code == "VN" {
        Level::National
    } else {
        level
    }
}

/// National first, then groups by code.
fn ordered(counts: &BTreeMap<String, Counts>) -> Vec<(&String, &Counts)> {
    let mut v: Vec<(&String, &Counts)> = counts.iter().collect();
    v.sort_by_key(|(code, _)| (code.as_str() != "VN", code.as_str()));
    v
}

fn matrix_frame(
    counts: &BTreeMap<String, Counts>,
    from: i64,
    to: i64,
    level: Level,
    states: &States,
) -> Frame {
    let absent = states.absent();
    let mut rows: Vec<(String, usize, usize, u64)> = Vec::new();
    for (code, c) in ordered(counts) {
        for (s0, row) in c.matrix.iter().enumerate() {
            for (s1, n) in row.iter().enumerate() {
                if s0 == absent && s1 == absent {
                    continue;
                }
                rows.push((code.clone(), s0, s1, *n));
            }
        }
    }
    let mut f = Frame::default();
    f.push("year_from", Column::Int(vec![Some(from); rows.len()]));
    f.push("year_to", Column::Int(vec![Some(to); rows.len()]));
    f.push(
        "level",
        Column::Str(
            rows.iter()
                .map(|r| Some(level_of(&r.0, level).name().into()))
                .collect(),
        ),
    );
    f.push(
        "code",
        Column::Str(rows.iter().map(|r| Some(r.0.clone())).collect()),
    );
    f.push(
        "name",
        Column::Str(
            rows.iter()
                .map(|r| group_name(level_of(&r.0, level), &r.0))
                .collect(),
        ),
    );
    f.push(
        "class_from",
        Column::Str(
            rows.iter()
                .map(|r| Some(states.names[r.1].clone()))
                .collect(),
        ),
    );
    f.push(
        "class_to",
        Column::Str(
            rows.iter()
                .map(|r| Some(states.names[r.2].clone()))
                .collect(),
        ),
    );
    f.push(
        "households",
        Column::Int(rows.iter().map(|r| Some(r.3 as i64)).collect()),
    );
    f
}

fn summary_frame(
    counts: &BTreeMap<String, Counts>,
    from: i64,
    to: i64,
    level: Level,
    states: &States,
) -> Frame {
    let ord = ordered(counts);
    let col = |g: &dyn Fn(&Matrix) -> u64| {
        Column::Int(ord.iter().map(|(_, c)| Some(g(&c.matrix) as i64)).collect())
    };
    let (all, absent) = (states.n(), states.absent());
    // Leaving or entering a class is counted only between determined
    // classes: a household whose class is undetermined (or excluded) in
    // one of the years has not been shown to move, and is counted in the
    // `*undetermined*` columns instead.
    let unsettled = states.undetermined()..absent;
    let determined = move |s: usize| (0..states.undetermined()).filter(move |x| *x != s);
    let mut f = Frame::default();
    f.push("year_from", Column::Int(vec![Some(from); ord.len()]));
    f.push("year_to", Column::Int(vec![Some(to); ord.len()]));
    f.push(
        "level",
        Column::Str(
            ord.iter()
                .map(|(c, _)| Some(level_of(c, level).name().into()))
                .collect(),
        ),
    );
    f.push(
        "code",
        Column::Str(ord.iter().map(|(c, _)| Some((*c).clone())).collect()),
    );
    f.push(
        "name",
        Column::Str(
            ord.iter()
                .map(|(c, _)| group_name(level_of(c, level), c))
                .collect(),
        ),
    );
    f.push(
        "households_from",
        col(&|m| (0..absent).map(|s| m[s].iter().sum::<u64>()).sum()),
    );
    f.push(
        "households_to",
        col(&|m| {
            (0..absent)
                .map(|s| (0..all).map(|r| m[r][s]).sum::<u64>())
                .sum()
        }),
    );
    f.push(
        "in_both_years",
        col(&|m| {
            (0..absent)
                .map(|a| (0..absent).map(|b| m[a][b]).sum::<u64>())
                .sum()
        }),
    );
    f.push(
        "appeared",
        col(&|m| (0..absent).map(|s| m[absent][s]).sum()),
    );
    f.push(
        "disappeared",
        col(&|m| (0..absent).map(|s| m[s][absent]).sum()),
    );
    f.push("poor_from", col(&|m| m[0].iter().sum()));
    f.push("poor_to", col(&|m| (0..all).map(|r| m[r][0]).sum()));
    f.push("stayed_poor", col(&|m| m[0][0]));
    f.push(
        "exited_poverty",
        col(&|m| determined(0).map(|s| m[0][s]).sum()),
    );
    f.push(
        "entered_poverty",
        col(&|m| determined(0).map(|s| m[s][0]).sum()),
    );
    f.push(
        "poor_to_undetermined",
        col(&|m| unsettled.clone().map(|s| m[0][s]).sum()),
    );
    f.push(
        "undetermined_to_poor",
        col(&|m| unsettled.clone().map(|s| m[s][0]).sum()),
    );
    f.push("new_households_poor", col(&|m| m[absent][0]));
    f.push("poor_households_gone", col(&|m| m[0][absent]));
    if let Some(near) = states.near {
        let name = &states.names[near];
        f.push(
            &format!("{name}_to"),
            col(&|m| (0..all).map(|r| m[r][near]).sum()),
        );
        f.push(
            &format!("entered_{name}"),
            col(&|m| {
                determined(near)
                    .filter(|s| *s != 0)
                    .map(|s| m[s][near])
                    .sum::<u64>()
                    + m[absent][near]
            }),
        );
        f.push(
            &format!("undetermined_to_{name}"),
            col(&|m| unsettled.clone().map(|s| m[s][near]).sum()),
        );
    }
    f
}

/// Households poor in the later year but not the earlier one, and near-poor
/// (vulnerable) now but neither poor nor near-poor before: the commune's
/// follow-up list.
fn follow_up_frame(
    b1: &RecordBatch,
    h0: &HashMap<&str, (usize, String, usize)>,
    h1: &HashMap<&str, (usize, String, usize)>,
    ids: &[String],
    from: i64,
    to: i64,
    states: &States,
) -> Result<Frame> {
    let v = Scored::new(b1, ids)?;
    let text = |name: &str, i: usize| {
        b1.column_by_name(name).and_then(|a| {
            arrow_array::cast::AsArray::as_string_opt::<i32>(a.as_ref())
                .filter(|a| a.is_valid(i))
                .map(|a| a.value(i).to_string())
        })
    };
    let mut rows: Vec<(usize, &str, usize)> = Vec::new();
    for (id, (s1, _, i)) in h1 {
        let s0 = h0.get(id).map(|x| x.0).unwrap_or(states.absent());
        let near = |s: usize| Some(s) == states.near;
        let newly = (*s1 == 0 && s0 != 0) || (near(*s1) && s0 != 0 && !near(s0));
        if newly {
            rows.push((*i, id, s0));
        }
    }
    rows.sort_by_key(|r| r.0);
    let mut f = Frame::default();
    f.push(
        "household_id",
        Column::Str(rows.iter().map(|r| Some(r.1.to_string())).collect()),
    );
    for c in ["province_code", "district_code", "commune_code"] {
        f.push(c, Column::Str(rows.iter().map(|r| text(c, r.0)).collect()));
    }
    // Long form: the years are values, so lists of different years stack.
    f.push("from_year", Column::Int(vec![Some(from); rows.len()]));
    f.push("to_year", Column::Int(vec![Some(to); rows.len()]));
    f.push(
        "class_from",
        Column::Str(
            rows.iter()
                .map(|r| Some(states.names[r.2].clone()))
                .collect(),
        ),
    );
    f.push(
        "class_to",
        Column::Str(
            rows.iter()
                .map(|r| Some(v.class.value(r.0).to_string()))
                .collect(),
        ),
    );
    f.push(
        "poor_path",
        Column::Str(rows.iter().map(|r| text("poor_path", r.0)).collect()),
    );
    f.push(
        "measure",
        Column::Str(rows.iter().map(|r| text("measure", r.0)).collect()),
    );
    Ok(f)
}

/// (grouping, group, measure)
type RateKey = (String, String, String);

/// Poor and near-poor (vulnerable) rates in each year and the change in percentage
/// points, with its standard error for samples; a group present in one year
/// only says so.
fn rates_frame(
    scored: &[RecordBatch],
    from: i64,
    to: i64,
    level: Level,
    opts: &StatsOptions,
    (s0, s1): (&YearStandard, &YearStandard),
) -> Result<Frame> {
    // The class each standard counts beside the poor (near-poor, or
    // vulnerable under the weighted rule): both, when they differ.
    let mut near_rates: Vec<String> = Vec::new();
    for n in [&s0.scheme.near, &s1.scheme.near].into_iter().flatten() {
        let rate = format!("{n}_rate");
        if !near_rates.contains(&rate) {
            near_rates.push(rate);
        }
    }
    // A class one year's standard does not define (vulnerable under a count
    // rule, near-poor under the weighted rule): the standard that lacks it.
    let lacks = |measure: &str| {
        let class = measure.trim_end_matches("_rate");
        [s0, s1].into_iter().find(|s| !s.scheme.has(class))
    };
    let two: Vec<RecordBatch> = [from, to]
        .iter()
        .map(|y| batch_of(scored, *y).cloned())
        .collect::<Result<_>>()?;
    let mut o = opts.clone();
    o.groupings = vec![level];
    let est = estimate(&two, &o)?;
    let e = &est.estimates;
    let c = &est.changes;
    let cell = |f: &Frame, name: &str, r: usize| {
        let i = f.names.iter().position(|n| n == name)?;
        Some(f.cell(i, r))
    };
    let num = |f: &Frame, name: &str, r: usize| match f.column(name) {
        Some(Column::Float(v)) => v[r],
        _ => None,
    };
    // (grouping, group, measure) → year → value
    let mut values: BTreeMap<RateKey, BTreeMap<i64, Option<f64>>> = BTreeMap::new();
    let wanted = |f: &Frame, r: usize| {
        let m = cell(f, "measure", r);
        cell(f, "level", r).as_deref() == Some("household")
            && m.as_deref()
                .is_some_and(|m| m == "poor_rate" || near_rates.iter().any(|n| n == m))
    };
    // Groups whose rate, in either year or in the change, is a small cell.
    let mut small: BTreeSet<RateKey> = BTreeSet::new();
    for r in (0..e.rows()).filter(|&r| wanted(e, r)) {
        let key = (
            cell(e, "grouping", r).unwrap_or_default(),
            cell(e, "group", r).unwrap_or_default(),
            cell(e, "measure", r).unwrap_or_default(),
        );
        if crate::table::cells::is_small(e, r) {
            small.insert(key.clone());
        }
        let year: i64 = cell(e, "survey_year", r)
            .and_then(|y| y.parse().ok())
            .unwrap_or_default();
        values
            .entry(key)
            .or_default()
            .insert(year, num(e, "estimate", r));
    }
    let mut changes: HashMap<RateKey, (Option<f64>, Option<f64>)> = HashMap::new();
    for r in (0..c.rows()).filter(|&r| wanted(c, r)) {
        let key = (
            cell(c, "grouping", r).unwrap_or_default(),
            cell(c, "group", r).unwrap_or_default(),
            cell(c, "measure", r).unwrap_or_default(),
        );
        if crate::table::cells::is_small(c, r) {
            small.insert(key.clone());
        }
        changes.insert(key, (num(c, "estimate", r), num(c, "se", r)));
    }
    let mut keys: Vec<&(String, String, String)> = values.keys().collect();
    keys.sort_by_key(|k| (k.0 != "national", k.2.clone(), k.1.clone()));
    let pp = |v: Option<f64>| v.map(|x| 100.0 * x);
    let mut f = Frame::default();
    f.push("year_from", Column::Int(vec![Some(from); keys.len()]));
    f.push("year_to", Column::Int(vec![Some(to); keys.len()]));
    f.push(
        "level",
        Column::Str(keys.iter().map(|k| Some(k.0.clone())).collect()),
    );
    f.push(
        "code",
        Column::Str(keys.iter().map(|k| Some(k.1.clone())).collect()),
    );
    f.push(
        "name",
        Column::Str(
            keys.iter()
                .map(|k| {
                    group_name(
                        if k.0 == "national" {
                            Level::National
                        } else {
                            level
                        },
                        &k.1,
                    )
                })
                .collect(),
        ),
    );
    f.push(
        "measure",
        Column::Str(keys.iter().map(|k| Some(k.2.clone())).collect()),
    );
    let at = |k: &(String, String, String), y: i64| values[k].get(&y).copied().flatten();
    f.push(
        &format!("pct_{from}"),
        Column::Float(keys.iter().map(|k| pp(at(k, from))).collect()),
    );
    f.push(
        &format!("pct_{to}"),
        Column::Float(keys.iter().map(|k| pp(at(k, to))).collect()),
    );
    let ch = |k: &(String, String, String)| changes.get(k).copied().unwrap_or((None, None));
    f.push(
        "change_pp",
        Column::Float(keys.iter().map(|k| pp(ch(k).0)).collect()),
    );
    f.push(
        "change_se_pp",
        Column::Float(keys.iter().map(|k| pp(ch(k).1)).collect()),
    );
    f.push(
        "change_ci_low_pp",
        Column::Float(
            keys.iter()
                .map(|k| {
                    pp(ch(k)
                        .0
                        .zip(ch(k).1)
                        .map(|(v, s)| v - crate::measure::Z95 * s))
                })
                .collect(),
        ),
    );
    f.push(
        "change_ci_high_pp",
        Column::Float(
            keys.iter()
                .map(|k| {
                    pp(ch(k)
                        .0
                        .zip(ch(k).1)
                        .map(|(v, s)| v + crate::measure::Z95 * s))
                })
                .collect(),
        ),
    );
    f.push(
        "standard_from",
        Column::Str(vec![Some(s0.id.clone()); keys.len()]),
    );
    f.push(
        "standard_to",
        Column::Str(vec![Some(s1.id.clone()); keys.len()]),
    );
    // Across standards the change is not only a change in living standards;
    // where the rules differ, near-poor means other households (spec §9 item 13).
    let changed = s0.id != s1.id;
    let near_poor_differs = changed && s0.rule != s1.rule;
    f.push(
        "comparable",
        Column::Str(
            keys.iter()
                .map(|k| {
                    Some(
                        if lacks(&k.2).is_some() {
                            "no: a class of one standard only"
                        } else if near_poor_differs && k.2 == "near_poor_rate" {
                            "no: near-poor defined differently"
                        } else if changed {
                            "with care: different standards"
                        } else {
                            "yes"
                        }
                        .to_string(),
                    )
                })
                .collect(),
        ),
    );
    f.push(
        "note",
        Column::Str(
            keys.iter()
                .map(|k| {
                    let mut notes: Vec<String> = Vec::new();
                    match (values[k].contains_key(&from), values[k].contains_key(&to)) {
                        _ if lacks(&k.2).is_some() => notes.push(format!(
                            "{} is not a class of {}",
                            k.2.trim_end_matches("_rate"),
                            lacks(&k.2).map(|s| s.id.as_str()).unwrap_or_default()
                        )),
                        (true, false) => notes.push(format!("only in {from}")),
                        (false, true) => notes.push(format!("only in {to}")),
                        _ if est.census => notes.push("census".to_string()),
                        _ => {}
                    }
                    if lacks(&k.2).is_some() {
                        // Said above: there is no change to read.
                    } else if near_poor_differs && k.2 == "near_poor_rate" {
                        notes.push(format!(
                            "near-poor under {} ({} rule) and {} ({} rule) are different households: \
                             the change is not a change in near-poverty (spec §9 item 13)",
                            s0.id, s0.rule, s1.id, s1.rule
                        ));
                    } else if changed {
                        notes.push(format!(
                            "standard changed from {} to {}: the change includes the change of standard",
                            s0.id, s1.id
                        ));
                    }
                    (!notes.is_empty()).then(|| notes.join("; "))
                })
                .collect(),
        ),
    );
    if let Some(rule) = crate::table::cells::CellRule::of(opts.min_cell, opts.suppress) {
        let small: Vec<bool> = keys.iter().map(|k| small.contains(*k)).collect();
        cells::apply_rates(&rule, &mut f, &small);
    }
    Ok(f)
}
