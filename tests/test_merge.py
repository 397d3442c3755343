"""Cross-article merging: one event per real-world event, order-independent and re-runnable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitreps.export import export_document
from sitreps.merge import (
    BUILTIN_RULES,
    build_merged,
    cluster_rows,
    event_row,
    merge_events,
    merge_is_current,
    run_merge,
)
from sitreps.query import Reader
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
    published = date(2016, 12, max(day, 12))  # never before the day it reports
    article = Article(id=article_id, text=text, published=published, title=article_id)
    return Analysis(article=article, actors=(GOV, REB), places=(place,), events=(event,))


def save(store: Store, *analyses: Analysis) -> None:
    for a in analyses:
        store.add_article(a.article)
    store.save_analyses(analyses)
    run_merge(store)


def merged_rows(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT * EXCLUDE (stage) FROM merged_events ORDER BY id"
    ).fetchall()


def test_merge_two_articles_on_one_event_give_one_event_with_two_sources(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1", deaths=5), analysis("a2", deaths=7))
        [event] = Reader(store).event_dicts()
        assert event["source_count"] == 2
        assert {s["article_id"] for s in event["sources"]} == {"a1", "a2"}
        assert event["confidence"] == pytest.approx(1 - 0.4 * 0.4)
        # ACLED's conservative figure, with every source's own toll kept.
        assert event["fatalities_best"] == 5
        assert sorted(r["low"] for r in event["fatality_reports"]) == [5, 7]
        [exported] = export_document(Reader(store))["events"]
        assert exported["fatalities"] == 5 and len(exported["sources"]) == 2
        assert store.count("events") == 2


def _week_precise(a: Analysis) -> Analysis:
    [event] = a.events
    return replace(a, events=(replace(event, time_precision=2),))


def test_merge_later_report_with_far_fewer_dead_is_another_incident(db_path):
    """Windows that overlap (a week-precise date) are not enough: a toll that falls from 15
    to 6 days later is a second incident in the same town."""
    with Store(db_path) as store:
        save(store, analysis("a1", deaths=15, day=6), _week_precise(analysis("a2", deaths=6)))
        assert len(Reader(store).event_dicts()) == 2


def test_merge_later_report_with_a_risen_toll_is_the_same_incident(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1", deaths=6, day=6), _week_precise(analysis("a2", deaths=15)))
        assert len(Reader(store).event_dicts()) == 1


def test_merge_no_report_tells_of_a_day_after_it_was_published(db_path):
    """An undated report (a week-wide window) in a paper of the 12th cannot be the event
    another article dates to the 16th, though windows, place and tolls all fit."""
    undated = _week_precise(analysis("a1", deaths=1, day=12))
    later = analysis("a2", deaths=13, day=16)
    with Store(db_path) as store:
        save(store, undated, later)
        assert len(Reader(store).event_dicts()) == 2


def test_merge_an_undated_report_may_tell_of_the_day_before(db_path):
    undated = _week_precise(analysis("a1", deaths=5, day=12))
    with Store(db_path) as store:
        save(store, undated, analysis("a2", deaths=6, day=11))
        assert len(Reader(store).event_dicts()) == 1


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
        report = run_merge(store)
        assert report.clusters_written == 0 and report.clusters_removed == 0
        store.save_analyses([analysis("a2")])  # re-extracting an article
        run_merge(store)
        assert merged_rows(store) == before


def test_merge_new_article_updates_only_its_cluster(db_path):
    with Store(db_path) as store:
        save(store, analysis("a1"), analysis("f1", place=FAR, day=3))
        far = "SELECT id FROM merged_events WHERE place_id = 'gn:3'"
        far_id = store.con.execute(far).fetchone()
        store.add_article(analysis("a2").article)
        store.save_analyses([analysis("a2")])
        report = run_merge(store)
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
        assert not merge_is_current(store)
        [event] = Reader(store).event_dicts()
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
                    for e in Reader(store).event_dicts()
                )
            )
    assert merged[0] == merged[1]
    assert any(count > 1 for _, _, count, _ in merged[0])


# -- streaming merge: blocks of compatible events, windows, incremental updates ---------------

# Places for invented events: two towns 6 km apart, a far town, their province and country.
_PLACES = {
    "gn:10": ("P", 1, 36.20, 37.15, "Aleppo", "SY"),
    "gn:11": ("P", 1, 36.25, 37.19, "Aleppo", "SY"),
    "gn:12": ("P", 1, 33.51, 36.29, "Damascus", "SY"),
    "admin1:SY.Aleppo": ("A.ADM1", 3, 36.0, 37.0, "Aleppo", "SY"),
    "country:SY": ("A.PCLI", 3, 35.0, 38.0, None, "SY"),
}
_ACTORS = [None, "gov", "reb", "isis"]


def invented_rows(count: int, seed: int) -> list[dict]:
    """Events in merge-row shape spread over two years, with every kind of near miss: close
    and far places, areas that contain towns, vague dates, shared articles, non-factual rows."""
    import random

    rng = random.Random(seed)
    rows = []
    for index in range(count):
        place_id = rng.choice(list(_PLACES) + [None] * 1)
        feature, geo, lat, lon, admin1, country = _PLACES.get(
            place_id, (None, None, None, None, None, None)
        )
        day = date(2015, 1, 1).toordinal() + rng.randrange(0, 730, rng.choice([1, 9, 23]))
        rows.append({
            "id": f"ev{index:04d}", "article_id": f"art{rng.randrange(max(1, count // 3))}",
            "event_type": rng.choice(["Battles", "Battles", "Protests", None]),
            "sub_event_type": rng.choice(["Armed clash", "Government regains territory"]),
            "plover_type": "FIGHT", "trigger": "clashed",
            "event_date": date.fromordinal(day) if rng.random() > 0.05 else None,
            "time_precision": rng.choice([1, 1, 2, 3, None]),
            "actor1_id": rng.choice(_ACTORS), "actor2_id": rng.choice(_ACTORS),
            "assoc_actor_1_id": None, "assoc_actor_2_id": rng.choice([None, "gov"]),
            "place_id": place_id, "geo_precision": geo, "latitude": lat, "longitude": lon,
            "admin1": admin1, "country": country, "feature_class": feature,
            "fatalities_low": rng.choice([None, 2, 5]), "fatalities_high": None,
            "fatalities_as_stated": None, "fatalities_victims": None,
            "modality": rng.choice(["asserted", "asserted", "reported", "hedged"]),
            "confidence": rng.choice([0.4, 0.6, 0.8]), "sources": [],
        })
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_merge_stream_by_blocks_equals_merging_everything_at_once(seed):
    from sitreps.merge import merge_blocks, merge_stream, stream_order

    rows = invented_rows(400, seed)
    streamed = sorted(merge_stream(sorted(rows, key=stream_order)), key=lambda m: m.id)
    assert streamed == merge_events(rows)
    # Not a trivial case: many independent blocks, and clusters of several events.
    blocks = list(merge_blocks(sorted(rows, key=stream_order)))
    assert len(blocks) > 100 and max(len(b) for b in blocks) > 3
    assert sum(len(b) for b in blocks) == len(rows)
    assert any(len(m.member_ids) > 2 for m in streamed)


def test_merge_stream_joins_events_whose_windows_just_touch():
    from sitreps.merge import merge_blocks, merge_stream, stream_order

    base = invented_rows(1, 0)[0] | {
        "event_type": "Battles", "sub_event_type": "Armed clash", "modality": "asserted",
        "place_id": "gn:10", "latitude": 36.2, "longitude": 37.15, "feature_class": "P",
        "geo_precision": 1, "actor1_id": "gov", "actor2_id": "reb", "time_precision": 2,
    }
    # Week-precision windows of days 1 and 15 share day 8; day 16's starts a day after.
    rows = [base | {"id": f"e{day}", "article_id": f"a{day}", "event_date": date(2016, 1, day)}
            for day in (1, 15, 16)]
    streamed = sorted(merge_stream(sorted(rows, key=stream_order)), key=lambda m: m.id)
    assert streamed == merge_events(rows)
    assert sorted(m.member_ids for m in streamed) == [("e1", "e15"), ("e16",)]
    # One block: day 16 is compatible with day 15, though it cannot join its cluster.
    assert [len(b) for b in merge_blocks(sorted(rows, key=stream_order))] == [3]


def test_merge_blocks_refuses_rows_out_of_order():
    from sitreps.merge import merge_blocks, stream_order

    rows = [r for r in sorted(invented_rows(200, 4), key=stream_order)]
    mergeable = [i for i, r in enumerate(rows) if r["event_type"] and r["event_date"]
                 and r["place_id"] and r["modality"] != "hedged"]
    rows[mergeable[5]], rows[mergeable[-5]] = rows[mergeable[-5]], rows[mergeable[5]]
    with pytest.raises(ValueError, match="sorted|grouped"):
        list(merge_blocks(rows))


def _store_analyses(rows: list[dict]) -> list[Analysis]:
    """Invented rows as one-event articles, for the store."""
    actors = tuple(Actor(id=a, name=a.title(), kind="rebel group") for a in _ACTORS if a)
    found = []
    for row in rows:
        feature, geo, lat, lon, admin1, country = _PLACES.get(
            row["place_id"], (None, None, None, None, None, None))
        places = () if row["place_id"] is None else (
            Place(id=row["place_id"], name=row["place_id"], country=country, admin1=admin1,
                  latitude=lat, longitude=lon, feature_class=feature, geo_precision=geo),)
        text = f"Invented report {row['id']}."
        event = Event(
            id=row["id"], event_type=row["event_type"], sub_event_type=row["sub_event_type"],
            plover_type="FIGHT", trigger="clashed", event_date=row["event_date"],
            time_precision=row["time_precision"], actor1=row["actor1_id"],
            actor2=row["actor2_id"], assoc_actor_2=row["assoc_actor_2_id"],
            place_id=row["place_id"], geo_precision=row["geo_precision"],
            fatalities=Fatalities(row["fatalities_low"], row["fatalities_low"], "some")
            if row["fatalities_low"] else None,
            modality=row["modality"], confidence=row["confidence"],
            sources=(Source(f"art-{row['id']}", text, 0, len(text)),), stage="test",
        )
        article = Article(id=f"art-{row['id']}", text=text, title=row["id"])
        found.append(Analysis(article=article, actors=actors, places=places, events=(event,)))
    return found


def test_merge_in_batches_and_pages_equals_one_merge(tmp_path, monkeypatch):
    """Incremental merges (new articles, a re-extracted article that changed) over small
    pages and write batches give what one merge of everything gives."""
    import sitreps.merge as merge_module

    analyses = _store_analyses(invented_rows(240, 7))
    changed = replace(analyses[0], events=(replace(analyses[0].events[0], actor1="isis"),))
    with Store(tmp_path / "once.duckdb") as once:
        for a in analyses[1:] + [changed]:
            once.add_article(a.article)
        once.save_analyses(analyses[1:] + [changed])
        run_merge(once)
        expected = merged_rows(once)
    monkeypatch.setattr(merge_module, "MERGE_PAGE", 7)
    with Store(tmp_path / "steps.duckdb") as steps:
        for start in range(0, len(analyses), 60):
            save(steps, *analyses[start : start + 60])
        save(steps, changed)
        assert merged_rows(steps) == expected
        assert merge_is_current(steps)
    assert len(expected) < len(analyses)  # some events did merge


def test_merge_new_event_clusters_only_its_block(db_path, monkeypatch):
    import sitreps.merge

    early = [analysis(f"a{i}") for i in range(3)]
    late = [analysis(f"b{i}", day=28) for i in range(3)]  # 17 days later: another block
    with Store(db_path) as store:
        save(store, *early, *late)
        clustered: list[int] = []
        real = sitreps.merge.cluster_rows

        def counting(rows, *rules):
            clustered.append(len(rows))
            return real(rows, *rules)

        monkeypatch.setattr(sitreps.merge, "cluster_rows", counting)
        store.add_article(analysis("b3", day=28).article)
        store.save_analyses([analysis("b3", day=28)])
        report = run_merge(store)
        assert clustered == [4]  # the late block with its new event; the early one untouched
        assert report.clusters_written == 1 and report.clusters_removed == 1
        [late_event] = [e for e in Reader(store).event_dicts()
                        if e["event_date"] == date(2016, 12, 28)]
        assert late_event["source_count"] == 4


def test_merge_keeps_associated_actors_whether_stored_or_merged_in_memory(db_path):
    ally = Actor(id="ally", name="Allied militia", kind="political militia", inter_code=3)

    def with_ally(article_id: str) -> Analysis:
        base = analysis(article_id)
        return replace(base, actors=(*base.actors, ally),
                       events=(replace(base.events[0], assoc_actor_1="ally"),))

    with Store(db_path) as store:
        for a in (with_ally("a1"), with_ally("a2")):
            store.add_article(a.article)
        store.save_analyses([with_ally("a1"), with_ally("a2")])
        [in_memory] = Reader(store).event_dicts()
        run_merge(store)
        [stored] = Reader(store).event_dicts()
    assert in_memory["assoc_actor_1"] == stored["assoc_actor_1"] == "Allied militia"
    assert stored["source_count"] == 2


def test_merge_survives_dates_at_the_ends_of_the_calendar():
    from sitreps.merge import date_window, merge_stream, stream_order

    base = invented_rows(1, 0)[0] | {
        "event_type": "Battles", "sub_event_type": "Armed clash", "modality": "asserted",
        "place_id": "gn:10", "time_precision": 3, "actor1_id": None, "actor2_id": None,
    }
    rows = [base | {"id": f"e{i}", "article_id": f"a{i}", "event_date": day}
            for i, day in enumerate((date(1, 1, 2), date(1, 1, 20), date(9999, 12, 30)))]
    assert date_window(rows[0]) == (date.min, date(1, 2, 2))
    assert date_window(rows[2])[1] == date.max
    streamed = sorted(merge_stream(sorted(rows, key=stream_order)), key=lambda m: m.id)
    assert streamed == merge_events(rows)
    assert sorted(m.member_ids for m in streamed) == [("e0", "e1"), ("e2",)]


def test_merge_interrupted_between_batches_is_finished_by_the_next_merge(tmp_path, monkeypatch):
    import sitreps.merge as merge_module

    analyses = _store_analyses(invented_rows(200, 11))
    with Store(tmp_path / "whole.duckdb") as whole:
        save(whole, *analyses)
        expected = merged_rows(whole)
    monkeypatch.setattr(merge_module, "MERGE_PAGE", 10)
    real_flush = merge_module._MergeWriter.flush
    flushes = []

    def failing_flush(writer):
        flushes.append(1)
        if len(flushes) == 4:
            raise RuntimeError("killed mid-merge")
        real_flush(writer)

    with Store(tmp_path / "cut.duckdb") as cut:
        for a in analyses:
            cut.add_article(a.article)
        cut.save_analyses(analyses)
        monkeypatch.setattr(merge_module._MergeWriter, "flush", failing_flush)
        with pytest.raises(RuntimeError, match="killed"):
            run_merge(cut)
        # The first batches stayed committed; the rest of the events wait for the next merge.
        assert 0 < cut.count("merged_events") < len(expected)
        assert not merge_is_current(cut)
        monkeypatch.setattr(merge_module._MergeWriter, "flush", real_flush)
        run_merge(cut)
        assert merged_rows(cut) == expected and merge_is_current(cut)


def test_merge_a_name_known_only_by_its_province_is_no_spot_near_a_town():
    """"Qalamoun", placed at Rif Dimashq's centre, is not near Damascus city, whose centre lies
    a few km away: the army's strike in Qalamoun and a mortar attack in Damascus are two."""
    from sitreps.merge import places_match

    city = {"place_id": "gn:170654", "latitude": 33.51, "longitude": 36.29, "geo_precision": 1,
            "country": "SY", "admin1": "Damascus"}
    region = {"place_id": "near:qalamun@admin1:SY.08", "latitude": 33.55, "longitude": 36.40,
              "geo_precision": 3, "country": "SY", "admin1": "Rif Dimashq"}
    town = {"place_id": "gn:1", "latitude": 33.58, "longitude": 36.40, "geo_precision": 1,
            "country": "SY", "admin1": "Damascus"}
    assert not places_match(city, region)
    assert places_match(city, town)  # two spots 13 km apart are one scene
    # a report "near Damascus", placed in the province around the city-province, may tell what
    # another placed in the city tells; a province elsewhere holds no part of the city
    around = {"place_id": "admin1:SY.08", "latitude": 33.6, "longitude": 36.38,
              "geo_precision": 3, "country": "SY", "admin1": "Rif Dimashq"}
    homs = {**around, "place_id": "admin1:SY.11", "admin1": "Homs"}
    assert places_match(around, city) and places_match(city, around)
    assert not places_match(homs, city)


