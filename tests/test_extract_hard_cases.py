"""Hard event sentences kept as data (STYLE rule 13): well-formed first, known failures xfail."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitreps.evaluate.datasets import main_event
from sitreps.ingest import make_article
from sitreps.knowledge.event_lexicon import NON_ACLED
from sitreps.pipeline import analyse_articles
from sitreps.records import FACTUAL_MODALITIES, Analysis

CASES_PATH = Path(__file__).parent / "data" / "hard_cases" / "events.jsonl"
CASES = [json.loads(line) for line in CASES_PATH.read_text().splitlines() if line.strip()]
KEYS = {"label", "comment", "input", "expected", "expect"}
EXPECTATIONS = {
    "event_type", "sub_event_type", "plover_type", "event_date", "trigger", "modality",
    "absent_sub_event_types", "no_acled_event", "main_plover_type", "has_actor2", "place_id",
    "actor1", "actor2", "geo_precision", "factual_events", "fatalities",
}  # fmt: skip
# Keys that select which event the other expectations are checked on.
_EVENT_FIELDS = (
    "event_type", "sub_event_type", "plover_type", "trigger", "modality", "place_id", "actor1",
    "actor2", "geo_precision",
)  # fmt: skip


def _params():
    for case in CASES:
        marks = (
            [pytest.mark.xfail(strict=True, reason=case["comment"])]
            if case.get("expect") == "fail"
            else []
        )
        yield pytest.param(case, id=case["label"], marks=marks)


def test_extract_hard_cases_are_well_formed():
    labels = [case["label"] for case in CASES]
    assert len(labels) == len(set(labels)), "labels must be unique"
    for case in CASES:
        assert KEYS <= set(case), case
        assert set(case) - KEYS <= {"published"}, case
        assert case["expect"] in ("pass", "fail"), case
        assert case["expected"] and set(case["expected"]) <= EXPECTATIONS, case
        if "published" in case:
            date.fromisoformat(case["published"])


def _analyse(nlp, config, case) -> Analysis:
    published = date.fromisoformat(case.get("published", "2017-03-10"))
    article = make_article(case["input"], title="hard case", published=published)
    [analysis] = list(analyse_articles([article], nlp, config))
    assert isinstance(analysis, Analysis), analysis
    return analysis


def _matches(event, expected) -> bool:
    for field in _EVENT_FIELDS:
        if field in expected and getattr(event, field) != expected[field]:
            return False
    if "event_date" in expected and str(event.event_date) != expected["event_date"]:
        return False
    toll = event.fatalities.best if event.fatalities is not None else None
    if "fatalities" in expected and toll != expected["fatalities"]:
        return False
    return not expected.get("has_actor2") or event.actor2 is not None


@pytest.mark.parametrize("case", _params())
def test_extract_hard_cases(nlp, config, case):
    analysis = _analyse(nlp, config, case)
    expected = case["expected"]
    events = analysis.events
    summary = [(e.sub_event_type, e.plover_type, e.trigger, str(e.event_date)) for e in events]
    # Background mentions ("280,000 killed since 2011") are kept, but are no ACLED events.
    acled = [
        e for e in events if e.event_type != NON_ACLED and e.modality in FACTUAL_MODALITIES
    ]
    if expected.get("no_acled_event"):
        assert not acled, summary
    if "factual_events" in expected:  # an incident told several times is coded once
        assert len(acled) == expected["factual_events"], summary
    for sub_type in expected.get("absent_sub_event_types", ()):
        assert all(e.sub_event_type != sub_type for e in events), summary
    if "main_plover_type" in expected:
        main = main_event(analysis)
        assert main is not None and main.plover_type == expected["main_plover_type"], summary
    if set(expected) & {*_EVENT_FIELDS, "event_date", "has_actor2", "fatalities"}:
        assert any(_matches(e, expected) for e in events), summary
