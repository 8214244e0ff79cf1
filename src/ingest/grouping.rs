//! Whole numbers written with one separator (`700.000`, `700,000`) read as
//! 700000 when the separator groups thousands and as 700 when it is a
//! decimal point, a factor of 1000 apart. The value alone cannot say which,
//! so the rows holding such values wait until their table (file or sheet)
//! has been read: a column where some value shows the separator grouping
//! thousands (`2.808.000`) and none shows it as a decimal point
//! (`700000.5`) reads them as thousands; otherwise they are quarantined with
//! a reason saying how to write them. The decision depends on the whole
//! column, never on the row order.

use super::header::Target;
use super::read::RawCell;
use super::validate::grouped;
use crate::schema::ColType;

/// Rows held back in one table at most; past it a row is decided with what
/// the column has shown so far (such a file has shown it long before).
const MAX_HELD: usize = 1 << 16;

/// What one column has shown about `.` and `,`: [dot, comma].
#[derive(Debug, Default, Clone, Copy)]
pub struct Seen {
    groups: [bool; 2],
    decimal: [bool; 2],
}

impl Seen {
    /// What either has shown.
    pub fn or(self, o: Seen) -> Seen {
        let either = |a: [bool; 2], b: [bool; 2]| [a[0] || b[0], a[1] || b[1]];
        Seen {
            groups: either(self.groups, o.groups),
            decimal: either(self.decimal, o.decimal),
        }
    }

    fn thousands(&self, sep: char) -> bool {
        let i = (sep == ',') as usize;
        self.groups[i] && !self.decimal[i]
    }
}

/// The current table's evidence and the rows waiting for it.
#[derive(Default)]
pub struct Grouping {
    seen: Vec<Seen>,
    held: Vec<(u64, Vec<RawCell<'static>>)>,
}

fn whole_number_text<'a>(target: &Target, cell: &'a RawCell) -> Option<&'a str> {
    match (target, cell) {
        (Target::Contract(spec, _), RawCell::Text(s))
            if matches!(spec.ty, ColType::Int) && s.bytes().any(|b| b == b'.' || b == b',') =>
        {
            Some(s)
        }
        _ => None,
    }
}

impl Grouping {
    /// Start a new table.
    pub fn reset(&mut self, width: usize) {
        self.seen = vec![Seen::default(); width];
        debug_assert!(self.held.is_empty());
    }

    /// Note what the row's whole-number cells show; whether the row holds
    /// an ambiguous value and must wait (it is then kept, see `take_held`).
    /// Past `MAX_HELD` such a row is settled in place instead.
    pub fn hold(&mut self, targets: &[Target], row_no: u64, cells: &mut [RawCell]) -> bool {
        if !observe(targets, cells, &mut self.seen) {
            return false;
        }
        if self.is_full() {
            settle(&self.seen, targets, cells);
            return false;
        }
        self.push_held(row_no, cells.iter().map(RawCell::to_owned_cell).collect());
        true
    }

    /// Whether a row that must wait is settled in place instead.
    pub fn is_full(&self) -> bool {
        self.held.len() >= MAX_HELD
    }

    /// Keep a row that must wait.
    pub fn push_held(&mut self, row_no: u64, cells: Vec<RawCell<'static>>) {
        self.held.push((row_no, cells));
    }

    /// What the table's columns have shown so far.
    pub fn seen(&self) -> &[Seen] {
        &self.seen
    }

    /// Take in what other rows of the table have shown.
    pub fn merge(&mut self, seen: &[Seen]) {
        for (a, b) in self.seen.iter_mut().zip(seen) {
            *a = a.or(*b);
        }
    }

    /// The held rows, with each ambiguous value the column settled written
    /// out as plain digits; the others stay as written (and are rejected).
    pub fn take_held(&mut self, targets: &[Target]) -> Vec<(u64, Vec<RawCell<'static>>)> {
        let mut rows = std::mem::take(&mut self.held);
        for (_, cells) in &mut rows {
            settle(&self.seen, targets, cells);
        }
        rows
    }
}

/// Note in `seen` what the row's whole-number cells show; whether the row
/// holds an ambiguous value.
pub fn observe(targets: &[Target], cells: &[RawCell], seen: &mut [Seen]) -> bool {
    let mut ambiguous = false;
    for ((target, cell), seen) in targets.iter().zip(cells.iter()).zip(seen) {
        let Some(s) = whole_number_text(target, cell) else {
            continue;
        };
        match grouped(s) {
            Some(g) if g.is_ambiguous() => ambiguous = true,
            Some(g) if g.sep != ' ' => seen.groups[(g.sep == ',') as usize] = true,
            Some(_) => {}
            None => {
                // `700000.5`, `23,5`: this column writes decimals with it.
                for (i, sep) in ['.', ','].into_iter().enumerate() {
                    if s.matches(sep).count() == 1 {
                        seen.decimal[i] = true;
                    }
                }
            }
        }
    }
    ambiguous
}

/// Ambiguous values written out as plain digits where the column has
/// shown (`seen`, so far) that the separator groups thousands.
pub fn settle(seen: &[Seen], targets: &[Target], cells: &mut [RawCell]) {
    for ((target, cell), seen) in targets.iter().zip(cells.iter_mut()).zip(seen) {
        let settled = whole_number_text(target, cell)
            .and_then(grouped)
            .filter(|g| g.is_ambiguous() && seen.thousands(g.sep));
        if let Some(g) = settled {
            *cell = RawCell::Text(g.value.to_string().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{column, TableKind};

    fn targets() -> Vec<Target> {
        let c = column(TableKind::Households, "income_per_capita_month").unwrap();
        vec![Target::Contract(c, 0)]
    }

    fn run(values: &[&str]) -> Vec<String> {
        let t = targets();
        let mut g = Grouping::default();
        g.reset(1);
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let mut cells = vec![RawCell::Text((*v).into())];
            if !g.hold(&t, i as u64, &mut cells) {
                out.push((i as u64, v.to_string()));
            }
        }
        for (i, cells) in g.take_held(&t) {
            out.push((i, cells[0].display()));
        }
        out.sort();
        out.into_iter().map(|(_, v)| v).collect()
    }

    #[test]
    fn one_separator_is_thousands_only_where_the_column_shows_it() {
        // Whatever the order, the column's other values decide.
        assert_eq!(run(&["700.000", "2.808.000"]), ["700000", "2.808.000"]);
        assert_eq!(run(&["2.808.000", "700.000"]), ["2.808.000", "700000"]);
        assert_eq!(run(&["700,000", "1,500,000"]), ["700000", "1,500,000"]);
        // Nothing shows it, or the other separator groups: left to be rejected.
        assert_eq!(run(&["700.000", "900000"]), ["700.000", "900000"]);
        assert_eq!(run(&["700.000", "1,500,000"]), ["700.000", "1,500,000"]);
        // The column also writes `.` as a decimal point: never read as thousands.
        assert_eq!(
            run(&["700.000", "2.808.000", "650000.5"]),
            ["700.000", "2.808.000", "650000.5"]
        );
    }
}