def test_merge_two_named_quarters_at_one_city_point_are_two_places():
    """Quarters the gazetteer lacks are placed at their city's point: that shared point says
    nothing of where each lies, so two quarters of other names are two places, while two
    spellings of one quarter, or a quarter and its city, still match."""
    from sitreps.merge import places_match

    point = {"latitude": 36.2, "longitude": 37.16, "geo_precision": 2, "country": "SY",
             "admin1": "Aleppo"}
    ferdous = {**point, "place_id": "near:ferdus@gn:170063"}
    baeedeen = {**point, "place_id": "near:baeden@gn:170063"}
    spelled = {**point, "place_id": "near:firdus@gn:170063"}
    city = {**point, "place_id": "gn:170063", "geo_precision": 1}
    assert not places_match(ferdous, baeedeen)
    assert places_match(ferdous, spelled)
    assert places_match(ferdous, city) and places_match(city, baeedeen)


def test_merge_one_unlisted_village_located_two_ways_is_one_place():
    """"al-Quriyah" placed near Deir ez-Zor city by one paper and in Deir ez-Zor province by
    another is one village; another village of that province, or a namesake elsewhere, is not."""
    from sitreps.merge import places_match

    by_city = {"place_id": "near:quriya@gn:170794", "latitude": 35.33, "longitude": 40.14,
               "geo_precision": 2, "country": "SY", "admin1": "Deir ez-Zor"}
    by_province = {"place_id": "near:quriya@admin1:SY.07", "latitude": 35.1, "longitude": 40.4,
                   "geo_precision": 3, "country": "SY", "admin1": "Deir ez-Zor"}
    other = {**by_province, "place_id": "near:mayadin-qadima@admin1:SY.07"}
    elsewhere = {**by_province, "place_id": "near:quriya@admin1:SY.09", "admin1": "Aleppo"}
    assert places_match(by_city, by_province)
    assert not places_match(by_city, other)
    assert not places_match(by_city, elsewhere)


