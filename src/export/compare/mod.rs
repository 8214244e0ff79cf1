//! Comparing two survey years, as tables: the rates in each year and their
//! change (with its standard error for samples), and, for households
//! present in both years, the transitions between classes (counted in
//! `measure::transitions`) — who left poverty, who entered it, who stayed —
//! with a follow-up list of newly poor and newly near-poor households for
//! commune officers.

mod cells;
pub mod files;
mod rates;
pub mod reform;

use rates::rates_frame;

use crate::error::{Error, Result};
use crate::export::{Column, Frame};
use crate::measure::transitions::{households, transitions, Counts, Matrix, States};
use crate::measure::{Coverage, Level, Names, StatsOptions, YearStandard};
use crate::score::meta::ScoredMeta;
use crate::score::scheme::Scheme;
use crate::score::view::Scored;
use arrow_array::{Array, RecordBatch};
use std::collections::{BTreeMap, HashMap};

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
    // A year before the reform of 1 July 2025 beside one after it: units
    // through the crosswalks (`reform`); the follow-up list keeps the
    // households' own codes.
    let across = reform::across(b0, b1, level)?;
    let (scored, level) = match &across {
        Some(a) => (&a.batches[..], a.level),
        None => (scored, level),
    };
    let own_b1 = b1;
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
    // The total row is named for the later year's scope.
    let group = (level, to, &opts.names);
    let mut matrix = matrix_frame(&counts, from, group, &states);
    let mut summary = summary_frame(&counts, from, group, &states);
    for f in [&mut matrix, &mut summary] {
        let n = f.rows();
        f.push("standard_from", Column::Str(vec![Some(s0.id.clone()); n]));
        f.push("standard_to", Column::Str(vec![Some(s1.id.clone()); n]));
    }
    let rule = crate::measure::cells::CellRule::of(opts.min_cell, opts.suppress);
    if let Some(rule) = &rule {
        cells::apply_transitions(rule, &mut matrix, &mut summary);
    }
    // The follow-up list names households for the commune officer: it is
    // not a statistical table, and small cells do not apply to it.
    let mut follow_up = follow_up_frame(own_b1, &h0, &h1, &s1.ids, from, to, &states)?;
    let n = follow_up.rows();
    follow_up.push("standard_to", Column::Str(vec![Some(s1.id.clone()); n]));
    let mut rates = rates_frame(scored, from, to, level, opts, (&s0, &s1))?;
    if across.is_some() {
        for f in [&mut rates, &mut matrix, &mut summary] {
            reform::annotate(f, level);
        }
    }
    Ok(Comparison {
        rates,
        matrix,
        summary,
        follow_up,
    })
}

/// The same survey year scored under two standards (e.g. the 2021 review
/// under the 2016–2020 and the 2022–2025 standard): how each household's
/// class moves from one to the other.
pub fn bridge(a: &RecordBatch, b: &RecordBatch, level: Level) -> Result<Frame> {
    let (ma, mb) = (ScoredMeta::of(a), ScoredMeta::of(b));
    let (year_a, year_b) = (
        crate::score::survey_year_of(a),
        crate::score::survey_year_of(b),
    );
    if year_a != year_b {
        return Err(Error::Usage(format!(
            "a bridge compares one survey year under two standards; got {year_a:?} and {year_b:?}"
        )));
    }
    let states = States::of(&[Scheme::of_meta(&ma), Scheme::of_meta(&mb)]);
    let (ha, hb) = (
        households(a, &ma.indicators, level, &states)?,
        households(b, &mb.indicators, level, &states)?,
    );
    let counts = transitions(&ha, &hb, &states);
    let year = year_a.unwrap_or_default();
    let names = Names::of(
        &Coverage::of_batches(std::slice::from_ref(a))?,
        Default::default(),
    );
    let mut f = matrix_frame(&counts, year, (level, year, &names), &states);
    let (sa, sb) = (ma.standard, mb.standard);
    let n = f.rows();
    f.names[0] = "survey_year".into();
    f.names[1] = "standard_from".into();
    f.columns[1] = Column::Str(vec![Some(sa); n]);
    f.push("standard_to", Column::Str(vec![Some(sb); n]));
    Ok(f)
}

