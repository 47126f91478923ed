#!/usr/bin/env bash
# The policy playground of `payerlex-serve` in headless Chromium (Debian's package, driven by
# playwright-core from npm: no browser download). Starts the service on a loopback port with
# in-memory state, then browser-tests/playground.mjs types a broken policy (its diagnostic
# must appear), fixes it (a decision with its explanation must appear), edits the claim (the
# decision must change) and takes screenshots. Exits non-zero on any failure.
#
# Run from anywhere: bash browser-tests/playground.sh. Output goes to target/browser-tests/
# (playground.png, playground-broken.png, service.log; not committed). Needs root or
# chromium already installed, and the npm registry for playwright-core.
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
chromium --version 2>/dev/null
done_step

echo "== playwright-core (npm, locked)"
(cd browser-tests && npm ci --no-audit --no-fund --loglevel=error)
done_step

echo "== build payerlex-serve"
(cd crates/payerlex-service && cargo build -q --bin payerlex-serve)
bin="${CARGO_TARGET_DIR:-target}/debug/payerlex-serve"
done_step

echo "== start the service on a loopback port"
log="$out/service.log"
"$bin" --policies policies --memory --addr 127.0.0.1:0 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
addr=""
for _ in $(seq 1 300); do
  addr=$(sed -n 's|.*listening on http://\([^ ]*\).*|\1|p' "$log" | head -1)
  [ -n "$addr" ] && break
  kill -0 "$server" 2>/dev/null || fail "payerlex-serve exited (see $log)"
  sleep 0.1
done
[ -n "$addr" ] || fail "payerlex-serve did not start (see $log)"
echo "listening on $addr"
done_step

echo "== drive the playground"
rm -f "$out/playground.png" "$out/playground-broken.png"
timeout 180 node browser-tests/playground.mjs "http://$addr/playground" "$out" \
  || fail "the playground checks failed"
for shot in playground.png playground-broken.png; do
  [ "$(stat -c %s "$out/$shot")" -gt 20000 ] || fail "$shot is not a real picture"
done
ls -l "$out"/playground*.png
done_step

echo "browser test passed in $(elapsed "$script_start") s; screenshots: $out/playground.png, $out/playground-broken.png"
