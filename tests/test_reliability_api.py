"""Issue 15 against the HTTP API: a real uvicorn server on 127.0.0.1, a real DuckDB file and the
real extraction (spaCy model loaded), with articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_api_helpers import TOKEN, client, serve

from sitreps.api import create_app
from sitreps.store.duckdb import _BULK_ROWS, Store

AUTH = {"authorization": f"Bearer {TOKEN}"}
TOWNS = ("Maarat al-Numan", "Saraqeb", "Jisr al-Shughur", "Ariha", "Khan Shaykhun", "Binnish")
ARMED = ("Rebel fighters", "Government troops", "Islamic State militants", "Kurdish forces")


def _dispatch(i: int) -> dict[str, str]:
    """A short news item with several places and actors, so a batch writes many rows."""
    town, other = TOWNS[i % len(TOWNS)], TOWNS[(i + 2) % len(TOWNS)]
    who, whom = ARMED[i % len(ARMED)], ARMED[(i + 1) % len(ARMED)]
    return {
        "title": f"Dispatch {i} from {town}",
        "date": f"2019-0{1 + i % 9}-1{i % 10}",
        "text": (
            f"{who} shelled {town} in Idlib province on Tuesday, killing {3 + i} civilians, "
            f"a monitoring group said. {whom} clashed with {who.lower()} near {other} and "
            f"Aleppo later that day. Dispatch number {i} said residents fled toward Turkey."
        ),
    }


@pytest.fixture
def ingest_server(db_path: Path) -> Iterator[tuple[object, Path, object]]:
    app = create_app(db_path, allow_ingest=True, token=TOKEN)
    with serve(app) as base, client(base) as c:
        c.timeout = 300
        yield c, db_path, app
    app.state.db.close()


def test_api_ingest_real_extraction_bulk_batch_then_more(ingest_server) -> None:
    http, db_path, app = ingest_server
    texts = [_dispatch(i) for i in range(30)]
    answer = http.post("/api/ingest", json={"texts": texts}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["added"] == 30 and body["articles_extracted"] == 30
    assert body["events"] > 0
    # A later POST (the issue: every later one failed) works and extracts only its article.
    again = http.post("/api/ingest", json={"texts": [_dispatch(99)]}, headers=AUTH)
    assert again.status_code == 200, again.text
    assert again.json()["articles_extracted"] == 1
    events = http.get("/api/events", params={"limit": 500, "modality": "asserted"}).json()
    assert events["total"] > 0
    app.state.db.close()
    with Store(db_path, read_only=True) as store:
        # The first batch really went through the bulk path, and nothing is left pending.
        assert store.count("mentions") >= _BULK_ROWS
        assert store.count_unprocessed() == 0
        assert store.count("articles") == 31
