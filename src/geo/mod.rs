//! Provinces, regions, districts and communes, read from the data files in
//! `data/geo/` that are bundled into the binary (sources in
//! `data/geo/README.md`). Province codes are the 2-digit GSO codes of the
//! 63-province scheme in force until 1 July 2025, or of the 34 units since;
//! regions are the six socio-economic regions the poverty results are
//! published by; districts and communes are GSO's list of 1 March 2025 and
//! the communes of 1 July 2025 (`units`). `scope` names what a run covers.

pub mod reform;
mod scope;
mod units;
mod user_names;

pub use scope::{AdminScheme, Scope};
pub use units::{Commune, Commune34, CommuneLink, District, Units, LIST_DATE_34, LIST_DATE_63};
pub use user_names::{UnitLevel, UserName, UserNames};

use crate::i18n::Lang;

use std::collections::BTreeMap;
use std::sync::OnceLock;

const PROVINCES_CSV: &str = include_str!("../../data/geo/provinces.csv");
const REGIONS_CSV: &str = include_str!("../../data/geo/regions.csv");
const UNITS_2025_CSV: &str = include_str!("../../data/geo/units34.csv");
const CROSSWALK_2025_CSV: &str = include_str!("../../data/geo/crosswalk_2025.csv");

#[derive(Debug, Clone)]
pub struct Province {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub region: String,
    /// A centrally-run city (thành phố trực thuộc Trung ương) rather than a
    /// province.
    pub city: bool,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

/// A provincial unit after the 1 July 2025 merger (Resolution 202/2025/QH15).
#[derive(Debug, Clone)]
pub struct Unit2025 {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub city: bool,
}

#[derive(Debug, Default)]
pub struct Geography {
    pub provinces: BTreeMap<String, Province>,
    pub regions: Vec<Region>,
    /// The 34 units from 1 July 2025, by code.
    pub units_2025: BTreeMap<String, Unit2025>,
    /// Former province code → the unit it belongs to since 1 July 2025.
    pub crosswalk_2025: BTreeMap<String, String>,
    /// Districts and communes.
    pub units: Units,
}

impl Geography {
    pub fn province(&self, code: &str) -> Option<&Province> {
        self.provinces.get(code)
    }
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }
    /// The post-2025 unit of a former province.
    pub fn unit_2025(&self, province: &str) -> Option<&Unit2025> {
        self.units_2025.get(self.crosswalk_2025.get(province)?)
    }
    /// A district of the 63-province scheme, by its 3-digit code.
    pub fn district(&self, code: &str) -> Option<&District> {
        self.units.districts.get(code)
    }
    /// A commune of the 63-province scheme (list of 01/03/2025), by its
    /// 5-digit code.
    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.units.communes.get(code)
    }
    /// A commune-level unit of the 34-province scheme, by its 5-digit code.
    pub fn commune_2025(&self, code: &str) -> Option<&Commune34> {
        self.units.communes34.get(code)
    }
    /// Where a former commune's area went on 1 July 2025 (empty when the
    /// code is not in the list of 01/03/2025).
    pub fn commune_links(&self, old_code: &str) -> &[CommuneLink] {
        self.units
            .crosswalk
            .get(old_code)
            .map_or(&[], Vec::as_slice)
    }
    /// A province's name with its type, as documents head it: "Tỉnh Điện
    /// Biên", "Thành phố Hà Nội" ("Dien Bien province", "Ha Noi city").
    pub fn province_title(&self, scheme: AdminScheme, code: &str, lang: Lang) -> Option<String> {
        let (vi, en, city) = match scheme {
            AdminScheme::Provinces63 => {
                let p = self.province(code)?;
                (&p.name_vi, &p.name_en, p.city)
            }
            AdminScheme::Units34 => {
                let u = self.units_2025.get(code)?;
                (&u.name_vi, &u.name_en, u.city)
            }
        };
        let vi = vi.strip_prefix("TP ").unwrap_or(vi);
        Some(match (lang, city) {
            (Lang::Vi, true) => format!("Thành phố {vi}"),
            (Lang::Vi, false) => format!("Tỉnh {vi}"),
            (Lang::En, true) if en.ends_with("City") => en.clone(),
            (Lang::En, true) => format!("{en} city"),
            (Lang::En, false) => format!("{en} province"),
        })
    }
}

/// The bundled geography. The files are part of the build, so a parse
/// failure is a packaging bug caught by the unit test below, not user input.
pub fn geography() -> &'static Geography {
    static GEO: OnceLock<Geography> = OnceLock::new();
    GEO.get_or_init(|| {
        parse(PROVINCES_CSV, REGIONS_CSV)
            .and_then(with_2025)
            .and_then(|mut g| {
                g.units = units::parse()?;
                Ok(g)
            })
            .unwrap_or_default()
    })
}

