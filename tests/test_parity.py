"""One truth on every surface (issue 14): one database built from the sample corpus, and the
CLI, the HTTP API (a real server on 127.0.0.1), the exports, the report and the Python API
must give the same events, ids, deaths and control states."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from test_api_helpers import client, serve

import sitreps
from sitreps.api import create_app
from sitreps.cli import cli
from sitreps.export import EXPORTERS
from sitreps.query import Reader
from sitreps.report import build_report
from sitreps.store.duckdb import Store, dumps_json


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("parity") / "sample.duckdb"
    invoke("run", "--sample", "--db", str(path))
    return path


@pytest.fixture(scope="module")
def http(sample_db):
    app = create_app(sample_db)
    with serve(app) as base, client(base) as c:
        yield c
    app.state.db.close()


@pytest.fixture(scope="module")
def exported(sample_db) -> list[dict]:
    return json.loads(invoke("export", "--db", str(sample_db)).stdout_bytes)["events"]


def _api_events(http, **params) -> tuple[int, list[dict]]:
    items, total, offset = [], None, 0
    while total is None or offset < total:
        page = http.get("/api/events", params={**params, "limit": 500, "offset": offset}).json()
        total = page["total"]
        items += page["items"]
        offset += 500
    return total, items


def test_parity_events_ids_and_deaths_on_every_surface(sample_db, http, exported):
    ids = [e["id"] for e in exported]
    deaths = sum(e["fatalities"] or 0 for e in exported)
    assert len(ids) > 10 and deaths > 0
    # Articles reporting one event were merged: the test would prove nothing otherwise.
    assert any(i.startswith("m-") for i in ids)

    listed = invoke("events", "--db", str(sample_db), "--limit", "10000").output
    assert re.search(r"\b(\d+) event\(s\)", listed)[1] == str(len(ids))
    # The CLI's JSON output: the export's records, line by line.
    lines = invoke("events", "--db", str(sample_db), "--limit", "10000", "--json").output
    assert [json.loads(line) for line in lines.splitlines()] == exported

    stats = http.get("/api/stats").json()
    assert (stats["total_events"], stats["total_fatalities"]) == (len(ids), deaths)
    total, items = _api_events(http)
    assert total == len(ids)
    assert [e["id"] for e in items] == ids  # same order too: newest first, then id
    assert sum(e["fatalities"] or 0 for e in items) == deaths

    with Store(sample_db, read_only=True) as store:
        report = build_report(store)
        assert Reader(store).totals() == (len(ids), deaths)
    assert sorted(report.event_ids) == sorted(ids) and report.fatalities == deaths
    markdown = invoke("report", "--db", str(sample_db)).output
    assert f"{len(ids):,} factual event(s)" in markdown
    assert f"at least {deaths:,} killed" in markdown

    with sitreps.open(sample_db) as db:
        assert json.loads(dumps_json(db.events())) == exported


def test_parity_filters_agree(sample_db, http):
    for place in ("Aleppo", "Idlib"):
        with sitreps.open(sample_db) as db:
            cli_ids = [e["id"] for e in db.events(place=place)]
        assert cli_ids
        _, items = _api_events(http, place=place)
        assert [e["id"] for e in items] == cli_ids
        listed = invoke("events", "--db", str(sample_db), "--place", place, "--limit", "10000")
        count = re.search(r"\b(\d+) event\(s\)", listed.output)
        assert int(count[1] if count else 0) == len(cli_ids)


@pytest.mark.parametrize("fmt", list(EXPORTERS))
@pytest.mark.parametrize("include_all", [False, True])
def test_parity_api_export_is_the_cli_export(sample_db, http, fmt, include_all, tmp_path):
    flags = ["--all"] if include_all else []
    out = tmp_path / f"cli.{fmt}"
    invoke("export", "--db", str(sample_db), "--format", fmt, "--out", str(out), *flags)
    params = {"format": fmt, **({"all": "true"} if include_all else {})}
    answer = http.get("/api/export", params=params)
    assert answer.status_code == 200, answer.text
    assert re.search(r'filename="sitreps-[a-z]+\.[a-z]+"', answer.headers["content-disposition"])
    if fmt == "parquet":
        api = tmp_path / "api.parquet"
        api.write_bytes(answer.content)
        rows = [duckdb.sql(f"SELECT * FROM '{p}' ORDER BY id").fetchall() for p in (out, api)]
        assert rows[0] == rows[1] and rows[0]
    else:
        assert answer.content == out.read_bytes()


def test_parity_export_all_adds_what_the_default_leaves_out(http, exported):
    factual = http.get("/api/export", params={"format": "csv"}).text
    everything = http.get("/api/export", params={"format": "csv", "all": "true"}).text
    factual_rows = list(csv.DictReader(io.StringIO(factual)))
    every_row = list(csv.DictReader(io.StringIO(everything)))
    assert [r["id"] for r in factual_rows] == [e["id"] for e in exported]
    assert len(every_row) > len(factual_rows)
    assert {r["modality"] for r in every_row} - {"asserted", "reported"}


def test_parity_export_file_names_differ_per_format(http):
    names = {
        fmt: re.search(r'filename="([^"]+)"',
                       http.get("/api/export", params={"format": fmt}).headers[
                           "content-disposition"])[1]
        for fmt in EXPORTERS
    }
    assert names["parquet"] == "sitreps-events.parquet"
    assert names["acled-csv"] == "sitreps-acled.csv"
    assert len(set(names.values())) == len(EXPORTERS)


def test_parity_merged_ids_resolve_with_their_mentions(sample_db, http, exported):
    texts = {}
    for event in exported:
        answer = http.get(f"/api/events/{event['id']}")
        assert answer.status_code == 200, event["id"]
        detail = answer.json()
        assert detail["id"] == event["id"]
        assert detail["fatalities"] == event["fatalities"]
        assert len(detail["mentions"]) == detail["member_count"] >= 1
        assert {s["sentence"] for s in detail["sources"]} == {
            s["sentence"] for s in event["sources"]}
        for mention in detail["mentions"]:
            assert mention["sources"], mention["id"]
            # A member's own id opens the same real-world event.
            assert http.get(f"/api/events/{mention['id']}").json()["id"] == event["id"]
            for source in mention["sources"]:
                article_id = source["article_id"]
                if article_id not in texts:
                    texts[article_id] = http.get(f"/api/articles/{article_id}").json()["text"]
                assert texts[article_id][source["start"] : source["end"]] == source["sentence"]
        if event["id"].startswith("m-"):
            assert len({m["article_id"] for m in detail["mentions"]}) > 1
    assert http.get("/api/events/m-000000000000000000000000").status_code == 404


def _cli_states(sample_db: Path, at: str | None) -> dict[str, str]:
    args = ["control", "--db", str(sample_db), *(["--at", at] if at else [])]
    lines = invoke(*args).output.splitlines()
    states = {}
    for header, state in zip(lines, lines[1:], strict=False):
        found = re.match(r"^\S.* \[([^\]]+)\] (?:on \S+|\(latest claims\))$", header)
        if found:
            states[found[1]] = state.strip()
    return states


@pytest.mark.parametrize("at", [None, "2016-12-14", "2016-12-20", "2017-06-01"])
def test_parity_control_cli_and_api_agree(sample_db, http, at):
    cli_states = _cli_states(sample_db, at)
    answer = http.get("/api/control", params={"at": at} if at else {})
    assert answer.status_code == 200, answer.text
    api_states = {i["place_id"]: i["summary"] for i in answer.json()["items"]}
    assert api_states == cli_states
    with sitreps.open(sample_db) as db:
        assert {a.place_id for a in db.control(at=None)} >= set(api_states)
    if at is None:
        assert len(api_states) > 3  # every place with a claim, not one asked-for place
        for item in answer.json()["items"]:
            if item["status"] == "held":
                assert item["summary"] == f"Held by {item['controller']}"
            elif item["status"] == "disputed":
                assert item["change"] == "contested" and len(item["holders"]) > 1


@pytest.mark.parametrize("at", [None, "2016-12-14"])
def test_parity_every_control_claim_cli_and_api_agree(sample_db, http, at):
    args = ["control", "--db", str(sample_db), "--claims", *(["--at", at] if at else [])]
    lines = [line for line in invoke(*args).output.splitlines() if not line.startswith(" ")]
    answer = http.get("/api/control/claims", params={"at": at} if at else {})
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert len(items) == len(lines) > 0
    for item, line in zip(items, lines, strict=True):
        assert line.startswith(f"{item['date'] or 'undated'}  ")
        assert f"[{item['place_id']}]: {item['controller'] or item['controller_id']} " \
            f"{item['change']} " in line
        assert at is None or item["date"] <= at
    with sitreps.open(sample_db) as db:
        assert len(db.reader.claims(at=None)) >= len(items)


ARTICLE = (
    "Rebel fighters shelled the town of Idlib on Tuesday, killing four civilians, "
    "a local monitoring group said on Wednesday."
)


def test_python_analyse_gives_export_records_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    [event] = sitreps.analyse(ARTICLE, published="2017-03-01")
    assert (event["event_type"], event["location"], event["fatalities"]) == (
        "Explosions/Remote violence", "Idlib", 4)
    [source] = event["sources"]
    assert ARTICLE[source["start"] : source["end"]] == source["sentence"]
    assert list(tmp_path.iterdir()) == []  # no database written
    with pytest.raises(ValueError, match="short"):
        sitreps.analyse("Too short.")


def test_python_open_is_read_only_and_needs_a_file(sample_db, tmp_path):
    with pytest.raises(FileNotFoundError):
        sitreps.open(tmp_path / "none.duckdb")
    with sitreps.open(sample_db) as db, pytest.raises(duckdb.Error):
        db.query("DELETE FROM events")
