//! Which standard scores which survey year. `--standard auto` scores each
//! year with the national standard in force for it (the 2021 review still
//! used Decision 59/2015, the 2026 review still uses Decree 07/2021: the
//! review years of each standard say so), and a year that no national
//! standard covers is an error rather than a guess. A named standard scores
//! every year, with a warning for years outside its review years.

use super::{bundled, resolve, Standard};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The value of `--standard` that picks each year's standard.
pub const AUTO: &str = "auto";

/// The standard each survey year is scored with.
pub type ByYear = BTreeMap<i32, Arc<Standard>>;

/// What `--standard` asked for.
#[derive(Debug, Clone)]
pub enum Choice {
    /// Each year under the national standard in force for it.
    Auto,
    /// Every year under this standard.
    Fixed(Arc<Standard>),
}

impl Choice {
    /// `auto`, a bundled id or a folder.
    pub fn parse(name_or_path: &str) -> Result<Choice> {
        if name_or_path == AUTO {
            Ok(Choice::Auto)
        } else {
            Ok(Choice::Fixed(Arc::new(resolve(name_or_path)?)))
        }
    }

    /// As given on the command line: `auto` or the standard's id.
    pub fn name(&self) -> String {
        match self {
            Choice::Auto => AUTO.to_string(),
            Choice::Fixed(st) => st.id.clone(),
        }
    }

    /// The standard of each year, and warnings (a named standard used
    /// outside its review years). Under `auto`, a year no national standard
    /// covers is an error naming the years each one covers.
    pub fn for_years(&self, years: &[i32]) -> Result<(ByYear, Vec<String>)> {
        let mut out = ByYear::new();
        let mut warnings = Vec::new();
        match self {
            Choice::Fixed(st) => {
                for &y in years {
                    if y < st.review_years.0 || y > st.review_years.1 {
                        warnings.push(format!(
                            "survey year {y} is outside the review years {}–{} of standard {}",
                            st.review_years.0, st.review_years.1, st.id
                        ));
                    }
                    out.insert(y, st.clone());
                }
            }
            Choice::Auto => {
                let national = national()?;
                let mut uncovered = Vec::new();
                for &y in years {
                    match national
                        .iter()
                        .find(|st| st.review_years.0 <= y && y <= st.review_years.1)
                    {
                        Some(st) => {
                            out.insert(y, st.clone());
                        }
                        None => uncovered.push(y.to_string()),
                    }
                }
                if !uncovered.is_empty() {
                    let covered: Vec<String> = national
                        .iter()
                        .map(|st| format!("{} {}–{}", st.id, st.review_years.0, st.review_years.1))
                        .collect();
                    return Err(Error::Usage(format!(
                        "--standard auto: no national standard covers survey year(s) {} (bundled: {}); \
                         score those years with --standard ID or FOLDER, or leave them out (`score --years`)",
                        uncovered.join(", "),
                        covered.join(", ")
                    )));
                }
            }
        }
        Ok((out, warnings))
    }
}

/// The bundled national standards, in order of their review years.
pub fn national() -> Result<Vec<Arc<Standard>>> {
    let mut v = bundled::NATIONAL
        .iter()
        .map(|id| resolve(id).map(Arc::new))
        .collect::<Result<Vec<_>>>()?;
    v.sort_by_key(|st| st.review_years);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_standards_cover_2016_to_2030_without_overlap() {
        let v = national().unwrap();
        for w in v.windows(2) {
            assert_eq!(
                w[0].review_years.1 + 1,
                w[1].review_years.0,
                "{} and {} must meet",
                w[0].id,
                w[1].id
            );
        }
        let (by, warnings) = Choice::Auto
            .for_years(&[2016, 2021, 2022, 2026, 2027, 2030])
            .unwrap();
        assert!(warnings.is_empty());
        let ids: Vec<&str> = by.values().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "vn-2016-2020",
                "vn-2016-2020",
                "vn-2022-2025",
                "vn-2022-2025",
                "vn-2027-2030",
                "vn-2027-2030"
            ]
        );
        let e = Choice::Auto.for_years(&[2015, 2020, 2031]).unwrap_err();
        assert!(e.to_string().contains("2015, 2031"), "{e}");
    }
}
