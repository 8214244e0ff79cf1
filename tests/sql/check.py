"""Run a query from `dachieu sql` with DuckDB and compare it with the engine.

usage: check.py DATASET QUERY.sql SCORED_DIR [TABLE_QUERY.sql RATES.csv]

QUERY.sql and TABLE_QUERY.sql may instead be folders of Parquet files that
another engine (Spark) wrote from the query: they are then read, not run.

Binds `households` and `members` to the dataset's Parquet files as the
query's header says, runs the query, and compares household by household
with the engine's scored.parquet files (class, poor_path, measure,
deprivations_min/max, possible_classes, every indicator, unknown_indicators,
the score range and severe flag where present; household columns the engine
carries through from the input are not the query's); then, when given, the rate
table query against the engine's rates CSV, cell for cell (counts exactly,
weighted sums and rates to 1e-9 relative). Prints a summary line and up
to 10 differences; exits 1 on any difference.
"""
import os
import sys
import duckdb

dataset, query, scored = sys.argv[1:4]
con = duckdb.connect()
for t in ("households", "members"):
    con.execute(
        f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{dataset}/*/{t}.parquet', "
        "hive_partitioning = true, union_by_name = true)"
    )
def result(path):
    """The query's rows: run it, or read what another engine wrote."""
    if os.path.isdir(path):
        return f"SELECT * FROM read_parquet('{path}/*.parquet')"
    return open(path, encoding="utf-8").read()


con.execute(f"CREATE TABLE q AS {result(query)}")
con.execute(
    f"CREATE TABLE e AS SELECT * FROM read_parquet('{scored}/*/scored.parquet', union_by_name = true)"
)
qcols = [r[0] for r in con.execute("DESCRIBE q").fetchall()]
# Household columns outside the contract (a head's name, a village) are
# carried into the engine's scored file after its own columns; the query
# classifies and does not carry them, so they are not compared.
hcols = {r[0] for r in con.execute("DESCRIBE households").fetchall()}
ecols = [
    r[0]
    for r in con.execute("DESCRIBE e").fetchall()
    if r[0] in qcols or r[0] not in hcols
]
bad = []
if qcols != ecols:
    bad.append(f"columns differ:\n  query  {qcols}\n  engine {ecols}")
keys = ("survey_year", "household_id")
n_q = con.execute("SELECT count(*) FROM q").fetchone()[0]
n_e = con.execute("SELECT count(*) FROM e").fetchone()[0]
if n_q != n_e:
    bad.append(f"{n_q} households from the query, {n_e} from the engine")
common = [c for c in ecols if c in qcols and c not in keys]
join = "FROM e FULL JOIN q USING (survey_year, household_id)"
differs = lambda c: f'e."{c}" IS DISTINCT FROM q."{c}"'
counts = con.execute(
    "SELECT " + ", ".join(f"count(*) FILTER (WHERE {differs(c)})" for c in common) + " " + join
).fetchone()
for c, n in zip(common, counts):
    if n:
        rows = con.execute(
            f'SELECT survey_year, household_id, e."{c}", q."{c}" {join} WHERE {differs(c)} LIMIT 3'
        ).fetchall()
        bad.append(f"{c}: {n} households differ, e.g. {rows}")
checked = f"{n_e} households, {len(common)} columns"
if len(sys.argv) > 5:
    tquery, rates = sys.argv[4:6]
    con.execute(f"CREATE TABLE tq AS {result(tquery)}")
    con.execute(f"CREATE TABLE te AS SELECT * FROM (SELECT DISTINCT * FROM read_csv('{rates}', all_varchar = true, union_by_name = true))")
    tcols = [r[0] for r in con.execute("DESCRIBE tq").fetchall()]
    tecols = [r[0] for r in con.execute("DESCRIBE te").fetchall()]
    shared = [c for c in tcols if c in tecols and c not in ("survey_year", "level", "code")]
    missing = [c for c in tecols if c not in tcols and c not in ("standard", "name") and not c.startswith("af_")]
    if missing:
        bad.append(f"rate columns the query lacks: {missing}")
    n_tq = con.execute("SELECT count(*) FROM tq").fetchone()[0]
    n_te = con.execute("SELECT count(*) FROM te").fetchone()[0]
    if n_tq != n_te:
        bad.append(f"{n_tq} table rows from the query, {n_te} from the engine")
    cells = 0
    for c in shared:
        diff = con.execute(
            f'SELECT te.survey_year, te.level, te.code, te."{c}", tq."{c}" FROM te '
            f"FULL JOIN tq ON CAST(tq.survey_year AS VARCHAR) = te.survey_year "
            f"AND tq.level = te.level AND tq.code = te.code "
            f'WHERE NOT ((te."{c}" IS NULL OR te."{c}" = \'\') AND tq."{c}" IS NULL) AND '
            f'(te."{c}" IS NULL OR tq."{c}" IS NULL OR '
            f'abs(CAST(te."{c}" AS DOUBLE) - CAST(tq."{c}" AS DOUBLE)) > '
            f'1e-9 * greatest(1, abs(CAST(te."{c}" AS DOUBLE))))'
        ).fetchall()
        cells += n_te
        if diff:
            bad.append(f"rates {c}: {len(diff)} cells differ, e.g. {diff[:3]}")
    checked += f"; {n_te} table rows, {cells} cells"
print(f"{'DIFFERENCES' if bad else 'same'}: {checked}")
for b in bad[:10]:
    print("  " + b)
sys.exit(1 if bad else 0)
