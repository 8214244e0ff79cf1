//! Provinces and regions, read from the data files in `data/geo/` that are
//! bundled into the binary. Codes are the 2-digit GSO codes of the
//! 63-province scheme in force until 1 July 2025; regions are the six
//! socio-economic regions the poverty results are published by.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const PROVINCES_CSV: &str = include_str!("../../data/geo/provinces.csv");
const REGIONS_CSV: &str = include_str!("../../data/geo/regions.csv");

#[derive(Debug, Clone)]
pub struct Province {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub region: String,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Default)]
pub struct Geography {
    pub provinces: BTreeMap<String, Province>,
    pub regions: Vec<Region>,
}

impl Geography {
    pub fn province(&self, code: &str) -> Option<&Province> {
        self.provinces.get(code)
    }
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }
}

/// The bundled geography. The files are part of the build, so a parse
/// failure is a packaging bug caught by the unit test below, not user input.
pub fn geography() -> &'static Geography {
    static GEO: OnceLock<Geography> = OnceLock::new();
    GEO.get_or_init(|| parse(PROVINCES_CSV, REGIONS_CSV).unwrap_or_default())
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
}
