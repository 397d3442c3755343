"""Load and query times of the DuckDB store for 100,000 synthetic events.

    python benchmarks/bench_store.py --events 100000

Builds synthetic analysed articles (10 events each, 50 actors, 200 places, three years of
dates), times ``Store.save_analyses`` in batches of 128 articles (one transaction each, as the
engines commit), then times ``Store.events`` for the common filters (type, actor, place, date
range), median of --repeat runs. Merged into ``benchmarks/results.json`` under "store".
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from sitreps.query import EventFilter, Reader
from sitreps.records import Actor, Analysis, Article, Event, Fatalities, Place, Source
from sitreps.store.duckdb import Store

RESULTS = Path(__file__).with_name("results.json")
TYPES = (
    ("Battles", "Armed clash", "FIGHT"),
    ("Explosions/Remote violence", "Air/drone strike", "ASSAULT"),
    ("Violence against civilians", "Attack", "ASSAULT"),
    ("Protests", "Peaceful protest", "PROTEST"),
    ("Strategic developments", "Agreement", "AGREE"),
)
EVENTS_PER_ARTICLE = 10
BATCH = 128


def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def synthetic_analyses(events: int) -> Iterator[Analysis]:
    """Analysed articles with ``events`` events in all, deterministic."""
    actors = [Actor(id=f"actor-{i}", name=f"Brigade {i}", kind="rebel group", inter_code=2)
              for i in range(50)]
    places = [Place(id=f"place-{i}", name=f"Town {i}", country="Syria", admin1=f"Province {i % 14}",
                    latitude=33 + i / 100, longitude=36 + i / 100) for i in range(200)]
    start = date(2016, 1, 1)
    for a in range(events // EVENTS_PER_ARTICLE):
        text = f"Synthetic article {a}. " * 20
        article = Article(id=_hash("article", a), text=text)
        evs = []
        for k in range(EVENTS_PER_ARTICLE):
            n = a * EVENTS_PER_ARTICLE + k
            kind = TYPES[n % len(TYPES)]
            evs.append(Event(
                id=_hash("event", n), event_type=kind[0], sub_event_type=kind[1],
                plover_type=kind[2], trigger="clashed", event_date=start + timedelta(n % 1095),
                time_precision=1, actor1=actors[n % 50].id, actor2=actors[(n * 7 + 3) % 50].id,
                place_id=places[n % 200].id, geo_precision=1,
                fatalities=Fatalities(n % 9, n % 9 + 2, f"at least {n % 9}"),
                confidence=0.8,
                sources=(Source(article.id, f"Sentence {k}.", k * 20, k * 20 + 19),),
                stage="bench",
            ))
        used_actors = {actors[e_n % 50].id for e_n in range(a * 10, a * 10 + 10)}
        yield Analysis(
            article=article, events=tuple(evs),
            actors=tuple(x for x in actors if x.id in used_actors),
            places=tuple(places[(a * 10 + k) % 200] for k in range(EVENTS_PER_ARTICLE)),
        )


def timed(func: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def load(path: Path, events: int) -> float:
    """Seconds to store ``events`` synthetic events, one transaction per batch of articles."""
    with Store(path) as store:
        batch: list[Analysis] = []
        start = time.perf_counter()
        for analysis in synthetic_analyses(events):
            store.add_article(analysis.article)
            batch.append(analysis)
            if len(batch) == BATCH:
                store.save_analyses(batch)
                batch.clear()
        store.save_analyses(batch)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--load-repeat", type=int, default=3)
    args = parser.parse_args()
    from harness import machine, merge_results

    queries = {
        "type": EventFilter(event_type="Battles"),
        "actor": EventFilter(actor="Brigade 7"),
        "place": EventFilter(place="Town 42"),
        "date range (1 month)": EventFilter(since=date(2017, 3, 1), until=date(2017, 3, 31)),
        "type + place + dates": EventFilter(event_type="Battles", place="Province 3",
                                            since=date(2016, 6, 1), until=date(2016, 12, 31)),
        "type, first page of 100": EventFilter(event_type="Battles", limit=100),
    }
    with tempfile.TemporaryDirectory() as tmp:
        loads = [load(Path(tmp) / f"store{i}.duckdb", args.events)
                 for i in range(args.load_repeat)]
        found: dict[str, dict[str, float]] = {}
        with Store(Path(tmp) / "store0.duckdb", read_only=True) as store:
            stored = store.count("events")
            for name, where in queries.items():
                seconds, rows = timed(lambda w=where: Reader(store).mentions(w), args.repeat)
                found[name] = {"ms": round(seconds * 1000, 1), "rows": len(rows)}
    result = {
        "events": stored, "articles": args.events // EVENTS_PER_ARTICLE,
        "load_s": round(statistics.median(loads), 2), "load_s_all": [round(x, 2) for x in loads],
        "load_events_per_s": round(stored / statistics.median(loads)),
        "queries": found, "repeat": args.repeat, "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%d"),
        # Other work on the machine skews timings: record how busy it was at the end.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    merge_results("store", result)
    print(f"Load {stored:,} events: {result['load_s']} s "
          f"({result['load_events_per_s']:,} events/s, median of {args.load_repeat})\n")
    print("| query (Store.events) | rows | ms (median) |\n|---|---|---|")
    for name, row in found.items():
        print(f"| {name} | {row['rows']:,} | {row['ms']} |")
    print(f"machine: {result['machine']}")


if __name__ == "__main__":
    main()
