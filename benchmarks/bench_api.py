"""Latency of the HTTP API over 100,000 events, against the same SQL run directly in DuckDB.

    python benchmarks/bench_api.py --events 100000 --repeat 50

Builds a DuckDB file from ``bench_store.synthetic_analyses`` (bulk: a few large
``Store.save_analyses`` transactions), starts the real server in a child process
(``sitreps serve``: uvicorn, one process, access log on, as users run it) and times
``/api/events`` with each filter and ``/api/stats`` from an HTTP client with keep-alive.

The direct figure is the exact SQL the API runs for that request, recorded from the query
library (``sitreps.query.Reader``, as the server calls it) with the same parameters, executed
on a plain DuckDB cursor over the same file attached read-only (``fetchall``, no dicts, no
JSON). Each repetition times the direct
run and then the HTTP request, so both see the same machine load. Reported: p50 and p95 of
--repeat runs each, and p95(HTTP) / p95(direct), whose target is <= 3. Merged into
``benchmarks/results.json`` under "api"; a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_store import EVENTS_PER_ARTICLE, synthetic_analyses  # noqa: E402
from harness import machine, merge_results  # noqa: E402

from sitreps.api.database import Database  # noqa: E402
from sitreps.merge import run_merge  # noqa: E402
from sitreps.query import EventQuery, factual_filter, parse_bbox  # noqa: E402
from sitreps.store.duckdb import Store  # noqa: E402

TARGET_RATIO = 3.0
# Articles per save_analyses transaction: large enough for the store's JSON bulk path.
BULK_ARTICLES = 2000
PAGE = 50  # the API's default page size, which the dashboard's table also asks for
# name -> (path, query string); the filters mirror bench_store.py so the figures line up.
REQUESTS: dict[str, tuple[str, dict[str, str]]] = {
    "events: no filter": ("/api/events", {}),
    "events: type": ("/api/events", {"type": "Battles"}),
    "events: actor": ("/api/events", {"actor": "Brigade 7"}),
    "events: place": ("/api/events", {"place": "Town 42"}),
    "events: date range (1 month)": ("/api/events", {"since": "2017-03-01",
                                                    "until": "2017-03-31"}),
    "events: bbox": ("/api/events", {"bbox": "36,33,36.5,33.5"}),
    "events: type + place + dates": ("/api/events", {"type": "Battles", "place": "Province 3",
                                                    "since": "2016-06-01",
                                                    "until": "2016-12-31"}),
    "stats: no filter": ("/api/stats", {}),
    "stats: type": ("/api/stats", {"type": "Battles"}),
}


def build(path: Path, events: int) -> float:
    """Store ``events`` synthetic events in a few large transactions; seconds taken."""
    start = time.perf_counter()
    analyses = synthetic_analyses(events)
    with Store(path) as store:
        while batch := list(islice(analyses, BULK_ARTICLES)):
            # The articles go in through the store's bulk insert too: add_article checks and
            # inserts one row at a time, which would dominate the build.
            store.insert_rows(
                "articles", ("id", "text", "ingested_at"),
                [(a.article.id, a.article.text, "2020-01-01 00:00:00") for a in batch],
            )
            store.save_analyses(batch)
        # The API reads merged events, as every surface does: merge once, as `sitreps run` does.
        run_merge(store)
    return time.perf_counter() - start


def event_query(params: dict[str, str]) -> EventQuery:
    """The ``EventQuery`` the API builds from these query-string parameters."""
    where = factual_filter(
        since=date.fromisoformat(params["since"]) if "since" in params else None,
        until=date.fromisoformat(params["until"]) if "until" in params else None,
        event_type=params.get("type"), actor=params.get("actor"), place=params.get("place"),
        limit=PAGE,
    )
    bbox = parse_bbox(params["bbox"]) if "bbox" in params else None
    return EventQuery(where=where, bbox=bbox)


class _Recorder:
    """Stands in for a store's connection and notes every statement run through it."""

    def __init__(self, con: Any) -> None:
        self._con = con
        self.statements: list[tuple[str, list[Any]]] = []

    def execute(self, sql: str, params: Any = ()) -> Any:
        self.statements.append((sql, list(params)))
        return self._con.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def api_statements(db: Database, path: str, params: dict[str, str]) -> list[tuple[str, list]]:
    """The SQL statements (with parameters) the API runs to answer one request."""
    with db.reader() as reader:
        recorder = _Recorder(reader.store.con)
        reader.store.con = recorder  # type: ignore[assignment]
        query = event_query(params)
        if path == "/api/events":
            reader.events(query, sources=False, count=True)
        else:
            reader.stats(query)
    return recorder.statements


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    """``sitreps serve`` in a child process, so client and server do not share a GIL."""
    server = subprocess.Popen(
        [sys.executable, "-c", "from sitreps.cli import main; main()", "serve",
         "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"sitreps serve exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=30).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("sitreps serve did not start within 60 s")


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by linear interpolation, as numpy's default."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def clock(func: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def measure(
    http: httpx.Client, cursor: Any, path: str, params: dict[str, str],
    statements: list[tuple[str, list]], repeat: int, warmup: int,
) -> dict[str, Any]:
    """p50/p95 of the HTTP request and of its SQL run directly, interleaved."""

    def direct() -> None:
        for sql, values in statements:
            cursor.execute(sql, values).fetchall()

    def request() -> None:
        http.get(path, params=params).raise_for_status()

    api_ms, direct_ms = [], []
    for i in range(warmup + repeat):
        d, a = clock(direct), clock(request)
        if i >= warmup:
            direct_ms.append(d)
            api_ms.append(a)
    answer = http.get(path, params=params).json()
    row: dict[str, Any] = {
        "matches": answer.get("total", answer.get("total_events")),
        "statements": len(statements),
    }
    for name, times in (("api", api_ms), ("direct", direct_ms)):
        row[f"{name}_p50_ms"] = round(statistics.median(times), 2)
        row[f"{name}_p95_ms"] = round(percentile(times, 0.95), 2)
    row["ratio_p50"] = round(row["api_p50_ms"] / row["direct_p50_ms"], 2)
    row["ratio_p95"] = round(row["api_p95_ms"] / row["direct_p95_ms"], 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    found: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "api.duckdb"
        build_s = build(path, args.events)
        with Store(path, read_only=True) as store:
            stored = store.count("events")
        print(f"built {stored:,} events in {build_s:.1f} s", file=sys.stderr)
        port = free_port()
        server = start_server(path, port)
        # Our own read-only attachment of the same file, set up as the server's is.
        db = Database(path)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
                for name, (route, params) in REQUESTS.items():
                    statements = api_statements(db, route, params)
                    with db.store() as store:
                        found[name] = measure(http, store.con, route, params, statements,
                                              args.repeat, args.warmup)
                    print(f"{name}: {found[name]}", file=sys.stderr)
        finally:
            db.close()
            server.terminate()
            server.wait(timeout=30)
    result = {
        "events": stored, "articles": args.events // EVENTS_PER_ARTICLE,
        "build_s": round(build_s, 1), "page_size": PAGE,
        "repeat": args.repeat, "warmup": args.warmup,
        "direct": "the SQL statements sitreps.query.Reader runs for the request, same parameters, "
                  "on a DuckDB cursor over the same file attached read-only, fetchall()",
        "server": "sitreps serve (uvicorn, 1 process) in a child process; httpx keep-alive client",
        "target_ratio_p95": TARGET_RATIO,
        "requests": {name: {"path": REQUESTS[name][0], "params": REQUESTS[name][1], **row}
                     for name, row in found.items()},
        "machine": machine(), "measured_at": time.strftime("%Y-%m-%d"),
        # Other work on the machine skews timings: record how busy it was at the end.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    merge_results("api", result)
    print(f"{stored:,} events, page size {PAGE}, {args.repeat} runs each "
          f"(after {args.warmup} warm-up runs)\n")
    print("| request | matches | API p50 ms | API p95 ms | direct p50 ms | direct p95 ms "
          "| p95 ratio |\n|---|---|---|---|---|---|---|")
    for name, row in found.items():
        flag = "" if row["ratio_p95"] <= TARGET_RATIO else " (over target)"
        print(f"| {name} | {row['matches']:,} | {row['api_p50_ms']} | {row['api_p95_ms']} "
              f"| {row['direct_p50_ms']} | {row['direct_p95_ms']} | {row['ratio_p95']}×{flag} |")
    print(f"\nmachine: {result['machine']}, load average {result['load_average_1m']}")


if __name__ == "__main__":
    main()
