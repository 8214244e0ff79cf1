//! Which households go on which follow-up list, read from the scored
//! years: the latest year's households, each with its class in the
//! previous review and whether it was poor in any earlier one.

use super::Kind;
use crate::dataset::text::Text;
use crate::error::{Error, Result};
use crate::score::meta::ScoredMeta;
use crate::score::scheme::Scheme;
use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The class states that are not a class: the household has not been
/// shown to be in or out of any list.
const UNSETTLED: [&str; 2] = ["undetermined", "excluded"];

/// The class a household had in the previous review when it had no record.
pub const ABSENT: &str = "absent";

/// A commune, placed in its district and province (codes as recorded;
/// blank when the records carry none).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unit {
    pub province: String,
    pub district: String,
    pub commune: String,
}

/// One household on a list, with what an officer needs to find it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub household_id: String,
    pub head_name: Option<String>,
    pub village: Option<String>,
    pub address: Option<String>,
    /// `yes` / `no` as kept from the input.
    pub ethnic_minority: Option<String>,
    pub area: Option<String>,
    /// The class in the previous review ([`ABSENT`] without a record);
    /// None when the run has one year.
    pub class_from: Option<String>,
    pub class_to: String,
    /// Indicator ids the household is deprived in (known) this year.
    pub deprived: Vec<String>,
    /// Undetermined households: the indicators whose value is unknown,
    /// and the classes they leave open.
    pub unknown: Vec<String>,
    pub possible: Vec<String>,
}

/// The follow-up lists of one survey year, per commune, each list sorted
/// by village then household id.
#[derive(Debug, Clone)]
pub struct Lists {
    pub year: i64,
    /// The previous review compared with; None with one year.
    pub from: Option<i64>,
    /// The standard of `year` (its id).
    pub standard: String,
    pub communes: BTreeMap<Unit, Vec<(Kind, Vec<Entry>)>>,
}

fn text_col<'a>(b: &'a RecordBatch, name: &str) -> Option<Text<'a>> {
    b.column_by_name(name).and_then(Text::of)
}

/// Each household's class in `b`, by id.
fn classes(b: &RecordBatch) -> Result<HashMap<String, String>> {
    let (ids, class) = (text_col(b, "household_id"), text_col(b, "class"));
    let (Some(ids), Some(class)) = (ids, class) else {
        return Err(Error::Usage(
            "a scored file lacks household_id or class; re-run `dachieu score`".into(),
        ));
    };
    Ok((0..b.num_rows())
        .map(|i| (ids.value(i).to_string(), class.value(i).to_string()))
        .collect())
}

/// The movement of one household between the previous review and this
/// one, as the summary forms count it: the list it goes on, if any.
/// A household undetermined or excluded in either review has not been
/// shown to move, so it enters or leaves no list (undetermined now: the
/// undetermined list).
pub fn movement(now: &str, before: Option<&str>, poor_earlier: bool, near: Option<&str>) -> Option<Kind> {
    if UNSETTLED.contains(&now) {
        return Some(Kind::Undetermined);
    }
    let before = before?;
    if UNSETTLED.contains(&before) {
        return None;
    }
    let is_near = |c: &str| near == Some(c);
    match (now, before) {
        ("poor", "poor") => None,
        ("poor", _) if poor_earlier => Some(Kind::FellBack),
        ("poor", _) => Some(Kind::NewPoor),
        (_, "poor") => Some(Kind::LeftPoverty),
        (n, b) if is_near(n) && !is_near(b) => Some(Kind::NewNearPoor),
        _ => None,
    }
}

/// The lists of the latest of `scored`'s years, against the one before.
pub fn lists(scored: &[RecordBatch]) -> Result<Option<Lists>> {
    let mut years: Vec<(i64, &RecordBatch)> = scored
        .iter()
        .filter_map(|b| crate::score::survey_year_of(b).map(|y| (y, b)))
        .collect();
    years.sort_by_key(|(y, _)| *y);
    let Some(&(year, last)) = years.last() else {
        return Ok(None);
    };
    let before = match years.len() {
        n if n >= 2 => Some((years[n - 2].0, classes(years[n - 2].1)?)),
        _ => None,
    };
    let mut poor_earlier: HashSet<String> = HashSet::new();
    for (_, b) in years.iter().take(years.len().saturating_sub(2)) {
        poor_earlier.extend(classes(b)?.into_iter().filter(|(_, c)| c == "poor").map(|(id, _)| id));
    }
    let meta = ScoredMeta::of(last);
    let near = Scheme::of_meta(&meta).near.map(|c| c.name());
    let reader = Reader::new(last, &meta.indicators)?;
    let mut communes: BTreeMap<Unit, Vec<(Kind, Vec<Entry>)>> = BTreeMap::new();
    for i in 0..last.num_rows() {
        let unit = reader.unit(i);
        let lists = communes
            .entry(unit)
            .or_insert_with(|| Kind::ALL.iter().map(|k| (*k, Vec::new())).collect());
        let id = reader.ids.value(i);
        let now = reader.class.value(i);
        let prev = before.as_ref().map(|(_, c)| c.get(id).map_or(ABSENT, String::as_str));
        let Some(kind) = movement(now, prev, poor_earlier.contains(id), near) else {
            continue;
        };
        if kind != Kind::Undetermined && before.is_none() {
            continue;
        }
        if let Some((_, v)) = lists.iter_mut().find(|(k, _)| *k == kind) {
            v.push(reader.entry(i, prev));
        }
    }
    for lists in communes.values_mut() {
        for (_, v) in lists.iter_mut() {
            v.sort_by(|a, b| village_key(a).cmp(&village_key(b)));
        }
    }
    Ok(Some(Lists {
        year,
        from: before.map(|(y, _)| y),
        standard: meta.standard,
        communes,
    }))
}

