"""Build the shipped event-location weights from the MIT-licensed training set.

    python scripts/train_event_location.py [--data PATH]

``--data`` defaults to ``$SITREPS_SHARED/train/event_location/train.jsonl`` (else ``../shared``).
Writes ``src/sitreps/data/models/event_location.json`` (or ``--out``), recording the data's
SHA-256, the feature version, the seed and the held-out split's scores (per candidate, and end
to end as ``sitreps eval event_location`` scores them). The candidates are those the events
stage itself weighs: each sentence runs through the configured stages with the rules linker
and every place-linking call is recorded. Needs scikit-learn (the ``train`` extra); the same
data, seed and library versions give the same file (set ``OMP_NUM_THREADS=1`` on a shared
machine: it is faster there). Never point it at ``../shared/eval``: that half is for scoring
only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sitreps.config import load_config
from sitreps.extract.locate_learned import MODEL_PATH, write_model
from sitreps.learn.event_location import train_location_model, training_parser
from sitreps.nlp import get_nlp


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, train, write the weights and print the dev report."""
    parser = training_parser(__doc__.splitlines()[0])  # --data (never eval/) and --seed
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--dev-share", type=float, default=0.2)
    args = parser.parse_args(argv)
    config = load_config()
    model, report = train_location_model(
        args.data, get_nlp(config), config, seed=args.seed, dev_share=args.dev_share,
        progress=lambda message: print(message, file=sys.stderr),
    )
    print(f"Wrote {write_model(model, args.out)}", file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
