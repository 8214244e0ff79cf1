//! A table's header → where each column goes (a contract column, a
//! pre-coded `dep_*` flag, a household column kept as text, or nowhere),
//! and which table a file holds.
//! File-level problems (a missing required column, two headers meaning the
//! same column) stop the file here, before any row is read.

use crate::error::{Error, Result};
use crate::schema::{self, ColumnSpec, TableKind};
use std::collections::HashMap;

/// Where each header column goes.
pub enum Target {
    Contract(&'static ColumnSpec, usize),
    Flag(String),
    /// A household column outside the contract, kept as text under its
    /// normalised name (see `schema::extra_column_refusal`), or a known
    /// kept column (`schema::KEPT_COLUMNS`) under its own name, checked as
    /// its spec says.
    Extra(String, Option<&'static ColumnSpec>),
    Ignored,
}

/// A table's header as read, its kind, and where each column goes.
pub struct TableHeader {
    pub kind: TableKind,
    pub header: Vec<String>,
    pub targets: Vec<Target>,
}

/// A file whose header has a `member_id` column (or alias) is a members table.
pub fn detect_kind(header: &[String]) -> TableKind {
    let is_member = header.iter().any(|h| {
        schema::resolve_header(TableKind::Members, h).is_some_and(|c| c.name == "member_id")
    });
    if is_member {
        TableKind::Members
    } else {
        TableKind::Households
    }
}

pub fn map_header(
    source: &str,
    kind: TableKind,
    header: &[String],
    warnings: &mut Vec<String>,
) -> Result<Vec<Target>> {
    if header.iter().all(|h| h.is_empty()) {
        return Err(Error::input(source, "the header row is empty"));
    }
    let contract = kind.columns();
    let mut targets = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut extras: HashMap<String, &str> = HashMap::new();
    for h in header {
        let norm = schema::normalise_header(h);
        if let Some(spec) = schema::resolve_header(kind, h) {
            if let Some(prev) = seen.insert(spec.name, h) {
                return Err(Error::input(
                    source,
                    format!(
                        "columns `{prev}` and `{h}` both mean `{}`; keep one",
                        spec.name
                    ),
                ));
            }
            let idx = contract
                .iter()
                .position(|c| c.name == spec.name)
                .unwrap_or(0);
            targets.push(Target::Contract(spec, idx));
        } else if norm.starts_with(schema::DEP_FLAG_PREFIX)
            && norm.len() > schema::DEP_FLAG_PREFIX.len()
            && kind == TableKind::Households
        {
            targets.push(Target::Flag(norm));
        } else if kind == TableKind::Households {
            let known = schema::resolve_kept(h);
            let norm = known.map_or(norm, |c| c.name.to_string());
            match schema::extra_column_refusal(&norm) {
                None => {
                    if let Some(prev) = extras.insert(norm.clone(), h) {
                        return Err(Error::input(
                            source,
                            format!(
                                "columns `{prev}` and `{h}` both mean `{norm}` (names compare without case, spaces or dashes, and Vietnamese headers such as thôn mean village); keep one"
                            ),
                        ));
                    }
                    targets.push(Target::Extra(norm, known));
                }
                Some(why) => {
                    warnings.push(format!(
                        "{source}: column `{h}` is not part of the households data contract and was not kept: {why}"
                    ));
                    targets.push(Target::Ignored);
                }
            }
        } else {
            warnings.push(format!(
                "{source}: column `{h}` is not part of the {} data contract and was ignored (see data-samples/README.md)",
                kind.name()
            ));
            targets.push(Target::Ignored);
        }
    }
    let missing: Vec<String> = contract
        .iter()
        .filter(|c| c.required && !seen.contains_key(c.name))
        .map(|c| {
            if c.aliases.is_empty() {
                format!("`{}`", c.name)
            } else {
                format!("`{}` (or {})", c.name, c.aliases.join(", "))
            }
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::input(
            source,
            format!(
                "this {} table lacks required column(s) {}; add them or rename the header (see data-samples/README.md)",
                kind.name(),
                missing.join(", ")
            ),
        ));
    }
    Ok(targets)
}
