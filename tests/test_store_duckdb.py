"""The DuckDB store on a real file: writes, reruns, rollback, filters and schema versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pytest

from sitreps.query import EventFilter, Reader, as_dict
from sitreps.records import (
    Actor,
    Analysis,
    Article,
    ControlClaim,
    Event,
    Fatalities,
    IngestError,
    Mention,
    Place,
    Relation,
    Source,
)
from sitreps.store.duckdb import Store, StoreSchemaMismatch

TEXT = "Government troops retook the town of Sample on Monday. Three fighters were killed."


def make_analysis(article_id: str = "a1", text: str = TEXT) -> Analysis:
    article = Article(id=article_id, text=text, published=date(2020, 3, 4), title="Sample")
    sentence = Source(article_id, text[:54], 0, 54)
    gov = Actor(id="gov", name="Government forces", kind="state forces", inter_code=1)
    reb = Actor(id="reb", name="Rebels", kind="rebel group", inter_code=2)
    town = Place(id="gn:1", name="Sample", country="Syria", admin1="Idlib", latitude=35.9,
                 longitude=36.6, geo_precision=1)
    event = Event(
        id=f"ev-{article_id}", event_type="Battles", sub_event_type="Government regains territory",
        plover_type="FIGHT", trigger="retook", event_date=date(2020, 3, 2), time_precision=1,
        actor1="gov", actor2="reb", place_id="gn:1", geo_precision=1,
        fatalities=Fatalities(3, 3, "Three", "combatants"), sources=(sentence,),
    )
    return Analysis(
        article=article,
        mentions=(Mention(article_id, 0, 0, 17, text[0:17], "ACTOR", "gov"),),
        actors=(gov, reb),
        places=(town,),
        events=(event,),
        relations=(Relation("reb", "fights", "gov", date(2020, 3, 4), (sentence,)),),
        control_claims=(ControlClaim("gn:1", "gov", "gained", date(2020, 3, 2), (sentence,)),),
    )


def test_store_duckdb_saves_and_reads_an_analysis(db_path):
    analysis = make_analysis()
    with Store(db_path) as store:
        assert store.add_article(analysis.article)
        store.save_analyses([analysis])
    with Store(db_path, read_only=True) as store:
        [event] = [as_dict(e) for e in Reader(store).mentions()]
        assert event["actor1"] == "Government forces"
        assert event["location"] == "Sample"
        assert event["fatalities_low"] == 3
        [source] = event["sources"]
        assert TEXT[source["start"] : source["end"]] == source["sentence"]
        assert store.count("control_claims") == 1
        assert store.count("relations") == 1
        assert store.count_unprocessed() == 0


def test_store_duckdb_reingest_is_a_noop(db_path):
    article = make_analysis().article
    with Store(db_path) as store:
        assert store.add_article(article) is True
        assert store.add_article(article) is False
        assert store.count("articles") == 1


def test_store_duckdb_stored_kinds_answers_as_stored_as(db_path):
    article = make_analysis().article
    copy = replace(article, id="a2")
    ids = ["a1", "a2", "nowhere", "a1"]
    with Store(db_path) as store:
        assert store.stored_kinds(ids) == {} and store.stored_kinds([]) == {}
        store.add_article(article)
        store.add_duplicate(copy, "a1", 0.9)
        kinds = store.stored_kinds(ids)
        assert kinds == {"a1": "article", "a2": "duplicate"}
        assert {i: store.stored_as(i) for i in ids} == {i: kinds.get(i) for i in ids}


def test_store_duckdb_ingest_reads_ahead_as_it_would_one_by_one(db_path, monkeypatch):
    # Ingest asks the store about a chunk of items at once (issue 16): repeats inside a chunk,
    # articles stored by an earlier ingest and ones stored meanwhile are counted as before.
    from sitreps import jobs

    monkeypatch.setattr(jobs, "INGEST_LOOKUP_EVERY", 2)
    first = make_analysis().article
    texts = ["Rebels shelled a market in Idlib.", "Floods cut the road to Dhaka on Monday.",
             "Voters queued in Nairobi at dawn for the poll."]
    others = [replace(first, id=f"b{i}", text=text) for i, text in enumerate(texts)]
    with Store(db_path) as store:
        report = jobs.store_items(store, [first])
        assert report.added == 1
        items = [others[0], first, others[1], others[0], others[2], first]
        report = jobs.store_items(store, items, commit_every=2)
        assert (report.added, report.already_stored, report.repeated) == (3, 3, 2)
        assert store.count("articles") == 4


def test_store_duckdb_rerun_replaces_not_duplicates(db_path):
    analysis = make_analysis()
    with Store(db_path) as store:
        store.add_article(analysis.article)
        store.save_analyses([analysis])
        store.save_analyses([analysis])
        assert store.count("events") == 1
        assert store.count("event_sources") == 1
        assert store.count("mentions") == 1


def test_store_duckdb_failed_batch_rolls_back_and_keeps_earlier_data(db_path):
    good = make_analysis("a1")
    with Store(db_path) as store:
        store.add_article(good.article)
        store.save_analyses([good])
        bad_event = replace(good.events[0], id="ev-bad", event_date="not a date")
        bad = replace(make_analysis("a2"), events=(bad_event,))
        store.add_article(bad.article)
        with pytest.raises(duckdb.Error):
            store.save_analyses([bad])
        assert store.count("events") == 1
        assert store.count_unprocessed() == 1
    # The file is still readable after the failure.
    with Store(db_path, read_only=True) as store:
        assert store.count("articles") == 2


def test_store_duckdb_filters_events(db_path):
    with Store(db_path) as store:
        for article_id in ("a1", "a2"):
            analysis = make_analysis(article_id)
            store.add_article(analysis.article)
            store.save_analyses([analysis])
        assert len(Reader(store).mentions(EventFilter(actor="Government"))) == 2
        assert len(Reader(store).mentions(EventFilter(place="Idlib"))) == 2
        assert len(Reader(store).mentions(EventFilter(place="Aleppo"))) == 0
        assert len(Reader(store).mentions(EventFilter(since=date(2020, 3, 3)))) == 0
        assert len(Reader(store).mentions(EventFilter(until=date(2020, 3, 2)))) == 2
        assert len(Reader(store).mentions(EventFilter(event_type="Battles", limit=1))) == 1
        assert len(Reader(store).mentions(EventFilter(modality=("negated",)))) == 0


def test_store_duckdb_records_ingest_errors(db_path):
    with Store(db_path) as store:
        store.add_error(IngestError(origin="x.csv", item="row 3", reason="missing text"))
        [row] = store.table_rows("ingest_errors")
        assert row["reason"] == "missing text"
        assert row["recorded_at"] is not None


def test_store_duckdb_refuses_a_newer_schema(db_path):
    Store(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("INSERT INTO schema_version VALUES (99, now())")
    con.close()
    with pytest.raises(StoreSchemaMismatch, match="Upgrade sitreps"):
        Store(db_path)


def test_store_duckdb_read_only_needs_an_existing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="sitreps run"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def _memory_limit(store: Store) -> str:
    return store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_store_duckdb_caps_its_memory(db_path):
    """DuckDB's own default (80% of RAM) would let its caches grow with the database."""
    with Store(db_path) as store:
        assert _memory_limit(store) == "953.6 MiB"  # the 1GB default, as DuckDB shows it
        store.set_memory_limit("300MB")
        assert _memory_limit(store) == "286.1 MiB"
        with pytest.raises(ValueError, match="memory_limit"):
            store.set_memory_limit("plenty")
    with Store(db_path, read_only=True, memory_limit="2GB") as store:
        assert _memory_limit(store) == "1.8 GiB"


def test_store_duckdb_run_applies_the_configured_memory_limit(db_path, config):
    from sitreps.engine import run_engine

    with Store(db_path) as store:
        run_engine(store, config.copy(store_memory_limit="400MB"), engine="local")
        assert _memory_limit(store) == "381.4 MiB"
