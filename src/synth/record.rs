//! One synthetic row as a fixed array of cells, in the order of the data
//! contract's columns (`src/schema/columns.rs`), so the CSV and Parquet
//! writers, the missing-value blanking and the tests all work column by
//! column without knowing what a household is.

use crate::schema::{ColType, ColumnSpec, HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};

/// A value before formatting. Text-like cells keep their parts, so nothing
/// is allocated per cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Bool(bool),
    Str(&'static str),
    /// A number with one decimal, held in tenths (floor areas, BMI).
    Tenths(i64),
    Float(f64),
    /// Digits zero-padded to `width` (admin codes; width 0: no padding).
    Digits {
        v: u64,
        width: u8,
    },
    /// `<commune code>-<number in the commune>`.
    HhId {
        commune: u32,
        seq: u64,
    },
    /// `<province>-urban` / `<province>-rural`.
    Stratum {
        province: &'static str,
        urban: bool,
    },
    /// A synthetic Vietnamese name: `<family> <middle> <given>`.
    Name {
        family: &'static str,
        middle: &'static str,
        given: &'static str,
    },
    /// `<kind> <number>`: "Thôn 3", "Tổ dân phố 12".
    Village {
        kind: &'static str,
        n: u8,
    },
}

// Household columns, by position in HOUSEHOLD_COLUMNS (checked by a test).
pub const H_YEAR: usize = 0;
pub const H_ID: usize = 1;
pub const H_PROVINCE: usize = 2;
pub const H_DISTRICT: usize = 3;
pub const H_COMMUNE: usize = 4;
pub const H_AREA: usize = 5;
pub const H_WEIGHT: usize = 6;
pub const H_STRATUM: usize = 7;
pub const H_PSU: usize = 8;
pub const H_SIZE: usize = 9;
pub const H_INCOME_PC: usize = 10;
pub const H_INCOME_TOTAL: usize = 11;
pub const H_SCORE: usize = 12;
/// Circular 07/2021 score A: left empty (the bundled targets are 2016–2021 years).
pub const H_SCORE_A: usize = 13;
pub const H_WALLS: usize = 14;
pub const H_COLUMNS: usize = 15;
pub const H_ROOF: usize = 16;
pub const H_DWELLING: usize = 17;
pub const H_FLOOR: usize = 18;
pub const H_WATER: usize = 19;
pub const H_LATRINE: usize = 20;
pub const H_TV: usize = 21;
pub const H_RADIO: usize = 22;
pub const H_COMPUTER: usize = 23;
pub const H_LOUDSPEAKER: usize = 24;
pub const H_PHONE: usize = 25;
pub const H_FRIDGE: usize = 26;
pub const H_BICYCLE: usize = 27;
pub const H_MOTORBIKE: usize = 28;
pub const H_CAR: usize = 29;
pub const H_CART: usize = 30;
pub const H_ELECTRICITY: usize = 31;
pub const H_COOKING: usize = 32;
pub const H_FLOOR_FINISHED: usize = 33;
pub const H_WATER_MINUTES: usize = 34;
pub const H_LATRINE_SHARED: usize = 35;
pub const H_WASTE: usize = 36;
pub const H_CHILD_DEATHS: usize = 37;
pub const NH: usize = 38;
// Kept columns after the contract's (`schema::KEPT_COLUMNS`), in this order.
pub const H_ETHNIC: usize = NH;
pub const H_VILLAGE: usize = NH + 1;
pub const H_HEAD: usize = NH + 2;
/// The household row's cells: the contract's and the kept columns.
pub const NHK: usize = NH + 3;
const KEPT: [&str; 3] = ["ethnic_minority", "village", "head_name"];

/// The household columns written: the contract's, then the kept ones.
pub fn household_specs() -> &'static [ColumnSpec] {
    static SPECS: std::sync::OnceLock<Vec<ColumnSpec>> = std::sync::OnceLock::new();
    SPECS.get_or_init(|| {
        let kept = KEPT
            .iter()
            .filter_map(|k| (crate::schema::KEPT_COLUMNS.iter()).find(|c| c.name == *k));
        HOUSEHOLD_COLUMNS.iter().chain(kept).copied().collect()
    })
}

