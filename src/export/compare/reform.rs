//! A comparison across the reform of 1 July 2025: a year in the 63-province
//! scheme beside one in the 34-unit scheme. By province, each former
//! province counts in the unit it joined (`Level::Unit2025`; a year of the
//! 34-unit scheme is already in its units). By commune, each household
//! counts in its commune's group (`geo::reform`): the new commune its
//! former commune became, the group of new communes a split commune's
//! parts went to, or, for a code the lists lack or a group too large to
//! stand for a commune, its own code in its own year (`63:` or `34:`
//! before it, so a former and a new commune that share a number are never
//! taken for one unit). Every row of the tables says which
//! (`comparability`) and lists the group's codes in each scheme.

use crate::error::{Error, Result};
use crate::export::{Column, Frame};
use crate::geo::reform::{reform, Comparability};
use crate::geo::{geography, AdminScheme};
use crate::measure::Level;
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use std::sync::Arc;

/// The two years' batches with their codes as compared, and the level.
pub(super) struct Across {
    pub batches: Vec<RecordBatch>,
    pub level: Level,
}

/// `None` when both years are in one scheme. (A year of the 34-unit
/// scheme before one of the 63-province scheme, which only an
/// `admin_scheme` column can give, is compared the same way.)
pub(super) fn across(b0: &RecordBatch, b1: &RecordBatch, level: Level) -> Result<Option<Across>> {
    let (a0, a1) = (
        crate::score::admin_scheme_of(b0),
        crate::score::admin_scheme_of(b1),
    );
    if a0 == a1 {
        return Ok(None);
    }
    let (from, to) = (
        crate::score::survey_year_of(b0).unwrap_or_default(),
        crate::score::survey_year_of(b1).unwrap_or_default(),
    );
    let level = match level {
        Level::Province | Level::Unit2025 => Level::Unit2025,
        Level::District => {
            return Err(Error::Usage(format!(
                "districts ended on 01/07/2025, so {from} (63 provinces, with districts) and {to} (34 units, no districts) cannot be compared by district; compare them --by province or --by commune (through the commune crosswalk)"
            )))
        }
        l => l,
    };
    let batches = if level == Level::Commune {
        vec![recode(b0, a0)?, recode(b1, a1)?]
    } else {
        vec![b0.clone(), b1.clone()]
    };
    Ok(Some(Across { batches, level }))
}

/// The code a commune is compared under.
pub fn compared_code(scheme: AdminScheme, code: &str) -> String {
    let r = reform();
    let group = match scheme {
        AdminScheme::Provinces63 => r.of_old(code),
        AdminScheme::Units34 => r.of_new(code),
    };
    match group {
        Some(g)
            if matches!(
                g.kind,
                Comparability::Same | Comparability::Merged | Comparability::SplitGroup
            ) =>
        {
            g.code()
        }
        _ if code.is_empty() => String::new(),
        _ => format!("{}:{code}", scheme.name()),
    }
}

/// The batch with its commune codes replaced by the codes compared.
fn recode(b: &RecordBatch, scheme: AdminScheme) -> Result<RecordBatch> {
    let Some(i) = b.schema_ref().index_of("commune_code").ok() else {
        return Ok(b.clone());
    };
    let col = b.column(i);
    let Some(text) = crate::dataset::text::Text::of(col) else {
        return Ok(b.clone());
    };
    let mut memo: std::collections::HashMap<&str, String> = Default::default();
    let codes: StringArray = (0..b.num_rows())
        .map(|r| {
            text.get(r).map(|c| {
                memo.entry(c)
                    .or_insert_with(|| compared_code(scheme, c))
                    .clone()
            })
        })
        .collect();
    let mut columns = b.columns().to_vec();
    columns[i] = Arc::new(codes) as ArrayRef;
    let mut fields: Vec<arrow_schema::Field> = b
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields[i] = arrow_schema::Field::new("commune_code", arrow_schema::DataType::Utf8, true);
    let schema = arrow_schema::Schema::new(fields).with_metadata(b.schema_ref().metadata().clone());
    Ok(RecordBatch::try_new(Arc::new(schema), columns)?)
}

/// How a compared unit was formed, its name, and its codes before and after.
fn describe(
    level: Level,
    code: &str,
) -> (
    Option<&'static str>,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    let geo = geography();
    let join = |v: &[String]| Some(v.join(","));
    match level {
        Level::Unit2025 => {
            let from: Vec<String> = (geo.crosswalk_2025.iter())
                .filter(|(_, u)| u.as_str() == code)
                .map(|(p, _)| p.clone())
                .collect();
            let kind = match from.len() {
                0 => Comparability::NotInList,
                1 => Comparability::Same,
                _ => Comparability::Merged,
            };
            let name = geo.units_2025.get(code).map(|u| u.name_vi.clone());
            (Some(kind.name()), name, join(&from), Some(code.to_string()))
        }
        Level::Commune => {
            let r = reform();
            if let Some(old) = code.strip_prefix("63:") {
                let kind = r.of_old(old).map_or(Comparability::NotInList, |g| g.kind);
                let name = geo.commune(old).map(|c| c.name.clone());
                return (Some(kind.name()), name, Some(old.to_string()), None);
            }
            if let Some(new) = code.strip_prefix("34:") {
                let kind = r.of_new(new).map_or(Comparability::NotInList, |g| g.kind);
                let name = geo.commune_2025(new).map(|c| c.name.clone());
                return (Some(kind.name()), name, None, Some(new.to_string()));
            }
            let first = code.split('+').next().unwrap_or_default();
            match r.of_new(first) {
                Some(g) => (
                    Some(g.kind.name()),
                    Some(g.name()),
                    join(&g.old),
                    join(&g.new),
                ),
                None => (None, None, None, None),
            }
        }
        _ => (None, None, None, None),
    }
}

/// Name each unit of a table across the reform and say how it compares:
/// `comparability`, `codes_from` (former codes), `codes_to` (new codes).
pub(super) fn annotate(f: &mut Frame, level: Level) {
    let n = f.rows();
    let rows: Vec<_> = (0..n)
        .map(|r| {
            let total = f.cell_named("level", r) == Level::Total.name();
            let unit = if total { Level::Total } else { level };
            describe(unit, &f.cell_named("code", r))
        })
        .collect();
    if let Some(i) = f.names.iter().position(|c| c == "name") {
        if let Column::Str(names) = &mut f.columns[i] {
            for (name, d) in names.iter_mut().zip(&rows) {
                if d.1.is_some() || d.0.is_some() {
                    *name = d.1.clone();
                }
            }
        }
    }
    f.push(
        "comparability",
        Column::Str(rows.iter().map(|d| d.0.map(str::to_string)).collect()),
    );
    f.push(
        "codes_from",
        Column::Str(rows.iter().map(|d| d.2.clone()).collect()),
    );
    f.push(
        "codes_to",
        Column::Str(rows.iter().map(|d| d.3.clone()).collect()),
    );
}
