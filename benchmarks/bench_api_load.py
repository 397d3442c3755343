"""API latency under load: 20 concurrent clients on a 1,000-article database (issue 16).

    PYTHONPATH=src python benchmarks/bench_api_load.py \
        --corpus ../shared/corpus/fakes_articles.jsonl \
        --corpus ../shared/corpus/indiapoliceevents/docs.jsonl:doc_text:doc_id

The database is built the way users build one: ``sitreps run`` on corpus articles until
``--articles`` are stored (FA-KES has 774 distinct articles, so a second corpus tops it up;
``PATH:TEXT_COL:ID_COL`` names its fields), or ``--db`` reuses a database built before. Then
the real server runs in a child process (``sitreps serve``: uvicorn, access log on, as users
run it) and ``--clients`` threads, each with its own keep-alive HTTP client, send
``--requests`` requests in all, round-robin over the list endpoints below.

Reported per endpoint and over all requests: p50 and p95 (ms) at ``--clients`` clients, and
the same requests from one client measured in the same run (before and after the load, so both
see the same machine), whose ratio shows what concurrency itself costs. The target (issue 16)
is p95 <= 100 ms at 20 clients for every list endpoint. Merged into
``benchmarks/results.json`` under "api_load"; a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_api import free_port, percentile  # noqa: E402
from harness import machine, merge_results  # noqa: E402

from sitreps.store.duckdb import Store  # noqa: E402

TARGET_P95_MS = 100.0
# name -> (path, query string): the list endpoints the dashboard and API users page through.
ENDPOINTS: dict[str, tuple[str, dict[str, str]]] = {
    "events": ("/api/events", {}),
    "events: type": ("/api/events", {"type": "Explosions/Remote violence"}),
    "events: place": ("/api/events", {"place": "Aleppo"}),
    "events: actor + dates": ("/api/events", {"actor": "Syrian", "since": "2015-01-01",
                                              "until": "2016-12-31"}),
    "events: words": ("/api/events", {"q": "killed"}),
    "events: page 3": ("/api/events", {"offset": "100"}),
    "actors": ("/api/actors", {}),
    "relations": ("/api/relations", {}),
    "clusters": ("/api/clusters", {}),
    "timeline": ("/api/timeline", {}),
    "stats": ("/api/stats", {}),
    "control claims": ("/api/control/claims", {}),
}


# Events pages asked for: the first few pages of every events request above, as people page.
PAGES = 5


def plan(requests: int) -> list[tuple[str, dict[str, str]]]:
    """``requests`` requests, round-robin over ENDPOINTS, events requests over PAGES pages."""
    names = list(islice(cycle(ENDPOINTS), requests))
    out = []
    for index, name in enumerate(names):
        path, params = ENDPOINTS[name]
        if path == "/api/events":
            page = (index // len(ENDPOINTS)) % PAGES
            params = {**params, "offset": str(int(params.get("offset", 0)) + 50 * page)}
        out.append((name, dict(params)))
    return out


def start_server(db: Path, port: int, cache: bool) -> subprocess.Popen:
    """``sitreps serve`` in a child process (its own GIL), with or without its response
    cache; returns once it answers."""
    env = {**os.environ, "SITREPS_API_CACHE": "1" if cache else "0"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from sitreps.cli import main; main()", "serve",
         "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"sitreps serve exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=60).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("sitreps serve did not start within 120 s")


def build(db: Path, corpora: list[str], articles: int) -> int:
    """``sitreps run`` each corpus (whole, in order) until ``articles`` are stored."""
    with tempfile.TemporaryDirectory() as tmp:
        for spec in corpora:
            stored = _stored(db)
            if stored >= articles:
                break
            path, text_col, id_col = (spec.split(":") + ["text", "id"])[:3]
            subset = Path(tmp) / f"{len(os.listdir(tmp))}.jsonl"
            with open(path, encoding="utf-8") as src, subset.open("w", encoding="utf-8") as dst:
                # Near-duplicates are linked, not stored: take a margin, then stop at the count.
                dst.writelines(islice(src, int((articles - stored) * 1.1) + 5))
            subprocess.run(
                [sys.executable, "-c", "from sitreps.cli import main; main()", "run", str(subset),
                 "--db", str(db), "--text-col", text_col, "--id-col", id_col],
                check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
    return _stored(db)


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    with Store(db, read_only=True) as store:
        return store.count("articles")


def one_client(port: int, requests: list[tuple[str, dict[str, str]]]) -> dict[str, list[float]]:
    """Send ``requests`` in order from one keep-alive client; ms per endpoint."""
    times: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
        for name, params in requests:
            path = ENDPOINTS[name][0]
            start = time.perf_counter()
            response = http.get(path, params=params)
            elapsed = (time.perf_counter() - start) * 1000
            response.raise_for_status()
            times[name].append(elapsed)
    return times


def load(port: int, clients: int, requests: int) -> dict[str, list[float]]:
    """``requests`` requests from ``clients`` threads at once, round-robin over ENDPOINTS."""
    requested = plan(requests)
    plans = [requested[i::clients] for i in range(clients)]
    results: list[dict[str, list[float]]] = [{} for _ in range(clients)]
    barrier = threading.Barrier(clients)

    def work(index: int) -> None:
        barrier.wait()
        results[index] = one_client(port, plans[index])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    for result in results:
        for name, values in result.items():
            merged[name].extend(values)
    return merged


def summary(times: dict[str, list[float]]) -> dict[str, Any]:
    every = [t for values in times.values() for t in values]
    rows = {
        name: {"p50_ms": round(percentile(v, 0.5), 1), "p95_ms": round(percentile(v, 0.95), 1),
               "requests": len(v)}
        for name, v in times.items() if v
    }  # fmt: skip
    rows["all"] = {"p50_ms": round(percentile(every, 0.5), 1),
                   "p95_ms": round(percentile(every, 0.95), 1), "requests": len(every)}
    return rows


def measure(db: Path, cache: bool, clients: int, requests: int) -> dict[str, Any]:
    """One server: warm it, then one client, ``clients`` at once, and one client again."""
    port = free_port()
    server = start_server(db, port, cache)
    try:
        rounds = len(ENDPOINTS) * PAGES
        one_client(port, plan(rounds))  # warm-up: the merged tables and the text index
        alone = one_client(port, plan(rounds))
        loaded = load(port, clients, requests)
        after = one_client(port, plan(rounds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name in alone:
        alone[name].extend(after[name])
    concurrent, single = summary(loaded), summary(alone)
    worst = max((r["p95_ms"], n) for n, r in concurrent.items() if n != "all")
    return {
        "concurrent": concurrent,
        "one_client": single,
        "p95_ratio_to_one_client": round(concurrent["all"]["p95_ms"]
                                         / max(single["all"]["p95_ms"], 1e-9), 2),
        "worst_p95_ms": worst[0],
        "worst_endpoint": worst[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", default=[],
                        help="PATH[:TEXT_COL:ID_COL] of a JSONL corpus (repeatable).")
    parser.add_argument("--db", type=Path, help="Reuse (or build into) this database.")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "api-load.duckdb"
        stored = _stored(db)
        if stored < args.articles:
            if not args.corpus:
                parser.error(f"{db} holds {stored} articles: pass --corpus to build it")
            stored = build(db, args.corpus, args.articles)
        runs = {"cached": measure(db, True, args.clients, args.requests),
                "uncached": measure(db, False, args.clients, args.requests)}
    result = {
        "articles": stored,
        "clients": args.clients,
        "requests": args.requests,
        "distinct_requests": len({(n, tuple(sorted(p.items()))) for n, p in plan(args.requests)}),
        **runs,
        "uncached_over_cached_p95": round(runs["uncached"]["concurrent"]["all"]["p95_ms"]
                                          / max(runs["cached"]["concurrent"]["all"]["p95_ms"],
                                                1e-9), 2),
        "target_p95_ms": TARGET_P95_MS,
        "met": runs["cached"]["worst_p95_ms"] <= TARGET_P95_MS,
        "machine": machine(),
        "load_average": os.getloadavg()[0],
        "measured_at": time.strftime("%Y-%m-%d"),
    }
    merge_results("api_load", result)
    print(f"| endpoint | p50 / p95 at {args.clients} clients, cached (ms) | uncached | "
          "one client, cached | one client, uncached |")
    print("|---|---|---|---|---|")
    for name in runs["cached"]["concurrent"]:
        cells = [runs[k][s][name] for s in ("concurrent", "one_client")
                 for k in ("cached", "uncached")]
        print(f"| {name} | " + " | ".join(f"{c['p50_ms']} / {c['p95_ms']}" for c in cells) + " |")
    print(f"{stored} articles, {result['distinct_requests']} distinct requests; worst p95 "
          f"{runs['cached']['worst_p95_ms']} ms cached ({runs['cached']['worst_endpoint']}), "
          f"{runs['uncached']['worst_p95_ms']} ms uncached; target <= {TARGET_P95_MS} ms; "
          f"machine {result['machine']}, load average {result['load_average']:.2f}")


if __name__ == "__main__":
    main()
