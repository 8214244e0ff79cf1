//! What a run's records cover and what its rows are called: the provinces,
//! districts and communes each survey year holds (`Coverage`), the scope
//! that names the total row ("Tỉnh Điện Biên", not "Toàn quốc", when one
//! province's records are in), the breakdown a run defaults to, the codes
//! the bundled list lacks, and every group's name (`Names`: the bundled
//! list, then the user's names file; a code neither names keeps no name).

use super::Level;
use crate::error::Result;
use crate::geo::{geography, AdminScheme, Scope, UnitLevel, UserNames};
use crate::i18n::Lang;
use crate::score::years::ScoredYear;
use crate::score::META_ADMIN_SCHEME;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The scheme of a survey year's codes: as its scored file records it
/// (`score::META_ADMIN_SCHEME`), else the one in force in its review year
/// ([`AdminScheme::of_year`]).
pub fn scheme_of(year: i64, meta: &arrow_schema::Metadata) -> AdminScheme {
    (meta.get(META_ADMIN_SCHEME))
        .and_then(|s| AdminScheme::parse(s))
        .unwrap_or_else(|| AdminScheme::of_year(year))
}

/// The units one survey year's records hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearUnits {
    pub scheme: AdminScheme,
    pub provinces: BTreeSet<String>,
    pub districts: BTreeSet<String>,
    pub communes: BTreeSet<String>,
}

/// The units of every survey year of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub years: BTreeMap<i64, YearUnits>,
}

/// District and commune codes of the data that neither the bundled list of
/// their scheme nor the user's names file names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotInList {
    pub districts: BTreeSet<String>,
    pub communes: BTreeSet<String>,
}

impl Coverage {
    /// The units of scored years, reading only their unit columns.
    pub fn of_years(years: &[ScoredYear<'_>]) -> Result<Coverage> {
        let mut out = Coverage::default();
        for y in years {
            let [provinces, districts, communes] =
                y.distinct(["province_code", "district_code", "commune_code"])?;
            let meta = y.header.schema_ref().metadata();
            let units = YearUnits {
                scheme: scheme_of(y.year, meta),
                provinces,
                districts,
                communes,
            };
            out.years.insert(y.year, units);
        }
        Ok(out)
    }

    /// The units of scored years in memory (one batch per year).
    pub fn of_batches(batches: &[arrow_array::RecordBatch]) -> Result<Coverage> {
        Coverage::of_years(&ScoredYear::of_batches(batches)?)
    }

    /// The scope of each survey year.
    pub fn scopes(&self) -> BTreeMap<i64, Scope> {
        (self.years.iter())
            .map(|(y, u)| {
                (
                    *y,
                    Scope::of(u.provinces.iter().map(String::as_str), u.scheme),
                )
            })
            .collect()
    }

    /// The run's scope, as its headline names it: the latest year's (the
    /// year a review reports on; `scopes` has each year's when they differ).
    pub fn scope(&self) -> Option<Scope> {
        self.scopes().into_values().next_back()
    }

    /// The breakdown a run gives when `--by` is not: by province, or with
    /// one province in every year by district (and commune when there is
    /// one district; by commune alone in the 34-province scheme, which has
    /// no districts).
    pub fn default_levels(&self) -> Vec<Level> {
        let provinces: BTreeSet<&String> = self.years.values().flat_map(|u| &u.provinces).collect();
        let districts: BTreeSet<&String> = (self.years.values())
            .flat_map(|u| &u.districts)
            .filter(|d| !d.is_empty())
            .collect();
        match (provinces.len(), districts.len()) {
            (1, 0) => vec![Level::Commune],
            (1, 1) => vec![Level::District, Level::Commune],
            (1, _) => vec![Level::District],
            _ => vec![Level::Province],
        }
    }

    /// The district and commune codes of the data neither the bundled list
    /// of their year's scheme nor `user` names (blank codes aside).
    pub fn not_in_list(&self, user: &UserNames) -> NotInList {
        let geo = geography();
        let mut out = NotInList::default();
        for u in self.years.values() {
            for d in u.districts.iter().filter(|d| !d.is_empty()) {
                let named = match u.scheme {
                    AdminScheme::Provinces63 => geo.district(d).is_some(),
                    AdminScheme::Units34 => false,
                };
                if !named && user.get(UnitLevel::District, d).is_none() {
                    out.districts.insert(d.clone());
                }
            }
            for c in u.communes.iter().filter(|c| !c.is_empty()) {
                let named = match u.scheme {
                    AdminScheme::Provinces63 => geo.commune(c).is_some(),
                    AdminScheme::Units34 => geo.commune_2025(c).is_some(),
                };
                if !named && user.get(UnitLevel::Commune, c).is_none() {
                    out.communes.insert(c.clone());
                }
            }
        }
        out
    }
}

impl NotInList {
    /// The run summary's line ("3 communes not in the list of 01/03/2025"),
    /// None when every code is named.
    pub fn summary(&self, lang: Lang) -> Option<String> {
        not_in_list_line(self.districts.len(), self.communes.len(), lang)
    }
}

/// "N communes not in the list of 01/03/2025 …" for `d` districts and `c`
/// communes; None when both are 0.
pub fn not_in_list_line(d: usize, c: usize, lang: Lang) -> Option<String> {
    {
        let date = crate::geo::LIST_DATE_63;
        let parts: Vec<String> = match lang {
            Lang::Vi => [(c, "xã"), (d, "huyện")]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, w)| format!("{n} {w}"))
                .collect(),
            Lang::En => [(c, "commune", "communes"), (d, "district", "districts")]
                .iter()
                .filter(|(n, _, _)| *n > 0)
                .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
                .collect(),
        };
        if parts.is_empty() {
            return None;
        }
        Some(match lang {
            Lang::Vi => format!(
                "{} không có trong danh mục ngày {date}: giữ nguyên mã, không đặt tên (đặt tên bằng --unit-names)",
                parts.join(" và ")
            ),
            Lang::En => format!(
                "{} not in the list of {date}: kept under their codes, not named (name them with --unit-names)",
                parts.join(" and ")
            ),
        })
    }
}

