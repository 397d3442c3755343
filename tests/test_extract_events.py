"""The events stage on the real pipeline: types, roles (active and passive), modality, tolls."""

from __future__ import annotations

from datetime import date

import pytest

from sitreps.ingest import make_article
from sitreps.pipeline import analyse_articles
from sitreps.records import Analysis


def analyse(nlp, config, text: str, published: date = date(2017, 3, 10)) -> Analysis:
    article = make_article(text, title="test", published=published)
    [analysis] = list(analyse_articles([article], nlp, config))
    assert isinstance(analysis, Analysis), analysis
    return analysis


def only_event(analysis: Analysis, sub_type: str | None = None):
    events = [e for e in analysis.events if sub_type is None or e.sub_event_type == sub_type]
    assert len(events) == 1, [(e.sub_event_type, e.trigger) for e in analysis.events]
    return events[0]


def names(analysis: Analysis) -> dict[str, str]:
    return {a.id: a.name for a in analysis.actors}


def test_extract_events_government_recapture_is_government_regains_territory(nlp, config):
    analysis = analyse(
        nlp, config, "Syrian government forces recaptured the town of Khan Shaykhun on Monday."
    )
    event = only_event(analysis)
    assert event.event_type == "Battles"
    assert event.sub_event_type == "Government regains territory"
    assert event.plover_type == "FIGHT"
    assert "Syria" in names(analysis)[event.actor1] or "Syrian" in names(analysis)[event.actor1]
    assert event.modality == "asserted"
    assert event.event_date == date(2017, 3, 6)
    assert event.time_precision == 1


def test_extract_events_passive_voice_puts_the_agent_first(nlp, config):
    analysis = analyse(
        nlp, config, "Twelve civilians were killed by an air strike on a market in Idlib."
    )
    event = only_event(analysis)
    assert event.event_type == "Explosions/Remote violence"
    assert event.sub_event_type == "Air/drone strike"
    assert event.fatalities is not None and event.fatalities.low == 12
    assert event.actor2 is not None and "ivilian" in names(analysis)[event.actor2]
    assert event.plover_type == "ASSAULT"


def test_extract_events_passive_with_named_agent(nlp, config):
    analysis = analyse(
        nlp, config, "The village of Tal Rifaat was captured by Islamic State fighters on Sunday."
    )
    event = only_event(analysis)
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert "Islamic State" in names(analysis)[event.actor1]


def test_extract_events_negation_is_not_asserted(nlp, config):
    analysis = analyse(
        nlp, config, "The coalition did not bomb the hospital in Raqqa, a spokesman said."
    )
    assert analysis.events
    assert all(e.modality != "asserted" for e in analysis.events)
    assert any(e.modality == "negated" for e in analysis.events)


def test_extract_events_forecast_is_not_asserted(nlp, config):
    analysis = analyse(
        nlp, config, "Analysts say the rebels may try to retake Palmyra next month."
    )
    assert all(e.modality in ("hedged", "future") for e in analysis.events)


def test_extract_events_number_words_give_the_toll(nlp, config):
    analysis = analyse(
        nlp, config,
        "At least twenty-three people were killed when a car bomb exploded in Azaz on Friday.",
    )
    event = only_event(analysis)
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.fatalities.low == 23
    assert "twenty-three" in event.fatalities.as_stated


def test_extract_events_clash_between_two_armed_actors(nlp, config):
    analysis = analyse(
        nlp, config, "Kurdish YPG fighters clashed with Turkish troops near Afrin on Tuesday."
    )
    event = only_event(analysis)
    assert event.event_type == "Battles"
    assert event.sub_event_type == "Armed clash"
    assert event.actor1 is not None and event.actor2 is not None


def test_extract_events_protest(nlp, config):
    analysis = analyse(
        nlp, config, "Thousands of people protested in Khartoum against the military council."
    )
    event = only_event(analysis)
    assert event.event_type == "Protests"
    assert event.plover_type == "PROTEST"


