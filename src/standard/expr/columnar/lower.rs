//! A checked tree lowered to typed column operations: every node's result
//! family (number, text, true/false, or always null) is settled here, once,
//! so running a rule over a column does no type dispatch per row. Each
//! lowering keeps exactly what `eval` does with values of that family
//! (`eval.rs`): a mismatch of families is null, a number or text where a
//! truth is wanted is unknown, `COALESCE` skips nulls.

use super::super::tree::{ArithOp, CmpOp, Kind, Node};
use super::super::{ColKind, Value};

/// Number-valued operations.
#[derive(Debug, Clone)]
pub(super) enum Num {
    Lit(f64),
    Col(usize),
    Neg(Box<Num>),
    Arith(ArithOp, Box<Num>, Box<Num>),
    Coalesce(Vec<Num>),
}

/// Text-valued operations.
#[derive(Debug, Clone)]
pub(super) enum Str {
    Lit(&'static str),
    Col(usize),
    Coalesce(Vec<Str>),
}

/// Truth-valued operations (Kleene logic; `Lit(None)` is unknown).
#[derive(Debug, Clone)]
pub(super) enum Bool {
    Lit(Option<bool>),
    Col(usize),
    Not(Box<Bool>),
    And(Box<Bool>, Box<Bool>),
    Or(Box<Bool>, Box<Bool>),
    CmpNum(CmpOp, Num, Num),
    CmpStr(CmpOp, Str, Str),
    CmpTruth(CmpOp, Box<Bool>, Box<Bool>),
    /// The value is one of the listed numbers (`!=` the flag when negated).
    InNum(Num, Vec<f64>, bool),
    InStr(Str, Vec<&'static str>, bool),
    /// Listed: `[false, true]`.
    InTruth(Box<Bool>, [bool; 2], bool),
    Between(Num, Num, Num),
    IsNull(Box<Op>, bool),
    Coalesce(Vec<Bool>),
}

/// A lowered node: its family and operation, or null for every row.
#[derive(Debug, Clone)]
pub(super) enum Op {
    Null,
    Num(Num),
    Str(Str),
    Bool(Bool),
}

/// A tree shape the lowering does not handle (a `COALESCE` over values of
/// different families); the caller evaluates such a rule row by row.
#[derive(Debug)]
pub(super) struct Unsupported;

type Lowered = Result<Op, Unsupported>;

/// A value read as a truth: anything but a truth value is unknown (`truth_of`).
pub(super) fn to_bool(op: Op) -> Bool {
    match op {
        Op::Bool(b) => b,
        _ => Bool::Lit(None),
    }
}

fn lit(v: Value<'static>) -> Op {
    match v {
        Value::Null => Op::Null,
        Value::Num(x) => Op::Num(Num::Lit(x)),
        Value::Str(s) => Op::Str(Str::Lit(s)),
        Value::Bool(b) => Op::Bool(Bool::Lit(Some(b))),
    }
}

fn col(i: usize, kind: Option<ColKind>) -> Op {
    match kind {
        Some(ColKind::Num) => Op::Num(Num::Col(i)),
        Some(ColKind::Bool) => Op::Bool(Bool::Col(i)),
        Some(ColKind::Str | ColKind::Code(_)) => Op::Str(Str::Col(i)),
        // A column outside the contract reads as null (`RowRef::get`).
        None => Op::Null,
    }
}

pub(super) fn lower(n: &Node, kind: &dyn Fn(usize) -> Option<ColKind>) -> Lowered {
    let go = |x: &Node| lower(x, kind);
    Ok(match &n.kind {
        Kind::Lit(v) => lit(*v),
        Kind::Col(i) => col(*i, kind(*i)),
        Kind::Name(_) | Kind::Call(..) => Op::Null,
        Kind::Coalesce(args) => {
            let args = args.iter().map(go).collect::<Result<Vec<_>, _>>()?;
            coalesce(args)?
        }
        Kind::Neg(x) => match go(x)? {
            Op::Num(v) => Op::Num(Num::Neg(Box::new(v))),
            _ => Op::Null,
        },
        Kind::Arith(op, l, r) => match (go(l)?, go(r)?) {
            (Op::Num(a), Op::Num(b)) => Op::Num(Num::Arith(*op, Box::new(a), Box::new(b))),
            _ => Op::Null,
        },
        Kind::Cmp(op, l, r) => match (go(l)?, go(r)?) {
            (Op::Num(a), Op::Num(b)) => Op::Bool(Bool::CmpNum(*op, a, b)),
            (Op::Str(a), Op::Str(b)) => Op::Bool(Bool::CmpStr(*op, a, b)),
            (Op::Bool(a), Op::Bool(b)) => Op::Bool(Bool::CmpTruth(*op, Box::new(a), Box::new(b))),
            // Values of different families never compare: null.
            _ => Op::Null,
        },
        Kind::In(x, items, negated) => {
            let listed = items.iter().map(|(v, _, _)| *v);
            let neg = *negated;
            match go(x)? {
                Op::Null => Op::Null,
                Op::Num(v) => {
                    let nums = listed.filter_map(|i| match i {
                        Value::Num(x) => Some(x),
                        _ => None,
                    });
                    Op::Bool(Bool::InNum(v, nums.collect(), neg))
                }
                Op::Str(v) => {
                    let strs = listed.filter_map(|i| match i {
                        Value::Str(s) => Some(s),
                        _ => None,
                    });
                    Op::Bool(Bool::InStr(v, strs.collect(), neg))
                }
                Op::Bool(v) => {
                    let mut has = [false; 2];
                    for i in listed {
                        if let Value::Bool(b) = i {
                            has[usize::from(b)] = true;
                        }
                    }
                    Op::Bool(Bool::InTruth(Box::new(v), has, neg))
                }
            }
        }
        Kind::Between(x, lo, hi) => match (go(x)?, go(lo)?, go(hi)?) {
            (Op::Num(x), Op::Num(lo), Op::Num(hi)) => Op::Bool(Bool::Between(x, lo, hi)),
            _ => Op::Null,
        },
        Kind::IsNull(x, negated) => Op::Bool(Bool::IsNull(Box::new(go(x)?), *negated)),
        Kind::Not(x) => match go(x)? {
            Op::Bool(b) => Op::Bool(Bool::Not(Box::new(b))),
            _ => Op::Null,
        },
        Kind::And(l, r) => Op::Bool(Bool::And(
            Box::new(to_bool(go(l)?)),
            Box::new(to_bool(go(r)?)),
        )),
        Kind::Or(l, r) => Op::Bool(Bool::Or(
            Box::new(to_bool(go(l)?)),
            Box::new(to_bool(go(r)?)),
        )),
    })
}

/// `COALESCE`: null arguments never win, so they are dropped; the rest
/// must be of one family (otherwise: [`Unsupported`]).
fn coalesce(args: Vec<Op>) -> Lowered {
    let args: Vec<Op> = args
        .into_iter()
        .filter(|a| !matches!(a, Op::Null))
        .collect();
    let Some(first) = args.first() else {
        return Ok(Op::Null);
    };
    Ok(match first {
        Op::Num(_) => Op::Num(Num::Coalesce(
            args.into_iter()
                .map(|a| match a {
                    Op::Num(v) => Ok(v),
                    _ => Err(Unsupported),
                })
                .collect::<Result<_, _>>()?,
        )),
        Op::Str(_) => Op::Str(Str::Coalesce(
            args.into_iter()
                .map(|a| match a {
                    Op::Str(v) => Ok(v),
                    _ => Err(Unsupported),
                })
                .collect::<Result<_, _>>()?,
        )),
        Op::Bool(_) => Op::Bool(Bool::Coalesce(
            args.into_iter()
                .map(|a| match a {
                    Op::Bool(v) => Ok(v),
                    _ => Err(Unsupported),
                })
                .collect::<Result<_, _>>()?,
        )),
        Op::Null => Op::Null,
    })
}
