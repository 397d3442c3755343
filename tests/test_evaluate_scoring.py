"""The per-dataset scorers on hand-built sitreps records (no model needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitreps.evaluate import datasets as ds
from sitreps.evaluate.readers import (
    EventLocationItem,
    FakesItem,
    GeoDocument,
    SnippetItem,
    Span,
    Toponym,
    WikiArgument,
    WikiDocument,
    WikiEvent,
)
from sitreps.records import Actor, Analysis, Article, Event, Fatalities, Mention, Place, Source


def _analysis(text, events=(), mentions=(), places=(), actors=()):
    article = Article(id="a", text=text)
    return Analysis(article=article, events=tuple(events), mentions=tuple(mentions),
                    places=tuple(places), actors=tuple(actors))


def _event(trigger, sub_type="Armed clash", start=0, end=None, text="", **fields):
    end = len(text) if end is None else end
    return Event(id=trigger, event_type=fields.pop("event_type", "Battles"),
                 sub_event_type=sub_type, plover_type=fields.pop("plover_type", "FIGHT"),
                 trigger=trigger, sources=(Source("a", text[start:end], start, end),), **fields)


def test_scoring_event_location_matches_trigger_and_place_span():
    text = "Rebels shelled the village of Kafr Hamra on Sunday."
    place = Mention("a", 0, 30, 40, "Kafr Hamra", "PLACE", "gn:1")
    event = _event("shelled", text=text, place_id="gn:1")
    items = [
        EventLocationItem("1", text, Span(7, 14, "shelled"), (Span(30, 40, "Kafr Hamra"),)),
        EventLocationItem("2", text, Span(7, 14, "shelled"), ()),
    ]
    analyses = [_analysis(text, [event], [place]), _analysis(text, [event], [place])]
    metrics, _ = ds.score_event_location(items, analyses)
    # Item 1 right (overlap); item 2 wrong (gold says no place, sitreps gave one).
    assert metrics["accuracy"] == 0.5 and metrics["coverage"] == 1.0
    assert metrics["located_accuracy"] == 1.0


def test_scoring_event_location_counts_missing_events_as_wrong():
    text = "Two soldiers were killed, officials said."
    items = [EventLocationItem("1", text, Span(18, 24, "killed"), ())]
    metrics, _ = ds.score_event_location(items, [_analysis(text)])
    assert metrics == {"accuracy": 0.0, "coverage": 0.0, "accuracy_covered": 0.0,
                       "located_accuracy": 0.0}


def test_scoring_toponyms_strict_overlap_and_distance():
    text = "Flooding hit Springfield and Ohio."
    doc = GeoDocument("d", "", text, (
        Toponym(13, 24, "Springfield", "1", 39.92, -83.81),
        Toponym(29, 33, "Ohio", None, None, None),
    ))
    mentions = [Mention("a", 0, 13, 24, "Springfield", "PLACE", "gn:1"),
                Mention("a", 0, 29, 34, "Ohio.", "PLACE", "gn:2")]
    places = [Place("gn:1", "Springfield", latitude=39.92, longitude=-83.81)]
    metrics, details = ds.score_toponyms([doc], [_analysis(text, mentions=mentions,
                                                           places=places)])
    assert metrics["strict_f1"] == pytest.approx(0.5)
    assert metrics["f1"] == 1.0
    assert metrics["acc_161km"] == 1.0 and metrics["median_km"] == pytest.approx(0.0)
    assert details["resolved_pairs"] == 1


def test_scoring_case2021_maps_no_event_and_baseline():
    items = [SnippetItem("1", "t", "ARMED_CLASH"), SnippetItem("2", "t", "NATURAL_DISASTER"),
             SnippetItem("3", "t", "ARMED_CLASH")]
    analyses = [_analysis("t", [_event("clashed", text="t")]), _analysis("t"), None]
    metrics, details = ds.score_case2021(items, analyses)
    assert metrics["accuracy"] == pytest.approx(2 / 3)
    # Armed clash: tp1 fn1 -> F1 2/3; NO_EVENT is left out of the average.
    assert metrics["macro_f1"] == pytest.approx(2 / 3)
    assert details["baseline"]["label"] == "Armed clash"


def test_scoring_fakes_fields():
    text = "Government artillery shelled Idlib, killing 11 civilians."
    event = _event("shelled", "Shelling/artillery/missile attack", text=text,
                   event_type="Explosions/Remote violence", actor1="syrian-government-forces",
                   place_id="admin1:SY.12", event_date=date(2017, 3, 8),
                   fatalities=Fatalities(11, 11, "11", "civilians"))
    analysis = _analysis(
        text, [event], places=[Place("admin1:SY.12", "Idlib", "SY", "Idlib")],
        actors=[Actor("syrian-government-forces", "Syrian government forces", kind="state forces",
                      country="SY")],
    )
    item = FakesItem("1", "", text, date(2017, 3, 6), "idlib",
                     "syrian government or russian troops", "shelling", 11)
    metrics, _ = ds.score_fakes([item], [analysis])
    assert metrics == {"location": 1.0, "actor": 1.0, "cause": 1.0, "civilians_exact": 1.0,
                       "civilians_20pct": 1.0, "date_exact": 0.0, "date_3d": 1.0,
                       "events_per_article": 1, "overcount_share": 0.0, "toll_ratio": 1.0,
                       "abroad_share": 0.0, "year_tolls": 0.0}


def test_scoring_fakes_civilian_toll_counts_factual_events_only():
    text = "Shelling killed 11 civilians in Idlib. 280,000 have been killed since 2011."
    news = _event("Shelling", "Shelling/artillery/missile attack", text=text,
                  fatalities=Fatalities(11, 11, "11", "civilians"))
    total = _event("killed", "Attack", text=text, modality="background",
                   fatalities=Fatalities(280000, 280000, "280,000", "civilians"))
    item = FakesItem("1", "", text, None, "idlib", "unknown", "shelling", 11)
    metrics, _ = ds.score_fakes([item], [_analysis(text, [news, total])])
    assert metrics["civilians_exact"] == 1.0


def test_scoring_wikievents_triggers_and_arguments():
    text = "Gunmen attacked a convoy in Kandahar.\nThree guards died."
    gold = WikiDocument("d", text, (
        WikiEvent("Conflict.Attack.Unspecified", Span(7, 15, "attacked"), (
            WikiArgument("Attacker", 0, 6, "Gunmen"), WikiArgument("Place", 28, 36, "Kandahar"))),
        WikiEvent("Life.Die.Unspecified", Span(51, 55, "died"), ()),
        WikiEvent("Contact.Contact.Meet", Span(0, 6, "Gunmen"), ()),
    ))
    event = _event("attacked", end=37, text=text, actor1="gunmen", place_id="gn:9")
    mentions = [Mention("a", 0, 0, 6, "Gunmen", "ACTOR", "gunmen"),
                Mention("a", 0, 28, 36, "Kandahar", "PLACE", "gn:9")]
    metrics, _ = ds.score_wikievents([gold], [_analysis(text, [event], mentions)])
    assert metrics["trigger_precision"] == 1.0 and metrics["trigger_recall"] == 0.5
    assert metrics["argument_precision"] == 1.0 and metrics["argument_recall"] == 1.0


def test_scoring_main_event_prefers_the_deadliest():
    small = _event("a", text="x", fatalities=Fatalities(1, 1, "one"))
    big = _event("b", text="x", fatalities=Fatalities(9, 9, "nine"))
    assert ds.main_event(_analysis("x", [small, big])).trigger == "b"
    assert ds.main_event(None) is None


def test_scoring_unknown_dataset():
    with pytest.raises(ds.UnknownDataset, match="choose one of"):
        ds.get_dataset("nope")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wed 05 Apr 2017 Shelling hit a market.", date(2017, 4, 5)),
        ("Published July 5 2015 A convoy was hit.", date(2015, 7, 5)),
        ("18-07-2015 Militants used gas in an invented town.", date(2015, 7, 18)),
        ("20.07.2016(updated 20.07.2016) Jets struck a depot.", date(2016, 7, 20)),
        ("16.04.2017Get short URL 0 612 Mortars hit a square.", date(2017, 4, 16)),
        ("Rebels shelled a village near the river for the third day running, residents"
         " said. On 3 May 2016 more came.", None),
        ("No date at all in this invented opening line.", None),
        # past the first 80 characters only a byline or a numeric header marks the page's date
        ("Ten civilians killed in an airstrike by the coalition on a village in the countryside"
         " of Raqqa 21 November 2016 SANA Aircraft struck the village.", date(2016, 11, 21)),
        ("Invented headline about a long and winding road in the countryside Some Reporter "
         "Middle East 2159 18.05.2017(updated 18.05.2017) Mortars hit a square.",
         date(2017, 5, 18)),
    ],
)
def test_scoring_find_dateline(text, expected):
    assert ds.find_dateline(text) == expected


def test_scoring_main_event_of_an_article_is_its_headlines_when_asked():
    """FA-KES articles open with their title: the act it tells is the article's main event,
    though a deadlier clash elsewhere is told further down; snippets keep the deadliest."""
    text = "Bomb kills nine at a checkpoint. Elsewhere 70 died in clashes."
    headline = _event("Bomb", "Remote explosive/landmine/IED", 0, 32, text=text,
                      fatalities=Fatalities(9, 9, "nine"))
    clash = _event("clashes", start=33, text=text, fatalities=Fatalities(70, 70, "70"))
    analysis = _analysis(text, [headline, clash])
    assert ds.main_event(analysis, headline_first=True).trigger == "Bomb"
    assert ds.main_event(analysis).trigger == "clashes"
    background = replace(headline, modality="background")
    assert ds.main_event(_analysis(text, [background, clash]), headline_first=True) == clash
