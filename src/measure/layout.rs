//! What each household contributes to the estimates: a vector of base
//! variables (class indicators, known-status, deprivations, AF-poor at each
//! cut-off …), and the estimates as ratios of two such totals. Every
//! measure of the issue — rates, H, M0, A, headcounts, contributions,
//! distribution, subgroup shares — is a ratio Y/X of weighted totals, so one
//! linearisation serves them all.

use super::measures::Measure;
use crate::exact::rational::Ratio;
use crate::score::classify::Class;
use crate::score::scheme::Scheme;
use crate::score::view::bits;

/// Positions of the base variables for C class measures, J indicators and
/// K cut-offs.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub c: usize,
    pub j: usize,
    pub k: usize,
}

/// The class measures of a scheme: a rate for each class it defines, the
/// two paths to poor under the union rule (not under the intersection rule,
/// where no household is poor by one path alone), severe poverty under the
/// weighted rule, and undetermined households. The 2016–2020 standard keeps its
/// seven: poor, by income, by deprivation, near-poor, average, not poor,
/// undetermined.
pub fn class_measures(s: &Scheme) -> Vec<Measure> {
    Measure::CLASS_MEASURES
        .into_iter()
        .filter(|m| match m {
            Measure::Rate(Class::Poor) | Measure::UndeterminedRate => true,
            Measure::PoorIncomeRate | Measure::PoorDeprivationRate => s.paths,
            Measure::SevereRate => s.severe,
            Measure::Rate(c) => s.defines(*c),
            _ => false,
        })
        .collect()
}

/// Where a household counts, by its class.
#[derive(Clone, Copy)]
pub enum Counted {
    Excluded,
    /// In this class measure (none: a scheme without undetermined).
    In(Option<usize>),
}

/// Which class measures a household counts in, by its class, path and
/// severe flag.
pub struct ClassIndex {
    classes: Vec<(Class, usize)>,
    poor: Option<usize>,
    income: Option<usize>,
    deprivation: Option<usize>,
    severe: Option<usize>,
    undetermined: Option<usize>,
}

impl ClassIndex {
    pub fn new(measures: &[Measure]) -> ClassIndex {
        let at = |m: Measure| measures.iter().position(|x| *x == m);
        ClassIndex {
            classes: (measures.iter().enumerate())
                .filter_map(|(i, m)| Some((m.class()?, i)))
                .collect(),
            poor: at(Measure::Rate(Class::Poor)),
            income: at(Measure::PoorIncomeRate),
            deprivation: at(Measure::PoorDeprivationRate),
            severe: at(Measure::SevereRate),
            undetermined: at(Measure::UndeterminedRate),
        }
    }

    /// Where a household of class `class` counts: excluded (in no
    /// denominator), or in the class measure of its class. A class the
    /// scheme does not know counts as undetermined, as in the tables.
    pub fn class_of(&self, class: &str) -> Counted {
        if class == crate::score::EXCLUDED {
            return Counted::Excluded;
        }
        Counted::In(match self.classes.iter().find(|(c, _)| c.name() == class) {
            Some((_, i)) => Some(*i),
            None => self.undetermined,
        })
    }

    /// The measure of a poor household's path to poor, if the scheme has it.
    pub fn path_of(&self, path: Option<&str>) -> Option<usize> {
        match path {
            Some("income") => self.income,
            Some("deprivation") => self.deprivation,
            _ => None,
        }
    }

    /// The class measures of a counted household into `out`: its class's
    /// (`class_of`), its path's when poor (`path_of`), severe poverty.
    pub fn fill(
        &self,
        class: Option<usize>,
        path: Option<usize>,
        severe: Option<bool>,
        out: &mut Vec<usize>,
    ) {
        out.clear();
        out.extend(class);
        if self.poor.is_some() && class == self.poor {
            out.extend(path);
        }
        if severe == Some(true) {
            out.extend(self.severe);
        }
    }
}

impl Layout {
    pub const COUNTED: usize = 0;
    pub fn class(c: usize) -> usize {
        1 + c
    }
    pub fn known(&self) -> usize {
        1 + self.c
    }
    pub fn deprived(&self, j: usize) -> usize {
        2 + self.c + j
    }
    pub fn exactly(&self, d: usize) -> usize {
        2 + self.c + self.j + d
    }
    fn base_k(&self, k: usize) -> usize {
        2 + self.c + 2 * self.j + 1 + k * (self.j + 2)
    }
    pub fn poor(&self, k: usize) -> usize {
        self.base_k(k)
    }
    pub fn score(&self, k: usize) -> usize {
        self.base_k(k) + 1
    }
    pub fn censored(&self, k: usize, j: usize) -> usize {
        self.base_k(k) + 2 + j
    }
    /// Number of base variables.
    pub fn width(&self) -> usize {
        self.base_k(self.k)
    }
}

/// Indicator weights as exact fractions over one common denominator.
pub struct Scoring {
    pub weights: Vec<Ratio>,
    pub lcm: i64,
    pub scaled: Vec<i64>,
    pub ks: Vec<Ratio>,
}

impl Scoring {
    pub fn new(weights: Vec<Ratio>, ks: Vec<Ratio>) -> Scoring {
        let lcm = weights
            .iter()
            .fold(1i64, |l, w| crate::exact::rational::lcm(l, w.den));
        let scaled = weights.iter().map(|w| w.num * (lcm / w.den)).collect();
        Scoring {
            weights,
            lcm,
            scaled,
            ks,
        }
    }

    /// The weighted score of the indicators deprived in `mask` (bit j:
    /// indicator j), as a numerator over `lcm`.
    pub fn score_num(&self, mask: u64) -> i64 {
        bits(mask).map(|j| self.scaled[j]).sum()
    }

