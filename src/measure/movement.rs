//! How each household moved on a list (the poor list, or the near-poor
//! list) between the previous review and this one: the "diễn biến trong
//! năm" of the official summary forms (biểu tổng hợp kết quả rà soát hộ
//! nghèo, hộ cận nghèo). No I/O: scored batches in, one movement per
//! household out.
//!
//! A review is a survey year of the data; the previous review (t−1) is the
//! latest survey year before t in the data, the earlier reviews all years
//! before t−1. Households are matched across years by `household_id`. On
//! the list in a year = classed `poor` (the poor list) or `near_poor` (the
//! near-poor list) that year. In each year a household is on the list,
//! classed off it (any other class), undetermined (classed `undetermined`
//! or `excluded`: the records cannot tell, or the household is outside the
//! review), or without a record.
//!
//! - start (đầu kỳ): on the list at t−1;
//! - left (thoát): on the start list, classed off the list at t;
//! - gone (ra khỏi danh sách): on the start list, no record at t (moved
//!   away, merged, died);
//! - to undetermined: on the start list, undetermined or excluded at t —
//!   never counted as leaving;
//! - fell back (tái nghèo / tái cận nghèo): on the list at t, not on it at
//!   t−1 (classed off it, or without a record), on it in some earlier review;
//! - new (phát sinh): on the list at t, classed off it or without a record
//!   at t−1, never on it in an earlier review;
//! - from undetermined: on the list at t, undetermined or excluded at t−1 —
//!   never counted as entering;
//! - end (cuối kỳ): on the list at t.
//!
//! Every household on the list at t−1 or at t is in exactly one of left,
//! gone, to undetermined, stayed (on at both), fell back, new, from
//! undetermined; so for every set of households (a unit, an area, the run)
//!
//! ```text
//! start − left − gone − to_undetermined + fell_back + new + from_undetermined = end
//! ```
//!
//! holds exactly. A household is counted in the unit of its record at t, or,
//! when it has none (gone), of its record at t−1: a household that moved to
//! another unit between the reviews carries its start to the new unit.

use crate::dataset::text::Text;
use crate::error::{Error, Result};
use crate::score::classify::Class;
use arrow_array::RecordBatch;
use std::collections::{HashMap, HashSet};

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Poor,
    NearPoor,
}

impl List {
    pub const ALL: [List; 2] = [List::Poor, List::NearPoor];

    /// The class that puts a household on the list.
    pub fn class(self) -> Class {
        match self {
            List::Poor => Class::Poor,
            List::NearPoor => Class::NearPoor,
        }
    }

    /// Machine name, as in output files.
    pub fn name(self) -> &'static str {
        match self {
            List::Poor => "poor",
            List::NearPoor => "near_poor",
        }
    }
}

/// A household's place on a list in one review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    On,
    /// Classed, and not on the list.
    Off,
    /// Classed `undetermined` or `excluded`.
    Undetermined,
}

impl Status {
    fn of(class: &str, list: List) -> Status {
        if class == list.class().name() {
            Status::On
        } else if class == "undetermined" || class == "excluded" || class.is_empty() {
            Status::Undetermined
        } else {
            Status::Off
        }
    }
}

/// How a household moved on the list between t−1 and t.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Movement {
    /// On the list at t−1 and at t.
    Stayed,
    /// On at t−1, classed off at t (thoát nghèo / thoát cận nghèo).
    Left,
    /// On at t−1, no record at t.
    Gone,
    /// On at t−1, undetermined or excluded at t.
    ToUndetermined,
    /// On at t, not on at t−1, on in an earlier review (tái nghèo).
    FellBack,
    /// On at t, off or without a record at t−1, never on earlier (phát sinh).
    New,
    /// On at t, undetermined or excluded at t−1.
    FromUndetermined,
    /// On the list in neither review.
    Outside,
}

impl Movement {
    /// On the list at t−1.
    pub fn at_start(self) -> bool {
        matches!(
            self,
            Movement::Stayed | Movement::Left | Movement::Gone | Movement::ToUndetermined
        )
    }
    /// On the list at t.
    pub fn at_end(self) -> bool {
        matches!(
            self,
            Movement::Stayed | Movement::FellBack | Movement::New | Movement::FromUndetermined
        )
    }
}

/// The movements on one list between two reviews.
#[derive(Debug, Clone)]
pub struct Movements {
    pub list: List,
    /// This review (t) and the previous one (t−1).
    pub year: i64,
    pub previous: i64,
    /// Per row of year t's batch: its movement (`Outside` when on the list
    /// in neither review) and its row in year t−1's batch, if any.
    pub rows: Vec<(Movement, Option<usize>)>,
    /// Rows of year t−1's batch on the start list without a record at t
    /// (all `Gone`).
    pub gone: Vec<usize>,
}

/// Counts of each movement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub start: u64,
    pub stayed: u64,
    pub left: u64,
    pub gone: u64,
    pub to_undetermined: u64,
    pub fell_back: u64,
    pub new: u64,
    pub from_undetermined: u64,
    pub end: u64,
}