def test_merge_a_rare_means_is_one_act_in_one_province():
    """A gas attack placed at Khan Sheikhoun by one paper and at "Idlib" city by another, with
    tolls that rose from 58 to 86, is one attack (``rare``); shelling so placed is not, and a gas
    attack in another province is another."""
    from sitreps.merge import places_match

    town = {"place_id": "gn:168325", "latitude": 35.44, "longitude": 36.65, "geo_precision": 1,
            "country": "SY", "admin1": "Idlib", "sub_event_type": "Chemical weapon",
            "fatalities_low": 58}
    city = {**town, "place_id": "gn:169389", "latitude": 35.93, "longitude": 36.63,
            "fatalities_low": 86}
    hama = {**town, "place_id": "gn:170017", "latitude": 35.13, "longitude": 36.75,
            "admin1": "Hama"}
    shelled = "Shelling/artillery/missile attack"
    assert places_match(town, city) and places_match(city, town)
    assert not places_match(
        {**town, "sub_event_type": shelled}, {**city, "sub_event_type": shelled}
    )
    assert not places_match(town, hama)



def test_merge_reports_of_a_rare_means_need_no_other_anchor():
    """A gas attack dated to the day at a town with a first count of 12, and the paper's own
    undated report of it in the province with 640 by evening: one attack, though neither day,
    town nor toll ties them. Shelling so told stays two reports."""
    province = Place(id="admin1:SY.08", name="Rif Dimashq", country="SY", admin1="Rif Dimashq",
                     latitude=33.5, longitude=36.4, feature_class="A", geo_precision=3)
    town = replace(TOWN, id="gn:40", name="Zamalka", admin1="Rif Dimashq", latitude=33.52,
                   longitude=36.36)
    places = {p.id: p for p in (province, town)}
    gas = "Chemical weapon"
    first = _strike("a1", sub_event_type=gas, deaths=12, place=town)
    later = replace(_strike("a2", sub_event_type=gas, deaths=640, place=province),
                    time_precision=2)
    assert len(merge_events([first, later], places=places)) == 1
    assert len(merge_events([replace(first, sub_event_type=SHELLING),
                             replace(later, sub_event_type=SHELLING)], places=places)) == 2


