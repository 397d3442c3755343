"""The API's response cache, through a real uvicorn server on 127.0.0.1 (issue 16): a repeated
GET is answered from memory with the same bytes and headers, errors and exports are never
kept, and an ingest makes every later answer fresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_api_helpers import TOKEN, build_sample_db, client, make_article_analysis, serve

from sitreps.api import create_app
from sitreps.jobs import ExtractReport
from sitreps.store.duckdb import Store

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = (
    "Rebel fighters shelled the town of Sample on Tuesday, killing four civilians, "
    "a local monitoring group said in a statement on Wednesday."
)


def _counts(app) -> tuple[int, int]:
    cache = app.state.response_cache
    return cache.hits, cache.misses


@pytest.fixture
def served(tmp_path: Path):
    sample = build_sample_db(tmp_path / "cache.duckdb", n=12)
    app = create_app(sample.path)
    with serve(app) as base, client(base) as http:
        yield app, http
    app.state.db.close()


def test_api_cache_answers_a_repeated_request_with_the_same_bytes(served):
    app, http = served
    first = http.get("/api/events", params={"limit": 5})
    hits, misses = _counts(app)
    second = http.get("/api/events", params={"limit": 5})
    assert _counts(app) == (hits + 1, misses)
    assert second.status_code == 200 and second.content == first.content
    # The guard wraps the cache: a cached answer carries the security headers too.
    assert second.headers["x-content-type-options"] == "nosniff"
    assert second.headers["content-type"] == first.headers["content-type"]
    # Another query string is another answer.
    other = http.get("/api/events", params={"limit": 6})
    assert _counts(app) == (hits + 1, misses + 1)
    assert len(other.json()["items"]) == 6


def test_api_cache_keeps_no_errors_and_no_exports(served):
    app, http = served
    for _ in range(2):
        assert http.get("/api/events/nope").status_code == 404
        assert http.get("/api/events", params={"limit": 0}).status_code == 422
    assert app.state.response_cache.size == 0  # nothing kept: errors are recomputed
    for _ in range(2):
        assert http.get("/api/export", params={"format": "csv"}).status_code == 200
    hits, _ = _counts(app)
    assert hits == 0 and app.state.response_cache.size == 0


def _extract_one_event(store: Store, config: object) -> ExtractReport:
    """Stand in for spaCy: store one generated event for the new article."""
    pending = list(store.unprocessed_articles())
    analysis = make_article_analysis(500)
    store.add_article(analysis.article)
    store.save_analyses([analysis])
    store.mark_failed([a.id for a in pending])
    return ExtractReport(articles=len(pending), events=1)


def test_api_cache_is_dropped_by_an_ingest(tmp_path: Path):
    sample = build_sample_db(tmp_path / "ingest.duckdb", n=4)
    app = create_app(sample.path, allow_ingest=True, token=TOKEN, extract=_extract_one_event)
    with serve(app) as base, client(base) as http:
        before = http.get("/api/events").json()
        assert http.get("/api/events").json() == before  # kept
        answer = http.post("/api/ingest", json={"texts": [{"text": ARTICLE}]}, headers=AUTH)
        assert answer.status_code == 200, answer.text
        hits, misses = _counts(app)
        after = http.get("/api/events").json()
        assert _counts(app) == (hits, misses + 1)  # recomputed, not the kept answer
        assert after["total"] == before["total"] + 1
    app.state.db.close()


def test_api_cache_can_be_turned_off(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SITREPS_API_CACHE", "0")
    sample = build_sample_db(tmp_path / "off.duckdb", n=4)
    app = create_app(sample.path)
    with serve(app) as base, client(base) as http:
        assert http.get("/api/stats").content == http.get("/api/stats").content
        assert _counts(app) == (0, 0) and app.state.response_cache.size == 0
    app.state.db.close()


def test_api_cache_passes_the_lifespan_through(tmp_path: Path):
    """The app's startup and shutdown (a scope with no path) go through the cache layer."""
    from fastapi.testclient import TestClient

    sample = build_sample_db(tmp_path / "life.duckdb", n=4)
    app = create_app(sample.path)
    try:
        with TestClient(app) as http:
            assert http.get("/api/stats").json() == http.get("/api/stats").json()
            assert _counts(app) == (1, 1)
    finally:
        app.state.db.close()
