#!/usr/bin/env python3
"""dachieu against DuckDB and Polars on the same files, in the same run.

    python3 benches/vs_peers.py [SIZES...] [--input DIR] [--keep] [--json PATH]
                                [--repeat R] [--threads T] [--no-build]

SIZES are numbers of households (default 1000000 5000000 27000000). Makes its
own venv with DuckDB and Polars (benches/.venv, not part of CI). Per size:

1. data: N households as CSV in the data contract (households.csv +
   members.csv) from `dachieu synth` when the binary has it, else from
   benches/replicate_sample.py (the sample's 2020 households replicated under
   new ids). Not timed. With --input DIR the CSV files of DIR are used instead
   (and no SIZES may be given).
2. (b) CSV -> Parquet ingest, both tables, zstd level 1 for every tool:
   `dachieu ingest` (validates, quarantines, sorts, partitions by year) vs
   DuckDB `COPY (SELECT * FROM read_csv(...)) TO ...parquet` vs Polars
   `scan_csv(...).sink_parquet(...)`; the peers get the contract's column
   types (codes as text, yes/no as booleans) and do not validate.
3. (a) score + province table from Parquet, on dachieu's ingested dataset
   (the same files for all three): `dachieu score` + `dachieu tables --by
   province` (walls added, peak RSS the larger) vs DuckDB SQL and Polars
   (lazy, streaming engine) computing the vn-2016-2020 classification from
   the raw columns and counting the classes by province.
4. the class counts of every province from DuckDB and from Polars must equal
   dachieu's (tables/rates_province.csv) exactly; a mismatch is printed and
   the script exits 1. A tool that fails (e.g. killed for lack of memory) is
   reported as failed, the others go on, and the script exits 2.

Every tool runs in its own process under `/usr/bin/time -v` (wall time, CPU
time and peak RSS), with all cores (--threads, default: the CPUs this process
may use). A peer's wall includes starting Python and importing its library
(its in-process time is printed beside it). The page cache is warmed with the
input files before each tool. Ratios are dachieu / peer: below 1 means
dachieu is faster or smaller. Temporary files go under $TMPDIR and are
removed unless --keep (then `--input KEPT/data` reruns on the same CSV).
`--print-sql` prints the DuckDB SQL.

The classification is written here by hand from indicators/vn-2016-2020/*.toml
and tests/oracle/ (README): three-valued logic, age/birth-year readings,
absent members, deprivation count range, union rule with the score path.
The script checks that the rule texts of the standard are still the ones
translated here and stops if they are not.
"""
import argparse
import csv
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")
EXE = os.path.join(ROOT, "target", "release", "dachieu")
STANDARD = "vn-2016-2020"
DEFAULT_SIZES = [1_000_000, 5_000_000, 27_000_000]
CLASSES = ["poor_income", "poor_deprivation", "near_poor", "average", "not_poor", "undetermined"]
# Compared with dachieu's rates_province.csv, column for column.
COUNT_COLUMNS = ["households", "poor", "poor_income", "poor_deprivation", "near_poor", "average", "not_poor",
                 "undetermined"]


def ensure_venv():
    """Re-run this script in benches/.venv with DuckDB and Polars installed."""
    try:
        import duckdb  # noqa: F401
        import polars  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("DACHIEU_BENCH_VENV"):
        sys.exit(f"error: duckdb and polars are still not importable in {sys.executable}")
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    if subprocess.run([py, "-c", "import duckdb, polars"], capture_output=True).returncode != 0:
        subprocess.check_call([py, "-m", "pip", "install", "-q", "duckdb", "polars"])
    os.environ["DACHIEU_BENCH_VENV"] = "1"
    os.execv(py, [py] + sys.argv)


# ---------------------------------------------------------------------------
# The data contract's column types (src/schema/columns.rs), for the peers'
# CSV readers: with sniffing, '01' would become the number 1 and a column that
# is blank in the first rows would get the wrong type.
# ---------------------------------------------------------------------------

INT_COLUMNS = {"survey_year", "household_size", "income_per_capita_month", "income_total_year", "water_minutes",
               "child_deaths_5y", "age", "birth_year", "years_schooling"}
FLOAT_COLUMNS = {"weight", "score_b1", "floor_area_m2", "bmi"}
BOOL_COLUMNS = {"walls_durable", "columns_durable", "roof_durable", "has_tv", "has_radio", "has_computer",
                "hears_loudspeaker", "has_phone", "has_fridge", "has_bicycle", "has_motorbike", "has_car",
                "has_animal_cart", "has_electricity", "floor_finished", "latrine_shared", "sick_last_12m",
                "sought_care", "has_health_insurance", "in_school", "uses_phone", "uses_internet",
                "has_labour_contract", "receives_social_allowance", "stunted", "underweight",
                "uses_digital_services"}


def column_kind(name):
    if name in INT_COLUMNS:
        return "int"
    if name in FLOAT_COLUMNS:
        return "float"
    if name in BOOL_COLUMNS or name.startswith("dep_"):
        return "bool"
    return "text"  # ids, admin codes, codes, text; anything outside the contract


def csv_header(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f))


def csv_layout(files):
    """Per file: its columns with their kinds, and whether yes/no is written 1/0."""
    out = []
    for path in files:
        cols = [c.strip() for c in csv_header(path)]
        bools = [i for i, c in enumerate(cols) if column_kind(c) == "bool"]
        digits = False
        with open(path, newline="", encoding="utf-8-sig") as f:
            r = csv.reader(f)
            next(r)
            for _, row in zip(range(2000), r):
                digits |= any(i < len(row) and row[i].strip() in ("0", "1") for i in bools)
        out.append({"path": path, "columns": [[c, column_kind(c)] for c in cols], "bool_digits": digits})
    return out


