"""Background, aggregate and generic statements are mentions, never factual events (issue 13).

Every sentence here was written for these tests.
"""

from __future__ import annotations

from datetime import date

import pytest

from sitreps.ingest import make_article
from sitreps.pipeline import analyse_articles
from sitreps.records import FACTUAL_MODALITIES, Analysis

PUBLISHED = date(2019, 5, 8)  # a Wednesday


def analyse(nlp, config, text: str, published: date | None = PUBLISHED) -> Analysis:
    article = make_article(text, title="test", published=published)
    [analysis] = list(analyse_articles([article], nlp, config))
    assert isinstance(analysis, Analysis), analysis
    return analysis


def factual(analysis: Analysis):
    return [e for e in analysis.events if e.modality in FACTUAL_MODALITIES]


@pytest.mark.parametrize(
    "text",
    [
        # cumulative and aggregate tolls
        "Some 370,000 people have died in the fighting since the revolt broke out in 2011.",
        "Over 4,500 fighters were killed across the north, the monitor said.",
        "April was the bloodiest month of the year, with at least 1,200 dead.",
        # spans of years, habits and generic statements
        "Eight years of air raids and shelling have flattened whole districts of Homs.",
        "Militias in the valley have shelled farms over the past three months.",
        "Clashes have rocked the southern suburbs for a month.",
        "Residents say the jets bomb the market every Friday.",
        "Pro-government gunmen routinely fire on cars at the checkpoint.",
        "Deraa province has seen several rounds of heavy fighting.",
        "A spate of car bombings struck towns along the border.",
        "Across the eastern suburbs the shelling has continued.",
        # history
        "The fortress was captured by the Crusaders in 1109.",
        "The rebels overran the airbase in 2015, killing 60 soldiers.",
        # questions and conditionals
        "Will the army storm the old city before the winter?",
        "If the talks collapse, the militia could attack the port.",
    ],
)
def test_background_sentence_gives_no_factual_event(nlp, config, text):
    analysis = analyse(nlp, config, "Fighting went on near Hama. " + text)
    sentence_events = [e for e in factual(analysis) if e.sources[0].start > 20]
    assert sentence_events == [], [(e.sub_event_type, e.trigger) for e in sentence_events]


def test_background_mention_keeps_no_date_and_counts_in_no_total(nlp, config):
    analysis = analyse(
        nlp, config,
        "Jets struck a bakery in Maarat al-Numan on Monday, killing nine people. "
        "Some 370,000 people have died since the revolt broke out in 2011.",
    )
    background = [e for e in analysis.events if e.modality == "background"]
    assert background and all(e.event_date is None for e in background)
    [strike] = factual(analysis)
    assert strike.fatalities.best == 9
    assert strike.event_date == date(2019, 5, 6)


def test_history_keeps_its_own_date(nlp, config):
    analysis = analyse(nlp, config, "The rebels overran the airbase in 2015, killing 60 soldiers.")
    [event] = analysis.events
    assert event.modality == "background"
    assert event.event_date is not None and event.event_date.year == 2015


def test_last_month_is_recalled_with_its_own_month(nlp, config):
    """An act dated only by an earlier month is recalled context of a report (the hand
    audit's rule), never the article's news; it keeps the month the text gives it."""
    analysis = analyse(
        nlp, config, "Government troops captured the town of Kafr Nabuda last month."
    )
    assert factual(analysis) == []
    [event] = [e for e in analysis.events if e.modality == "background"]
    assert (event.event_date.year, event.event_date.month) == (2019, 4)


def test_habit_in_a_headline_position_is_news(nlp, config):
    """Headlines tell past events in the present: only later sentences are read as habits."""
    analysis = analyse(nlp, config, "Rebels shell Mhardeh, killing four civilians.")
    [event] = factual(analysis)
    assert event.fatalities.best == 4


def test_death_from_illness_is_no_event(nlp, config):
    analysis = analyse(
        nlp, config, "The former governor of Raqqa died of cancer in a Beirut clinic."
    )
    assert analysis.events == ()


def test_death_from_wounds_is_still_violence(nlp, config):
    analysis = analyse(
        nlp, config, "A shepherd died of his wounds after a mine exploded near Palmyra on Sunday."
    )
    assert factual(analysis)
