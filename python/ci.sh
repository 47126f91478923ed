#!/usr/bin/env bash
# Builds the Python package (maturin, abi3 wheel) in a fresh venv and runs its pytest suite.
# Needs python3 (3.9+) with venv and the Rust toolchain; maturin, pytest and pyarrow come from
# PyPI. PAYERLEX_VENV picks the venv folder (default python/.venv, reused when present).
set -euo pipefail
cd "$(dirname "$0")"
venv="${PAYERLEX_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "maturin>=1.5,<2" pytest "pyarrow>=14"
export CARGO_INCREMENTAL=0
# Clippy on the bindings, then an abi3 wheel installed into the venv.
cargo fmt -- --check
PYO3_PYTHON="$venv/bin/python" cargo clippy --all-targets -- -D warnings
rm -rf dist
"$venv/bin/maturin" build --release --out dist --interpreter "$venv/bin/python"
"$venv/bin/pip" install -q --force-reinstall --no-deps dist/payerlex-*.whl
# From tests/, so that `import payerlex` finds the installed wheel, not the source folder
# python/payerlex (which has no compiled module in a fresh clone).
venv_python="$(cd "$venv" && pwd)/bin/python"
(cd tests && "$venv_python" -m pytest -q .)