SYRIA = Place(id="country:SY", name="Syria", country="SY", latitude=35.0, longitude=38.0,
              feature_class="A.PCLI", geo_precision=3)


def test_merge_events_placed_only_in_a_country_stay_apart(db_path):
    """"Strikes in Syria" names no spot: it neither joins a town's event nor another
    country-wide report of the same day, unless both give the same toll."""
    with Store(db_path) as store:
        save(store, analysis("a1"), analysis("a2", place=SYRIA),
             analysis("a3", place=SYRIA, deaths=None), analysis("a4", place=SYRIA))
        sources = sorted(
            sorted(s["article_id"] for s in event["sources"])
            for event in Reader(store).event_dicts()
        )
        assert sources == [["a1"], ["a2", "a4"], ["a3"]]


def test_merge_needs_a_day_town_or_toll_in_common(db_path):
    """A town's strike and its province's report of the same week share room for one incident,
    not evidence of it; the same toll is."""
    province = Place(id="admin1:SY.Homs", name="Homs", country="SY", admin1="Homs",
                     latitude=34.6, longitude=37.9, feature_class="A.ADM1", geo_precision=3)

    def provincial(deaths: int) -> Analysis:
        a = _week_precise(analysis("a2", deaths=deaths, place=province))
        [event] = a.events
        return replace(a, events=(replace(event, geo_precision=3),))

    with Store(db_path) as store:
        save(store, analysis("a1", deaths=1), provincial(5))
        assert len(Reader(store).event_dicts()) == 2
    with Store(db_path.with_name("same-toll.duckdb")) as store:
        save(store, analysis("a1", deaths=5), provincial(5))
        assert len(Reader(store).event_dicts()) == 1


