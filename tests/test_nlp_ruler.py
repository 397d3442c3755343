"""Tests for sitreps.nlp: the known-entity ruler's phrase tables and its on-disk cache."""

from __future__ import annotations

import sys

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from sitreps import nlp as module
from sitreps.nlp import KnownEntityRuler, compile_patterns, load_known_entity_ruler, ruler_key

PATTERNS = [
    {"label": "GPE", "pattern": "Aleppo", "id": "gn:170063"},
    {"label": "GPE", "pattern": "Hit", "id": "gn:95788"},  # exact case: "hit" is a verb
    {"label": "LOC", "pattern": [{"LOWER": "west"}, {"LOWER": "bank"}], "id": "alias:west-bank"},
    {"label": "GPE", "pattern": [{"LOWER": "new"}, {"LOWER": "york"}], "id": "gn:5128581"},
    {"label": "GPE", "pattern": [{"LOWER": "new"}, {"LOWER": "york"}, {"LOWER": "city"}],
     "id": "gn:5128582"},
    {"label": "GPE", "pattern": [{"LOWER": "at"}, {"LOWER": "tall", "IS_LOWER": False}],
     "id": "gn:1"},
    {"label": "ACTOR", "pattern": [{"ORTH": "IS"}], "id": "islamic-state"},
    {"label": "ACTOR", "pattern": [{"LOWER": {"IN": ["hay'at", "hay’at"]}}, {"LOWER": "tahrir"}],
     "id": "hts"},
    {"label": "ACTOR", "pattern": [{"LOWER": "free"}, {"LOWER": "army", "OP": "?"}], "id": "fsa"},
]  # fmt: skip


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _ents(nlp, ruler, text: str) -> list[tuple[str, str, str]]:
    doc = ruler(nlp.make_doc(text))
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shells hit Aleppo.", [("Aleppo", "GPE", "gn:170063")]),
        ("Hit was shelled.", [("Hit", "GPE", "gn:95788")]),
        ("Raids in the WEST BANK.", [("WEST BANK", "LOC", "alias:west-bank")]),
        ("He flew to New York City.", [("New York City", "GPE", "gn:5128582")]),  # longest wins
        ("We met at tall buildings in At Tall.", [("At Tall", "GPE", "gn:1")]),
        ("IS is here.", [("IS", "ACTOR", "islamic-state")]),
        ("Hay’at Tahrir al-Sham", [("Hay’at Tahrir", "ACTOR", "hts")]),
        ("The Free Army moved.", [("Free Army", "ACTOR", "fsa")]),
        ("", []),
    ],
)
def test_nlp_ruler_marks_known_entities(blank, text, expected):
    assert _ents(blank, KnownEntityRuler(blank, PATTERNS), text) == expected


def test_nlp_ruler_phrase_tables_match_like_a_phrase_matcher(blank):
    """Every phrase occurrence spaCy's PhraseMatcher finds, overlapping ones included."""
    phrases = ["New York", "York", "New York City", "City", "Aleppo", "Aleppo"]
    patterns = [{"label": "GPE", "pattern": p, "id": f"p{i}"} for i, p in enumerate(phrases)]
    matcher = PhraseMatcher(blank.vocab, attr="ORTH")
    for entry in patterns:
        matcher.add(entry["id"], [blank.make_doc(entry["pattern"])])
    doc = blank.make_doc("New York City and Aleppo, New York.")
    expected = sorted((blank.vocab.strings[k], s, e) for k, s, e in matcher(doc))
    ruler = KnownEntityRuler(blank, patterns)
    found: list = []
    keys = doc.to_array("ORTH").tolist()
    ruler._match_phrases(doc, ruler.exact, ruler.lengths[0], keys, found)
    assert sorted((span.id_, span.start, span.end) for span in found) == expected