/// Village in natural order (Thôn 2 before Thôn 10; no village last),
/// then household id.
fn village_key(e: &Entry) -> (bool, Vec<(String, u64)>, String) {
    let v = e.village.as_deref().unwrap_or("");
    (v.is_empty(), natural(&v.to_lowercase()), e.household_id.clone())
}

/// A text as runs of (non-digits, the number that follows).
fn natural(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let (mut word, mut num, mut in_num) = (String::new(), String::new(), false);
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            in_num = true;
        } else {
            if in_num {
                out.push((std::mem::take(&mut word), num.parse().unwrap_or(u64::MAX)));
                num.clear();
                in_num = false;
            }
            word.push(c);
        }
    }
    out.push((word, num.parse().unwrap_or(0)));
    out
}

/// The columns of the latest year's scored batch a list reads.
struct Reader<'a> {
    ids: Text<'a>,
    class: Text<'a>,
    text: HashMap<&'static str, Text<'a>>,
    indicators: Vec<(String, &'a arrow_array::BooleanArray)>,
}

const TEXT: [&str; 10] = [
    "province_code",
    "district_code",
    "commune_code",
    "head_name",
    "village",
    "address",
    "ethnic_minority",
    "area",
    "unknown_indicators",
    "possible_classes",
];

impl<'a> Reader<'a> {
    fn new(b: &'a RecordBatch, indicators: &[String]) -> Result<Self> {
        let (ids, class) = (text_col(b, "household_id"), text_col(b, "class"));
        let (Some(ids), Some(class)) = (ids, class) else {
            return Err(Error::Usage(
                "a scored file lacks household_id or class; re-run `dachieu score`".into(),
            ));
        };
        let text = TEXT
            .iter()
            .filter_map(|n| Some((*n, text_col(b, n)?)))
            .collect();
        let indicators = indicators
            .iter()
            .filter_map(|id| Some((id.clone(), b.column_by_name(id)?.as_boolean_opt()?)))
            .collect();
        Ok(Reader {
            ids,
            class,
            text,
            indicators,
        })
    }

    fn get(&self, name: &str, i: usize) -> Option<String> {
        let v = self.text.get(name)?.get(i)?.trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    fn unit(&self, i: usize) -> Unit {
        let g = |n| self.get(n, i).unwrap_or_default();
        Unit {
            province: g("province_code"),
            district: g("district_code"),
            commune: g("commune_code"),
        }
    }

    fn entry(&self, i: usize, prev: Option<&str>) -> Entry {
        let split = |name: &str, sep: char| -> Vec<String> {
            (self.get(name, i).unwrap_or_default().split(sep))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        Entry {
            household_id: self.ids.value(i).to_string(),
            head_name: self.get("head_name", i),
            village: self.get("village", i),
            address: self.get("address", i),
            ethnic_minority: self.get("ethnic_minority", i),
            area: self.get("area", i),
            class_from: prev.map(str::to_string),
            class_to: self.class.value(i).to_string(),
            deprived: (self.indicators.iter())
                .filter(|(_, a)| a.is_valid(i) && a.value(i))
                .map(|(id, _)| id.clone())
                .collect(),
            unknown: split("unknown_indicators", ';'),
            possible: split("possible_classes", '|'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movements_follow_the_forms() {
        let near = Some("near_poor");
        let m = |now, before, earlier| movement(now, before, earlier, near);
        assert_eq!(m("poor", Some("average"), false), Some(Kind::NewPoor));
        assert_eq!(m("poor", Some(ABSENT), false), Some(Kind::NewPoor));
        assert_eq!(m("poor", Some("near_poor"), true), Some(Kind::FellBack));
        assert_eq!(m("poor", Some("poor"), true), None);
        assert_eq!(m("near_poor", Some("poor"), false), Some(Kind::LeftPoverty));
        assert_eq!(m("not_poor", Some("poor"), false), Some(Kind::LeftPoverty));
        assert_eq!(m("near_poor", Some("average"), false), Some(Kind::NewNearPoor));
        assert_eq!(m("near_poor", Some(ABSENT), false), Some(Kind::NewNearPoor));
        assert_eq!(m("near_poor", Some("near_poor"), false), None);
        // Undetermined on either side: never entering or leaving.
        assert_eq!(m("poor", Some("undetermined"), false), None);
        assert_eq!(m("average", Some("excluded"), true), None);
        assert_eq!(m("undetermined", Some("poor"), false), Some(Kind::Undetermined));
        assert_eq!(m("undetermined", None, false), Some(Kind::Undetermined));
        assert_eq!(m("poor", None, false), None);
    }

    #[test]
    fn villages_sort_naturally_blank_last() {
        let e = |v: Option<&str>, id: &str| Entry {
            household_id: id.into(),
            head_name: None,
            village: v.map(str::to_string),
            address: None,
            ethnic_minority: None,
            area: None,
            class_from: None,
            class_to: "poor".into(),
            deprived: vec![],
            unknown: vec![],
            possible: vec![],
        };
        let mut v = [
            e(None, "a"),
            e(Some("Thôn 10"), "b"),
            e(Some("Thôn 2"), "c"),
            e(Some("Thôn 2"), "a"),
            e(Some("Bản Na"), "z"),
        ];
        v.sort_by_key(village_key);
        let ids: Vec<&str> = v.iter().map(|e| e.household_id.as_str()).collect();
        assert_eq!(ids, ["z", "a", "c", "b", "a"]);
    }
}