# ---------------------------------------------------------------------------
# The rule texts translated below (indicators/vn-2016-2020/*.toml).
# ---------------------------------------------------------------------------

RULE_TEXTS = {
    "health_access": ("member", "sick_last_12m", "not sought_care", "any"),
    "health_insurance": ("member", "age >= 6", "not has_health_insurance", "any"),
    "adult_education": ("member", "age >= 15 and birth_year >= 1986",
                        'education_level in ["none", "primary"] and not in_school', "any"),
    "child_schooling": ("member", "age between 5 and 14", "not in_school", "any"),
    "housing_quality": ("household", None,
                        'coalesce( (not walls_durable and not columns_durable) or (not walls_durable and not '
                        'roof_durable) or (not columns_durable and not roof_durable), dwelling_type in '
                        '["less_permanent", "simple"] )', None),
    "floor_area": ("household", None, "floor_area_m2 < 8 * household_size", None),
    "water_source": ("household", None, 'water_source not in ["piped", "protected_well", "protected_spring", '
                                        '"rainwater", "bottled"]', None),
    "latrine": ("household", None, 'latrine not in ["septic_tank", "sewer", "double_vault", "biogas", '
                                   '"ventilated_pit"]', None),
    "telecom": ("member", "true", "not uses_phone and not uses_internet", "all"),
    "info_assets": ("household", None, "not has_tv and not has_radio and not has_computer and not hears_loudspeaker",
                    None),
}
INDICATORS = list(RULE_TEXTS)
LINES = {  # area: income poverty, near-poverty, average (VND/person/month); score poverty, near-poverty
    "rural": (700_000, 1_000_000, 1_500_000, 120, 150),
    "urban": (900_000, 1_300_000, 1_950_000, 140, 175),
}


def check_standard():
    """Stop if the standard no longer says what the SQL and Polars code implement."""
    import tomllib

    def norm(s):
        return " ".join(s.split()).replace("( ", "(").replace(" )", ")")

    folder = os.path.join(ROOT, "indicators", STANDARD)
    with open(os.path.join(folder, "standard.toml"), "rb") as f:
        std = tomllib.load(f)
    problems = []
    if std["indicators"] != INDICATORS or std["rule"] != "union" or std["cutoff"] != 3:
        problems.append("standard.toml: indicators, rule or cut-off")
    sc = std["score"]
    if (sc["points_per_indicator"], sc["deprivation_points"]) != (10, 30):
        problems.append("standard.toml: score points")
    for area, (p, n, m, sp, sn) in LINES.items():
        inc = std["income"][area]
        if (inc["poverty"], inc["near_poverty"], inc["average"], sc[area]["poverty"], sc[area]["near_poverty"]) \
                != (p, n, m, sp, sn):
            problems.append(f"standard.toml: {area} lines")
    for ind, (level, eligible, deprived_if, combine) in RULE_TEXTS.items():
        with open(os.path.join(folder, ind + ".toml"), "rb") as f:
            t = tomllib.load(f)
        got = (t["level"], norm(t.get("eligible", "true")) if level == "member" else None, norm(t["deprived_if"]),
               t.get("combine"), t["missing"])
        if got != (level, eligible and norm(eligible), norm(deprived_if), combine, "unknown"):
            problems.append(f"{ind}.toml: rule text or missing policy")
    if problems:
        sys.exit("error: indicators/%s changed since benches/vs_peers.py translated it (%s); "
                 "update the SQL and the Polars code" % (STANDARD, "; ".join(problems)))


# ---------------------------------------------------------------------------
# DuckDB: the classification in SQL
# ---------------------------------------------------------------------------

DUCKDB_MACROS = """
-- Both readings of an age given without a birth year (or the reverse) must
-- give the same value, else the member's value is unknown.
create macro agree(v1, v2) as case when v1 is not distinct from v2 then v1 end;

-- Combining members: counts of members deprived / unknown / not deprived.
-- 'any': deprived if one member is; unknown if a member is unknown or absent
-- (fewer member rows than household_size).
create macro combine_any(n_deprived, n_unknown, short) as
    case when n_deprived > 0 then true when n_unknown > 0 or short then null else false end;
-- 'all' (every member eligible): not deprived as soon as one member is not.
create macro combine_all(n_not_deprived, n_unknown, short) as
    case when n_not_deprived > 0 then false when n_unknown > 0 or short then null else true end;

-- Decision 59/2015 union rule on one scale (inclusive upper bounds):
-- v <= poverty: poor (income path); v <= near-poverty: poor by deprivation
-- if deprived enough, else near-poor; v <= average: average; else not poor.
-- The score scale has no average band (average is null).
create macro union_rule(v, poverty, near_poverty, average, deprived) as
    case when v <= poverty then 'poor_income'
         when v <= near_poverty then case when deprived then 'poor_deprivation' else 'near_poor' end
         when v <= average then 'average'
         else 'not_poor' end;

-- The class at a deprivation count d. Measure: score_b1 (authoritative),
-- else income per capita, else total annual income compared with
-- line x 12 x household_size in integers. No measure: null.
create macro class_at(d) as
    case when score_b1 is not null then
             union_rule(score_b1, score_poverty, score_near_poverty, null, 10 * d >= 30)
         when income_per_capita_month is not null then
             union_rule(income_per_capita_month, poverty, near_poverty, average, d >= 3)
         when income_total_year is not null then
             union_rule(income_total_year, poverty * 12 * household_size, near_poverty * 12 * household_size,
                        average * 12 * household_size, d >= 3)
    end;
"""

