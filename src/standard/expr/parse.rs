//! Parsing: tokens to a syntax tree by recursive descent, with nesting bounded
//! so hostile input gives an error instead of a stack overflow. Stops at the
//! first syntax error.

use super::lex::{lex, Tok, Token};
use super::tree::{ArithOp, CmpOp, Items, Kind, Node};
use super::{err, ExprError, Value};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Bracket, `not` and unary-minus nesting the parser follows, so hostile input
/// cannot overflow the stack through recursive descent.
const MAX_NESTING: usize = 64;
const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "between", "is", "null", "true", "false",
];

/// `eval` hands out values borrowed from the row, and a string literal must
/// outlive every row, so literal texts live for the whole process. Each distinct
/// text is stored once; a set of standards holds a few dozen.
fn intern(s: &str) -> &'static str {
    static POOL: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut pool = POOL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = pool.get(s) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
    pool.insert(leaked);
    leaked
}

type PResult<T> = Result<T, ExprError>;

struct Parser<'s> {
    src: &'s str,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    prev_end: usize,
    end: Token,
}

fn keyword_literal(w: &str) -> Option<Value<'static>> {
    [
        ("null", Value::Null),
        ("true", Value::Bool(true)),
        ("false", Value::Bool(false)),
    ]
    .into_iter()
    .find(|(k, _)| w.eq_ignore_ascii_case(k))
    .map(|(_, v)| v)
}

