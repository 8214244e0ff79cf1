//! A domain of scored households (`--where`, `--province`): the rows the
//! estimates are about. Rows outside it are never dropped: they keep their
//! stratum and PSU and are marked, so the statistics give them a group of
//! their own that is never published (`OUTSIDE`) — the domain estimation
//! of R's `subset(design, …)`, where a PSU of a stratum with no household
//! in the domain still counts, with a zero total.
//!
//! The syntax is small on purpose: `COLUMN=VALUE`, `COLUMN!=VALUE`,
//! `COLUMN in (V1, V2, …)`; values may be quoted ('…' or "…"); an empty
//! value means blank. Several conditions must all hold.

use crate::dataset::text::Text;
use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// The hidden column marking rows outside the domain (null inside).
pub const DOMAIN_COLUMN: &str = "__domain";
/// The group code of every row outside the domain, at every level.
pub const OUTSIDE: &str = "\u{0}outside";

/// One condition on a column of the scored file.
#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    pub column: String,
    /// Whether the condition is `!=` (the value is none of `values`).
    pub negated: bool,
    /// The values, NFC-normalised.
    pub values: Vec<String>,
}

/// Rows where every condition holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Domain {
    pub conds: Vec<Cond>,
}

const SYNTAX: &str =
    "`--where` takes COLUMN=VALUE, COLUMN!=VALUE or COLUMN in (VALUE, VALUE, …), e.g. --where 'village=Bản Phủ' or --where 'district_code in (094, 096)'";

fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

/// A value as written: trimmed, quotes taken off; refused when it holds
/// an operator this syntax does not have.
fn value(raw: &str, whole: &str) -> std::result::Result<String, String> {
    let v = raw.trim();
    for q in ['\'', '"'] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return Ok(nfc(&v[1..v.len() - 1]));
        }
    }
    let words: Vec<&str> = v.split_whitespace().collect();
    if words.len() > 1 && words.iter().any(|w| ["and", "or", "AND", "OR"].contains(w)) {
        return Err(format!(
            "`{whole}`: conditions are not joined with and/or; give `--where` once per condition (all must hold); {SYNTAX}"
        ));
    }
    if v.contains(['=', '<', '>', '!', '(', ')', '\'', '"']) {
        return Err(format!("`{whole}` is not a condition dachieu reads: {SYNTAX}; quote a value that holds one of = < > ! ( ) '"));
    }
    Ok(nfc(v))
}

impl Cond {
    /// Parse one `--where` condition.
    pub fn parse(s: &str) -> std::result::Result<Cond, String> {
        let column = |c: &str| -> std::result::Result<String, String> {
            let name = crate::schema::normalise_header(c);
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.');
            ok.then_some(name)
                .ok_or_else(|| format!("`{s}`: `{}` is not a column name; {SYNTAX}", c.trim()))
        };
        if let Some((c, v)) = s.split_once("!=") {
            return Ok(Cond {
                column: column(c)?,
                negated: true,
                values: vec![value(v, s)?],
            });
        }
        if let Some((c, v)) = s.split_once('=') {
            return Ok(Cond {
                column: column(c)?,
                negated: false,
                values: vec![value(v, s)?],
            });
        }
        let lower = s.to_lowercase();
        if let Some(at) = lower.find(" in ") {
            let (c, rest) = (&s[..at], s[at + 4..].trim());
            let Some(list) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
                return Err(format!(
                    "`{s}`: the values of `in` go in parentheses; {SYNTAX}"
                ));
            };
            let values = split_list(list)
                .iter()
                .map(|v| value(v, s))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            if values.is_empty() {
                return Err(format!("`{s}`: `in ()` lists no value; {SYNTAX}"));
            }
            return Ok(Cond {
                column: column(c)?,
                negated: false,
                values,
            });
        }
        Err(format!("`{s}` is not a condition dachieu reads: {SYNTAX}"))
    }

    fn holds(&self, v: &str) -> bool {
        self.values.iter().any(|x| x == v) != self.negated
    }
}

