//! Rules compiled to column-at-a-time kernels. A checked [`Expr`] is
//! lowered once (per standard, per batch schema) to typed operations
//! (`lower`), which then run over a range of rows of Arrow arrays at once
//! (`run`), giving the three-valued truth of every row as two bit masks
//! (`bits`). The row interpreter ([`Expr::truth`]) stays the reference: the
//! two agree on every row (the property test in `tests`), and a tree the
//! lowering does not handle is reported as such so the caller interprets it.

pub mod bits;
mod keyed;
mod lower;
mod run;
#[cfg(test)]
mod tests;

use super::{ColKind, Expr};
use arrow_array::{Array, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray};
pub use bits::Mask;

/// One contract column as a kernel reads it.
#[derive(Clone, Copy)]
pub enum ColumnView<'a> {
    /// Not in the batch: null on every row.
    Absent,
    Int(&'a Int64Array),
    Float(&'a Float64Array),
    Bool(&'a BooleanArray),
    Str(&'a StringArray),
    /// Text dictionary-coded: each row's key (null: the row is null) into
    /// the values. Compared with a literal or a list, each value is
    /// compared once and the rows' keys looked up.
    Dict(&'a Int32Array, &'a StringArray),
    /// Numbers computed for the rows being evaluated (indexed from the
    /// first of them, not from the array's start), with a validity bit per row.
    Num(&'a [f64], &'a [u64]),
}

/// Row `i` of a dictionary-coded text column: the value its key points
/// to; none when the key, or the value it points to, is null.
#[inline]
pub fn dict_text<'v>(keys: &Int32Array, values: &'v StringArray, i: usize) -> Option<&'v str> {
    let j = keys.is_valid(i).then(|| keys.value(i) as usize)?;
    values.is_valid(j).then(|| values.value(j))
}

/// A rule compiled for columns of known kinds.
#[derive(Debug, Clone)]
pub struct Kernel {
    root: lower::Bool,
}

impl Kernel {
    /// Compile `e`, whose column `i` has kind `kind(i)` (`None`: outside
    /// the contract, read as null). `None` when the tree has a shape the
    /// kernels do not handle: the caller then evaluates `e` row by row.
    pub fn compile(e: &Expr, kind: &dyn Fn(usize) -> Option<ColKind>) -> Option<Kernel> {
        let op = lower::lower(&e.root, kind).ok()?;
        Some(Kernel {
            root: lower::to_bool(op),
        })
    }

    /// The truth of the rule on rows `start..start + n` of `cols` (indexed
    /// by contract position), as [`Expr::truth`] gives it row by row.
    pub fn truth(&self, cols: &[ColumnView<'_>], start: usize, n: usize) -> Mask {
        run::Ctx { cols, start, n }.truth(&self.root)
    }
}