def test_merge_best_toll_is_the_latest_days_conservative_count(db_path):
    """A toll rises as the dead are found: the first day's count of 5 gives way to the
    next day's papers (12 and 9), of which the lower is ACLED's figure."""
    first = analysis("a1", deaths=5, day=11)
    first = replace(first, article=replace(first.article, published=date(2016, 12, 11)))
    later = [analysis(name, deaths=deaths, day=11) for name, deaths in (("a2", 12), ("a3", 9))]
    later = [replace(a, article=replace(a.article, published=date(2016, 12, 12))) for a in later]
    with Store(db_path) as store:
        save(store, first, *later)
        [event] = Reader(store).event_dicts()
        assert event["fatalities_best"] == 9
        assert sorted(r["low"] for r in event["fatality_reports"]) == [5, 9, 12]


def test_merge_best_toll_prefers_a_stated_figure_to_a_vague_word(db_path):
    """The next day's "a number of people died of their wounds" (coded 2, a word's floor)
    does not replace the 61 the same paper states: a figure outranks a word."""
    first = analysis("a1", deaths=29, day=11)
    first = replace(first, article=replace(first.article, published=date(2016, 12, 11)))
    later = []
    for name, low, stated in (("a2", 61, "at least 61"), ("a3", 2, "A number")):
        a = analysis(name, deaths=low, day=11)
        [event] = a.events
        event = replace(event, fatalities=Fatalities(low, low, stated))
        later.append(replace(a, events=(event,),
                             article=replace(a.article, published=date(2016, 12, 12))))
    with Store(db_path) as store:
        save(store, first, *later)
        [event] = Reader(store).event_dicts()
        assert event["fatalities_best"] == 61
        assert event["fatalities_as_stated"] == "at least 61"
    vague_only = analysis("a4", deaths=12, day=11)
    [event] = vague_only.events
    vague_only = replace(vague_only, events=(replace(
        event, fatalities=Fatalities(12, 99, "dozens")),))
    with Store(db_path.with_name("vague.duckdb")) as store:
        save(store, vague_only)
        [event] = Reader(store).event_dicts()
        assert event["fatalities_best"] == 12


def test_merge_joins_one_exact_toll_told_a_day_apart_or_blamed_on_others():
    # a night's strike dated by the next morning's report, and sources that blame other forces
    a = analysis("a1", deaths=14).events[0]
    next_day = analysis("a2", deaths=14, day=12).events[0]
    blamed = replace(analysis("a3", deaths=14).events[0], actor1="isis")
    assert len(merge_events([a, next_day])) == 1
    assert len(merge_events([a, blamed])) == 1
    # the count must be one exact figure of ten or more, and the days at most one apart
    assert len(merge_events([a, replace(next_day, fatalities=Fatalities(14, 20, "14-20"))])) == 2
    assert len(merge_events([a, analysis("a4", deaths=14, day=13).events[0]])) == 2
    assert len(merge_events([analysis("a5", deaths=6).events[0],
                             analysis("a6", deaths=6, day=12).events[0]])) == 2


def test_merge_takes_a_unit_or_an_unidentified_doer_for_the_named_force():
    a = analysis("a1", deaths=None).events[0]
    unit = replace(analysis("a2", deaths=None).events[0], actor1="gov-air-force")
    unknown = replace(analysis("a3", deaths=None).events[0], actor1="unidentified-armed-group")
    sibling = replace(analysis("a4", deaths=None).events[0], actor1="gov-navy")
    rules = replace(BUILTIN_RULES, ancestors={"gov-air-force": frozenset({"gov"}),
                                                "gov-navy": frozenset({"gov"})})
    assert len(cluster_rows([event_row(a), event_row(unit)], rules)) == 1
    assert len(cluster_rows([event_row(a), event_row(unknown)], rules)) == 1
    [merged] = [build_merged(c, rules) for c in cluster_rows(
        [event_row(unknown), event_row(unit)], rules)]
    assert merged.actor1 == "gov-air-force"  # a named doer over an unidentified one
    assert len(cluster_rows([event_row(unit), event_row(sibling)], rules)) == 2
    # "terrorists" killed are no civilians killed
    victims = replace(a, actor2="civilians-syria")
    fighters = replace(unit, actor2="unidentified-armed-group")
    assert len(cluster_rows([event_row(victims), event_row(fighters)], rules)) == 2