impl Coverage {
    /// The manifest's record of the scope, the codes not in the list and
    /// the user's names file (hashed).
    pub fn record(&self, user: &UserNames) -> Result<crate::manifest::ScopeRecord> {
        let scopes = self.scopes();
        let scope = self.scope().unwrap_or(Scope::Country);
        let missing = self.not_in_list(user);
        let differ = scopes.values().any(|s| *s != scope);
        Ok(crate::manifest::ScopeRecord {
            id: scope.id(),
            name_vi: scope.name(Lang::Vi),
            name_en: scope.name(Lang::En),
            years: (scopes.iter())
                .filter(|_| differ)
                .map(|(y, s)| crate::manifest::YearScope {
                    survey_year: *y,
                    id: s.id(),
                    name_vi: s.name(Lang::Vi),
                    name_en: s.name(Lang::En),
                })
                .collect(),
            list_date: crate::geo::LIST_DATE_63.into(),
            districts_not_in_list: missing.districts.len(),
            communes_not_in_list: missing.communes.len(),
            codes_not_in_list: missing
                .districts
                .into_iter()
                .chain(missing.communes)
                .collect(),
            unit_names: (user.path.as_deref())
                .map(crate::manifest::hash_file)
                .transpose()?,
        })
    }
}

/// The names of a run's groups: each year's scope for its total row, the
/// bundled lists for its scheme, then the user's names file.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub scopes: BTreeMap<i64, Scope>,
    pub schemes: BTreeMap<i64, AdminScheme>,
    pub user: Arc<UserNames>,
}

impl Names {
    pub fn of(coverage: &Coverage, user: Arc<UserNames>) -> Names {
        Names {
            scopes: coverage.scopes(),
            schemes: (coverage.years.iter())
                .map(|(y, u)| (*y, u.scheme))
                .collect(),
            user,
        }
    }

    /// The name of the total row of `year`: its scope's; "Tổng cộng" when
    /// the year's scope is not known.
    pub fn total(&self, year: i64, lang: Lang) -> String {
        match self.scopes.get(&year) {
            Some(s) => s.name(lang),
            None => lang.t("Tổng cộng", "Total").into(),
        }
    }

