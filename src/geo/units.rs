//! Districts and communes, named: GSO's list of 1 March 2025 for the
//! 63-province scheme (province → district → commune), the communes of the
//! 34-province scheme in force since 1 July 2025 (no district level), and
//! the old → new commune crosswalk. Read from `data/geo/` (sources and known
//! gaps in `data/geo/README.md`), bundled into the binary, parsed once.
//!
//! District (3-digit) and commune (5-digit) codes are unique nationally, so
//! a code alone names its unit. The list is dated: communes merged in the
//! reorganisations before 2025 are not in it, and a code it lacks is shown
//! as its code with no invented name.

use std::collections::BTreeMap;

const UNITS63_CSV: &str = include_str!("../../data/geo/units63.csv");
const COMMUNES34_CSV: &str = include_str!("../../data/geo/communes34.csv");
const COMMUNE_CROSSWALK_CSV: &str = include_str!("../../data/geo/commune_crosswalk.csv");

/// The date of the 63-province list, as the outputs cite it.
pub const LIST_DATE_63: &str = "01/03/2025";
/// The date the 34-province scheme came into force.
pub const LIST_DATE_34: &str = "01/07/2025";

/// A district of the 63-province scheme.
#[derive(Debug, Clone)]
pub struct District {
    pub code: String,
    /// The full name with its type, as GSO writes it: "Huyện Mường Nhé".
    pub name: String,
    pub province: String,
}

/// A commune of the 63-province scheme.
#[derive(Debug, Clone)]
pub struct Commune {
    pub code: String,
    /// "Xã Mường Nhé", "Phường Phúc Xá", "Thị trấn Mường Chà".
    pub name: String,
    pub district: String,
    pub province: String,
}

/// A commune-level unit of the 34-province scheme (phường, xã, đặc khu).
#[derive(Debug, Clone)]
pub struct Commune34 {
    pub code: String,
    pub name: String,
    /// The code of one of the 34 provincial units.
    pub province: String,
}

/// Where (part of) a former commune went on 1 July 2025.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneLink {
    pub new_code: String,
    /// All of the former commune went to this one new commune; `false` for
    /// each part of a commune split among several.
    pub whole: bool,
}

/// The bundled unit lists.
#[derive(Debug, Default)]
pub struct Units {
    pub districts: BTreeMap<String, District>,
    pub communes: BTreeMap<String, Commune>,
    pub communes34: BTreeMap<String, Commune34>,
    /// Former commune code → where its area went (one link, or several for a
    /// split commune).
    pub crosswalk: BTreeMap<String, Vec<CommuneLink>>,
}

pub(super) fn parse() -> Result<Units, String> {
    let mut u = Units::default();
    for r in super::records(UNITS63_CSV)? {
        u.districts.entry(r[1].to_string()).or_insert(District {
            code: r[1].to_string(),
            name: r[2].to_string(),
            province: r[0].to_string(),
        });
        u.communes.insert(
            r[3].to_string(),
            Commune {
                code: r[3].to_string(),
                name: r[4].to_string(),
                district: r[1].to_string(),
                province: r[0].to_string(),
            },
        );
    }
    for r in super::records(COMMUNES34_CSV)? {
        u.communes34.insert(
            r[1].to_string(),
            Commune34 {
                code: r[1].to_string(),
                name: r[2].to_string(),
                province: r[0].to_string(),
            },
        );
    }
    for r in super::records(COMMUNE_CROSSWALK_CSV)? {
        if !u.communes.contains_key(&r[0]) || !u.communes34.contains_key(&r[1]) {
            return Err(format!(
                "commune crosswalk row {} → {} names an unknown commune",
                &r[0], &r[1]
            ));
        }
        u.crosswalk
            .entry(r[0].to_string())
            .or_default()
            .push(CommuneLink {
                new_code: r[1].to_string(),
                whole: &r[2] == "yes",
            });
    }
    Ok(u)
}

impl Units {
    /// The communes of the 63-province scheme that lie in `district`.
    pub fn communes_of(&self, district: &str) -> impl Iterator<Item = &Commune> {
        let district = district.to_string();
        self.communes
            .values()
            .filter(move |c| c.district == district)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_have_the_published_sizes() {
        let u = parse().unwrap();
        assert_eq!(u.communes.len(), 10_047);
        assert_eq!(
            u.districts.len(),
            696 - 5,
            "five island districts have no commune row"
        );
        assert_eq!(u.communes34.len(), 3_321);
        assert_eq!(
            u.crosswalk.len(),
            10_047,
            "every former commune maps somewhere"
        );
        let parts: usize = u.crosswalk.values().map(Vec::len).sum();
        assert_eq!(parts, 10_599);
        let split = u
            .crosswalk
            .values()
            .filter(|l| l.iter().any(|x| !x.whole))
            .count();
        assert!(split > 300, "{split} split communes");
        // A split commune's links are all parts; a whole one has one link.
        for links in u.crosswalk.values() {
            assert!(links.len() == 1 && links[0].whole || links.iter().all(|l| !l.whole));
        }
    }

    #[test]
    fn names_are_as_gso_writes_them() {
        let u = parse().unwrap();
        assert_eq!(u.districts["096"].name, "Huyện Mường Nhé");
        assert_eq!(u.districts["096"].province, "11");
        assert_eq!(
            u.districts["095"].name, "Thị xã Mường Lay",
            "type written in lower case"
        );
        assert_eq!(u.communes["00001"].name, "Phường Phúc Xá");
        assert_eq!(u.communes["00001"].district, "001");
        assert_eq!(u.communes34["00070"].name, "Phường Hoàn Kiếm");
        assert!(u.communes_of("096").count() > 5);
        for name in u.communes.values().map(|c| &c.name) {
            assert_eq!(name, &crate::i18n::nfc(name));
        }
    }
}
