"""Cross-validate the event-location linkers and the learned pick's country guard.

    python scripts/cv_event_location.py [--data PATH] [--folds 5] [--names on]

Splits ``$SITREPS_SHARED/train/event_location/train.jsonl`` (else ``../shared``) by sentence
into folds, fits the model on all folds but one and scores every linker, guard and margin
setting end to end on the one left out, as ``sitreps eval event_location`` scores (see
:func:`sitreps.learn.event_location.cross_validate`). Prints JSON. This is where
``DEFAULT_GUARD`` and the shipped margins are chosen; never point it at ``../shared/eval``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from sitreps.config import load_config
from sitreps.extract.locate_learned import GUARDS
from sitreps.learn.event_location import cross_validate
from sitreps.nlp import get_nlp

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREPS_SHARED") or ROOT.parent / "shared")
DEFAULT_DATA = SHARED / "train" / "event_location" / "train.jsonl"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, cross-validate and print the scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--names", choices=("on", "off"), default="off",
                        help="places known by name only (off: as trained and run by default)")
    parser.add_argument("--guards", default=",".join(GUARDS),
                        help="comma-separated country guards to score")
    args = parser.parse_args(argv)
    if "eval" in args.data.parts:
        parser.error("cross-validate on ../shared/train, never on an eval/ gold set")
    config = load_config()
    report = cross_validate(
        args.data, get_nlp(config), config, folds=args.folds, seed=args.seed,
        unlisted_names=args.names == "on", guards=args.guards.split(","),
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
