"""Cross-article merging: one event per real-world event, order-independent and re-runnable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitreps.export import export_document
from sitreps.merge import merge_events
from sitreps.records import Actor, Analysis, Article, Event, Fatalities, Place, Source
from sitreps.store.duckdb import Store

GOV = Actor(id="gov", name="Government forces", kind="state forces", inter_code=1)
REB = Actor(id="reb", name="Rebels", kind="rebel group", inter_code=2)
TOWN = Place(id="gn:1", name="Qaryat", country="SY", admin1="Homs", latitude=34.5,
             longitude=38.2, feature_class="P", geo_precision=1)
NEAR = Place(id="gn:2", name="Qaryat Suburb", country="SY", admin1="Homs", latitude=34.55,
             longitude=38.25, feature_class="P", geo_precision=1)
FAR = Place(id="gn:3", name="Farville", country="SY", admin1="Idlib", latitude=35.9,
            longitude=36.6, feature_class="P", geo_precision=1)


def analysis(article_id: str, *, deaths: int | None = 5, place: Place = TOWN,
             modality: str = "asserted", day: int = 11, actor1: str | None = "gov") -> Analysis:
    """One hand-built article with one clash: enough to exercise the merge without spaCy."""
    text = f"Government forces clashed with rebels in {place.name}, killing {deaths} people."
    source = Source(article_id, text, 0, len(text))
    event = Event(
        id=f"ev-{article_id}", event_type="Battles", sub_event_type="Armed clash",
        plover_type="FIGHT", trigger="clashed", event_date=date(2016, 12, day), time_precision=1,
        actor1=actor1, actor2="reb", place_id=place.id, geo_precision=1,
        fatalities=Fatalities(deaths, deaths, str(deaths)) if deaths is not None else None,
        modality=modality, confidence=0.6, sources=(source,), stage="test",
    )
    article = Article(id=article_id, text=text, published=date(2016, 12, 12), title=article_id)
    return Analysis(article=article, actors=(GOV, REB), places=(place,), events=(event,))


def save(store: Store, *analyses: Analysis) -> None:
    for a in analyses:
        store.add_article(a.article)
    store.save_analyses(analyses)
    store.merge_events()


def merged_rows(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT * EXCLUDE (stage) FROM merged_events ORDER BY id"
    ).fetchall()


def test_merge_two_articles_on_one_event_give_one_event_with_two_sources(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1", deaths=5), analysis("a2", deaths=7))
        [event] = store.merged_events()
        assert event["source_count"] == 2
        assert {s["article_id"] for s in event["sources"]} == {"a1", "a2"}
        assert event["confidence"] == pytest.approx(1 - 0.4 * 0.4)
        # ACLED's conservative figure, with every source's own toll kept.
        assert event["fatalities_best"] == 5
        assert sorted(r["low"] for r in event["fatalities_sources"]) == [5, 7]
        [exported] = export_document(store)["events"]
        assert exported["fatalities"] == 5 and len(exported["sources"]) == 2
        assert store.count("events") == 2


def test_merge_is_order_independent(tmp_path):
    first, second = analysis("a1"), analysis("a2", place=NEAR, actor1=None)
    with Store(tmp_path / "ab.duckdb") as ab, Store(tmp_path / "ba.duckdb") as ba:
        save(ab, first)
        save(ab, second)
        save(ba, second)
        save(ba, first)
        assert merged_rows(ab) == merged_rows(ba)
        assert len(merged_rows(ab)) == 1
    events = [first.events[0], second.events[0]]
    places = {p.id: p for p in (TOWN, NEAR)}
    assert merge_events(events, places) == merge_events(events[::-1], places)


def test_merge_rerun_is_idempotent(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1"), analysis("a2"))
        before = merged_rows(store)
        report = store.merge_events()
        assert report.clusters_written == 0 and report.clusters_removed == 0
        store.save_analyses([analysis("a2")])  # re-extracting an article
        store.merge_events()
        assert merged_rows(store) == before


def test_merge_new_article_updates_only_its_cluster(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1"), analysis("f1", place=FAR, day=3))
        far = "SELECT id FROM merged_events WHERE place_id = 'gn:3'"
        far_id = store.con.execute(far).fetchone()
        store.add_article(analysis("a2").article)
        store.save_analyses([analysis("a2")])
        report = store.merge_events()
        assert report.clusters_written == 1 and report.clusters_removed == 1
        assert store.con.execute(far).fetchone() == far_id


@pytest.mark.parametrize("modality", ["hedged", "negated", "future"])
def test_merge_keeps_non_factual_events_apart(db_path, modality):
    with Store(db_path) as store:
        save(store, analysis("a1"), analysis("a2", modality=modality))
        assert store.count("merged_events") == 2


def test_merge_keeps_different_places_apart(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1"), analysis("a2", place=FAR))
        assert store.count("merged_events") == 2


def test_merge_keeps_different_days_and_actors_apart():
    a = analysis("a1").events[0]
    assert len(merge_events([a, replace(analysis("a2", day=12).events[0])])) == 2
    assert len(merge_events([a, replace(analysis("a3").events[0], actor1="isis")])) == 2


def test_merge_without_a_merge_call_still_exports_merged_events(db_path):
    with Store(db_path) as store:
        for a in (analysis("a1"), analysis("a2")):
            store.add_article(a.article)
        store.save_analyses([analysis("a1"), analysis("a2")])
        assert not store.merge_is_current()
        [event] = store.merged_events()
        assert event["source_count"] == 2 and event["actor1"] == "Government forces"


def test_merge_migrates_a_version_1_database(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1"), analysis("a2"))
        store.con.execute("DROP VIEW merged_event_sources; DROP VIEW merged_event_view")
        store.con.execute("DROP TABLE merged_events; DROP TABLE merged_event_members")
        store.con.execute("DELETE FROM schema_version")
        store.con.execute("INSERT INTO schema_version VALUES (1, now())")
    with Store(db_path) as store:
        assert store.count("merged_events") == 1


def test_merge_sample_corpus_is_order_independent(tmp_path):
    """The sample corpus ingested in two different orders gives the same merged events."""
    import random

    from click.testing import CliRunner

    from sitreps.cli import cli, sample_paths

    paths = sample_paths()
    shuffled = paths[:]
    random.Random(5).shuffle(shuffled)
    assert shuffled != paths
    merged = []
    for order, name in ((paths, "sorted"), (shuffled, "shuffled")):
        db = tmp_path / f"{name}.duckdb"
        for path in order:  # one article per run: a different ingest order, step by step
            result = CliRunner().invoke(cli, ["run", path, "--db", str(db)])
            assert result.exit_code == 0, result.output
        with Store(db, read_only=True) as store:
            merged.append(
                sorted(
                    (e["id"], e["sub_event_type"], e["source_count"],
                     tuple(sorted((s["article_id"], s["start"]) for s in e["sources"])))
                    for e in store.merged_events()
                )
            )
    assert merged[0] == merged[1]
    assert any(count > 1 for _, _, count, _ in merged[0])