/// The items of an `in (…)` list: split at commas outside quotes.
fn split_list(list: &str) -> Vec<&str> {
    let (mut out, mut start, mut quote) = (Vec::new(), 0, None);
    for (i, c) in list.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !list[start..].trim().is_empty() || !out.is_empty() {
        out.push(&list[start..]);
    }
    out
}

/// A column's values as text for the conditions: text as it is, whole
/// numbers in decimal.
enum Values<'a> {
    Text(Text<'a>),
    Int(&'a arrow_array::Int64Array),
}

impl Values<'_> {
    fn get(&self, i: usize) -> std::borrow::Cow<'_, str> {
        match self {
            Values::Text(t) => t.value(i).into(),
            Values::Int(a) if a.is_valid(i) => a.value(i).to_string().into(),
            Values::Int(_) => "".into(),
        }
    }
}

impl Domain {
    /// `--province 11,12` as a condition (codes zero-padded, each checked
    /// against the 63 provinces) and the `--where` conditions.
    pub fn new(provinces: &[String], wheres: &[String]) -> Result<Option<Domain>> {
        let mut conds = Vec::new();
        if !provinces.is_empty() {
            let geo = crate::geo::geography();
            let mut values = Vec::new();
            for p in provinces {
                let p = p.trim();
                let code = match p.parse::<u32>() {
                    Ok(n) if p.chars().all(|c| c.is_ascii_digit()) => format!("{n:02}"),
                    _ => p.to_string(),
                };
                if geo.province(&code).is_none() {
                    return Err(Error::Usage(format!(
                        "--province {p}: not one of the 63 GSO province codes (data/geo/provinces.csv), e.g. 11 for Điện Biên"
                    )));
                }
                values.push(code);
            }
            conds.push(Cond {
                column: "province_code".into(),
                negated: false,
                values,
            });
        }
        for w in wheres {
            conds.push(Cond::parse(w).map_err(Error::Usage)?);
        }
        Ok((!conds.is_empty()).then_some(Domain { conds }))
    }

    /// The columns the conditions read.
    pub fn columns(&self) -> Vec<&str> {
        self.conds.iter().map(|c| c.column.as_str()).collect()
    }

    /// Check the conditions against a scored year's columns: each must be
    /// there, text or whole numbers.
    pub fn check(&self, schema: &Schema, year: i64) -> Result<()> {
        for c in &self.conds {
            let Ok(f) = schema.field_with_name(&c.column) else {
                return Err(Error::Usage(format!(
                    "--where: survey year {year} has no column `{}`; columns it can test: {}",
                    c.column,
                    testable(schema).join(", ")
                )));
            };
            if !is_testable(f) {
                return Err(Error::Usage(format!(
                    "--where: column `{}` is {}; --where compares text and whole-number columns (codes, kept columns, survey_year, household_size)",
                    c.column,
                    f.data_type()
                )));
            }
        }
        Ok(())
    }

    /// The batch with its rows outside the domain marked (`DOMAIN_COLUMN`),
    /// and the number of rows inside.
    pub fn mark(&self, b: &RecordBatch) -> Result<(RecordBatch, usize)> {
        let cols: Vec<(&Cond, Values)> = self
            .conds
            .iter()
            .map(|c| {
                let a = b.column_by_name(&c.column).ok_or_else(|| {
                    Error::Usage(format!(
                        "--where: no column `{}` in the scored file",
                        c.column
                    ))
                })?;
                Ok((c, values_of(a, &c.column)?))
            })
            .collect::<Result<_>>()?;
        let mut inside = 0;
        let marks: StringArray = (0..b.num_rows())
            .map(|i| {
                let ok = cols.iter().all(|(c, v)| c.holds(&v.get(i)));
                inside += ok as usize;
                (!ok).then_some("outside")
            })
            .collect();
        let mut fields: Vec<Arc<Field>> = b.schema().fields().iter().cloned().collect();
        fields.push(Arc::new(Field::new(DOMAIN_COLUMN, DataType::Utf8, true)));
        let mut arrays = b.columns().to_vec();
        arrays.push(Arc::new(marks));
        let schema = Schema::new_with_metadata(fields, b.schema().metadata().clone());
        Ok((RecordBatch::try_new(Arc::new(schema), arrays)?, inside))
    }