impl Tally {
    pub fn add(&mut self, m: Movement) {
        self.start += m.at_start() as u64;
        self.end += m.at_end() as u64;
        match m {
            Movement::Stayed => self.stayed += 1,
            Movement::Left => self.left += 1,
            Movement::Gone => self.gone += 1,
            Movement::ToUndetermined => self.to_undetermined += 1,
            Movement::FellBack => self.fell_back += 1,
            Movement::New => self.new += 1,
            Movement::FromUndetermined => self.from_undetermined += 1,
            Movement::Outside => {}
        }
    }

    /// The identity of the module doc holds.
    pub fn balances(&self) -> bool {
        self.start + self.fell_back + self.new + self.from_undetermined
            == self.end + self.left + self.gone + self.to_undetermined
    }
}

/// The survey year of each batch, in the order given.
fn years_of(batches: &[RecordBatch]) -> Result<Vec<i64>> {
    batches
        .iter()
        .map(|b| {
            crate::score::survey_year_of(b).ok_or_else(|| {
                Error::Usage("a scored file has no survey year; re-run `dachieu score`".into())
            })
        })
        .collect()
}

fn text<'a>(b: &'a RecordBatch, name: &str) -> Result<Text<'a>> {
    b.column_by_name(name).and_then(Text::of).ok_or_else(|| {
        Error::Usage(format!(
            "the scored file lacks column `{name}`; re-run `dachieu score`"
        ))
    })
}

/// The survey year before `year` in the batches, if any.
pub fn previous_year(batches: &[RecordBatch], year: i64) -> Result<Option<i64>> {
    Ok(years_of(batches)?.into_iter().filter(|y| *y < year).max())
}

/// The movement on `list` of every household of review `year` (and of
/// every household on the start list without a record in `year`), from
/// the scored batches of the survey years up to `year` (one batch per
/// year, in any order; later years are ignored). None when `year` has no
/// batch or no year before it.
pub fn movements(batches: &[RecordBatch], year: i64, list: List) -> Result<Option<Movements>> {
    let years = years_of(batches)?;
    let Some(t) = years.iter().position(|y| *y == year) else {
        return Ok(None);
    };
    let Some(previous) = years.iter().copied().filter(|y| *y < year).max() else {
        return Ok(None);
    };
    let p = years.iter().position(|y| *y == previous).unwrap_or(t);
    // Households on the list in an earlier review (before t−1).
    let mut earlier: HashSet<&str> = HashSet::new();
    for (b, _) in batches.iter().zip(&years).filter(|(_, y)| **y < previous) {
        let (ids, class) = (text(b, "household_id")?, text(b, "class")?);
        for i in 0..b.num_rows() {
            if Status::of(class.value(i), list) == Status::On {
                earlier.insert(ids.value(i));
            }
        }
    }
    let (bp, bt) = (&batches[p], &batches[t]);
    let (ids_p, class_p) = (text(bp, "household_id")?, text(bp, "class")?);
    let before: HashMap<&str, usize> = (0..bp.num_rows()).map(|i| (ids_p.value(i), i)).collect();
    let (ids_t, class_t) = (text(bt, "household_id")?, text(bt, "class")?);
    let mut seen: HashSet<&str> = HashSet::with_capacity(bt.num_rows());
    let rows = (0..bt.num_rows())
        .map(|i| {
            let id = ids_t.value(i);
            seen.insert(id);
            let row_p = before.get(id).copied();
            let then = row_p.map(|r| Status::of(class_p.value(r), list));
            let now = Status::of(class_t.value(i), list);
            (classify(then, now, earlier.contains(id)), row_p)
        })
        .collect();
    let gone = (0..bp.num_rows())
        .filter(|&r| Status::of(class_p.value(r), list) == Status::On)
        .filter(|&r| !seen.contains(ids_p.value(r)))
        .collect();
    Ok(Some(Movements {
        list,
        year,
        previous,
        rows,
        gone,
    }))
}

