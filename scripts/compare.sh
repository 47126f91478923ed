#!/usr/bin/env bash
# Same-run comparison of payerlex with hand-written Rust, regorus (Rego; interpreter and RVM)
# and zen-engine (JDM) on the six 3D rules and the same generated claims. Prints one Markdown
# table: instructions per claim (callgrind), ns per claim (best round), allocations and bytes
# per claim, with ratios to the hand-written reference. See crates/payerlex-compare/README.md.
#
# Usage: scripts/compare.sh            (about 3 minutes on a 2-core machine once built)
# Env:   CLAIMS=100000     claims for wall time and allocations
#        INSTR_CLAIMS=5000 claims for instruction counts (the first INSTR_CLAIMS of the same seed)
#        INSTR_ROUNDS=20   callgrind rounds for hand-written and payerlex modes
#        INSTR_SLOW_ROUNDS=2  callgrind rounds for regorus, regorus-rvm and zen
#        ENGINES=0         build without regorus and zen-engine (minutes instead of 20 on a
#                          first build): hand-written and payerlex modes only; CI's setting
#        MODES="a b"       modes to count (default: every mode the build has)
#        ROUNDS=5          timed rounds (best reported) for the fast modes
# Without valgrind the table is printed without instruction counts (and says so).
# Instruction counts need valgrind. Instructions per claim = (Ir(rounds) - Ir(0)) / (rounds * claims), so
# generating claims, loading the rules and preparing inputs cancel out.
set -euo pipefail
cd "$(dirname "$0")/.."
claims=${CLAIMS:-100000}
instr_claims=${INSTR_CLAIMS:-5000}
fast_rounds=${INSTR_ROUNDS:-20}
slow_rounds=${INSTR_SLOW_ROUNDS:-2}
timed_rounds=${ROUNDS:-5}
features=()
if [ "${ENGINES:-1}" = 0 ]; then
  features=(--no-default-features)
  modes=${MODES:-"handwritten payerlex payerlex-into payerlex-id payerlex-history payerlex-explain payerlex-build"}
else
  modes=${MODES:-"handwritten payerlex payerlex-into payerlex-id payerlex-history payerlex-explain payerlex-build regorus-rvm regorus zen"}
fi

manifest=crates/payerlex-compare/Cargo.toml
cargo build -q --release --manifest-path "$manifest" --bin measure ${features[@]+"${features[@]}"}
bin="${CARGO_TARGET_DIR:-crates/payerlex-compare/target}/release/measure"

# Agreement on exactly the claims that are about to be counted, before any counting.
"$bin" --claims "$instr_claims" --rounds 0 --slow-rounds 0 --quiet

ir() { # mode rounds -> instructions executed by the whole process
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --claims "$instr_claims" \
    --modes "$1" --no-check --quiet --rounds "$2" --slow-rounds "$2" 2>&1 \
    | sed -nE 's/.*Collected : ([0-9]+).*/\1/p'
}
instructions=()
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: no instruction counts (apt-get install valgrind)" >&2
  modes_counted=""
else
  modes_counted=$modes
fi
for mode in $modes_counted; do
  case $mode in regorus*|zen) rounds=$slow_rounds ;; *) rounds=$fast_rounds ;; esac
  base=$(ir "$mode" 0)
  full=$(ir "$mode" "$rounds")
  per_claim=$(( (full - base) / (rounds * instr_claims) ))
  echo "$mode: $per_claim instructions per claim ($rounds rounds of $instr_claims claims)" >&2
  instructions+=(--instructions "$mode=$per_claim")
done

cpu=$(sed -nE 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); $(rustc --version); $(valgrind --version);" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) before the timed run."
if [ -n "$modes_counted" ]; then
  echo "Instructions: callgrind, first $instr_claims claims, $fast_rounds rounds ($slow_rounds for regorus, RVM, zen)."
fi
"$bin" --claims "$claims" --rounds "$timed_rounds" --modes "$(echo $modes | tr ' ' ',')" \
  ${instructions[@]+"${instructions[@]}"}
