"""Concurrency: the API keeps answering reads, without errors or torn results, while the same
server ingests and extracts articles (DuckDB allows one writer process; here the server is it)."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from test_api_helpers import TOKEN, build_sample_db, client, serve
from test_reliability_crash import varied_article

from sitreps.api.app import create_app


def test_reliability_reads_during_ingest_see_no_errors_or_torn_results(tmp_path: Path, nlp):
    db = build_sample_db(tmp_path / "busy.duckdb", n=30)
    app = create_app(db.path, allow_ingest=True, token=TOKEN)
    errors: list[str] = []
    served = 0
    stop = threading.Event()
    lock = threading.Lock()

    def read_loop(base: str) -> None:
        nonlocal served
        last_total = 0
        with client(base) as http:
            while not stop.is_set():
                for path in ("/api/events?limit=20", "/api/stats", "/api/timeline"):
                    answer = http.get(path)
                    if answer.status_code != 200:
                        errors.append(f"{path}: {answer.status_code} {answer.text[:200]}")
                        continue
                    if path.startswith("/api/events"):
                        body = answer.json()
                        # Totals only grow, and a page never claims more rows than exist.
                        if body["total"] < last_total or len(body["items"]) > body["total"]:
                            errors.append(f"torn read: {body['total']} after {last_total}")
                        last_total = body["total"]
                    with lock:
                        served += 1

    with serve(app) as base, client(base) as writer:
        readers = [threading.Thread(target=read_loop, args=(base,)) for _ in range(4)]
        for thread in readers:
            thread.start()
        rng = random.Random(11)
        for _ in range(3):
            texts = [{"text": varied_article(rng), "date": f"2024-05-0{k + 1}"} for k in range(4)]
            answer = writer.post("/api/ingest", json={"texts": texts},
                                 headers={"Authorization": f"Bearer {TOKEN}"})
            assert answer.status_code == 200, answer.text
            assert answer.json()["added"] == 4
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
        final = writer.get("/api/events?limit=1").json()["total"]
    app.state.db.close()
    assert not errors, errors[:5]
    assert served > 20
    print(f"served {served} reads during 3 ingest batches")
    assert final > db.events  # the ingested articles' events are visible to readers
