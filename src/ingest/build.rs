//! Typed column builders for accepted rows, turned into Arrow record batches
//! in a chosen row order (households by id, members by household).

use super::validate::Typed;
use crate::schema::{ColType, ColumnSpec};
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_buffer::{ArrowNativeType, BooleanBuffer, NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Int,
    Float,
    Bool,
    Str,
    /// A closed code list: values point at the static codes, no copy per row.
    Code(&'static [&'static str]),
}

impl Storage {
    pub fn of(ty: ColType) -> Self {
        match ty {
            ColType::Int => Storage::Int,
            ColType::Float => Storage::Float,
            ColType::Bool => Storage::Bool,
            ColType::Code(codes) => Storage::Code(codes),
            ColType::AdminCode(_) | ColType::Text => Storage::Str,
        }
    }
}

/// A text column's values in one buffer: no allocation per cell, and
/// nothing to free per cell when the run is done.
#[derive(Debug, Default)]
pub struct Texts {
    bytes: String,
    /// Where each value ends in `bytes`, and whether it is there at all.
    ends: Vec<(usize, bool)>,
}

impl Texts {
    #[inline]
    fn push(&mut self, s: Option<&str>) {
        self.bytes.push_str(s.unwrap_or(""));
        self.ends.push((self.bytes.len(), s.is_some()));
    }

    /// Values `r` of `o` after these.
    fn extend(&mut self, o: &Texts, r: std::ops::Range<usize>) {
        let start = r.start.checked_sub(1).map_or(0, |p| o.ends[p].0);
        let end = r.end.checked_sub(1).map_or(start, |p| o.ends[p].0);
        let base = self.bytes.len();
        self.bytes.push_str(&o.bytes[start..end]);
        let ends = o.ends[r]
            .iter()
            .map(|&(e, there)| (e - start + base, there));
        self.ends.extend(ends);
    }

    /// Values in `order` as an array; in their own order, the buffers are
    /// taken as they are.
    fn finish(&self, order: &[usize]) -> StringArray {
        let identity =
            order.len() == self.ends.len() && (order.iter().enumerate()).all(|(i, &o)| i == o);
        if !identity || i32::try_from(self.bytes.len()).is_err() {
            return strings(order.iter().map(|&i| self.get(i)));
        }
        let ends = self.ends.iter().map(|&(e, _)| e as i32);
        let offsets: Vec<i32> = std::iter::once(0).chain(ends).collect();
        let nulls = (self.ends.iter().any(|&(_, there)| !there))
            .then(|| self.ends.iter().map(|&(_, there)| there).collect());
        StringArray::new(
            arrow_buffer::OffsetBuffer::new(offsets.into()),
            arrow_buffer::Buffer::from(self.bytes.as_bytes()),
            nulls,
        )
    }

    /// The first `n` values only.
    fn truncate(&mut self, n: usize) {
        if n < self.ends.len() {
            let end = n.checked_sub(1).map_or(0, |p| self.ends[p].0);
            self.bytes.truncate(end);
            self.ends.truncate(n);
        }
    }

    /// Room for `values` more values of `bytes` bytes in all.
    fn reserve(&mut self, values: usize, bytes: usize) {
        self.ends.reserve(values);
        self.bytes.reserve(bytes);
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let (end, there) = self.ends[i];
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p].0);
        there.then(|| &self.bytes[start..end])
    }
}

#[derive(Debug)]
enum Col {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Str(Texts),
    Code(&'static [&'static str], Vec<Option<&'static str>>),
}

impl Col {
    fn new(s: Storage) -> Self {
        match s {
            Storage::Int => Col::Int(Vec::new()),
            Storage::Float => Col::Float(Vec::new()),
            Storage::Bool => Col::Bool(Vec::new()),
            Storage::Str => Col::Str(Texts::default()),
            Storage::Code(codes) => Col::Code(codes, Vec::new()),
        }
    }
    fn len(&self) -> usize {
        match self {
            Col::Int(v) => v.len(),
            Col::Float(v) => v.len(),
            Col::Bool(v) => v.len(),
            Col::Str(v) => v.ends.len(),
            Col::Code(_, v) => v.len(),
        }
    }
    /// Append; a value of another storage type is a validator bug, stored as null.
    fn push(&mut self, v: Typed) {
        match (self, v) {
            (Col::Int(c), Typed::Int(i)) => c.push(Some(i)),
            (Col::Float(c), Typed::Float(f)) => c.push(Some(f)),
            (Col::Float(c), Typed::Int(i)) => c.push(Some(i as f64)),
            (Col::Bool(c), Typed::Bool(b)) => c.push(Some(b)),
            (Col::Str(c), Typed::Str(s)) => c.push(Some(&s)),
            (Col::Str(c), Typed::Code(s)) => c.push(Some(s)),
            (Col::Code(_, c), Typed::Code(s)) => c.push(Some(s)),
            (Col::Code(codes, c), Typed::Str(s)) => c.push(codes.iter().copied().find(|k| *k == s)),
            (Col::Int(c), _) => c.push(None),
            (Col::Float(c), _) => c.push(None),
            (Col::Bool(c), _) => c.push(None),
            (Col::Str(c), _) => c.push(None),
            (Col::Code(_, c), _) => c.push(None),
        }
    }
    /// The first `n` values only.
    fn truncate(&mut self, n: usize) {
        match self {
            Col::Int(v) => v.truncate(n),
            Col::Float(v) => v.truncate(n),
            Col::Bool(v) => v.truncate(n),
            Col::Str(v) => v.truncate(n),
            Col::Code(_, v) => v.truncate(n),
        }
    }