fn level_of(code: &str, level: Level) -> Level {
    if code == "VN" {
        Level::Total
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

/// The level, later year and names of a comparison's groups.
type Grouped<'a> = (Level, i64, &'a Names);

fn matrix_frame(
    counts: &BTreeMap<String, Counts>,
    from: i64,
    (level, to, names): Grouped<'_>,
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
    f.push("from_year", Column::Int(vec![Some(from); rows.len()]));
    f.push("to_year", Column::Int(vec![Some(to); rows.len()]));
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
                .map(|r| names.name(level_of(&r.0, level), to, &r.0))
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

/// Per group: how many households there were in each year and in both,
/// and how many entered, left or stayed in poverty (and near poverty).
fn summary_frame(
    counts: &BTreeMap<String, Counts>,
    from: i64,
    group: Grouped<'_>,
    states: &States,
) -> Frame {
    let s = Summary {
        ord: ordered(counts),
        states,
    };
    let mut f = Frame::default();
    s.group_columns(&mut f, from, group);
    s.household_columns(&mut f);
    s.poor_columns(&mut f);
    if let Some(near) = states.near {
        s.near_poor_columns(&mut f, near);
    }
    f
}

/// The groups of a summary, national first, with their transition counts.
///
/// Leaving or entering a class is counted only between determined
/// classes: a household whose class is undetermined (or excluded) in one
/// of the years has not been shown to move, and is counted in the
/// `*undetermined*` columns instead.
struct Summary<'a> {
    ord: Vec<(&'a String, &'a Counts)>,
    states: &'a States,
}

impl Summary<'_> {
    /// A column of a count per group, from its matrix.
    fn col(&self, g: impl Fn(&Matrix) -> u64) -> Column {
        Column::Int(
            (self.ord.iter())
                .map(|(_, c)| Some(g(&c.matrix) as i64))
                .collect(),
        )
    }

    /// The determined classes other than `s`.
    fn determined(&self, s: usize) -> impl Iterator<Item = usize> + Clone {
        (0..self.states.undetermined()).filter(move |x| *x != s)
    }

    /// The classes that are not determined: undetermined, excluded.
    fn unsettled(&self) -> std::ops::Range<usize> {
        self.states.undetermined()..self.states.absent()
    }

    /// The years and each group's level, code and name.
    fn group_columns(&self, f: &mut Frame, from: i64, (level, to, names): Grouped<'_>) {
        let ord = &self.ord;
        f.push("from_year", Column::Int(vec![Some(from); ord.len()]));
        f.push("to_year", Column::Int(vec![Some(to); ord.len()]));
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
                    .map(|(c, _)| names.name(level_of(c, level), to, c))
                    .collect(),
            ),
        );
    }

    /// Households in each year, in both, and those that appeared or
    /// disappeared.
    fn household_columns(&self, f: &mut Frame) {
        let (all, absent) = (self.states.n(), self.states.absent());
        f.push(
            "households_from",
            self.col(|m| (0..absent).map(|s| m[s].iter().sum::<u64>()).sum()),
        );
        f.push(
            "households_to",
            self.col(|m| {
                (0..absent)
                    .map(|s| (0..all).map(|r| m[r][s]).sum::<u64>())
                    .sum()
            }),
        );
        f.push(
            "in_both_years",
            self.col(|m| {
                (0..absent)
                    .map(|a| (0..absent).map(|b| m[a][b]).sum::<u64>())
                    .sum()
            }),
        );
        f.push(
            "appeared",
            self.col(|m| (0..absent).map(|s| m[absent][s]).sum()),
        );
        f.push(
            "disappeared",
            self.col(|m| (0..absent).map(|s| m[s][absent]).sum()),
        );
    }

    /// Poor households in each year, and how they moved.
    fn poor_columns(&self, f: &mut Frame) {
        let (all, absent) = (self.states.n(), self.states.absent());
        f.push("poor_from", self.col(|m| m[0].iter().sum()));
        f.push("poor_to", self.col(|m| (0..all).map(|r| m[r][0]).sum()));
        f.push("stayed_poor", self.col(|m| m[0][0]));
        f.push(
            "exited_poverty",
            self.col(|m| self.determined(0).map(|s| m[0][s]).sum()),
        );
        f.push(
            "entered_poverty",
            self.col(|m| self.determined(0).map(|s| m[s][0]).sum()),
        );
        f.push(
            "poor_to_undetermined",
            self.col(|m| self.unsettled().map(|s| m[0][s]).sum()),
        );
        f.push(
            "undetermined_to_poor",
            self.col(|m| self.unsettled().map(|s| m[s][0]).sum()),
        );
        f.push("new_households_poor", self.col(|m| m[absent][0]));
        f.push("poor_households_gone", self.col(|m| m[0][absent]));
    }

    /// Near-poor households (class `near`) in the later year, and those
    /// that entered near poverty.
    fn near_poor_columns(&self, f: &mut Frame, near: usize) {
        let (all, absent) = (self.states.n(), self.states.absent());
        let name = &self.states.names[near];
        f.push(
            &format!("{name}_to"),
            self.col(|m| (0..all).map(|r| m[r][near]).sum()),
        );
        f.push(
            &format!("entered_{name}"),
            self.col(|m| {
                self.determined(near)
                    .filter(|s| *s != 0)
                    .map(|s| m[s][near])
                    .sum::<u64>()
                    + m[absent][near]
            }),
        );
        f.push(
            &format!("undetermined_to_{name}"),
            self.col(|m| self.unsettled().map(|s| m[s][near]).sum()),
        );
    }
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