DUCKDB_QUERY = """
with
lines(area, poverty, near_poverty, average, score_poverty, score_near_poverty) as (
    values {lines}
),
members as (
    select survey_year, household_id, sick_last_12m, sought_care, has_health_insurance, education_level,
           in_school, uses_phone, uses_internet,
           -- the two readings of a missing age or birth year (before / after the birthday)
           case when age is null and birth_year is not null
                then greatest(survey_year - birth_year - 1, 0) else age end as age_1,
           case when age is null and birth_year is not null
                then survey_year - birth_year else age end as age_2,
           case when birth_year is null and age is not null
                then survey_year - age - 1 else birth_year end as birth_year_1,
           case when birth_year is null and age is not null
                then survey_year - age else birth_year end as birth_year_2
    from read_parquet({members}, hive_partitioning = false)
),
member_deprivation as (  -- per member: eligible and deprived_if
    select survey_year, household_id,
           sick_last_12m and not sought_care as health_access,
           agree(age_1 >= 6 and not has_health_insurance,
                 age_2 >= 6 and not has_health_insurance) as health_insurance,
           agree(age_1 >= 15 and birth_year_1 >= 1986 and education_level in ('none', 'primary') and not in_school,
                 age_2 >= 15 and birth_year_2 >= 1986 and education_level in ('none', 'primary') and not in_school)
               as adult_education,
           agree(age_1 between 5 and 14 and not in_school,
                 age_2 between 5 and 14 and not in_school) as child_schooling,
           not uses_phone and not uses_internet as telecom
    from members
),
member_counts as (
    select survey_year, household_id, count(*) as member_rows,
           count_if(health_access) as health_access_yes, count(*) - count(health_access) as health_access_unk,
           count_if(health_insurance) as health_insurance_yes,
           count(*) - count(health_insurance) as health_insurance_unk,
           count_if(adult_education) as adult_education_yes,
           count(*) - count(adult_education) as adult_education_unk,
           count_if(child_schooling) as child_schooling_yes,
           count(*) - count(child_schooling) as child_schooling_unk,
           count_if(not telecom) as telecom_no, count(*) - count(telecom) as telecom_unk
    from member_deprivation
    group by survey_year, household_id
),
households as (
    select h.*, l.* exclude (area),
           coalesce(m.member_rows, 0) < h.household_size as short,
           m.* exclude (survey_year, household_id)
    from read_parquet({households}, hive_partitioning = false) h
    join lines l using (area)
    left join member_counts m using (survey_year, household_id)
),
indicators as (
    select survey_year, province_code, area, household_size, score_b1, income_per_capita_month,
           income_total_year, poverty, near_poverty, average, score_poverty, score_near_poverty,
           combine_any(health_access_yes, health_access_unk, short) as health_access,
           combine_any(health_insurance_yes, health_insurance_unk, short) as health_insurance,
           combine_any(adult_education_yes, adult_education_unk, short) as adult_education,
           combine_any(child_schooling_yes, child_schooling_unk, short) as child_schooling,
           coalesce((not walls_durable and not columns_durable)
                        or (not walls_durable and not roof_durable)
                        or (not columns_durable and not roof_durable),
                    dwelling_type in ('less_permanent', 'simple')) as housing_quality,
           floor_area_m2 < 8 * household_size as floor_area,
           water_source not in ('piped', 'protected_well', 'protected_spring', 'rainwater', 'bottled')
               as water_source,
           latrine not in ('septic_tank', 'sewer', 'double_vault', 'biogas', 'ventilated_pit') as latrine,
           combine_all(telecom_no, telecom_unk, short) as telecom,
           not has_tv and not has_radio and not has_computer and not hears_loudspeaker as info_assets{dep_columns}
    from households
),
counted as (
    select *,
           {d_min} as d_min,
           {d_min} + {d_unknown} as d_max
    from {indicators}
),
classified as (
    select survey_year, province_code,
           case when class_at(d_min) = class_at(d_max) then class_at(d_min) else 'undetermined' end as class
    from counted
)
select survey_year, province_code, count(*) as households,
       {class_counts}
from classified
group by survey_year, province_code
order by survey_year, province_code
"""


def duckdb_query(households_glob, members_glob, dep_flags):
    """The query; dep_flags: indicators with a pre-coded dep_<id> column, used where not blank."""
    lines = ", ".join(f"('{a}', {p}, {n}, {m}, {sp}, {sn})" for a, (p, n, m, sp, sn) in LINES.items())
    indicators = "indicators"
    if dep_flags:
        indicators = ("(select * replace (" + ", ".join(f"coalesce(dep_{i}, {i}) as {i}" for i in dep_flags)
                      + ") from indicators)")
    return DUCKDB_QUERY.format(
        lines=lines,
        members=sql_str(members_glob),
        households=sql_str(households_glob),
        dep_columns="".join(f",\n           dep_{i}" for i in dep_flags),
        indicators=indicators,
        d_min=" + ".join(f"coalesce({i}::int, 0)" for i in INDICATORS),
        d_unknown=" + ".join(f"({i} is null)::int" for i in INDICATORS),
        class_counts=",\n       ".join(f"count_if(class = '{c}') as {c}" for c in CLASSES),
    )


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def duckdb_classify(ds, threads, result):
    import duckdb
    t0 = time.perf_counter()
    con = duckdb.connect(config={"threads": threads})
    hh_glob = os.path.join(ds, "survey_year=*", "households.parquet")
    m_glob = os.path.join(ds, "survey_year=*", "members.parquet")
    hh_cols = [r[0] for r in con.execute(f"describe select * from read_parquet({sql_str(hh_glob)})").fetchall()]
    dep = [i for i in INDICATORS if f"dep_{i}" in hh_cols]
    con.execute(DUCKDB_MACROS)
    rows = con.execute(duckdb_query(hh_glob, m_glob, dep)).fetchall()
    write_result(result, t0, [list(r) for r in rows])


