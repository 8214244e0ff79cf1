"""Run a query from `dachieu sql` (written without --by) with DuckDB and
write its household rows to Parquet, as a warehouse would before
`dachieu sql import`.

usage: export.py DATASET QUERY.sql OUT [SELECT]

OUT ending in `/` is a folder with one file per survey year (as Spark
writes several files); otherwise one file. SELECT, when given, is the
select list applied to the query's rows (e.g. `* EXCLUDE (class)`), to make
a file the import must refuse.
"""
import os
import sys
import duckdb

dataset, query, out = sys.argv[1:4]
select = sys.argv[4] if len(sys.argv) > 4 else "*"
con = duckdb.connect()
for t in ("households", "members"):
    con.execute(
        f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{dataset}/*/{t}.parquet', "
        "hive_partitioning = true, union_by_name = true)"
    )
con.execute(f"CREATE TABLE q AS {open(query, encoding='utf-8').read()}")
if out.endswith("/"):
    os.makedirs(out, exist_ok=True)
    for (y,) in con.execute("SELECT DISTINCT survey_year FROM q").fetchall():
        con.execute(
            f"COPY (SELECT {select} FROM q WHERE survey_year = {y}) "
            f"TO '{out}part-{y}.parquet' (FORMAT parquet)"
        )
else:
    con.execute(f"COPY (SELECT {select} FROM q) TO '{out}' (FORMAT parquet)")