pub const M_YEAR: usize = 0;
pub const M_HH: usize = 1;
pub const M_ID: usize = 2;
pub const M_AGE: usize = 3;
pub const M_BIRTH_YEAR: usize = 4;
pub const M_SICK: usize = 5;
pub const M_SOUGHT: usize = 6;
pub const M_INSURED: usize = 7;
pub const M_EDUCATION: usize = 8;
pub const M_IN_SCHOOL: usize = 9;
pub const M_PHONE: usize = 10;
pub const M_INTERNET: usize = 11;
pub const M_EMPLOYMENT: usize = 12;
pub const M_CONTRACT: usize = 13;
pub const M_ALLOWANCE: usize = 14;
pub const M_STUNTED: usize = 15;
pub const M_UNDERWEIGHT: usize = 16;
pub const M_BMI: usize = 17;
pub const M_YEARS_SCHOOLING: usize = 18;
pub const M_TRAINING: usize = 19;
pub const M_DIGITAL: usize = 20;
pub const NM: usize = 21;

pub type HhRow = [Cell; NHK];
pub type MemberRow = [Cell; NM];

/// Whether a column is written: the design columns only in sample mode.
pub fn household_written(col: usize, sample: bool) -> bool {
    sample || !matches!(col, H_WEIGHT | H_STRATUM | H_PSU)
}

/// Household columns `--missing-rate` may blank: every optional column
/// except the geography and the design, which a frame never loses.
pub fn household_blankable(col: usize) -> bool {
    col < NH
        && !HOUSEHOLD_COLUMNS[col].required
        && !matches!(col, H_DISTRICT | H_COMMUNE | H_WEIGHT | H_STRATUM | H_PSU)
}

pub fn member_blankable(col: usize) -> bool {
    !MEMBER_COLUMNS[col].required
}

/// The Arrow type a column is written with: what ingest stores it as.
pub fn arrow_type(spec: &ColumnSpec) -> arrow_schema::DataType {
    use arrow_schema::DataType;
    match spec.ty {
        ColType::Int => DataType::Int64,
        ColType::Float => DataType::Float64,
        ColType::Bool => DataType::Boolean,
        ColType::Code(_) | ColType::AdminCode(_) | ColType::Text => DataType::Utf8,
    }
}

/// Append `v` in decimal to `buf` (no allocation; faster than fmt).
#[inline]
pub fn push_u64(buf: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let digits = tmp.len() - i;
    for _ in digits..width {
        buf.push(b'0');
    }
    buf.extend_from_slice(&tmp[i..]);
}

#[inline]
pub fn push_i64(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    push_u64(buf, v.unsigned_abs(), 0);
}

