//! Lowered operations run over rows `start..start + n` of the columns, a
//! column at a time: numbers as `f64` slices with a validity bit per row,
//! truths as [`Mask`]s, text compared in place in the Arrow arrays.

use super::super::tree::{ArithOp, CmpOp};
use super::bits::{self, all_set, collect, zip, Mask};
use super::lower::{Bool, Num, Op, Str};
use super::ColumnView;
use arrow_array::Array;

/// The rows a rule runs over.
pub(super) struct Ctx<'c, 'a> {
    pub(super) cols: &'c [ColumnView<'a>],
    pub(super) start: usize,
    pub(super) n: usize,
}

/// A column of numbers; `valid` has a bit per row.
pub(super) struct Nums {
    v: Vec<f64>,
    valid: Vec<u64>,
}

/// A column of text, read row by row where compared.
enum Strs<'a> {
    Lit(&'static str),
    Col(&'a arrow_array::StringArray, usize),
    Dict(
        &'a arrow_array::Int32Array,
        &'a arrow_array::StringArray,
        usize,
    ),
    Rows(Vec<Option<&'a str>>),
    Null,
}

impl<'a> Strs<'a> {
    #[inline]
    fn at(&self, i: usize) -> Option<&'a str> {
        match self {
            Strs::Lit(s) => Some(s),
            Strs::Col(a, start) => a.is_valid(start + i).then(|| a.value(start + i)),
            Strs::Dict(k, v, start) => super::dict_text(k, v, start + i),
            Strs::Rows(r) => r[i],
            Strs::Null => None,
        }
    }
}

/// Validity bits of an Arrow array's rows in the context.
fn validity(a: &dyn Array, cx: &Ctx) -> Vec<u64> {
    match a.logical_nulls() {
        Some(nb) => bits::from_buffer(nb.inner(), cx.start, cx.n),
        None => all_set(cx.n),
    }
}

/// Column `i`; one past the columns given reads as absent (null).
fn view<'c, 'a>(cx: &Ctx<'c, 'a>, i: usize) -> &'c ColumnView<'a> {
    cx.cols.get(i).unwrap_or(&ColumnView::Absent)
}

impl Ctx<'_, '_> {
    fn null_nums(&self) -> Nums {
        Nums {
            v: vec![0.0; self.n],
            valid: vec![0; bits::words(self.n)],
        }
    }

    pub(super) fn num(&self, op: &Num) -> Nums {
        let n = self.n;
        match op {
            Num::Lit(x) => Nums {
                v: vec![*x; n],
                valid: all_set(n),
            },
            Num::Col(i) => self.num_col(*i),
            Num::Neg(x) => {
                let mut a = self.num(x);
                a.v.iter_mut().for_each(|x| *x = -*x);
                a
            }
            Num::Arith(op, l, r) => {
                let (a, b) = (self.num(l), self.num(r));
                let mut valid = zip(&a.valid, &b.valid, |x, y| x & y);
                let pair = a.v.iter().zip(&b.v);
                let v: Vec<f64> = match op {
                    ArithOp::Add => pair.map(|(x, y)| x + y).collect(),
                    ArithOp::Sub => pair.map(|(x, y)| x - y).collect(),
                    ArithOp::Mul => pair.map(|(x, y)| x * y).collect(),
                    ArithOp::Div => {
                        // Division by zero is null, as in SQL.
                        let nonzero = collect(n, |i| b.v[i] != 0.0);
                        valid = zip(&valid, &nonzero, |x, y| x & y);
                        pair.map(|(x, y)| x / y).collect()
                    }
                };
                Nums { v, valid }
            }
            Num::Coalesce(args) => {
                let mut acc = self.null_nums();
                for a in args {
                    let next = self.num(a);
                    for i in 0..n {
                        if !bits::get(&acc.valid, i) && bits::get(&next.valid, i) {
                            acc.v[i] = next.v[i];
                        }
                    }
                    acc.valid = zip(&acc.valid, &next.valid, |x, y| x | y);
                }
                acc
            }
        }
    }

    fn num_col(&self, i: usize) -> Nums {
        let (s, n) = (self.start, self.n);
        match view(self, i) {
            ColumnView::Int(a) => Nums {
                v: a.values()[s..s + n].iter().map(|x| *x as f64).collect(),
                valid: validity(*a, self),
            },
            ColumnView::Float(a) => Nums {
                v: a.values()[s..s + n].to_vec(),
                valid: validity(*a, self),
            },
            ColumnView::Num(v, valid) => Nums {
                v: v.to_vec(),
                valid: valid.to_vec(),
            },
            // Absent, or (never, `Columns` checks types) of another type.
            _ => self.null_nums(),
        }
    }

    fn str(&self, op: &Str) -> Strs<'_> {
        match op {
            Str::Lit(s) => Strs::Lit(s),
            Str::Col(i) => match view(self, *i) {
                ColumnView::Str(a) => Strs::Col(a, self.start),
                ColumnView::Dict(k, v) => Strs::Dict(k, v, self.start),
                _ => Strs::Null,
            },
            Str::Coalesce(args) => {
                let args: Vec<Strs> = args.iter().map(|a| self.str(a)).collect();
                Strs::Rows(
                    (0..self.n)
                        .map(|i| args.iter().find_map(|a| a.at(i)))
                        .collect(),
                )
            }
        }
    }

    /// Rows where `op`'s value is not null.
    fn valid(&self, op: &Op) -> Vec<u64> {
        match op {
            Op::Null => vec![0; bits::words(self.n)],
            Op::Num(x) => self.num(x).valid,
            Op::Str(x) => {
                let s = self.str(x);
                collect(self.n, |i| s.at(i).is_some())
            }
            Op::Bool(x) => self.truth(x).valid(),
        }
    }

    pub(super) fn truth(&self, op: &Bool) -> Mask {
        let n = self.n;
        match op {
            Bool::Lit(v) => Mask::splat(*v, n),
            Bool::Col(i) => match view(self, *i) {
                ColumnView::Bool(a) => Mask::known(
                    &bits::from_buffer(a.values(), self.start, n),
                    &validity(*a, self),
                ),
                _ => Mask::splat(None, n),
            },
            Bool::Not(x) => self.truth(x).negate(),
            Bool::And(l, r) => self.truth(l).and(&self.truth(r)),
            Bool::Or(l, r) => self.truth(l).or(&self.truth(r)),
            Bool::CmpNum(op, l, r) => cmp_num(*op, &self.num(l), &self.num(r)),
            Bool::CmpStr(op, l, r) => {
                if let Some(m) = self.cmp_keyed(*op, l, r) {
                    return m;
                }
                let (a, b) = (self.str(l), self.str(r));
                let (mut hold, mut known) =
                    (vec![0u64; bits::words(n)], vec![0u64; bits::words(n)]);
                for i in 0..n {
                    if let (Some(x), Some(y)) = (a.at(i), b.at(i)) {
                        known[i / 64] |= 1 << (i % 64);
                        hold[i / 64] |= u64::from(op.holds(x.cmp(y))) << (i % 64);
                    }
                }
                Mask::known(&hold, &known)
            }
            Bool::CmpTruth(op, l, r) => cmp_bool(*op, &self.truth(l), &self.truth(r)),
            Bool::InNum(x, items, neg) => {
                let a = self.num(x);
                let hit = collect(n, |i| items.iter().any(|it| a.v[i] == *it) != *neg);
                Mask::known(&hit, &a.valid)
            }
            Bool::InStr(x, items, neg) => {
                if let Some(m) = self.in_keyed(x, items, *neg) {
                    return m;
                }
                let a = self.str(x);
                let (mut hit, mut known) = (vec![0u64; bits::words(n)], vec![0u64; bits::words(n)]);
                for i in 0..n {
                    if let Some(s) = a.at(i) {
                        known[i / 64] |= 1 << (i % 64);
                        let h = items.contains(&s) != *neg;
                        hit[i / 64] |= u64::from(h) << (i % 64);
                    }
                }
                Mask::known(&hit, &known)
            }
            Bool::InTruth(x, [has_false, has_true], neg) => {
                let a = self.truth(x);
                let (lt, lf) = (
                    if *has_true { u64::MAX } else { 0 },
                    if *has_false { u64::MAX } else { 0 },
                );
                let hit = zip(&a.t, &a.f, |t, f| (t & lt) | (f & lf));
                let hit: Vec<u64> = hit.iter().map(|h| if *neg { !h } else { *h }).collect();
                Mask::known(&hit, &a.valid())
            }
            Bool::Between(x, lo, hi) => {
                let (a, l, h) = (self.num(x), self.num(lo), self.num(hi));
                let valid = zip(&zip(&a.valid, &l.valid, |x, y| x & y), &h.valid, |x, y| {
                    x & y
                });
                let hold = collect(n, |i| l.v[i] <= a.v[i] && a.v[i] <= h.v[i]);
                Mask::known(&hold, &valid)
            }
            Bool::IsNull(x, neg) => {
                let valid = self.valid(x);
                let mut null: Vec<u64> = valid.iter().map(|v| if *neg { *v } else { !v }).collect();
                bits::clear_tail(&mut null, n);
                Mask::known(&null, &all_set(n))
            }
            Bool::Coalesce(args) => {
                let mut acc = Mask::splat(None, n);
                for a in args {
                    let next = self.truth(a);
                    let open = acc.unknown();
                    acc.t = zip(&acc.t, &zip(&open, &next.t, |o, t| o & t), |x, y| x | y);
                    acc.f = zip(&acc.f, &zip(&open, &next.f, |o, f| o & f), |x, y| x | y);
                }
                acc
            }
        }
    }
}

