"""Speed-up of the local and Dask engines from 1 to 2 workers, on the same articles.

    python benchmarks/bench_scaling.py --corpus ../shared/corpus/fakes_articles.jsonl --limit 200

The corpus (or its first --limit articles) is ingested once into a template database; each
measured run copies it and calls ``run_engine`` in a fresh process, so every run pays the same
model loading. Two figures per run: the wall time of the whole call (start-up included) and the
steady rate between the first and the last committed partition (start-up excluded); beside
them, the fixed costs at either end (start to the first commit, last commit to the end).
Results are merged into ``benchmarks/results.json`` under "scaling"; a Markdown table is
printed.

The runs read the built artefacts (gazetteer index, rulers) from a cache of this checkout's
own (``--cache``), built once before the first run: in the shared ``~/.cache/sitreps``, a
checkout with other knowledge files or code replaces them, and a run that finds them gone
builds them again (~27 s of CPU per worker; issue 16).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import machine, merge_results, parse_args, run_in_child

CORPUS = Path("../shared/corpus/fakes_articles.jsonl")
RUNS = (("local", 1), ("local", 2), ("dask", 1), ("dask", 2))


def make_template(corpus: Path, limit: int | None, path: Path) -> int:
    """Ingest the corpus (or its first ``limit`` articles) into a fresh database."""
    from sitreps.jobs import ingest_sources
    from sitreps.store.duckdb import Store

    source = corpus
    if limit:
        source = path.with_suffix(".jsonl")
        with corpus.open(encoding="utf-8") as src, source.open("w", encoding="utf-8") as dst:
            for index, line in enumerate(src):
                if index >= limit:
                    break
                dst.write(line)
    with Store(path) as store:
        ingest_sources(store, [str(source)])
        return store.count_unprocessed()


def private_cache() -> Path:
    """A cache directory for this checkout only, kept between benchmark runs."""
    checkout = hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"sitreps-bench-cache-{checkout}"


def warm_cache(cache: Path) -> float:
    """Build (or check) the artefacts in ``cache`` in a child, as a measured run loads them."""
    os.environ["SITREPS_CACHE"] = str(cache)  # the measured children inherit it
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from sitreps.config import load_config; "
         "from sitreps.engine.partitions import worker_nlp; worker_nlp(load_config())"],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def run_once(db: Path, engine: str, workers: int, partition_size: int) -> dict[str, float]:
    """One measured run, in this process (called through ``--one`` in a child)."""
    from sitreps.config import load_config
    from sitreps.engine import run_engine
    from sitreps.store.duckdb import Store

    commits: list[tuple[float, int]] = []
    start = time.perf_counter()
    with Store(db) as store:
        report = run_engine(
            store, load_config(), engine=engine, workers=workers,
            partition_size=partition_size,
            progress=lambda n: commits.append((time.perf_counter(), n)),
        )
    wall = time.perf_counter() - start
    # Steady rate: articles committed after the first partition, over the time they took.
    steady = (
        sum(n for _, n in commits[1:]) / (commits[-1][0] - commits[0][0])
        if len(commits) > 2 else float("nan")
    )
    # The fixed costs around the steady part (issue 16): start-up to the first committed
    # partition (cluster or pool, pipeline loading, the first partition), and the last commit
    # to the end (merge, shutdown, closing the store).
    first = commits[0][0] - start if commits else float("nan")
    after_last = start + wall - commits[-1][0] if commits else float("nan")
    return {"wall_s": wall, "steady_articles_per_s": steady, "articles": report.articles,
            "events": report.events, "first_commit_s": first, "after_last_commit_s": after_last,
            "load_1m": os.getloadavg()[0]}


def measure(template: Path, engine: str, workers: int, partition_size: int) -> dict[str, float]:
    """Copy the template and run the engine on it in a fresh Python process."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "run.duckdb"
        shutil.copy(template, db)
        return run_in_child(__file__, db, engine, workers, partition_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles only.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--partition-size", type=int, default=32)
    parser.add_argument("--engines", default="local,dask",
                        help="Comma-separated engines to measure (each at 1 and 2 workers).")
    parser.add_argument("--cache", type=Path, default=None,
                        help="Artefact cache of the runs (default: one for this checkout).")
    args = parse_args(parser, run_once)
    engines = [e for e in args.engines.split(",") if e]
    selected = [(e, w) for e, w in RUNS if e in engines]
    warm_s = warm_cache(args.cache or private_cache())
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.duckdb"
        articles = make_template(args.corpus, args.limit, template)
        runs: dict[str, list[dict[str, float]]] = {f"{e}-{w}": [] for e, w in selected}
        for _ in range(args.repeat):
            # 1 and 2 workers interleaved, so both see the same machine load.
            for engine, workers in selected:
                runs[f"{engine}-{workers}"].append(
                    measure(template, engine, workers, args.partition_size)
                )
    rows = {}
    for name, found in runs.items():
        rows[name] = {
            "wall_s": round(statistics.median(r["wall_s"] for r in found), 2),
            "steady_articles_per_s": round(
                statistics.median(r["steady_articles_per_s"] for r in found), 2
            ),
            "events": found[0]["events"],
            "wall_s_all": [round(r["wall_s"], 2) for r in found],
            "first_commit_s": round(statistics.median(r["first_commit_s"] for r in found), 2),
            "after_last_commit_s": round(
                statistics.median(r["after_last_commit_s"] for r in found), 2
            ),
            # How busy the machine was at the end of each run (its own workers included).
            "load_1m_all": [round(r["load_1m"], 2) for r in found],
        }
    speedups = {
        engine: {
            "wall": round(rows[f"{engine}-1"]["wall_s"] / rows[f"{engine}-2"]["wall_s"], 2),
            "steady": round(
                rows[f"{engine}-2"]["steady_articles_per_s"]
                / rows[f"{engine}-1"]["steady_articles_per_s"], 2,
            ),
        }
        for engine in engines
    }
    result = {
        "corpus": args.corpus.name, "articles": articles, "limit": args.limit,
        "partition_size": args.partition_size, "repeat": args.repeat, "runs": rows,
        "speedup_1_to_2_workers": speedups, "target_speedup": 1.8,
        "machine": machine(), "measured_at": time.strftime("%Y-%m-%d"),
        # Other work on the machine skews timings: record how busy it was at the end.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cache_warm_up_s": round(warm_s, 1),
    }
    merge_results("scaling", result)
    print("| engine | workers | wall s (median) | steady art/s | speed-up wall | speed-up steady |")
    print("|---|---|---|---|---|---|")
    for engine, workers in selected:
        row = rows[f"{engine}-{workers}"]
        up = speedups[engine] if workers == 2 else {"wall": "", "steady": ""}
        print(f"| {engine} | {workers} | {row['wall_s']} | {row['steady_articles_per_s']} "
              f"| {up['wall']} | {up['steady']} |")
    print(f"{articles} articles of {args.corpus.name}; machine: {result['machine']}")


if __name__ == "__main__":
    main()
