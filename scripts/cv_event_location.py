"""Cross-validate the event-location linkers and the learned pick's country guard.

    python scripts/cv_event_location.py [--data PATH] [--folds 5] [--names on|off]
        [--unreliable keep]

Splits ``$SITREPS_SHARED/train/event_location/train.jsonl`` (else ``../shared``) by sentence
into folds, fits the model on all folds but one and scores every linker, guard and margin
setting end to end on the one left out, as ``sitreps eval event_location`` scores (see
:func:`sitreps.learn.event_location.cross_validate`). Prints JSON. This is where
``DEFAULT_GUARD`` and the shipped margins are chosen; never point it at ``../shared/eval``.
"""

from __future__ import annotations

import json
import sys

from sitreps.config import load_config
from sitreps.extract.locate_learned import GUARDS
from sitreps.learn.event_location import cross_validate, training_parser
from sitreps.nlp import get_nlp


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, cross-validate and print the scores."""
    parser = training_parser(__doc__.splitlines()[0])  # --data (never eval/) and --seed
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--names", choices=("on", "off", "config"), default="config",
                        help="places known by name only (config: as the configured places "
                        "stage runs, as the shipped weights are trained)")
    parser.add_argument("--guards", default=",".join(GUARDS),
                        help="comma-separated country guards to score")
    parser.add_argument("--unreliable", choices=("drop", "keep"), default="drop",
                        help="learn from the 'no place' labels of unreliable collections (keep) "
                        "or not (drop: as the shipped weights are trained)")
    args = parser.parse_args(argv)
    config = load_config()
    report = cross_validate(
        args.data, get_nlp(config), config, folds=args.folds, seed=args.seed,
        unlisted_names=None if args.names == "config" else args.names == "on",
        guards=args.guards.split(","),
        drop_unreliable=args.unreliable == "drop",
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
