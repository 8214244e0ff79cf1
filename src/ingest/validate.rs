//! Cell validation: a raw cell and its contract column → a typed value, or the
//! reason it is wrong in words a field officer can act on. Pure functions,
//! shared by every reader and by the standards' worked examples.

use super::read::RawCell;
use super::read_csv::trimmed;
use crate::schema::{ColType, ColumnSpec};
use std::borrow::Cow;

/// A validated value, in the column's storage type; text borrowed from
/// the cell where it can be.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed<'a> {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(Cow<'a, str>),
    /// One of a column's codes, canonical spelling.
    Code(&'static str),
}

impl Typed<'_> {
    /// The same value, holding its own text.
    pub fn into_owned(self) -> Typed<'static> {
        match self {
            Typed::Str(s) => Typed::Str(Cow::Owned(s.into_owned())),
            Typed::Null => Typed::Null,
            Typed::Int(i) => Typed::Int(i),
            Typed::Float(f) => Typed::Float(f),
            Typed::Bool(b) => Typed::Bool(b),
            Typed::Code(c) => Typed::Code(c),
        }
    }
}

/// Spellings that mean "no value" in exports from R, Stata and spreadsheets.
fn is_missing_marker(s: &str) -> bool {
    // Each starts with `n`: most cells are ruled out by their first byte.
    (2..=4).contains(&s.len())
        && matches!(s.as_bytes()[0], b'n' | b'N')
        && ["na", "n/a", "null", "nan"]
            .iter()
            .any(|m| s.eq_ignore_ascii_case(m))
}

/// Validate one cell. `Ok(Typed::Null)` for a blank; required-ness and
/// cross-column checks are the caller's.
pub fn cell<'a>(spec: &ColumnSpec, raw: &'a RawCell) -> Result<Typed<'a>, String> {
    if matches!(raw, RawCell::Empty) {
        return Ok(Typed::Null);
    }
    if let RawCell::Text(s) = raw {
        if let Some(v) = common(spec, s) {
            if let Some(n) = number(&v) {
                in_range(spec, n)?;
            }
            return Ok(v);
        }
        if is_missing_marker(s) {
            return Ok(Typed::Null);
        }
        if let Some(why) = unprintable(s) {
            return Err(why);
        }
    }
    if let RawCell::Date(d) = raw {
        return Err(date(spec, &d.cell, &d.text, d.serial));
    }
    let v = match spec.ty {
        ColType::Int => Typed::Int(int(raw)?),
        ColType::Float => Typed::Float(float(raw)?),
        ColType::Bool => Typed::Bool(boolean(raw)?),
        ColType::Code(codes) => Typed::Code(code(raw, codes, spec.code_aliases)?),
        ColType::AdminCode(width) => Typed::Str(admin_code(raw, width)?),
        ColType::Text => Typed::Str(text(raw)?),
    };
    match v {
        Typed::Int(i) => in_range(spec, i as f64)?,
        Typed::Float(f) => in_range(spec, f)?,
        _ => {}
    }
    Ok(v)
}

/// The commonest cells, read as the general path reads them but without
/// its checks, which they pass (the `plain_*` readers below). The range
/// check is the caller's.
fn common<'a>(spec: &ColumnSpec, s: &'a str) -> Option<Typed<'a>> {
    match spec.ty {
        ColType::Int => plain_int(s).map(Typed::Int),
        ColType::Float => plain_float(s).map(Typed::Float),
        ColType::Bool => plain_bool(s).map(Typed::Bool),
        ColType::Code(codes) => plain_code(codes, s).map(Typed::Code),
        ColType::AdminCode(width) => plain_digits(width, s).map(|s| Typed::Str(Cow::Borrowed(s))),
        ColType::Text => plain_text(s).map(|s| Typed::Str(Cow::Borrowed(s))),
    }
}

/// A number's value, for its range check.
fn number(v: &Typed) -> Option<f64> {
    match *v {
        Typed::Int(i) => Some(i as f64),
        Typed::Float(f) => Some(f),
        _ => None,
    }
}

