#!/usr/bin/env bash
# The whole `run` (ingest, score, tables, comparison, report) of two dachieu
# binaries on the same synthetic data, interleaved A B A B …, each round in
# a fresh output folder; prints each time, the medians and the ratio
# new / previous. Used for issue 21 ("run tabulates once: not slower on
# 1 M households"): PREVIOUS is a release build of the commit before.
#
#   benches/run_vs_previous.sh PREVIOUS_BIN NEW_BIN [HOUSEHOLDS] [ROUNDS]
#
# Data: `synth --households N --years 2020,2021` (a census of N households a
# year, both years scored, so the comparison runs too), made once by NEW_BIN.
set -euo pipefail
prev="$1"; new="$2"; n="${3:-1000000}"; rounds="${4:-3}"
work="${BENCH_DIR:-target/bench-run}"
mkdir -p "$work"
if [ ! -f "$work/synth-$n/households.csv" ]; then
  "$new" synth --households "$n" --years 2020,2021 --out "$work/synth-$n" --quiet
fi
time_run() {
  rm -rf "$work/out"
  local t0 t1
  t0=$(date +%s.%N)
  "$1" run "$work/synth-$n" --out "$work/out" --quiet --threads 2 || [ $? -eq 1 ]
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
declare -a tp tn
for i in $(seq 1 "$rounds"); do
  tp+=("$(time_run "$prev")"); tn+=("$(time_run "$new")")
  echo "round $i: previous ${tp[-1]} s, new ${tn[-1]} s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mp=$(median "${tp[@]}"); mn=$(median "${tn[@]}")
echo "median: previous $mp s, new $mn s; new / previous = $(echo "scale=3; $mn / $mp" | bc)"