def test_extract_events_sources_replay_the_sentence(nlp, config):
    text = (
        "Rebels shelled a government checkpoint in Daraa on Monday. "
        "Two soldiers were killed in the attack."
    )
    analysis = analyse(nlp, config, text)
    assert analysis.events
    for event in analysis.events:
        for source in event.sources:
            assert text[source.start : source.end] == source.sentence
            assert source.article_id == analysis.article.id


def test_extract_events_ids_are_stable(nlp, config):
    text = "Russian warplanes bombed the town of Saraqib on Wednesday, killing nine people."
    first = [e.id for e in analyse(nlp, config, text).events]
    second = [e.id for e in analyse(nlp, config, text).events]
    assert first and first == second


@pytest.mark.parametrize(
    "text",
    [
        "The weather in Damascus was mild on Monday.",
        "The ministry published its annual budget.",
    ],
)
def test_extract_events_quiet_sentences_give_no_event(nlp, config, text):
    assert analyse(nlp, config, text).events == ()


def test_extract_events_plover_only_act_is_marked_non_acled(nlp, config):
    analysis = analyse(
        nlp, config, "Syria rejected calls by the United Nations to withdraw its troops."
    )
    rejections = [e for e in analysis.events if e.plover_type == "REJECT"]
    assert len(rejections) == 1, [(e.sub_event_type, e.trigger) for e in analysis.events]
    assert rejections[0].event_type == "Non-ACLED"
    assert rejections[0].sub_event_type == "Non-ACLED"
    # the withdrawal Syria refuses is no asserted ACLED event
    assert all(
        e.modality != "asserted" for e in analysis.events if e.event_type != "Non-ACLED"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Two civilians died in government shelling on Idlib on Monday.",
        "Five civilians died in Idlib on Monday.",
    ],
)
def test_extract_events_those_who_died_are_the_victims(nlp, config, text):
    analysis = analyse(nlp, config, text)
    assert analysis.events
    for event in analysis.events:
        assert event.actor1 != "civilians-syria"
        assert event.actor2 == "civilians-syria"


def test_extract_events_territory_changes_at_the_object_not_the_scene(nlp, config):
    analysis = analyse(
        nlp, config, "In Hama province, the army captured the village of Khirbet Sufayra."
    )
    places = {p.id: p for p in analysis.places}
    captures = [e for e in analysis.events if e.event_type == "Strategic developments"
                or e.sub_event_type == "Government regains territory"]
    assert captures
    assert places[captures[0].place_id].name == "Khirbet Sufayra"


def test_extract_events_patrol_is_a_plover_show_of_force(nlp, config):
    analysis = analyse(nlp, config, "Militiamen patrolled the streets of Tikrit on Sunday.")
    assert [(e.event_type, e.plover_type) for e in analysis.events] == [("Non-ACLED", "MOBILIZE")]
    places = {p.id: p.name for p in analysis.places}
    assert places[analysis.events[0].place_id] == "Tikrīt"


def test_extract_events_plover_only_act_is_dropped_beside_an_acled_event(nlp, config):
    analysis = analyse(
        nlp, config,
        "Government forces shelled the town of Douma on Monday, a day after talks failed.",
    )
    assert [e.event_type for e in analysis.events] == ["Explosions/Remote violence"]


def test_extract_events_running_war_toll_is_background_with_no_date(nlp, config):
    analysis = analyse(
        nlp, config, "More than 280,000 people have been killed since the conflict began in 2011."
    )
    assert [(e.modality, e.event_date) for e in analysis.events] == [("background", None)]


def test_extract_events_sentence_alone_does_not_borrow_its_unlinked_place(nlp, config):
    analysis = analyse(nlp, config, "Two soldiers were shot dead, an official in Baghdad said.")
    event = only_event(analysis)
    assert [p.name for p in analysis.places] == ["Baghdad"]
    assert event.place_id is None and event.geo_precision is None


def test_extract_events_borrows_the_article_place_from_other_sentences(nlp, config):
    analysis = analyse(
        nlp, config,
        "Fighting has gripped Idlib for a week. Two soldiers were shot dead on Tuesday, "
        "an official said.",
    )
    [event] = [e for e in analysis.events if e.trigger == "shot"]
    place = next(p for p in analysis.places if p.id == event.place_id)
    assert place.name == "Idlib"
    assert event.geo_precision >= 2  # borrowed from context, not stated by the sentence