def test_merge_joins_one_wire_sentence_run_by_two_papers():
    wire = ("Rebel brigades and army troops fought for hours over a hydroelectric dam north of "
            "the provincial capital, the monitor reported on Sunday.")
    a = replace(analysis("a1", deaths=3).events[0],
                sources=(Source("a1", wire, 0, len(wire)),))
    # the other paper's reading gave it another day, toll and doer
    b = replace(analysis("a2", deaths=12, day=12).events[0], actor1="isis",
                sources=(Source("a2", wire.upper(), 0, len(wire)),))
    assert len(merge_events([a, b])) == 1
    # one sentence that tells acts in two towns far apart is two incidents in each paper
    far = replace(b, place_id=FAR.id)
    assert len(merge_events([a, far], places={TOWN.id: TOWN, FAR.id: FAR})) == 2
    # a short sentence is said of many incidents
    short = "Two people were killed."
    assert len(merge_events([
        replace(a, sources=(Source("a1", short, 0, len(short)),)),
        replace(b, sources=(Source("a2", short, 0, len(short)),)),
    ])) == 2


def _strike(article_id: str, *, sub_event_type: str = "Air/drone strike", deaths: int | None = 31,
            day: int = 11, actor1: str | None = "gov", place: Place = TOWN,
            sentence: str | None = None) -> Event:
    """One paper's report of a strike: the merge rules read no more than this."""
    [event] = analysis(article_id, deaths=deaths, day=day, actor1=actor1, place=place).events
    text = sentence or f"Strikes hit {place.name}, killing {deaths} people."
    return replace(event, event_type="Explosions/Remote violence", sub_event_type=sub_event_type,
                   actor2=None, sources=(Source(article_id, text, 0, len(text)),))


SHELLING = "Shelling/artillery/missile attack"


def test_merge_joins_one_towns_shelling_and_air_strike_with_like_tolls():
    """One paper's shelling of a town is another's air strike on it that day, when their
    tolls are alike; not a neighbouring village's, not a toll ten times larger, not in a city."""
    places = {TOWN.id: TOWN, NEAR.id: NEAR, FAR.id: FAR}
    air = _strike("a1", deaths=43)
    assert len(merge_events([air, _strike("a2", sub_event_type=SHELLING)], places=places)) == 1
    assert len(merge_events([air, _strike("a2", sub_event_type=SHELLING, deaths=None)],
                            places=places)) == 1
    assert len(merge_events([air, _strike("a2", sub_event_type=SHELLING, deaths=4)],
                            places=places)) == 2
    # a neighbouring village's shelling is another act, though one spot for like means
    assert len(merge_events([air, _strike("a2", sub_event_type=SHELLING, place=NEAR)],
                            places=places)) == 2
    assert len(merge_events([air, _strike("a2", place=NEAR)], places=places)) == 1
    # a city's quarters are struck by several means in a day
    city = replace(TOWN, id="gn:9", population=2_000_000)
    places[city.id] = city
    assert len(merge_events([_strike("a1", place=city),
                             _strike("a2", sub_event_type=SHELLING, place=city)],
                            places=places)) == 2
    # a car bomb is no air strike, whatever the toll
    bomb = _strike("a2", sub_event_type="Remote explosive/landmine/IED", deaths=43)
    assert len(merge_events([air, bomb], places=places)) == 2


def test_merge_joins_an_air_strike_blamed_on_a_state_and_on_its_backer():
    """"Russian air strikes" in one paper and "regime air strikes" in another, on one town:
    the two air forces look alike from the ground. A rival state's aircraft do not, nor do
    two allies' guns."""
    places = {TOWN.id: TOWN}
    rules = replace(BUILTIN_RULES, backers={"gov": frozenset({"ally-army"})},
                    ancestors={"ally-air-force": frozenset({"ally-army"})})

    def clusters(*events: Event) -> int:
        return len(cluster_rows([event_row(e, places) for e in events], rules))

    regime = _strike("a1", deaths=47)
    assert clusters(regime, _strike("a2", deaths=58, actor1="ally-air-force")) == 1
    assert clusters(regime, _strike("a2", deaths=58, actor1="rival-air-force")) == 2
    # a city is struck by both air forces in a day: there only one toll ties two reports
    city = replace(TOWN, id="gn:9", population=2_000_000)
    places[city.id] = city
    assert clusters(_strike("a1", deaths=15, place=city),
                    _strike("a2", deaths=None, actor1="ally-air-force", place=city)) == 2
    assert clusters(_strike("a1", deaths=22, place=city),
                    _strike("a2", deaths=23, actor1="ally-air-force", place=city)) == 1
    ground = _strike("a2", deaths=58, actor1="ally-army", sub_event_type=SHELLING)
    assert clusters(replace(regime, sub_event_type=SHELLING), ground) == 2


def test_merge_joins_a_nights_strike_and_the_next_mornings_report():
    """Strikes "late on Monday" in one paper are the strikes of Tuesday in another (after
    midnight); without a word of the night, or a toll on each side, two days' strikes on a
    town are two."""
    places = {TOWN.id: TOWN}
    unknown = _strike("a2", deaths=None, day=11, sentence="Jets struck the city.")
    night = _strike("a1", deaths=35, day=10,
                    sentence="Jets hit the city late on Monday, killing 35 civilians.")
    morning = _strike("a2", deaths=23, day=11, sentence="Jets killed 23 civilians in the city.")
    assert len(merge_events([night, morning], places=places)) == 1
    assert len(merge_events([night, unknown], places=places)) == 2  # nothing to tie them
    by_day = _strike("a1", deaths=35, day=10,
                     sentence="Jets hit the city on Monday, killing 35 civilians.")
    assert len(merge_events([by_day, morning], places=places)) == 2
    two_days = replace(morning, event_date=date(2016, 12, 12))
    assert len(merge_events([night, two_days], places=places)) == 2


