#!/usr/bin/env bash
# Renders the HTML denial report (`payerlex report --format html`) of the bundled example
# claims in headless Chromium (Debian's package) and checks what a browser makes of it:
# the DOM holds one chart bar per top denial reason and the report's tables, and a 1200x1600
# screenshot is a real picture (not blank, not one colour). Exits non-zero on any failure.
#
# Run from anywhere: bash browser-tests/report.sh. Output goes to target/browser-tests/
# (report.html, dom.html, report.png; not committed). Needs root or chromium already installed.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/browser-tests
mkdir -p "$out"
script_start=$(date +%s%N)
step_start=$script_start

elapsed() { # seconds since $1 (nanoseconds), two decimals
  local now
  now=$(date +%s%N)
  awk -v a="$1" -v b="$now" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}
done_step() {
  echo "   ($(elapsed "$step_start") s)"
  step_start=$(date +%s%N)
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

echo "== chromium"
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null  # Debian's launcher warns about /dev/shm sizes on stderr
done_step

echo "== build the CLI"
cargo build -q -p payerlex-cli
bin="${CARGO_TARGET_DIR:-target}/debug/payerlex"
done_step

echo "== check the example claims, write the reports"
# `check` exits 1 on the example file: its last record is deliberately malformed.
set +e
"$bin" check --policies policies examples/claims.jsonl >"$out/decisions.jsonl" 2>/dev/null
status=$?
set -e
[ "$status" -le 1 ] || fail "payerlex check exited $status"
"$bin" report --format html "$out/decisions.jsonl" >"$out/report.html"
"$bin" report --format json "$out/decisions.jsonl" >"$out/report.json"
expected_bars=$(python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["by_rule"]["rows"]
print(min(10, len(rows)))' "$out/report.json")
[ "$expected_bars" -gt 0 ] || fail "the example decisions have no denial to chart"
echo "report.html: $(wc -c <"$out/report.html") bytes, $expected_bars top reasons"
done_step

page="file://$(pwd)/$out/report.html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile")

echo "== chromium --dump-dom"
timeout 120 chromium "${chromium_flags[@]}" --dump-dom "$page" >"$out/dom.html" 2>"$out/chromium-dom.log" \
  || fail "chromium --dump-dom failed (see $out/chromium-dom.log)"
python3 - "$out/dom.html" "$expected_bars" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
expected = int(sys.argv[2])
bars = re.findall(r'<g class="bar" data-rule="([^"]*)"', dom)
rects = re.findall(r'<g class="bar"[^>]*>.*?<rect ', dom, re.S)
checks = {
    "one <g class=bar> per top reason": len(bars) == expected,
    "each bar draws a <rect>": len(rects) == expected,
    "the chart is an <svg>": "<svg" in dom and 'class="chart"' in dom,
    "the by-rule table is there": re.search(r'<section id="by-rule">.*?<table>', dom, re.S) is not None,
    "a known denial rule is in a table cell":
        '<td class="text">medicare.3d-rendering/integral-to-angiography</td>' in dom,
    "every section has its table or text": all(
        f'<section id="{s}">' in dom
        for s in ["totals", "chart", "by-rule", "by-carc", "by-code", "by-payer", "fixes", "not-evaluated"]),
    "no script": "<script" not in dom,
}
for name, ok in checks.items():
    print(("ok   " if ok else "FAIL ") + name)
print(f"bars: {len(bars)} (expected {expected}); tables: {dom.count('<table>')}")
sys.exit(0 if all(checks.values()) else 1)
PY
done_step

echo "== chromium --screenshot"
rm -f "$out/report.png"
timeout 120 chromium "${chromium_flags[@]}" --screenshot="$out/report.png" --window-size=1200,1600 \
  "$page" >"$out/chromium-shot.log" 2>&1 || fail "chromium --screenshot failed (see $out/chromium-shot.log)"
[ -s "$out/report.png" ] || fail "no screenshot written"
file "$out/report.png"
python3 - "$out/report.png" <<'PY'
# Decodes the PNG (stdlib only: zlib and the five PNG row filters) and checks it is a real
# picture: large enough, the requested size, many colours, a fair share of non-white pixels.
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, colour_type, _, _, interlace = header
assert depth == 8 and colour_type in (2, 6) and interlace == 0, f"unexpected PNG layout {header}"
channels = 3 if colour_type == 2 else 4
raw = zlib.decompress(idat)
stride = width * channels
rows, previous, offset = [], bytearray(stride), 0
for _ in range(height):
    kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
    offset += 1 + stride
    for i in range(stride):
        left = line[i - channels] if i >= channels else 0
        up = previous[i]
        up_left = previous[i - channels] if i >= channels else 0
        if kind == 1: line[i] = (line[i] + left) & 255
        elif kind == 2: line[i] = (line[i] + up) & 255
        elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - up_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 255
    rows.append(bytes(line))
    previous = line
colours, non_white = set(), 0
for line in rows:
    for x in range(0, stride, channels):
        pixel = line[x:x + 3]
        colours.add(pixel)
        if pixel != b"\xff\xff\xff":
            non_white += 1
share = non_white / (width * height)
size_kb = len(data) / 1024
print(f"{width}x{height}, {size_kb:.0f} KB, {len(colours)} colours, {share:.1%} non-white pixels")
ok = size_kb > 20 and (width, height) == (1200, 1600) and len(colours) > 16 and share > 0.02
sys.exit(0 if ok else 1)
PY
done_step

echo "browser test passed in $(elapsed "$script_start") s; screenshot: $out/report.png"