def duckdb_ingest(layouts, out, threads, result):
    import duckdb
    t0 = time.perf_counter()
    con = duckdb.connect(config={"threads": threads})
    duck_type = {"int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "text": "VARCHAR"}
    rows = {}
    for table, files in layouts.items():
        types = {c: duck_type[k] for f in files for c, k in f["columns"]}
        paths = "[" + ", ".join(sql_str(f["path"]) for f in files) + "]"
        target = sql_str(os.path.join(out, table + ".parquet"))
        rows[table] = con.execute(f"""
            copy (select * from read_csv({paths}, header = true, types = {types!r}))
            to {target} (format parquet, compression zstd, compression_level 1)
        """).fetchone()[0]
    write_result(result, t0, rows)


# ---------------------------------------------------------------------------
# Polars: the same classification with lazy expressions
# ---------------------------------------------------------------------------


def polars_classify(ds, result, engine):
    """Threads: POLARS_MAX_THREADS, set by the parent."""
    import polars as pl
    t0 = time.perf_counter()

    c = pl.col
    households = pl.scan_parquet(os.path.join(ds, "survey_year=*", "households.parquet"), hive_partitioning=False)
    members = pl.scan_parquet(os.path.join(ds, "survey_year=*", "members.parquet"), hive_partitioning=False)
    lines = pl.LazyFrame(
        [(a, *v) for a, v in LINES.items()],
        schema=["area", "poverty", "near_poverty", "average", "score_poverty", "score_near_poverty"], orient="row")

    # The two readings of a missing age or birth year (before / after the birthday).
    year, age, born = c("survey_year"), c("age"), c("birth_year")
    only_born = age.is_null() & born.is_not_null()
    only_age = born.is_null() & age.is_not_null()
    readings = [
        (pl.when(only_born).then(pl.max_horizontal(year - born - 1, 0)).otherwise(age),
         pl.when(only_age).then(year - age - 1).otherwise(born)),
        (pl.when(only_born).then(year - born).otherwise(age),
         pl.when(only_age).then(year - age).otherwise(born)),
    ]

    def agree(rule):
        """The member's value when both readings give the same, else unknown."""
        v1, v2 = rule(*readings[0]), rule(*readings[1])
        return pl.when(v1.eq_missing(v2)).then(v1)

    in_school = c("in_school")
    member_rules = {  # 'any' indicators: eligible and deprived_if, per member
        "health_access": c("sick_last_12m") & ~c("sought_care"),
        "health_insurance": agree(lambda age, born: (age >= 6) & ~c("has_health_insurance")),
        "adult_education": agree(lambda age, born: (age >= 15) & (born >= 1986)
                                 & c("education_level").is_in(["none", "primary"]) & ~in_school),
        "child_schooling": agree(lambda age, born: age.is_between(5, 14) & ~in_school),
    }
    member_counts = (
        members
        .select("survey_year", "household_id", *[e.alias(k) for k, e in member_rules.items()],
                telecom=~c("uses_phone") & ~c("uses_internet"))
        .group_by("survey_year", "household_id")
        .agg(pl.len().alias("member_rows"),
             *[x for k in member_rules for x in (c(k).sum().alias(k + "_yes"), c(k).null_count().alias(k + "_unk"))],
             (~c("telecom")).sum().alias("telecom_no"), c("telecom").null_count().alias("telecom_unk"))
    )

    short = c("member_rows") < c("household_size")
    unknown = pl.lit(None, dtype=pl.Boolean)

    def combine_any(k):  # deprived if one member is; unknown if one is unknown or absent
        return (pl.when(c(k + "_yes") > 0).then(True)
                .when((c(k + "_unk") > 0) | short).then(unknown).otherwise(False))

    def combine_all(k):  # every member eligible: not deprived as soon as one member is not
        return (pl.when(c(k + "_no") > 0).then(False)
                .when((c(k + "_unk") > 0) | short).then(unknown).otherwise(True))

    walls, columns, roof = ~c("walls_durable"), ~c("columns_durable"), ~c("roof_durable")
    rules = {
        **{k: combine_any(k) for k in member_rules},
        "housing_quality": pl.coalesce((walls & columns) | (walls & roof) | (columns & roof),
                                       c("dwelling_type").is_in(["less_permanent", "simple"])),
        "floor_area": c("floor_area_m2") < 8 * c("household_size"),
        "water_source": ~c("water_source").is_in(["piped", "protected_well", "protected_spring", "rainwater",
                                                  "bottled"]),
        "latrine": ~c("latrine").is_in(["septic_tank", "sewer", "double_vault", "biogas", "ventilated_pit"]),
        "telecom": combine_all("telecom"),
        "info_assets": ~c("has_tv") & ~c("has_radio") & ~c("has_computer") & ~c("hears_loudspeaker"),
    }
    # Pre-coded dep_<id> flags replace the rule where the cell is not blank.
    hh_cols = households.collect_schema().names()
    rules = {k: pl.coalesce(c("dep_" + k), e) if "dep_" + k in hh_cols else e for k, e in rules.items()}

    def union_rule(v, poverty, near_poverty, average, deprived):
        """Decision 59/2015 on one scale, inclusive bounds; average None: no average band."""
        e = (pl.when(v <= poverty).then(pl.lit("poor_income"))
             .when(v <= near_poverty).then(pl.when(deprived).then(pl.lit("poor_deprivation"))
                                           .otherwise(pl.lit("near_poor"))))
        if average is not None:
            e = e.when(v <= average).then(pl.lit("average"))
        return e.otherwise(pl.lit("not_poor"))

    def class_at(d):
        """Measure: score_b1, else income per capita, else annual total against line x 12 x size."""
        size12 = 12 * c("household_size")
        return (pl.when(c("score_b1").is_not_null())
                .then(union_rule(c("score_b1"), c("score_poverty"), c("score_near_poverty"), None, 10 * d >= 30))
                .when(c("income_per_capita_month").is_not_null())
                .then(union_rule(c("income_per_capita_month"), c("poverty"), c("near_poverty"), c("average"),
                                 d >= 3))
                .when(c("income_total_year").is_not_null())
                .then(union_rule(c("income_total_year"), c("poverty") * size12, c("near_poverty") * size12,
                                 c("average") * size12, d >= 3)))

    d_min = pl.sum_horizontal([c(k).fill_null(False).cast(pl.Int32) for k in INDICATORS])
    d_unknown = pl.sum_horizontal([c(k).is_null().cast(pl.Int32) for k in INDICATORS])
    table = (
        households
        .join(lines, on="area")
        .join(member_counts, on=["survey_year", "household_id"], how="left")
        .with_columns(c("member_rows").fill_null(0))
        .with_columns(**rules)
        .with_columns(d_min=d_min, d_max=d_min + d_unknown)
        .with_columns(low=class_at(c("d_min")), high=class_at(c("d_max")))
        .with_columns(cls=pl.when(c("low") == c("high")).then(c("low")).otherwise(pl.lit("undetermined")))
        .group_by("survey_year", "province_code")
        .agg(pl.len().alias("households"), *[(c("cls") == k).sum().alias(k) for k in CLASSES])
        .sort("survey_year", "province_code")
        .collect(engine=engine)
    )
    write_result(result, t0, table.rows())


def polars_ingest(layouts, out, result):
    """Threads: POLARS_MAX_THREADS, set by the parent."""
    import polars as pl
    t0 = time.perf_counter()
    rows = {}
    for table, files in layouts.items():
        frames = []
        for f in files:
            pl_type = {"int": pl.Int64, "float": pl.Float64, "text": pl.String,
                       "bool": pl.Int8 if f["bool_digits"] else pl.Boolean}
            schema = {c: pl_type[k] for c, k in f["columns"]}
            lf = pl.scan_csv(f["path"], schema=schema)
            # Polars reads true/false as booleans, not 1/0: read 1/0 as numbers and cast.
            bools = [c for c, k in f["columns"] if k == "bool"]
            frames.append(lf.with_columns(pl.col(bools).cast(pl.Boolean)) if f["bool_digits"] and bools else lf)
        target = os.path.join(out, table + ".parquet")
        pl.concat(frames, how="diagonal_relaxed").sink_parquet(target, compression="zstd", compression_level=1)
        rows[table] = target
    seconds = time.perf_counter() - t0
    rows = {table: pl.scan_parquet(target).select(pl.len()).collect().item() for table, target in rows.items()}
    write_result(result, t0, rows, seconds)


def write_result(path, t0, value, seconds=None):
    with open(path, "w") as f:
        json.dump({"seconds": time.perf_counter() - t0 if seconds is None else seconds, "value": value}, f)


def child(argv):
    """One measured run, in its own process: `vs_peers.py _child TOOL STAGE ARGS_JSON`."""
    tool, stage, a = argv[0], argv[1], json.loads(argv[2])
    if (tool, stage) == ("duckdb", "ingest"):
        duckdb_ingest(a["layouts"], a["out"], a["threads"], a["result"])
    elif (tool, stage) == ("polars", "ingest"):
        polars_ingest(a["layouts"], a["out"], a["result"])
    elif (tool, stage) == ("duckdb", "classify"):
        duckdb_classify(a["dataset"], a["threads"], a["result"])
    elif (tool, stage) == ("polars", "classify"):
        polars_classify(a["dataset"], a["result"], a["engine"])
    else:
        sys.exit(f"unknown child {tool} {stage}")


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


class Failed(Exception):
    pass


def run_timed(cmd, work, name, env=None, ok_codes=(0,)):
    """Run cmd under /usr/bin/time -v: wall s, CPU s, peak RSS MB."""
    tag = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    tfile = os.path.join(work, f"time-{tag}.txt")
    efile = os.path.join(work, f"stderr-{tag}.txt")
    with open(efile, "w") as err:
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
    text = open(tfile).read() if os.path.exists(tfile) else ""
    if p.returncode not in ok_codes:
        with open(efile, errors="replace") as f:
            tail = f.read()[-3000:]
        signal = re.search(r"Command terminated by signal (\d+)", text)
        why = f"killed by signal {signal.group(1)}" + (" (out of memory?)" if signal.group(1) == "9" else "") \
            if signal else f"exit {p.returncode}"
        raise Failed(f"{name} failed ({why}): {' '.join(cmd)}\n{tail}")

    def field(label):
        m = re.search(re.escape(label) + r".*?:\s*(\S+)\s*$", text, re.M)
        if not m:
            raise Failed(f"{name}: no '{label}' in /usr/bin/time output")
        return m.group(1)

    wall = 0.0
    for part in field("Elapsed (wall clock) time").split(":"):
        wall = wall * 60 + float(part)
    return {"wall_s": wall, "cpu_s": float(field("User time (seconds)")) + float(field("System time (seconds)")),
            "rss_mb": int(field("Maximum resident set size (kbytes)")) / 1024, "exit": p.returncode}


def warm(paths):
    """Read files once so that every tool finds them in the page cache."""
    for p in paths:
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass


def peer_cmd(tool, stage, args):
    return [sys.executable, os.path.abspath(__file__), "_child", tool, stage, json.dumps(args)]


def read_result(path):
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def synth_command(n, out):
    """`dachieu synth` with the flags its --help shows, or None when there is no synth."""
    p = subprocess.run([EXE, "synth", "--help"], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    flags = set(re.findall(r"--[a-z][a-z0-9-]*", p.stdout))
    if not {"--households", "--out"} <= flags:
        print("note: `dachieu synth --help` lacks --households/--out; using replicate_sample.py", flush=True)
        return None
    cmd = [EXE, "synth", "--households", str(n), "--out", out]
    for flag, value in (("--years", "2020"), ("--seed", "1"), ("--format", "csv")):
        if flag in flags:
            cmd += [flag, value]
    if "--quiet" in flags:
        cmd.append("--quiet")
    return cmd


def find_tables(folder):
    """CSV files under folder, split by table: a header with member_id is a members file."""
    hh, mem = [], []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.csv"), recursive=True)):
        cols = {c.strip().lower() for c in csv_header(path)}
        if "member_id" in cols:
            mem.append(path)
        elif "household_id" in cols:
            hh.append(path)
    if not hh or not mem:
        raise Failed(f"{folder}: expected households and members CSV files (found {len(hh)} and {len(mem)})")
    return hh, mem


def generate(n, out):
    os.makedirs(out, exist_ok=True)
    cmd = synth_command(n, out)
    generator = "dachieu synth"
    if cmd is not None:
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            print(f"note: dachieu synth failed (exit {p.returncode}): {p.stderr.strip()[-500:]}\n"
                  "      falling back to benches/replicate_sample.py", flush=True)
            shutil.rmtree(out)
            os.makedirs(out)
            cmd = None
    if cmd is None:
        generator = "benches/replicate_sample.py"
        subprocess.run([sys.executable, os.path.join(HERE, "replicate_sample.py"), str(n), out], check=True,
                       stdout=subprocess.DEVNULL)
    return generator


# ---------------------------------------------------------------------------
# Agreement
# ---------------------------------------------------------------------------


def dachieu_counts(tables):
    path = os.path.join(tables, "rates_province.csv")
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] != "province":
                continue
            if float(r["households_weighted"]) != float(r["households"]):
                raise Failed(f"{path}: weighted data (households_weighted != households for {r['code']}); "
                             "the peers count households, so compare on census data (weights 1)")
            if float(r.get("excluded") or 0) != 0:
                raise Failed(f"{path}: excluded households in {r['code']}; the peers implement --missing unknown")
            out[(int(r["survey_year"]), r["code"])] = {k: float(r[k]) for k in COUNT_COLUMNS}
    return out


def peer_counts(rows):
    out = {}
    for year, code, households, *classes in rows:
        c = dict(zip(CLASSES, classes), households=households)
        c["poor"] = c["poor_income"] + c["poor_deprivation"]
        out[(int(year), code)] = {k: float(c[k]) for k in COUNT_COLUMNS}
    return out


def compare(ours, theirs, tool):
    """Mismatches as printable lines."""
    bad = []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if a is None or b is None:
            bad.append(f"  {tool} {key[0]} province {key[1]}: only in {'dachieu' if b is None else tool}")
            continue
        for k in COUNT_COLUMNS:
            if a[k] != b[k]:
                bad.append(f"  {tool} {key[0]} province {key[1]} {k}: dachieu {a[k]:.0f}, {tool} {b[k]:.0f}")
    return bad


# ---------------------------------------------------------------------------
# One size
# ---------------------------------------------------------------------------


def bench_size(label, hh_files, mem_files, work, args, generator):
    """Both stages for one data set. A peer that fails is reported, and the others go on."""
    threads = args.threads
    env = dict(os.environ, POLARS_MAX_THREADS=str(threads))
    layouts = {"households": csv_layout(hh_files), "members": csv_layout(mem_files)}
    res = {"label": label, "generator": generator, "threads": threads, "failures": []}
    ds = os.path.join(work, "dachieu", "dataset")

    def peer(tool, stage, i, args_):
        """One timed peer run; None (and a recorded failure) if it failed."""
        result = os.path.join(work, f"{tool}-{stage}.json")
        try:
            r = run_timed(peer_cmd(tool, stage, dict(args_, result=result)), work, f"{stage}-{tool}-{i}", env=env)
        except Failed as e:
            res["failures"].append(str(e))
            print(f"error: {e}", file=sys.stderr, flush=True)
            return None
        got = read_result(result)
        r["inner_s"], r["value"] = got["seconds"], got["value"]
        return r

    # (b) CSV -> Parquet
    runs = {"dachieu": [], "duckdb": [], "polars": []}
    for i in range(args.repeat):
        for tool in runs:
            out = os.path.join(work, tool)
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            warm(hh_files + mem_files)
            if tool == "dachieu":
                # exit 1: rows were quarantined (counted below), not an error
                r = run_timed([EXE, "ingest", *hh_files, *mem_files, "--dataset", ds, "--quarantine",
                               os.path.join(out, "quarantine.csv"), "--quiet"], work, f"ingest-dachieu-{i}",
                              ok_codes=(0, 1))
            else:
                r = peer(tool, "ingest", i, {"layouts": layouts, "out": out, "threads": threads})
            runs[tool].append(r)
    res["ingest"] = {t: best(v) for t, v in runs.items()}
    with open(os.path.join(work, "dachieu", "quarantine.csv"), encoding="utf-8") as f:
        res["quarantined"] = sum(1 for _ in f) - 1
    import duckdb
    for table in ("households", "members"):
        files = sql_str(os.path.join(ds, "survey_year=*", table + ".parquet"))
        res[table] = duckdb.connect().execute(f"select count(*) from read_parquet({files})").fetchall()[0][0]

    # (a) score + province table, on dachieu's dataset
    parquet = glob.glob(os.path.join(ds, "survey_year=*", "*.parquet"))
    runs = {"dachieu": [], "duckdb": [], "polars": []}
    for i in range(args.repeat):
        for tool in runs:
            warm(parquet)
            if tool == "dachieu":
                scored, tables = os.path.join(work, "dachieu", "scored"), os.path.join(work, "dachieu", "tables")
                shutil.rmtree(scored, ignore_errors=True)
                shutil.rmtree(tables, ignore_errors=True)
                s = run_timed([EXE, "score", "--dataset", ds, "--out", scored, "--standard", STANDARD,
                               "--threads", str(threads), "--quiet"], work, f"score-{i}")
                t = run_timed([EXE, "tables", "--scored", scored, "--out", tables, "--by", "province", "--quiet"],
                              work, f"tables-{i}")
                r = {"wall_s": s["wall_s"] + t["wall_s"], "cpu_s": s["cpu_s"] + t["cpu_s"],
                     "rss_mb": max(s["rss_mb"], t["rss_mb"]), "score": s, "tables": t}
            else:
                r = peer(tool, "classify", i, {"dataset": ds, "threads": threads, "engine": args.polars_engine})
            runs[tool].append(r)
    res["score_tables"] = {t: best(v) for t, v in runs.items()}

    # Agreement: every province's class counts
    ours = dachieu_counts(os.path.join(work, "dachieu", "tables"))
    res["provinces"] = len(ours)
    res["mismatches"], res["checked"] = [], []
    for tool in ("duckdb", "polars"):
        r = res["score_tables"][tool]
        if r is not None:
            res["checked"].append(tool)
            res["mismatches"] += compare(ours, peer_counts(r.pop("value")), tool)
    res["agree"] = not res["mismatches"]
    return res


def best(runs):
    """Fastest of the repeats (with its own peak RSS); None if every run failed."""
    ok = [r for r in runs if r is not None]
    return min(ok, key=lambda r: r["wall_s"]) if ok else None


def ratio(a, b):
    return a / b if b else float("nan")


def print_size(res):
    print()
    print(f"== {res['label']}: {res['households']:,} households, {res['members']:,} members ({res['generator']}); "
          f"{res['threads']} threads; rows quarantined by dachieu: {res['quarantined']}")
    head = f"{'stage':34s} {'tool':8s} {'wall s':>8s} {'CPU s':>8s} {'peak RSS MB':>12s} " \
           f"{'dachieu/x time':>15s} {'dachieu/x RSS':>14s}"
    print(head)
    print("-" * len(head))
    for key, stage in (("ingest", "(b) CSV -> Parquet ingest"), ("score_tables", "(a) score + province table")):
        d = res[key]["dachieu"]
        for tool in ("dachieu", "duckdb", "polars"):
            r = res[key][tool]
            name = stage if tool == "dachieu" else ""
            if r is None:
                print(f"{name:34s} {tool:8s} {'failed':>8s}")
                continue
            rt = "" if tool == "dachieu" else f"{ratio(d['wall_s'], r['wall_s']):.2f}"
            rm = "" if tool == "dachieu" else f"{ratio(d['rss_mb'], r['rss_mb']):.2f}"
            print(f"{name:34s} {tool:8s} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['rss_mb']:12.0f} {rt:>15s} {rm:>14s}")
        inner = ", ".join(f"{t} {res[key][t]['inner_s']:.2f} s" for t in ("duckdb", "polars") if res[key][t])
        note = f"peers in-process, without starting Python: {inner}"
        if key == "score_tables":
            s, t = d["score"], d["tables"]
            note = (f"dachieu score {s['wall_s']:.2f} s / {s['rss_mb']:.0f} MB + tables {t['wall_s']:.2f} s / "
                    f"{t['rss_mb']:.0f} MB; " + note)
        print(f"{'':34s} ({note})")
    if not res["checked"]:
        print("class counts: not checked (both peers failed)")
        return
    peers = " and ".join({"duckdb": "DuckDB", "polars": "Polars"}[t] for t in res["checked"])
    verdict = "agree exactly" if res["agree"] else f"DISAGREE ({len(res['mismatches'])} mismatches)"
    print(f"class counts of {res['provinces']} provinces ({', '.join(COUNT_COLUMNS)}): {peers} vs dachieu: {verdict}")
    for line in res["mismatches"][:50]:
        print(line)
    if len(res["mismatches"]) > 50:
        print(f"  … {len(res['mismatches']) - 50} more")


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gib": round(mem, 1), "system": platform.platform(),
            "load_average_1m": os.getloadavg()[0]}


