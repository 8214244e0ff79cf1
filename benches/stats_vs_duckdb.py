#!/usr/bin/env python3
"""Province table with standard errors (dachieu) against the points-only
province table in DuckDB SQL, on the same scored Parquet, in one run.

    python3 benches/stats_vs_duckdb.py [HOUSEHOLDS=5000000]

Makes its own venv with DuckDB (benches/.venv, not part of CI). Steps:
1. DuckDB generates a stratified cluster sample of N households (63
   provinces x urban/rural strata, ~25 households per PSU, weights, some
   unknown indicator flags) as Parquet;
2. dachieu ingests and scores it (timed, not in the ratio);
3. timed: `dachieu tables --by province --k 3/10` (rates, AF, SEs) against
   DuckDB computing the points of the same table, no SEs (every estimate
   of estimates.parquet at province and national level, households and
   persons, and every cell of rates_province and indicators_province), and
   against the seven headline points earlier sessions compared with
   (households, poor and near-poor rates, H, M0, A); each run REPEATS
   times (default 5), taking turns; the medians are compared (this VM's
   speed drifts between seconds, and a single run of either can be half
   as fast again);
4. every point is checked to agree with dachieu's (relative 1e-9), and the
   time ratios are printed.
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")


def ensure_duckdb():
    try:
        import duckdb  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "duckdb"])
    os.execv(py, [py] + sys.argv)


CLASSES = ["poor", "near_poor", "average", "not_poor", "undetermined"]
K, KS = 3, "3/10"
IDS = ["health_access", "health_insurance", "adult_education", "child_schooling", "housing_quality",
       "floor_area", "water_source", "latrine", "telecom", "info_assets"]


def timed(f):
    t = time.perf_counter()
    r = f()
    return r, time.perf_counter() - t


def main():
    ensure_duckdb()
    import duckdb
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    subprocess.check_call(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT)
    exe = os.path.join(ROOT, "target", "release", "dachieu")
    work = tempfile.mkdtemp(prefix="dachieu-bench-")
    con = duckdb.connect()
    provinces = [l.split(",")[0] for l in open(os.path.join(ROOT, "data", "geo", "provinces.csv"), encoding="utf-8").read().splitlines()[1:]]
    con.execute("create table prov as select unnest(?::varchar[]) as code, generate_subscripts(?::varchar[], 1) as i", [provinces, provinces])
    flags = ",\n".join(
        f"case when random() < 0.01 then null else (random() < 0.05 + 0.5 * poorness)::int end as dep_{i}" for i in IDS)
    src = os.path.join(work, "households.parquet")
    con.execute(f"""
        copy (
          select survey_year, household_id, province_code, area, household_size, weight, stratum, psu,
                 income_per_capita_month, {flags}
          from (
            select 2020 as survey_year,
                   lpad(h::varchar, 9, '0') as household_id,
                   p.code as province_code,
                   case when (h // 25) % 3 = 0 then 'urban' else 'rural' end as area,
                   1 + (hash(h) % 6)::int as household_size,
                   100 + (hash(h // 25) % 400)::double / 4 as weight,
                   p.code || '-' || case when (h // 25) % 3 = 0 then 'urban' else 'rural' end as stratum,
                   'c' || (h // 25)::varchar as psu,
                   (400000 + (hash(h * 7) % 3000000))::bigint as income_per_capita_month,
                   ((hash(h // 25) % 100) / 100.0) * 0.4 as poorness
            from range({n}) t(h) join prov p on p.i = 1 + ((h // 25) % 63)
          )
        ) to '{src}' (format parquet)
    """)
    ds, scored, tables = (os.path.join(work, d) for d in ("ds", "scored", "tables"))
    _, t_ingest = timed(lambda: subprocess.check_call([exe, "ingest", src, "--dataset", ds, "--quarantine", os.path.join(work, "q.csv"), "-q"]))
    _, t_score = timed(lambda: subprocess.check_call([exe, "score", "--dataset", ds, "--out", scored, "-q"]))
    ours_cmd = [exe, "tables", "--scored", scored, "--out", tables, "--by", "province",
                "--k", "3/10", "--lonely-psu", "adjust", "--format", "parquet", "-q"]
    sp = os.path.join(scored, "survey_year=2020", "scored.parquet")
    full, subset = full_sql(sp), subset_sql(sp)
    repeats = int(os.environ.get("REPEATS", "5"))
    t_ours, t_full, t_subset = [], [], []
    for _ in range(repeats):
        t_ours.append(timed(lambda: subprocess.check_call(ours_cmd))[1])
        points, t = timed(lambda: (lambda r: (r.description, r.fetchall()))(duckdb.connect().execute(full)))
        t_full.append(t)
        sub, t = timed(lambda: duckdb.connect().execute(subset).fetchall())
        t_subset.append(t)
    cols = [d[0] for d in points[0]]
    checked, worst = check_points(duckdb, tables, [dict(zip(cols, r)) for r in points[1]], sub)
    print(f"households: {n:,} (sample: 63 provinces x urban/rural strata, {n // 25:,} PSUs)")
    print(f"dachieu ingest (Parquet): {t_ingest:.2f} s, score: {t_score:.2f} s")
    med = lambda ts: sorted(ts)[len(ts) // 2]
    show = lambda ts: " ".join(f"{t:.2f}" for t in sorted(ts))
    print(f"dachieu tables, province, with standard errors:  median {med(t_ours):.2f} s (runs: {show(t_ours)})")
    print(f"duckdb, the same table's points (no SEs):        median {med(t_full):.2f} s (runs: {show(t_full)})")
    print(f"duckdb, 7 headline points only (earlier peer):   median {med(t_subset):.2f} s (runs: {show(t_subset)})")
    print(f"{checked:,} points agree (largest relative difference {worst:.1e})")
    print(f"time ratio dachieu / duckdb same points = {med(t_ours) / med(t_full):.2f}; "
          f"dachieu / duckdb 7 points = {med(t_ours) / med(t_subset):.2f} (medians of {repeats})")


def full_sql(sp):
    """Every point of dachieu's province table (estimates.parquet,
    rates_province, indicators_province) with its national row, as DuckDB
    computes them fastest of the forms tried (benches/README.md): rows are
    first grouped by what the sums depend on (province, class, path, the ten
    flags; about 300,000 groups at 5M), then the 116 weighted sums are taken
    over those groups, then the ratios."""
    J = len(IDS)
    deps = ", ".join(f"{i} as d{j}" for j, i in enumerate(IDS))
    known = " and ".join(f"d{j} is not null" for j in range(J))
    count = " + ".join(f"coalesce(d{j}, false)::int" for j in range(J))
    # base sums, for households (weight w) and for persons (weight wp)
    conds = {"counted": None}
    for c in CLASSES:
        conds[c] = f"class = '{c}'"
    conds["poor_income"] = "class = 'poor' and poor_path = 'income'"
    conds["poor_deprivation"] = "class = 'poor' and poor_path = 'deprivation'"
    conds["known"] = "known"
    conds["af_poor"] = f"known and d >= {K}"
    for j in range(J):
        conds[f"deprived{j}"] = f"known and d{j}"
        conds[f"censored{j}"] = f"known and d >= {K} and d{j}"
    for e in range(J + 1):
        conds[f"exactly{e}"] = f"known and d = {e}"
    # the indicator table's, households only
    hh_only = {"maybe_poor": "class = 'undetermined' and ('|' || possible_classes || '|') like '%|poor|%'"}
    for j in range(J):
        hh_only[f"any_deprived{j}"] = f"coalesce(d{j}, false)"
        hh_only[f"unknown{j}"] = f"d{j} is null"
        hh_only[f"poor_deprived{j}"] = f"class = 'poor' and coalesce(d{j}, false)"
    agg = lambda wt, c, name: f"sum({wt}) as {name}" if c is None else f"sum({wt} * ({c})::int) as {name}"
    aggs = ["sum(nn) as n"]
    for lv, wt in (("h", "w"), ("p", "wp")):
        aggs += [agg(wt, c, f"{lv}_{name}") for name, c in conds.items()]
        aggs.append(agg(f"{wt} * d / {J}.0", f"known and d >= {K}", f"{lv}_score"))
    aggs += [agg("w", c, name) for name, c in hh_only.items()]
    z = lambda a, b: f"({a}) / nullif({b}, 0)"
    outs = ["code", "n", "maybe_poor"] + [f"{m}{j}" for m in ("any_deprived", "unknown", "poor_deprived") for j in range(J)]
    for lv in ("h", "p"):
        outs += [f"{lv}_counted", f"{lv}_poor", f"{lv}_near_poor"] + [f"{lv}_{c}" for c in CLASSES + ["poor_income", "poor_deprivation"]]
        for c in CLASSES + ["poor_income", "poor_deprivation"]:
            outs.append(f"{z(f'{lv}_{c}', f'{lv}_counted')} as {lv}_{c}_rate")
        outs.append(f"{z(f'{lv}_af_poor', f'{lv}_known')} as {lv}_H")
        outs.append(f"{z(f'{lv}_score', f'{lv}_known')} as {lv}_M0")
        outs.append(f"{z(f'{lv}_score', f'{lv}_af_poor')} as {lv}_A")
        outs.append(f"{lv}_score / sum({lv}_score) filter (where code is null) over () as {lv}_subgroup")
        for j in range(J):
            outs.append(f"{z(f'{lv}_censored{j}', f'{lv}_known')} as {lv}_censored{j}")
            outs.append(f"{z(f'{lv}_censored{j} / {J}.0', f'{lv}_score')} as {lv}_contribution{j}")
            outs.append(f"{z(f'{lv}_deprived{j}', f'{lv}_known')} as {lv}_uncensored{j}")
        for e in range(J + 1):
            outs.append(f"{z(f'{lv}_exactly{e}', f'{lv}_known')} as {lv}_exactly{e}")
            if e > 0:
                s = " + ".join(f"{lv}_exactly{x}" for x in range(e, J + 1))
                outs.append(f"{z(s, f'{lv}_known')} as {lv}_at_least{e}")
    return f"""
        with kinds as (
          select *, ({known}) as known, ({count}) as d from (
            select province_code, class, poor_path, possible_classes, {deps},
                   count(*) as nn, sum(weight) as w, sum(weight * household_size) as wp
            from '{sp}' where class <> 'excluded'
            group by province_code, class, poor_path, possible_classes, {', '.join(IDS)})
        ), p as (
          select province_code as code, {', '.join(aggs)} from kinds group by province_code
        ), a as (
          select * from p union all select null, * from (select sum(columns(* exclude (code))) from p)
        )
        select {', '.join(outs)} from a order by code nulls first
    """


def subset_sql(sp):
    """The peer of earlier sessions: seven headline points by province."""
    known = " and ".join(f"{i} is not null" for i in IDS)
    count = " + ".join(f"{i}::int" for i in IDS)
    return f"""
        with h as (
          select province_code, weight as w, class, ({known}) as known, ({count}) as d from '{sp}'
        )
        select province_code,
               count(*) as households,
               sum(w) as households_weighted,
               sum(w * (class = 'poor')::int) / sum(w) as poor_rate,
               sum(w * (class = 'near_poor')::int) / sum(w) as near_poor_rate,
               sum(w * (known and d >= {K})::int) / sum(w * known::int) as H,
               sum(w * (known and d >= {K})::int * d / 10.0) / sum(w * known::int) as M0,
               sum(w * (known and d >= {K})::int * d / 10.0) / nullif(sum(w * (known and d >= {K})::int), 0) as A
        from h group by province_code order by province_code
    """


def check_points(duckdb, tables, rows, subset):
    """Every estimate and every table cell dachieu wrote for the provinces
    and the nation against DuckDB's; returns (points compared, largest
    relative difference). Fails on any point missing on either side."""
    con = duckdb.connect()
    by_code = {("VN" if r["code"] is None else r["code"]): r for r in rows}
    expected = {}
    for code, r in by_code.items():
        for lv, level in (("h", "household"), ("p", "person")):
            e = lambda m, ind=None, k=None, d=None, v=None: expected.__setitem__(("est", code, level, m, ind, k, d), v)
            for c in CLASSES + ["poor_income", "poor_deprivation"]:
                e(f"{c}_rate", v=r[f"{lv}_{c}_rate"])
            for m in ("H", "M0", "A"):
                e(m, k=KS, v=r[f"{lv}_{m}"])
            if code != "VN":
                e("subgroup_contribution", k=KS, v=r[f"{lv}_subgroup"])
            for j, i in enumerate(IDS):
                e("censored_headcount", i, KS, v=r[f"{lv}_censored{j}"])
                e("contribution", i, KS, v=r[f"{lv}_contribution{j}"])
                e("uncensored_headcount", i, v=r[f"{lv}_uncensored{j}"])
            for d in range(len(IDS) + 1):
                e("count_exactly", d=d, v=r[f"{lv}_exactly{d}"])
                if d > 0:
                    e("count_at_least", d=d, v=r[f"{lv}_at_least{d}"])
        t = lambda col, v: expected.__setitem__(("rates", code, col), v)
        pct = lambda a, b: None if not b else 100.0 * a / b
        t("households", r["n"])
        t("households_weighted", r["h_counted"])
        t("persons_weighted", r["p_counted"])
        for c in CLASSES + ["poor_income", "poor_deprivation"]:
            t(c, r[f"h_{c}"])
            t(f"{c}_pct", pct(r[f"h_{c}"], r["h_counted"]))
        t("poor_pct_upper", pct(r["h_poor"] + r["maybe_poor"], r["h_counted"]))
        t("poor_person_pct", pct(r["p_poor"], r["p_counted"]))
        t("near_poor_person_pct", pct(r["p_near_poor"], r["p_counted"]))
        for j, i in enumerate(IDS):
            u = lambda col, v: expected.__setitem__(("ind", code, i, col), v)
            u("households_weighted", r["h_counted"])
            u("deprived", r[f"any_deprived{j}"])
            u("unknown", r[f"unknown{j}"])
            u("deprived_pct", pct(r[f"any_deprived{j}"], r["h_counted"]))
            u("unknown_pct", pct(r[f"unknown{j}"], r["h_counted"]))
            u("poor", r["h_poor"])
            u("poor_deprived", r[f"poor_deprived{j}"])
            u("poor_deprived_pct", pct(r[f"poor_deprived{j}"], r["h_poor"]))
    got = {}
    for code, level, m, ind, k, d, v in con.execute(f"""
            select "group", level, measure, indicator, k, deprivations, estimate
            from '{os.path.join(tables, "estimates.parquet")}' where grouping in ('province', 'national')""").fetchall():
        got[("est", code, level, m, ind, k, d)] = v
    rates = con.execute(f"select * from '{os.path.join(tables, 'rates_province.parquet')}'")
    names = [c[0] for c in rates.description]
    for row in rates.fetchall():
        row = dict(zip(names, row))
        for key in [x for x in expected if x[0] == "rates" and x[1] == row["code"]]:
            got[key] = row[key[2]]
    inds = con.execute(f"select * from '{os.path.join(tables, 'indicators_province.parquet')}'")
    names = [c[0] for c in inds.description]
    for row in inds.fetchall():
        row = dict(zip(names, row))
        for key in [x for x in expected if x[0] == "ind" and x[1:3] == (row["code"], row["indicator"])]:
            got[key] = row[key[3]]
    assert set(got) == set(expected), sorted(set(got) ^ set(expected))[:10]
    worst = 0.0
    for key, v in expected.items():
        o = got[key]
        if v is None or o is None:
            assert v is None and o is None, (key, v, o)
            continue
        rel = abs(o - v) / abs(v) if v else abs(o)
        assert rel < 1e-9, (key, v, o)
        worst = max(worst, rel)
    assert worst < 1e-9, worst
    for row in subset:
        for m, v in zip(["poor_rate", "near_poor_rate", "H", "M0", "A"], row[3:]):
            o = got[("est", row[0], "household", m, None, KS if m in ("H", "M0", "A") else None, None)]
            assert (v is None and o is None) or abs(o - v) < 1e-9, (row[0], m, v, o)
    return len(expected), worst

if __name__ == "__main__":
    main()
