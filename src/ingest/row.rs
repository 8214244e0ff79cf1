//! One row's cells → typed values in contract order, plus every problem
//! with the row (column, value, reason), including the cross-column checks.

use super::header::Target;
use super::read::RawCell;
use super::validate::{self, Typed};
use crate::schema::{self, ColumnSpec, TableKind};

/// (column as headed in the file, value as read, reason in plain words)
pub type Problem = (String, String, String);

/// Validated values of one row, keyed by contract column index, plus flags
/// and the household columns kept as text.
pub struct Row<'a> {
    pub values: Vec<Typed<'a>>,
    pub flags: Vec<(&'a str, Typed<'a>)>,
    pub extras: Vec<(&'a str, Typed<'a>)>,
}

impl<'a> Row<'a> {
    pub fn get(&self, kind: TableKind, name: &str) -> &Typed<'a> {
        schema::position(kind, name)
            .and_then(|i| self.values.get(i))
            .unwrap_or(&Typed::Null)
    }

    pub fn int(&self, kind: TableKind, name: &str) -> Option<i64> {
        match self.get(kind, name) {
            Typed::Int(v) => Some(*v),
            _ => None,
        }
    }

    pub fn str(&self, kind: TableKind, name: &str) -> Option<&str> {
        match self.get(kind, name) {
            Typed::Str(v) => Some(v.as_ref()),
            _ => None,
        }
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
const EXTRA: ColumnSpec = ColumnSpec {
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

/// A rejected value as the quarantine shows it: a value too long to be
/// one (a pasted document) is cut, so the quarantine stays readable.
fn shown(cell: &RawCell) -> String {
    let s = cell.display();
    match s.char_indices().nth(validate::MAX_TEXT_CHARS) {
        Some((at, _)) => format!("{}… ({} characters)", &s[..at], s.chars().count()),
        None => s,
    }
}

/// Validate one row's cells.
pub fn validate_row<'a>(
    kind: TableKind,
    header: &[String],
    targets: &'a [Target],
    cells: &'a [RawCell],
) -> (Row<'a>, Vec<Problem>) {
    let mut row = Row {
        values: vec![Typed::Null; kind.columns().len()],
        flags: Vec::new(),
        extras: Vec::new(),
    };
    let mut problems = Vec::new();
    for ((target, cell), h) in targets.iter().zip(cells).zip(header) {
        match target {
            Target::Contract(spec, i) => match validate::cell(spec, cell) {
                Ok(Typed::Null) if spec.required => problems.push((
                    h.clone(),
                    String::new(),
                    format!("`{}` is required but empty", spec.name),
                )),
                Ok(v) => row.values[*i] = v,
                Err(why) => {
                    problems.push((h.clone(), shown(cell), format!("`{}` {why}", spec.name)))
                }
            },
            Target::Flag(name) => match validate::cell(&FLAG, cell) {
                Ok(v) => row.flags.push((name, v)),
                Err(why) => problems.push((h.clone(), shown(cell), format!("`{name}` {why}"))),
            },
            Target::Extra(name, spec) => {
                let spec = spec.unwrap_or(&EXTRA);
                let v = match one_line(cell) {
                    std::borrow::Cow::Borrowed(c) => validate::cell(spec, c),
                    std::borrow::Cow::Owned(c) => validate::cell(spec, &c).map(Typed::into_owned),
                };
                match v {
                    // A kept yes/no column is text like the others: `yes` / `no`.
                    Ok(Typed::Bool(b)) => {
                        (row.extras).push((name, Typed::Code(if b { "yes" } else { "no" })))
                    }
                    Ok(v) => row.extras.push((name, v)),
                    Err(why) => problems.push((h.clone(), shown(cell), format!("`{name}` {why}"))),
                }
            }
            Target::Ignored => {}
        }
    }
    match kind {
        TableKind::Households => super::units::check(&row, &mut problems),
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
    (row, problems)
}
