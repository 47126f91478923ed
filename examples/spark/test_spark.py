"""The Spark recipe in local mode (local[2]) decides as ``payerlex check`` does on the same
claims written as JSON Lines: generated claims with patients whose claims sit in several
input partitions, compared line by line (outcome or error code, rules, CARC)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import payerlex

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
POLICIES = str(REPO / "policies")
CLAIMS = int(os.environ.get("PAYERLEX_SPARK_CLAIMS", "4000"))
PATIENTS = CLAIMS // 10

sys.path.insert(0, str(HERE))
from recipe import decide  # noqa: E402


def payerlex_bin():
    path = os.environ.get("PAYERLEX_BIN", str(REPO / "target" / "release" / "payerlex"))
    if not Path(path).exists():
        pytest.fail(f"{path} is not built: cargo build --release -p payerlex-cli (or set PAYERLEX_BIN)")
    return path


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # Python workers run this interpreter (the one with payerlex and pyarrow installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("payerlex-spark-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def generated(tmp_path):
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen-claims.py"), "--claims", str(CLAIMS),
         "--patients", str(PATIENTS), "--seed", "7"],
        check=True, capture_output=True, text=True,
    ).stdout
    path = tmp_path / "claims.jsonl"
    path.write_text(out)
    return path, [json.loads(line) for line in out.splitlines()]


def expected(path, claims):
    """Per (claim, line): outcome or error code, rules, CARC, from `payerlex check`."""
    run = subprocess.run(
        [payerlex_bin(), "check", "--policies", POLICIES, str(path)],
        capture_output=True, text=True,
    )
    assert run.returncode in (0, 1), run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(records) == len(claims)
    out = {}
    for claim, record in zip(claims, records):
        for index, line in enumerate(claim["lines"]):
            key = (claim["id"], line["number"])
            if "lines" not in record:
                out[key] = (record["code"], [], None)
                continue
            decided = record["lines"][index]
            rules = [f["rule"] for f in decided["findings"]]
            carc = next((f["carc"] for f in decided["findings"] if f.get("carc")), None)
            out[key] = (decided["outcome"], rules, carc)
    return out


def test_spark_recipe_decides_as_payerlex_check(spark, tmp_path):
    path, claims = generated(tmp_path)
    want = expected(path, claims)
    # Input spread over 6 Parquet files in generated (date) order: a patient's claims of
    # different dates sit in different files, so in different input partitions.
    table = payerlex.lines_table(claims)
    folder = tmp_path / "lines"
    folder.mkdir()
    step = -(-table.num_rows // 6)
    for part in range(6):
        pq.write_table(table.slice(part * step, step), folder / f"part-{part}.parquet")
    lines = spark.read.parquet(str(folder))
    from pyspark.sql import functions as F

    spread = (
        lines.select("payer", "patient", F.spark_partition_id().alias("p")).distinct()
        .groupBy("payer", "patient").count().where("count > 1").count()
    )
    assert spread > 0, "some patient's rows start in more than one partition"

    started = time.perf_counter()
    rows = decide(lines, POLICIES).collect()
    seconds = time.perf_counter() - started
    print(f"\nspark local[2]: {len(claims)} claims ({len(rows)} lines) in {seconds:.1f} s "
          f"= {len(claims) / seconds:.0f} claims/s")
    got = {}
    for row in rows:
        status = row["outcome"] if row["outcome"] is not None else row["error_code"]
        got[(row["claim"], row["line"])] = (status, list(row["rules"] or []), row["carc"])
    assert len(got) == len(want)
    differing = [k for k in want if got.get(k) != want[k]]
    assert not differing, f"{len(differing)} lines differ, e.g. {differing[0]}: {got.get(differing[0])} != {want[differing[0]]}"
    # History mattered: some decision reads an earlier claim of its patient.
    assert any(v[0] == "deny" for v in want.values())
