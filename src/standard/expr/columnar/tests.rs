//! The compiled kernels against the row interpreter: random rules over the
//! members contract's columns (comparisons, lists, ranges, null tests,
//! `COALESCE`, arithmetic with division by zero, Kleene logic, null
//! literals) on random rows with nulls, NaN and infinities; every row's
//! truth must be the interpreter's.

use super::*;
use crate::schema::{ColType, TableKind, MEMBER_COLUMNS};
use crate::standard::expr::{Row, Value};
use arrow_array::ArrayRef;
use proptest::prelude::*;
use std::sync::Arc;

/// One row of the views, as `RowRef` reads a batch.
struct ViewRow<'c, 'a> {
    cols: &'c [ColumnView<'a>],
    start: usize,
    i: usize,
}

impl Row for ViewRow<'_, '_> {
    fn get(&self, col: usize) -> Value<'_> {
        use arrow_array::Array;
        let (i, r) = (self.start + self.i, self.i);
        match self.cols.get(col) {
            Some(ColumnView::Int(a)) if a.is_valid(i) => Value::Num(a.value(i) as f64),
            Some(ColumnView::Float(a)) if a.is_valid(i) => Value::Num(a.value(i)),
            Some(ColumnView::Bool(a)) if a.is_valid(i) => Value::Bool(a.value(i)),
            Some(ColumnView::Str(a)) if a.is_valid(i) => Value::Str(a.value(i)),
            Some(ColumnView::Dict(k, v)) if k.is_valid(i) && v.is_valid(k.value(i) as usize) => {
                Value::Str(v.value(k.value(i) as usize))
            }
            Some(ColumnView::Num(v, ok)) if bits::get(ok, r) => Value::Num(v[r]),
            _ => Value::Null,
        }
    }
}

fn num_leaf() -> BoxedStrategy<String> {
    prop_oneof![
        (-3i64..130).prop_map(|v| v.to_string()),
        Just("0".to_string()),
        Just("2.5".to_string()),
        Just("null".to_string()),
        prop::sample::select(vec![
            "age",
            "birth_year",
            "bmi",
            "years_schooling",
            "survey_year"
        ])
        .prop_map(String::from),
    ]
    .boxed()
}

fn num() -> BoxedStrategy<String> {
    num_leaf()
        .prop_recursive(3, 12, 2, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    prop::sample::select(vec!["+", "-", "*", "/"]),
                    inner.clone()
                )
                    .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
                inner.clone().prop_map(|a| format!("-({a})")),
                (inner.clone(), inner).prop_map(|(a, b)| format!("coalesce({a}, {b})")),
            ]
        })
        .boxed()
}

fn text() -> BoxedStrategy<String> {
    let leaf = prop::sample::select(vec![
        "education_level",
        "employment_status",
        "vocational_training",
        "\"none\"",
        "\"primary\"",
        "\"unemployed\"",
        "null",
    ])
    .prop_map(String::from);
    prop_oneof![
        3 => leaf.clone(),
        1 => (leaf.clone(), leaf).prop_map(|(a, b)| format!("coalesce({a}, {b})")),
    ]
    .boxed()
}

fn cmp() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["=", "!=", "<", "<=", ">", ">="])
}

fn list() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "\"none\"",
            "\"primary\"",
            "\"unemployed\"",
            "\"tertiary\"",
        ]),
        1..4,
    )
    .prop_map(|v| format!("[{}]", v.join(", ")))
}

fn truth_leaf() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            "in_school",
            "stunted",
            "uses_phone",
            "true",
            "false",
            "null"
        ])
        .prop_map(String::from),
        (num(), cmp(), num()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
        (text(), cmp(), text()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
        (text(), any::<bool>(), list())
            .prop_map(|(a, neg, l)| format!("({a} {}in {l})", if neg { "not " } else { "" })),
        (num(), any::<bool>(), prop::collection::vec(-2i64..20, 1..4)).prop_map(|(a, neg, l)| {
            let l: Vec<String> = l.iter().map(i64::to_string).collect();
            format!(
                "({a} {}in [{}])",
                if neg { "not " } else { "" },
                l.join(", ")
            )
        }),
        (num(), num(), num()).prop_map(|(a, b, c)| format!("({a} between {b} and {c})")),
        (num(), any::<bool>())
            .prop_map(|(a, neg)| format!("({a} is {}null)", if neg { "not " } else { "" })),
        (text(), any::<bool>())
            .prop_map(|(a, neg)| format!("({a} is {}null)", if neg { "not " } else { "" })),
    ]
    .boxed()
}

