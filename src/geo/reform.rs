//! Units across the reform of 1 July 2025: which former communes and which
//! new communes can be compared as one unit. Each former commune's area
//! went wholly to one new commune, or (a split commune) in parts to
//! several; linking every former commune to the new communes its area went
//! to, the smallest groups that hold all the parts of every commune in
//! them are the connected components of those links. A group is compared
//! as one unit: "same" (one former commune, one new one), "merged"
//! (several whole former communes, one new one) or "split_group" (a split
//! commune's parts, with every other commune that shares a new commune
//! with them). A code the bundled lists lack is its own unit, "not_in_list".

use super::geography;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// How a unit of a comparison across the reform was formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparability {
    /// One former unit became one new unit, whole.
    Same,
    /// Several former units, whole, became one new unit.
    Merged,
    /// A split commune's parts and every commune sharing a new commune
    /// with them: compared as one group.
    SplitGroup,
    /// The code is not in the bundled lists: compared as it is, alone.
    NotInList,
    /// A split group of more than `MAX_SPLIT_GROUP` new communes (the
    /// urban core of Hà Nội chains 302 former wards into 81 new ones): too
    /// large to stand for a commune, so its former and new communes are
    /// each shown alone, in their own year, and not compared.
    NotComparable,
}

/// The most new communes a split group may hold and still be compared as
/// one unit. Of the 136 split groups, 134 hold 2–7 new communes; two hold
/// 14 and 81.
pub const MAX_SPLIT_GROUP: usize = 7;

impl Comparability {
    pub fn name(self) -> &'static str {
        match self {
            Comparability::Same => "same",
            Comparability::Merged => "merged",
            Comparability::SplitGroup => "split_group",
            Comparability::NotInList => "not_in_list",
            Comparability::NotComparable => "not_comparable",
        }
    }
}

/// One group of former communes and the new communes their area went to.
#[derive(Debug, Clone)]
pub struct Group {
    /// Former commune codes (63-province scheme), sorted.
    pub old: Vec<String>,
    /// New commune codes (34-unit scheme), sorted.
    pub new: Vec<String>,
    pub kind: Comparability,
}

impl Group {
    /// The group's code in a comparison: its new commune's code, or the
    /// new codes joined by `+` when there are several.
    pub fn code(&self) -> String {
        self.new.join("+")
    }

    /// The new communes' names, joined by " + ".
    pub fn name(&self) -> String {
        let geo = geography();
        (self.new.iter())
            .map(|c| geo.commune_2025(c).map_or(c.as_str(), |x| x.name.as_str()))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// The commune groups of the reform, by former and by new commune code.
#[derive(Debug, Default)]
pub struct Reform {
    pub groups: Vec<Group>,
    by_old: BTreeMap<String, usize>,
    by_new: BTreeMap<String, usize>,
}

impl Reform {
    /// The group of a former commune (63-province scheme).
    pub fn of_old(&self, code: &str) -> Option<&Group> {
        self.by_old.get(code).map(|&i| &self.groups[i])
    }

    /// The group of a new commune (34-unit scheme).
    pub fn of_new(&self, code: &str) -> Option<&Group> {
        self.by_new.get(code).map(|&i| &self.groups[i])
    }
}

/// The groups, built once from the bundled crosswalk.
pub fn reform() -> &'static Reform {
    static R: OnceLock<Reform> = OnceLock::new();
    R.get_or_init(build)
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn build() -> Reform {
    let units = &geography().units;
    // Nodes: former communes first, then new ones.
    let old: Vec<&String> = units.crosswalk.keys().collect();
    let new: Vec<&String> = units.communes34.keys().collect();
    let new_index: BTreeMap<&str, usize> = (new.iter().enumerate())
        .map(|(i, c)| (c.as_str(), old.len() + i))
        .collect();
    let mut parent: Vec<usize> = (0..old.len() + new.len()).collect();
    for (i, code) in old.iter().enumerate() {
        for link in &units.crosswalk[*code] {
            let (a, b) = (
                find(&mut parent, i),
                find(&mut parent, new_index[link.new_code.as_str()]),
            );
            parent[a] = b;
        }
    }
    let mut by_root: BTreeMap<usize, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for (i, code) in old.iter().enumerate() {
        let r = find(&mut parent, i);
        by_root.entry(r).or_default().0.push((*code).clone());
    }
    for (i, code) in new.iter().enumerate() {
        let r = find(&mut parent, old.len() + i);
        by_root.entry(r).or_default().1.push((*code).clone());
    }
    let mut reform = Reform::default();
    for (old, new) in by_root.into_values() {
        let split = (old.iter()).any(|c| units.crosswalk[c].iter().any(|l| !l.whole));
        let kind = match (old.len(), new.len()) {
            (_, n) if split && n > MAX_SPLIT_GROUP => Comparability::NotComparable,
            _ if split => Comparability::SplitGroup,
            (1, 1) => Comparability::Same,
            // A new unit with no former commune (an island district's
            // special zone) has nothing to be compared with.
            (0, _) => Comparability::NotInList,
            _ => Comparability::Merged,
        };
        let i = reform.groups.len();
        for c in &old {
            reform.by_old.insert(c.clone(), i);
        }
        for c in &new {
            reform.by_new.insert(c.clone(), i);
        }
        reform.groups.push(Group { old, new, kind });
    }
    reform
}

/// The socio-economic region of a household of a year in the 34-unit
/// scheme. The six regions have not been officially re-drawn for the 34
/// units (spec §6, §9 item 10), so results keep the 63-province basis: the
/// region of the former province the household's commune was part of
/// (the first former commune of its group), else the region of the former
/// province whose code the unit carries (Official Letter 915/CTK-CSCL: the
/// province of its administrative centre).
pub fn region_34(province: &str, commune: &str) -> Option<&'static str> {
    let geo = geography();
    let former = (reform().of_new(commune))
        .and_then(|g| g.old.first())
        .and_then(|c| geo.commune(c))
        .map(|c| c.province.as_str())
        .unwrap_or(province);
    geo.province(former).map(|p| p.region.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_commune_is_in_one_group_with_all_its_parts() {
        let r = reform();
        let units = &geography().units;
        for (old, links) in &units.crosswalk {
            let g = r.of_old(old).unwrap();
            for l in links {
                assert!(g.new.contains(&l.new_code), "{old} → {}", l.new_code);
                assert_eq!(r.of_new(&l.new_code).unwrap().code(), g.code());
            }
        }
        let kinds = |k| r.groups.iter().filter(|g| g.kind == k).count();
        assert!(kinds(Comparability::SplitGroup) > 50);
        assert!(kinds(Comparability::Merged) > 2000);
        assert_eq!(
            kinds(Comparability::NotInList),
            5,
            "the island special zones"
        );
        assert_eq!(kinds(Comparability::NotComparable), 2);
        // 00001 Phúc Xá went wholly to 00097, in Hà Nội's chained core.
        assert_eq!(
            r.of_old("00001").unwrap().kind,
            Comparability::NotComparable
        );
        let small = (r.groups.iter())
            .filter(|g| g.kind == Comparability::SplitGroup)
            .all(|g| (2..=MAX_SPLIT_GROUP).contains(&g.new.len()));
        assert!(small);
    }

    #[test]
    fn a_34_unit_households_region_follows_its_former_province() {
        // A commune of Điện Biên (11, Northern Midlands and Mountains).
        let g = reform().of_old("03127").unwrap();
        assert_eq!(region_34("11", &g.new[0]), Some("NMM"));
        assert_eq!(region_34("11", "99999"), Some("NMM"));
        assert_eq!(region_34("99", ""), None);
    }
}
