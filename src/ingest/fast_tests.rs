//! The fast path against the general one (`judge` on the line's cells):
//! a line it takes is one `judge` accepts, and the builder ends with the
//! same values whichever way each line went.

use super::*;
use crate::ingest::header::map_header;
use crate::ingest::judge::{judge, Rows, Spare};
use crate::ingest::read::RawCell;
use crate::ingest::row::Problem;
use crate::ingest::stream::{HouseholdKey, Loc};
use proptest::prelude::*;
use std::collections::HashSet;

/// Where `judge` writes: a builder, and what the ingest keeps beside it.
struct Out {
    b: TableBuilder,
    spare: Spare,
    filled: HashSet<String>,
    accepted: usize,
}

impl Rows for Out {
    fn parts(&mut self) -> (&mut TableBuilder, &mut Spare, &mut HashSet<String>) {
        (&mut self.b, &mut self.spare, &mut self.filled)
    }
    fn accept(&mut self, _: Loc) -> crate::error::Result<()> {
        self.accepted += 1;
        Ok(())
    }
    fn reject(&mut self, _: Loc, _: Vec<Problem>) {}
    fn rejected_household(&mut self, _: HouseholdKey, _: Loc) {}
    fn rejected_member(&mut self, _: HouseholdKey, _: Loc, _: Option<String>) {}
}

fn out(kind: TableKind) -> Out {
    Out {
        b: TableBuilder::new(kind.columns()),
        spare: Spare::default(),
        filled: HashSet::new(),
        accepted: 0,
    }
}

/// The line's cells as the CSV reader splits a line without a `"`.
fn cells(line: &str) -> Vec<RawCell<'_>> {
    let cell = |f| match trimmed(f) {
        "" => RawCell::Empty,
        s => RawCell::Text(s.into()),
    };
    line.split(',').map(cell).collect()
}

fn table(kind: TableKind, header: &str) -> TableHeader {
    let header: Vec<String> = header.split(',').map(String::from).collect();
    let targets = map_header("t", kind, &header, &mut Vec::new()).unwrap();
    TableHeader {
        kind,
        header,
        targets,
    }
}

/// Lines through both paths; how many the fast path took.
fn both_ways(th: &TableHeader, years: Option<&SurveyYears>, lines: &[String]) -> usize {
    let (mut general, mut fast) = (out(th.kind), out(th.kind));
    let mut plan = Plan::new(th).expect("a plan");
    let mut taken = 0;
    for (row, line) in lines.iter().enumerate() {
        let loc = Loc {
            table: 0,
            row: row as u64,
        };
        let before = general.accepted;
        judge(&mut general, th, years, loc, &cells(line)).unwrap();
        let accepted = general.accepted > before;
        if plan.take(&mut fast.b, fast.spare.noted(), years, (line, b',')) {
            assert!(accepted, "taken, but the general path rejects it: {line}");
            taken += 1;
        } else {
            judge(&mut fast, th, years, loc, &cells(line)).unwrap();
        }
    }
    let all: Vec<usize> = (0..general.b.len()).collect();
    let want = general.b.finish(&all, Vec::new()).unwrap();
    let got = fast.b.finish(&all, Vec::new()).unwrap();
    assert_eq!(got, want, "{lines:#?}");
    assert_eq!(fast.filled, general.filled);
    taken
}

const HOUSEHOLDS: &str = "survey_year,household_id,province_code,district_code,commune_code,village,head_name,area,ethnic_minority,dep_x,household_size,income_per_capita_month,floor_area_m2,water_source,has_tv";
const HOUSEHOLD: &str = "2020,h1,01,001,00001,Thôn 3,Lê Thị Hà,rural,1,0,4,1500000,23.5,piped,1";
const MEMBERS: &str =
    "survey_year,household_id,member_id,age,birth_year,bmi,education_level,in_school";
const MEMBER: &str = "2020,h1,1,14,2006,18.5,lower_secondary,1";

