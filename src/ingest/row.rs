//! One row's cells → typed values in contract order, plus every problem
//! with the row (column, value, reason), including the cross-column checks.

use super::build::TableBuilder;
use super::header::Target;
use super::read::RawCell;
use super::validate::{self, Typed};
use crate::schema::{self, ColumnSpec, TableKind};

/// (column as headed in the file, value as read, reason in plain words)
pub type Problem = (String, String, String);

/// The row being judged: its contract values are the builder's pending
/// row (written there as they are validated), its kept columns beside.
pub struct Row<'r, 'a> {
    pub b: &'r TableBuilder,
    pub extras: &'r [(&'a str, Typed<'a>)],
}

impl<'r> Row<'r, '_> {
    pub fn int(&self, kind: TableKind, name: &str) -> Option<i64> {
        self.b.pending_int(schema::position(kind, name)?)
    }

    pub fn str(&self, kind: TableKind, name: &str) -> Option<&'r str> {
        self.b.pending_str(schema::position(kind, name)?)
    }
}

const FLAG: ColumnSpec = ColumnSpec {
    name: "dep_*",
    ty: schema::ColType::Bool,
    required: false,
    aliases: &[],
    range: None,
    code_aliases: &[],
    doc: "",
};

/// A household column outside the contract: free text, checked as the
/// contract's text columns are (encoding, control characters, length).
pub(super) const EXTRA: ColumnSpec = ColumnSpec {
    name: "extra",
    ty: schema::ColType::Text,
    required: false,
    aliases: &[],
    range: None,
    code_aliases: &[],
    doc: "",
};

/// A kept column's text on one line: a note or an address typed over
/// several lines is one label in a list or a group, its line ends spaces.
fn one_line<'c>(cell: &'c RawCell<'c>) -> std::borrow::Cow<'c, RawCell<'c>> {
    match cell {
        RawCell::Text(s) if s.contains(['\n', '\r']) => {
            let parts: Vec<&str> = (s.split(['\n', '\r']).map(str::trim))
                .filter(|p| !p.is_empty())
                .collect();
            std::borrow::Cow::Owned(RawCell::Text(parts.join(" ").into()))
        }
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// A kept yes/no column is text like the others: `yes` / `no`.
pub(super) fn kept_yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// A rejected value as the quarantine shows it: a value too long to be
/// one (a pasted document) is cut, so the quarantine stays readable.
fn shown(cell: &RawCell) -> String {
    let s = cell.display();
    match s.char_indices().nth(validate::MAX_TEXT_CHARS) {
        Some((at, _)) => format!("{}… ({} characters)", &s[..at], s.chars().count()),
        None => s,
    }
}

/// Validate one row's cells: its contract values written to `b`'s
/// pending row (the caller ends or discards it), its flags and kept
/// columns to `flags` and `extras`; every problem with the row.
pub fn validate_row<'a>(
    kind: TableKind,
    (header, targets): (&[String], &'a [Target]),
    cells: &'a [RawCell],
    b: &mut TableBuilder,
    flags: &mut Vec<(&'a str, Typed<'a>)>,
    extras: &mut Vec<(&'a str, Typed<'a>)>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for ((target, cell), h) in targets.iter().zip(cells).zip(header) {
        match target {
            Target::Contract(spec, i) => match validate::cell(spec, cell) {
                Ok(Typed::Null) if spec.required => problems.push((
                    h.clone(),
                    String::new(),
                    format!("`{}` is required but empty", spec.name),
                )),
                Ok(v) => b.put(*i, v),
                Err(why) => {
                    problems.push((h.clone(), shown(cell), format!("`{}` {why}", spec.name)))
                }
            },
            Target::Flag(name) => match validate::cell(&FLAG, cell) {
                Ok(v) => flags.push((name, v)),
                Err(why) => problems.push((h.clone(), shown(cell), format!("`{name}` {why}"))),
            },
            Target::Extra(name, spec) => {
                let spec = spec.unwrap_or(&EXTRA);
                let v = match one_line(cell) {
                    std::borrow::Cow::Borrowed(c) => validate::cell(spec, c),
                    std::borrow::Cow::Owned(c) => validate::cell(spec, &c).map(Typed::into_owned),
                };
                match v {
                    Ok(Typed::Bool(b)) => extras.push((name, Typed::Code(kept_yes_no(b)))),
                    Ok(v) => extras.push((name, v)),
                    Err(why) => problems.push((h.clone(), shown(cell), format!("`{name}` {why}"))),
                }
            }
            Target::Ignored => {}
        }
    }
    let row = Row { b, extras };
    cross_checks(kind, &row, &mut problems);
    problems
}

/// The checks of one value against another of the row.
pub(super) fn cross_checks(kind: TableKind, row: &Row, problems: &mut Vec<Problem>) {
    match kind {
        TableKind::Households => super::units::check(row, problems),
        TableKind::Members => {
            if let (Some(year), Some(by)) =
                (row.int(kind, "survey_year"), row.int(kind, "birth_year"))
            {
                if by > year {
                    problems.push((
                        "birth_year".into(),
                        by.to_string(),
                        format!("`birth_year` {by} is after the survey year {year}"),
                    ));
                } else if year - by > 120 && row.int(kind, "age").is_none() {
                    problems.push((
                        "birth_year".into(),
                        by.to_string(),
                        format!("`birth_year` {by} means an age over 120 in {year}"),
                    ));
                }
            }
        }
    }
}
