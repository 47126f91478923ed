#!/usr/bin/env bash
# The 3D hot path of this tree against an earlier commit, measured in one run: instructions
# per claim of the bench mix under callgrind (`scripts/instructions.sh`'s method, each tree's
# own `examples/instructions.rs`), then, unless CRITERION=0, the criterion bench
# `check_3d_claim_mix` run alternately in each tree. The bench policy and claims must be the
# same in both trees (they are fixed since 1d604c1; the script checks).
#
# Usage: scripts/hot-path-vs.sh [COMMIT] [ROUNDS]      (default 1d604c1, the engine before
#        issue 9's general language; 300 rounds)
# Needs valgrind. The other tree is built in a worktree under target/hot-path-vs/ (its first
# build takes a few minutes).
set -euo pipefail
commit=${1:-1d604c1}
rounds=${2:-300}
cd "$(dirname "$0")/.."
here=$(pwd)
work="$here/target/hot-path-vs"
tree="$work/tree-$commit"
mkdir -p "$work"
if [ ! -d "$tree" ]; then
  git worktree add --detach "$tree" "$commit" >/dev/null
fi
for file in crates/payerlex/benches/support/three_d.policy; do
  if ! git diff --quiet "$commit" HEAD -- "$file"; then
    echo "$file differs between $commit and HEAD: the figures would not be comparable" >&2
    exit 1
  fi
done
export CARGO_INCREMENTAL=0
build() { # tree target-dir
  (cd "$1" && CARGO_TARGET_DIR="$2" cargo build -q --release -p payerlex --example instructions)
}
count() { # binary rounds
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" payerlex "$2" 2>&1 \
    | sed -nE 's/.*Collected : ([0-9]+).*/\1/p'
}
per_claim() { # binary
  local claims base full
  claims=$("$1" payerlex 1 | sed -E 's/^[a-z]+: ([0-9]+) claims.*/\1/')
  base=$(count "$1" 0)
  full=$(count "$1" "$rounds")
  echo $(( (full - base) / (rounds * claims) ))
}
build "$tree" "$work/target-$commit"
build "$here" "${CARGO_TARGET_DIR:-$here/target}"
before=$(per_claim "$work/target-$commit/release/examples/instructions")
now=$(per_claim "${CARGO_TARGET_DIR:-$here/target}/release/examples/instructions")
echo "instructions per claim (bench mix, check + drop): $commit $before, HEAD $now," \
  "ratio $(awk -v a="$now" -v b="$before" 'BEGIN { printf "%.2f", a / b }')"
if [ "${CRITERION:-1}" != 0 ]; then
  for run in 1 2; do
    for side in "$commit:$tree:$work/target-$commit" "HEAD:$here:${CARGO_TARGET_DIR:-$here/target}"; do
      IFS=: read -r name dir target <<<"$side"
      echo "criterion run $run, $name:"
      (cd "$dir" && CARGO_TARGET_DIR="$target" cargo bench -q -p payerlex --bench check \
        -- check_3d_claim_mix 2>&1 | grep -E "^check_3d|  time:" | grep -v "%")
    done
  done
fi