/// Numbers compared: null where either is null or the two do not order
/// (NaN, as `partial_cmp` says).
fn cmp_num(op: CmpOp, a: &Nums, b: &Nums) -> Mask {
    let n = a.v.len();
    let (x, y) = (&a.v, &b.v);
    let hold = match op {
        CmpOp::Eq => collect(n, |i| x[i] == y[i]),
        CmpOp::Ne => collect(n, |i| x[i] != y[i]),
        CmpOp::Lt => collect(n, |i| x[i] < y[i]),
        CmpOp::Le => collect(n, |i| x[i] <= y[i]),
        CmpOp::Gt => collect(n, |i| x[i] > y[i]),
        CmpOp::Ge => collect(n, |i| x[i] >= y[i]),
    };
    let ordered = collect(n, |i| !x[i].is_nan() && !y[i].is_nan());
    let valid = zip(&zip(&a.valid, &b.valid, |p, q| p & q), &ordered, |p, q| {
        p & q
    });
    Mask::known(&hold, &valid)
}

/// Truths compared as values, false before true.
fn cmp_bool(op: CmpOp, a: &Mask, b: &Mask) -> Mask {
    let known = zip(&a.valid(), &b.valid(), |p, q| p & q);
    let w = a.t.len();
    let both = |f: &dyn Fn(usize) -> u64| -> Vec<u64> { (0..w).map(f).collect() };
    let eq = both(&|i| (a.t[i] & b.t[i]) | (a.f[i] & b.f[i]));
    let lt = both(&|i| a.f[i] & b.t[i]);
    let gt = both(&|i| a.t[i] & b.f[i]);
    let hold: Vec<u64> = match op {
        CmpOp::Eq => eq,
        CmpOp::Ne => eq.iter().map(|e| !e).collect(),
        CmpOp::Lt => lt,
        CmpOp::Le => gt.iter().map(|g| !g).collect(),
        CmpOp::Gt => gt,
        CmpOp::Ge => lt.iter().map(|l| !l).collect(),
    };
    Mask::known(&hold, &known)
}
