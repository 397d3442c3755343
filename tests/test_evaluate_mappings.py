"""Label mappings between sitreps and the gold sets."""

from __future__ import annotations

import pytest

from sitreps.evaluate import mappings as maps
from sitreps.knowledge.event_lexicon import ACLED_SUB_EVENT_TYPES
from sitreps.records import Actor, Event


def test_mappings_case2021_covers_every_acled_sub_type():
    known = {s for subs in ACLED_SUB_EVENT_TYPES.values() for s in subs}
    assert set(maps.CASE2021_TO_ACLED.values()) == known


def test_mappings_case2021_non_acled_and_unknown():
    assert maps.case2021_label("DIPLO") == maps.NO_EVENT
    with pytest.raises(maps.UnknownGoldLabel):
        maps.case2021_label("NOT_A_TYPE")


@pytest.mark.parametrize(
    ("sub_type", "trigger", "cause"),
    [
        ("Air/drone strike", "bombed", "shelling"),
        ("Suicide bomb", "blew", "explosion"),
        ("Chemical weapon", "gassed", "chemical and toxic gases"),
        ("Armed clash", "clashed", "shooting"),
        ("Attack", "executed", "execution"),
        ("Agreement", "signed", "unknown"),
    ],
)
def test_mappings_cause_of_death(sub_type, trigger, cause):
    event = Event("e", "x", sub_type, "ASSAULT", trigger)
    assert maps.cause_of_death(event) == cause


def test_mappings_cause_of_death_without_event():
    assert maps.cause_of_death(None) == "unknown"


@pytest.mark.parametrize(
    ("actor", "category"),
    [
        (Actor("russian-air-force", "Russian Air Force"), maps.FAKES_GOVERNMENT),
        (Actor("islamic-state", "Islamic State"), maps.FAKES_ISIS),
        (Actor("us-led-coalition", "Coalition"), maps.FAKES_COALITION),
        (Actor("new-brigade", "Some Brigade", kind="rebel group", country="SY", inter_code=2),
         maps.FAKES_OPPOSITION),
        # A user's kind of state forces maps by its inter code, as the packaged kind does.
        (Actor("sy-guard", "A Syrian guard", kind="national guard", country="SY", inter_code=1),
         maps.FAKES_GOVERNMENT),
        (Actor("ypg-unit", "A YPG unit", part_of="syrian-democratic-forces"), maps.FAKES_SDF),
        (Actor("hayat-tahrir-al-sham", "HTS"), maps.FAKES_NUSRA),
        (None, maps.FAKES_UNKNOWN),
    ],
)
def test_mappings_fakes_actor(actor, category):
    assert maps.fakes_actor(actor) == category


@pytest.mark.parametrize(
    ("gold", "names", "expected"),
    [
        ("hasakeh", ("Qamishli", "Al-Hasakah"), True),
        ("lattakia", ("Latakia",), True),
        ("tartous", ("Tartus",), True),
        ("damascus", ("Rif Dimashq",), True),
        ("aleppo", ("Idlib", None), False),
        ("raqqa", (), False),
    ],
)
def test_mappings_fakes_location(gold, names, expected):
    assert maps.fakes_location_matches(gold, names) is expected


def test_mappings_plover_sector_and_iso3():
    assert maps.sector_matches(2, "REBkur")  # a rebel group
    assert not maps.sector_matches(1, "CVL")  # state forces are no civilians
    assert maps.sector_matches(7, None)
    assert maps.iso3("sy") == "SYR" and maps.iso3_known("RUS") and not maps.iso3_known("IGO")


def test_mappings_wiki_roles_and_family():
    assert maps.WIKI_ROLES["Killer"] == "attacker"
    assert maps.wiki_family("Life.Die.Unspecified")
    assert not maps.wiki_family("Justice.ArrestJailDetain.Unspecified")
