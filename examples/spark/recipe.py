"""Deciding a claims table on Spark with payerlex, partitioned by payer and patient.

A claim's decision reads the history of its own payer and patient only: the patient's claims
before it (by first date of service, then claim id). So the recipe moves every row of a
patient to one partition (``repartition("payer", "patient")``), sorts each partition into
history order (``sortWithinPartitions``), and decides each partition as one Arrow stream
(``mapInArrow``) with a ``payerlex`` batch checker that carries each patient's history from
batch to batch. Each claim then sees exactly the history it would see in one ``payerlex
check`` run over the whole table written as JSON Lines in that order, whatever the number of
partitions or executors.

    from recipe import decide
    decided = decide(spark.read.parquet("claim_lines/"), policies="/dbfs/policies")

The input is one row per claim line (the payerlex-arrow input schema: payer, patient, claim,
line, code, units, date, modifiers, diagnosis_pointers, ...). The output is one row per line:
OUTPUT_SCHEMA.
"""

from typing import Iterator, Optional

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window

OUTPUT_SCHEMA = (
    "payer string, patient string, claim string, line long, decision string, outcome string, "
    "carc string, rarc array<string>, rules array<string>, estimate double, "
    "findings array<struct<rule:string, outcome:string, `group`:string, carc:string, "
    "rarc:array<string>, message:string>>, "
    "adjustments array<struct<claim:string, line:long, rule:string, carc:string>>, "
    "error string, error_code string"
)

# One engine per Python worker process, loaded on first use (executors reuse workers).
_ENGINES = {}


def _engine(policies: str):
    import payerlex

    engine = _ENGINES.get(policies)
    if engine is None:
        engine = _ENGINES[policies] = payerlex.Engine.load(policies)
    return engine


def _decider(policies: str):
    def decide_partition(batches: Iterator) -> Iterator:
        checker = _engine(policies).batch_checker()
        for batch in batches:
            decided = checker.push(batch)
            if decided.num_rows:
                yield decided
        yield checker.finish()

    return decide_partition


def decide(lines: DataFrame, policies: str, partitions: Optional[int] = None) -> DataFrame:
    """Decides every claim of ``lines`` (one row per claim line); one output row per line.

    ``policies`` is a folder every executor can read (the same packs everywhere).
    ``partitions`` defaults to ``spark.sql.shuffle.partitions``.
    """
    by_patient = (
        lines.repartition(partitions, "payer", "patient")
        if partitions
        else lines.repartition("payer", "patient")
    )
    # A claim's first date of service orders it among its patient's claims. The window's
    # keys include the partitioning keys, so it needs no second shuffle.
    claim = Window.partitionBy("payer", "patient", "claim")
    ordered = by_patient.withColumn("claim_date", F.min("date").over(claim))
    in_history_order = ordered.sortWithinPartitions(
        "payer", "patient", "claim_date", "claim", "line"
    ).drop("claim_date")
    return in_history_order.mapInArrow(_decider(policies), OUTPUT_SCHEMA)