    /// The conditions as given, for the console and the manifest.
    pub fn describe(&self) -> Vec<String> {
        (self.conds.iter())
            .map(|c| match (c.negated, c.values.as_slice()) {
                (true, [v]) => format!("{}!={v}", c.column),
                (false, [v]) => format!("{}={v}", c.column),
                (_, vs) => format!("{} in ({})", c.column, vs.join(", ")),
            })
            .collect()
    }
}

fn is_testable(f: &Field) -> bool {
    matches!(f.data_type(), DataType::Utf8 | DataType::Int64)
        || matches!(f.data_type(), DataType::Dictionary(_, v) if **v == DataType::Utf8)
}

fn testable(schema: &Schema) -> Vec<String> {
    (schema.fields().iter())
        .filter(|f| is_testable(f) && !f.name().starts_with("__"))
        .map(|f| f.name().clone())
        .collect()
}

fn values_of<'a>(a: &'a ArrayRef, name: &str) -> Result<Values<'a>> {
    if let Some(t) = Text::of(a) {
        return Ok(Values::Text(t));
    }
    if a.data_type() == &DataType::Int64 {
        return Ok(Values::Int(a.as_primitive::<Int64Type>()));
    }
    Err(Error::Usage(format!(
        "--where: column `{name}` is {}; --where compares text and whole-number columns",
        a.data_type()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(s: &str) -> Cond {
        Cond::parse(s).unwrap()
    }

    #[test]
    fn the_three_forms() {
        assert_eq!(
            cond(" Village = Bản Phủ "),
            Cond {
                column: "village".into(),
                negated: false,
                values: vec!["Bản Phủ".into()]
            }
        );
        assert!(cond("area!=urban").negated);
        assert_eq!(
            cond("ethnic_minority IN (yes, '1', \"a, b\")").values,
            ["yes", "1", "a, b"]
        );
        // An empty value is blank.
        assert_eq!(cond("village=").values, [""]);
        // Decomposed input matches composed data.
        assert_eq!(cond("village=Ba\u{300}n").values, ["Bàn"]);
    }

    #[test]
    fn anything_else_is_refused_with_the_syntax() {
        for bad in [
            "household_size > 3",
            "a=1 and b=2",
            "a<=2",
            "area in urban",
            "a in ()",
            "= rural",
            "like x",
        ] {
            let e = Cond::parse(bad).unwrap_err();
            assert!(e.contains(bad) && e.contains("COLUMN=VALUE"), "{bad}: {e}");
        }
        assert!(Cond::parse("a='x=y'").is_ok());
    }

    #[test]
    fn provinces_are_padded_and_checked() {
        let d = Domain::new(&["11".into(), "1".into()], &[])
            .unwrap()
            .unwrap();
        assert_eq!(d.conds[0].values, ["11", "01"]);
        assert!(Domain::new(&["99".into()], &[]).is_err());
        assert_eq!(Domain::new(&[], &[]).unwrap(), None);
    }

    #[test]
    fn marks_rows_outside() {
        let a: ArrayRef = Arc::new(StringArray::from(vec![Some("x"), None, Some("y")]));
        let b = RecordBatch::try_from_iter([("v", a)]).unwrap();
        let d = Domain::new(&[], &["v in (x, '')".into()]).unwrap().unwrap();
        let (m, inside) = d.mark(&b).unwrap();
        assert_eq!(inside, 2);
        let marks = m.column_by_name(DOMAIN_COLUMN).unwrap();
        assert_eq!(
            (marks.is_null(0), marks.is_null(1), marks.is_null(2)),
            (true, true, false)
        );
    }
}
