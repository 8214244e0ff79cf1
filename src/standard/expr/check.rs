//! Type checking: resolves column names against the data contract and reports
//! every type mistake with its span and, for misspelt columns, a suggestion.

use super::tree::{CmpOp, Kind, Node};
use super::{err, ColKind, ExprError, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Ty {
    Num,
    Bool,
    Str(Option<&'static [&'static str]>),
    Null,
    /// Already reported as wrong; accepted everywhere so one mistake gives one error.
    Unknown,
}

impl Ty {
    fn of_kind(k: ColKind) -> Ty {
        match k {
            ColKind::Num => Ty::Num,
            ColKind::Bool => Ty::Bool,
            ColKind::Str => Ty::Str(None),
            ColKind::Code(codes) => Ty::Str(Some(codes)),
        }
    }
    fn of_value(v: Value) -> Ty {
        match v {
            Value::Null => Ty::Null,
            Value::Num(_) => Ty::Num,
            Value::Bool(_) => Ty::Bool,
            Value::Str(_) => Ty::Str(None),
        }
    }
    pub(super) fn words(self) -> &'static str {
        match self {
            Ty::Num => "a number",
            Ty::Bool => "a true/false value",
            Ty::Str(_) => "text",
            Ty::Null => "null",
            Ty::Unknown => "of unknown type",
        }
    }
    fn same_family(self, other: Ty) -> bool {
        matches!(
            (self, other),
            (Ty::Num, Ty::Num) | (Ty::Bool, Ty::Bool) | (Ty::Str(_), Ty::Str(_))
        )
    }
    /// Whether a value of this type may stand where `want` is needed.
    fn fits(self, want: Ty) -> bool {
        matches!(self, Ty::Null | Ty::Unknown) || self.same_family(want)
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let best = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            cur.push(best);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

pub(super) struct Checker<'c> {
    pub(super) src: &'c str,
    pub(super) resolve: &'c dyn Fn(&str) -> Option<(usize, ColKind)>,
    pub(super) known: &'c [&'c str],
    pub(super) errors: Vec<ExprError>,
}