/// Plain digits, 1 to 18 of them (no overflow): the whole number.
#[inline]
pub fn plain_int(s: &str) -> Option<i64> {
    ((1..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| (s.bytes()).fold(0i64, |n, b| n * 10 + (b - b'0') as i64))
}

/// Digits with at most one `.`, a digit first: the number, when finite.
#[inline]
pub fn plain_float(s: &str) -> Option<f64> {
    let plain = s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|&b| b == b'.').count() <= 1;
    match plain {
        true => short_decimal(s).or_else(|| s.parse::<f64>().ok().filter(|f| f.is_finite())),
        false => None,
    }
}

/// Exact powers of ten as `f64`: every one up to 10^22 is.
const POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Digits with at most one `.` and at most 15 digits in all (`23.5`): the
/// digits as a whole number over a power of ten. Both are exact in an
/// `f64`, and a division rounds correctly, so this is the number `parse`
/// reads (Clinger's fast path), without its general machinery.
#[inline]
fn short_decimal(s: &str) -> Option<f64> {
    let (mut m, mut digits, mut point) = (0u64, 0usize, None);
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'.' => point = Some(i),
            _ => {
                m = m * 10 + (b - b'0') as u64;
                digits += 1;
            }
        }
    }
    let decimals = point.map_or(0, |p| s.len() - p - 1);
    (digits <= 15).then(|| m as f64 / POWERS[decimals])
}

/// `1` or `0`.
#[inline]
pub fn plain_bool(s: &str) -> Option<bool> {
    match s {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// A code as the code list spells it (and not a missing-value marker).
#[inline]
pub fn plain_code(codes: &'static [&'static str], s: &str) -> Option<&'static str> {
    match is_missing_marker(s) {
        true => None,
        false => codes.iter().find(|c| **c == s).copied(),
    }
}