    /// c ≥ k, in integers: c = n / lcm, k = a / b ⇔ n·b ≥ a·lcm.
    pub fn poor_at(&self, score_num: i64, k: usize) -> bool {
        let kk = self.ks[k];
        (score_num as i128) * (kk.den as i128) >= (kk.num as i128) * (self.lcm as i128)
    }

    /// Append a counted household's base values besides the Alkire–Foster
    /// ones to `out`: counted, and the class measures it counts in
    /// (`classes`: its class, and poor by which path).
    pub fn fill(&self, classes: &[usize], out: &mut Vec<(usize, f64)>) {
        out.push((Layout::COUNTED, 1.0));
        for c in classes {
            out.push((Layout::class(*c), 1.0));
        }
    }

    /// Append the Alkire–Foster base values of a household whose every
    /// indicator is known, deprived in `mask`, to `out`: known, each
    /// deprivation, the count, and at each cut-off where it is poor: poor,
    /// its score, and each censored deprivation.
    pub fn fill_af(&self, l: &Layout, mask: u64, out: &mut Vec<(usize, f64)>) {
        out.push((l.known(), 1.0));
        out.extend(bits(mask).map(|j| (l.deprived(j), 1.0)));
        out.push((l.exactly(mask.count_ones() as usize), 1.0));
        let score_num = self.score_num(mask);
        let c = score_num as f64 / self.lcm as f64;
        for k in 0..self.ks.len() {
            if self.poor_at(score_num, k) {
                out.push((l.poor(k), 1.0));
                out.push((l.score(k), c));
                out.extend(bits(mask).map(|j| (l.censored(k, j), 1.0)));
            }
        }
    }
}

/// One estimate: Y/X with Y a weighted combination of base totals and X a
/// base total, of the same domain or (`den_national`) of the year's nation.
#[derive(Debug, Clone)]
pub struct Spec {
    pub measure: Measure,
    pub indicator: Option<usize>,
    pub k: Option<usize>,
    pub deprivations: Option<usize>,
    pub num: Vec<(usize, f64)>,
    pub den: usize,
    pub den_national: bool,
    /// Alkire–Foster measures rest on known households only.
    pub af: bool,
}

fn spec(measure: Measure, num: Vec<(usize, f64)>, den: usize) -> Spec {
    Spec {
        measure,
        indicator: None,
        k: None,
        deprivations: None,
        num,
        den,
        den_national: false,
        af: den != Layout::COUNTED,
    }
}

/// Every estimate, in output order.
pub fn specs(l: &Layout, scoring: &Scoring, class_measures: &[Measure]) -> Vec<Spec> {
    let mut out = Vec::new();
    for (c, m) in class_measures.iter().enumerate() {
        out.push(spec(*m, vec![(Layout::class(c), 1.0)], Layout::COUNTED));
    }
    for k in 0..l.k {
        let with_k = |mut s: Spec| {
            s.k = Some(k);
            s
        };
        out.push(with_k(spec(Measure::H, vec![(l.poor(k), 1.0)], l.known())));
        out.push(with_k(spec(
            Measure::M0,
            vec![(l.score(k), 1.0)],
            l.known(),
        )));
        out.push(with_k(spec(Measure::A, vec![(l.score(k), 1.0)], l.poor(k))));
        for j in 0..l.j {
            let mut s = with_k(spec(
                Measure::CensoredHeadcount,
                vec![(l.censored(k, j), 1.0)],
                l.known(),
            ));
            s.indicator = Some(j);
            out.push(s);
            let w = scoring.weights[j].value();
            let mut s = with_k(spec(
                Measure::Contribution,
                vec![(l.censored(k, j), w)],
                l.score(k),
            ));
            s.indicator = Some(j);
            out.push(s);
        }
        let mut s = with_k(spec(
            Measure::SubgroupContribution,
            vec![(l.score(k), 1.0)],
            l.score(k),
        ));
        s.den_national = true;
        out.push(s);
    }
    for j in 0..l.j {
        let mut s = spec(
            Measure::UncensoredHeadcount,
            vec![(l.deprived(j), 1.0)],
            l.known(),
        );
        s.indicator = Some(j);
        out.push(s);
    }
    for d in 0..=l.j {
        let mut s = spec(Measure::CountExactly, vec![(l.exactly(d), 1.0)], l.known());
        s.deprivations = Some(d);
        out.push(s);
        if d > 0 {
            let num = (d..=l.j).map(|e| (l.exactly(e), 1.0)).collect();
            let mut s = spec(Measure::CountAtLeast, num, l.known());
            s.deprivations = Some(d);
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_third_is_not_missed_and_three_tenths_is_exact() {
        let s = Scoring::new(
            vec![Ratio::new(1, 10).unwrap(); 10],
            vec![Ratio::new(3, 10).unwrap(), Ratio::new(1, 3).unwrap()],
        );
        let three = s.score_num(0b111);
        assert!(s.poor_at(three, 0), "3/10 ≥ 3/10");
        assert!(!s.poor_at(three, 1), "3/10 < 1/3");
        let nested = Scoring::new(
            vec![
                Ratio::new(1, 6).unwrap(),
                Ratio::new(1, 6).unwrap(),
                Ratio::new(1, 18).unwrap(),
                Ratio::new(1, 18).unwrap(),
            ],
            vec![Ratio::new(1, 3).unwrap()],
        );
        // 1/6 + 1/18 + 1/18 + … : 1/6 + 1/6 = 1/3 exactly, which floats get wrong in other orders.
        assert!(nested.poor_at(nested.score_num(0b0011), 0));
        assert!(!nested.poor_at(nested.score_num(0b1101), 0));
    }
}
