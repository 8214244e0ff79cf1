//! The standards shipped inside the binary, so `dachieu` works from any
//! folder. Each is resolved by id before any path (`--standard vn-2016-2020`).
//! A test checks that this list and the files in `indicators/` agree.

use super::load::SourceFile;

macro_rules! bundle {
    ($dir:literal, [$($file:literal),* $(,)?]) => {
        &[$(($file, include_str!(concat!("../../indicators/", $dir, "/", $file)))),*]
    };
}

type Files = &'static [(&'static str, &'static str)];

/// The national standards `--standard auto` chooses from, by review year.
/// Other bundled standards (analytical ones such as a global MPI) are only
/// used when named.
pub const NATIONAL: &[&str] = &["vn-2016-2020", "vn-2022-2025", "vn-2027-2030"];

const BUNDLED: &[(&str, Files)] = &[
    (
        "vn-2016-2020",
        bundle!(
            "vn-2016-2020",
            [
                "standard.toml",
                "health_access.toml",
                "health_insurance.toml",
                "adult_education.toml",
                "child_schooling.toml",
                "housing_quality.toml",
                "floor_area.toml",
                "water_source.toml",
                "latrine.toml",
                "telecom.toml",
                "info_assets.toml",
            ]
        ),
    ),
    (
        "vn-2022-2025",
        bundle!(
            "vn-2022-2025",
            [
                "standard.toml",
                "employment.toml",
                "dependents.toml",
                "nutrition.toml",
                "health_insurance.toml",
                "adult_education.toml",
                "child_schooling.toml",
                "housing_quality.toml",
                "floor_area.toml",
                "water_source.toml",
                "latrine.toml",
                "telecom.toml",
                "info_access.toml",
            ]
        ),
    ),
    (
        "vn-2027-2030",
        bundle!(
            "vn-2027-2030",
            [
                "standard.toml",
                "employment.toml",
                "dependents.toml",
                "health_insurance.toml",
                "nutrition.toml",
                "adult_education.toml",
                "child_schooling.toml",
                "floor_area.toml",
                "housing_quality.toml",
                "digital_services.toml",
                "water_source.toml",
                "latrine.toml",
                "waste_treatment.toml",
            ]
        ),
    ),
    (
        "global-mpi",
        bundle!(
            "global-mpi",
            [
                "standard.toml",
                "nutrition.toml",
                "child_mortality.toml",
                "years_schooling.toml",
                "school_attendance.toml",
                "cooking_fuel.toml",
                "sanitation.toml",
                "drinking_water.toml",
                "electricity.toml",
                "housing.toml",
                "assets.toml",
            ]
        ),
    ),
];

/// Ids of the bundled standards.
pub fn ids() -> Vec<&'static str> {
    BUNDLED.iter().map(|(id, _)| *id).collect()
}

/// The files of a bundled standard, named as `indicators/<id>/<file>`.
pub fn files(id: &str) -> Option<Vec<SourceFile>> {
    BUNDLED.iter().find(|(i, _)| *i == id).map(|(id, files)| {
        files
            .iter()
            .map(|(name, text)| SourceFile {
                name: format!("indicators/{id}/{name}"),
                text: text.to_string(),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_matches_the_indicators_folder() {
        for (id, files) in BUNDLED {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("indicators")
                .join(id);
            let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect();
            on_disk.sort();
            let mut listed: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
            listed.sort();
            assert_eq!(on_disk, listed, "update bundled.rs for {id}");
        }
    }

    #[test]
    fn every_bundled_standard_loads() {
        for id in ids() {
            if let Err(e) = super::super::resolve(id) {
                panic!("{id}: {e}");
            }
        }
    }
}
