//! Text columns as the Parquet reader gives them: plain, or
//! dictionary-coded (a key per row into the distinct values), read through
//! one view, and a function of a text column worked out once per distinct
//! value ([`Memo`]).

use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, Int32Array, StringArray};

/// A text column as the reader gave it: plain, or dictionary-coded (a key
/// per row into the distinct values), which rows compare by key.
#[derive(Clone, Copy)]
pub enum Text<'a> {
    Plain(&'a StringArray),
    Coded {
        keys: &'a Int32Array,
        values: &'a StringArray,
    },
}

impl<'a> Text<'a> {
    /// A text column, plain or coded; None for any other type.
    pub fn of(a: &'a arrow_array::ArrayRef) -> Option<Text<'a>> {
        if let Some(s) = a.as_string_opt::<i32>() {
            return Some(Text::Plain(s));
        }
        let d = a.as_dictionary_opt::<Int32Type>()?;
        Some(Text::Coded {
            keys: d.keys(),
            values: d.values().as_string_opt::<i32>()?,
        })
    }

    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        match self {
            Text::Plain(a) => a.is_valid(i),
            Text::Coded { keys, .. } => keys.is_valid(i),
        }
    }

    /// Row `i`'s text ("" when blank).
    #[inline]
    pub fn value(&self, i: usize) -> &'a str {
        match self {
            Text::Plain(a) if a.is_valid(i) => a.value(i),
            Text::Coded { keys, values } if keys.is_valid(i) => {
                let k = keys.values()[i] as usize;
                if k < values.len() {
                    values.value(k)
                } else {
                    ""
                }
            }
            _ => "",
        }
    }

    /// Row `i`'s text, None when blank.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.is_valid(i).then(|| self.value(i))
    }

    /// The distinct texts of the column ("" for a blank), in no set order.
    /// A coded column's are found by key, without hashing a text per row.
    pub fn distinct(&self) -> std::collections::HashSet<&'a str> {
        match self {
            Text::Plain(a) => (0..a.len()).map(|i| self.value(i)).collect(),
            Text::Coded { keys, values } => {
                let mut seen = vec![false; values.len()];
                let mut blank = false;
                for (i, &k) in keys.values().iter().enumerate() {
                    match seen.get_mut(k as usize) {
                        Some(s) if keys.is_valid(i) => *s = true,
                        _ => blank = true,
                    }
                }
                let used = seen.iter().enumerate().filter(|(_, s)| **s);
                let mut out: std::collections::HashSet<&str> =
                    used.map(|(k, _)| values.value(k)).collect();
                if blank {
                    out.insert("");
                }
                out
            }
        }
    }

    /// Whether rows `i` and `p` hold the same text (both blank: the same).
    #[inline]
    pub fn same(&self, i: usize, p: usize) -> bool {
        match (self.is_valid(i), self.is_valid(p)) {
            (true, true) => match self {
                Text::Coded { keys, .. } if keys.values()[i] == keys.values()[p] => true,
                _ => self.value(i) == self.value(p),
            },
            (false, false) => true,
            _ => false,
        }
    }
}

/// A function of a text column's rows (None: blank), worked out once per
/// distinct value when the column is coded, once per row when it is plain.
pub struct Memo<'a, T> {
    text: Text<'a>,
    /// Per distinct value (coded), or per row (plain).
    table: Vec<T>,
    blank: T,
}

impl<'a> Text<'a> {
    pub fn memo<T: Copy>(self, f: impl Fn(Option<&str>) -> T) -> Memo<'a, T> {
        let table = match self {
            Text::Coded { values, .. } => (0..values.len())
                .map(|k| f(Some(values.value(k))))
                .collect(),
            Text::Plain(a) => (0..a.len()).map(|i| f(self.get(i))).collect(),
        };
        Memo {
            text: self,
            table,
            blank: f(None),
        }
    }

    /// Mark in `out` (one flag per row of `rows`, from `rows.start`) each
    /// row whose text may differ from the row before's; rows are only ever
    /// marked, never cleared, and a mark may be spurious (values repeated
    /// in a dictionary), never missing. The first row is left as it is.
    pub fn mark_changes(&self, rows: std::ops::Range<usize>, out: &mut [bool]) {
        let from = rows.start;
        if rows.len() < 2 {
            return;
        }
        match self {
            Text::Coded { keys, .. } if keys.null_count() == 0 => {
                let k = &keys.values()[rows];
                for ((o, a), b) in out[1..].iter_mut().zip(&k[1..]).zip(k) {
                    *o |= a != b;
                }
            }
            _ => {
                for i in from + 1..rows.end {
                    out[i - from] |= !self.same(i, i - 1);
                }
            }
        }
    }
}

impl<T: Copy> Memo<'_, T> {
    /// The function of row `i`'s text.
    #[inline]
    pub fn get(&self, i: usize) -> T {
        match self.text {
            Text::Coded { keys, .. } if keys.is_valid(i) => {
                let k = keys.values()[i] as usize;
                self.table.get(k).copied().unwrap_or(self.blank)
            }
            Text::Coded { .. } => self.blank,
            Text::Plain(_) => self.table[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, DictionaryArray};
    use std::sync::Arc;

    /// A coded column's distinct texts by key are those of its rows read
    /// one by one: blanks, unused dictionary values and repeats included.
    #[test]
    fn distinct_by_key_is_distinct_by_row() {
        let values = Arc::new(StringArray::from(vec!["01", "02", "unused", "04"]));
        let keys = Int32Array::from(vec![Some(1), None, Some(0), Some(1), Some(3)]);
        let coded: ArrayRef = Arc::new(DictionaryArray::new(keys, values));
        let plain: ArrayRef = Arc::new(StringArray::from(vec![
            Some("02"),
            None,
            Some("01"),
            Some("02"),
            Some("04"),
        ]));
        for a in [&coded, &plain] {
            let t = Text::of(a).unwrap();
            let by_row: std::collections::HashSet<&str> =
                (0..a.len()).map(|i| t.value(i)).collect();
            assert_eq!(t.distinct(), by_row);
            assert_eq!(t.distinct().len(), 4, "01, 02, 04 and the blank");
        }
    }
}