    /// Room for `values` more values; text columns for `bytes` more bytes.
    fn reserve(&mut self, values: usize, bytes: usize) {
        match self {
            Col::Int(v) => v.reserve(values),
            Col::Float(v) => v.reserve(values),
            Col::Bool(v) => v.reserve(values),
            Col::Str(v) => v.reserve(values, bytes),
            Col::Code(_, v) => v.reserve(values),
        }
    }

    /// The bytes of text held (0 for a column of another type).
    fn text_bytes(&self) -> usize {
        match self {
            Col::Str(v) => v.bytes.len(),
            _ => 0,
        }
    }

    /// Value `i` as it was pushed (up to its storage).
    fn typed(&self, i: usize) -> Typed<'_> {
        let v = match self {
            Col::Int(v) => v[i].map(Typed::Int),
            Col::Float(v) => v[i].map(Typed::Float),
            Col::Bool(v) => v[i].map(Typed::Bool),
            Col::Str(v) => v.get(i).map(|s| Typed::Str(s.into())),
            Col::Code(_, v) => v[i].map(Typed::Code),
        };
        v.unwrap_or(Typed::Null)
    }

    /// Values `r` of `o` after these: copied when stored alike, else
    /// pushed one by one as `push` takes them.
    fn extend(&mut self, o: &Col, r: std::ops::Range<usize>) {
        match (self, o) {
            (Col::Int(a), Col::Int(b)) => a.extend_from_slice(&b[r]),
            (Col::Float(a), Col::Float(b)) => a.extend_from_slice(&b[r]),
            (Col::Bool(a), Col::Bool(b)) => a.extend_from_slice(&b[r]),
            (Col::Str(a), Col::Str(b)) => a.extend(b, r),
            (Col::Code(x, a), Col::Code(y, b)) if x == y => a.extend_from_slice(&b[r]),
            (me, o) => r.for_each(|i| me.push(o.typed(i))),
        }
    }

    fn finish(&self, order: &[usize]) -> ArrayRef {
        match self {
            Col::Int(v) => Arc::new(Int64Array::new(values(v, order), nulls(v, order))),
            Col::Float(v) => Arc::new(Float64Array::new(values(v, order), nulls(v, order))),
            Col::Bool(v) => {
                let bits = BooleanBuffer::collect_bool(order.len(), |k| v[order[k]] == Some(true));
                Arc::new(BooleanArray::new(bits, nulls(v, order)))
            }
            Col::Str(v) => Arc::new(v.finish(order)),
            Col::Code(_, v) => Arc::new(codes(v, order)),
        }
    }
}

/// The values of `v` in `order`, a missing one as the type's default (its
/// slot is null): one pass that writes a plain buffer, where collecting
/// `Option`s appends value and validity one by one.
pub(super) fn values<T: ArrowNativeType>(v: &[Option<T>], order: &[usize]) -> ScalarBuffer<T> {
    order.iter().map(|&i| v[i].unwrap_or_default()).collect()
}

/// Which of the values of `v` in `order` are there; none when all are.
pub(super) fn nulls<T>(v: &[Option<T>], order: &[usize]) -> Option<NullBuffer> {
    (order.iter().any(|&i| v[i].is_none()))
        .then(|| BooleanBuffer::collect_bool(order.len(), |k| v[order[k]].is_some()).into())
}