fn binary(make: impl FnOnce(Box<Node>, Box<Node>) -> Kind, l: Node, r: Node) -> PResult<Node> {
    let (start, end) = (l.start, r.end);
    Node::build(make(Box::new(l), Box::new(r)), start, end)
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        self.toks.get(self.pos).unwrap_or(&self.end)
    }
    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
            self.prev_end = t.end;
        }
        t
    }
    fn at_sym(&self, s: &str) -> bool {
        matches!(self.peek().tok, Tok::Sym(x) if x == s)
    }
    fn at_cmp(&self) -> Option<CmpOp> {
        match self.peek().tok {
            Tok::Sym(s) => CmpOp::from_symbol(s),
            _ => None,
        }
    }
    fn at_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
    fn eat(&mut self, hit: bool) -> bool {
        if hit {
            self.bump();
        }
        hit
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        self.eat(self.at_sym(s))
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        self.eat(self.at_kw(kw))
    }
    fn found(&self) -> String {
        let t = self.peek();
        match self.src.get(t.start..t.end) {
            Some(text) if t.tok != Tok::End => format!("`{text}`"),
            _ => "the end of the expression".to_owned(),
        }
    }
    fn unexpected(&self, wanted: &str) -> ExprError {
        let t = self.peek();
        err(
            t.start,
            t.end,
            format!("expected {wanted}, found {}", self.found()),
        )
    }
    fn expect_kw(&mut self, kw: &str, after: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{kw}` after `{after}`")))
        }
    }
    fn close(&mut self, open: &Token, close: &str) -> PResult<()> {
        if self.eat_sym(close) {
            Ok(())
        } else if self.peek().tok == Tok::End {
            let text = self.src.get(open.start..open.end).unwrap_or("");
            Err(err(
                open.start,
                open.end,
                format!("this `{text}` is never closed"),
            ))
        } else {
            Err(self.unexpected(&format!("`{close}`")))
        }
    }
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_NESTING {
            let msg = format!("expression is too deeply nested (more than {MAX_NESTING} levels)");
            return Err(err(self.peek().start, self.peek().end, msg));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn parse_expr(&mut self) -> PResult<Node> {
        self.nested(Self::parse_or)
    }
    fn parse_or(&mut self) -> PResult<Node> {
        self.parse_chain(Self::parse_and, |p| p.eat_kw("or").then_some(Kind::Or))
    }
    fn parse_and(&mut self) -> PResult<Node> {
        self.parse_chain(Self::parse_not, |p| p.eat_kw("and").then_some(Kind::And))
    }
    fn parse_add(&mut self) -> PResult<Node> {
        let ops = [("+", ArithOp::Add), ("-", ArithOp::Sub)];
        self.parse_chain(Self::parse_mul, |p| p.eat_arith(ops))
    }
    fn parse_mul(&mut self) -> PResult<Node> {
        let ops = [("*", ArithOp::Mul), ("/", ArithOp::Div)];
        self.parse_chain(Self::parse_unary, |p| p.eat_arith(ops))
    }
    /// A left-associative run of `next` operands joined by whatever `op` eats.
    fn parse_chain<K: FnOnce(Box<Node>, Box<Node>) -> Kind>(
        &mut self,
        next: fn(&mut Self) -> PResult<Node>,
        op: impl Fn(&mut Self) -> Option<K>,
    ) -> PResult<Node> {
        let mut lhs = next(self)?;
        while let Some(make) = op(self) {
            lhs = binary(make, lhs, next(self)?)?;
        }
        Ok(lhs)
    }
    fn eat_arith(
        &mut self,
        ops: [(&str, ArithOp); 2],
    ) -> Option<impl FnOnce(Box<Node>, Box<Node>) -> Kind> {
        let (_, op) = ops.into_iter().find(|(s, _)| self.eat_sym(s))?;
        Some(move |l, r| Kind::Arith(op, l, r))
    }
    fn parse_not(&mut self) -> PResult<Node> {
        if !self.at_kw("not") {
            return self.parse_cmp();
        }
        let start = self.bump().start;
        let inner = self.nested(Self::parse_not)?;
        let end = inner.end;
        Node::build(Kind::Not(Box::new(inner)), start, end)
    }
    fn parse_cmp(&mut self) -> PResult<Node> {
        let lhs = self.parse_add()?;
        let start = lhs.start;
        let x = Box::new(lhs);
        let kind = if let Some(op) = self.at_cmp() {
            self.bump();
            Kind::Cmp(op, x, Box::new(self.parse_add()?))
        } else if self.eat_kw("in") {
            Kind::In(x, self.parse_list()?, false)
        } else if self.eat_kw("not") {
            self.expect_kw("in", "not")?;
            Kind::In(x, self.parse_list()?, true)
        } else if self.eat_kw("between") {
            let lo = self.parse_add()?;
            self.expect_kw("and", "between …")?;
            Kind::Between(x, Box::new(lo), Box::new(self.parse_add()?))
        } else if self.eat_kw("is") {
            let negated = self.eat_kw("not");
            self.expect_kw("null", "is")?;
            Kind::IsNull(x, negated)
        } else {
            return Ok(*x);
        };
        let node = Node::build(kind, start, self.prev_end)?;
        if self.at_cmp().is_some() || ["in", "between", "is"].iter().any(|kw| self.at_kw(kw)) {
            return Err(self.unexpected("`and` or `or` (comparisons cannot be chained)"));
        }
        Ok(node)
    }
    fn parse_list(&mut self) -> PResult<Items> {
        const LIST_VALUE: &str = "a number, text, `true` or `false`";
        let open = self.peek().clone();
        if !self.eat_sym("[") {
            return Err(self.unexpected("a `[` list"));
        }
        let mut items = Vec::new();
        while !self.at_sym("]") {
            let start = self.peek().start;
            let negative = self.eat_sym("-");
            let value = match &self.peek().tok {
                Tok::Num(v) => Value::Num(if negative { -v } else { *v }),
                Tok::Str(s) if !negative => Value::Str(intern(s)),
                Tok::Word(w) if !negative => match keyword_literal(w) {
                    Some(Value::Null) => {
                        let msg = "a list value (`null` never matches; use `is null`)";
                        return Err(self.unexpected(msg));
                    }
                    Some(v) => v,
                    None => return Err(self.unexpected(LIST_VALUE)),
                },
                Tok::End => return self.close(&open, "]").map(|()| Vec::new()),
                _ => return Err(self.unexpected(LIST_VALUE)),
            };
            items.push((value, start, self.bump().end));
            if !self.eat_sym(",") {
                break;
            }
        }
        if items.is_empty() && self.at_sym("]") {
            let msg = "a list needs at least one value";
            return Err(err(open.start, self.peek().end, msg));
        }
        self.close(&open, "]")?;
        Ok(items)
    }
    fn parse_unary(&mut self) -> PResult<Node> {
        if !self.at_sym("-") {
            return self.parse_primary();
        }
        let start = self.bump().start;
        let inner = self.nested(Self::parse_unary)?;
        let end = inner.end;
        Node::build(Kind::Neg(Box::new(inner)), start, end)
    }
    fn parse_primary(&mut self) -> PResult<Node> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Num(v) => {
                self.bump();
                Node::build(Kind::Lit(Value::Num(v)), t.start, t.end)
            }
            Tok::Str(s) => {
                self.bump();
                Node::build(Kind::Lit(Value::Str(intern(&s))), t.start, t.end)
            }
            Tok::Sym("(") => {
                self.bump();
                let inner = self.parse_expr()?;
                self.close(&t, ")")?;
                Ok(Node {
                    start: t.start,
                    end: self.prev_end,
                    ..inner
                })
            }
            Tok::Word(w) => {
                if let Some(v) = keyword_literal(&w) {
                    self.bump();
                    return Node::build(Kind::Lit(v), t.start, t.end);
                }
                if KEYWORDS.iter().any(|k| w.eq_ignore_ascii_case(k)) {
                    return Err(self.unexpected("a value"));
                }
                self.bump();
                if !self.at_sym("(") {
                    return Node::build(Kind::Name(w), t.start, t.end);
                }
                let open = self.bump();
                let mut args = vec![self.parse_expr()?];
                while self.eat_sym(",") {
                    args.push(self.parse_expr()?);
                }
                self.close(&open, ")")?;
                let kind = if w.eq_ignore_ascii_case("coalesce") {
                    Kind::Coalesce(args)
                } else {
                    Kind::Call(w, args)
                };
                Node::build(kind, t.start, self.prev_end)
            }
            _ => Err(self.unexpected("a value")),
        }
    }
}

pub(super) fn parse(src: &str) -> PResult<Node> {
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(err(0, src.len(), "the expression is empty"));
    }
    let end = Token {
        tok: Tok::End,
        start: src.len(),
        end: src.len(),
    };
    let mut parser = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
        prev_end: 0,
        end,
    };
    let root = parser.parse_expr()?;
    if parser.peek().tok != Tok::End {
        return Err(parser.unexpected("the end of the expression (`and`, `or` or an operator)"));
    }
    Ok(root)
}