/// Values a cell may hold besides its column's own: the boundaries of
/// the rules, and what the general path alone reads or refuses.
const VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "14",
    "15",
    "7.99",
    "8",
    "8.0",
    "0.0",
    "1.",
    ".5",
    "23,5",
    "1e3",
    "inf",
    "700.000",
    "2.808.000",
    "NA",
    "na",
    "n/a",
    "null",
    "Rural",
    "urban",
    "01",
    "1",
    "001",
    "99",
    "00001",
    "2015",
    "2020",
    "2025",
    "2030",
    "2021",
    "1899",
    "123456789012345678",
    "1234567890123456789",
    "a\tb",
    "x\u{1}y",
    "x\u{85}y",
    "20°C",
    "Nông thôn",
    " 5",
    "5 ",
    "có",
    "yes",
    "khong",
    "piped",
    "lower_secondary",
    "h1",
    "h2",
    "2",
    "3",
];

fn lines(base: &str) -> impl Strategy<Value = Vec<String>> {
    let fields: Vec<String> = base.split(',').map(String::from).collect();
    let width = fields.len();
    let long = "x".repeat(200);
    let line =
        proptest::collection::vec((0..width, 0..VALUES.len() + 2), 0..4).prop_map(move |edits| {
            let mut f = fields.clone();
            for (c, v) in edits {
                f[c] = match v {
                    v if v < VALUES.len() => VALUES[v].to_string(),
                    v if v == VALUES.len() => long.clone(),
                    _ => format!("{long}y"),
                };
            }
            f.join(",")
        });
    proptest::collection::vec(line, 1..30)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn households_are_the_same_whichever_way(lines in lines(HOUSEHOLD), scored in any::<bool>()) {
        let years = SurveyYears { covered: vec![(2016, 2020)], reason: "not {year}".into() };
        both_ways(&table(TableKind::Households, HOUSEHOLDS), scored.then_some(&years), &lines);
    }

    #[test]
    fn members_are_the_same_whichever_way(lines in lines(MEMBER), scored in any::<bool>()) {
        let years = SurveyYears { covered: vec![(2016, 2020)], reason: "not {year}".into() };
        both_ways(&table(TableKind::Members, MEMBERS), scored.then_some(&years), &lines);
    }
}

#[test]
fn plain_lines_are_taken_after_the_first_value_of_each_kept_column() {
    let th = table(TableKind::Households, HOUSEHOLDS);
    let lines: Vec<String> = (0..50)
        .map(|i| HOUSEHOLD.replace("h1", &format!("h{i}")))
        .collect();
    // The first line notes the kept columns the general way.
    assert_eq!(both_ways(&th, None, &lines), 49);
    let th = table(TableKind::Members, MEMBERS);
    let lines: Vec<String> = (1..=9)
        .map(|i| MEMBER.replace(",1,14,", &format!(",{i},14,")))
        .collect();
    assert_eq!(both_ways(&th, None, &lines), 9);
}

#[test]
fn what_the_fast_path_leaves_to_the_general_one() {
    let th = table(TableKind::Members, MEMBERS);
    for line in [
        // A birth year after the survey year: the row's own check.
        "2020,h1,1,14,2021,18.5,lower_secondary,1",
        // Too few and too many fields.
        "2020,h1,1,14,2006,18.5,lower_secondary",
        "2020,h1,1,14,2006,18.5,lower_secondary,1,1",
        // A required value missing, a value written another way.
        ",h1,1,14,2006,18.5,lower_secondary,1",
        "2020,h1,1,14,2006,18.5,Lower_Secondary,1",
    ] {
        assert_eq!(both_ways(&th, None, &[line.to_string()]), 0, "{line}");
    }
    let two_flags = format!("{HOUSEHOLDS},dep_x");
    assert!(Plan::new(&table(TableKind::Households, &two_flags)).is_none());
    let scheme = format!("{HOUSEHOLDS},admin_scheme");
    assert!(Plan::new(&table(TableKind::Households, &scheme)).is_none());
}
