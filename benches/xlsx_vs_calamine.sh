#!/usr/bin/env bash
# dachieu ingest of an XLSX workbook against calamine reading the same
# sheets alone (the floor), in the same run, taking turns.
#
#   benches/xlsx_vs_calamine.sh [HOUSEHOLDS] [ROUNDS]     (default 200000 3)
#
# Makes `dachieu synth --households N --format csv`, converts it once into
# one workbook (sheets `households` and `members`, numbers as numbers, ids
# and codes with a leading zero as text: `cargo run --example xlsx_bench --
# write`), then each round times, under /usr/bin/time:
#   calamine   `xlsx_bench read BOOK`: opens the workbook and reads every
#              cell of both sheets with calamine's streaming cell reader;
#   dachieu    `dachieu ingest BOOK` (validated Parquet dataset + quarantine);
#   previous   the same with $PREVIOUS (a release binary), if set.
# Prints wall, CPU (user + sys) and peak RSS per round, the medians and
# dachieu / calamine. Files go under ${TMPDIR:-/tmp}/dachieu-xlsx-N (kept:
# the workbook takes minutes to write). NO_BUILD=1 skips the build.
set -euo pipefail
n=${1:-200000}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${TMPDIR:-/tmp}/dachieu-xlsx-$n
mkdir -p "$work"
if [ -z "${NO_BUILD:-}" ]; then
    (cd "$root" && cargo build --release --locked --bin dachieu --example xlsx_bench)
fi
exe=$root/target/release/dachieu
helper=$root/target/release/examples/xlsx_bench
book=$work/book.xlsx
if [ ! -f "$book" ]; then
    "$exe" synth --households "$n" --format csv --out "$work/csv" -q
    "$helper" write "$work/csv" "$book.part"
    mv "$book.part" "$book"
fi
echo "workbook: $book ($(du -mL "$book" | cut -f1) MB; $(($(wc -l <"$work/csv/households.csv") - 1)) households, $(($(wc -l <"$work/csv/members.csv") - 1)) members)"

times=$work/times.txt
: >"$times"
run() { # NAME COMMAND...
    local name=$1
    shift
    cat "$book" >/dev/null # the page cache holds the workbook for every tool
    /usr/bin/time -f "$name %e %U %S %M" -o "$work/t" "$@" >/dev/null
    cat "$work/t" >>"$times"
}
ingest() { # NAME BINARY OUT
    rm -rf "$3"
    run "$1" "$2" ingest "$book" --dataset "$3/dataset" --quarantine "$3/quarantine.csv" -q
}
for r in $(seq "$rounds"); do
    run calamine "$helper" read "$book"
    ingest dachieu "$exe" "$work/out"
    if [ -n "${PREVIOUS:-}" ]; then
        ingest previous "$PREVIOUS" "$work/out-previous"
    fi
    echo "round $r done"
done
if [ -n "${PREVIOUS:-}" ]; then
    for f in households members; do
        cmp "$work/out/dataset/survey_year=2020/$f.parquet" \
            "$work/out-previous/dataset/survey_year=2020/$f.parquet"
    done
    cmp "$work/out/quarantine.csv" "$work/out-previous/quarantine.csv"
    echo "dataset and quarantine: byte-identical to the previous binary's"
fi
awk '
{ wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4); rss[$1] = rss[$1] " " $5
  printf "%-9s wall %7.2f s  CPU %7.2f s  peak RSS %6.0f MB\n", $1, $2, $3 + $4, $5 / 1024 }
function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
    print "medians:"
    for (k in wall) {
        w[k] = median(wall[k]); c[k] = median(cpu[k]); m[k] = median(rss[k]) / 1024
        printf "%-9s wall %7.2f s  CPU %7.2f s  peak RSS %6.0f MB\n", k, w[k], c[k], m[k]
    }
    printf "dachieu / calamine: wall %.2f, CPU %.2f\n", w["dachieu"] / w["calamine"], c["dachieu"] / c["calamine"]
    if ("previous" in w)
        printf "previous / calamine: wall %.2f, CPU %.2f\n", w["previous"] / w["calamine"], c["previous"] / c["calamine"]
}' "$times"
