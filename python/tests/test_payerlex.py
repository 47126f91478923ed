"""The Python package through its public API: loading (and failing to load) packs, deciding
one claim with and without history, JSON Lines files, and Arrow tables and batch streams,
each compared with the JSON Lines path on the same claims."""

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

import payerlex

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "policies"
EXAMPLES = REPO / "examples" / "claims.jsonl"


@pytest.fixture(scope="module")
def engine():
    return payerlex.Engine.load(POLICIES)


def examples():
    return [json.loads(line) for line in EXAMPLES.read_text().splitlines()]


def example(claim_id):
    return next(c for c in examples() if c["id"] == claim_id)


def without_time(record):
    record = dict(record)
    record.pop("decided_at", None)
    return record


def generated(count, patients):
    """Example claims under repeat patients, sorted as the Arrow input wants."""
    templates = examples()
    claims = []
    for i in range(count):
        claim = json.loads(json.dumps(templates[i % len(templates)]))
        claim["id"] = f"G{i:05d}"
        claim["patient"] = f"Q{(i * 7) % patients:03d}"
        for line in claim["lines"]:
            line["date"] = f"2026-03-{2 + (i * 3) % 4:02d}"
        claims.append(claim)
    claims.sort(key=lambda c: (c["payer"], c["patient"], c["lines"][0]["date"], c["id"]))
    return claims


def test_check_decides_a_claim_as_check_jsonl_does(engine, tmp_path):
    claim = example("M-both-3d")
    decision = engine.check(claim)
    assert decision["claim"] == "M-both-3d"
    assert decision["outcome"] in ("allow", "deny", "review")
    assert "decided_at" not in decision
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(claim) + "\n")
    [record] = engine.check_jsonl(path)
    assert without_time(record) == decision
    assert engine.check(json.dumps(claim)) == decision


def test_history_changes_the_decision_of_a_later_claim(engine):
    earlier = [example("M-hosp-facility"), example("M-hosp-radiologist")]
    second_reader = example("M-hosp-second-reader")
    alone = engine.check(second_reader)
    after = engine.check(second_reader, history=earlier)
    assert after["outcome"] == "deny"
    assert alone["lines"] != after["lines"]
    # Another patient's claims are not history.
    others = [dict(c, patient="someone-else") for c in earlier]
    assert engine.check(second_reader, history=others)["lines"] == alone["lines"]


def test_a_claim_that_cannot_be_decided_raises_claim_error_with_its_code(engine):
    with pytest.raises(payerlex.ClaimError) as bad:
        engine.check(example("BAD-code"))
    assert bad.value.code.startswith("PLX-R")
    assert bad.value.diagnostics[0]["code"] == bad.value.code
    with pytest.raises(payerlex.ClaimError) as unknown:
        engine.check(dict(example("M-clean"), payer="nobody"))
    assert unknown.value.code == "PLX-R020"
    with pytest.raises(payerlex.ClaimError) as in_history:
        engine.check(example("M-clean"), history=["{not json"])
    assert "history[0]" in str(in_history.value)
    assert isinstance(in_history.value, payerlex.PayerlexError)


def test_broken_policies_raise_policy_error_with_diagnostics(tmp_path):
    broken = tmp_path / "policies"
    shutil.copytree(POLICIES / "acme-health", broken / "acme-health")
    policy = next((broken / "acme-health").glob("*.policy"))
    policy.write_text(policy.read_text() + "\nrule oops when line.code in nowhere deny carc 4 \"x\"\n")
    with pytest.raises(payerlex.PolicyError) as error:
        payerlex.Engine.load(broken)
    assert error.value.diagnostics, "diagnostics listed"
    assert all(d["code"].startswith("PLX-") for d in error.value.diagnostics)
    assert error.value.code in [d["code"] for d in error.value.diagnostics]


def test_check_jsonl_gives_one_record_per_line(engine):
    records = engine.check_jsonl(EXAMPLES)
    assert len(records) == len(EXAMPLES.read_text().splitlines())
    assert records[-1]["code"].startswith("PLX-")
    assert all("outcome" in r for r in records[:-1])


def rows_of(table):
    out = []
    for row in table.to_pylist():
        status = row["outcome"] if row["outcome"] is not None else row["error_code"]
        out.append((row["claim"], row["line"], status, row["rules"] or [], row["carc"]))
    return out


def expected(engine, claims, tmp_path):
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in claims))
    out = []
    for claim, record in zip(claims, engine.check_jsonl(path)):
        for index, line in enumerate(claim["lines"]):
            if "code" in record and "lines" not in record:
                out.append((claim["id"], line["number"], record["code"], [], None))
                continue
            decided = record["lines"][index]
            rules = [f["rule"] for f in decided["findings"]]
            carc = next((f["carc"] for f in decided["findings"] if f.get("carc")), None)
            out.append((claim["id"], line["number"], decided["outcome"], rules, carc))
    return out


def test_check_arrow_equals_json_lines_on_the_same_claims(engine, tmp_path):
    claims = generated(300, 17)
    table = payerlex.lines_table(claims)
    decided = engine.check_arrow(table)
    assert decided.schema == payerlex.output_schema()
    assert decided.num_rows == table.num_rows
    want = expected(engine, claims, tmp_path)
    assert rows_of(decided) == want
    # History mattered: the same claims each under its own patient decide differently.
    alone = [dict(c, patient=f"alone-{i}") for i, c in enumerate(claims)]
    assert [r[2:] for r in expected(engine, alone, tmp_path)] != [r[2:] for r in want]
    # A reader of small batches gives the same rows (history carried across batches).
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=5))
    assert rows_of(engine.check_arrow(reader)) == want
    # So does a batch checker fed one batch at a time.
    checker = engine.batch_checker()
    parts = [checker.push(b) for b in table.to_batches(max_chunksize=7)] + [checker.finish()]
    assert rows_of(pa.Table.from_batches(parts)) == want


def test_arrow_rows_out_of_order_are_error_rows_and_a_bad_schema_raises(engine):
    claims = generated(40, 2)
    table = payerlex.lines_table(list(reversed(claims)))
    codes = {r["error_code"] for r in engine.check_arrow(table).to_pylist()}
    assert "PLX-A002" in codes
    with pytest.raises(payerlex.ArrowError) as missing:
        engine.check_arrow(table.drop_columns(["line"]))
    assert missing.value.code == "PLX-A001"
