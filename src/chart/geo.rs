//! Tile-grid positions and the 2025 merger, from the bundled CSVs in
//! `data/geo/`: the 63 provinces (before 1 July 2025), the 34 units after
//! Resolution 202/2025/QH15, and the crosswalk from one to the other.

use crate::i18n::Lang;

const TILEGRID63: &str = include_str!("../../data/geo/tilegrid63.csv");
const TILEGRID34: &str = include_str!("../../data/geo/tilegrid34.csv");
const ISLANDS: &str = include_str!("../../data/geo/islands.csv");

/// Which set of units a tile grid is for.
pub use crate::geo::AdminScheme as Scheme;

/// Data rows of a small bundled CSV (header skipped, fields trimmed). The
/// files have no quoted fields.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(str::trim).collect())
}

/// `(code, row, col)` of every unit, row 0 at the top (north).
pub fn tile_grid(scheme: Scheme) -> Vec<(String, u32, u32)> {
    let text = match scheme {
        Scheme::Provinces63 => TILEGRID63,
        Scheme::Units34 => TILEGRID34,
    };
    rows(text)
        .filter_map(|f| match f.as_slice() {
            [code, row, col] => Some((code.to_string(), row.parse().ok()?, col.parse().ok()?)),
            _ => None,
        })
        .collect()
}

/// The archipelagos every map of Vietnam carries, placed on the scheme's
/// tile grid in the sea by their province: Hoàng Sa (Đà Nẵng, 48) and
/// Trường Sa (Khánh Hòa, 56), the same before and after the 2025 reform.
pub fn islands(scheme: Scheme, lang: Lang) -> Vec<super::Island> {
    let want = match scheme {
        Scheme::Provinces63 => "63",
        Scheme::Units34 => "34",
    };
    rows(ISLANDS)
        .filter_map(|f| match f.as_slice() {
            [s, _code, row, col, short_vi, short_en, name_vi, name_en] if *s == want => {
                Some(super::Island {
                    short: lang.t(short_vi, short_en).to_string(),
                    name: lang.t(name_vi, name_en).to_string(),
                    row: row.parse().ok()?,
                    col: col.parse().ok()?,
                })
            }
            _ => None,
        })
        .collect()
}

/// `(old 63-code, new 34-code)` for every one of the 63 former provinces.
pub fn crosswalk_2025() -> Vec<(String, String)> {
    crate::geo::geography()
        .crosswalk_2025
        .iter()
        .map(|(o, n)| (o.clone(), n.clone()))
        .collect()
}

