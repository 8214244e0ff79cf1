#!/bin/sh
# Regenerate docs/img/vi_form_poor.png: the poor-household summary form of
# the sample's Điện Biên households (2021 → 2022), the first page LibreOffice
# prints of the Vietnamese workbook. Needs a built dachieu (DACHIEU, default
# target/release/dachieu) and LibreOffice Calc and poppler-utils (Debian:
# libreoffice-calc poppler-utils). Run from the repository's root.
set -eu
DACHIEU=${DACHIEU:-target/release/dachieu}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
awk -F, 'NR == 1 || $3 == "11"' data-samples/households.csv > "$tmp/in/households.csv"
# members.csv has no province column: keep the members of those households.
awk -F, 'NR == FNR { if (FNR > 1) keep[$1 "," $2] = 1; next }
         FNR == 1 || ($1 "," $2) in keep' "$tmp/in/households.csv" data-samples/members.csv \
  > "$tmp/in/members.csv"
SOURCE_DATE_EPOCH=1767225600 "$DACHIEU" run "$tmp/in" --out "$tmp/out" --lang vi -q
soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/out/report/tables_vi.xlsx" > /dev/null
pdftoppm -png -r 110 -f 1 -l 1 -singlefile "$tmp/tables_vi.pdf" docs/img/vi_form_poor
echo "wrote docs/img/vi_form_poor.png"
