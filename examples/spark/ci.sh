#!/usr/bin/env bash
# The Spark recipe in local mode: builds the payerlex wheel (release) and `payerlex` (release),
# installs PySpark (PyPI; needs Java 17), and runs test_spark.py, which compares the recipe's
# decisions with `payerlex check` on the same generated claims and prints the throughput.
# PAYERLEX_VENV picks the venv folder (default examples/spark/.venv, reused when present);
# PAYERLEX_SPARK_CLAIMS the number of claims (default 4000).
set -euo pipefail
cd "$(dirname "$0")"
repo="$(cd ../.. && pwd)"
venv="${PAYERLEX_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "maturin>=1.5,<2" pytest "pyarrow>=14" "pyspark>=3.5,<5" "pandas<3"
export CARGO_INCREMENTAL=0
# maturin runs cargo from here, where python/.cargo/config.toml does not apply: build into the
# repository's target/ explicitly (never into python/target).
export CARGO_TARGET_DIR="$repo/target"
(cd "$repo" && cargo build -q --release -p payerlex-cli)
rm -rf dist
"$venv/bin/maturin" build --release -m "$repo/python/Cargo.toml" --out dist --interpreter "$venv/bin/python"
"$venv/bin/pip" install -q --force-reinstall --no-deps dist/payerlex-*.whl
PAYERLEX_BIN="$repo/target/release/payerlex" "$venv/bin/python" -m pytest -q -s test_spark.py
