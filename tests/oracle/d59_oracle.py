#!/usr/bin/env python3
"""Independent oracle for Decision 59/2015/QĐ-TTg (standard vn-2016-2020).

Written from spec/vn-poverty-standards.md (§1, §8), indicators/README.md, the
ten files in indicators/vn-2016-2020/ and data-samples/README.md, WITHOUT
reading the engine's source code. The ten indicator rules are translated by
hand into Python (no parser of the rule language).

Python 3.11, standard library only.

    python3 tests/oracle/d59_oracle.py                 # writes tests/oracle/expected_sample.csv
    python3 tests/oracle/d59_oracle.py --self-test     # runs every [[example]] of the ten TOML files
    python3 tests/oracle/d59_oracle.py --explain 2020 89-883-00123   # one household in detail

Options --households, --members, --out take paths relative to the repository
root (the directory two levels above this script) unless absolute.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
STANDARD_DIR = REPO / "indicators" / "vn-2016-2020"

# Order of standard.toml's `indicators` list.
INDICATORS = [
    "health_access",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "floor_area",
    "water_source",
    "latrine",
    "telecom",
    "info_assets",
]

# Decision 59/2015 lines (standard.toml): VND per person per month, inclusive upper bounds.
INCOME_LINES = {  # area -> (poverty, near_poverty, average)
    "rural": (700_000, 1_000_000, 1_500_000),
    "urban": (900_000, 1_300_000, 1_950_000),
}
SCORE_LINES = {  # area -> (poverty, near_poverty); no average band on the score scale
    "rural": (120, 150),
    "urban": (140, 175),
}
CUTOFF = 3
POINTS_PER_INDICATOR = 10
DEPRIVATION_POINTS = 30

CLASSES = ["poor_income", "poor_deprivation", "near_poor", "average", "not_poor", "undetermined"]

# Review years of Decision 59/2015 (standard.toml `review_years`): the oracle
# classifies only these; other years of the sample (2022, under Decree
# 07/2021) are another standard's and are left out of its output.
REVIEW_YEARS = (2016, 2021)

# --------------------------------------------------------------------------
# Three-valued (Kleene) logic. True = deprived/true, False, None = unknown.
# --------------------------------------------------------------------------


def NOT(a):
    return None if a is None else (not a)


def AND(*xs):
    out = True
    for x in xs:
        if x is False:
            return False
        if x is None:
            out = None
    return out


def OR(*xs):
    out = False
    for x in xs:
        if x is True:
            return True
        if x is None:
            out = None
    return out


def CMP(a, op, b):
    """Comparison; a missing operand gives unknown."""
    if a is None or b is None:
        return None
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    raise ValueError(op)


def IN(x, lst):
    return None if x is None else (x in lst)


def NOT_IN(x, lst):
    return None if x is None else (x not in lst)


def BETWEEN(x, lo, hi):
    return AND(CMP(lo, "<=", x), CMP(x, "<=", hi))


def MUL(a, b):
    return None if a is None or b is None else a * b


def COALESCE(*xs):
    for x in xs:
        if x is not None:
            return x
    return None


# --------------------------------------------------------------------------
# The ten indicator rules, translated by hand. The rule text of each TOML file
# is kept next to its translation; --self-test checks that the files still
# say exactly this (whitespace-normalised) and runs their examples.
# --------------------------------------------------------------------------

# Member-level: (eligible text, deprived_if text, combine, eligible fn, deprived fn)
MEMBER_RULES = {
    "health_access": (
        "sick_last_12m",
        "not sought_care",
        "any",
        lambda m: m["sick_last_12m"],
        lambda m: NOT(m["sought_care"]),
    ),
    "health_insurance": (
        "age >= 6",
        "not has_health_insurance",
        "any",
        lambda m: CMP(m["age"], ">=", 6),
        lambda m: NOT(m["has_health_insurance"]),
    ),
    "adult_education": (
        "age >= 15 and birth_year >= 1986",
        'education_level in ["none", "primary"] and not in_school',
        "any",
        lambda m: AND(CMP(m["age"], ">=", 15), CMP(m["birth_year"], ">=", 1986)),
        lambda m: AND(IN(m["education_level"], ("none", "primary")), NOT(m["in_school"])),
    ),
    "child_schooling": (
        "age between 5 and 14",
        "not in_school",
        "any",
        lambda m: BETWEEN(m["age"], 5, 14),
        lambda m: NOT(m["in_school"]),
    ),
    "telecom": (
        "true",
        "not uses_phone and not uses_internet",
        "all",
        lambda m: True,
        lambda m: AND(NOT(m["uses_phone"]), NOT(m["uses_internet"])),
    ),
}


def _housing_quality(h):
    w, c, r = h["walls_durable"], h["columns_durable"], h["roof_durable"]
    parts = OR(
        AND(NOT(w), NOT(c)),
        AND(NOT(w), NOT(r)),
        AND(NOT(c), NOT(r)),
    )
    return COALESCE(parts, IN(h["dwelling_type"], ("less_permanent", "simple")))


HOUSEHOLD_RULES = {
    "housing_quality": (
        'coalesce( (not walls_durable and not columns_durable) or (not walls_durable and not roof_durable) '
        'or (not columns_durable and not roof_durable), dwelling_type in ["less_permanent", "simple"] )',
        _housing_quality,
    ),
    "floor_area": (
        "floor_area_m2 < 8 * household_size",
        lambda h: CMP(h["floor_area_m2"], "<", MUL(8, h["household_size"])),
    ),
    "water_source": (
        'water_source not in ["piped", "protected_well", "protected_spring", "rainwater", "bottled"]',
        lambda h: NOT_IN(h["water_source"], ("piped", "protected_well", "protected_spring", "rainwater", "bottled")),
    ),
    "latrine": (
        'latrine not in ["septic_tank", "sewer", "double_vault", "biogas", "ventilated_pit"]',
        lambda h: NOT_IN(h["latrine"], ("septic_tank", "sewer", "double_vault", "biogas", "ventilated_pit")),
    ),
    "info_assets": (
        "not has_tv and not has_radio and not has_computer and not hears_loudspeaker",
        lambda h: AND(NOT(h["has_tv"]), NOT(h["has_radio"]), NOT(h["has_computer"]), NOT(h["hears_loudspeaker"])),
    ),
}


def combine_members(kind, pairs, roster_short):
    """pairs: per listed member, the list of (eligible, deprived) under each
    reading of its age (see readings), three-valued.

    roster_short: fewer member rows than household_size; each missing member
    has eligible and deprived unknown.
    """
    if kind == "any":
        res = False
        for rs in pairs:
            res = OR(res, agree([AND(e, c) for e, c in rs]))
        if roster_short:
            res = OR(res, None)  # a final False becomes None; True stays True
        return res
    if kind == "all":
        any_eligible = False
        all_ok = True
        for rs in pairs:
            any_eligible = OR(any_eligible, agree([e for e, _ in rs]))
            all_ok = AND(all_ok, agree([OR(NOT(e), c) for e, c in rs]))
        if roster_short:
            any_eligible = OR(any_eligible, None)
            all_ok = AND(all_ok, None)
        return AND(any_eligible, all_ok)
    raise ValueError(kind)


def evaluate_indicators(h, members, trace=None):
    """Return {indicator id: True/False/None} for one household.

    missing = "unknown" for all ten indicators: an unknown result stays None.
    """
    roster_short = len(members) < h["household_size"]
    out = {}
    for ind in INDICATORS:
        if ind in MEMBER_RULES:
            _, _, kind, ef, cf = MEMBER_RULES[ind]
            pairs = [[(ef(r), cf(r)) for r in readings(m)] for m in members]
            out[ind] = combine_members(kind, pairs, roster_short)
            if trace is not None:
                trace[ind] = pairs
        else:
            out[ind] = HOUSEHOLD_RULES[ind][1](h)
    return out


# --------------------------------------------------------------------------
# Classification (Decision 59/2015, union rule)
# --------------------------------------------------------------------------


def measure_of(h):
    """(kind, value) with kind in score / per_capita / total, or (None, None)."""
    if h["score_b1"] is not None:
        return "score", h["score_b1"]
    if h["income_per_capita_month"] is not None:
        return "per_capita", h["income_per_capita_month"]
    if h["income_total_year"] is not None:
        return "total", h["income_total_year"]
    return None, None


def classify(area, size, kind, value, d):
    if kind == "score":
        p, n = SCORE_LINES[area]
        b2 = POINTS_PER_INDICATOR * d
        if value <= p:
            return "poor_income"
        if value <= n:
            return "poor_deprivation" if b2 >= DEPRIVATION_POINTS else "near_poor"
        return "not_poor"
    p, n, m = INCOME_LINES[area]
    if kind == "per_capita":
        def le(line):
            return value <= line
    elif kind == "total":
        def le(line):
            return value <= line * 12 * size
    else:
        raise ValueError(kind)
    if le(p):
        return "poor_income"
    if le(n):
        return "poor_deprivation" if d >= CUTOFF else "near_poor"
    if le(m):
        return "average"
    return "not_poor"


def household_class(h, ind):
    d_min = sum(1 for v in ind.values() if v is True)
    d_max = d_min + sum(1 for v in ind.values() if v is None)
    kind, value = measure_of(h)
    if kind is None:
        return "undetermined", d_min, d_max, kind, value
    lo = classify(h["area"], h["household_size"], kind, value, d_min)
    hi = classify(h["area"], h["household_size"], kind, value, d_max)
    return (lo if lo == hi else "undetermined"), d_min, d_max, kind, value


# --------------------------------------------------------------------------
# Reading the sample
# --------------------------------------------------------------------------

MISSING_MARKERS = {"", "na", "n/a", "null", "nan"}
YES = {"1", "true", "yes", "y", "có", "co", "c", "x"}
NO = {"0", "false", "no", "n", "không", "khong", "k"}


def blank(s):
    return s is None or s.strip().lower() in MISSING_MARKERS


def p_bool(s):
    if blank(s):
        return None
    t = s.strip().lower()
    if t in YES:
        return True
    if t in NO:
        return False
    raise ValueError(f"not a yes/no value: {s!r}")


def p_int(s):
    if blank(s):
        return None
    f = Fraction(s.strip())
    if f.denominator != 1:
        raise ValueError(f"not a whole number: {s!r}")
    return int(f)


def p_num(s):
    """Exact decimal as a Fraction (so 23.9 < 24 etc. involve no binary rounding)."""
    if blank(s):
        return None
    t = s.strip()
    if "," in t and "." not in t and t.count(",") == 1:
        t = t.replace(",", ".")
    return Fraction(t)


def p_code(s):
    return None if blank(s) else s.strip()


def read_households(path):
    out = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            g = r.get
            out.append({
                "survey_year": int(r["survey_year"]),
                "household_id": r["household_id"].strip(),
                "province_code": r["province_code"].strip().zfill(2),
                "area": r["area"].strip().lower(),
                "household_size": int(r["household_size"]),
                "income_per_capita_month": p_int(g("income_per_capita_month")),
                "income_total_year": p_int(g("income_total_year")),
                "score_b1": p_num(g("score_b1")),
                "walls_durable": p_bool(g("walls_durable")),
                "columns_durable": p_bool(g("columns_durable")),
                "roof_durable": p_bool(g("roof_durable")),
                "dwelling_type": p_code(g("dwelling_type")),
                "floor_area_m2": p_num(g("floor_area_m2")),
                "water_source": p_code(g("water_source")),
                "latrine": p_code(g("latrine")),
                "has_tv": p_bool(g("has_tv")),
                "has_radio": p_bool(g("has_radio")),
                "has_computer": p_bool(g("has_computer")),
                "hears_loudspeaker": p_bool(g("hears_loudspeaker")),
            })
    return out


def read_members(path):
    out = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            g = r.get
            year = int(r["survey_year"])
            m = {
                "member_id": r["member_id"].strip(),
                "age": p_int(g("age")),
                "birth_year": p_int(g("birth_year")),
                "sick_last_12m": p_bool(g("sick_last_12m")),
                "sought_care": p_bool(g("sought_care")),
                "has_health_insurance": p_bool(g("has_health_insurance")),
                "education_level": p_code(g("education_level")),
                "in_school": p_bool(g("in_school")),
                "uses_phone": p_bool(g("uses_phone")),
                "uses_internet": p_bool(g("uses_internet")),
            }
            m["_year"] = year
            out.setdefault((year, r["household_id"].strip()), []).append(m)
    return out


def readings(m):
    """The member under each reading of an age given without a birth year (or
    the reverse): someone aged a in year y was born in y - a - 1 or y - a.
    Nothing is derived as a single guess."""
    year = m["_year"]
    if m["age"] is None and m["birth_year"] is not None:
        return [dict(m, age=max(year - m["birth_year"] - 1, 0)), dict(m, age=year - m["birth_year"])]
    if m["birth_year"] is None and m["age"] is not None:
        return [dict(m, birth_year=year - m["age"] - 1), dict(m, birth_year=year - m["age"])]
    return [m]


def agree(values):
    """The common value of all readings, else unknown."""
    return values[0] if all(v is values[0] or v == values[0] and type(v) is type(values[0]) for v in values) else None


# --------------------------------------------------------------------------
# Aggregation and output
# --------------------------------------------------------------------------


def header():
    cols = ["survey_year", "province_code", "households", "poor", "poor_income", "poor_deprivation",
            "near_poor", "average", "not_poor", "undetermined"]
    for ind in INDICATORS:
        cols += [f"{ind}_deprived", f"{ind}_unknown"]
    return cols


def empty_counts():
    c = {k: 0 for k in ["households"] + CLASSES}
    for ind in INDICATORS:
        c[f"{ind}_deprived"] = 0
        c[f"{ind}_unknown"] = 0
    return c


def run(households, members):
    """Per-household results and the aggregate table."""
    results = []
    groups = {}
    for h in households:
        ms = members.get((h["survey_year"], h["household_id"]), [])
        ind = evaluate_indicators(h, ms)
        cls, d_min, d_max, kind, value = household_class(h, ind)
        results.append((h, ind, cls, d_min, d_max, kind))
        for key in ((h["survey_year"], "VN"), (h["survey_year"], h["province_code"])):
            c = groups.setdefault(key, empty_counts())
            c["households"] += 1
            c[cls] += 1
            for i, v in ind.items():
                if v is True:
                    c[f"{i}_deprived"] += 1
                elif v is None:
                    c[f"{i}_unknown"] += 1
    rows = []
    for (year, code) in sorted(groups, key=lambda k: (k[0], k[1] != "VN", k[1])):
        c = groups[(year, code)]
        row = [year, code, c["households"], c["poor_income"] + c["poor_deprivation"], c["poor_income"],
               c["poor_deprivation"], c["near_poor"], c["average"], c["not_poor"], c["undetermined"]]
        for ind in INDICATORS:
            row += [c[f"{ind}_deprived"], c[f"{ind}_unknown"]]
        rows.append(row)
    return results, rows


def tv(v):
    return {True: "deprived", False: "not_deprived", None: "unknown"}[v]


def explain(households, members, year, hid):
    hs = [h for h in households if h["survey_year"] == year and h["household_id"] == hid]
    if not hs:
        print(f"no household {year} {hid}")
        return
    h = hs[0]
    ms = members.get((year, hid), [])
    trace = {}
    ind = evaluate_indicators(h, ms, trace)
    cls, d_min, d_max, kind, value = household_class(h, ind)
    print(f"== {year} {hid} province {h['province_code']} {h['area']} size {h['household_size']} "
          f"member rows {len(ms)}{' (roster short)' if len(ms) < h['household_size'] else ''}")
    print("   household:", {k: (str(v) if isinstance(v, Fraction) else v) for k, v in h.items()
                            if k not in ("survey_year", "household_id", "province_code", "area", "household_size")})
    for m in ms:
        print("   member:", m)
    for i in INDICATORS:
        extra = ""
        if i in trace:
            extra = "  per member (eligible, deprived_if): " + ", ".join("/".join(f"({e},{c})" for e, c in rs) for rs in trace[i])
        print(f"   {i:17s} {tv(ind[i]):13s}{extra}")
    print(f"   d_min={d_min} d_max={d_max} measure={kind} value={value}")
    if kind is not None:
        print(f"   class(d_min)={classify(h['area'], h['household_size'], kind, value, d_min)} "
              f"class(d_max)={classify(h['area'], h['household_size'], kind, value, d_max)}")
    print(f"   => {cls}")


# --------------------------------------------------------------------------
# Self-test: the rule texts must still match, and every [[example]] must pass.
# --------------------------------------------------------------------------


def norm(s):
    s = " ".join(s.split())
    return s.replace("( ", "(").replace(" )", ")")


def self_test():
    import tomllib

    with open(STANDARD_DIR / "standard.toml", "rb") as f:
        std = tomllib.load(f)
    fails = 0
    if std["indicators"] != INDICATORS:
        print("standard.toml indicators differ from the oracle's list")
        fails += 1
    if std["cutoff"] != CUTOFF or std["rule"] != "union":
        print("cutoff/rule changed")
        fails += 1
    if tuple(std["review_years"]) != REVIEW_YEARS:
        print("review years changed")
        fails += 1
    for area in ("rural", "urban"):
        inc = std["income"][area]
        if (inc["poverty"], inc["near_poverty"], inc.get("average")) != INCOME_LINES[area]:
            print("income lines changed for", area)
            fails += 1
        sc = std["score"][area]
        if (sc["poverty"], sc["near_poverty"]) != SCORE_LINES[area]:
            print("score lines changed for", area)
            fails += 1
    if (std["score"]["points_per_indicator"], std["score"]["deprivation_points"]) != (
            POINTS_PER_INDICATOR, DEPRIVATION_POINTS):
        print("score points changed")
        fails += 1
    n = 0
    for ind in INDICATORS:
        with open(STANDARD_DIR / f"{ind}.toml", "rb") as f:
            t = tomllib.load(f)
        if t["missing"] != "unknown":
            print(ind, "missing policy is not unknown")
            fails += 1
        if ind in MEMBER_RULES:
            e_txt, c_txt, kind, _, _ = MEMBER_RULES[ind]
            if t["level"] != "member" or norm(t.get("eligible", "true")) != norm(e_txt) \
                    or norm(t["deprived_if"]) != norm(c_txt) or t["combine"] != kind:
                print(ind, "rule text changed; re-translate")
                fails += 1
        else:
            c_txt = HOUSEHOLD_RULES[ind][0]
            if t["level"] != "household" or norm(t["deprived_if"]) != norm(c_txt):
                print(ind, "rule text changed; re-translate")
                print("   file:  ", norm(t["deprived_if"]))
                print("   oracle:", norm(c_txt))
                fails += 1
        for ex in t["example"]:
            n += 1
            hh = dict(ex.get("household", {}))
            year = hh.get("survey_year", 2020)
            h = {k: None for k in ("walls_durable", "columns_durable", "roof_durable", "dwelling_type",
                                   "floor_area_m2", "water_source", "latrine", "has_tv", "has_radio",
                                   "has_computer", "hears_loudspeaker", "household_size")}
            for k, v in hh.items():
                h[k] = Fraction(str(v)) if isinstance(v, float) else v
            ms = []
            for mm in ex.get("members", []):
                m = {k: None for k in ("age", "birth_year", "sick_last_12m", "sought_care",
                                       "has_health_insurance", "education_level", "in_school",
                                       "uses_phone", "uses_internet")}
                m.update(mm)
                m["_year"] = year
                ms.append(m)
            if h["household_size"] is None:
                h["household_size"] = len(ms)
            got = tv(evaluate_indicators(h, ms)[ind])
            if got != ex["expect"]:
                print(f"FAIL {ind}: {ex['description']}: expected {ex['expect']}, got {got}")
                fails += 1
    # Boundary vectors of spec §8 (D59 and the TT14 score path).
    vectors = [
        ("rural", "per_capita", 700_000, 0, "poor_income"),
        ("rural", "per_capita", 700_001, 3, "poor_deprivation"),
        ("rural", "per_capita", 1_000_000, 2, "near_poor"),
        ("rural", "per_capita", 1_000_001, 5, "average"),
        ("urban", "per_capita", 900_000, 0, "poor_income"),
        ("urban", "per_capita", 1_300_000, 3, "poor_deprivation"),
        ("urban", "per_capita", 1_950_001, 0, "not_poor"),
        ("rural", "score", 150, 3, "poor_deprivation"),
        ("urban", "score", 140, 0, "poor_income"),
    ]
    for area, kind, value, d, want in vectors:
        n += 1
        got = classify(area, 1, kind, value, d)
        if got != want:
            print(f"FAIL vector {area} {kind} {value} d={d}: expected {want}, got {got}")
            fails += 1
    print(f"self-test: {n} checks, {fails} failures")
    return fails == 0


# --------------------------------------------------------------------------


def resolve(p):
    p = Path(p)
    return p if p.is_absolute() else REPO / p


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--households", default="data-samples/households.csv")
    ap.add_argument("--members", default="data-samples/members.csv")
    ap.add_argument("--out", default="tests/oracle/expected_sample.csv")
    ap.add_argument("--self-test", action="store_true", help="check the TOML rule texts and run their examples")
    ap.add_argument("--explain", nargs=2, action="append", metavar=("YEAR", "HOUSEHOLD_ID"),
                    help="print one household's indicators and class (repeatable); does not write --out")
    args = ap.parse_args(argv)

    if args.self_test:
        return 0 if self_test() else 1

    households = [h for h in read_households(resolve(args.households))
                  if REVIEW_YEARS[0] <= h["survey_year"] <= REVIEW_YEARS[1]]
    members = read_members(resolve(args.members))

    if args.explain:
        for year, hid in args.explain:
            explain(households, members, int(year), hid)
        return 0

    results, rows = run(households, members)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header())
    w.writerows(rows)
    out = resolve(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())

    for row in rows:
        if row[1] != "VN":
            continue
        year, n, poor, near, und = row[0], row[2], row[3], row[6], row[9]
        print(f"{year} VN: households {n}; poor {poor} = {100 * poor / n:.2f} % "
              f"(income {row[4]}, deprivation {row[5]}); near-poor {near} = {100 * near / n:.2f} %; "
              f"undetermined {und} (shares of all households)")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