/// The movement of a household with a record at t: its status at t−1
/// (None: no record), at t, and whether it was on the list earlier.
fn classify(then: Option<Status>, now: Status, on_earlier: bool) -> Movement {
    use Status::*;
    match (then, now) {
        (Some(On), On) => Movement::Stayed,
        (Some(On), Off) => Movement::Left,
        (Some(On), Undetermined) => Movement::ToUndetermined,
        (Some(Undetermined), On) => Movement::FromUndetermined,
        (Some(Off) | None, On) if on_earlier => Movement::FellBack,
        (Some(Off) | None, On) => Movement::New,
        _ => Movement::Outside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Int64Array, StringArray};
    use std::sync::Arc;

    fn batch(year: i64, rows: &[(&str, &str)]) -> RecordBatch {
        let ids: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let classes: Vec<&str> = rows.iter().map(|r| r.1).collect();
        RecordBatch::try_from_iter([
            (
                "survey_year",
                Arc::new(Int64Array::from(vec![year; rows.len()])) as ArrayRef,
            ),
            ("household_id", Arc::new(StringArray::from(ids)) as ArrayRef),
            ("class", Arc::new(StringArray::from(classes)) as ArrayRef),
        ])
        .unwrap()
    }

    fn of(m: &Movements, b: &RecordBatch, id: &str) -> Movement {
        let ids = text(b, "household_id").unwrap();
        let i = (0..b.num_rows()).find(|&i| ids.value(i) == id).unwrap();
        m.rows[i].0
    }

    /// Every branch, over three reviews, on both lists; and the identity.
    #[test]
    fn every_movement_and_the_identity() {
        let y0 = batch(2020, &[("fb", "poor"), ("fb2", "poor"), ("nw", "not_poor")]);
        let y1 = batch(
            2021,
            &[
                ("st", "poor"),
                ("lf", "poor"),
                ("gn", "poor"),
                ("tu", "poor"),
                ("fb", "near_poor"),
                ("nw", "not_poor"),
                ("fu", "undetermined"),
                ("fx", "excluded"),
                ("out", "not_poor"),
            ],
        );
        let y2 = batch(
            2022,
            &[
                ("out", "average"),
                ("fx", "poor"),
                ("fu", "poor"),
                ("nw", "poor"),
                ("fb", "poor"),
                ("fb2", "poor"),
                ("nr", "poor"),
                ("tu", "excluded"),
                ("lf", "near_poor"),
                ("st", "poor"),
            ],
        );
        // Order of the batches does not matter; a later year is ignored.
        let later = batch(2023, &[("st", "not_poor")]);
        let batches = [y2.clone(), later, y0, y1.clone()];
        let m = movements(&batches, 2022, List::Poor).unwrap().unwrap();
        assert_eq!((m.year, m.previous), (2022, 2021));
        use Movement::*;
        let want = [
            ("out", Outside),
            ("fx", FromUndetermined),
            ("fu", FromUndetermined),
            ("nw", New),
            ("fb", FellBack),
            // Without a record at t−1, poor at t−2: fell back too.
            ("fb2", FellBack),
            ("nr", New),
            ("tu", ToUndetermined),
            ("lf", Left),
            ("st", Stayed),
        ];
        for (id, w) in want {
            assert_eq!(of(&m, &y2, id), w, "{id}");
        }
        let ids1 = text(&y1, "household_id").unwrap();
        let gone: Vec<&str> = m.gone.iter().map(|&r| ids1.value(r)).collect();
        assert_eq!(gone, ["gn"]);
        // Rows at t know their row at t−1.
        assert_eq!(m.rows[9].1, Some(0));
        assert_eq!(m.rows[6].1, None);

        let mut t = Tally::default();
        m.rows.iter().for_each(|r| t.add(r.0));
        m.gone.iter().for_each(|_| t.add(Gone));
        assert_eq!(
            t,
            Tally {
                start: 4,
                stayed: 1,
                left: 1,
                gone: 1,
                to_undetermined: 1,
                fell_back: 2,
                new: 2,
                from_undetermined: 2,
                end: 7,
            }
        );
        assert!(t.balances());
        assert_eq!(4 - 1 - 1 - 1 + 2 + 2 + 2, 7);

        // The near-poor list of the same reviews: `fb` was near-poor at
        // t−1 and is poor at t: it left the near-poor list; `lf` is new.
        let n = movements(&batches, 2022, List::NearPoor).unwrap().unwrap();
        assert_eq!(of(&n, &y2, "fb"), Left);
        assert_eq!(of(&n, &y2, "lf"), New);
        assert_eq!(of(&n, &y2, "st"), Outside);
        let mut t = Tally::default();
        n.rows.iter().for_each(|r| t.add(r.0));
        assert!(t.balances());
        assert_eq!((t.start, t.end, t.left, t.new), (1, 1, 1, 1));
    }

    /// No previous review, or no such year: no movements.
    #[test]
    fn needs_two_reviews() {
        let y0 = batch(2020, &[("a", "poor")]);
        assert!(movements(std::slice::from_ref(&y0), 2020, List::Poor)
            .unwrap()
            .is_none());
        assert!(movements(std::slice::from_ref(&y0), 2021, List::Poor)
            .unwrap()
            .is_none());
        assert_eq!(previous_year(&[y0], 2021).unwrap(), Some(2020));
    }

    /// A household poor at t−2, not poor at t−1, poor at t fell back; one
    /// poor at t−1 and t stayed whatever came before.
    #[test]
    fn fell_back_needs_an_earlier_review() {
        let bs = [
            batch(2019, &[("a", "poor"), ("b", "not_poor")]),
            batch(2020, &[("a", "near_poor"), ("b", "not_poor")]),
            batch(2021, &[("a", "poor"), ("b", "poor")]),
        ];
        let m = movements(&bs, 2021, List::Poor).unwrap().unwrap();
        assert_eq!(m.rows[0].0, Movement::FellBack);
        assert_eq!(m.rows[1].0, Movement::New);
        // With 2019 left out, `a` has no earlier review: new.
        let m = movements(&bs[1..], 2021, List::Poor).unwrap().unwrap();
        assert_eq!(m.rows[0].0, Movement::New);
    }
}
