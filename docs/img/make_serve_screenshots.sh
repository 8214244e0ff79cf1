#!/bin/sh
# Regenerate docs/img/serve_data.png, serve_run.png and serve_results.png:
# the three pages of `dachieu serve` on the sample, as headless Chromium
# shows them. Needs a built dachieu (DACHIEU, default target/release/dachieu),
# curl and chromium (Debian: chromium curl). Run from the repository's root.
set -eu
DACHIEU=${DACHIEU:-target/release/dachieu}
tmp=$(mktemp -d)
SOURCE_DATE_EPOCH=1767225600 "$DACHIEU" serve --no-open --port 0 --data "$tmp/data" > "$tmp/log" &
pid=$!
trap 'kill $pid; rm -rf "$tmp"' EXIT
until grep -q 'http://' "$tmp/log"; do sleep 0.2; done
url=$(grep -o 'http://[^ ]*/' "$tmp/log" | head -n 1)
token=$(curl -s "${url}data" | grep -o 'token=[0-9a-f]*' | head -n 1 | cut -d= -f2)
curl -s -o /dev/null -F "files=@data-samples/households.csv" -F "files=@data-samples/members.csv" \
  "${url}upload?token=$token"
shot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --user-data-dir="$tmp/profile" \
    --window-size=1280,"$2" --screenshot="docs/img/serve_$1.png" "${url}$1" 2>/dev/null
}
shot data 1400
curl -s -o /dev/null -d 'missing=&by=' "${url}run?token=$token"
# The run page while the run goes on, then the results once it is done.
shot run 900
until curl -s "${url}progress" | grep -q '"running":false'; do sleep 0.5; done
shot results 1700
echo "wrote docs/img/serve_data.png serve_run.png serve_results.png"
