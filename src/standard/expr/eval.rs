//! Evaluation of a checked tree on one row, with SQL's Kleene three-valued
//! logic so the answer matches what the rendered SQL gives.

use super::tree::{ArithOp, Kind, Node};
use super::{Row, Value};
use std::cmp::Ordering;

fn compare(a: Value, b: Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(&y),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(&y)),
        _ => None,
    }
}

pub(super) fn truth_of(v: Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

pub(super) fn eval_node<'a, R: Row + ?Sized>(n: &Node, row: &'a R) -> Value<'a> {
    let ev = |x: &Node| eval_node(x, row);
    match &n.kind {
        Kind::Lit(v) => *v,
        Kind::Col(i) => row.get(*i),
        Kind::Name(_) | Kind::Call(..) => Value::Null,
        Kind::Coalesce(args) => args
            .iter()
            .map(ev)
            .find(|v| *v != Value::Null)
            .unwrap_or(Value::Null),
        Kind::Neg(x) => match ev(x) {
            Value::Num(v) => Value::Num(-v),
            _ => Value::Null,
        },
        Kind::Arith(op, l, r) => match (ev(l), ev(r)) {
            (Value::Num(a), Value::Num(b)) => match op {
                ArithOp::Add => Value::Num(a + b),
                ArithOp::Sub => Value::Num(a - b),
                ArithOp::Mul => Value::Num(a * b),
                ArithOp::Div if b == 0.0 => Value::Null,
                ArithOp::Div => Value::Num(a / b),
            },
            _ => Value::Null,
        },
        Kind::Cmp(op, l, r) => {
            compare(ev(l), ev(r)).map_or(Value::Null, |o| Value::Bool(op.holds(o)))
        }
        Kind::In(x, items, negated) => match ev(x) {
            Value::Null => Value::Null,
            v => {
                let hit = items
                    .iter()
                    .any(|&(item, _, _)| compare(v, item).is_some_and(Ordering::is_eq));
                Value::Bool(hit != *negated)
            }
        },
        Kind::Between(x, lo, hi) => match (ev(x), ev(lo), ev(hi)) {
            (Value::Num(v), Value::Num(lo), Value::Num(hi)) => Value::Bool(lo <= v && v <= hi),
            _ => Value::Null,
        },
        Kind::IsNull(x, negated) => Value::Bool((ev(x) == Value::Null) != *negated),
        Kind::Not(x) => truth_of(ev(x)).map_or(Value::Null, |b| Value::Bool(!b)),
        Kind::And(l, r) => match truth_of(ev(l)) {
            Some(false) => Value::Bool(false),
            lt => match (lt, truth_of(ev(r))) {
                (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Null,
            },
        },
        Kind::Or(l, r) => match truth_of(ev(l)) {
            Some(true) => Value::Bool(true),
            lt => match (lt, truth_of(ev(r))) {
                (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Null,
            },
        },
    }
}
