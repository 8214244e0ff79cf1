//! Two survey years' classes, household by household: the class states
//! of the standards compared, and how many households moved from each
//! state to each other, per group and nationally. Households that appear
//! or disappear are counted as `absent` on the other side, never dropped.

use crate::error::Result;
use crate::measure::{Groups, Level};
use crate::score::classify::Class;
use crate::score::scheme::Scheme;
use crate::score::view::Scored;
use arrow_array::RecordBatch;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The class states a household can be in: the classes of the standards
/// compared (in the engine's order: poor, near-poor, vulnerable, average,
/// not poor), then undetermined, excluded, and `absent` when it has no
/// record. Poor is always state 0.
#[derive(Debug, Clone)]
pub struct States {
    pub names: Vec<String>,
    /// The class counted beside the poor (near-poor, or vulnerable).
    pub near: Option<usize>,
}

impl States {
    pub fn of(schemes: &[Scheme]) -> States {
        let mut names: Vec<String> = Class::ALL
            .iter()
            .map(|c| c.name())
            .filter(|c| schemes.iter().any(|s| s.has(c)))
            .map(str::to_string)
            .collect();
        names.extend(["undetermined", "excluded", "absent"].map(String::from));
        let near = schemes
            .iter()
            .find_map(|s| s.near)
            .and_then(|n| names.iter().position(|x| x == n.name()));
        States { names, near }
    }
    pub fn n(&self) -> usize {
        self.names.len()
    }
    pub fn absent(&self) -> usize {
        self.names.len() - 1
    }
    pub fn undetermined(&self) -> usize {
        self.names.len() - 3
    }
    pub fn of_class(&self, class: &str) -> usize {
        self.names[..self.absent()]
            .iter()
            .position(|s| s == class)
            .unwrap_or(self.undetermined())
    }
}

/// One year's households: id → (state, group code, row).
pub fn households<'a>(
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

/// Households by (state before, state after).
pub type Matrix = Vec<Vec<u64>>;

#[derive(Clone)]
pub struct Counts {
    pub matrix: Matrix,
}

/// Transitions per group (of the first side; of the second for households
/// only there) and nationally, between the classes of two scorings.
pub fn transitions(
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
