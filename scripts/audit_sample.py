"""Draw the hand-audit sample: N factual exported events at random, with a fixed seed.

Usage (see README, "Hand audit"):

    sitreps run CORPUS.jsonl --db audit.duckdb
    sitreps export --db audit.duckdb --format json --out audit.json
    python scripts/audit_sample.py audit.json --n 50 --seed 13 > sample.md

Each event is printed with the source sentence that states its trigger (an incident told in
several sentences takes its type from one of them), then the start of up to two other source
sentences, so a reader can judge from the text alone whether it is a real, distinct event and
whether its sub-type, place, toll and actor1 are right. The sample depends only on the export
and the seed.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

FACTUAL = ("asserted", "reported")


def draw(export: dict, n: int, seed: int) -> list[dict]:
    """``n`` factual events drawn without replacement, in a seed-determined order."""
    events = sorted(
        (e for e in export.get("events", []) if e.get("modality") in FACTUAL),
        key=lambda e: e["id"],
    )
    return random.Random(seed).sample(events, min(n, len(events)))


def trigger_sentence(event: dict) -> str:
    """The source sentence that states the event's trigger word, else the first source.

    An incident told in several sentences takes its type from one of them ("killed in
    clashes" / "air strikes hit the town"); that sentence is the one to judge the type by.
    The others follow in brackets, shortened, so restatements can be judged too.
    """
    sources = event.get("sources") or []
    if not sources:
        return ""
    trigger = (event.get("trigger") or "").lower()
    stating = next((s for s in sources if trigger and trigger in s["sentence"].lower()), sources[0])
    others = [s["sentence"][:80] for s in sources if s is not stating]
    return stating["sentence"] + "".join(f" [+ {other}...]" for other in others[:2])


def as_markdown(sample: list[dict]) -> str:
    lines = [
        "| # | sub-event type | actor1 | place | toll | date | sentence |",
        "|---:|---|---|---|---:|---|---|",
    ]
    for number, event in enumerate(sample, 1):
        sentence = trigger_sentence(event)
        sentence = sentence.replace("|", "/").replace("\n", " ")
        lines.append(
            f"| {number} | {event['sub_event_type']} | {event.get('actor1') or ''} | "
            f"{event.get('location') or ''} ({event.get('country_code') or ''}) | "
            f"{event.get('fatalities') if event.get('fatalities') is not None else ''} | "
            f"{event.get('event_date') or ''} | {sentence[:480]} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="a `sitreps export --format json` file")
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    export = json.loads(args.export.read_text(encoding="utf-8"))
    print(as_markdown(draw(export, args.n, args.seed)))


if __name__ == "__main__":
    main()
