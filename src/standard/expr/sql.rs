//! SQL rendering of a checked tree, fully parenthesised and guarded where
//! SQL's own semantics (division by zero, `BETWEEN` with NULL bounds) differ
//! from ours.

use super::dialect::Spelling;
use super::tree::{ArithOp, Kind, Node};
use super::Value;

fn sql_value(v: Value) -> String {
    match v {
        Value::Null => "NULL".to_owned(),
        Value::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_owned(),
        // Negative literals are bracketed so `-` never meets another `-` as a `--` comment.
        Value::Num(x) if x.is_sign_negative() => format!("({x})"),
        Value::Num(x) => x.to_string(),
        Value::Str(s) => format!("'{}'", s.replace('\'', "''")),
    }
}

/// `column(i)` gives the SQL that reads column `i` (quoted, qualified as the caller needs).
pub(super) fn sql_node(n: &Node, sp: &Spelling, column: &dyn Fn(usize) -> String) -> String {
    let sql = |x: &Node| sql_node(x, sp, column);
    match &n.kind {
        Kind::Lit(v) => sql_value(*v),
        Kind::Col(i) => column(*i),
        Kind::Name(_) | Kind::Call(..) => "NULL".to_owned(),
        Kind::Coalesce(args) => format!(
            "COALESCE({})",
            args.iter().map(sql).collect::<Vec<_>>().join(", ")
        ),
        Kind::Neg(x) => format!("(-{})", sql(x)),
        // SQL raises on division by zero and truncates integer division; we give NULL and f64.
        Kind::Arith(ArithOp::Div, l, r) => format!(
            "(CAST({} AS {}) / NULLIF({}, 0))",
            sql(l),
            sp.double,
            sql(r)
        ),
        Kind::Arith(op, l, r) => {
            let sym = match op {
                ArithOp::Add => "+",
                ArithOp::Sub => "-",
                ArithOp::Mul => "*",
                ArithOp::Div => "/",
            };
            format!("({} {sym} {})", sql(l), sql(r))
        }
        Kind::Cmp(op, l, r) => format!("({} {} {})", sql(l), op.sql(), sql(r)),
        Kind::In(x, items, negated) => {
            let list: Vec<String> = items.iter().map(|&(v, _, _)| sql_value(v)).collect();
            let not = if *negated { " NOT" } else { "" };
            format!("({}{not} IN ({}))", sql(x), list.join(", "))
        }
        Kind::Between(x, lo, hi) => {
            let plain = format!("{} BETWEEN {} AND {}", sql(x), sql(lo), sql(hi));
            // SQL's BETWEEN is `lo <= x AND x <= hi`, which is false rather than NULL
            // for some NULL bounds; ours is NULL, so non-literal bounds get a guard.
            if [lo, hi]
                .iter()
                .all(|b| matches!(b.kind, Kind::Lit(Value::Num(_))))
            {
                format!("({plain})")
            } else {
                format!(
                    "(CASE WHEN {} IS NULL OR {} IS NULL THEN NULL ELSE {plain} END)",
                    sql(lo),
                    sql(hi)
                )
            }
        }
        Kind::IsNull(x, negated) => {
            format!("({} IS {}NULL)", sql(x), if *negated { "NOT " } else { "" })
        }
        Kind::Not(x) => format!("(NOT {})", sql(x)),
        Kind::And(l, r) => format!("({} AND {})", sql(l), sql(r)),
        Kind::Or(l, r) => format!("({} OR {})", sql(l), sql(r)),
    }
}
