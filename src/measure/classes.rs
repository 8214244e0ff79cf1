//! The class columns of the rate tables and where each year's households
//! are summed in them. Years scored under different standards (Decision
//! 59/2015, Decree 07/2021, the global MPI) define different classes; one
//! table holds them all, in the engine's order, and each year fills the
//! columns of its own standard's classes.

use crate::score::classify::Class;
use crate::score::scheme::Scheme;
use crate::score::EXCLUDED;

/// The class columns of a table: the classes of every year's standard, in
/// the engine's order (poor, near-poor, vulnerable, average, not poor), then
/// undetermined, then excluded. Years under different standards sit side
/// by side; a year's row leaves blank a class its standard does not define.
#[derive(Debug, Clone)]
pub struct Columns {
    pub names: Vec<String>,
    pub poor: usize,
    pub undetermined: usize,
    pub excluded: usize,
}

impl Columns {
    pub fn of(schemes: &[&Scheme]) -> Columns {
        let order = |c: &str| {
            Class::ALL
                .iter()
                .position(|x| x.name() == c)
                .unwrap_or(Class::ALL.len())
        };
        let mut names: Vec<String> = Vec::new();
        for s in schemes {
            for c in &s.classes {
                if !names.contains(c) {
                    names.push(c.clone());
                }
            }
        }
        // Stable: classes the engine does not know keep their first-seen order, last.
        names.sort_by_key(|c| order(c));
        let n = names.len();
        Columns {
            poor: names.iter().position(|x| x == "poor").unwrap_or(n),
            names,
            undetermined: n,
            excluded: n + 1,
        }
    }
    /// The number of class slots.
    pub fn width(&self) -> usize {
        self.excluded + 1
    }
}

/// Where one year's households are summed: its standard's classes at their
/// table columns; a class its standard does not define counts as
/// undetermined, as in the estimates.
pub struct Slots {
    /// Table column of each of the scheme's classes.
    at: Vec<(String, usize)>,
    pub poor: usize,
    pub near: Option<usize>,
    pub undetermined: usize,
    pub excluded: usize,
}

impl Slots {
    pub fn new(s: &Scheme, cols: &Columns) -> Slots {
        let col = |c: &str| cols.names.iter().position(|x| x == c);
        Slots {
            at: s
                .classes
                .iter()
                .filter_map(|c| col(c).map(|i| (c.clone(), i)))
                .collect(),
            poor: cols.poor,
            near: s.near.and_then(|n| col(n.name())),
            undetermined: cols.undetermined,
            excluded: cols.excluded,
        }
    }
    pub fn of(&self, class: &str) -> usize {
        match class {
            EXCLUDED => self.excluded,
            c => self
                .at
                .iter()
                .find(|(x, _)| x == c)
                .map(|(_, i)| *i)
                .unwrap_or(self.undetermined),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(rule: &str, classes: &str) -> Scheme {
        let meta = [
            (crate::score::META_RULE.to_string(), rule.to_string()),
            (crate::score::META_CLASSES.to_string(), classes.to_string()),
        ]
        .into_iter()
        .collect();
        Scheme::of_metadata(&meta)
    }

    #[test]
    fn the_columns_are_every_years_classes_in_the_engines_order() {
        let mpi = scheme("weighted", "poor,vulnerable,not_poor");
        let d07 = scheme("intersection", "poor,near_poor,average,not_poor");
        let cols = Columns::of(&[&mpi, &d07]);
        assert_eq!(
            cols.names,
            ["poor", "near_poor", "vulnerable", "average", "not_poor"]
        );
        assert_eq!((cols.poor, cols.undetermined, cols.width()), (0, 5, 7));
        // Each year sums into its own classes' columns; a class its standard
        // does not define counts as undetermined.
        let s = Slots::new(&mpi, &cols);
        assert_eq!(
            [s.of("poor"), s.of("vulnerable"), s.of("not_poor")],
            [0, 2, 4]
        );
        assert_eq!((s.of("near_poor"), s.of(EXCLUDED), s.near), (5, 6, Some(2)));
        let s = Slots::new(&d07, &cols);
        assert_eq!(
            (s.of("average"), s.of("vulnerable"), s.near),
            (3, 5, Some(1))
        );
        // One standard alone: exactly its classes (no average band in 2027–2030).
        let d351 = scheme("intersection", "poor,near_poor,not_poor");
        assert_eq!(
            Columns::of(&[&d351]).names,
            ["poor", "near_poor", "not_poor"]
        );
    }
}
