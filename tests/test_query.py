"""The read library (issue 14): one Reader behind every surface, typed frozen results, the same
events whether the store's merge ran or not, and store columns taken from the records."""

from __future__ import annotations

import dataclasses
import importlib.util
from datetime import date

import pytest
from fastapi.testclient import TestClient
from test_merge import FAR, analysis

from sitreps.api import create_app
from sitreps.merge import MERGED_COLUMNS, merge_is_current, run_merge
from sitreps.query import (
    EventFilter,
    EventQuery,
    EventRecord,
    OptionalDependencyMissing,
    Reader,
    as_dict,
    factual_filter,
)
from sitreps.query.results import EVENT_RECORD_COLUMNS
from sitreps.store.duckdb import ANALYSIS_COLUMNS, Store


def _fill(store: Store) -> None:
    """Two articles on one clash (they merge), a third far away, a hedged fourth."""
    analyses = [analysis("a1", deaths=5), analysis("a2", deaths=7),
                analysis("a3", place=FAR, deaths=2), analysis("a4", modality="hedged")]
    for a in analyses:
        store.add_article(a.article)
    store.save_analyses(analyses)


def _summary(reader: Reader) -> tuple:
    page = reader.events(factual_filter(), count=True)
    return (page.total, [(e.id, e.fatalities, e.source_count, e.member_count,
                          sorted(s.article_id for s in e.sources)) for e in page.items],
            reader.totals())


def test_query_same_events_whether_the_merge_ran_or_not(db_path) -> None:
    with Store(db_path) as store:
        _fill(store)
        assert not merge_is_current(store)
    with Store(db_path, read_only=True) as store:
        live = Reader(store)
        in_memory = _summary(live)
        assert live.tables.events.startswith("temp.")
        merged_id = in_memory[1][0][0] if in_memory[1][0][3] == 2 else in_memory[1][1][0]
        live_detail = live.event("ev-a2")
    with Store(db_path) as store:
        run_merge(store)
        stored = Reader(store)
        assert stored.tables.events == "merged_event_view"
        assert _summary(stored) == in_memory
        assert stored.event("ev-a2") == live_detail
    total, rows, (events, deaths) = in_memory
    assert total == events == 2 and deaths == 5 + 2  # the hedged mention is not counted
    assert merged_id.startswith("m-") and live_detail.event.id == merged_id
    assert [m.id for m in live_detail.mentions] == ["ev-a1", "ev-a2"]
    assert [m.fatalities for m in live_detail.mentions] == [5, 7]  # each article's own toll
    assert {s.title for s in live_detail.event.sources} == {"a1", "a2"}


def test_query_filters_paging_and_mentions(db_path) -> None:
    with Store(db_path) as store:
        _fill(store)
        run_merge(store)
        reader = Reader(store)
        assert [e.location for e in reader.events(factual_filter(place="Farville")).items] == [
            "Farville"]
        first = reader.events(factual_filter(limit=1), count=True)
        second = reader.events(factual_filter(limit=1, offset=1), count=True)
        assert first.total == second.total == 2
        assert first.items[0].id != second.items[0].id
        assert len(reader.mentions()) == 4 and len(reader.events(EventFilter()).items) == 3
        assert len(reader.events().items) == 2  # factual by default, as every surface
        assert reader.events(EventQuery(factual_filter(), q="Farville")).items[0].location == (
            "Farville")
        assert reader.events(EventQuery(factual_filter(), bbox=(36, 35, 37, 36))).items[
            0].location == "Farville"
        assert reader.events(EventFilter(modality=("hedged",))).items[0].modality == "hedged"


