#!/usr/bin/env python3
"""Writes a generated claims file (JSON Lines) for throughput runs and the Spark test.

Claims are the decidable claims of examples/claims.jsonl with new claim ids, patients drawn
from a small pool (so patients repeat and history rules fire across claims), dates over a
few weeks, and some replacements (frequency 7) of a patient's earlier claim. The file is in
date order, then claim id order, which is the order the Arrow and Spark paths sort by, so all
paths give the same history to every claim.

    python3 scripts/gen-claims.py --claims 20000 --patients 2000 --seed 1 > /tmp/claims.jsonl
"""

import argparse
import datetime
import json
import random
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "examples" / "claims.jsonl"


def templates():
    out = []
    for text in TEMPLATES.read_text().splitlines():
        claim = json.loads(text)
        if claim["id"].startswith("BAD"):
            continue
        out.append(claim)
    return out


def generate(claims, patients, days, seed):
    rng = random.Random(seed)
    pool = templates()
    start = datetime.date(2026, 3, 2)
    drafts = []
    for number in range(claims):
        claim = json.loads(json.dumps(rng.choice(pool)))
        claim["id"] = f"G{number:08d}"
        claim["patient"] = f"Q{rng.randrange(patients):06d}"
        date = (start + datetime.timedelta(days=rng.randrange(days))).isoformat()
        for line in claim["lines"]:
            line["date"] = date
        drafts.append((date, claim["id"], claim))
    drafts.sort(key=lambda d: (d[0], d[1]))
    seen = {}
    out = []
    for date, _, claim in drafts:
        key = (claim["payer"], claim["patient"])
        earlier = seen.get(key)
        if earlier and rng.random() < 0.05:
            claim["frequency"] = "7"
            claim["replaces"] = earlier
        seen[key] = claim["id"]
        out.append(claim)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for claim in generate(args.claims, args.patients, args.days, args.seed):
        sys.stdout.write(json.dumps(claim, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
