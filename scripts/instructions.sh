#!/usr/bin/env bash
# Instruction counts per claim, payerlex vs the hand-written baseline, under valgrind.
# Instructions are repeatable where wall time is not. Usage: scripts/instructions.sh [ROUNDS]
# Needs valgrind (apt-get install valgrind). Prints instructions per claim for each mode,
# computed as (Ir(ROUNDS) - Ir(0)) / (ROUNDS * claims), so set-up cost cancels out.
set -euo pipefail
rounds=${1:-2000}
cd "$(dirname "$0")/.."
cargo build -q --release -p payerlex --example instructions
bin="${CARGO_TARGET_DIR:-target}/release/examples/instructions"
claims=$("$bin" payerlex 1 | sed -E 's/^[a-z]+: ([0-9]+) claims.*/\1/')
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 \
    | sed -nE 's/.*Collected : ([0-9]+).*/\1/p'
}
for mode in handwritten payerlex; do
  base=$(count "$mode" 0)
  full=$(count "$mode" "$rounds")
  echo "$mode: $(( (full - base) / (rounds * claims) )) instructions per claim"
done
