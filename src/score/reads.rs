//! The columns scoring reads, so a slice decodes only those: of the
//! members, the household index and the columns of the member-level rules
//! (with survey year, age and birth year when a rule reads an age, for the
//! two readings); of the households, every column but the contract's
//! columns no rule, class or scored-file column reads (kept text columns
//! and pre-coded `dep_*` flags are outside the contract, so they are read).

use super::{ScoreOptions, PASS_THROUGH};
use crate::schema::{ColType, TableKind};
use crate::standard::{Level, Standard};
use std::collections::BTreeSet;

/// Household contract columns read besides the rules' and `PASS_THROUGH`:
/// the weight (`output.rs`) and the class's inputs (`chunk.rs` `Inputs`).
const CLASS_INPUTS: &[&str] = &[
    "weight",
    "household_size",
    "area",
    "income_per_capita_month",
    "income_total_year",
];

/// Which columns of each table scoring `st` reads.
pub struct Reads {
    /// Household contract columns read (others outside the contract are read too).
    households: BTreeSet<&'static str>,
    /// Member columns read.
    members: BTreeSet<&'static str>,
    /// Code columns read only by the rules, so read dictionary-coded
    /// (`coded`): households', then members'.
    coded: [BTreeSet<&'static str>; 2],
}

impl Reads {
    pub fn of(st: &Standard, opts: &ScoreOptions) -> Reads {
        let name = |t: TableKind, i: usize| t.columns().get(i).map(|c| c.name);
        // Household columns read for more than the rules.
        let mut others: BTreeSet<&'static str> =
            PASS_THROUGH.iter().chain(CLASS_INPUTS).copied().collect();
        others.extend(st.score.as_ref().and_then(|s| {
            let t = TableKind::Households;
            t.columns()
                .iter()
                .find(|c| c.name == s.column)
                .map(|c| c.name)
        }));
        let mut households = others.clone();
        let mut members: BTreeSet<&'static str> = BTreeSet::new();
        members.insert(crate::dataset::HH_INDEX);
        for ind in &st.indicators {
            let cols = ind
                .eligible
                .iter()
                .chain([&ind.deprived_if])
                .flat_map(|e| e.columns());
            match ind.level {
                Level::Household => {
                    households.extend(cols.filter_map(|i| name(TableKind::Households, i)))
                }
                Level::Member if opts.no_members => {}
                Level::Member => members.extend(cols.filter_map(|i| name(TableKind::Members, i))),
            }
        }
        // The two readings of a member's age need all three.
        if members.contains("age") || members.contains("birth_year") {
            members.extend(["survey_year", "age", "birth_year"]);
        }
        let coded = [
            coded_by_rules(TableKind::Households, &households, &others),
            coded_by_rules(TableKind::Members, &members, &BTreeSet::new()),
        ];
        Reads {
            households,
            members,
            coded,
        }
    }

    /// Whether scoring reads column `name` of `table` dictionary-coded: a
    /// code column only the compiled rules read, which compare each
    /// distinct code once (`ColumnView::Dict`) instead of every row's text.
    pub fn coded(&self, table: TableKind, name: &str) -> bool {
        let i = usize::from(table == TableKind::Members);
        self.coded[i].contains(name)
    }

    /// Whether scoring reads column `name` of `table`.
    pub fn reads(&self, table: TableKind, name: &str) -> bool {
        match table {
            TableKind::Households => {
                self.households.contains(name) || !table.columns().iter().any(|c| c.name == name)
            }
            TableKind::Members => self.members.contains(name),
        }
    }
}

/// The code columns of `table` among `read` and not among `others`.
fn coded_by_rules(
    table: TableKind,
    read: &BTreeSet<&'static str>,
    others: &BTreeSet<&'static str>,
) -> BTreeSet<&'static str> {
    (table.columns().iter())
        .filter(|c| matches!(c.ty, ColType::Code(_)))
        .map(|c| c.name)
        .filter(|n| read.contains(n) && !others.contains(n))
        .collect()
}