def test_query_results_are_frozen_and_serialise(db_path) -> None:
    with Store(db_path) as store:
        _fill(store)
        run_merge(store)
        reader = Reader(store)
        event = reader.events(factual_filter()).items[0]
        stats = reader.stats(EventQuery(factual_filter()))
        actors = reader.actors()
    assert isinstance(event, EventRecord)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.fatalities = 0  # type: ignore[misc]
    data = as_dict(event)
    assert data["id"] == event.id and data["sources"][0]["sentence"] == event.sources[0].sentence
    assert [r.low for r in event.fatality_reports] == sorted(r.low for r in event.fatality_reports)
    assert (stats.total_events, stats.total_fatalities) == (2, 7)
    assert stats.by_month[0].key == "2016-12"
    # Actors are counted by the merged factual events they take part in.
    assert {a.id: a.events for a in actors.items} == {"gov": 2, "reb": 2}


def test_query_api_serialises_the_readers_answers(db_path) -> None:
    with Store(db_path) as store:
        _fill(store)
        run_merge(store)
        reader = Reader(store)
        expected = [as_dict(e) for e in reader.events(factual_filter()).items]
        actor = reader.actor("gov")
        timeline = as_dict(reader.timeline(EventQuery(factual_filter()), "month"))
    app = create_app(db_path)
    try:
        with TestClient(app) as http:
            items = http.get("/api/events").json()["items"]
            detail = http.get("/api/actors/gov").json()
            points = http.get("/api/timeline", params={"interval": "month"}).json()["points"]
    finally:
        app.state.db.close()
    assert [(i["id"], i["fatalities"], i["source_count"]) for i in items] == [
        (e["id"], e["fatalities"], e["source_count"]) for e in expected]
    assert detail["event_count"] == actor.event_count == 2
    assert [e["id"] for e in detail["events"]] == [e.id for e in actor.events]
    assert points == [{**p, "period": p["period"].isoformat()} for p in timeline]


def test_query_store_columns_come_from_the_records(db_path) -> None:
    with Store(db_path) as store:
        def columns(table: str) -> set[str]:
            return {r[0] for r in store.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                [table]).fetchall()}

        for table, written in ANALYSIS_COLUMNS.items():
            assert set(written) == columns(table), table
        assert set(MERGED_COLUMNS) == columns("merged_events")
        # Every EventRecord field is a column of the merged view, or read under its name.
        assert set(EVENT_RECORD_COLUMNS) - columns("merged_event_view") == {"fatalities"}


@pytest.mark.parametrize(("method", "package"), [("to_arrow", "pyarrow"), ("to_pandas", "pandas")])
def test_query_table_formats_fetch_through_duckdb(db_path, method, package) -> None:
    with Store(db_path) as store:
        _fill(store)
        run_merge(store)
        reader = Reader(store)
        if importlib.util.find_spec(package) is None:
            with pytest.raises(OptionalDependencyMissing, match=f"pip install {package}"):
                getattr(reader, method)(factual_filter())
            return
        table = getattr(reader, method)(factual_filter())
        assert len(table) == 2 and list(table["id"]) == [
            e.id for e in reader.events(factual_filter()).items]


def test_query_control_answers_map_and_terminal_alike(db_path) -> None:
    from dataclasses import replace

    from sitreps.records import ControlClaim, Source

    base = analysis("c1")
    text = base.article.text
    claim = ControlClaim("gn:1", "gov", "gained", date(2016, 12, 11),
                         (Source("c1", text, 0, len(text)),), "test")
    with Store(db_path) as store:
        store.add_article(base.article)
        store.save_analyses([replace(base, control_claims=(claim,))])
        reader = Reader(store)
        [answer] = reader.control()
        [state] = reader.control_map()
    assert state.place_id == answer.place_id == "gn:1"
    assert state.status == "held" and state.summary == "Held by Government forces"
    assert state.latitude == 34.5 and state.holders == answer.holders


def test_query_every_surface_names_event_fields_the_record_has() -> None:
    """The API's event model and the export's columns are the record's fields (plus the two
    the export adds), so neither can drift from what the library reads."""
    from sitreps.api import models
    from sitreps.export import EVENT_FIELDS

    record = {f.name for f in dataclasses.fields(EventRecord)}
    assert set(models.EventOut.model_fields) <= record
    assert set(EVENT_FIELDS) - record == {"country_code", "fatalities_best"}
