"""The HTTP API against a real DuckDB file through a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pytest
from test_api_helpers import TOKEN, XSS_ID, XSS_TEXT, build_sample_db, client, serve

from sitreps.api import create_app
from sitreps.api.app import IngestTokenMissing
from sitreps.api.database import DatabaseUnavailable
from sitreps.jobs import ExtractReport
from sitreps.query import parse_bbox
from sitreps.store.duckdb import Store


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample_db(tmp_path_factory.mktemp("api") / "api.duckdb")


@pytest.fixture(scope="module")
def http(sample):
    app = create_app(sample.path)
    with serve(app) as base, client(base) as c:
        yield c
    app.state.db.close()


def test_api_events_pages_and_counts(http, sample):
    first = http.get("/api/events", params={"limit": 10}).json()
    assert first["total"] == sample.events
    assert len(first["items"]) == 10
    dates = [e["event_date"] for e in first["items"]]
    assert dates == sorted(dates, reverse=True)
    second = http.get("/api/events", params={"limit": 10, "offset": 10}).json()
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    tail = http.get("/api/events", params={"limit": 500, "offset": sample.events - 1}).json()
    assert len(tail["items"]) == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Battles"}, 30),
        ({"actor": "gov"}, 80),
        ({"actor": "Hill"}, 81),
        ({"place": "Nineveh"}, 30),
        ({"place": "gn:1"}, 30),
        ({"since": "2020-12-01"}, 9),
        ({"until": "2020-01-10"}, 4),
        ({"since": "2020-01-04", "until": "2020-01-04"}, 1),
        ({"bbox": "43,36,44,37"}, 30),
        ({"bbox": "-10,-10,10,10"}, 0),
        ({"q": "shelled"}, 30),
        ({"q": "fighters"}, 1),
        ({"q": "clashed Sample"}, 30),
        ({"q": "day 7"}, 1),
        ({"modality": "reported"}, 20),
        ({"type": "Battles", "place": "Idlib", "actor": "Rebel"}, 20),
    ],
)
def test_api_events_filters(http, params, expected):
    answer = http.get("/api/events", params={**params, "limit": 500})
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == expected


def test_api_event_detail_has_sources_that_slice_the_article(http):
    event = http.get("/api/events/ev007").json()
    [source] = event["sources"]
    article = http.get(f"/api/articles/{source['article_id']}").json()
    assert article["text"][source["start"] : source["end"]] == source["sentence"]
    assert source["title"] == "Report 7"
    assert {"event_id": "ev007", "start": source["start"], "end": source["end"]} in article[
        "event_spans"
    ]
    [mention] = article["mentions"]
    assert article["text"][mention["start"] : mention["end"]] == mention["text"]


@pytest.mark.parametrize(
    "path",
    ["/api/events/nope", "/api/actors/nope", "/api/articles/nope", "/api/nothing-here"],
)
def test_api_unknown_ids_are_404(http, path):
    answer = http.get(path)
    assert answer.status_code == 404
    assert answer.json()["detail"]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/events", {"limit": 0}, "limit"),
        ("/api/events", {"limit": 501}, "limit"),
        ("/api/events", {"offset": -1}, "offset"),
        ("/api/events", {"since": "yesterday"}, "since"),
        ("/api/events", {"since": "2021-01-01", "until": "2020-01-01"}, "since must be"),
        ("/api/events", {"bbox": "1,2,3"}, "bbox"),
        ("/api/events", {"bbox": "10,0,5,1"}, "bbox"),
        ("/api/events", {"bbox": "a,b,c,d"}, "bbox"),
        ("/api/events", {"q": "x" * 201}, "q"),
        ("/api/events", {"actor": "bad\x00name"}, "actor"),
        ("/api/events", {"modality": "certain"}, "modality"),
        ("/api/timeline", {"interval": "year"}, "interval"),
        ("/api/control", {"at": "2020-13-01"}, "at"),
        ("/api/clusters", {"cell": 0}, "cell"),
        ("/api/export", {"format": "xlsx"}, "format"),
        ("/api/export", {"all": "maybe"}, "all"),
        ("/api/relations", {"predicate": "loves"}, "predicate"),
    ],
)
def test_api_bad_parameters_are_422_with_a_message(http, path, params, message):
    answer = http.get(path, params=params)
    assert answer.status_code == 422, answer.text
    assert message in answer.json()["detail"]


def test_api_clusters_group_events_by_cell(http, sample):
    coarse = http.get("/api/clusters", params={"cell": 45}).json()
    assert coarse["total"] == sample.events
    fine = http.get("/api/clusters", params={"cell": 0.01}).json()
    assert len(fine["clusters"]) == 4  # the four sample places
    assert sum(c["count"] for c in fine["clusters"]) == sample.events
    single = http.get("/api/clusters", params={"cell": 0.01, "q": "fighters"}).json()
    [cell] = single["clusters"]
    assert cell["event_id"] == "ev-xss"


def test_api_timeline_and_stats(http, sample):
    days = http.get("/api/timeline", params={"interval": "day"}).json()["points"]
    assert sum(p["count"] for p in days) == sample.events
    months = http.get("/api/timeline", params={"interval": "month"}).json()["points"]
    assert all(p["period"].endswith("-01") for p in months)
    stats = http.get("/api/stats").json()
    assert stats["total_events"] == sample.events
    assert sum(r["count"] for r in stats["by_month"]) == sample.events
    assert {r["key"] for r in stats["by_type"]} >= {"Battles", "Protests"}
    assert {r["key"] for r in stats["by_admin1"]} == {"Idlib", "Aleppo", "Nineveh"}
    assert stats["by_actor"][0]["count"] >= stats["by_actor"][-1]["count"]
    battles = http.get("/api/stats", params={"type": "Battles"}).json()
    assert battles["total_events"] == 30


def test_api_actors_relations_and_control(http):
    actors = http.get("/api/actors").json()
    assert actors["total"] == 4
    assert [a["id"] for a in http.get("/api/actors", params={"name": "front"}).json()["items"]] \
        == ["reb"]
    assert http.get("/api/actors", params={"limit": 1, "offset": 1}).json()["items"][0]["id"]
    gov = http.get("/api/actors/gov", params={"events": 3}).json()
    assert gov["event_count"] == 80 and len(gov["events"]) == 3
    assert {r["predicate"] for r in gov["relations"]} == {"fights", "backs"}
    backs = http.get("/api/relations", params={"predicate": "backs"}).json()["items"]
    assert {(r["subject_id"], r["object_id"]) for r in backs} == {
        ("ext", "gov"), ("ext", "reb"), ("ext", "mil")
    }
    assert all(s["sentence"] for r in backs for s in r["sources"])
    early = http.get("/api/control", params={"at": "2019-12-31"}).json()
    assert early["items"] == []
    later = http.get("/api/control", params={"at": "2020-03-01"}).json()["items"]
    by_place = {c["place_id"]: c for c in later}
    # Claims every 9 days (i % 3 == 0); the latest on or before March 1st per place wins.
    assert all(c["date"] <= "2020-03-01" for c in later)
    assert len(by_place) == len(later)


def test_api_article_keeps_markup_as_text(http):
    article = http.get(f"/api/articles/{XSS_ID}").json()
    assert article["text"] == XSS_TEXT
    assert "<script>" in article["text"]


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("json", "sitreps-export.json"), ("csv", "sitreps-events.csv"),
     ("acled-csv", "sitreps-acled.csv"), ("geojson", "sitreps-events.geojson"),
     ("parquet", "sitreps-events.parquet")],
)
def test_api_export_names_are_fixed(http, fmt, name):
    answer = http.get("/api/export", params={"format": fmt, "actor": "../../etc/passwd"})
    assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'


@pytest.mark.parametrize(
    "fmt", ["../../etc/passwd", "json/../../x", "csv\r\nX-Injected: 1", "xlsx", "/tmp/x.json"]
)
def test_api_export_format_cannot_steer_the_file_name(http, fmt):
    answer = http.get("/api/export", params={"format": fmt})
    assert answer.status_code == 422
    assert "content-disposition" not in answer.headers
    assert "X-Injected" not in answer.headers


@pytest.mark.parametrize("fmt", ["json", "csv", "acled-csv", "geojson", "parquet"])
def test_api_export_streams_each_format(http, sample, fmt, tmp_path):
    answer = http.get("/api/export", params={"format": fmt})
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    if fmt == "json":
        assert len(answer.json()["events"]) == sample.events
    elif fmt == "geojson":
        assert len(answer.json()["features"]) == sample.events
    elif fmt == "parquet":
        assert answer.content[:4] == b"PAR1"
        (tmp_path / "e.parquet").write_bytes(answer.content)
        import duckdb

        ids = duckdb.sql(f"SELECT id FROM '{tmp_path / 'e.parquet'}'").fetchall()
        assert len(ids) == sample.events
    else:
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        assert len(rows) == sample.events  # all sample events are asserted or reported
    filtered = http.get("/api/export", params={"format": "geojson", "type": "Protests"}).json()
    assert len(filtered["features"]) == 30


def test_api_security_headers_on_every_answer(http):
    for path in ("/", "/api/events", "/api/events/nope", "/static/app.js", "/docs"):
        headers = http.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "access-control-allow-origin" not in headers
    preflight = http.options(
        "/api/events",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_api_docs_and_openapi(http):
    spec = http.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/actors", "/api/actors/{actor_id}",
            "/api/relations", "/api/control", "/api/timeline", "/api/stats",
            "/api/articles/{article_id}", "/api/export", "/api/ingest", "/api/clusters"} <= set(
        spec["paths"]
    )
    assert http.get("/docs").status_code == 200
    assert http.get("/static/..%2Fapi%2Fapp.py").status_code == 404


def test_api_ingest_is_refused_when_disabled(http):
    answer = http.post("/api/ingest", json={"texts": [{"text": "x"}]},
                       headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 403


def test_api_read_only_server_needs_an_existing_file(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="sitreps run"):
        create_app(tmp_path / "missing.duckdb")
    with pytest.raises(IngestTokenMissing):
        create_app(tmp_path / "new.duckdb", allow_ingest=True, token="")


def test_api_parse_bbox_checks_order():
    assert parse_bbox("-1,-2,3,4") == (-1.0, -2.0, 3.0, 4.0)
    with pytest.raises(ValueError):
        parse_bbox("0,0,200,1")


# -- ingest, with the write lock held by the server -----------------------------------------

ARTICLE = (
    "Rebel fighters shelled the town of Sample on Tuesday, killing four civilians, "
    "a local monitoring group said in a statement on Wednesday."
)


def fake_extract(store: Store, config: object) -> ExtractReport:
    """Stand in for spaCy: mark pending articles processed and count them."""
    pending = list(store.unprocessed_articles())
    store.mark_failed([a.id for a in pending])
    return ExtractReport(articles=len(pending), events=0)


@pytest.fixture
def ingest_http(tmp_path: Path):
    db = build_sample_db(tmp_path / "ingest.duckdb", n=4)
    app = create_app(db.path, allow_ingest=True, token=TOKEN, extract=fake_extract)
    with serve(app) as base, client(base) as c:
        yield c
    app.state.db.close()


def test_api_ingest_needs_the_token(ingest_http):
    body = {"texts": [{"text": ARTICLE}]}
    assert ingest_http.post("/api/ingest", json=body).status_code == 401
    wrong = ingest_http.post("/api/ingest", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    basic = ingest_http.post("/api/ingest", json=body, headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401


def test_api_ingest_stores_texts_and_runs_extraction(ingest_http):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"texts": [{"text": ARTICLE, "title": "Shelling", "date": "2024-05-06"},
                      {"text": "too short"}]}
    answer = ingest_http.post("/api/ingest", json=body, headers=auth)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["added"] == 1 and result["articles_extracted"] == 1
    assert any("too short" in e for e in result["errors"])
    again = ingest_http.post("/api/ingest", json=body, headers=auth).json()
    assert again["already_stored"] == 1 and again["added"] == 0
    # Reads keep working on the same server while it holds the file for writing.
    assert ingest_http.get("/api/events").json()["total"] == 5


@pytest.mark.parametrize(
    "body",
    [
        {"urls": ["file:///etc/passwd"]},
        {"urls": ["/etc/passwd"]},
        {"texts": [{"text": ""}]},
        {"texts": "not a list"},
        {"unknown": 1},
    ],
)
def test_api_ingest_rejects_bad_bodies(ingest_http, body):
    answer = ingest_http.post("/api/ingest", json=body,
                              headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 422, answer.text


def test_api_ingest_limits_the_body_size(ingest_http):
    big = json.dumps({"texts": [{"text": "a" * 1_100_000}]})
    answer = ingest_http.post("/api/ingest", content=big,
                              headers={"Authorization": f"Bearer {TOKEN}",
                                       "Content-Type": "application/json"})
    assert answer.status_code == 413

    def chunks():
        for _ in range(30):
            yield b"x" * 50_000

    streamed = httpx.post(str(ingest_http.base_url) + "/api/ingest", content=chunks(),
                          headers={"Authorization": f"Bearer {TOKEN}",
                                   "Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_api_text_search_falls_back_to_ilike(sample):
    from sitreps.api.database import Database
    from sitreps.query import EventFilter, EventQuery

    db = Database(sample.path)
    db.fts = False  # as when the duckdb-extension-fts package is missing
    try:
        with db.reader() as reader:
            page = EventFilter(limit=1)
            total = reader.events(EventQuery(page, q="clashed with"), count=True).total
            assert total == 30
            literal = reader.events(EventQuery(page, q="100%_"), count=True).total
            assert literal == 0  # LIKE wildcards in q are matched literally
    finally:
        db.close()


def test_api_serves_concurrent_requests(http, sample):
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/api/events?limit=5", "/api/stats", "/api/clusters?cell=1", "/api/events?q=shelled",
             "/api/timeline?interval=week", "/api/control?at=2020-06-01"] * 8
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(lambda p: httpx.get(str(http.base_url) + p, timeout=20).status_code,
                              paths))
    assert codes == [200] * len(paths)


def test_api_serve_command_reports_bad_setups(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sitreps.api.command import serve_command

    runner = CliRunner()
    assert "--allow-ingest" in runner.invoke(serve_command, ["--help"]).output
    missing = runner.invoke(serve_command, ["--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "sitreps run" in missing.output
    monkeypatch.delenv("SITREPS_TOKEN", raising=False)
    no_token = runner.invoke(serve_command, ["--db", str(tmp_path / "w.duckdb"), "--allow-ingest"])
    assert no_token.exit_code == 1 and "SITREPS_TOKEN" in no_token.output


def test_api_startup_warms_the_gazetteer_beside_the_server(tmp_path: Path, monkeypatch):
    """`sitreps serve` starts the gazetteer's load at start-up, so a user's first control query
    by alias does not pay its first build inside the request."""
    import threading

    from fastapi.testclient import TestClient

    from sitreps.geo import gazetteer

    sample = build_sample_db(tmp_path / "warm.duckdb", n=4)
    app = create_app(sample.path)
    monkeypatch.setattr(gazetteer, "_GAZETTEER", None)
    try:
        with TestClient(app):
            warmers = [t for t in threading.enumerate() if t.name == "warm-gazetteer"]
            for thread in warmers:
                thread.join(timeout=300)
            assert gazetteer._GAZETTEER is not None
    finally:
        app.state.db.close()
