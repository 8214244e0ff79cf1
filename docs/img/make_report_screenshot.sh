#!/bin/sh
# Regenerate docs/img/vi_report_first_screen.png: the first screen
# (1400 × 900 CSS px) of the sample's Vietnamese report as headless
# Chromium shows it. Needs a built dachieu (DACHIEU, default
# target/release/dachieu) and Chromium (CHROMIUM, default chromium;
# Debian: chromium). Run from the repository's root.
set -eu
DACHIEU=${DACHIEU:-target/release/dachieu}
CHROMIUM=${CHROMIUM:-chromium}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=1767225600 "$DACHIEU" run data-samples --out "$tmp/out" -q
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --user-data-dir="$tmp/profile" \
  --window-size=1400,900 --screenshot="$tmp/shot.png" \
  "file://$tmp/out/report/report_vi.html" 2> "$tmp/chromium.log" || {
  cat "$tmp/chromium.log" >&2
  exit 1
}
cp "$tmp/shot.png" docs/img/vi_report_first_screen.png
echo "wrote docs/img/vi_report_first_screen.png"
