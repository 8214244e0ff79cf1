#!/usr/bin/env bash
# Whole-pipeline throughput: `dachieu run` (CSV ingest → score → tables) on N
# households replicated from the sample, timed with /usr/bin/time -v.
# usage: benches/pipeline.sh [HOUSEHOLDS=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --locked -q
python3 benches/replicate_sample.py "$n" "$work/in"
for stage in run; do
  /usr/bin/time -v target/release/dachieu run "$work/in" --out "$work/out" --quiet 2> "$work/time.txt" || true
  wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
  secs=$(python3 -c "p='$wall'.split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))")
  python3 -c "print(f'dachieu run, $n households: {$secs:.2f} s wall, {$n/$secs:,.0f} households/s, peak RSS {$rss/1024:.0f} MB')"
done
