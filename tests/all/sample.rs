//! The bundled sample (`data-samples/`) itself: real units, kept columns.
//! What a run makes of it is held by the golden and hash tests; this holds
//! the facts the README promises about the data.

use crate::common::sample_dir;

use dachieu::geo::geography;

use std::collections::{BTreeMap, BTreeSet};

/// The household rows of the sample as header → value maps.
fn households() -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(sample_dir().join("households.csv")).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// (survey_year, household_id) of the households whose members carry no
/// age and no birth year (the care-centre residents).
fn ageless_households() -> BTreeSet<(String, String)> {
    let mut r = csv::Reader::from_path(sample_dir().join("members.csv")).unwrap();
    let head = r.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (y, h, a, b) = (
        col("survey_year"),
        col("household_id"),
        col("age"),
        col("birth_year"),
    );
    let mut with_age = BTreeSet::new();
    let mut all = BTreeSet::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let key = (rec[y].to_string(), rec[h].to_string());
        if !rec[a].is_empty() || !rec[b].is_empty() {
            with_age.insert(key.clone());
        }
        all.insert(key);
    }
    all.difference(&with_age).cloned().collect()
}

#[test]
fn every_district_and_commune_of_the_sample_is_in_the_list_of_2025_03_01() {
    let geo = geography();
    let rows = households();
    assert_eq!(rows.len(), 6037);
    let mut unknown = BTreeSet::new();
    let mut communes = BTreeSet::new();
    for r in &rows {
        let (p, d, c) = (&r["province_code"], &r["district_code"], &r["commune_code"]);
        let district = geo.district(d);
        let commune = geo.commune(c);
        match (district, commune) {
            (Some(dist), Some(com)) => {
                assert_eq!(&dist.province, p, "district {d} of {}", r["household_id"]);
                assert_eq!(
                    (&com.province, &com.district),
                    (p, d),
                    "commune {c} of {}",
                    r["household_id"]
                );
                // A commune's area follows its type: xã rural, phường and
                // thị trấn urban.
                let rural = com.name.starts_with("Xã ");
                assert_eq!(
                    r["area"],
                    if rural { "rural" } else { "urban" },
                    "{} in {}",
                    r["household_id"],
                    com.name
                );
                communes.insert(c.clone());
            }
            _ => {
                unknown.insert(format!("{p}/{d}/{c}"));
            }
        }
    }
    assert!(unknown.is_empty(), "codes not in the list: {unknown:?}");
    // Six provinces, four districts each, eleven communes a province.
    let districts: BTreeSet<_> = rows.iter().map(|r| &r["district_code"]).collect();
    assert_eq!((districts.len(), communes.len()), (24, 66));
}

#[test]
fn the_sample_carries_the_kept_columns_the_same_in_every_year() {
    let rows = households();
    let ageless = ageless_households();
    assert_eq!(ageless.len(), 15, "five care-centre households a year");
    let mut by_household: BTreeMap<&str, BTreeSet<[&str; 4]>> = BTreeMap::new();
    let mut minority: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in &rows {
        let key = (r["survey_year"].clone(), r["household_id"].clone());
        let care = ageless.contains(&key);
        assert!(!r["village"].is_empty(), "{key:?} has no village");
        let em = r["ethnic_minority"].as_str();
        if care {
            // No head recorded: no name, no ethnicity.
            assert_eq!((r["head_name"].as_str(), em), ("", ""), "{key:?}");
        } else {
            assert!(
                r["head_name"].split(' ').count() >= 2,
                "{key:?}: head_name {:?}",
                r["head_name"]
            );
            assert!(em == "0" || em == "1", "{key:?}: ethnic_minority {em:?}");
        }
        let m = minority.entry(r["province_code"].as_str()).or_default();
        m.0 += 1;
        m.1 += usize::from(em == "1");
        by_household
            .entry(r["household_id"].as_str())
            .or_default()
            .insert([
                r["village"].as_str(),
                r["head_name"].as_str(),
                r["address"].as_str(),
                em,
            ]);
    }
    let moved: Vec<_> = by_household.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(
        moved.is_empty(),
        "kept columns differ across years: {moved:?}"
    );
    // Shares by province roughly as the census has them: Điện Biên mostly
    // ethnic-minority, the two cities and Hải Dương few.
    let share = |p: &str| minority[p].1 as f64 / minority[p].0 as f64;
    assert!(share("11") > 0.7, "Điện Biên {}", share("11"));
    for p in ["01", "79", "30"] {
        assert!(share(p) < 0.1, "{p}: {}", share(p));
    }
    for p in ["89", "91"] {
        assert!((0.03..0.3).contains(&share(p)), "{p}: {}", share(p));
    }
    // Some addresses, not all.
    let with_address = rows.iter().filter(|r| !r["address"].is_empty()).count();
    assert!(
        (rows.len() / 10..rows.len() / 2).contains(&with_address),
        "{with_address} addresses"
    );
}
