//! The scored file assembled from the chunks, in order: the pass-through
//! columns and weight, one column per indicator, the deprivation range, the
//! weighted score and severe flag (weighted rule), the class columns, and
//! the metadata later stages read instead of reloading the standard.

use super::chunk::Out;
use super::classify;
use super::*;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, BooleanArray, Float64Array, StringArray, UInt8Array};
use arrow_schema::{Field, Schema};
use std::collections::HashMap;
use std::sync::Arc;

/// The scored file's columns as they are added, fields and arrays in step.
#[derive(Default)]
struct Built {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Built {
    fn push(&mut self, field: Field, array: ArrayRef) {
        self.fields.push(field);
        self.arrays.push(array);
    }
}

pub(super) fn build_output(
    st: &Standard,
    households: &RecordBatch,
    chunks: Vec<Out>,
    opts: &ScoreOptions,
    sample: bool,
) -> Result<RecordBatch> {
    let mut b = Built::default();
    pass_through(&mut b, households);
    for (k, ind) in st.indicators.iter().enumerate() {
        let col: BooleanArray = chunks
            .iter()
            .flat_map(|c| c.indicators[k].iter().copied())
            .collect();
        b.push(
            Field::new(ind.id.as_str(), DataType::Boolean, true),
            Arc::new(col),
        );
    }
    let u8col = |f: fn(&Out) -> &Vec<u8>| -> ArrayRef {
        Arc::new(UInt8Array::from(
            chunks
                .iter()
                .flat_map(|c| f(c).iter().copied())
                .collect::<Vec<_>>(),
        ))
    };
    b.push(
        Field::new("deprivations_min", DataType::UInt8, false),
        u8col(|c| &c.d_min),
    );
    b.push(
        Field::new("deprivations_max", DataType::UInt8, false),
        u8col(|c| &c.d_max),
    );
    weighted_columns(&mut b, st, &chunks);
    class_columns(&mut b, &chunks);
    super::extras::carry(households, &mut b.fields, &mut b.arrays);
    let mut meta = metadata(st, opts, sample);
    meta.insert(
        META_ADMIN_SCHEME.to_string(),
        admin_scheme_of_households(households)?.name().to_string(),
    );
    let schema = Schema::new(b.fields).with_metadata(meta);
    Ok(RecordBatch::try_new(Arc::new(schema), b.arrays)?)
}

/// The households' identifying columns, and the weight: 1 when the data
/// carries none (a census counts every household once).
fn pass_through(b: &mut Built, households: &RecordBatch) {
    for name in PASS_THROUGH {
        if let Some(a) = households.column_by_name(name) {
            b.push(Field::new(*name, a.data_type().clone(), true), a.clone());
        }
    }
    let weight: Float64Array = match households.column_by_name("weight") {
        Some(a) if a.data_type() == &DataType::Float64 => a
            .as_primitive::<Float64Type>()
            .iter()
            .map(|w| Some(w.unwrap_or(1.0)))
            .collect(),
        _ => std::iter::repeat_n(Some(1.0), households.num_rows()).collect(),
    };
    b.push(
        Field::new("weight", DataType::Float64, false),
        Arc::new(weight),
    );
}

/// Weighted rule: the score range itself, and the severe-poverty flag. The
/// engine identifies on exact fractions; these floats are for reading
/// (each is the correctly rounded value of its fraction, so 1/3 reads as
/// 1.0 / 3.0 does).
fn weighted_columns(b: &mut Built, st: &Standard, chunks: &[Out]) {
    let Some(w) = &st.weighted else {
        return;
    };
    let den = st
        .indicators
        .iter()
        .fold(1i64, |l, i| crate::exact::rational::lcm(l, i.weight.den));
    for (name, f) in [
        (
            "deprivation_score_min",
            (|c: &Out| &c.s_min) as fn(&Out) -> &Vec<i64>,
        ),
        ("deprivation_score_max", |c: &Out| &c.s_max),
    ] {
        let col: Float64Array = chunks
            .iter()
            .flat_map(|c| f(c).iter().map(|n| Some(*n as f64 / den as f64)))
            .collect();
        b.push(Field::new(name, DataType::Float64, false), Arc::new(col));
    }
    if w.severe.is_some() {
        let col: BooleanArray = chunks
            .iter()
            .flat_map(|c| c.severe.iter().copied())
            .collect();
        b.push(Field::new("severe", DataType::Boolean, true), Arc::new(col));
    }
}

/// The class, its poor path and measure, the classes still possible, and
/// the indicators that were unknown.
fn class_columns(b: &mut Built, chunks: &[Out]) {
    let strcol = |f: &dyn Fn(&Out) -> Vec<Option<&str>>| -> ArrayRef {
        Arc::new(chunks.iter().flat_map(f).collect::<StringArray>())
    };
    b.push(
        Field::new("class", DataType::Utf8, false),
        strcol(&|c| c.class.iter().map(|s| Some(*s)).collect()),
    );
    b.push(
        Field::new("poor_path", DataType::Utf8, true),
        strcol(&|c| c.path.clone()),
    );
    b.push(
        Field::new("measure", DataType::Utf8, true),
        strcol(&|c| c.measure.clone()),
    );
    b.push(
        Field::new("possible_classes", DataType::Utf8, true),
        strcol(&|c| c.possible.iter().map(|s| s.as_deref()).collect()),
    );
    b.push(
        Field::new("unknown_indicators", DataType::Utf8, true),
        strcol(&|c| c.unknown.iter().map(|s| s.as_deref()).collect()),
    );
}

/// The scored file's metadata: the standard, its rule, cut-off, weights and
/// classes, the missing-value policy and whether the data is a sample.
fn metadata(st: &Standard, opts: &ScoreOptions, sample: bool) -> HashMap<String, String> {
    let ids: Vec<&str> = st.indicators.iter().map(|i| i.id.as_str()).collect();
    let weights: Vec<String> = st.indicators.iter().map(|i| i.weight.to_string()).collect();
    let classes: Vec<&str> = classify::defined(st).iter().map(|c| c.name()).collect();
    [
        (META_STANDARD, st.id.clone()),
        (META_VERSION, st.version.clone()),
        (META_INDICATORS, ids.join(",")),
        (
            META_MISSING,
            opts.missing
                .map(MissingOverride::name)
                .unwrap_or("per-indicator")
                .to_string(),
        ),
        (META_WEIGHTS, weights.join(",")),
        (
            META_CUTOFF,
            match &st.weighted {
                Some(w) => w.cutoff.to_string(),
                None => st.cutoff.to_string(),
            },
        ),
        (META_ORIGIN, st.origin.clone()),
        (META_RULE, st.rule.name().to_string()),
        (META_CLASSES, classes.join(",")),
        (META_PROVISIONAL, st.provisional.to_string()),
        (
            META_DESIGN,
            if sample { "sample" } else { "census" }.to_string(),
        ),
    ]
    .into_iter()
    .chain(
        st.weighted
            .iter()
            .flat_map(|w| [(META_VULNERABLE, w.vulnerable), (META_SEVERE, w.severe)])
            .filter_map(|(k, v)| v.map(|v| (k, v.to_string()))),
    )
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
