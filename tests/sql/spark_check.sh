#!/usr/bin/env bash
# The SQL check on Spark in local mode, once, by hand (too slow for CI):
# installs a Debian JRE and PySpark + DuckDB from PyPI into a venv, then for
# every bundled standard and the Đồng Nai example scores a dataset with the
# engine, runs `dachieu sql --dialect spark` on Spark and compares the rows
# with tests/sql/check.py.
#   tests/sql/spark_check.sh [DATASET]   (default: the ingested sample)
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${SPARK_CHECK_DIR:-target/spark-check}"
mkdir -p "$work"
if ! command -v java >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
fi
venv="${SPARK_VENV:-$work/venv}"
if ! "$venv/bin/python" -c "import pyspark, duckdb" >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pyspark "duckdb==2.0.1"
fi
cargo build --locked -q
bin=target/debug/dachieu
dataset="${1:-}"
if [ -z "$dataset" ]; then
  dataset="$work/dataset"
  rm -rf "$dataset"
  "$bin" ingest data-samples --dataset "$dataset" --quarantine "$work/quarantine.csv" -q || true
fi
status=0
for st in $("$bin" standards list | awk 'NR > 1 && $2 ~ /^[0-9]+[.]/ {print $1}') indicators/examples/dong-nai-2022-2025; do
  w="$work/$(basename "$st")"
  rm -rf "$w" && mkdir -p "$w"
  "$bin" score --dataset "$dataset" --out "$w/scored" --standard "$st" -q || true
  "$bin" tables --scored "$w/scored" --out "$w/tables" --by province,area --format csv -q >/dev/null || true
  "$bin" sql --standard "$st" --dataset "$dataset" --dialect spark --out "$w/households.sql"
  "$bin" sql --standard "$st" --dataset "$dataset" --dialect spark --by province,area --out "$w/rates.sql"
  "$venv/bin/python" tests/sql/spark.py "$dataset" "$w/households.sql" "$w/households" "$w/rates.sql" "$w/rates"
  echo -n "$st on Spark: "
  "$venv/bin/python" tests/sql/check.py "$dataset" "$w/households" "$w/scored" "$w/rates" "$w/tables/rates_*.csv" || status=1
done
exit $status
