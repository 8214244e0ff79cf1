//! Tests of the rule language end to end: precedence, three-valued logic,
//! lists, coalesce, error spans and messages, SQL rendering, and random input.

use super::*;
use Value::{Bool as B, Null as N, Num as F};

const WATER: &[&str] = &["tap", "well", "rain", "river"];
const COLS: &[(&str, ColKind)] = &[
    ("age", ColKind::Num),
    ("in_school", ColKind::Bool),
    ("floor_area_m2", ColKind::Num),
    ("household_size", ColKind::Num),
    ("water_source", ColKind::Code(WATER)),
    ("name", ColKind::Str),
    ("income", ColKind::Num),
    ("year_built", ColKind::Num),
    ("a", ColKind::Bool),
    ("b", ColKind::Bool),
    ("c", ColKind::Bool),
];
type Cells<'c> = &'c [(&'c str, Value<'static>)];

fn resolve(name: &str) -> Option<(usize, ColKind)> {
    let found = COLS.iter().enumerate().find(|(_, c)| c.0 == name);
    found.map(|(i, c)| (i, c.1))
}
fn try_compile(src: &str, want_bool: bool) -> Result<Expr, Vec<ExprError>> {
    let names: Vec<&str> = COLS.iter().map(|c| c.0).collect();
    Expr::compile(src, &resolve, &names, want_bool)
}
fn compile(src: &str) -> Expr {
    try_compile(src, false).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}
fn errors(src: &str) -> Vec<ExprError> {
    let result = try_compile(src, true);
    result
        .err()
        .unwrap_or_else(|| panic!("{src} should not compile"))
}
fn span_of(src: &str, needle: &str) -> (usize, usize) {
    let start = src.find(needle).expect("needle in source");
    (start, start + needle.len())
}
fn spans(errs: &[ExprError]) -> Vec<(usize, usize)> {
    errs.iter().map(|e| (e.start, e.end)).collect()
}

struct TestRow(Vec<Value<'static>>);
impl Row for TestRow {
    fn get(&self, col: usize) -> Value<'_> {
        self.0.get(col).copied().unwrap_or(Value::Null)
    }
}
fn row(cells: Cells) -> TestRow {
    let mut values = vec![Value::Null; COLS.len()];
    for (name, v) in cells {
        values[resolve(name).expect("test column").0] = *v;
    }
    TestRow(values)
}
fn check(src: &str, cells: Cells, want: Value) {
    assert_eq!(compile(src).eval(&row(cells)), want, "{src} with {cells:?}");
}

#[test]
fn precedence() {
    check("1 + 2 * 3 == 7", &[], B(true));
    check("-2 * 3", &[], F(-6.0));
    check("10 - 4 - 3", &[], F(3.0));
    check("12 / 2 / 3", &[], F(2.0));
    check("(1 + 2) * 3", &[], F(9.0));
    check("1_000_000 + 8.5", &[], F(1_000_008.5));
    // `not` binds tighter than `and`, `and` tighter than `or`, comparisons tighter still.
    check("not a and b", &[("a", B(false)), ("b", B(false))], B(false));
    let cells = [("a", B(true)), ("b", B(false)), ("c", B(false))];
    check("a or b and c", &cells, B(true));
    check("(a or b) and c", &cells, B(false));
    check("a AND NOT b Or c", &cells, B(true));
    check("not age > 5", &[("age", F(3.0))], B(true));
}