def test_nlp_ruler_cache_compiles_once(blank, tmp_path):
    calls = []

    def patterns():
        calls.append(1)
        return PATTERNS

    first = load_known_entity_ruler(blank, "test", patterns, cache=tmp_path)
    second = load_known_entity_ruler(blank, "test", patterns, cache=tmp_path)
    assert len(calls) == 1
    assert second.exact == first.exact and second.entities == first.entities
    text = "IS fighters left Aleppo for the West Bank and New York."
    assert _ents(blank, second, text) == _ents(blank, first, text)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.unlink(), id="missing"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:100]), id="truncated"),
        pytest.param(
            lambda path: path.write_bytes(path.read_bytes().replace(b"gn:170063", b"gn:170064")),
            id="bytes-changed",
        ),
        pytest.param(lambda path: path.write_bytes(b""), id="empty"),
    ],
)
def test_nlp_ruler_cache_damaged_is_rebuilt_never_trusted(blank, tmp_path, damage):
    calls = []

    def patterns():
        calls.append(1)
        return PATTERNS

    load_known_entity_ruler(blank, "test", patterns, cache=tmp_path)
    (path,) = tmp_path.glob("ruler-test-*")
    damage(path)
    ruler = load_known_entity_ruler(blank, "test", patterns, cache=tmp_path)
    assert len(calls) == 2
    assert _ents(blank, ruler, "Aleppo") == [("Aleppo", "GPE", "gn:170063")]
    load_known_entity_ruler(blank, "test", patterns, cache=tmp_path)
    assert len(calls) == 2  # the rebuilt file is good


def test_nlp_ruler_cache_follows_the_cache_env_var(blank, tmp_path, monkeypatch):
    monkeypatch.setenv("SITREPS_CACHE", str(tmp_path))
    load_known_entity_ruler(blank, "test", lambda: PATTERNS)
    assert list(tmp_path.glob("ruler-test-*.marshal"))


def test_nlp_ruler_key_follows_knowledge_code_and_model(blank, tmp_path, monkeypatch):
    base = ruler_key(blank, "all")
    assert ruler_key(blank, "places") != base
    other_model = spacy.blank("en")
    other_model.meta["version"] = "9.9.9"
    assert ruler_key(other_model, "all") != base
    # A changed module that shapes the patterns changes the key, so the ruler is rebuilt.
    rules = tmp_path / "sitreps_test_rules.py"
    rules.write_text("STOPLIST = ['hit']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(module, "_PATTERN_MODULES", (*module._PATTERN_MODULES, rules.stem))
    before = ruler_key(blank, "all")
    rules.write_text("STOPLIST = ['hit', 'bab']\n")
    edited = ruler_key(blank, "all")
    assert edited != before
    sys.modules.pop(rules.stem, None)
    # A changed knowledge file does too.
    real = module.resources.files

    class Knowledge:
        def __init__(self, package):
            self.root = real(package)

        def joinpath(self, name):
            path = self.root.joinpath(name)
            return _Edited(path) if name == "actors.json" else path

    class _Edited:
        def __init__(self, path):
            self.path = path

        def read_bytes(self):
            return self.path.read_bytes() + b" "

    monkeypatch.setattr(module.resources, "files", Knowledge)
    assert ruler_key(blank, "all") != edited


@pytest.mark.parametrize(("edited", "places_too"),
                         [("lexicon.toml", False), ("demonyms.toml", True)])
def test_nlp_ruler_key_follows_the_role_words_and_country_names(
    blank, monkeypatch, edited, places_too
):
    # The actor patterns' generated aliases come from the role nouns of lexicon.toml ("Turkish
    # troops") and the demonyms and country names of demonyms.toml (issue 17): an edit rebuilds
    # the actor ruler. The places ruler comes from the gazetteer, which maps the demonyms (its
    # index is rebuilt when they change), so an edit of demonyms.toml rebuilds it too; it reads
    # no role words.
    before = {kind: ruler_key(blank, kind) for kind in ("all", "places")}
    real = module.resources.files

    class Knowledge:
        def __init__(self, package):
            self.root = real(package)

        def joinpath(self, name):
            path = self.root.joinpath(name)
            return _Appended(path) if name == edited else path

    class _Appended:
        def __init__(self, path):
            self.path = path

        def read_bytes(self):
            return self.path.read_bytes() + b"# edited"

    monkeypatch.setattr(module.resources, "files", Knowledge)
    assert ruler_key(blank, "all") != before["all"]
    assert (ruler_key(blank, "places") != before["places"]) is places_too


def test_nlp_ruler_compiled_form_is_plain_data(blank):
    import marshal

    compiled = compile_patterns(blank, PATTERNS)
    assert marshal.loads(marshal.dumps(compiled)) == compiled
    assert len(compiled["tokens"]) == 1  # only the operator pattern needs the token Matcher
