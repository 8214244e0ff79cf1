//! Text columns read dictionary-coded (`ColumnView::Dict`) compared with a
//! literal or tested against a list: each distinct value is compared once,
//! then every row's key is looked up, so no row's text is read.

use super::super::tree::CmpOp;
use super::bits::{self, Mask};
use super::lower::Str;
use super::run::Ctx;
use super::ColumnView;
use arrow_array::{Array, Int32Array, StringArray};

/// A value's answer in a lookup table: false, true, or null (a null value).
const NULL: u8 = 2;

impl Ctx<'_, '_> {
    /// The keys and values of `op` when it is a dictionary-coded column.
    fn keyed(&self, op: &Str) -> Option<(&Int32Array, &StringArray)> {
        match (op, self.cols.get(*col(op)?)) {
            (_, Some(ColumnView::Dict(k, v))) => Some((k, v)),
            _ => None,
        }
    }

    /// `l op r` when one side is a dictionary-coded column and the other a
    /// literal; `None` otherwise (compared row by row).
    pub(super) fn cmp_keyed(&self, op: CmpOp, l: &Str, r: &Str) -> Option<Mask> {
        match (l, r) {
            (Str::Col(_), Str::Lit(s)) => {
                let (k, v) = self.keyed(l)?;
                Some(self.by_key(k, v, |x| op.holds(x.cmp(s))))
            }
            (Str::Lit(s), Str::Col(_)) => {
                let (k, v) = self.keyed(r)?;
                Some(self.by_key(k, v, |x| op.holds((*s).cmp(x))))
            }
            _ => None,
        }
    }

    /// `x IN items` (`NOT IN` when `neg`) for a dictionary-coded column.
    pub(super) fn in_keyed(&self, x: &Str, items: &[&str], neg: bool) -> Option<Mask> {
        let (k, v) = self.keyed(x)?;
        Some(self.by_key(k, v, |s| items.contains(&s) != neg))
    }

    /// The truth of `f` on each row's value: `f` runs once per distinct
    /// value; a null key or value is unknown.
    fn by_key(&self, keys: &Int32Array, values: &StringArray, f: impl Fn(&str) -> bool) -> Mask {
        let lut: Vec<u8> = (0..values.len())
            .map(|j| match values.is_valid(j) {
                true => u8::from(f(values.value(j))),
                false => NULL,
            })
            .collect();
        let (start, n) = (self.start, self.n);
        let ks = &keys.values()[start..start + n];
        let valid = match keys.logical_nulls() {
            Some(nb) => bits::from_buffer(nb.inner(), start, n),
            None => bits::all_set(n),
        };
        let mut hold = vec![0u64; bits::words(n)];
        let mut known = vec![0u64; bits::words(n)];
        for (w, chunk) in ks.chunks(64).enumerate() {
            let (mut h, mut k) = (0u64, 0u64);
            for (j, key) in chunk.iter().enumerate() {
                // A null row's key may be anything: looked up safely, masked below.
                let c = lut.get(*key as usize).copied().unwrap_or(NULL);
                h |= u64::from(c == 1) << j;
                k |= u64::from(c != NULL) << j;
            }
            hold[w] = h;
            known[w] = k & valid[w];
        }
        Mask::known(&hold, &known)
    }
}

/// The column `op` reads, when it is one.
fn col(op: &Str) -> Option<&usize> {
    match op {
        Str::Col(i) => Some(i),
        _ => None,
    }
}
