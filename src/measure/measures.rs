//! What an estimate measures: a class rate, an Alkire–Foster measure, a
//! headcount or contribution per indicator, or a count of deprivations.
//! Named once here (the `measure` column of the estimates and the rate
//! changes), each class rate with the class it is the rate of, so no code
//! reads a class out of a measure's name.
//!
//! Not to be confused with `score::classify::Measure`, the living standard
//! (income or score) a household was classified on.

use crate::score::classify::Class;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Share of counted households in a class (see [`Measure::class`]).
    Rate(Class),
    /// Poor by income (union rule).
    PoorIncomeRate,
    /// Poor by deprivation in the near-poor band (union rule).
    PoorDeprivationRate,
    /// In severe poverty (weighted rule with a severe band).
    SevereRate,
    /// Counted households whose class could not be determined.
    UndeterminedRate,
    /// Alkire–Foster headcount ratio.
    H,
    /// Alkire–Foster adjusted headcount ratio.
    M0,
    /// Alkire–Foster intensity.
    A,
    CensoredHeadcount,
    Contribution,
    SubgroupContribution,
    UncensoredHeadcount,
    CountExactly,
    CountAtLeast,
}

impl Measure {
    /// Every class measure a standard can have, in output order; a
    /// standard's own are the subset its classes give.
    pub const CLASS_MEASURES: [Measure; 9] = [
        Measure::Rate(Class::Poor),
        Measure::PoorIncomeRate,
        Measure::PoorDeprivationRate,
        Measure::SevereRate,
        Measure::Rate(Class::NearPoor),
        Measure::Rate(Class::Vulnerable),
        Measure::Rate(Class::Average),
        Measure::Rate(Class::NotPoor),
        Measure::UndeterminedRate,
    ];

    /// The Alkire–Foster measures the rate tables carry at each year's own
    /// cut-off, in their column order.
    pub const AF: [Measure; 3] = [Measure::H, Measure::A, Measure::M0];

    /// As written in the `measure` column.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Rate(Class::Poor) => "poor_rate",
            Measure::Rate(Class::NearPoor) => "near_poor_rate",
            Measure::Rate(Class::Vulnerable) => "vulnerable_rate",
            Measure::Rate(Class::Average) => "average_rate",
            Measure::Rate(Class::NotPoor) => "not_poor_rate",
            Measure::PoorIncomeRate => "poor_income_rate",
            Measure::PoorDeprivationRate => "poor_deprivation_rate",
            Measure::SevereRate => "severe_rate",
            Measure::UndeterminedRate => "undetermined_rate",
            Measure::H => "H",
            Measure::M0 => "M0",
            Measure::A => "A",
            Measure::CensoredHeadcount => "censored_headcount",
            Measure::Contribution => "contribution",
            Measure::SubgroupContribution => "subgroup_contribution",
            Measure::UncensoredHeadcount => "uncensored_headcount",
            Measure::CountExactly => "count_exactly",
            Measure::CountAtLeast => "count_at_least",
        }
    }

    /// The class this is the rate of: a household of that class counts in
    /// it, and in no other class's. None for the paths to poor and severe
    /// poverty (parts of the poor), undetermined, and the rest.
    /// The same measure over persons, as the estimates name it: a rate's
    /// `<stem>_person_rate` (`poor_person_rate`), any other `<name>_person`
    /// (`H_person`) — never the household measure's own name.
    pub fn person_name(self) -> String {
        let name = self.name();
        if Measure::CLASS_MEASURES.contains(&self) {
            // Every class measure's name is its stem and `_rate`.
            format!("{}_person_rate", &name[..name.len() - "_rate".len()])
        } else {
            format!("{name}_person")
        }
    }

    pub fn class(self) -> Option<Class> {
        match self {
            Measure::Rate(c) => Some(c),
            _ => None,
        }
    }

    /// A class measure: found by name in every standard's estimates, so it
    /// compares across years scored under different standards.
    pub fn is_class(self) -> bool {
        Measure::CLASS_MEASURES.contains(&self)
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_rate_is_named_after_its_class_and_names_are_unique() {
        for c in Class::ALL {
            assert_eq!(Measure::Rate(c).name(), format!("{}_rate", c.name()));
            assert_eq!(Measure::Rate(c).class(), Some(c));
            assert!(Measure::CLASS_MEASURES.contains(&Measure::Rate(c)));
        }
        let mut names: Vec<&str> = Measure::CLASS_MEASURES.map(Measure::name).to_vec();
        names.extend(Measure::AF.map(Measure::name));
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn the_af_measures_are_the_catalogue_s() {
        let catalogue: Vec<&str> = crate::schema::outputs::AF.iter().map(|a| a.0).collect();
        assert_eq!(Measure::AF.map(Measure::name).to_vec(), catalogue);
        let classes: Vec<&str> = crate::schema::outputs::CLASSES
            .iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(Class::ALL.map(Class::name).to_vec(), classes);
    }
}
