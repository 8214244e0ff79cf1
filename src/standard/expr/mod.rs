//! The small rule language in which poverty-standard indicators are written.
//!
//! Standards change by decree and provinces add variants, so indicators live in
//! TOML files as data, e.g. `age between 5 and 14 and not in_school`, not in
//! Rust. The language is kept within what SQL can express (Kleene three-valued
//! logic, `IN`, `BETWEEN`, `IS NULL`, `COALESCE`) so a rule evaluated here row by
//! row and the same rule pushed into a database via [`Expr::to_sql`] agree on
//! which households come out "unknown". Rules are type-checked against the data
//! contract when a standard loads, so a typo in a TOML file is reported with its
//! position instead of surfacing mid-run.
//!
//! The pipeline is split by stage: `lex` turns source text into tokens,
//! `parse` builds the syntax tree of `tree`, `check` resolves columns and
//! type-checks it, then `eval` runs it on rows and `sql` renders it as SQL.
//! This file holds the public types and the [`Expr`] API that ties them together.

mod check;
pub mod columnar;
pub mod dialect;
mod eval;
mod lex;
mod parse;
mod sql;
#[cfg(test)]
mod tests;
mod tree;

use check::{Checker, Ty};
use eval::{eval_node, truth_of};
use parse::parse;
use sql::sql_node;
use tree::Node;

/// Type of a column as the rule checker sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    Num,
    Bool,
    Str,
    Code(&'static [&'static str]),
}

/// One problem found in an expression: byte span within the expression source and a plain-words message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Row access used by evaluation.
pub trait Row {
    fn get(&self, col: usize) -> Value<'_>;
}

/// A cell or an expression result; `Null` means unknown, as SQL NULL does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Num(f64),
    Bool(bool),
    Str(&'a str),
}

/// What a compiled expression yields when it is not null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprType {
    Num,
    Bool,
    Str,
    Null,
}

/// A parsed and type-checked expression, with column references resolved to indices.
#[derive(Debug, Clone)]
pub struct Expr {
    root: Node,
    columns: Vec<usize>,
    ty: ExprType,
}

fn err(start: usize, end: usize, message: impl Into<String>) -> ExprError {
    ExprError {
        start,
        end,
        message: message.into(),
    }
}

impl Expr {
    /// Parse `src` and type-check it. `resolve(name)` returns the column's index and kind, or None when unknown.
    /// All type problems are reported, sorted by position; a syntax error stops at the first one.
    /// `known_names` feeds "did you mean" suggestions for unknown columns.
    /// The whole expression must be Bool-typed when `want_bool` is true.
    pub fn compile(
        src: &str,
        resolve: &dyn Fn(&str) -> Option<(usize, ColKind)>,
        known_names: &[&str],
        want_bool: bool,
    ) -> Result<Expr, Vec<ExprError>> {
        let mut root = parse(src).map_err(|e| vec![e])?;
        let mut checker = Checker {
            src,
            resolve,
            known: known_names,
            errors: Vec::new(),
        };
        let ty = checker.check(&mut root);
        if want_bool && !matches!(ty, Ty::Bool | Ty::Unknown) {
            checker.report(
                root.span(),
                format!(
                    "a rule must be a true/false condition, but this is {}",
                    ty.words()
                ),
            );
        }
        let mut errors = checker.errors;
        if !errors.is_empty() {
            errors.sort_by_key(|e| (e.start, e.end));
            return Err(errors);
        }
        let mut columns = Vec::new();
        root.collect_columns(&mut columns);
        columns.sort_unstable();
        columns.dedup();
        let ty = match ty {
            Ty::Num => ExprType::Num,
            Ty::Bool => ExprType::Bool,
            Ty::Str(_) => ExprType::Str,
            Ty::Null | Ty::Unknown => ExprType::Null,
        };
        Ok(Expr { root, columns, ty })
    }

    /// The column indices this expression reads (sorted, deduplicated).
    pub fn columns(&self) -> Vec<usize> {
        self.columns.clone()
    }

    /// What the expression yields when not null.
    pub fn value_type(&self) -> ExprType {
        self.ty
    }

    /// Evaluate on one row.
    pub fn eval<'a, R: Row + ?Sized>(&self, row: &'a R) -> Value<'a> {
        eval_node(&self.root, row)
    }

    /// Kleene truth value of a boolean expression: Some(true)/Some(false), None when unknown.
    pub fn truth<R: Row + ?Sized>(&self, row: &R) -> Option<bool> {
        truth_of(self.eval(row))
    }

    /// Render as standard SQL with the same three-valued meaning, fully parenthesised.
    /// Columns become double-quoted identifiers named by `column_name`.
    pub fn to_sql(&self, column_name: &dyn Fn(usize) -> String) -> String {
        let sp = dialect::Dialect::Ansi.spelling();
        sql_node(&self.root, &sp, &|i| sp.ident(&column_name(i)))
    }

    /// Render for one engine's spellings; `column(i)` gives the SQL that
    /// reads column `i` (quoted and qualified as the caller needs).
    pub fn to_sql_in(&self, sp: &dialect::Spelling, column: &dyn Fn(usize) -> String) -> String {
        sql_node(&self.root, sp, column)
    }
}

/// Byte offset → (line, column), both 1-based, column counted in chars. Used to place errors inside multi-line strings.
/// Offsets past the end clamp to the end; offsets inside a character count as that character.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(src.len());
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    let before = src.get(..end).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count());
    (before.matches('\n').count() + 1, column + 1)
}
