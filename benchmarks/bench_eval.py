"""Wall time of evaluating every gold set (`sitreps eval all`), against the 10-minute target.

    python benchmarks/bench_eval.py --data-root ../shared/eval

Loads the pipeline once (as the command does), then times each dataset with
``time.perf_counter``. Merged into ``benchmarks/results.json`` under "evaluation".
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sitreps.config import load_config
from sitreps.evaluate.datasets import evaluate_dataset, load_nlp
from sitreps.evaluate.report import available_datasets

TARGET_S = 600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=Path("../shared/eval"))
    args = parser.parse_args()
    found = available_datasets(args.data_root)
    if not found:
        parser.error(f"no gold sets under {args.data_root} (pass --data-root)")
    from harness import machine, merge_results

    started = time.perf_counter()
    config = load_config()
    nlp = load_nlp(config)
    load_s = time.perf_counter() - started
    seconds: dict[str, float] = {}
    for name, path in found.items():
        begin = time.perf_counter()
        result = evaluate_dataset(name, path, nlp=nlp, config=config)
        seconds[name] = round(time.perf_counter() - begin, 1)
        print(f"{name}: n={result.n} in {seconds[name]} s", flush=True)
    total = time.perf_counter() - started
    merge_results("evaluation", {
        "total_s": round(total, 1), "model_load_s": round(load_s, 1), "datasets_s": seconds,
        "target_s": TARGET_S, "machine": machine(), "measured_at": time.strftime("%Y-%m-%d"),
    })
    print(f"all sets: {total:.0f} s (target ≤ {TARGET_S} s); machine: {machine()}")


if __name__ == "__main__":
    main()