/// Name of a post-2025 unit ("Huế", "TP Hồ Chí Minh" / "Hue", "Ho Chi Minh
/// City"). A one-digit code is read as zero-padded ("1" → "01").
pub fn unit34_name(code: &str, lang: Lang) -> Option<String> {
    let code = format!("{:0>2}", code.trim());
    crate::geo::geography()
        .units_2025
        .get(&code)
        .map(|u| lang.t(&u.name_vi, &u.name_en).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNITS34: &str = include_str!("../../data/geo/units34.csv");
    const CROSSWALK: &str = include_str!("../../data/geo/crosswalk_2025.csv");
    use std::collections::{BTreeMap, BTreeSet};

    fn province_codes() -> BTreeSet<String> {
        crate::geo::geography().provinces.keys().cloned().collect()
    }

    fn check_grid(
        grid: &[(String, u32, u32)],
        codes: &BTreeSet<String>,
        max_rows: u32,
        max_cols: u32,
    ) {
        let got: BTreeSet<String> = grid.iter().map(|g| g.0.clone()).collect();
        assert_eq!(got.len(), grid.len(), "duplicate code");
        assert_eq!(&got, codes);
        let cells: BTreeSet<(u32, u32)> = grid.iter().map(|g| (g.1, g.2)).collect();
        assert_eq!(cells.len(), grid.len(), "two units in one cell");
        assert!(grid.iter().all(|g| g.1 < max_rows && g.2 < max_cols));
    }

    #[test]
    fn grid_63_matches_the_provinces_file() {
        let grid = tile_grid(Scheme::Provinces63);
        assert_eq!(grid.len(), 63);
        check_grid(&grid, &province_codes(), 22, 8);
        let at = |c: &str| grid.iter().find(|g| g.0 == c).map(|g| (g.1, g.2)).unwrap();
        // North at the top: Hà Giang and Cao Bằng on the first row, Cà Mau on the last.
        assert_eq!(at("02").0, 0);
        assert_eq!(at("04").0, 0);
        let last = grid.iter().map(|g| g.1).max().unwrap();
        assert_eq!(at("96").0, last);
        // Hà Nội north of Huế, north of TP Hồ Chí Minh.
        assert!(at("01").0 < at("46").0 && at("46").0 < at("79").0);
    }

    #[test]
    fn grid_34_matches_the_units_file() {
        let grid = tile_grid(Scheme::Units34);
        assert_eq!(grid.len(), 34);
        let units: BTreeSet<String> = rows(UNITS34).map(|f| f[0].to_string()).collect();
        assert_eq!(units.len(), 34);
        check_grid(&grid, &units, 17, 7);
        let types: Vec<String> = rows(UNITS34).map(|f| f[3].to_string()).collect();
        assert_eq!(types.iter().filter(|t| *t == "city").count(), 6);
        assert_eq!(types.iter().filter(|t| *t == "province").count(), 28);
    }

    #[test]
    fn crosswalk_covers_the_63_once_onto_the_34() {
        let cw = crosswalk_2025();
        assert_eq!(cw.len(), 63);
        let old: BTreeSet<String> = cw.iter().map(|c| c.0.clone()).collect();
        assert_eq!(old, province_codes());
        let new: BTreeSet<String> = cw.iter().map(|c| c.1.clone()).collect();
        assert_eq!(new.len(), 34);
        let units: BTreeSet<String> = rows(UNITS34).map(|f| f[0].to_string()).collect();
        assert_eq!(new, units);
        let map: BTreeMap<&str, &str> = cw.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        // Official Letter 915/CTK-CSCL: An Giang takes Kiên Giang's code.
        assert_eq!(map["91"], "91", "Kiên Giang → An Giang");
        assert_eq!(map["89"], "91");
        assert_eq!(map["30"], "31", "Hải Dương → Hải Phòng");
        assert_eq!(map["31"], "31");
        assert_eq!(map["46"], "46");
        // Each new unit keeps the code of one of its constituents.
        for n in &new {
            assert!(
                map.get(n.as_str()) == Some(&n.as_str()),
                "unit {n} is not one of its own constituents"
            );
        }
        // Confidence and source columns are filled.
        for f in rows(CROSSWALK) {
            assert!(f[2] == "confirmed" || f[2] == "secondary", "{f:?}");
            assert!(f[3].starts_with("[S"), "{f:?}");
        }
    }

    #[test]
    fn both_archipelagos_sit_in_the_sea_on_both_grids() {
        for scheme in [Scheme::Provinces63, Scheme::Units34] {
            let grid = tile_grid(scheme);
            let taken: BTreeSet<(u32, u32)> = grid.iter().map(|g| (g.1, g.2)).collect();
            let at = |c: &str| grid.iter().find(|g| g.0 == c).map(|g| (g.1, g.2)).unwrap();
            let vi = islands(scheme, Lang::Vi);
            let names: Vec<&str> = vi.iter().map(|i| i.name.as_str()).collect();
            assert_eq!(
                names,
                [
                    "Quần đảo Hoàng Sa (Đà Nẵng)",
                    "Quần đảo Trường Sa (Khánh Hòa)"
                ]
            );
            for (island, parent) in vi.iter().zip(["48", "56"]) {
                assert!(!taken.contains(&(island.row, island.col)), "{scheme:?}");
                // East or south-east of its province's tile, in the sea.
                let (r, c) = at(parent);
                assert!(island.col >= c && island.row.abs_diff(r) <= 2, "{scheme:?}");
            }
            let en = islands(scheme, Lang::En);
            assert_eq!(en[0].name, "Hoang Sa archipelago (Da Nang)");
            assert_eq!(en[1].short, "Truong Sa");
        }
    }

    #[test]
    fn unit_names_follow_the_language() {
        assert_eq!(unit34_name("46", Lang::Vi).as_deref(), Some("Huế"));
        assert_eq!(
            unit34_name("79", Lang::Vi).as_deref(),
            Some("TP Hồ Chí Minh")
        );
        assert_eq!(
            unit34_name("79", Lang::En).as_deref(),
            Some("Ho Chi Minh City")
        );
        assert_eq!(unit34_name("1", Lang::Vi).as_deref(), Some("Hà Nội"));
        assert_eq!(
            unit34_name("30", Lang::Vi),
            None,
            "Hải Dương is no longer a unit"
        );
        for (code, _, _) in tile_grid(Scheme::Units34) {
            let name = unit34_name(&code, Lang::Vi).unwrap();
            assert_eq!(name, crate::i18n::nfc(&name));
        }
    }
}