def versions():
    import duckdb
    import polars
    v = subprocess.run([EXE, "--version"], capture_output=True, text=True).stdout.strip().removeprefix("dachieu ")
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"dachieu": f"{v} ({commit})" if commit else v, "duckdb": duckdb.__version__,
            "polars": polars.__version__, "python": platform.python_version()}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        return child(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="See the module docstring and benches/README.md.")
    ap.add_argument("sizes", nargs="*", type=int, help="numbers of households (default 1000000 5000000 27000000)")
    ap.add_argument("--input", metavar="DIR", help="benchmark the CSV files of DIR instead of generated data")
    ap.add_argument("--keep", action="store_true", help="keep the data and every output (paths are printed)")
    ap.add_argument("--json", metavar="PATH", help="write the results as JSON")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool and stage; the fastest counts (default 1)")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ap.add_argument("--threads", type=int, default=cpus, help=f"threads for every tool (default {cpus})")
    ap.add_argument("--polars-engine", default="streaming", choices=["streaming", "in-memory", "auto"],
                    help="engine that collects the Polars classification query (default streaming)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build first")
    ap.add_argument("--print-sql", metavar="DATASET", nargs="?", const="DATASET",
                    help="print the DuckDB macros and query (on DATASET's files) and exit")
    ap.add_argument("--exe", metavar="PATH", help="the dachieu binary to measure (implies --no-build; "
                                                  "default target/release/dachieu, built first)")
    args = ap.parse_args()
    if args.print_sql:
        ds = args.print_sql
        print(DUCKDB_MACROS + duckdb_query(os.path.join(ds, "survey_year=*", "households.parquet"),
                                           os.path.join(ds, "survey_year=*", "members.parquet"), []))
        return 0
    if args.input and args.sizes:
        ap.error("give either SIZES or --input DIR")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    ensure_venv()
    check_standard()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("error: /usr/bin/time is needed (Debian package `time`)")
    global EXE
    if args.exe:
        EXE = os.path.abspath(args.exe)
    elif not args.no_build:
        subprocess.check_call(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT)
    if not os.access(EXE, os.X_OK):
        sys.exit(f"error: {EXE} not found; build it with cargo build --release")

    info = {"machine": machine(), "versions": versions(), "dachieu_exe": EXE,
            "started": time.strftime("%Y-%m-%d %H:%M:%S"), "threads": args.threads,
            "polars_engine": args.polars_engine, "repeat": args.repeat, "results": []}
    m = info["machine"]
    print(f"machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gib']} GiB; "
          + ", ".join(f"{k} {v}" for k, v in info["versions"].items()), flush=True)
    if m["load_average_1m"] >= 0.5:
        print(f"warning: load average {m['load_average_1m']:.1f}: the machine is not quiet, timings will be noisy",
              flush=True)

    def save():
        if args.json:
            with open(args.json, "w") as f:
                json.dump(info, f, indent=2)

    status = 0
    for size in ([None] if args.input else (args.sizes or DEFAULT_SIZES)):
        work = tempfile.mkdtemp(prefix="dachieu-vs-peers-")
        try:
            if args.input:
                label, generator = os.path.abspath(args.input), "--input"
                hh_files, mem_files = find_tables(args.input)
            else:
                label = f"N = {size:,}"
                print(f"\n{label}: generating data in {work} …", flush=True)
                generator = generate(size, os.path.join(work, "data"))
                hh_files, mem_files = find_tables(os.path.join(work, "data"))
            print(f"{label}: running (b) ingest and (a) score + tables …", flush=True)
            res = bench_size(label, hh_files, mem_files, work, args, generator)
            res["work"] = work if args.keep else None
            info["results"].append(res)
            save()
            print_size(res)
            if res["failures"]:
                status = 2
            elif not res["agree"] and status == 0:
                status = 1
        except Failed as e:  # dachieu itself or the data: nothing to compare at this size
            print(f"error: {e}", file=sys.stderr)
            info["results"].append({"label": label, "error": str(e)})
            save()
            status = 2
        finally:
            if args.keep:
                print(f"kept: {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(f"\nwrote {args.json}")
    done = [r for r in info["results"] if "error" not in r]
    if len(done) > 1:
        print("\nsummary, dachieu / peer (time, peak RSS); targets: (a) time <= 1.0, (b) time <= 1.5, RSS < 1")
        for r in done:
            parts = []
            for key, tag in (("score_tables", "(a)"), ("ingest", "(b)")):
                d, cells = r[key]["dachieu"], []
                for p in ("duckdb", "polars"):
                    x = r[key][p]
                    cells.append(f"{p}: {ratio(d['wall_s'], x['wall_s']):.2f} / {ratio(d['rss_mb'], x['rss_mb']):.2f}"
                                 if x else f"{p}: failed")
                parts.append(f"{tag} " + ", ".join(cells))
            print(f"  {r['households']:>12,}  " + "   ".join(parts))
    if status == 1:
        print("\nclass counts DISAGREE: see the mismatches above", file=sys.stderr)
    elif status == 2:
        print("\nsome runs failed: see the errors above", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