impl Checker<'_> {
    pub(super) fn report(&mut self, (start, end): (usize, usize), message: impl Into<String>) {
        self.errors.push(err(start, end, message));
    }
    fn check_logic(&mut self, l: &mut Node, r: &mut Node, op: &str) -> Ty {
        for side in [l, r] {
            let t = self.check(side);
            self.want(t, side, Ty::Bool, op);
        }
        Ty::Bool
    }
    /// Short source text naming a node in messages, e.g. "`age`", else "this".
    fn what(&self, n: &Node) -> String {
        match self.src.get(n.start..n.end) {
            Some(text) if text.len() <= 40 => format!("`{text}`"),
            _ => "this".to_owned(),
        }
    }
    fn want(&mut self, t: Ty, n: &Node, want: Ty, op: &str) {
        if !t.fits(want) {
            let msg = format!(
                "{op} needs {}, but {} is {}",
                want.words(),
                self.what(n),
                t.words()
            );
            self.report(n.span(), msg);
        }
    }
    fn unknown_column(&mut self, n: &Node, name: &str) {
        let len = name.chars().count();
        let suggestion = self
            .known
            .iter()
            .filter(|k| k.chars().count().abs_diff(len) <= 2 && **k != name)
            .map(|k| (edit_distance(name, k), *k))
            .filter(|&(d, _)| d <= 2 && d < len)
            .min_by_key(|&(d, _)| d);
        let hint = suggestion.map_or(String::new(), |(_, k)| format!("; did you mean `{k}`?"));
        self.report(n.span(), format!("unknown column `{name}`{hint}"));
    }
    /// A string literal compared with a code column must be one of its codes.
    fn check_code(&mut self, t: Ty, subject: &Node, lit: Value, at: &Node) {
        if let (Ty::Str(Some(codes)), Value::Str(s)) = (t, lit) {
            self.check_code_at(codes, subject, s, at.start, at.end);
        }
    }
    fn check_code_at(&mut self, codes: &[&str], subject: &Node, s: &str, start: usize, end: usize) {
        if !codes.contains(&s) {
            let mut list: Vec<String> = codes.iter().take(12).map(|c| format!("{c:?}")).collect();
            if codes.len() > 12 {
                list.push("…".to_owned());
            }
            let subject = self
                .src
                .get(subject.start..subject.end)
                .unwrap_or("this value");
            let msg = format!(
                "unknown code {s:?} for {subject}, expected one of {}",
                list.join(", ")
            );
            self.report((start, end), msg);
        }
    }

    pub(super) fn check(&mut self, n: &mut Node) -> Ty {
        if let Kind::Name(name) = &n.kind {
            return match (self.resolve)(name) {
                Some((idx, kind)) => {
                    n.kind = Kind::Col(idx);
                    Ty::of_kind(kind)
                }
                None => {
                    let name = name.clone();
                    self.unknown_column(n, &name);
                    Ty::Unknown
                }
            };
        }
        let span = (n.start, n.end);
        match &mut n.kind {
            Kind::Lit(v) => Ty::of_value(*v),
            Kind::Col(_) | Kind::Name(_) => Ty::Unknown,
            Kind::Neg(x) => {
                let t = self.check(x);
                self.want(t, x, Ty::Num, "`-`");
                Ty::Num
            }
            Kind::Arith(_, l, r) => {
                for side in [l, r] {
                    let t = self.check(side);
                    self.want(t, side, Ty::Num, "arithmetic");
                }
                Ty::Num
            }
            Kind::Between(x, lo, hi) => {
                for side in [x, lo, hi] {
                    let t = self.check(side);
                    self.want(t, side, Ty::Num, "`between`");
                }
                Ty::Bool
            }
            Kind::Not(x) => {
                let t = self.check(x);
                self.want(t, x, Ty::Bool, "`not`");
                Ty::Bool
            }
            Kind::And(l, r) => self.check_logic(l, r, "`and`"),
            Kind::Or(l, r) => self.check_logic(l, r, "`or`"),
            Kind::IsNull(x, _) => {
                self.check(x);
                Ty::Bool
            }
            Kind::Cmp(op, l, r) => {
                let (lt, rt) = (self.check(l), self.check(r));
                self.check_comparison(*op, (l, lt), (r, rt), span);
                Ty::Bool
            }
            Kind::In(x, items, _) => {
                let t = self.check(x);
                if t == Ty::Null {
                    self.report(
                        x.span(),
                        "`null` is never in a list; use `is null`".to_owned(),
                    );
                }
                for &(v, start, end) in items.iter() {
                    match (t, v) {
                        (Ty::Str(Some(codes)), Value::Str(s)) => {
                            self.check_code_at(codes, x, s, start, end)
                        }
                        (Ty::Null | Ty::Unknown, _) => {}
                        _ if Ty::of_value(v).same_family(t) => {}
                        _ => {
                            let msg = format!(
                                "{} is {}, but this list value is {}",
                                self.what(x),
                                t.words(),
                                Ty::of_value(v).words()
                            );
                            self.report((start, end), msg);
                        }
                    }
                }
                Ty::Bool
            }
            Kind::Coalesce(args) => self.check_coalesce(args, span),
            Kind::Call(name, args) => {
                let msg = format!("unknown function `{name}`; the only function is `coalesce`");
                self.errors.push(err(n.start, n.start + name.len(), msg));
                for a in args.iter_mut() {
                    self.check(a);
                }
                Ty::Unknown
            }
        }
    }

    fn check_comparison(
        &mut self,
        op: CmpOp,
        (l, lt): (&Node, Ty),
        (r, rt): (&Node, Ty),
        span: (usize, usize),
    ) {
        if lt == Ty::Unknown || rt == Ty::Unknown {
        } else if lt == Ty::Null || rt == Ty::Null {
            self.report(
                span,
                "comparing with `null` is always unknown; use `is null` or `is not null`"
                    .to_owned(),
            );
        } else if !lt.same_family(rt) {
            let msg = format!(
                "cannot compare {} ({}) with {} ({})",
                self.what(l),
                lt.words(),
                self.what(r),
                rt.words()
            );
            self.report(span, msg);
        } else if !matches!(op, CmpOp::Eq | CmpOp::Ne) && lt != Ty::Num {
            // Text ordering depends on the database's collation, so it would not match ours.
            let msg = format!(
                "`{}` orders numbers only; {} can only be compared with `==` or `!=`",
                op.sql(),
                lt.words()
            );
            self.report(span, msg);
        } else {
            for (t, subject, other) in [(lt, l, r), (rt, r, l)] {
                if let Kind::Lit(v) = other.kind {
                    self.check_code(t, subject, v, other);
                }
            }
        }
    }

    fn check_coalesce(&mut self, args: &mut [Node], span: (usize, usize)) -> Ty {
        if args.len() < 2 {
            self.report(
                span,
                "`coalesce` needs at least two values: the value and a fallback".to_owned(),
            );
        }
        let types: Vec<Ty> = args.iter_mut().map(|a| self.check(a)).collect();
        let mut result: Option<(Ty, &Node)> = None;
        let mut unknown = false;
        for (a, &t) in args.iter().zip(&types) {
            match (t, result) {
                (Ty::Unknown, _) => unknown = true,
                (Ty::Null, _) => {}
                (_, None) => result = Some((t, a)),
                (_, Some((rt, first))) if !rt.same_family(t) => {
                    let msg = format!(
                        "`coalesce` values must share one type, but {} is {} and {} is {}",
                        self.what(first),
                        rt.words(),
                        self.what(a),
                        t.words()
                    );
                    self.report(a.span(), msg);
                    unknown = true;
                }
                (_, Some((rt, first))) => {
                    let is_lit = |n: &Node| matches!(n.kind, Kind::Lit(_));
                    if let Kind::Lit(v) = a.kind {
                        self.check_code(rt, first, v, a);
                    }
                    if let Kind::Lit(v) = first.kind {
                        self.check_code(t, a, v, first);
                    }
                    // A checked code literal keeps the code list; two different sources lose it.
                    let merged = match (rt, t) {
                        (Ty::Str(Some(x)), Ty::Str(Some(y))) if x == y => rt,
                        (Ty::Str(Some(_)), _) if is_lit(a) => rt,
                        (_, Ty::Str(Some(_))) if is_lit(first) => t,
                        (Ty::Str(_), _) => Ty::Str(None),
                        _ => rt,
                    };
                    result = Some((merged, first));
                }
            }
        }
        if unknown {
            Ty::Unknown
        } else {
            result.map_or(Ty::Null, |(t, _)| t)
        }
    }
}
