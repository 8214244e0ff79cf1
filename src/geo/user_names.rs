//! Names a user gives for unit codes the bundled list lacks (`--unit-names
//! FILE`): communes merged in reorganisations before 2025 keep codes that
//! GSO's list of 01/03/2025 does not hold, and a province's office knows
//! their names. A CSV with the header `level,code,name` and, optionally,
//! `name_en`; `level` is `province`, `district` or `commune` (or `tỉnh`,
//! `huyện`, `xã`). Names are shown as given; a code the bundled list
//! already names is refused, so an official name is never replaced.

use super::geography;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The level a user's name is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitLevel {
    Province,
    District,
    Commune,
}

impl UnitLevel {
    fn parse(s: &str) -> Option<UnitLevel> {
        match s.trim().to_lowercase().as_str() {
            "province" | "tỉnh" | "tinh" => Some(UnitLevel::Province),
            "district" | "huyện" | "huyen" => Some(UnitLevel::District),
            "commune" | "xã" | "xa" => Some(UnitLevel::Commune),
            _ => None,
        }
    }

    /// The digits a GSO code of this level has.
    fn digits(self) -> usize {
        match self {
            UnitLevel::Province => 2,
            UnitLevel::District => 3,
            UnitLevel::Commune => 5,
        }
    }

    /// The bundled (63-province scheme) name of `code` at this level.
    fn bundled(self, code: &str) -> Option<String> {
        let geo = geography();
        match self {
            UnitLevel::Province => geo.province(code).map(|p| p.name_vi.clone()),
            UnitLevel::District => geo.district(code).map(|d| d.name.clone()),
            UnitLevel::Commune => geo.commune(code).map(|c| c.name.clone()),
        }
    }
}

/// A user's name for a unit: Vietnamese, and English when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName {
    pub vi: String,
    pub en: Option<String>,
}

/// The names of a names file (empty without one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserNames {
    /// The file they were read from.
    pub path: Option<PathBuf>,
    names: BTreeMap<(UnitLevel, String), UserName>,
}

impl UserNames {
    /// The user's name of `code` at `level`, if the file gives one.
    pub fn get(&self, level: UnitLevel, code: &str) -> Option<&UserName> {
        self.names.get(&(level, code.to_string()))
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Read and check a names file: every error names its file and row.
    pub fn read(path: &Path) -> Result<UserNames> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::input(
                path,
                "is not UTF-8 text; save the names file as CSV UTF-8 (Excel: Save As → CSV UTF-8)",
            )
        })?;
        let mut names = UserNames::parse(text.trim_start_matches('\u{feff}'))
            .map_err(|(row, msg)| Error::input(format!("{}:{row}", path.display()), msg))?;
        names.path = Some(path.to_path_buf());
        Ok(names)
    }

    /// Parse the text of a names file; an error carries its row (1 = the
    /// header).
    pub fn parse(text: &str) -> std::result::Result<UserNames, (usize, String)> {
        let mut rd = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = (rd.headers().map_err(|e| (1, e.to_string()))?.iter())
            .map(|h| h.trim().to_lowercase())
            .collect();
        let col = |n: &str| header.iter().position(|h| h == n);
        let (Some(lc), Some(cc), Some(nc)) = (col("level"), col("code"), col("name")) else {
            return Err((1, format!(
                "the header is `{}`; a names file has the columns level,code,name (and optionally name_en)",
                header.join(",")
            )));
        };
        let ec = col("name_en");
        let mut names = BTreeMap::new();
        for (i, rec) in rd.records().enumerate() {
            let row = i + 2;
            let rec = rec.map_err(|e| (row, e.to_string()))?;
            let cell = |c: usize| rec.get(c).unwrap_or("").trim();
            let (level, code) = entry(cell(lc), cell(cc)).map_err(|m| (row, m))?;
            let name = cell(nc);
            if name.is_empty() {
                return Err((row, format!("code {code} has no name; give its name in the `name` column or remove the row")));
            }
            let en = ec.map(cell).filter(|e| !e.is_empty()).map(str::to_string);
            let user = UserName {
                vi: name.to_string(),
                en,
            };
            if names.insert((level, code.clone()), user).is_some() {
                return Err((
                    row,
                    format!("{} {code} is named twice; keep one row for it", cell(lc)),
                ));
            }
        }
        Ok(UserNames { path: None, names })
    }
}

/// A row's level and code, checked: a known level, a code of its digits,
/// not one the bundled list names.
fn entry(level: &str, code: &str) -> std::result::Result<(UnitLevel, String), String> {
    let l = UnitLevel::parse(level).ok_or_else(|| {
        format!("level `{level}` is not province, district or commune (tỉnh, huyện, xã)")
    })?;
    if code.len() != l.digits() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "code `{code}` is not a {level} code: GSO codes of that level have {} digits (keep leading zeros: format the column as text)",
            l.digits()
        ));
    }
    if let Some(official) = l.bundled(code) {
        return Err(format!(
            "{level} {code} is already named in GSO's list of {} (\"{official}\"); the names file names only codes the list lacks, so remove the row",
            super::LIST_DATE_63
        ));
    }
    Ok((l, code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_and_checked_by_row() {
        let n = UserNames::parse(
            "level,code,name,name_en\ncommune,99901,Xã Cũ,Old commune\nxã,99902,Xã Khác,\n",
        )
        .unwrap();
        assert_eq!(n.len(), 2);
        let c = n.get(UnitLevel::Commune, "99901").unwrap();
        assert_eq!(
            (c.vi.as_str(), c.en.as_deref()),
            ("Xã Cũ", Some("Old commune"))
        );
        assert_eq!(n.get(UnitLevel::Commune, "99902").unwrap().en, None);
        let err = |t: &str| UserNames::parse(t).unwrap_err();
        assert_eq!(err("lvl,code,name\n").0, 1);
        assert_eq!(err("level,code,name\ncommune,999,X\n").0, 2);
        assert_eq!(err("level,code,name\nward,99901,X\n").0, 2);
        assert_eq!(err("level,code,name\ncommune,99901,\n").0, 2);
        assert_eq!(
            err("level,code,name\ncommune,99901,A\ncommune,99901,B\n").0,
            3
        );
        // A code in the list keeps its official name.
        let (row, msg) = err("level,code,name\ndistrict,094,Khác\n");
        assert_eq!(row, 2);
        assert!(msg.contains("Thành phố Điện Biên Phủ"), "{msg}");
    }
}