fn records(text: &str) -> Result<Vec<csv::StringRecord>, String> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())
}

fn parse(provinces: &str, regions: &str) -> Result<Geography, String> {
    let mut geo = Geography::default();
    for r in records(regions)? {
        geo.regions.push(Region {
            code: r[0].to_string(),
            name_vi: r[1].to_string(),
            name_en: r[2].to_string(),
        });
    }
    for r in records(provinces)? {
        let p = Province {
            code: r[0].to_string(),
            name_vi: r[1].to_string(),
            name_en: r[2].to_string(),
            region: r[3].to_string(),
            city: &r[4] == "city",
        };
        if geo.region(&p.region).is_none() {
            return Err(format!(
                "province {} has unknown region {}",
                p.code, p.region
            ));
        }
        geo.provinces.insert(p.code.clone(), p);
    }
    Ok(geo)
}

/// Add the 2025 units and the crosswalk; every former province must map to
/// one known unit.
fn with_2025(mut geo: Geography) -> Result<Geography, String> {
    for r in records(UNITS_2025_CSV)? {
        geo.units_2025.insert(
            r[0].to_string(),
            Unit2025 {
                code: r[0].to_string(),
                name_vi: r[1].to_string(),
                name_en: r[2].to_string(),
                city: &r[3] == "city",
            },
        );
    }
    for r in records(CROSSWALK_2025_CSV)? {
        if !geo.units_2025.contains_key(&r[1]) || !geo.provinces.contains_key(&r[0]) {
            return Err(format!(
                "crosswalk row {} → {} names an unknown unit",
                &r[0], &r[1]
            ));
        }
        geo.crosswalk_2025
            .insert(r[0].to_string(), r[1].to_string());
    }
    if geo.crosswalk_2025.len() != geo.provinces.len() {
        return Err("the 2025 crosswalk must map every former province once".into());
    }
    Ok(geo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_files_parse_and_have_63_provinces_in_6_regions() {
        let geo = parse(PROVINCES_CSV, REGIONS_CSV).unwrap();
        assert_eq!(geo.provinces.len(), 63);
        assert_eq!(geo.regions.len(), 6);
        let count = |r: &str| geo.provinces.values().filter(|p| p.region == r).count();
        assert_eq!(
            [
                count("RRD"),
                count("NMM"),
                count("NCC"),
                count("CH"),
                count("SE"),
                count("MRD")
            ],
            [11, 14, 14, 5, 6, 13]
        );
        assert_eq!(geo.province("89").unwrap().name_vi, "An Giang");
        assert_eq!(geo.province("01").unwrap().name_vi, "Hà Nội");
    }

    #[test]
    fn every_former_province_maps_to_one_of_34_units() {
        let geo = parse(PROVINCES_CSV, REGIONS_CSV)
            .and_then(with_2025)
            .unwrap();
        assert_eq!(geo.units_2025.len(), 34);
        assert_eq!(geo.crosswalk_2025.len(), 63);
        assert_eq!(geo.unit_2025("91").unwrap().name_vi, "An Giang");
        assert_eq!(geo.unit_2025("30").unwrap().code, "31");
        assert_eq!(geo.unit_2025("46").unwrap().name_vi, "Huế");
        // Official Letter 915/CTK-CSCL: a merged unit may take another
        // constituent's code than the one whose name it kept.
        assert_eq!(geo.unit_2025("89").unwrap().code, "91", "An Giang");
        assert_eq!(geo.unit_2025("10").unwrap().code, "15", "Lào Cai");
        assert_eq!(geo.unit_2025("64").unwrap().code, "52", "Gia Lai");
    }

    #[test]
    fn the_bundled_geography_has_units_and_titles() {
        let geo = geography();
        assert_eq!(geo.district("094").unwrap().name, "Thành phố Điện Biên Phủ");
        assert_eq!(geo.commune_links("00001")[0].new_code, "00097");
        assert!(geo.commune_links("99999").is_empty());
        let title = |s, c, l| geo.province_title(s, c, l).unwrap();
        assert_eq!(
            title(AdminScheme::Provinces63, "11", Lang::Vi),
            "Tỉnh Điện Biên"
        );
        assert_eq!(
            title(AdminScheme::Provinces63, "79", Lang::Vi),
            "Thành phố Hồ Chí Minh"
        );
        assert_eq!(
            title(AdminScheme::Provinces63, "79", Lang::En),
            "Ho Chi Minh City"
        );
        assert_eq!(
            title(AdminScheme::Provinces63, "46", Lang::Vi),
            "Tỉnh Thừa Thiên Huế"
        );
        assert_eq!(title(AdminScheme::Units34, "46", Lang::Vi), "Thành phố Huế");
    }
}
