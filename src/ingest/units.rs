//! A household row's administrative codes checked against the scheme its
//! year is in: the 63 provinces with districts until 30 June 2025, the 34
//! provincial units with communes and no districts from 1 July 2025
//! (`geo::AdminScheme`). The scheme is the row's `admin_scheme` when given,
//! else its survey year's (2025 and later: 34). Commune codes are not
//! checked: a code the bundled list lacks is kept and counted.

use super::row::{Problem, Row};
use super::validate::Typed;
use crate::geo::{geography, AdminScheme, LIST_DATE_34};
use crate::schema::TableKind;

const HH: TableKind = TableKind::Households;

/// The scheme of a household row: its `admin_scheme`, else its year's.
pub fn scheme_of(row: &Row) -> AdminScheme {
    let given = (row.extras.iter())
        .find(|(name, _)| *name == "admin_scheme")
        .and_then(|(_, v)| match v {
            Typed::Code(c) => AdminScheme::parse(c),
            _ => None,
        });
    given.unwrap_or_else(|| AdminScheme::of_year(row.int(HH, "survey_year").unwrap_or(0)))
}

/// Problems with the row's province and district codes under its scheme.
pub fn check(row: &Row, problems: &mut Vec<Problem>) {
    let scheme = scheme_of(row);
    let year = row.int(HH, "survey_year").unwrap_or(0);
    if let Some(code) = row.str(HH, "province_code") {
        if let Some(why) = province_problem(scheme, code, year) {
            problems.push(("province_code".into(), code.to_string(), why));
        }
    }
    if scheme == AdminScheme::Units34 {
        if let Some(code) = row.str(HH, "district_code") {
            problems.push((
                "district_code".into(),
                code.to_string(),
                format!(
                    "`district_code` {code} is given for survey year {year}, whose codes are those in force from {LIST_DATE_34} (34 provincial units, communes, no districts); leave district_code blank for such years, or set the column admin_scheme to 63 if the row's codes are the 63-province ones"
                ),
            ));
        }
    }
}

/// Why `code` is not a provincial code of `scheme` (None when it is).
pub fn province_problem(scheme: AdminScheme, code: &str, year: i64) -> Option<String> {
    let geo = geography();
    match scheme {
        AdminScheme::Provinces63 if geo.province(code).is_none() => {
            Some(format!(
                "`province_code` {code} is not one of the 63 GSO province codes in force until 30/06/2025 (data/geo/provinces.csv; survey year {year})"
            ))
        }
        AdminScheme::Units34 if !geo.units_2025.contains_key(code) => {
            let hint = match (geo.province(code), geo.unit_2025(code)) {
                (Some(p), Some(u)) if p.name_vi == u.name_vi => format!(
                    " ({} is {} since then); if the row's codes are the 63-province ones, set the column admin_scheme to 63",
                    u.name_vi, u.code
                ),
                (Some(p), Some(u)) => format!(
                    " ({} is part of {} since then, code {}); if the row's codes are the 63-province ones, set the column admin_scheme to 63",
                    p.name_vi,
                    geo.province_title(AdminScheme::Units34, &u.code, crate::i18n::Lang::Vi)
                        .unwrap_or_else(|| u.name_vi.clone()),
                    u.code
                ),
                _ => String::new(),
            };
            Some(format!(
                "`province_code` {code} is not one of the 34 provincial units in force from {LIST_DATE_34} (data/geo/units34.csv; survey year {year}){hint}"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_former_province_code_in_a_34_unit_year_says_where_it_went() {
        let why = province_problem(AdminScheme::Units34, "89", 2026).unwrap();
        assert!(why.contains("34 provincial units"), "{why}");
        assert!(why.contains("(An Giang is 91 since then)"), "{why}");
        let why = province_problem(AdminScheme::Units34, "77", 2026).unwrap();
        assert!(
            why.contains("Vũng Tàu is part of Thành phố Hồ Chí Minh since then, code 79"),
            "{why}"
        );
        assert_eq!(province_problem(AdminScheme::Units34, "91", 2026), None);
        assert_eq!(province_problem(AdminScheme::Provinces63, "89", 2024), None);
        let bad = province_problem(AdminScheme::Provinces63, "99", 2024).unwrap();
        assert!(bad.contains("63 GSO province codes"), "{bad}");
        // Kiên Giang's code is An Giang's since 1 July 2025.
        assert_eq!(province_problem(AdminScheme::Units34, "91", 2025), None);
    }
}