/// A code of exactly `width` digits.
#[inline]
pub fn plain_digits(width: usize, s: &str) -> Option<&str> {
    (s.len() == width && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// A text short enough not to be counted, without a control character (a
/// tab or a line end goes the general way, which keeps the one and refuses
/// the other) and not a missing-value marker.
#[inline]
pub fn plain_text(s: &str) -> Option<&str> {
    let plain = s.len() <= MAX_TEXT_CHARS
        && !is_missing_marker(s)
        && !s.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2);
    plain.then_some(s)
}

/// Whether `n` is in the column's range.
#[inline]
pub fn within(spec: &ColumnSpec, n: f64) -> bool {
    spec.range.as_ref().is_none_or(|r| r.allows(n))
}

/// Whether `n` is in the column's range, and if not why.
#[inline]
fn in_range(spec: &ColumnSpec, n: f64) -> Result<(), String> {
    match spec.range.as_ref().and_then(|r| r.check(n)) {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

fn int(raw: &RawCell) -> Result<i64, String> {
    match raw {
        RawCell::Number(f) => {
            if f.fract() != 0.0 || !f.is_finite() {
                Err("must be a whole number".into())
            } else if f.abs() > 9.0e15 {
                Err("is too large".into())
            } else {
                Ok(*f as i64)
            }
        }
        RawCell::Text(s) => {
            let t = trimmed(s);
            let digits = t.strip_prefix('-').unwrap_or(t);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                // Up to 18 digits cannot overflow: summed without `parse`.
                if digits.len() <= 18 {
                    let n = (digits.bytes()).fold(0i64, |n, b| n * 10 + (b - b'0') as i64);
                    return Ok(if digits.len() < t.len() { -n } else { n });
                }
                return t.parse::<i64>().map_err(|_| "is too large".to_string());
            }
            // "700000.0" from a spreadsheet export is still a whole number.
            if let Some(int_part) = t.strip_suffix(".0") {
                if let Ok(n) = int_part.parse::<i64>() {
                    return Ok(n);
                }
            }
            match grouped(t) {
                Some(g) if !g.is_ambiguous() => return Ok(g.value),
                Some(g) => return Err(g.ambiguous_reason(t)),
                None => {}
            }
            if t.contains(['.', ',', ' ']) && t.bytes().any(|b| b.is_ascii_digit()) {
                Err("must be a whole number without decimals: plain digits (700000), or digits grouped by thousands with `.`, `,` or spaces (2.808.000, 2,808,000)".into())
            } else {
                Err("must be a whole number".into())
            }
        }
        RawCell::Bool(_) => Err("must be a whole number, not yes/no".into()),
        RawCell::Empty | RawCell::Date(_) => Err("is empty".into()),
    }
}

fn float(raw: &RawCell) -> Result<f64, String> {
    let v = match raw {
        RawCell::Number(f) => *f,
        RawCell::Text(s) => {
            let t = trimmed(s);
            // A lone decimal comma (Vietnamese spreadsheets: "23,5") is a decimal point.
            let t: Cow<str> = if !t.contains('.') && t.matches(',').count() == 1 {
                t.replace(',', ".").into()
            } else {
                t.into()
            };
            let ok = !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+');
            if !ok {
                return Err("must be a number".into());
            }
            t.parse::<f64>()
                .map_err(|_| "must be a number".to_string())?
        }
        RawCell::Bool(_) => return Err("must be a number, not yes/no".into()),
        RawCell::Empty | RawCell::Date(_) => return Err("is empty".into()),
    };
    if v.is_finite() {
        Ok(v)
    } else {
        Err("must be a finite number".into())
    }
}

/// Why a date cell cannot go in `spec`'s column (no column takes a date),
/// and what to type instead.
fn date(spec: &ColumnSpec, cell: &str, text: &str, serial: Option<f64>) -> String {
    let year_column = matches!(spec.name, "survey_year" | "birth_year");
    let name = spec.name;
    match serial {
        // A year typed into a cell formatted as a date: Excel shows 2020
        // as 1905-07-12.
        Some(n) if year_column && n.fract() == 0.0 && (1900.0..=2100.0).contains(&n) => format!(
            "cell {cell} holds {n} but is formatted as a date (Excel shows {text}); format the column as Number in Excel"
        ),
        _ if year_column => format!(
            "cell {cell} is a date ({text}), but {name} takes a year: type {}",
            text.get(..4).unwrap_or("the year")
        ),
        _ => format!(
            "cell {cell} is a date ({text}), but {name} is not a date; format the column as Number or Text in Excel and type the value again"
        ),
    }
}

fn boolean(raw: &RawCell) -> Result<bool, String> {
    const WHY: &str = "must be yes or no: 1/0, true/false, yes/no, có/không";
    match raw {
        RawCell::Bool(b) => Ok(*b),
        RawCell::Number(f) if *f == 1.0 => Ok(true),
        RawCell::Number(f) if *f == 0.0 => Ok(false),
        RawCell::Text(s) if s.as_ref() == "1" => Ok(true),
        RawCell::Text(s) if s.as_ref() == "0" => Ok(false),
        RawCell::Text(s) => match s.trim().to_lowercase().as_str() {
            "1" | "true" | "yes" | "y" | "có" | "co" | "c" | "x" => Ok(true),
            "0" | "false" | "no" | "n" | "không" | "khong" | "k" => Ok(false),
            // pandas and R write a 0/1 column with gaps as floats: 1.0, 0.0.
            t => match t.split_once('.') {
                Some((int @ ("0" | "1"), zeros))
                    if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') =>
                {
                    Ok(int == "1")
                }
                _ => Err(WHY.into()),
            },
        },
        _ => Err(WHY.into()),
    }
}

/// Longest text value (an id, a stratum, a PSU) accepted, in characters:
/// far beyond any real identifier, short of a pasted document.
pub const MAX_TEXT_CHARS: usize = 200;

fn text<'a>(raw: &'a RawCell) -> Result<Cow<'a, str>, String> {
    let s: Cow<'a, str> = match raw {
        RawCell::Text(t) => Cow::Borrowed(t),
        other => Cow::Owned(other.display()),
    };
    // A character is at least a byte: a short text needs no counting.
    let n = match s.len() > MAX_TEXT_CHARS {
        true => s.chars().count(),
        false => s.len(),
    };
    if n > MAX_TEXT_CHARS {
        return Err(format!(
            "is {n} characters long; an identifier or code has at most {MAX_TEXT_CHARS} (is a whole row or document pasted into the cell?)"
        ));
    }
    if s.bytes().any(|b| b == b'\n' || b == b'\r') {
        return Err("runs over a line end; an identifier is on one line (in a CSV file, a `\"` at the start of the value may open a quote that is closed only lines later)".into());
    }
    Ok(s)
}