#[test]
fn between_binds_its_own_and() {
    let e = compile("age between 5 and 14 and not in_school");
    let sql = e.to_sql(&|i| COLS[i].0.to_owned());
    assert_eq!(sql, r#"(("age" BETWEEN 5 AND 14) AND (NOT "in_school"))"#);
    for (age, school, want) in [
        (F(10.0), B(false), Some(true)),
        (F(10.0), B(true), Some(false)),
        (F(5.0), B(false), Some(true)),
        (F(14.0), B(false), Some(true)),
        (F(15.0), B(false), Some(false)),
        (F(4.0), B(false), Some(false)),
        (N, B(false), None),
        (N, B(true), Some(false)),
    ] {
        let r = row(&[("age", age), ("in_school", school)]);
        assert_eq!(e.truth(&r), want, "age {age:?} in_school {school:?}");
    }
}

#[test]
fn kleene_truth_tables() {
    let (t, f) = (Some(true), Some(false));
    for (l, r) in [B(true), B(false), N]
        .into_iter()
        .flat_map(|l| [(l, B(true)), (l, B(false)), (l, N)])
    {
        let cells = [("a", l), ("b", r)];
        let and = match (truth_of(l), truth_of(r)) {
            (x, y) if x == f || y == f => B(false),
            (x, y) if x == t && y == t => B(true),
            _ => N,
        };
        let or = match (truth_of(l), truth_of(r)) {
            (x, y) if x == t || y == t => B(true),
            (x, y) if x == f && y == f => B(false),
            _ => N,
        };
        check("a and b", &cells, and);
        check("a or b", &cells, or);
    }
    check("not a", &[("a", B(true))], B(false));
    check("not a", &[("a", B(false))], B(true));
    check("not a", &[], N);
    check("a is null", &[], B(true));
    check("a is not null", &[], B(false));
    check("a IS NOT NULL", &[("a", B(false))], B(true));
    check("false and null", &[], B(false));
    check("true or null", &[], B(true));
}

#[test]
fn in_lists_and_null() {
    for (cell, inside, outside) in [
        (Value::Str("tap"), B(true), B(false)),
        (Value::Str("rain"), B(false), B(true)),
        (N, N, N),
    ] {
        check(
            "water_source in ['tap', \"well\",]",
            &[("water_source", cell)],
            inside,
        );
        check(
            "water_source not in ['tap', 'well']",
            &[("water_source", cell)],
            outside,
        );
    }
    check("age in [1, -2, 3.5]", &[("age", F(-2.0))], B(true));
    check("in_school in [false]", &[("in_school", B(false))], B(true));
    check(
        "name in ['Nguyễn Văn A']",
        &[("name", Value::Str("Nguyễn Văn A"))],
        B(true),
    );
    check(
        "name == 'it\\'s \\\\ \"x\"'",
        &[("name", Value::Str("it's \\ \"x\""))],
        B(true),
    );
}

#[test]
fn coalesce_and_division() {
    let five = [("income", F(5.0)), ("age", F(2.0))];
    check("coalesce(income, 0) > 100", &[], B(false));
    check(
        "coalesce(income, 0) > 100",
        &[("income", F(101.0))],
        B(true),
    );
    check("coalesce(income, age, 7)", &[("age", F(3.0))], F(3.0));
    check("coalesce(name, 'chưa rõ')", &[], Value::Str("chưa rõ"));
    check("coalesce(income, age)", &[], N);
    check("COALESCE(water_source, 'tap') == 'tap'", &[], B(true));
    check("income / 0", &five, N);
    check("income / (age - age)", &five, N);
    check("income / 0 > 1", &five, N);
    check("income / 0 is null", &five, B(true));
    check("income / 4", &five, F(1.25));
    check("income + 1", &[], N);
    check("-income", &[], N);
}

#[test]
fn boundary_comparisons() {
    let crowded = "floor_area_m2 < 8 * household_size";
    check(
        crowded,
        &[("floor_area_m2", F(23.99)), ("household_size", F(3.0))],
        B(true),
    );
    check(
        crowded,
        &[("floor_area_m2", F(24.0)), ("household_size", F(3.0))],
        B(false),
    );
    check(crowded, &[("floor_area_m2", F(24.0))], N);
    check("income < 8", &[("income", F(7.99))], B(true));
    check("income < 8", &[("income", F(8.0))], B(false));
    check("age <= 14", &[("age", F(14.0))], B(true));
    check("age <= 14", &[("age", F(15.0))], B(false));
    check("year_built < 1986", &[("year_built", F(1985.0))], B(true));
    check("year_built < 1986", &[("year_built", F(1986.0))], B(false));
    check(
        "year_built >= 1986 and age <> 3",
        &[("year_built", F(1986.0)), ("age", F(4.0))],
        B(true),
    );
}

#[test]
fn collects_all_errors_with_spans() {
    let src = "agee > 5 and water_sorce == 'tap' or water_source in ['pipe', 'well']";
    let errs = errors(src);
    let want = [
        span_of(src, "agee"),
        span_of(src, "water_sorce"),
        span_of(src, "'pipe'"),
    ];
    assert_eq!(spans(&errs), want, "{errs:?}");
    assert_eq!(
        errs[0].message,
        "unknown column `agee`; did you mean `age`?"
    );
    assert!(errs[1].message.ends_with("did you mean `water_source`?"));
    let code =
        r#"unknown code "pipe" for water_source, expected one of "tap", "well", "rain", "river""#;
    assert_eq!(errs[2].message, code);
    assert_eq!(errors("zzzzzz > 1")[0].message, "unknown column `zzzzzz`");
    assert!(errors("Age > 1")[0].message.contains("did you mean `age`?"));
}

#[test]
fn type_errors() {
    for (src, want) in [
        (
            "age + 'x' > 1",
            "arithmetic needs a number, but `'x'` is text",
        ),
        ("in_school + 1 > 0", "arithmetic needs a number"),
        (
            "age and in_school",
            "`and` needs a true/false value, but `age` is a number",
        ),
        ("not name", "`not` needs a true/false value"),
        (
            "name == 5",
            "cannot compare `name` (text) with `5` (a number)",
        ),
        ("name < 'b'", "orders numbers only"),
        ("in_school >= true", "orders numbers only"),
        ("water_source == 'pipe'", "unknown code \"pipe\""),
        (
            "coalesce(water_source, 'pipe') == 'tap'",
            "unknown code \"pipe\"",
        ),
        (
            "coalesce(water_source, 'tap') == 'pipe'",
            "unknown code \"pipe\"",
        ),
        ("coalesce(age) > 1", "at least two values"),
        ("coalesce(age, name) > 1", "must share one type"),
        ("foo(age) > 1", "unknown function `foo`"),
        (
            "age",
            "must be a true/false condition, but this is a number",
        ),
        ("age == null", "use `is null`"),
        ("null in [1]", "use `is null`"),
        ("age in ['x']", "this list value is text"),
        ("age between 1 and 'x'", "`between` needs a number"),
    ] {
        let errs = errors(src);
        assert!(
            errs.iter().any(|e| e.message.contains(want)),
            "{src}: {errs:?}"
        );
    }
    // Independent mistakes are all reported, in source order; one mistake is reported once.
    let src = "age + 'x' > 1 and name == 5 and foo(bogus) or not income";
    let want = ["'x'", "name == 5", "foo", "bogus", "income"].map(|s| span_of(src, s));
    assert_eq!(spans(&errors(src)), want);
    assert_eq!(errors("nope + 1 > 2 and nope").len(), 2);
}

#[test]
fn syntax_errors_have_spans() {
    for (src, at, want) in [
        ("(age > 5", "(", "this `(` is never closed"),
        ("name == 'abc", "'abc", "no closing quote"),
        ("age > 5 )", ")", "expected the end"),
        ("age > 5 in_school", "in_school", "expected the end"),
        (
            "age > ",
            "",
            "expected a value, found the end of the expression",
        ),
        ("1 < 2 < 3", "<", "cannot be chained"),
        ("(age > 1 1)", "1", "expected `)`, found `1`"),
        ("age > 1__0", "1__0", "malformed number"),
        ("age > 1e5", "1e5", "malformed number"),
        ("age in []", "[]", "at least one value"),
        ("age in [1, 2", "[", "never closed"),
        ("age in [null]", "null", "use `is null`"),
        ("age between 1 or 2", "or", "`and` after `between"),
        ("age is 1", "1", "`null` after `is`"),
        ("name == 'a\\n'", "\\n", "unknown escape"),
        ("age > 1 & 2", "&", "unexpected character '&'"),
        ("tên > 1", "ê", "unexpected character 'ê'"),
    ] {
        let errs = errors(src);
        // The error sits on the last occurrence of `at`; an empty `at` means the end.
        let start = src.rfind(at).unwrap_or(src.len());
        let end = start + at.len();
        assert_eq!(errs.len(), 1, "{src}: {errs:?}");
        assert!(errs[0].message.contains(want), "{src}: {}", errs[0].message);
        assert_eq!(spans(&errs), [(start, end)], "{src}: {}", errs[0].message);
    }
    assert_eq!(errors("")[0].message, "the expression is empty");
    assert_eq!(spans(&errors("  \n ")), [(0, 4)]);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let nots = format!("{}a", "not ".repeat(10_000));
    let negs = format!("{}1 > 0", "-".repeat(10_000));
    let chain = format!("1{} > 0", " + 1".repeat(10_000));
    for src in [deep, nots, negs, chain] {
        let errs = errors(&src);
        assert!(
            errs[0].message.contains("too deeply nested"),
            "{:?}",
            errs[0]
        );
    }
    let fine = format!("{}a{}", "(".repeat(50), ")".repeat(50));
    assert!(try_compile(&fine, true).is_ok());
}

#[test]
fn renders_sql() {
    let e = compile(
        "coalesce(income, 0) / household_size < 1.5 and water_source not in ['tap', 'river'] \
         or name == \"O'Brien\" or year_built between age and 2000 or -age > -(3) or a is not null",
    );
    let sql = e.to_sql(&|i| COLS[i].0.replace("_s", "\"s"));
    let want = r#"(((((((CAST(COALESCE("income", 0) AS DOUBLE PRECISION) / NULLIF("household""size", 0)) < 1.5) AND ("water""source" NOT IN ('tap', 'river'))) OR ("name" = 'O''Brien')) OR (CASE WHEN "age" IS NULL OR 2000 IS NULL THEN NULL ELSE "year_built" BETWEEN "age" AND 2000 END)) OR ((-"age") > (-3))) OR ("a" IS NOT NULL))"#;
    assert_eq!(sql, want);
    let list = compile("age in [-1, 2.5]").to_sql(&|_| "x".into());
    assert_eq!(list, r#"("x" IN ((-1), 2.5))"#);
    assert_eq!(e.columns(), [0, 3, 4, 5, 6, 7, 8]);
    assert_eq!(e.value_type(), ExprType::Bool);
    assert_eq!(compile("income * 2").value_type(), ExprType::Num);
}

#[test]
fn line_col_counts_chars() {
    let src = "hộ nghèo\n  và  cận nghèo\nxã";
    let at = |needle: &str| line_col(src, src.find(needle).expect("needle"));
    assert_eq!(line_col(src, 0), (1, 1));
    assert_eq!(at("nghèo"), (1, 4));
    assert_eq!(at("và"), (2, 3));
    assert_eq!(at("cận"), (2, 7));
    assert_eq!(at("xã"), (3, 1));
    assert_eq!(line_col(src, src.len() + 100), (3, 3));
    // Inside the two-byte `ộ`, the offset counts as that character.
    assert_eq!(line_col(src, 2), (1, 2));
}

#[test]
fn random_token_soup_never_panics() {
    let tokens: Vec<&str> = "( ) [ ] , + - * / == = != <> < <= > >= and OR not in between is null \
         true false coalesce foo age agee water_source name in_school a income 0 1 8.5 1_000 'tap' \
         \"pipe\" 'x \" \\ ấp ! _ . 1_"
        .split_whitespace()
        .collect();
    let alphabet = b"(['\"\\- 1a_.,<=>!n\xc3\xa1\xff";
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % n as u64).unwrap_or(0)
    };
    let filled = [
        ("age", F(0.0)),
        ("income", F(-1.0)),
        ("a", B(true)),
        ("water_source", Value::Str("tap")),
    ];
    let rows = [row(&[]), row(&filled)];
    let mut compiled = 0;
    for i in 0..20_000 {
        let src = if i % 5 == 0 {
            let bytes: Vec<u8> = (0..next(24))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let words: Vec<&str> = (0..next(16)).map(|_| tokens[next(tokens.len())]).collect();
            words.join([" ", "", "  "][next(3)])
        };
        for want_bool in [false, true] {
            match try_compile(&src, want_bool) {
                Ok(e) => {
                    compiled += 1;
                    for r in &rows {
                        let _ = (e.eval(r), e.truth(r));
                    }
                    let _ = (e.to_sql(&|c| format!("c{c}")), e.columns());
                }
                Err(errs) => {
                    let sane = errs.iter().all(|e| e.start <= e.end && e.end <= src.len());
                    assert!(!errs.is_empty() && sane, "{src:?}: {errs:?}");
                }
            }
        }
    }
    assert!(compiled > 100, "only {compiled} random inputs compiled");
}