def test_extract_events_forecast_month_lies_ahead_of_the_article(nlp, config):
    analysis = analyse(
        nlp, config, "The army will launch an offensive on Raqqa in June, officials said.",
        published=date(2017, 3, 10),
    )
    forecasts = [e for e in analysis.events if e.modality == "future"]
    assert forecasts
    assert all(e.event_date == date(2017, 6, 15) for e in forecasts)


@pytest.mark.parametrize(
    ("text", "sub_types"),
    [
        ("Rebel fighters marched into Kandahar on Sunday.", ["Non-ACLED"]),
        ("Thousands of students marched through Damascus on Sunday.", ["Peaceful protest"]),
    ],
)
def test_extract_events_troops_marching_are_no_protest(nlp, config, text, sub_types):
    analysis = analyse(nlp, config, text)
    assert [e.sub_event_type for e in analysis.events] == sub_types


def test_extract_events_territory_taken_from_a_country_is_the_place_taken(nlp, config):
    analysis = analyse(nlp, config, "Kirkuk was captured from Iraq by Kurdish fighters.")
    event = only_event(analysis)
    places = {p.id: p.name for p in analysis.places}
    assert places[event.place_id] == "Kirkuk"


@pytest.mark.parametrize(
    "text",
    [
        "Clashes broke out in Daraa on Monday. "
        "The Britain-based Syrian Observatory said 12 fighters were killed.",
        "Fighting went on in Daraa on Monday. Russia says 62 Syrian soldiers were killed.",
        "Fighting went on in Daraa on Monday. "
        "Daesh (outlawed in Russia) fighters killed 12 soldiers at a checkpoint.",
    ],
)
def test_extract_events_a_sources_seat_or_a_speaker_is_no_scene(nlp, config, text):
    analysis = analyse(nlp, config, text)
    places = {p.id: p for p in analysis.places}
    killings = [e for e in analysis.events if e.fatalities and e.fatalities.best >= 12]
    assert killings
    for event in killings:
        assert places[event.place_id].admin1 == "Daraa"


@pytest.mark.parametrize(
    "text, first, second",
    [
        ("Fierce clashes erupted between the Syrian army and rebels in Daraa on Monday.",
         "syrian-government-forces", "syrian-rebels"),
        ("Fighting between Hezbollah and the Islamic State raged near Arsal on Sunday.",
         "hezbollah", "islamic-state"),
    ],
)
def test_extract_events_sides_of_a_clash_between_two_parties(nlp, config, text, first, second):
    event = only_event(analyse(nlp, config, text))
    assert event.sub_event_type == "Armed clash"
    assert (event.actor1, event.actor2) == (first, second)


def test_extract_events_speaker_of_a_report_is_not_the_perpetrator(nlp, config):
    analysis = analyse(
        nlp, config, "Regime media said that one person was killed in a bomb attack in Homs."
    )
    event = only_event(analysis)
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.actor1 is None


def test_extract_events_a_withdrawal_happens_at_the_place_left(nlp, config):
    analysis = analyse(
        nlp, config,
        "Rebels shelled Homs on Saturday. Government troops withdrew from Palmyra on Sunday.",
    )
    event = only_event(analysis, "Non-violent transfer of territory")
    assert {p.id: p.name for p in analysis.places}[event.place_id] in ("Palmyra", "Tadmur")


def test_extract_events_an_earlier_year_is_history_in_an_undated_article(nlp, config):
    """With no publication date nor a year in the text, "in August last year" still puts
    the bombing in an earlier year: background, no toll of the news; an undated act stays."""
    text = "In August last year a car bomb killed 27 people in the suburb."
    recalled = analyse(nlp, config, text, published=None)
    assert [e.modality for e in recalled.events] == ["background"]
    news = analyse(nlp, config, "A car bomb killed 27 people in the suburb on Tuesday.",
                   published=None)
    assert [e.modality for e in news.events] == ["asserted"]
