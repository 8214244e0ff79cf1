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
   DuckDB computing the same points (households, poor, near-poor, AF H, M0,
   A at k = 3/10 on known households) from the scored Parquet, each run
   REPEATS times (default 5), taking turns; the medians are compared (this
   VM's speed drifts between seconds, and a single run of either can be
   half as fast again);
4. the points are checked to agree, and the time ratio is printed.
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
    known = " and ".join(f"{i} is not null" for i in IDS)
    count = " + ".join(f"{i}::int" for i in IDS)
    sql = f"""
        with h as (
          select province_code, weight as w, class, ({known}) as known, ({count}) as d from '{sp}'
        )
        select province_code,
               count(*) as households,
               sum(w) as households_weighted,
               sum(w * (class = 'poor')::int) / sum(w) as poor_rate,
               sum(w * (class = 'near_poor')::int) / sum(w) as near_poor_rate,
               sum(w * (known and d >= 3)::int) / sum(w * known::int) as H,
               sum(w * (known and d >= 3)::int * d / 10.0) / sum(w * known::int) as M0,
               sum(w * (known and d >= 3)::int * d / 10.0) / nullif(sum(w * (known and d >= 3)::int), 0) as A
        from h group by province_code order by province_code
    """
    repeats = int(os.environ.get("REPEATS", "5"))
    t_ours, t_duck = [], []
    for _ in range(repeats):
        t_ours.append(timed(lambda: subprocess.check_call(ours_cmd))[1])
        duck, t = timed(lambda: duckdb.connect().execute(sql).fetchall())
        t_duck.append(t)
    est = duckdb.connect().execute(f"""
        select "group", measure, estimate from '{os.path.join(tables, "estimates.parquet")}'
        where grouping = 'province' and level = 'household' and (k = '3/10' or k is null)
          and measure in ('poor_rate', 'near_poor_rate', 'H', 'M0', 'A') and indicator is null
    """).fetchall()
    ours = {(g, m): v for g, m, v in est}
    worst = 0.0
    for row in duck:
        code = row[0]
        for m, v in zip(["poor_rate", "near_poor_rate", "H", "M0", "A"], row[3:]):
            o = ours.get((code, m))
            if v is None or o is None:
                assert v is None and o is None, (code, m, v, o)
                continue
            worst = max(worst, abs(o - v))
    assert worst < 1e-9, worst
    print(f"households: {n:,} (sample: 63 provinces x urban/rural strata, {n // 25:,} PSUs)")
    print(f"dachieu ingest (Parquet): {t_ingest:.2f} s, score: {t_score:.2f} s")
    med = lambda ts: sorted(ts)[len(ts) // 2]
    show = lambda ts: " ".join(f"{t:.2f}" for t in sorted(ts))
    print(f"dachieu tables, province, with standard errors: median {med(t_ours):.2f} s (runs: {show(t_ours)})")
    print(f"duckdb points-only province table:             median {med(t_duck):.2f} s (runs: {show(t_duck)})")
    print(f"points agree (largest difference {worst:.1e}); time ratio dachieu / duckdb = {med(t_ours) / med(t_duck):.2f} (medians of {repeats})")


if __name__ == "__main__":
    main()
