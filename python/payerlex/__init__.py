"""payerlex from Python: check medical claims against payer policy packs.

    import payerlex
    engine = payerlex.Engine.load("policies")
    decision = engine.check({"id": "C1", "payer": "medicare", ...})

Claims and decisions are the JSON contract of ``payerlex check`` (dicts here); Arrow tables
of claim lines (one row per line, see the crate doc of payerlex-arrow for the columns) go
through the Arrow C data interface without copies.
"""

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union

from ._payerlex import (
    ArrowError,
    BatchChecker,
    ClaimError,
    PayerlexError,
    PolicyError,
    output_schema,
)
from ._payerlex import Engine as _Engine

__all__ = [
    "ArrowError",
    "BatchChecker",
    "ClaimError",
    "Engine",
    "PayerlexError",
    "PolicyError",
    "lines_table",
    "output_schema",
]

# Claim fields with a column of their own in the Arrow input schema.
_CLAIM_COLUMNS = ("id", "payer", "patient", "place_of_service", "diagnoses", "lines", "frequency", "replaces")

Claim = Union[Dict[str, Any], str]


def _text(claim: Claim) -> str:
    if isinstance(claim, str):
        return claim
    if isinstance(claim, dict):
        return json.dumps(claim)
    raise TypeError("a claim is a dict or a JSON string")


class Engine:
    """Compiled policy packs. Thread-safe; decisions release the GIL."""

    def __init__(self, inner: _Engine) -> None:
        self._inner = inner

    @classmethod
    def load(cls, policies: Union[str, "os.PathLike[str]"]) -> "Engine":
        """Loads every pack under ``policies``; raises PolicyError with ``.diagnostics``."""
        return cls(_Engine.load(os.fspath(policies)))

    def check(self, claim: Claim, history: Optional[Iterable[Claim]] = None) -> Dict[str, Any]:
        """Decides ``claim`` after the patient's earlier claims ``history`` (oldest first).

        Raises ClaimError (``.code``, ``.diagnostics``) when a claim is not valid or its payer
        has no pack.
        """
        earlier = [_text(c) for c in (history or [])]
        return json.loads(self._inner.check(_text(claim), earlier))

    def check_jsonl(self, path: Union[str, "os.PathLike[str]"]) -> List[Dict[str, Any]]:
        """Decides a JSON Lines file: one record per line, decisions or error records."""
        text = self._inner.check_jsonl(os.fspath(path))
        return [json.loads(line) for line in text.splitlines()]

    def check_arrow(self, data: Any) -> Any:
        """Decides a ``pyarrow.Table``, ``RecordBatch`` or ``RecordBatchReader`` of claim lines
        (grouped by payer and patient, sorted by date, claim, line); returns a
        ``pyarrow.Table`` with one row per input row."""
        import pyarrow as pa

        if isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        schema, batches = self._inner.check_arrow(data)
        return pa.Table.from_batches(batches, schema=schema)

    def batch_checker(self) -> BatchChecker:
        """A checker for batches that arrive one at a time, carrying history between them."""
        return self._inner.batch_checker()


def lines_table(claims: Iterable[Claim]) -> Any:
    """The Arrow input table of JSON-contract claims: one row per claim line, claim fields
    repeated, fields without a column of their own in ``claim_json``. Rows keep the claims'
    order (sort them by payer, patient, date, claim, line for ``check_arrow``)."""
    import pyarrow as pa

    columns: Dict[str, List[Any]] = {name: [] for name in _LINE_COLUMNS}
    for claim in claims:
        claim = json.loads(claim) if isinstance(claim, str) else claim
        provider = dict(claim.get("provider") or {})
        report = dict(claim.get("report") or {})
        extra = {k: v for k, v in claim.items() if k not in _CLAIM_COLUMNS}
        extra.pop("provider", None)
        extra.pop("report", None)
        rest_of_provider = {k: v for k, v in provider.items() if k not in ("npi", "role")}
        if rest_of_provider:
            extra["provider"] = rest_of_provider
        rest_of_report = {k: v for k, v in report.items() if k != "text"}
        if rest_of_report:
            extra["report"] = rest_of_report
        for line in claim.get("lines") or []:
            row = {
                "payer": claim.get("payer"),
                "patient": claim.get("patient"),
                "claim": claim.get("id"),
                "line": line.get("number"),
                "code": line.get("code"),
                "units": line.get("units"),
                "date": line.get("date"),
                "modifiers": line.get("modifiers"),
                "diagnosis_pointers": line.get("diagnosis_pointers"),
                "line_place_of_service": line.get("place_of_service"),
                "place_of_service": claim.get("place_of_service"),
                "provider_npi": provider.get("npi"),
                "provider_role": provider.get("role"),
                "diagnoses": claim.get("diagnoses"),
                "frequency": claim.get("frequency"),
                "replaces": claim.get("replaces"),
                "report_text": report.get("text"),
                "claim_json": json.dumps(extra) if extra else None,
            }
            for name, value in row.items():
                columns[name].append(value)
    return pa.table(columns, schema=_line_schema())


# The Arrow input columns, in the order ``lines_table`` writes them.
_LINE_COLUMNS = (
    "payer", "patient", "claim", "line", "code", "units", "date", "modifiers",
    "diagnosis_pointers", "line_place_of_service", "place_of_service", "provider_npi",
    "provider_role", "diagnoses", "frequency", "replaces", "report_text", "claim_json",
)


def _line_schema() -> Any:
    """The Arrow input schema ``lines_table`` writes (dates as text ``YYYY-MM-DD``)."""
    import pyarrow as pa

    text = pa.string()
    types = {
        "line": pa.int64(),
        "units": pa.int64(),
        "modifiers": pa.list_(text),
        "diagnosis_pointers": pa.list_(pa.int64()),
        "diagnoses": pa.list_(text),
    }
    return pa.schema([(name, types.get(name, text)) for name in _LINE_COLUMNS])
