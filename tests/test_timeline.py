"""`sitreps timeline`: dated key events, most important first per day, with their sources."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.merge import run_merge
from sitreps.query import EventFilter
from sitreps.records import Actor, Analysis, Article, Event, Fatalities, Place, Source
from sitreps.store.duckdb import Store
from sitreps.timeline import build_timeline

TOWN = Place(id="gn:1", name="Qaryat", country="SY", admin1="Homs", latitude=34.5,
             longitude=38.2, feature_class="P", geo_precision=1)
ACTORS = (Actor(id="gov", name="Government forces", kind="state forces", inter_code=1),
          Actor(id="isis", name="Islamic State", kind="rebel group", inter_code=2))


def _article(article_id: str, text: str, events: list[tuple]) -> Analysis:
    built = []
    for n, (sub, etype, day, deaths, actor1) in enumerate(events):
        source = Source(article_id, text, 0, len(text))
        built.append(Event(
            id=f"{article_id}-{n}", event_type=etype, sub_event_type=sub, plover_type="FIGHT",
            trigger="x", event_date=day, time_precision=1, actor1=actor1, place_id="gn:1",
            geo_precision=1, fatalities=Fatalities(deaths, deaths, str(deaths)) if deaths else None,
            confidence=0.6, sources=(source,),
        ))
    article = Article(id=article_id, text=text, published=date(2016, 12, 12), title=article_id)
    return Analysis(article=article, actors=ACTORS, places=(TOWN,), events=tuple(built))


def build_db(db_path) -> None:
    analyses = [
        _article("a1", "IS seized Qaryat on Sunday.",
                 [("Non-state actor overtakes territory", "Battles", date(2016, 12, 11), None,
                   "isis")]),
        _article("a2", "Islamic State overran Qaryat; an air strike killed 3.",
                 [("Non-state actor overtakes territory", "Battles", date(2016, 12, 11), None,
                   "isis"),
                  ("Air/drone strike", "Explosions/Remote violence", date(2016, 12, 11), 3,
                   "gov")]),
        _article("a3", "Shelling hit Qaryat on Monday.",
                 [("Shelling/artillery/missile attack", "Explosions/Remote violence",
                   date(2016, 12, 12), None, None)]),
    ]
    with Store(db_path) as store:
        for a in analyses:
            store.add_article(a.article)
        store.save_analyses(analyses)
        run_merge(store)


def test_timeline_orders_days_and_ranks_events(db_path):
    build_db(db_path)
    with Store(db_path, read_only=True) as store:
        days = build_timeline(store)
        assert [d.day for d in days] == [date(2016, 12, 11), date(2016, 12, 12)]
        first = days[0].entries
        assert first[0].sub_event_type == "Non-state actor overtakes territory"
        assert first[0].source_count == 2 and len(first[0].sources) == 2
        assert first[0].importance > first[1].importance
        assert build_timeline(store, EventFilter(since=date(2016, 12, 12)))[0].day == date(
            2016, 12, 12)


def test_timeline_cli_prints_events_with_sources(db_path):
    build_db(db_path)
    result = CliRunner().invoke(cli, ["timeline", "--place", "Qaryat", "--actor", "Islamic",
                                      "--db", str(db_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "2016-12-11" in result.output and "(2 sources)" in result.output
    assert "IS seized Qaryat on Sunday." in result.output
    assert "Shelling" not in result.output
    bad = CliRunner().invoke(cli, ["timeline", "--since", "soon", "--db", str(db_path)])
    assert bad.exit_code == 2