/// Control characters (NUL, …) in a text cell come from a binary or
/// damaged file, never from a person typing; tabs and line ends inside a
/// quoted value are kept.
fn unprintable(s: &str) -> Option<String> {
    // Every control character is below 0x20, 0x7f, or U+0080–U+009F
    // (0xc2 0x80–0x9f): most cells need only this byte test.
    if !s.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) {
        return None;
    }
    let bad = s
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    Some(format!(
        "contains the control character U+{:04X}, which no typed value has; the file may be damaged or not a text file: re-export it",
        bad as u32
    ))
}

/// A whole number written with thousands separators.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grouped {
    pub value: i64,
    /// The separator: `.`, `,` or a space.
    pub sep: char,
    /// How many separators were written.
    pub seps: usize,
}

impl Grouped {
    /// One `.` or `,` before three digits (`700.000`) reads as 700000 when
    /// it groups thousands, as 700 when it is a decimal point: the same
    /// separator twice (`2.808.000`) or a space is never a decimal point.
    pub fn is_ambiguous(&self) -> bool {
        self.seps == 1 && self.sep != ' '
    }

    pub fn ambiguous_reason(&self, written: &str) -> String {
        format!(
            "`{written}` has a single `{sep}`, so it could be {} (`{sep}` grouping thousands) or {} (`{sep}` as a decimal point); \
             write plain digits ({}), or in a file where other values of this column show the grouping ({}) it is read as thousands",
            self.value,
            self.value / 1000,
            self.value,
            if self.sep == '.' { "2.808.000" } else { "2,808,000" },
            sep = self.sep
        )
    }
}

/// `2.808.000`, `2,808,000`, `2 808 000` (and `-` before): groups of three
/// digits after a first group of one to three, one separator throughout.
pub fn grouped(t: &str) -> Option<Grouped> {
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t),
    };
    let sep = digits.chars().find(|c| !c.is_ascii_digit())?;
    let sep_norm = match sep {
        '.' | ',' => sep,
        ' ' | '\u{a0}' | '\u{202f}' => ' ',
        _ => return None,
    };
    let mut parts = digits.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i64 = first.parse().ok()?;
    let mut seps = 0;
    for p in parts {
        if p.len() != 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value = value
            .checked_mul(1000)?
            .checked_add(p.parse::<i64>().ok()?)?;
        seps += 1;
    }
    (seps > 0).then_some(Grouped {
        value: if neg { -value } else { value },
        sep: sep_norm,
        seps,
    })
}

fn code(
    raw: &RawCell,
    codes: &'static [&'static str],
    aliases: &'static [(&'static str, &'static str)],
) -> Result<&'static str, String> {
    // The common case, a canonical code as written, needs no allocation.
    if let RawCell::Text(s) = raw {
        if let Some(c) = codes.iter().find(|c| **c == s.as_ref()) {
            return Ok(c);
        }
    }
    let text = match raw {
        RawCell::Number(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.display(),
    };
    let key = crate::schema::normalise_header(&text);
    if let Some(c) = codes.iter().find(|c| **c == key) {
        return Ok(c);
    }
    if let Some((_, c)) = aliases
        .iter()
        .find(|(a, _)| crate::schema::normalise_header(a) == key)
    {
        return Ok(c);
    }
    Err(format!(
        "is not a known code; use one of: {}",
        codes.join(", ")
    ))
}

fn admin_code<'a>(raw: &'a RawCell, width: usize) -> Result<Cow<'a, str>, String> {
    let text: Cow<'a, str> = match raw {
        RawCell::Number(f) if f.fract() == 0.0 && *f >= 0.0 => format!("{}", *f as i64).into(),
        RawCell::Text(s) => trimmed(s).into(),
        _ => return Err(format!("must be a {width}-digit code")),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > width {
        return Err(format!(
            "must be a code of at most {width} digits (e.g. {:0>width$})",
            "1"
        ));
    }
    // Digits only: a code of the full width is as written.
    match text.len() == width {
        true => Ok(text),
        false => Ok(format!("{text:0>width$}").into()),
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