fn truth() -> BoxedStrategy<String> {
    truth_leaf()
        .prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|a| format!("not ({a})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("coalesce({a}, {b})")),
                (inner.clone(), cmp(), inner.clone())
                    .prop_map(|(a, op, b)| format!("(({a}) {op} ({b}))")),
                (inner.clone(), any::<bool>()).prop_map(|(a, neg)| format!(
                    "(({a}) is {}null)",
                    if neg { "not " } else { "" }
                )),
                (inner, any::<bool>()).prop_map(|(a, t)| format!("(({a}) in [{t}])")),
            ]
        })
        .boxed()
}

/// A cell of a column of type `ty`, or null; `pick` chooses among a few
/// values that sit on the rules' boundaries.
fn cell(ty: ColType, pick: u32) -> Option<Value<'static>> {
    if pick.is_multiple_of(5) {
        return None;
    }
    let k = (pick / 5) as usize;
    Some(match ty {
        ColType::Int => Value::Num([0.0, 1.0, 5.0, 14.0, 15.0, 60.0, 1986.0, 2020.0, -1.0][k % 9]),
        ColType::Float => {
            Value::Num([0.0, 2.5, 18.4, 18.5, f64::NAN, f64::INFINITY, -0.0, 130.0][k % 8])
        }
        ColType::Bool => Value::Bool(k.is_multiple_of(2)),
        ColType::Code(codes) => Value::Str(if k % 7 == 6 {
            "zzz"
        } else {
            codes[k % codes.len()]
        }),
        ColType::AdminCode(_) | ColType::Text => Value::Str(["a", "b", ""][k % 3]),
    })
}

/// Arrays of the members contract from cells `picks[row][col]`.
fn arrays(picks: &[Vec<u32>]) -> Vec<ArrayRef> {
    use arrow_array::{BooleanArray, Float64Array, Int64Array, StringArray};
    let at = |r: &Vec<u32>, c: usize, ty| cell(ty, r[c % r.len()].wrapping_mul(c as u32 + 7));
    let num = |v: Option<Value>| match v {
        Some(Value::Num(x)) => Some(x),
        _ => None,
    };
    (MEMBER_COLUMNS.iter().enumerate())
        .map(|(c, spec)| -> ArrayRef {
            let cells = picks.iter().map(|r| at(r, c, spec.ty));
            match spec.ty {
                ColType::Int => Arc::new(
                    cells
                        .map(|v| num(v).map(|x| x as i64))
                        .collect::<Int64Array>(),
                ),
                ColType::Float => Arc::new(cells.map(num).collect::<Float64Array>()),
                ColType::Bool => Arc::new(
                    cells
                        .map(|v| {
                            matches!(v, Some(Value::Bool(true)))
                                .then_some(true)
                                .or(v.map(|_| false))
                        })
                        .collect::<BooleanArray>(),
                ),
                _ => Arc::new(
                    cells
                        .map(|v| match v {
                            Some(Value::Str(s)) => Some(s),
                            _ => None,
                        })
                        .collect::<StringArray>(),
                ),
            }
        })
        .collect()
}

fn views(arrays: &[ArrayRef]) -> Vec<ColumnView<'_>> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_schema::DataType;
    arrays
        .iter()
        .map(|a| match a.data_type() {
            DataType::Int64 => ColumnView::Int(a.as_primitive::<Int64Type>()),
            DataType::Float64 => ColumnView::Float(a.as_primitive::<Float64Type>()),
            DataType::Boolean => ColumnView::Bool(a.as_boolean()),
            DataType::Dictionary(..) => {
                let d = a.as_dictionary::<arrow_array::types::Int32Type>();
                ColumnView::Dict(d.keys(), d.values().as_string::<i32>())
            }
            _ => ColumnView::Str(a.as_string::<i32>()),
        })
        .collect()
}

