"""Issue 15 against the HTTP API: a real uvicorn server on 127.0.0.1, a real DuckDB file and the
real extraction (spaCy model loaded), with articles written for these tests."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_api_helpers import TOKEN, build_sample_db, client, serve

from sitreps.api import create_app
from sitreps.ingest.web import fetch, read_url, refused_kind
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


PAGE = (
    "<html><head><title>Shelling near Binnish</title></head><body><article>"
    + "<p>Government troops shelled Binnish in Idlib province on Sunday, killing four "
    "civilians, residents said. Rebel fighters answered with rockets.</p>" * 3
    + "</article></body></html>"
).encode()


@contextmanager
def intranet_site() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 standing for an internal service; logs every path hit."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            hits.append(self.path)
            if self.path.startswith("/hop"):
                self.send_response(302)
                self.send_header("Location", "/internal")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "form",
    [
        "http://{host}/internal",
        "http://localhost:{port}/admin",  # a name that resolves to loopback
        "http://2130706433:{port}/metrics",  # 127.0.0.1 as one decimal number
        "http://127.9.9.9:{port}/",  # anywhere in 127/8
        "http://{host}/hop-to-internal",  # a redirect target would be refused as well
    ],
)
def test_api_ingest_refuses_urls_on_the_servers_own_network(ingest_server, form: str) -> None:
    http_client, _, _ = ingest_server
    with intranet_site() as (host, hits):
        url = form.format(host=host, port=host.split(":")[1])
        answer = http_client.post("/api/ingest", json={"urls": [url]}, headers=AUTH)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["added"] == 0
        assert any("refused" in e and "loopback" in e for e in body["errors"]), body
        assert hits == []  # not one byte was fetched


def test_api_ingest_fetches_private_urls_when_the_operator_allows(db_path: Path) -> None:
    app = create_app(db_path, allow_ingest=True, token=TOKEN, allow_private_urls=True)
    with intranet_site() as (host, hits), serve(app) as base, client(base) as c:
        c.timeout = 300
        answer = c.post("/api/ingest", json={"urls": [f"http://{host}/hop"]}, headers=AUTH)
        assert answer.status_code == 200, answer.text
        assert answer.json()["added"] == 1, answer.json()
        assert hits == ["/hop", "/internal"]
    app.state.db.close()


def test_fetch_refuses_loopback_only_when_asked() -> None:
    with intranet_site() as (host, hits):
        # The CLI fetches what its user names, redirects included.
        fetched = fetch(f"http://{host}/hop")
        assert getattr(fetched, "body", None) == PAGE
        refused = fetch(f"http://{host}/hop", allow_private=False)
        assert getattr(refused, "reason", "").startswith("refused")
        assert hits == ["/hop", "/internal"]
        # A feed URL is refused before any of its entry links could be followed.
        [record] = read_url(f"http://{host}/feed.xml", allow_private=False)
        assert getattr(record, "reason", "").startswith("refused")
        assert hits == ["/hop", "/internal"]


@pytest.mark.parametrize(
    ("address", "kind"),
    [("10.20.30.40", "private"), ("172.31.0.9", "private"), ("192.168.77.1", "private"),
     ("169.254.169.254", "link-local"), ("224.0.0.251", "multicast"), ("0.0.0.0", "unspecified"),
     ("::1", "loopback"), ("fe80::1%eth0", "link-local"), ("fd12:3456::1", "private"),
     ("::ffff:192.168.1.1", "private"), ("100.64.1.1", "non-public"), ("93.184.216.34", None)],
)
def test_refused_kind_sorts_addresses(address: str, kind: str | None) -> None:
    assert refused_kind(address) == kind


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"place": "%"}, 0), ({"place": "_"}, 0), ({"place": "Kafr%Nabl"}, 0),
     ({"actor": "%"}, 0), ({"actor": "H_ll"}, 0), ({"place": "Kafr Nabl"}, None),
     ({"actor": "Hill"}, None)],
)
def test_api_like_filters_take_percent_and_underscore_literally(tmp_path, params, expected):
    sample = build_sample_db(tmp_path / "like.duckdb")
    app = create_app(sample.path)
    with serve(app) as base, client(base) as c:
        total = c.get("/api/events", params={**params, "limit": 500}).json()["total"]
        names = c.get("/api/actors", params={"name": params.get("actor", "x%")}).json()["total"]
    app.state.db.close()
    if expected is None:  # the plain name still matches as a substring
        assert 0 < total < sample.events
    else:
        assert total == expected
        assert names == 0