/// Write a cell as CSV text (our values never need quoting: codes, digits,
/// ids, numbers). Null is the empty string.
#[inline]
pub fn push_cell(buf: &mut Vec<u8>, c: &Cell) {
    match *c {
        Cell::Null => {}
        Cell::Int(v) => push_i64(buf, v),
        Cell::Bool(b) => buf.push(if b { b'1' } else { b'0' }),
        Cell::Str(s) => buf.extend_from_slice(s.as_bytes()),
        Cell::Tenths(t) => {
            push_i64(buf, t / 10);
            buf.push(b'.');
            buf.push(b'0' + (t % 10).unsigned_abs() as u8);
        }
        Cell::Float(f) => {
            use std::io::Write as _;
            // Display of f64 is the shortest text that reads back as the same value.
            let _ = write!(buf, "{f}");
        }
        Cell::Digits { v, width } => push_u64(buf, v, width as usize),
        Cell::HhId { commune, seq } => {
            push_u64(buf, commune as u64, 5);
            buf.push(b'-');
            push_u64(buf, seq, 5);
        }
        Cell::Stratum { province, urban } => {
            buf.extend_from_slice(province.as_bytes());
            buf.extend_from_slice(if urban { b"-urban" } else { b"-rural" });
        }
        Cell::Name {
            family,
            middle,
            given,
        } => {
            for (i, part) in [family, middle, given].iter().enumerate() {
                if i > 0 {
                    buf.push(b' ');
                }
                buf.extend_from_slice(part.as_bytes());
            }
        }
        Cell::Village { kind, n } => {
            buf.extend_from_slice(kind.as_bytes());
            buf.push(b' ');
            push_u64(buf, n as u64, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_positions_match_the_data_contract() {
        let h = [
            (H_YEAR, "survey_year"),
            (H_ID, "household_id"),
            (H_PROVINCE, "province_code"),
            (H_DISTRICT, "district_code"),
            (H_COMMUNE, "commune_code"),
            (H_AREA, "area"),
            (H_WEIGHT, "weight"),
            (H_STRATUM, "stratum"),
            (H_PSU, "psu"),
            (H_SIZE, "household_size"),
            (H_INCOME_PC, "income_per_capita_month"),
            (H_INCOME_TOTAL, "income_total_year"),
            (H_SCORE, "score_b1"),
            (H_SCORE_A, "score_a"),
            (H_WALLS, "walls_durable"),
            (H_COLUMNS, "columns_durable"),
            (H_ROOF, "roof_durable"),
            (H_DWELLING, "dwelling_type"),
            (H_FLOOR, "floor_area_m2"),
            (H_WATER, "water_source"),
            (H_LATRINE, "latrine"),
            (H_TV, "has_tv"),
            (H_RADIO, "has_radio"),
            (H_COMPUTER, "has_computer"),
            (H_LOUDSPEAKER, "hears_loudspeaker"),
            (H_PHONE, "has_phone"),
            (H_FRIDGE, "has_fridge"),
            (H_BICYCLE, "has_bicycle"),
            (H_MOTORBIKE, "has_motorbike"),
            (H_CAR, "has_car"),
            (H_CART, "has_animal_cart"),
            (H_ELECTRICITY, "has_electricity"),
            (H_COOKING, "cooking_fuel"),
            (H_FLOOR_FINISHED, "floor_finished"),
            (H_WATER_MINUTES, "water_minutes"),
            (H_LATRINE_SHARED, "latrine_shared"),
            (H_WASTE, "waste_treatment"),
            (H_CHILD_DEATHS, "child_deaths_5y"),
        ];
        let specs = household_specs();
        assert_eq!(specs.len(), NHK);
        for (i, name) in [
            (H_ETHNIC, "ethnic_minority"),
            (H_VILLAGE, "village"),
            (H_HEAD, "head_name"),
        ] {
            assert_eq!(specs[i].name, name);
        }
        assert_eq!(
            HOUSEHOLD_COLUMNS.len(),
            NH,
            "the contract gained a column: generate it"
        );
        for (i, name) in h {
            assert_eq!(HOUSEHOLD_COLUMNS[i].name, name);
        }
        let m = [
            (M_YEAR, "survey_year"),
            (M_HH, "household_id"),
            (M_ID, "member_id"),
            (M_AGE, "age"),
            (M_BIRTH_YEAR, "birth_year"),
            (M_SICK, "sick_last_12m"),
            (M_SOUGHT, "sought_care"),
            (M_INSURED, "has_health_insurance"),
            (M_EDUCATION, "education_level"),
            (M_IN_SCHOOL, "in_school"),
            (M_PHONE, "uses_phone"),
            (M_INTERNET, "uses_internet"),
            (M_EMPLOYMENT, "employment_status"),
            (M_CONTRACT, "has_labour_contract"),
            (M_ALLOWANCE, "receives_social_allowance"),
            (M_STUNTED, "stunted"),
            (M_UNDERWEIGHT, "underweight"),
            (M_BMI, "bmi"),
            (M_YEARS_SCHOOLING, "years_schooling"),
            (M_TRAINING, "vocational_training"),
            (M_DIGITAL, "uses_digital_services"),
        ];
        assert_eq!(
            MEMBER_COLUMNS.len(),
            NM,
            "the contract gained a column: generate it"
        );
        for (i, name) in m {
            assert_eq!(MEMBER_COLUMNS[i].name, name);
        }
    }

    #[test]
    fn cells_format_as_the_validator_reads_them() {
        let mut b = Vec::new();
        for c in [
            Cell::Int(-5),
            Cell::Bool(true),
            Cell::Tenths(239),
            Cell::Tenths(80),
            Cell::Digits { v: 7, width: 2 },
            Cell::Digits { v: 12, width: 0 },
            Cell::HhId {
                commune: 301,
                seq: 42,
            },
            Cell::Stratum {
                province: "89",
                urban: false,
            },
            Cell::Float(12.5),
            Cell::Null,
        ] {
            push_cell(&mut b, &c);
            b.push(b',');
        }
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "-5,1,23.9,8.0,07,12,00301-00042,89-rural,12.5,,"
        );
    }
}
