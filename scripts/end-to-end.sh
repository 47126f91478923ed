#!/usr/bin/env bash
# End to end: `payerlex check --policies policies` on a generated claims file, against a
# parse-and-write baseline that reads and parses the same file into claims with the same
# reader and writes the same bytes `payerlex check` wrote, without deciding
# (crates/payerlex-cli/examples/parse_and_write.rs). Prints wall time (best of ROUNDS), peak
# memory and, with valgrind, instructions per claim ((Ir(2n) - Ir(n)) / n, so loading the
# packs and starting up cancel out), each as payerlex / baseline.
#
# Usage: scripts/end-to-end.sh
# Env:   CLAIMS=200000       claims for wall time and memory (scripts/gen-claims.py, seed 1)
#        INSTR_CLAIMS=10000  n for instruction counts (the first n and 2n lines of the file)
#        ROUNDS=3            timed rounds, best reported
#        JOBS=1              payerlex check --jobs
set -euo pipefail
cd "$(dirname "$0")/.."
claims=${CLAIMS:-200000}
instr_claims=${INSTR_CLAIMS:-10000}
rounds=${ROUNDS:-3}
jobs=${JOBS:-1}
cargo build -q --release -p payerlex-cli --bin payerlex --example parse_and_write
target="${CARGO_TARGET_DIR:-target}/release"
payerlex="$target/payerlex"
baseline="$target/examples/parse_and_write"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/gen-claims.py --claims "$claims" --patients $((claims / 10 + 1)) --seed 1 >"$work/claims.jsonl"
head -n "$instr_claims" "$work/claims.jsonl" >"$work/n.jsonl"
head -n $((2 * instr_claims)) "$work/claims.jsonl" >"$work/2n.jsonl"

check() { # input output -> exit status 0 or 1 (denials) is success
  "$payerlex" check --policies policies --jobs "$jobs" "$1" >"$2" || [ $? -eq 1 ]
}
for f in claims n 2n; do check "$work/$f.jsonl" "$work/$f.out"; done

best() { # command... -> best wall seconds and peak KiB over $rounds runs: "seconds kib"
  local best_s="" best_kb=0 line s kb
  for _ in $(seq "$rounds"); do
    /usr/bin/time -o "$work/time" -f '%e %M' "$@" >/dev/null 2>/dev/null || true
    line=$(tail -n1 "$work/time")
    s=${line% *}
    kb=${line#* }
    if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; fi
    [ "$kb" -gt "$best_kb" ] && best_kb=$kb
  done
  echo "$best_s $best_kb"
}
# Exit 1 (some line denied) is payerlex's success here.
read -r p_s p_kb < <(best bash -c "\"$payerlex\" check --policies policies --jobs $jobs \"$work/claims.jsonl\"; [ \$? -le 1 ]")
read -r b_s b_kb < <(best "$baseline" "$work/claims.jsonl" "$work/claims.out")

ir() { # command... -> instructions
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
    | sed -nE 's/.*Collected : ([0-9]+).*/\1/p'
}
if command -v valgrind >/dev/null; then
  p_ir=$(( ($(ir "$payerlex" check --policies policies --jobs "$jobs" "$work/2n.jsonl") \
           - $(ir "$payerlex" check --policies policies --jobs "$jobs" "$work/n.jsonl")) / instr_claims ))
  b_ir=$(( ($(ir "$baseline" "$work/2n.jsonl" "$work/2n.out") \
           - $(ir "$baseline" "$work/n.jsonl" "$work/n.out")) / instr_claims ))
else
  p_ir="" b_ir=""
  echo "valgrind is not installed: no instruction counts (apt-get install valgrind)" >&2
fi

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2fx\", $1 / $2; else print \"-\" }"; }
bytes=$(wc -c <"$work/claims.out")
echo "end to end on $claims generated claims ($(wc -c <"$work/claims.jsonl") bytes in, $bytes bytes out), payerlex check --jobs $jobs:"
echo
echo "| measure | payerlex check | parse-and-write baseline | ratio |"
echo "|---|--:|--:|--:|"
echo "| wall seconds (best of $rounds) | $p_s | $b_s | $(ratio "$p_s" "$b_s") |"
echo "| claims per second | $(awk "BEGIN{printf \"%d\", $claims / $p_s}") | $(awk "BEGIN{printf \"%d\", $claims / $b_s}") | |"
echo "| peak resident MiB | $((p_kb / 1024)) | $((b_kb / 1024)) | |"
if [ -n "$p_ir" ]; then
  echo "| instructions per claim (callgrind, $instr_claims vs $((2 * instr_claims)) claims) | $p_ir | $b_ir | $(ratio "$p_ir" "$b_ir") |"
fi