def test_merge_places_the_event_at_the_town_not_the_capital_named_like_its_province():
    """"Air strikes on Idlib" in one paper and "on Khan Sheikhoun in Idlib province" in two
    others: the name is the province's, the town the scene. With no town of that province
    named, the capital stays; between two towns, the one more papers give wins."""
    capital = replace(TOWN, id="gn:20", name="Idlib", admin1="Idlib", latitude=35.93,
                      longitude=36.63)
    town = replace(TOWN, id="gn:21", name="Khan Shaykhun", admin1="Idlib", latitude=35.44,
                   longitude=36.65)
    village = replace(TOWN, id="gn:22", name="Hass", admin1="Idlib", latitude=35.6,
                      longitude=36.6)
    places = {p.id: p for p in (capital, town, village)}

    def merged(*placed: tuple[str, Place]) -> str | None:
        rows = [event_row(_strike(name, deaths=70, place=place), places)
                for name, place in placed]
        return build_merged(rows).place_id

    assert merged(("a1", capital), ("a2", town), ("a3", town)) == "gn:21"
    assert merged(("a1", capital), ("a2", capital)) == "gn:20"
    assert merged(("a1", village), ("a2", town), ("a3", town)) == "gn:21"


def test_merge_a_capital_named_like_its_province_joins_a_town_of_it_with_one_toll():
    """"A gas attack killed 58 in Idlib" in one paper and "58 killed in Khan Sheikhoun" in
    another: the capital's name may be the province's, and one toll ties the reports. Without
    a like toll, or for a town of another province, they stay apart."""
    from sitreps.merge import places_match

    capital = {"place_id": "gn:20", "place_name": "Idlib", "admin1": "Idlib", "country": "SY",
               "latitude": 35.93, "longitude": 36.63, "geo_precision": 1, "fatalities_low": 58}
    town = {**capital, "place_id": "gn:21", "place_name": "Khan Shaykhun", "latitude": 35.44,
            "longitude": 36.65}
    assert places_match(capital, town) and places_match(town, capital)
    assert not places_match(capital, {**town, "fatalities_low": 12})
    assert not places_match(capital, {**town, "admin1": "Hama"})
    # a town whose name is not its province's stands for no province
    assert not places_match({**capital, "place_name": "Saraqib"}, town)


def test_merge_takes_the_doer_more_papers_name():
    """Two papers say "regime air strikes", a third, whose headline blames Russia too, names
    Russia: the doer more papers name wins over the lead's; on a tie the lead's stays."""
    lead = replace(analysis("a1", deaths=15).events[0], actor1="russia")
    regime = [replace(analysis(f"a{i}", deaths=15).events[0], actor1="gov") for i in (2, 3)]
    rows = [event_row(e) for e in (lead, *regime)]
    assert build_merged(rows).actor1 == "gov"
    assert build_merged(rows[:2]).actor1 in ("russia", "gov")
    tie = build_merged(sorted(rows[:2], key=lambda r: r["id"]))
    assert tie.actor1 == build_merged(list(reversed(rows[:2]))).actor1  # the order given is moot


def test_merge_joins_a_village_the_gazetteer_lacks_and_another_papers_place_for_it():
    """One paper's suicide bombing at a wedding in a village known only by name, another's at
    the province's namesake town, the same day and doer with like tolls: one bombing. Not with a
    toll three times as large, not the next week, not at a city named unlike its province,
    not for a small count, and not for a clash (two sides fight in many places a day)."""
    from sitreps.geo.resolve import approximate_place, unlisted_place

    province = Place(id="admin1:SY.01", name="Al-Hasakah", country="SY", admin1="Al-Hasakah",
                     latitude=36.4, longitude=40.9, feature_class="A", geo_precision=3)
    village = approximate_place("Umm Dalia", province)
    capital = replace(TOWN, id="gn:30", name="Al Hasakah", admin1="Al-Hasakah", latitude=36.5,
                      longitude=40.75, population=400_000)
    city = replace(capital, id="gn:31", name="Qamishli", latitude=37.05, longitude=41.2)
    places = {p.id: p for p in (village, capital, city)}
    bomb = "Suicide bomb"

    def count(first: Event, second: Event) -> int:
        return len(merge_events([first, second], places=places))

    told = _strike("a1", sub_event_type=bomb, deaths=24, place=village, actor1=None)
    assert count(told, _strike("a2", sub_event_type=bomb, deaths=30, place=capital)) == 1
    assert count(told, _strike("a2", sub_event_type=bomb, deaths=75, place=capital)) == 2
    assert count(told, _strike("a2", sub_event_type=bomb, deaths=30, place=capital,
                               day=19)) == 2
    assert count(told, _strike("a2", sub_event_type=bomb, deaths=30, place=city)) == 2
    # two spellings of one village; but small counts recur, village by village
    other = unlisted_place("Um Dalya", "SY", "Al-Hasakah")
    places[other.id] = other
    assert count(told, _strike("a2", sub_event_type=bomb, deaths=26, place=other)) == 1
    small = _strike("a1", sub_event_type=bomb, deaths=2, place=village, actor1=None)
    assert count(small, _strike("a2", sub_event_type=bomb, deaths=3, place=other)) == 2
    clash = analysis("a1", deaths=24, place=village).events[0]
    assert count(clash, analysis("a2", deaths=26, place=other).events[0]) == 2


