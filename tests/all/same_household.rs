//! The same households scored under each standard: one table of the class
//! each standard gives, from real records (members and dwelling, no pre-coded
//! flags), through ingest and the real loaded standards. The households are
//! chosen so that their deprivations are known under every standard, and the
//! classes differ for the documented reasons (lines, rule, cut-off).

use crate::common::*;
use arrow_array::cast::AsArray;

/// Standards in the table: a bundled id, or a folder relative to the repository.
const STANDARDS: &[&str] = &[
    "vn-2016-2020",
    "vn-2022-2025",
    "vn-2027-2030",
    "indicators/examples/dong-nai-2022-2025",
    "global-mpi",
];

/// (household, standard, class, deprivations under that standard, why)
#[rustfmt::skip]
const EXPECTED: &[(&str, &str, &str, u8, &str)] = &[
    // h1: rural, 1,800,000 VND a month; housing and crowding deprived (2 of every set).
    ("h1", "vn-2016-2020", "not_poor", 2, "above the average bound 1,500,000"),
    ("h1", "vn-2022-2025", "average", 2, "above the 1,500,000 line, within 2,250,000"),
    ("h1", "vn-2027-2030", "near_poor", 2, "at or below 2,200,000 with 2 < 3 deprivations"),
    ("h1", "indicators/examples/dong-nai-2022-2025", "poor", 2, "at or below 2,000,000 with 2 >= 2 deprivations"),
    // h2: rural, 650,000, no deprivation.
    ("h2", "vn-2016-2020", "poor", 0, "income-poor: at or below 700,000, whatever the deprivations"),
    ("h2", "vn-2022-2025", "near_poor", 0, "low income alone is not enough"),
    ("h2", "vn-2027-2030", "near_poor", 0, "low income alone is not enough"),
    ("h2", "indicators/examples/dong-nai-2022-2025", "near_poor", 0, "low income alone is not enough"),
    // h3: urban, 1,200,000; housing, crowding and an unprotected well (3 of every set).
    ("h3", "vn-2016-2020", "poor", 3, "deprivation-poor: in the near-poor band (900,000; 1,300,000] with 3"),
    ("h3", "vn-2022-2025", "poor", 3, "at or below 2,000,000 with 3"),
    ("h3", "vn-2027-2030", "poor", 3, "at or below 2,800,000 with 3"),
    ("h3", "indicators/examples/dong-nai-2022-2025", "poor", 3, "at or below 2,500,000 with 3"),
    // h4: urban, 2,600,000; an unprotected well only.
    ("h4", "vn-2016-2020", "not_poor", 1, "above the average bound 1,950,000"),
    ("h4", "vn-2022-2025", "average", 1, "within (2,000,000; 3,000,000]"),
    ("h4", "vn-2027-2030", "near_poor", 1, "at or below 2,800,000 with 1"),
    ("h4", "indicators/examples/dong-nai-2022-2025", "average", 1, "within (2,500,000; 3,750,000]"),
    // h5: rural, 1,400,000; housing and crowding (2).
    ("h5", "vn-2016-2020", "average", 2, "within (1,000,000; 1,500,000]"),
    ("h5", "vn-2022-2025", "near_poor", 2, "at or below 1,500,000 with 2 < 3"),
    ("h5", "vn-2027-2030", "near_poor", 2, "at or below 2,200,000 with 2 < 3"),
    ("h5", "indicators/examples/dong-nai-2022-2025", "poor", 2, "the local cut-off is 2"),
    // global-mpi: no income, a weighted score (living standards 1/18 each); poor from 1/3,
    // vulnerable from 1/5. Crowding and the national indicators are not in it, and every
    // member is schooled, healthy and well nourished: no household comes near 1/5.
    ("h1", "global-mpi", "not_poor", 1, "housing (walls) alone: 1/18; its income is not read"),
    ("h2", "global-mpi", "not_poor", 0, "score 0: poor by income under 2016-2020, not by the MPI"),
    ("h3", "global-mpi", "not_poor", 2, "housing and an unprotected well: 2/18 = 1/9 < 1/5"),
    ("h4", "global-mpi", "not_poor", 1, "the unprotected well alone: 1/18"),
    ("h5", "global-mpi", "not_poor", 1, "housing (walls, roof) alone: 1/18; 15.9 m² is no MPI indicator"),
];

/// Under the weighted rule, each household's deprivation score (known, so
/// the range is one point), in eighteenths.
const MPI_SCORES: &[(&str, i64)] = &[("h1", 1), ("h2", 0), ("h3", 2), ("h4", 1), ("h5", 1)];

