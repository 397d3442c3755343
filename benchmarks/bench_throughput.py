"""Throughput of the full sitreps run against bare spaCy on the same articles, in one run.

    python benchmarks/bench_throughput.py --corpus ../shared/corpus/fakes_articles.jsonl

Measures, on the same machine and the same articles:
  * bare: ``nlp.pipe`` of the same spaCy model (no sitreps ruler, no stages, no store);
  * sitreps: ingest + extract into a fresh DuckDB file (``ingest_sources`` + ``extract_pending``),
    i.e. everything ``sitreps run`` does except printing.
Each is timed ``--repeat`` times (median reported). Results go to ``benchmarks/results.json``
(merged under the key "throughput") and a Markdown table is printed for the README.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import spacy
from harness import RESULTS, machine

from sitreps.config import load_config
from sitreps.ingest import ColumnMapping, read_sources
from sitreps.jobs import extract_pending, ingest_sources
from sitreps.nlp import get_nlp
from sitreps.records import Article
from sitreps.store.duckdb import Store


def load_articles(corpus: Path, limit: int | None) -> list[Article]:
    articles = [
        item for item in read_sources([str(corpus)], ColumnMapping())
        if isinstance(item, Article)
    ]
    return articles[:limit] if limit else articles


def time_bare(model: str, texts: list[str], batch_size: int) -> float:
    nlp = spacy.load(model)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def time_sitreps(corpus: Path, limit: int | None) -> tuple[float, int]:
    config = load_config()
    get_nlp(config)  # built and cached once, outside the timing, as a long-running worker
    subset = corpus
    with tempfile.TemporaryDirectory() as tmp:
        if limit:
            subset = Path(tmp) / "subset.jsonl"
            with corpus.open(encoding="utf-8") as src, subset.open("w", encoding="utf-8") as dst:
                for index, line in enumerate(src):
                    if index >= limit:
                        break
                    dst.write(line)
        start = time.perf_counter()
        with Store(Path(tmp) / "bench.duckdb") as store:
            ingest_sources(store, [str(subset)])
            report = extract_pending(store, config)
        return time.perf_counter() - start, report.events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path("../shared/corpus/fakes_articles.jsonl")
    )
    parser.add_argument("--limit", type=int, default=None, help="Use the first N articles only.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.exists():
        parser.error(f"corpus not found: {args.corpus} (pass --corpus)")

    config = load_config()
    articles = load_articles(args.corpus, args.limit)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare_times, sitreps_times, events = [], [], 0
    for _ in range(args.repeat):
        bare_times.append(time_bare(config.model, texts, config.batch_size))
        elapsed, events = time_sitreps(args.corpus, len(articles))
        sitreps_times.append(elapsed)
    bare = statistics.median(bare_times)
    full = statistics.median(sitreps_times)
    result = {
        "corpus": args.corpus.name,
        "articles": len(articles),
        "words": words,
        "events": events,
        "bare_spacy_articles_per_s": round(len(articles) / bare, 2),
        "sitreps_run_articles_per_s": round(len(articles) / full, 2),
        "ratio": round(bare / full, 3),
        "target_ratio": 0.7,
        "repeat": args.repeat,
        "bare_seconds": [round(t, 2) for t in bare_times],
        "sitreps_seconds": [round(t, 2) for t in sitreps_times],
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%d"),
    }
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["throughput"] = result
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(
        "| corpus | articles | bare spaCy (art/s) | sitreps run (art/s) | ratio | target |\n"
        "|---|---|---|---|---|---|\n"
        f"| {result['corpus']} | {result['articles']} | {result['bare_spacy_articles_per_s']} "
        f"| {result['sitreps_run_articles_per_s']} | {result['ratio']} | ≥ 0.7 |"
    )
    print(f"machine: {result['machine']}")


if __name__ == "__main__":
    main()
