"""What every benchmark shares: the machine description, results.json, and child-process runs.

Benchmarks that measure memory or start-up run each measurement in a fresh Python process, so
one run's model loading and peak RSS never leak into the next: the script calls itself with
``--one DB ENGINE WORKERS PARTITION_SIZE`` and prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")

RunOnce = Callable[[Path, str, int, int], dict[str, float]]


def machine() -> dict[str, object]:
    """Cores and CPU model, so figures from different machines are not compared blindly."""
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def merge_results(key: str, value: object) -> None:
    """Write our key into results.json, keeping every other benchmark's keys."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = value
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def parse_args(parser: argparse.ArgumentParser, run_once: RunOnce) -> argparse.Namespace:
    """Parse a corpus benchmark's command line; in the child (``--one``), run once and exit."""
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        db, engine, workers, partition_size = args.one
        print(json.dumps(run_once(Path(db), engine, int(workers), int(partition_size))))
        raise SystemExit(0)
    if not args.corpus.exists():
        parser.error(f"corpus not found: {args.corpus} (pass --corpus)")
    return args


def run_in_child(
    script: str, db: Path, engine: str, workers: int, partition_size: int
) -> dict[str, float]:
    """Run ``script --one ...`` in a fresh interpreter and read back its JSON line."""
    out = subprocess.run(
        [sys.executable, script, "--one", str(db), engine, str(workers), str(partition_size)],
        capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(f"{engine}-{workers} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