/// A text column as a dictionary of its values, the first value repeated
/// (a dictionary may hold a value twice) and a null value, with a key
/// out of range under each null row; other columns as they are.
fn dictionary_coded(a: &ArrayRef) -> ArrayRef {
    use arrow_array::cast::AsArray;
    use arrow_array::{Array, DictionaryArray, Int32Array};
    let Some(s) = a.as_string_opt::<i32>() else {
        return a.clone();
    };
    let mut values: Vec<Option<&str>> = vec![None];
    let keys: Int32Array = (0..s.len())
        .map(|i| match s.is_valid(i) {
            true => {
                let v = s.value(i);
                let k = match values.iter().position(|x| *x == Some(v)) {
                    Some(k) if i % 5 != 0 => k,
                    _ => {
                        values.push(Some(v));
                        values.len() - 1
                    }
                };
                Some(k as i32)
            }
            false => None,
        })
        .collect();
    // Keys under nulls point past the values: the kernels must not read them.
    let keys = Int32Array::new(
        keys.values()
            .iter()
            .zip(0..)
            .map(|(k, i)| if s.is_valid(i) { *k } else { 1000 })
            .collect(),
        keys.nulls().cloned(),
    );
    let values: ArrayRef = Arc::new(values.into_iter().collect::<StringArray>());
    Arc::new(DictionaryArray::<arrow_array::types::Int32Type>::try_new(keys, values).unwrap())
}

fn kind(i: usize) -> Option<crate::standard::expr::ColKind> {
    MEMBER_COLUMNS
        .get(i)
        .map(|c| crate::standard::col_kind(c.ty))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn compiled_rules_agree_with_the_interpreter(
        src in truth(),
        picks in prop::collection::vec(prop::collection::vec(any::<u32>(), 1..6), 1..150),
        start in 0usize..70,
        age_override in any::<bool>(),
        coded in any::<bool>(),
    ) {
        let compiled = crate::standard::compile_rule(&src, TableKind::Members);
        prop_assume!(compiled.is_ok());
        let e = compiled.unwrap();
        let k = Kernel::compile(&e, &kind).expect("every generated shape compiles");
        let arrays = arrays(&picks);
        let start = start.min(picks.len());
        let n = picks.len() - start;
        // Text columns dictionary-coded, as scoring reads code columns.
        let arrays: Vec<ArrayRef> = match coded {
            true => arrays.iter().map(dictionary_coded).collect(),
            false => arrays,
        };
        let mut cols = views(&arrays);
        // The age column replaced by computed numbers, as the two readings of
        // a member's age are given to the kernels.
        let ages: Vec<f64> = (0..n).map(|i| [4.0, 5.0, 14.5, 15.0][i % 4]).collect();
        let ok = bits::collect(n, |i| i % 3 != 0);
        if age_override {
            let age = MEMBER_COLUMNS.iter().position(|c| c.name == "age").unwrap();
            cols[age] = ColumnView::Num(&ages, &ok);
        }
        let got = k.truth(&cols, start, n);
        for i in 0..n {
            let want = e.truth(&ViewRow { cols: &cols, start, i });
            prop_assert_eq!(got.at(i), want, "{} at row {}", src, start + i);
        }
        // No bit past the rows.
        prop_assert_eq!(bits::count_in(&got.t, n, got.t.len() * 64), 0);
        prop_assert_eq!(bits::count_in(&got.f, n, got.f.len() * 64), 0);
    }
}

/// `COALESCE(age, in_school)`, which the checker refuses: built by hand,
/// so the lowering's own refusal (the interpreter's cue) is tested.
fn mixed_coalesce(second: Value<'static>) -> crate::standard::expr::Expr {
    use super::super::tree::{Kind, Node};
    let age = MEMBER_COLUMNS.iter().position(|c| c.name == "age").unwrap();
    let arg = |k| Node::build(k, 0, 0).unwrap();
    let other = match second {
        Value::Null => {
            Kind::Col((MEMBER_COLUMNS.iter().position(|c| c.name == "in_school")).unwrap())
        }
        v => Kind::Lit(v),
    };
    let root = Node::build(Kind::Coalesce(vec![arg(Kind::Col(age)), arg(other)]), 0, 0).unwrap();
    crate::standard::expr::Expr {
        root,
        columns: vec![age],
        ty: crate::standard::expr::ExprType::Null,
    }
}

#[test]
fn a_coalesce_of_mixed_families_is_left_to_the_interpreter() {
    assert!(Kernel::compile(&mixed_coalesce(Value::Null), &kind).is_none());
    // Of one family it compiles.
    assert!(Kernel::compile(&mixed_coalesce(Value::Num(3.0)), &kind).is_some());
}
