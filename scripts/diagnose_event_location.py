"""Classify the event-location misses of a labelled file: why a gold place is missed.

    python scripts/diagnose_event_location.py [--data PATH] [--linker rules] [--names on|off]
        [--examples 5]

Runs the pipeline on every sentence of an event-location file (default: the training file
under ``$SITREPS_SHARED``; ``--data`` may name the development gold too, since this only
counts, it fits nothing) with one linker, and sorts each gold verb into one outcome:

* ``right``: scored right by ``sitreps eval event_location``;
* ``no_event``: no event was coded for the verb;
* ``spurious_place``: the verb has no gold place but its event got one;
* for a verb with a gold place that was missed, where the gold span stands in the pipeline:
  ``not_picked`` (a resolved place mention overlaps it: the linker chose another or none),
  ``unresolved`` (a place mention overlaps it with no place record), ``entity_not_place``
  (a spaCy entity overlaps it that the places stage did not take), ``no_entity`` (no entity
  overlaps it; ``no_entity_capitalised`` when a capitalised word does).

Prints JSON counts, with entity labels for ``entity_not_place`` and a few examples of each.
This is where candidate recall is measured (issue 18); the learned linker is scored by
``scripts/cv_event_location.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from sitreps.config import load_config
from sitreps.evaluate import metrics as m
from sitreps.evaluate.datasets import _nearest_mention, event_for_span
from sitreps.evaluate.readers import read_event_location
from sitreps.extract.locate_learned import LINKERS
from sitreps.extract.places import STAGE as PLACES_STAGE
from sitreps.learn.event_location import default_training_data, parse_items, run_events
from sitreps.nlp import get_nlp


def _overlaps(start: int, end: int, gold: list[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` shares a character with a gold span."""
    return any(m.overlaps((start, end), g) for g in gold)


def classify(item, analysis) -> tuple[str, str]:
    """The outcome of one gold verb, and a detail (an entity label, a word) for misses."""
    event, _ = event_for_span(analysis, (item.verb.start, item.verb.end))
    gold = [(s.start, s.end) for s in item.locations]
    if event is None:
        return "no_event", ""
    text = analysis.article.text
    picked = _nearest_mention(analysis, event, event.place_id, "PLACE", text)
    if not gold:
        return ("right", "") if picked is None else ("spurious_place", "")
    if picked is not None and _overlaps(picked.start, picked.end, gold):
        return "right", ""
    places = [x for x in analysis.mentions if x.label == "PLACE"]
    if any(x.entity_id and _overlaps(x.start, x.end, gold) for x in places):
        return "not_picked", "none picked" if picked is None else "other picked"
    if any(_overlaps(x.start, x.end, gold) for x in places):
        return "unresolved", ""
    ents = [e for e in analysis.doc.ents if _overlaps(e.start_char, e.end_char, gold)]
    if ents:
        return "entity_not_place", ents[0].label_
    words = [
        t for t in analysis.doc if _overlaps(t.idx, t.idx + len(t), gold) and t.text[:1].isupper()
    ]
    return ("no_entity_capitalised", "") if words else ("no_entity", "")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the pipeline on the file and print the outcome counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_training_data())
    parser.add_argument("--linker", choices=LINKERS, default="rules")
    parser.add_argument("--names", choices=("on", "off", "config"), default="config",
                        help="places known by name only (config: as the places stage runs)")
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args(argv)
    config = load_config()
    if args.names != "config":
        options = {**config.options_for(PLACES_STAGE), "unlisted_names": args.names == "on"}
        config = config.copy(stage_options={**config.stage_options, PLACES_STAGE: options})
    items = read_event_location(args.data, [])
    print(f"parsing {len(items)} sentences", file=sys.stderr, flush=True)
    analyses = parse_items(items, get_nlp(config), config)
    done, _ = run_events(analyses, config, args.linker)
    counts: Counter[str] = Counter()
    details: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for item, analysis in zip(items, done, strict=True):
        outcome, detail = classify(item, analysis)
        counts[outcome] += 1
        if detail:
            details[outcome][detail] += 1
        if outcome != "right" and len(examples[outcome]) < args.examples:
            gold = " | ".join(item.text[s.start:s.end] for s in item.locations)
            verb = item.text[item.verb.start:item.verb.end]
            examples[outcome].append(f"[{verb}] -> [{gold}] {item.text[:200]}")
    n = len(items)
    report = {
        "data": str(args.data), "linker": args.linker, "names": args.names, "n": n,
        "with_place": sum(bool(item.locations) for item in items),
        "counts": dict(counts.most_common()),
        "shares": {k: round(v / n, 4) for k, v in counts.most_common()},
        "details": {k: dict(v.most_common()) for k, v in details.items()},
        "examples": examples,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