/// A code column's values in `order`: its offsets and bytes written in one
/// pass over the (short, static) codes.
pub(super) fn codes(v: &[Option<&'static str>], order: &[usize]) -> StringArray {
    let bytes: usize = order.iter().map(|&i| v[i].map_or(0, str::len)).sum();
    if i32::try_from(bytes).is_err() {
        return strings(order.iter().map(|&i| v[i]));
    }
    let mut text = Vec::with_capacity(bytes);
    let mut offsets = Vec::with_capacity(order.len() + 1);
    offsets.push(0i32);
    for &i in order {
        text.extend_from_slice(v[i].unwrap_or("").as_bytes());
        offsets.push(text.len() as i32);
    }
    StringArray::new(
        arrow_buffer::OffsetBuffer::new(offsets.into()),
        text.into(),
        nulls(v, order),
    )
}

/// Text values into an array whose buffers are sized once, by a first pass
/// over the values' lengths (collecting grows and copies them as it goes).
fn strings<'a>(values: impl Iterator<Item = Option<&'a str>> + Clone) -> StringArray {
    let bytes = values.clone().map(|v| v.map_or(0, str::len)).sum();
    let mut b = arrow_array::builder::StringBuilder::with_capacity(values.size_hint().0, bytes);
    b.extend(values);
    b.finish()
}

/// Columns of one table: the contract's columns first (always all of them,
/// so every dataset has the same schema), then `dep_*` flags seen in input.
#[derive(Debug)]
pub struct TableBuilder {
    names: Vec<String>,
    storage: Vec<Storage>,
    cols: Vec<Col>,
    rows: usize,
    /// Whole-number columns whose range fits 16 bits: so in the run files
    /// (`coded`).
    small: Vec<bool>,
}

impl TableBuilder {
    pub fn new(contract: &[ColumnSpec]) -> Self {
        let mut b = TableBuilder {
            names: Vec::new(),
            storage: Vec::new(),
            cols: Vec::new(),
            rows: 0,
            small: Vec::new(),
        };
        for c in contract {
            let i = b.add_column(c.name, Storage::of(c.ty));
            b.small[i] = super::coded::small(c);
        }
        b
    }

    /// Add a column (or find it); earlier rows get nulls. Returns its index.
    pub fn add_column(&mut self, name: &str, s: Storage) -> usize {
        // Searched from the end, where the flags and kept columns are: a
        // row looks its own up each time.
        if let Some((i, _)) = self.find(name) {
            return i;
        }
        let mut col = Col::new(s);
        for _ in 0..self.rows {
            col.push(Typed::Null);
        }
        self.names.push(name.to_string());
        self.storage.push(s);
        self.small.push(false);
        self.cols.push(col);
        self.names.len() - 1
    }

    /// Column `name`'s place and storage, when there is one.
    pub fn find(&self, name: &str) -> Option<(usize, Storage)> {
        let i = self.names.iter().rposition(|n| n == name)?;
        Some((i, self.storage[i]))
    }

