//! What the key figures say of each survey year against the one before it
//! in the data: the change in poor and near-poor households (numbers and
//! percentage points), flagged when the standard changed between the two
//! years, and the households that left, fell back into and are new to
//! each list — the summary forms' own counts (`measure::forms`, built on
//! `measure::movement`), read from their total row.

use super::caveats::for_years;
use super::forms::{FormBook, NoForms};
use super::{Change, Flows, Headline};
use crate::i18n::Lang;
use crate::measure::forms::RowKey;
use crate::measure::movement::List;
use crate::standard::ByYear;

/// Give each headline after the first its change against the one before
/// (the headlines in order of year), and its flows from the forms.
pub(super) fn add_changes(hls: &mut [Headline], standards: &ByYear, forms: &FormBook, lang: Lang) {
    for i in 1..hls.len() {
        let (before, now) = hls.split_at_mut(i);
        let (prev, hl) = (&before[i - 1], &mut now[0]);
        hl.change = Some(change(prev, hl, standards, lang));
        hl.flows = flows(forms, hl.year);
    }
}

/// `now − then`, when both are known.
fn diff(now: Option<f64>, then: Option<f64>) -> Option<f64> {
    now.zip(then).map(|(a, b)| a - b).filter(|d| d.is_finite())
}

fn change(prev: &Headline, hl: &Headline, standards: &ByYear, lang: Lang) -> Change {
    let st = |y: i64| standards.get(&(y as i32));
    let (a, b) = (st(prev.year), st(hl.year));
    let standard_changed = match (&prev.standard, &hl.standard) {
        (Some(x), Some(y)) => x != y,
        _ => a.zip(b).is_some_and(|(a, b)| a.id != b.id),
    };
    let near_poor_redefined = standard_changed && a.zip(b).is_some_and(|(a, b)| a.rule != b.rule);
    let mut caveats = Vec::new();
    if standard_changed {
        // The charts' caveats of the two years: the change of standard, and
        // (only with near-poor shown) that near-poor is defined differently.
        let years = [prev.year, hl.year];
        let with = for_years(standards, &years, true, false, lang);
        let without = for_years(standards, &years, false, false, lang);
        caveats.extend(with.subtitle);
        caveats.extend((with.notes.into_iter()).filter(|n| !without.notes.contains(n)));
    }
    Change {
        previous: prev.year,
        poor: diff(hl.poor, prev.poor),
        poor_pp: diff(hl.poor_pct, prev.poor_pct),
        near_poor: diff(hl.near_poor, prev.near_poor),
        near_poor_pp: diff(hl.near_poor_pct, prev.near_poor_pct),
        standard_changed,
        near_poor_redefined,
        caveats,
    }
}

/// The movements of `year` on each list, from the forms' total row; for
/// sample data, that there are none.
fn flows(forms: &FormBook, year: i64) -> Flows {
    if forms.none_because == Some(NoForms::Sample) {
        return Flows::Sample;
    }
    let Some(f) = forms.forms.iter().find(|f| f.year == year) else {
        return Flows::None;
    };
    let total = RowKey {
        area: None,
        code: None,
    };
    let tally = |list: List| {
        (f.lists.iter())
            .find(|l| l.list == list)
            .and_then(|l| l.rows.iter().find(|(k, _)| *k == total))
            .map(|(_, c)| c.tally)
    };
    Flows::Counted {
        previous: f.previous,
        poor: tally(List::Poor),
        near_poor: tally(List::NearPoor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standard::resolve;
    use std::sync::Arc;

    fn hl(year: i64, standard: &str, poor: f64, households: f64) -> Headline {
        Headline {
            year,
            standard: Some(standard.into()),
            households,
            poor: Some(poor),
            poor_pct: Some(100.0 * poor / households),
            near_poor: Some(10.0),
            near_poor_pct: Some(100.0 * 10.0 / households),
            ..Headline::default()
        }
    }

    fn by(pairs: &[(i32, &str)]) -> ByYear {
        (pairs.iter())
            .map(|(y, id)| (*y, Arc::new(resolve(id).unwrap())))
            .collect()
    }

    fn no_forms(why: NoForms) -> FormBook {
        FormBook {
            forms: Vec::new(),
            standards: ByYear::new(),
            none_because: Some(why),
            names: Default::default(),
        }
    }

    #[test]
    fn each_year_after_the_first_against_the_one_before() {
        let standards = by(&[
            (2020, "vn-2016-2020"),
            (2021, "vn-2016-2020"),
            (2022, "vn-2022-2025"),
        ]);
        let mut hls = [
            hl(2020, "vn-2016-2020", 50.0, 1000.0),
            hl(2021, "vn-2016-2020", 40.0, 1000.0),
            hl(2022, "vn-2022-2025", 60.0, 1200.0),
        ];
        add_changes(&mut hls, &standards, &no_forms(NoForms::OneYear), Lang::Vi);
        assert_eq!(hls[0].change, None, "the first year has none");
        assert_eq!(hls[0].flows, Flows::None);
        let c = hls[1].change.as_ref().unwrap();
        assert_eq!((c.previous, c.poor), (2020, Some(-10.0)));
        assert!((c.poor_pp.unwrap() + 1.0).abs() < 1e-9);
        assert_eq!(c.near_poor, Some(0.0));
        assert!(!c.standard_changed && !c.near_poor_redefined);
        assert!(c.caveats.is_empty());
        let c = hls[2].change.as_ref().unwrap();
        assert_eq!((c.previous, c.poor), (2021, Some(20.0)));
        assert!((c.poor_pp.unwrap() - 1.0).abs() < 1e-9);
        assert!(c.standard_changed && c.near_poor_redefined);
        // The change of standard and the near-poor definition, in words.
        assert_eq!(c.caveats.len(), 2, "{:?}", c.caveats);
        assert!(c.caveats[0].starts_with("Đổi chuẩn nghèo: năm 2021"));
        assert!(c.caveats[1].starts_with("Hộ cận nghèo được xác định khác nhau"));
        assert!(!c.caveats[0].contains("vn-20"), "no ids: {}", c.caveats[0]);
    }

    #[test]
    fn sample_data_have_no_flows_and_a_missing_rate_no_change() {
        let standards = by(&[(2020, "vn-2016-2020"), (2021, "vn-2016-2020")]);
        let mut hls = [
            hl(2020, "vn-2016-2020", 50.0, 1000.0),
            Headline {
                year: 2021,
                standard: Some("vn-2016-2020".into()),
                ..Headline::default()
            },
        ];
        add_changes(&mut hls, &standards, &no_forms(NoForms::Sample), Lang::En);
        assert_eq!(hls[1].flows, Flows::Sample);
        let c = hls[1].change.as_ref().unwrap();
        assert_eq!((c.poor, c.poor_pp, c.near_poor_pp), (None, None, None));
    }
}