    /// The Vietnamese name of group `code` at `level` in `year` (the name
    /// column of tables).
    pub fn name(&self, level: Level, year: i64, code: &str) -> Option<String> {
        self.name_in(level, year, code, Lang::Vi)
    }

    /// A group's name in `lang` (units without an English name keep their
    /// Vietnamese one, as GSO's list gives none).
    pub fn name_in(&self, level: Level, year: i64, code: &str, lang: Lang) -> Option<String> {
        let scheme = self.schemes.get(&year).copied().unwrap_or_default();
        let geo = geography();
        let user = |l: UnitLevel| {
            (self.user.get(l, code)).map(|n| match (lang, &n.en) {
                (Lang::En, Some(en)) => en.clone(),
                _ => n.vi.clone(),
            })
        };
        match level {
            Level::Total => Some(self.total(year, lang)),
            Level::Province => match scheme {
                AdminScheme::Provinces63 => geo
                    .province(code)
                    .map(|p| lang.t(&p.name_vi, &p.name_en).to_string()),
                AdminScheme::Units34 => geo
                    .units_2025
                    .get(code)
                    .map(|u| lang.t(&u.name_vi, &u.name_en).to_string()),
            }
            .or_else(|| user(UnitLevel::Province)),
            Level::District => (geo.district(code).map(|d| d.name.clone()))
                .filter(|_| scheme == AdminScheme::Provinces63)
                .or_else(|| user(UnitLevel::District)),
            Level::Commune => match scheme {
                AdminScheme::Provinces63 => geo.commune(code).map(|c| c.name.clone()),
                AdminScheme::Units34 => geo.commune_2025(code).map(|c| c.name.clone()),
            }
            .or_else(|| user(UnitLevel::Commune)),
            Level::Region | Level::Area | Level::Unit2025 | Level::Column(_) => match lang {
                Lang::Vi => super::group_name(level, code),
                Lang::En => super::level::group_name_en(level, code),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(provinces: &[&str], districts: &[&str], communes: &[&str]) -> YearUnits {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        YearUnits {
            scheme: AdminScheme::Provinces63,
            provinces: set(provinces),
            districts: set(districts),
            communes: set(communes),
        }
    }

    #[test]
    fn one_province_is_named_and_broken_down_by_district() {
        let mut c = Coverage::default();
        c.years
            .insert(2021, units(&["11"], &["094", "095"], &["03124", "99999"]));
        assert_eq!(
            c.scope(),
            Some(Scope::Province(AdminScheme::Provinces63, "11".into()))
        );
        assert_eq!(c.default_levels(), [Level::District]);
        let names = Names::of(&c, Arc::default());
        assert_eq!(
            names.name(Level::Total, 2021, "VN").unwrap(),
            "Tỉnh Điện Biên"
        );
        assert_eq!(names.total(2021, Lang::En), "Dien Bien province");
        assert_eq!(
            names.name(Level::District, 2021, "094").unwrap(),
            "Thành phố Điện Biên Phủ"
        );
        assert_eq!(names.name(Level::Commune, 2021, "99999"), None);
        let missing = c.not_in_list(&UserNames::default());
        assert_eq!(missing.communes.len(), 1);
        assert_eq!(
            missing.summary(Lang::En).unwrap(),
            "1 commune not in the list of 01/03/2025: kept under their codes, not named (name them with --unit-names)"
        );
        let user = UserNames::parse("level,code,name\ncommune,99999,Xã Cũ\n").unwrap();
        assert!(c.not_in_list(&user).communes.is_empty());
        let names = Names::of(&c, Arc::new(user));
        assert_eq!(names.name(Level::Commune, 2021, "99999").unwrap(), "Xã Cũ");
        c.years.insert(2021, units(&["11"], &["094"], &[]));
        assert_eq!(c.default_levels(), [Level::District, Level::Commune]);
        c.years.insert(2022, units(&["11", "12"], &["094"], &[]));
        assert_eq!(c.default_levels(), [Level::Province]);
        assert_eq!(
            c.scope().unwrap().name(Lang::Vi),
            "2 tỉnh, thành phố trong dữ liệu"
        );
    }
}
