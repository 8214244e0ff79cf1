//! Which households go on which follow-up list, read from the scored
//! years: the latest year's households, each with its class in the
//! previous review and whether it was poor in any earlier one.

use super::Kind;
use crate::dataset::text::Text;
use crate::error::{Error, Result};
use crate::measure::movement::{movements, previous_year, List, Movement, Movements};
use crate::score::meta::ScoredMeta;
use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use std::collections::{BTreeMap, HashMap};

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

/// A commune's lists, in the order of `Kind::ALL`.
pub type CommuneLists = Vec<(Kind, Vec<Entry>)>;

/// The follow-up lists of one survey year, per commune, each list sorted
/// by village then household id.
#[derive(Debug, Clone)]
pub struct Lists {
    pub year: i64,
    /// The previous review compared with; None with one year.
    pub from: Option<i64>,
    /// The standard of `year` (its id).
    pub standard: String,
    pub communes: BTreeMap<Unit, CommuneLists>,
    /// The run's names of units (each year's scheme, the user's file).
    pub names: crate::measure::Names,
}

fn text_col<'a>(b: &'a RecordBatch, name: &str) -> Option<Text<'a>> {
    b.column_by_name(name).and_then(Text::of)
}

/// The lists a household of this review goes on: the undetermined list
/// when its class is undetermined or excluded now, and by its movement on
/// the poor and the near-poor list (`measure::movement`, as the summary
/// forms count them) — new, fell back, left. A household poor before and
/// near-poor now has left poverty and is new on the near-poor list.
pub fn kinds_of(now: &str, poor: Option<Movement>, near: Option<Movement>) -> Vec<Kind> {
    let mut out = Vec::new();
    if UNSETTLED.contains(&now) || now.is_empty() {
        out.push(Kind::Undetermined);
    }
    match poor {
        Some(Movement::New) => out.push(Kind::NewPoor),
        Some(Movement::FellBack) => out.push(Kind::FellBack),
        Some(Movement::Left) => out.push(Kind::LeftPoverty),
        _ => {}
    }
    match near {
        Some(Movement::New) => out.push(Kind::NewNearPoor),
        Some(Movement::FellBack) => out.push(Kind::FellBackNearPoor),
        _ => {}
    }
    out
}

/// The lists of the latest of `scored`'s years, against the one before.
pub fn lists(scored: &[RecordBatch], names: &crate::measure::Names) -> Result<Option<Lists>> {
    let last = scored
        .iter()
        .filter_map(|b| crate::score::survey_year_of(b).map(|y| (y, b)))
        .max_by_key(|(y, _)| *y);
    let Some((year, last)) = last else {
        return Ok(None);
    };
    let from = previous_year(scored, year)?;
    let prev = from
        .and_then(|y| {
            scored
                .iter()
                .find(|b| crate::score::survey_year_of(b) == Some(y))
        })
        .and_then(|b| text_col(b, "class"));
    let (poor, near) = (
        movements(scored, year, List::Poor)?,
        movements(scored, year, List::NearPoor)?,
    );
    let meta = ScoredMeta::of(last);
    let reader = Reader::new(last, &meta.indicators)?;
    let mut communes: BTreeMap<Unit, CommuneLists> = BTreeMap::new();
    for i in 0..last.num_rows() {
        let lists = communes
            .entry(reader.unit(i))
            .or_insert_with(|| Kind::ALL.iter().map(|k| (*k, Vec::new())).collect());
        let m = |ms: &Option<Movements>| ms.as_ref().and_then(|m| m.rows.get(i).copied());
        let (p, n) = (m(&poor), m(&near));
        let kinds = kinds_of(reader.class.value(i), p.map(|x| x.0), n.map(|x| x.0));
        if kinds.is_empty() {
            continue;
        }
        let before = prev.map(|c| match p.and_then(|x| x.1) {
            Some(r) => c.value(r),
            None => ABSENT,
        });
        let entry = reader.entry(i, before);
        for (k, v) in lists.iter_mut() {
            if kinds.contains(k) {
                v.push(entry.clone());
            }
        }
    }
    for lists in communes.values_mut() {
        for (_, v) in lists.iter_mut() {
            v.sort_by_key(village_key);
        }
    }
    Ok(Some(Lists {
        year,
        from,
        standard: meta.standard,
        communes,
        names: names.clone(),
    }))
}

/// Village in natural order (Thôn 2 before Thôn 10; no village last),
/// then household id.
fn village_key(e: &Entry) -> (bool, Vec<(String, u64)>, String) {
    let v = e.village.as_deref().unwrap_or("");
    (
        v.is_empty(),
        natural(&v.to_lowercase()),
        e.household_id.clone(),
    )
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
    fn lists_follow_the_movements() {
        use Movement::*;
        assert_eq!(kinds_of("poor", Some(New), None), [Kind::NewPoor]);
        assert_eq!(
            kinds_of("poor", Some(FellBack), Some(Outside)),
            [Kind::FellBack]
        );
        // Out of poverty into near poverty: on both lists, as the forms count.
        assert_eq!(
            kinds_of("near_poor", Some(Left), Some(New)),
            [Kind::LeftPoverty, Kind::NewNearPoor]
        );
        assert_eq!(
            kinds_of("near_poor", None, Some(FellBack)),
            [Kind::FellBackNearPoor]
        );
        assert_eq!(
            kinds_of("undetermined", Some(ToUndetermined), None),
            [Kind::Undetermined]
        );
        assert!(kinds_of("poor", Some(FromUndetermined), None).is_empty());
        assert!(kinds_of("poor", Some(Stayed), Some(Outside)).is_empty());
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