/// Survey year 2022; every column known, so no indicator is unknown under any standard.
const HOUSEHOLDS: &str = "survey_year,household_id,province_code,area,household_size,income_per_capita_month,\
walls_durable,columns_durable,roof_durable,floor_area_m2,water_source,latrine,has_tv,has_radio,has_computer,\
hears_loudspeaker,has_phone,has_fridge,has_bicycle,has_motorbike,has_car,has_animal_cart,has_electricity,\
cooking_fuel,floor_finished,water_minutes,latrine_shared,waste_treatment,child_deaths_5y
2022,h1,75,rural,2,1800000,0,0,1,14,piped,septic_tank,1,0,0,1,1,1,0,1,0,0,1,gas,1,0,0,collected,0
2022,h2,75,rural,2,650000,1,1,1,60,piped,septic_tank,1,0,0,1,1,1,0,1,0,0,1,gas,1,0,0,collected,0
2022,h3,75,urban,2,1200000,0,0,1,14,unprotected_well,septic_tank,1,0,0,1,1,1,0,1,0,0,1,gas,1,0,0,collected,0
2022,h4,75,urban,2,2600000,1,1,1,60,unprotected_well,septic_tank,1,0,0,1,1,1,0,1,0,0,1,gas,1,0,0,collected,0
2022,h5,75,rural,2,1400000,0,1,0,15.9,piped,septic_tank,1,0,0,1,1,1,0,1,0,0,1,gas,1,0,0,collected,0
";

/// Two adults each, aged 35 and 40: insured, schooled, working, connected, not sick.
fn members() -> String {
    let mut m = String::from(
        "survey_year,household_id,member_id,age,birth_year,sick_last_12m,sought_care,has_health_insurance,\
education_level,in_school,uses_phone,uses_internet,employment_status,has_labour_contract,\
receives_social_allowance,bmi,years_schooling,vocational_training,uses_digital_services\n",
    );
    for h in ["h1", "h2", "h3", "h4", "h5"] {
        for (id, age) in [("1", 40), ("2", 35)] {
            m.push_str(&format!(
                "2022,{h},{id},{age},{},0,,1,upper_secondary,0,1,1,self_employed,,0,22.5,12,none,1\n",
                2022 - age
            ));
        }
    }
    m
}

#[test]
fn the_same_household_under_each_standard_gets_the_documented_class() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(&t.join("in/households.csv"), HOUSEHOLDS);
    write(&t.join("in/members.csv"), &members());
    let o = dachieu(
        t,
        &["ingest", "in", "--dataset", "ds", "--quarantine", "q.csv"],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    for (k, standard) in STANDARDS.iter().enumerate() {
        let arg = if standard.starts_with("indicators/") {
            p(&repo().join(standard)).to_string()
        } else {
            standard.to_string()
        };
        let out = format!("scored{k}");
        let o = dachieu(
            t,
            &[
                "score",
                "--dataset",
                "ds",
                "--out",
                &out,
                "--standard",
                &arg,
            ],
        );
        assert_eq!(o.code, 0, "{standard}: {}{}", o.stdout, o.stderr);
        let scored = dachieu::dataset::read_parquet(
            &t.join(format!("{out}/survey_year=2022/scored.parquet")),
        )
        .unwrap();
        let text = |n: &str| scored.column_by_name(n).unwrap().as_string::<i32>().clone();
        let (ids, class) = (text("household_id"), text("class"));
        let d_min = scored
            .column_by_name("deprivations_min")
            .unwrap()
            .as_primitive::<arrow_array::types::UInt8Type>()
            .clone();
        let d_max = scored
            .column_by_name("deprivations_max")
            .unwrap()
            .as_primitive::<arrow_array::types::UInt8Type>()
            .clone();
        let rows: Vec<_> = EXPECTED.iter().filter(|e| e.1 == *standard).collect();
        assert_eq!(rows.len(), 5, "{standard}: a row per household");
        for (hh, _, want, deprivations, why) in rows {
            let i = (0..scored.num_rows())
                .find(|&i| ids.value(i) == *hh)
                .unwrap();
            assert_eq!(
                (d_min.value(i), d_max.value(i)),
                (*deprivations, *deprivations),
                "{hh} under {standard}: deprivations"
            );
            assert_eq!(class.value(i), *want, "{hh} under {standard}: {why}");
            if let Some(lo) = scored.column_by_name("deprivation_score_min") {
                let hi = scored.column_by_name("deprivation_score_max").unwrap();
                let (lo, hi) = (
                    lo.as_primitive::<arrow_array::types::Float64Type>()
                        .value(i),
                    hi.as_primitive::<arrow_array::types::Float64Type>()
                        .value(i),
                );
                let want = MPI_SCORES.iter().find(|m| m.0 == *hh).unwrap().1 as f64 / 18.0;
                assert_eq!((lo, hi), (want, want), "{hh} under {standard}: score");
            }
        }
    }
}
