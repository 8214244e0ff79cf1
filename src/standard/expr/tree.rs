//! The syntax tree shared by every stage: operators, node kinds and the
//! height limit that keeps the recursive passes over a tree off the stack's edge.

use super::{err, ExprError, Value};
use std::cmp::Ordering;

/// Tallest syntax tree accepted: `a + b + c …` chains grow the tree without
/// nesting, and checking, evaluation and SQL rendering all recurse over it.
const MAX_HEIGHT: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub(super) fn from_symbol(s: &str) -> Option<CmpOp> {
        Some(match s {
            "==" | "=" => CmpOp::Eq,
            "!=" | "<>" => CmpOp::Ne,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::Le,
            ">" => CmpOp::Gt,
            ">=" => CmpOp::Ge,
            _ => return None,
        })
    }
    pub(super) fn sql(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
    pub(super) fn holds(self, o: Ordering) -> bool {
        match self {
            CmpOp::Eq => o.is_eq(),
            CmpOp::Ne => o.is_ne(),
            CmpOp::Lt => o.is_lt(),
            CmpOp::Le => o.is_le(),
            CmpOp::Gt => o.is_gt(),
            CmpOp::Ge => o.is_ge(),
        }
    }
}

pub(super) type Items = Vec<(Value<'static>, usize, usize)>;

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Lit(Value<'static>),
    Col(usize),
    /// A column reference before checking resolves it to `Col`.
    Name(String),
    /// A call to an unknown function; kept so its arguments still get checked.
    Call(String, Vec<Node>),
    Coalesce(Vec<Node>),
    Neg(Box<Node>),
    Arith(ArithOp, Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    In(Box<Node>, Items, bool),
    Between(Box<Node>, Box<Node>, Box<Node>),
    IsNull(Box<Node>, bool),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
}

#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) height: usize,
}

impl Node {
    pub(super) fn build(kind: Kind, start: usize, end: usize) -> Result<Node, ExprError> {
        let node = Node {
            kind,
            start,
            end,
            height: 1,
        };
        let height = 1 + node.children().iter().map(|c| c.height).max().unwrap_or(0);
        if height > MAX_HEIGHT {
            return Err(err(
                start,
                end,
                format!("expression is too deeply nested (more than {MAX_HEIGHT} levels)"),
            ));
        }
        Ok(Node { height, ..node })
    }
    fn children(&self) -> Vec<&Node> {
        match &self.kind {
            Kind::Lit(_) | Kind::Col(_) | Kind::Name(_) => vec![],
            Kind::Call(_, args) | Kind::Coalesce(args) => args.iter().collect(),
            Kind::Neg(x) | Kind::Not(x) | Kind::IsNull(x, _) | Kind::In(x, _, _) => vec![x],
            Kind::Arith(_, l, r) | Kind::Cmp(_, l, r) | Kind::And(l, r) | Kind::Or(l, r) => {
                vec![l, r]
            }
            Kind::Between(x, lo, hi) => vec![x, lo, hi],
        }
    }
    pub(super) fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }
    pub(super) fn collect_columns(&self, out: &mut Vec<usize>) {
        if let Kind::Col(i) = self.kind {
            out.push(i);
        }
        self.children().iter().for_each(|c| c.collect_columns(out));
    }
}