    /// Append a row given as (column index, value); absent columns get null.
    pub fn push_row<'a>(&mut self, values: impl IntoIterator<Item = (usize, Typed<'a>)>) {
        for (i, v) in values {
            self.put(i, v);
        }
        self.end_row();
    }

    /// A value of the row being pushed; a second one for the same column
    /// is not taken.
    pub fn put(&mut self, i: usize, v: Typed) {
        if let Some(c) = self.cols.get_mut(i) {
            if c.len() <= self.rows {
                c.push(v);
            }
        }
    }

    /// A value of the row being pushed, to a column stored as it is (the
    /// caller's promise: once per column and row, see `fast`). A column
    /// stored otherwise is a bug, stored as null at the row's end.
    #[inline]
    pub fn push_int(&mut self, i: usize, v: i64) {
        match self.cols.get_mut(i) {
            Some(Col::Int(c)) => c.push(Some(v)),
            _ => debug_assert!(false, "column {i} is not whole numbers"),
        }
    }

    #[inline]
    pub fn push_float(&mut self, i: usize, v: f64) {
        match self.cols.get_mut(i) {
            Some(Col::Float(c)) => c.push(Some(v)),
            _ => debug_assert!(false, "column {i} is not numbers"),
        }
    }

    #[inline]
    pub fn push_bool(&mut self, i: usize, v: bool) {
        match self.cols.get_mut(i) {
            Some(Col::Bool(c)) => c.push(Some(v)),
            _ => debug_assert!(false, "column {i} is not yes/no"),
        }
    }

    #[inline]
    pub fn push_code(&mut self, i: usize, v: &'static str) {
        match self.cols.get_mut(i) {
            Some(Col::Code(_, c)) => c.push(Some(v)),
            Some(Col::Str(c)) => c.push(Some(v)),
            _ => debug_assert!(false, "column {i} is not codes"),
        }
    }

    #[inline]
    pub fn push_str(&mut self, i: usize, v: &str) {
        match self.cols.get_mut(i) {
            Some(Col::Str(c)) => c.push(Some(v)),
            _ => debug_assert!(false, "column {i} is not text"),
        }
    }

    /// A null of the row being pushed, to column `i` (once per row).
    #[inline]
    pub fn push_null(&mut self, i: usize) {
        if let Some(c) = self.cols.get_mut(i) {
            c.push(Typed::Null);
        }
    }

    /// The row being pushed is complete: columns it gave no value get null.
    pub fn end_row(&mut self) {
        self.rows += 1;
        for c in &mut self.cols {
            if c.len() < self.rows {
                c.push(Typed::Null);
            }
        }
    }

    /// The whole number given to column `i` in the row being pushed.
    pub fn pending_int(&self, i: usize) -> Option<i64> {
        match self.cols.get(i) {
            Some(Col::Int(v)) => v.get(self.rows).copied().flatten(),
            _ => None,
        }
    }

    /// The text given to column `i` in the row being pushed.
    pub fn pending_str(&self, i: usize) -> Option<&str> {
        match self.cols.get(i) {
            Some(Col::Str(v)) if v.ends.len() > self.rows => v.get(self.rows),
            _ => None,
        }
    }

    /// The row being pushed is dropped: the builder is as it was before
    /// its first value.
    pub fn discard_row(&mut self) {
        for c in &mut self.cols {
            c.truncate(self.rows);
        }
    }

    /// Room for `rows` more rows, as many text bytes per column as `like`
    /// holds (a builder of rows like these).
    pub fn reserve(&mut self, rows: usize, like: &[usize]) {
        for (i, c) in self.cols.iter_mut().enumerate() {
            c.reserve(rows, like.get(i).copied().unwrap_or(0));
        }
    }

    /// The text bytes each column holds (for `reserve`).
    pub fn text_bytes(&self) -> Vec<usize> {
        self.cols.iter().map(Col::text_bytes).collect()
    }

    /// Rows `r` of `o` after these, its columns added (as `push_row`
    /// adds them) when it gives any row.
    pub fn append(&mut self, o: &TableBuilder, r: std::ops::Range<usize>) {
        if r.is_empty() {
            return;
        }
        let rows = self.rows + r.len();
        for ((name, &storage), col) in o.names.iter().zip(&o.storage).zip(&o.cols) {
            let i = self.add_column(name, storage);
            if self.cols[i].len() < rows {
                self.cols[i].extend(col, r.clone());
            }
        }
        self.rows = rows;
        for c in &mut self.cols {
            while c.len() < self.rows {
                c.push(Typed::Null);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The values of a text column (for sorting by id).
    pub fn strings(&self, name: &str) -> Option<&Texts> {
        let i = self.names.iter().position(|n| n == name)?;
        match &self.cols[i] {
            Col::Str(v) => Some(v),
            _ => None,
        }
    }

    /// The values of a whole-number column (for sorting by year).
    pub fn ints(&self, name: &str) -> Option<&[Option<i64>]> {
        let i = self.names.iter().position(|n| n == name)?;
        match &self.cols[i] {
            Col::Int(v) => Some(v),
            _ => None,
        }
    }

    /// Build a batch with rows in `order`, plus extra trailing columns.
    pub fn finish(
        &self,
        order: &[usize],
        extra: Vec<(Field, ArrayRef)>,
    ) -> crate::error::Result<RecordBatch> {
        self.finish_as(order, extra, false)
    }

    /// As `finish`, and with `coded` code columns as keys into their code
    /// lists and small whole numbers in 16 bits (for the run files, `coded`).
    pub fn finish_as(
        &self,
        order: &[usize],
        extra: Vec<(Field, ArrayRef)>,
        coded: bool,
    ) -> crate::error::Result<RecordBatch> {
        let mut arrays: Vec<ArrayRef> = (self.cols.iter().zip(&self.small))
            .map(|(c, &small)| match c {
                Col::Int(v) if coded && small => super::coded::small_ints(v, order),
                Col::Code(list, v) if coded => Ok(super::coded::keys(list, v, order)),
                c => Ok(c.finish(order)),
            })
            .collect::<crate::error::Result<_>>()?;
        let mut fields: Vec<Field> = (self.names.iter().zip(&arrays))
            .map(|(n, a)| Field::new(n, a.data_type().clone(), true))
            .collect();
        for (f, a) in extra {
            fields.push(f);
            arrays.push(a);
        }
        Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
    }
}

/// The household row index column carried by members.
pub fn hh_index_column(values: Vec<u32>) -> (Field, ArrayRef) {
    (
        Field::new(crate::dataset::HH_INDEX, DataType::UInt32, false),
        Arc::new(UInt32Array::from(values)),
    )
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;