def test_merge_a_countrys_rebels_may_be_a_named_group_of_them():
    """One paper's "rebels" ambushed at a town are another's "Nusra Front": a country's
    generic role actor stands for the named actors of its kind and country, not for a group
    of no country (IS) nor for two named groups that are not one."""
    from sitreps.merge import same_actor

    assert same_actor("syrian-rebels", "nusra-front")
    assert same_actor("nusra-front", "syrian-rebels")
    assert not same_actor("syrian-rebels", "islamic-state")
    assert not same_actor("nusra-front", "ahrar-al-sham")
    rows = [event_row(replace(analysis(f"a{i}", deaths=40).events[0], actor2=side))
            for i, side in ((1, "syrian-rebels"), (2, "nusra-front"))]
    assert len(cluster_rows(rows)) == 1


def test_merge_one_strike_whose_dead_two_papers_call_by_other_names():
    """Regime strikes on one town on one day, 22 dead "civilians" in one paper and 26 dead
    "militants" in another: who the dead were is what sources disagree on; one strike. Not
    with tolls far apart (20 civilians and 120 fighters are two acts), nor another doer."""
    from sitreps.merge import compatible

    rows = [event_row(replace(analysis(f"a{i}", deaths=toll).events[0], actor2=dead,
                              event_type="Explosions/Remote violence",
                              sub_event_type="Air/drone strike"))
            for i, toll, dead in ((1, 22, "civilians"), (2, 26, "reb"), (3, 120, "reb"))]
    assert compatible(rows[0], rows[1])
    assert not compatible(rows[0], rows[2])
    assert not compatible(rows[0], {**rows[1], "actor1_id": "reb"})


def _typed(article_id: str, event_type: str, sub_event_type: str, *, deaths: int | None,
           actor1: str | None = "reb", place: Place = TOWN) -> Analysis:
    """One paper's report of a violent act, typed as that paper's words make it."""
    base = analysis(article_id, deaths=deaths, actor1=actor1, place=place)
    event = replace(base.events[0], event_type=event_type, sub_event_type=sub_event_type,
                    actor2=None)
    return replace(base, events=(event,))


VAC = "Violence against civilians"
ERV = "Explosions/Remote violence"


def test_merge_one_act_two_papers_type_apart():
    """"Eight civilians were killed in rebel fire" (an attack on civilians, no means named)
    and "six were killed in rocket attacks" on that town that day are one act, typed by the
    report that names the means; and "62 rebels killed in an army ambush" is one clash
    whether a paper calls it a clash or shelling, when both give that exact toll. Not at a
    neighbouring town, not with tolls far apart, not below a sizeable toll, not by
    another doer, and never across groups (a protest is no battle)."""
    places = {TOWN.id: TOWN, NEAR.id: NEAR, FAR.id: FAR}

    def merged(*analyses: Analysis) -> list:
        return merge_events([a.events[0] for a in analyses], places=places)

    fire = _typed("a1", VAC, "Attack", deaths=8)
    rockets = _typed("a2", ERV, SHELLING, deaths=6, actor1="unidentified-armed-group-syria")
    [one] = merged(fire, rockets)
    assert (one.event_type, one.sub_event_type, one.source_count) == (ERV, SHELLING, 2)
    assert len(merged(fire, replace(rockets, places=(NEAR,), events=(
        replace(rockets.events[0], place_id=NEAR.id),)))) == 2
    assert len(merged(fire, _typed("a2", ERV, SHELLING, deaths=40))) == 2
    assert len(merged(_typed("a1", VAC, "Attack", deaths=3),
                      _typed("a2", ERV, SHELLING, deaths=3))) == 2
    assert len(merged(fire, _typed("a2", ERV, SHELLING, deaths=6, actor1="gov"))) == 2

    clash = _typed("a1", "Battles", "Armed clash", deaths=62, actor1="gov")
    shelled = _typed("a2", ERV, SHELLING, deaths=62, actor1="gov", place=NEAR)
    [ambush] = merged(clash, shelled)
    assert ambush.event_type == "Battles"  # the more precise report's reading
    assert len(merged(clash, _typed("a2", ERV, SHELLING, deaths=61, actor1="gov"))) == 2
    assert len(merged(_typed("a1", "Protests", "Peaceful protest", deaths=None),
                      _typed("a2", "Battles", "Armed clash", deaths=None))) == 2


def test_merge_stored_blocks_one_act_typed_apart(db_path):
    """The store's merge queue blocks by the event type's group, so an attack and another
    paper's shelling of it meet, in the stream as in memory."""
    from sitreps.merge import merge_stream, stream_order

    fire = _typed("a1", VAC, "Attack", deaths=8)
    rockets = _typed("a2", ERV, SHELLING, deaths=6)
    protest = _typed("a3", "Protests", "Peaceful protest", deaths=None)
    with Store(db_path) as store:
        save(store, fire, rockets, protest)
        rows = store.con.execute(
            "SELECT event_type, sub_event_type, source_count FROM merged_events ORDER BY 1"
        ).fetchall()
    assert rows == [(ERV, SHELLING, 2), ("Protests", "Peaceful protest", 1)]
    events = [event_row(a.events[0], {TOWN.id: TOWN}) for a in (protest, rockets, fire)]
    streamed = list(merge_stream(sorted(events, key=stream_order)))
    assert sorted(m.member_ids for m in streamed) == [("ev-a1", "ev-a2"), ("ev-a3",)]
