#!/bin/sh
# Regenerate the README's chart gallery, docs/img/<lang>_<chart>.png, from
# the sample (data-samples/): the charts a run draws under
# out/report/charts/<lang>/, copied under the names the README shows. A
# chart the run does not draw (poor_trend before the trend chart exists) is
# said and skipped; any other missing chart fails. Needs a built dachieu
# (DACHIEU, default target/release/dachieu). Run from the repository's root.
set -eu
DACHIEU=${DACHIEU:-target/release/dachieu}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=1767225600 "$DACHIEU" run data-samples --out "$tmp/out" -q
# <lang>/<chart>, optional charts marked with a trailing '?'.
for chart in vi/poor_by_province en/deprivation_by_indicator \
             vi/map_provinces_63 vi/map_units_34 vi/poor_change_by_province \
             en/cutoff_sensitivity vi/poor_trend?; do
  optional=false
  case $chart in *\?) optional=true; chart=${chart%\?} ;; esac
  lang=${chart%%/*}
  name=${chart#*/}
  src="$tmp/out/report/charts/$lang/$name.png"
  if [ ! -f "$src" ]; then
    if $optional; then
      echo "skipped docs/img/${lang}_$name.png: the run draws no $name chart"
      continue
    fi
    echo "missing $src" >&2
    exit 1
  fi
  cp "$src" "docs/img/${lang}_$name.png"
  echo "wrote docs/img/${lang}_$name.png"
done
