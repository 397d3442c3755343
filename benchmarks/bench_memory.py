"""Peak memory of an extraction run for 1,000 vs 10,000 articles: it should barely grow.

    python benchmarks/bench_memory.py --sizes 1000 10000

The corpus is repeated with one unique sentence appended to each copy, so every copy has its
own id, and stored straight into a fresh database (no near-duplicate check). Each run is a fresh
process that calls ``run_engine``; its peak RSS comes from ``resource.getrusage`` (the process
itself, and the largest of its worker processes when --workers > 1). The peak up to the last
committed partition is recorded too (``extract_peak_mib``, Linux only): when the overall peak is
higher, the cross-article merge at the end set it. Merged into ``benchmarks/results.json``
under "memory" (or written to --results); a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from harness import machine, merge_results, parse_args, run_in_child

RESULTS = Path(__file__).with_name("results.json")
CORPUS = Path("../shared/corpus/fakes_articles.jsonl")


def repeated_texts(corpus: Path, count: int) -> Iterator[tuple[str, str | None]]:
    """``count`` (text, title) pairs cycling through the corpus, each copy made unique."""
    with corpus.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for index in range(count):
        row = rows[index % len(rows)]
        extra = f" Copy {index} of this report was filed from desk {index % 97}."
        yield row["text"] + extra, row.get("title")


def make_db(corpus: Path, count: int, path: Path) -> None:
    """A database holding ``count`` unprocessed articles."""
    from sitreps.records import Article
    from sitreps.store.duckdb import Store

    with Store(path) as store:
        # Commits every 500 articles: DuckDB holds a transaction's single-row inserts in about
        # 0.3 MB each, so one transaction for 10,000 articles outgrows the store memory limit.
        for index, (text, title) in enumerate(repeated_texts(corpus, count)):
            if index % 500 == 0:
                store.con.execute("BEGIN TRANSACTION")
            article_id = hashlib.sha256(text.encode("utf-8")).hexdigest()
            store.add_article(Article(id=article_id, text=text, title=title))
            if index % 500 == 499 or index == count - 1:
                store.con.execute("COMMIT")


def peak_rss_so_far_mib() -> float:
    """This process's peak RSS so far (VmHWM, Linux); 0.0 where /proc has no such line."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_once(db: Path, engine: str, workers: int, partition_size: int) -> dict[str, float]:
    """One run in this process (called through ``--one`` in a child); RSS in MiB."""
    from sitreps.config import load_config
    from sitreps.engine import run_engine
    from sitreps.store.duckdb import Store

    extract_peak = [0.0]

    def after_partition(_articles: int) -> None:
        extract_peak[0] = peak_rss_so_far_mib()

    start = time.perf_counter()
    with Store(db) as store:
        report = run_engine(
            store, load_config(), engine=engine, workers=workers, partition_size=partition_size,
            progress=after_partition,
        )
    # ru_maxrss is in KiB on Linux.
    return {
        "seconds": time.perf_counter() - start,
        "articles": report.articles,
        "events": report.events,
        "self_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "extract_peak_mib": extract_peak[0],
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engine", default="local")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--partition-size", type=int, default=128)
    parser.add_argument("--results", type=Path, default=None,
                        help="write the result to this JSON file instead of results.json")
    args = parse_args(parser, run_once)
    runs = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "memory.duckdb"
            make_db(args.corpus, size, db)
            found = run_in_child(__file__, db, args.engine, args.workers, args.partition_size)
        found["peak_mib"] = max(found["self_peak_mib"], found["worker_peak_mib"])
        runs[str(size)] = {k: round(v, 1) if isinstance(v, float) else v
                           for k, v in found.items()}
    small, large = str(min(args.sizes)), str(max(args.sizes))
    growth = round(runs[large]["peak_mib"] / runs[small]["peak_mib"], 3)
    result = {
        "corpus": args.corpus.name, "engine": args.engine, "workers": args.workers,
        "partition_size": args.partition_size, "runs": runs, "growth": growth,
        "target_growth": 1.3, "repeat": 1, "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%d"),
        # Other work on the machine skews timings: record how busy it was at the end.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if args.results is None:
        merge_results("memory", result)
    else:
        args.results.write_text(json.dumps({"memory": result}, indent=2) + "\n")
    print("| articles | peak RSS MiB | parent MiB | parent MiB until merge | largest worker MiB "
          "| seconds | events |")
    print("|---|---|---|---|---|---|---|")
    for size, row in runs.items():
        print(f"| {int(size):,} | {row['peak_mib']} | {row['self_peak_mib']} "
              f"| {row['extract_peak_mib']} | {row['worker_peak_mib']} | {row['seconds']} "
              f"| {row['events']:,} |")
    print(f"growth {small} -> {large}: {growth}x (target <= 1.3); machine: {result['machine']}")


if __name__ == "__main__":
    main()
