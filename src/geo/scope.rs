//! Which units a run's records cover, and what its total row is called:
//! "Toàn quốc" only when every province of the scheme is in the data, the
//! province's own name ("Tỉnh Điện Biên") when one, otherwise the number of
//! provinces in the data — never a claim about units the data do not hold.

use crate::i18n::Lang;
use std::collections::BTreeSet;

/// The provincial scheme a year's codes belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum AdminScheme {
    /// The 63 provinces (with districts) in force until 30 June 2025.
    #[default]
    Provinces63,
    /// The 34 provincial units (communes, no districts) from 1 July 2025.
    Units34,
}

impl AdminScheme {
    /// The scheme a review year's records are in by default: the annual
    /// review is held in the last quarter of its year, so from 2025 on it
    /// counts households by the units in force from 1 July 2025.
    pub fn of_year(year: i64) -> AdminScheme {
        if year >= 2025 {
            AdminScheme::Units34
        } else {
            AdminScheme::Provinces63
        }
    }

    /// How manifests and file metadata name the scheme.
    pub fn name(self) -> &'static str {
        match self {
            AdminScheme::Provinces63 => "63",
            AdminScheme::Units34 => "34",
        }
    }

    pub fn parse(s: &str) -> Option<AdminScheme> {
        match s.trim() {
            "63" => Some(AdminScheme::Provinces63),
            "34" => Some(AdminScheme::Units34),
            _ => None,
        }
    }

    /// Every provincial code of the scheme.
    pub fn province_codes(self) -> BTreeSet<&'static str> {
        let geo = super::geography();
        match self {
            AdminScheme::Provinces63 => geo.provinces.keys().map(String::as_str).collect(),
            AdminScheme::Units34 => geo.units_2025.keys().map(String::as_str).collect(),
        }
    }
}

/// What the records of a run cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every province of the scheme.
    Country,
    /// One province (its code in the scheme).
    Province(AdminScheme, String),
    /// Several provinces, not all (their codes).
    Provinces(AdminScheme, Vec<String>),
}

impl Scope {
    /// The scope of records holding these province codes under `scheme`.
    /// Codes outside the scheme are counted as provinces of the data all
    /// the same (they are named by code elsewhere), so "the whole country"
    /// is claimed only when every code of the scheme is present.
    pub fn of<'a>(codes: impl IntoIterator<Item = &'a str>, scheme: AdminScheme) -> Scope {
        let codes: BTreeSet<&str> = codes.into_iter().collect();
        let all = scheme.province_codes();
        if all.is_subset(&codes) {
            return Scope::Country;
        }
        match codes.iter().collect::<Vec<_>>().as_slice() {
            [one] => Scope::Province(scheme, one.to_string()),
            many => Scope::Provinces(scheme, many.iter().map(|c| c.to_string()).collect()),
        }
    }

    /// The machine name manifests and tidy files carry: `country`,
    /// `province:11`, `provinces:01,11,30`.
    pub fn id(&self) -> String {
        match self {
            Scope::Country => "country".into(),
            Scope::Province(_, c) => format!("province:{c}"),
            Scope::Provinces(_, cs) => format!("provinces:{}", cs.join(",")),
        }
    }

    /// The name of the total row and the headline: "Toàn quốc", "Tỉnh Điện
    /// Biên", "6 tỉnh, thành phố trong dữ liệu" (and in English).
    pub fn name(&self, lang: Lang) -> String {
        match self {
            Scope::Country => lang.t("Toàn quốc", "Whole country").into(),
            Scope::Province(scheme, code) => super::geography()
                .province_title(*scheme, code, lang)
                .unwrap_or_else(|| {
                    lang.t(&format!("Tỉnh mã {code}"), &format!("Province {code}"))
                        .into()
                }),
            Scope::Provinces(_, codes) => match lang {
                Lang::Vi => format!("{} tỉnh, thành phố trong dữ liệu", codes.len()),
                Lang::En => format!("{} provinces in the data", codes.len()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_row_is_named_for_what_the_data_cover() {
        let s = Scope::of(["11"], AdminScheme::Provinces63);
        assert_eq!(s.name(Lang::Vi), "Tỉnh Điện Biên");
        assert_eq!(s.name(Lang::En), "Dien Bien province");
        assert_eq!(s.id(), "province:11");
        let hn = Scope::of(["01"], AdminScheme::Provinces63);
        assert_eq!(hn.name(Lang::Vi), "Thành phố Hà Nội");
        let six = Scope::of(
            ["01", "11", "30", "79", "89", "91"],
            AdminScheme::Provinces63,
        );
        assert_eq!(six.name(Lang::Vi), "6 tỉnh, thành phố trong dữ liệu");
        assert_eq!(six.id(), "provinces:01,11,30,79,89,91");
        let all63 = AdminScheme::Provinces63.province_codes();
        assert_eq!(
            Scope::of(all63.iter().copied(), AdminScheme::Provinces63),
            Scope::Country
        );
        // 62 of 63 is not the country.
        let most: Vec<&str> = all63.iter().copied().filter(|c| *c != "96").collect();
        assert_ne!(Scope::of(most, AdminScheme::Provinces63), Scope::Country);
        let all34 = AdminScheme::Units34.province_codes();
        assert_eq!(all34.len(), 34);
        assert_eq!(
            Scope::of(all34.iter().copied(), AdminScheme::Units34).name(Lang::Vi),
            "Toàn quốc"
        );
        // In the 34-unit scheme, 91 is An Giang (with Kiên Giang).
        assert_eq!(
            Scope::of(["91"], AdminScheme::Units34).name(Lang::Vi),
            "Tỉnh An Giang"
        );
        assert_eq!(
            Scope::of(["79"], AdminScheme::Units34).name(Lang::Vi),
            "Thành phố Hồ Chí Minh"
        );
    }

    #[test]
    fn the_scheme_of_a_year() {
        assert_eq!(AdminScheme::of_year(2024), AdminScheme::Provinces63);
        assert_eq!(AdminScheme::of_year(2025), AdminScheme::Units34);
        assert_eq!(AdminScheme::parse("34"), Some(AdminScheme::Units34));
    }
}
