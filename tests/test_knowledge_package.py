"""The knowledge package: loaded once, validated with file and line, each fact written once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sitreps.knowledge.package import (
    ACTOR_ROLES,
    PLOVER_TYPES,
    KnowledgeError,
    default_knowledge,
    load_knowledge,
)

SRC = Path(__file__).resolve().parent.parent / "src" / "sitreps"


def test_knowledge_package_loads_once_per_set_of_files():
    assert load_knowledge() is load_knowledge()
    assert default_knowledge().sense("kill").sub_event_type == "Attack"


def test_knowledge_every_sub_type_has_one_event_type_and_at_most_one_plover_type():
    knowledge = default_knowledge()
    for sub in knowledge.sub_event_types.values():
        assert sub.event_type in knowledge.event_types
        assert sub.plover is None or sub.plover in PLOVER_TYPES
    # A sense takes its sub-type's PLOVER type unless it states its own, never a restatement.
    for name, sense in knowledge.senses.items():
        sub = knowledge.sub_event_types[sense.sub_event_type]
        assert sense.event_type == sub.event_type, name


def test_knowledge_sub_types_in_codebook_order():
    assert default_knowledge().sub_types_of("Battles") == (
        "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    )


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_knowledge_user_file_adds_a_trigger(tmp_path):
    path = _write(tmp_path, '[triggers.verb]\nclash = ["tussle"]\n')
    knowledge = load_knowledge((path,))
    assert knowledge.triggers["verb"]["tussle"].sub_event_type == "Armed clash"
    assert "tussle" not in default_knowledge().triggers["verb"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # A built-in trigger given a second sense contradicts lexicon.toml.
        ('# mine\n[triggers.verb]\nprotest = ["kill"]\n', 3, "already stated"),
        ('[senses]\nfeud = { kind = "fight", sub_event_type = "Armed brawl" }\n', 2,
         "unknown sub-event type"),
        ('[senses]\nfeud = { kind = "fight", sub_event_type = "Armed clash", plover = "FITE" }\n',
         2, "PLOVER type"),
        ('\n\n[triggers.verb]\nfeud = ["feud"]\n', 4, "unknown sense"),
        ('[sub_event_types."Armed clash"]\nevent_type = "Battles"\n', 1, "already stated"),
        ('[sub_event_types."Feud"]\nevent_type = "Feuds"\n', 1, "unknown event type"),
        # A list no stage reads: a user's words there would be silently ignored.
        ('[words]\ncontrol_verbs = ["annex"]\n', 2, "packaged lexicon.toml"),
        # guess_kind and the actors stage read the packaged name patterns.
        ('\n[name_kinds."rebel group"]\nwords = ["maquis"]\n', 2, "packaged lexicon.toml"),
        # The articles key the gazetteer's on-disk index, built from the packaged files.
        ('[words]\nname_articles = ["il"]\n', 2, "packaged lexicon.toml"),
        # The suffixes of first-level areas key the cached places ruler.
        ('[words]\nadmin1_suffixes = ["krai"]\n', 2, "packaged lexicon.toml"),
        ('[words]\ncompound_town_heads = ["little"]\n', 2, "packaged lexicon.toml"),
        # A demonym of a country sitreps does not know would name nothing.
        ('[place_demonyms]\nXX = ["Xish"]\n', 2, "no country"),
        # A word list is a list of words.
        ('\n[words]\ncrowd_words = "mourner"\n', 3, "must be a list of words"),
        ('[words]\nrelief_nouns = ["food", 3]\n', 2, "must be a list of words"),
        ('[harm_verbs]\nkill = { harm = "death" }\n', 2, "already stated"),
        ('[sub_event_types."Feud"]\nevent_type = "Battles"\nweapon_rank = 0\n', 1,
         "whole number"),
        ('[event_types."Battles"]\ngroup = "violence"\n', 1, "already stated"),
        # Facts that contradict each other within one entry or across files.
        ('[harm_verbs]\n\nmaul = { harm = "injury", toll = true }\n', 3, "only a verb of killing"),
        ('[harm_verbs]\nbruise = { harm = "injury", fighters_only = true }\n', 2,
         'needs harm = "death"'),
        # Two weapons of one rank: neither wins when a sentence names both.
        ('\n[sub_event_types."Drone swarm"]\nevent_type = "Explosions/Remote violence"\n'
         'plover = "ASSAULT"\nweapon_rank = 2\n', 2, "has the weapon_rank of"),
        # A weapon whose sub-type has no rank is never read.
        ('[sub_event_types."Catapult"]\nevent_type = "Explosions/Remote violence"\n'
         'plover = "ASSAULT"\n\n[senses]\ncatapult = { kind = "remote", sub_event_type = '
         '"Catapult" }\n\n[triggers.weapon]\ncatapult = ["catapult"]\n', 9, "no weapon_rank"),
        ('[sub_event_types."Siege"]\nevent_type = "Battles"\ncontrol = "taken"\n', 1,
         "not territorial"),
        # The state_only flag is read from a weapon named with the act ("Syria air raids").
        ('[sub_event_types."Napalm"]\nevent_type = "Explosions/Remote violence"\n'
         'plover = "ASSAULT"\nstate_only = true\n', 1, "no weapon_rank"),
        ('[sub_event_types."Napalm"]\nevent_type = "Explosions/Remote violence"\n'
         'plover = "ASSAULT"\nweapon_rank = 7\nstate_only = "yes"\n', 1, "true or false"),
        ('[sub_event_types."Raid"]\nevent_type = "Strategic developments"\n'
         'form_of = "Armed clash"\n', 1, "another event type"),
        ('[sub_event_types."Feud"]\nevent_type = "Battles"\nform_of = "Armed clash"\n'
         "merges = false\n", 1, "never merges"),
        # Only a means of one event type that merges may be taken for another.
        ('[sub_event_types."Rocket fire"]\nevent_type = "Explosions/Remote violence"\n'
         'mistaken_for = "Armed clash"\n', 1, "same event type that merges"),
        ('[sub_event_types."Rocket fire"]\nevent_type = "Explosions/Remote violence"\n'
         'mistaken_for = "Catapult"\n', 1, "same event type that merges"),
        ('[senses]\nx = { kind = "fight", sub_event_type = "Armed clash", plover = "FIGHT" }\n',
         2, "restates"),
        ("[weapons]\n", 1, "unknown section"),
        # A vague count is a range of people, each phrase stated once (issue 17).
        ('[vague_counts]\n"a slew" = [20, 5]\n', 2, "0 <= low <= high"),
        ('\n[vague_counts]\nslews = [-1, 5]\n', 3, "0 <= low <= high"),
        ('[vague_counts]\nslews = [5.5, 20]\n', 2, "two whole numbers"),
        ('[vague_counts]\nslews = 20\n', 2, "[low, high]"),
        ('[vague_counts]\n"A  Slew" = [5, 20]\n', 2, "lowercase word or phrase"),
        ('[vague_counts]\n\ndozens = [12, 99]\n', 3, "vague count dozens is already stated"),
    ],
)
def test_knowledge_errors_name_the_file_and_line(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(KnowledgeError) as error:
        load_knowledge((path,))
    message = str(error.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message


def test_knowledge_state_only_sub_types_are_a_flag_the_events_stage_reads(tmp_path):
    from sitreps.knowledge.event_lexicon import EventLexicon

    # "Syria air raids", "Syria gas attack": only a state has these means (issue 17).
    assert default_knowledge().sub_types(state_only=True) == {"Air/drone strike",
                                                              "Chemical weapon"}
    path = _write(tmp_path, '[sub_event_types."Napalm"]\nevent_type = '
                  '"Explosions/Remote violence"\nplover = "ASSAULT"\nweapon_rank = 7\n'
                  'state_only = true\n')
    lexicon = EventLexicon.of(load_knowledge((path,)))
    assert lexicon.state_only_sub_types == {"Air/drone strike", "Chemical weapon", "Napalm"}


def test_knowledge_stages_find_state_forces_by_the_kind_flag_not_its_name():
    # A user's kind of inter code 1 ("national guard") is a state's forces too: stages outside
    # the knowledge package ask for ``inter_codes(state=True)``, never the name (issue 17).
    named = []
    for path in sorted(SRC.rglob("*.py")):
        if "knowledge" in path.parts:
            continue
        for node in ast.walk(_parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and (
                node.slice.value == "state forces"
            ):
                named.append(f"{path.relative_to(SRC).as_posix()}:{node.lineno}")
    assert named == []


def test_knowledge_victim_noun_is_civilian_or_combatant(tmp_path):
    path = _write(tmp_path, '[words]\ncivilian_nouns = ["soldier"]\n')
    with pytest.raises(KnowledgeError,
                       match="'soldier' is in both civilian_nouns and combatant_nouns"):
        load_knowledge((path,))
    knowledge = load_knowledge((_write(tmp_path, '[words]\ncivilian_nouns = ["herder"]\n'),))
    assert "herder" in knowledge.words["civilian_nouns"]


@pytest.mark.parametrize(
    ("lists", "word"),
    [(("foiling_verbs", "repelling_verbs"), "rebuff"),
     (("relief_nouns", "troop_nouns"), "engineer"),
     (("held_words", "leading_words"), "guarded"),
     (("people_words", "troop_nouns"), "conscript"),
     (("negating_verbs", "reporting_verbs"), "disavow"),
     (("negating_verbs", "future_verbs"), "scrap"),
     (("hedge_adverbs", "report_adverbs"), "ostensibly"),
     (("locality_nouns", "naming_nouns"), "enclave"),
     (("site_nouns", "naming_nouns"), "depot"),
     (("origin_preps", "destination_preps"), "outta")],
)
def test_knowledge_word_in_two_opposite_lists_is_an_error(tmp_path, lists, word):
    # A foiled attack makes no event while a repelled one makes a battle; what is sent helps or
    # fights; an actor that holds a place is no party to the act, one that leads is; who is
    # evacuated are people or a force; a governed act is denied, reported or ahead, one only.
    first, second = lists
    path = _write(tmp_path, f'[words]\n{first} = ["{word}"]\n{second} = ["{word}"]\n')
    with pytest.raises(KnowledgeError, match=f"'{word}' is in both {first} and {second}"):
        load_knowledge((path,))
    # Against the built-in lists too: "repel" is a repelling verb, "troop" a troop noun.
    built_in = {"repelling_verbs": "repel", "troop_nouns": "troop", "leading_words": "led",
                "reporting_verbs": "say", "future_verbs": "plan", "report_adverbs": "reportedly",
                "naming_nouns": "accord", "destination_preps": "into"}
    path = _write(tmp_path, f'[words]\n{first} = ["{built_in[second]}"]\n')
    with pytest.raises(KnowledgeError, match=f"in both {first} and {second}"):
        load_knowledge((path,))
    assert not default_knowledge().words[first] & default_knowledge().words[second]


def test_knowledge_malformed_toml_names_the_file(tmp_path):
    path = _write(tmp_path, "[senses\n")
    with pytest.raises(KnowledgeError, match="mine.toml"):
        load_knowledge((path,))


# -- no fact of the ontology or lexicons is written in code ------------------------------------

def _string_collections(tree: ast.AST):
    """Every set, list or tuple literal of three or more strings in a module."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            items = [e.value for e in node.elts
                     if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(items) >= 3:
                yield node.lineno, set(items)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "split":
            target = node.func.value  # "kill wound maim".split()
            if isinstance(target, ast.Constant) and isinstance(target.value, str):
                words = set(target.value.split())
                if len(words) >= 3:
                    yield node.lineno, words


def _parse(source: str) -> ast.Module:
    """``ast.parse``, once more if CPython 3.11's shared AST-conversion depth counter was
    disturbed by another thread of the test process (gh-106905: "AST constructor recursion depth
    mismatch", seen once in CI after the server and Dask tests had run)."""
    try:
        return ast.parse(source)
    except SystemError:
        return ast.parse(source)


# The gazetteer's stoplist names common words that are no places ("man", "army", "force"): a
# different fact about the same words as the victim nouns and the actor role tables (the facts
# of _STOPLISTED_FACTS). Any other module copying the lists
# fails (the events, actors and event-to-place linker's lists are all in lexicon.toml, issue 17).
_OWN_PEOPLE_AND_CONTROL_WORDS = frozenset({"geo/resolve.py"})
_STOPLISTED_FACTS = frozenset(
    {"victim nouns", "control words", "actor nouns", "role modifiers", "role aliases",
     "role nouns", "compass bearings", "compound town words"}
)


def test_knowledge_facts_are_not_copied_into_code():
    knowledge = default_knowledge()
    words = knowledge.words
    facts = {
        "sub-event types": set(knowledge.sub_event_types) - {"Attack", "Other"},
        "verbs of killing or injuring": set(knowledge.harm_verbs) - {"shoot", "execute"},
        # "civilians", "protesters", "rioters" also name the actor KB's roles.
        "actor kinds": {k for k in knowledge.actor_kinds if " " in k},
        "event types": set(knowledge.event_types),
        "death nouns": words["death_nouns"],
        "victim nouns": words["civilian_nouns"] | words["combatant_nouns"],
        "control words": words["siege_verbs"] | words["held_words"] | words["leave_verbs"]
        | words["flee_verbs"],
        # "dozens of civilians", "dozens of Syrians": one list for the toll reader and the
        # actors stage.
        "counting nouns": words["counting_nouns"],
        # "the war has killed 400,000": the modality reader's and the toll reader's one list.
        "war nouns": words["war_nouns"],
        # The role tables and the metonyms of governments (issue 17); the roles' own names
        # ("civilians", "rebels") are the tables' keys, which code may name.
        "actor nouns": set(knowledge.actor_nouns),
        "role modifiers": set(knowledge.role_modifiers),
        "role aliases": {a for aliases in knowledge.role_aliases.values() for a in aliases}
        - set(ACTOR_ROLES),
        "role nouns": {n for nouns in knowledge.role_nouns.values() for n in nouns}
        - set(ACTOR_ROLES),
        "metonyms": {m for names in knowledge.metonyms.values() for m in names},
        "country names": {n for names in knowledge.country_names.values() for n in names},
        # The places stage's split-name rule and the gazetteer's keys (issue 17); not the other
        # spellings, which are also English words ("an", "at": a headline's connectives).
        "Arabic articles": words["name_articles"],
        # The places stage's and the toll reader's lists moved from code (issue 17, session 36).
        "compass bearings": words["bearing_words"],
        "distance units": words["distance_units"],
        "US local words": words["us_local_words"],
        "running toll phrases": words["running_toll_phrases"],
        # The events stage's first words of Levantine place names (issue 17); not its last
        # words, which are common place nouns ("city", "town", "village").
        "toponym heads": words["toponym_heads"],
        # The events, modality and incidents stages' and the places ruler's lists moved from
        # code (issue 17, session k9).
        "verbs that end a truce": words["ending_verbs"],
        "verbs of claiming": words["claiming_verbs"],
        "words of a rising count": words["rising_words"],
        "compound town words": words["compound_town_heads"] | words["compound_town_tails"],
    }
    copies = []
    for path in sorted(SRC.rglob("*.py")):
        if "evaluate" in path.parts:
            continue  # gold-set readers map other vocabularies onto ACLED's
        module = path.relative_to(SRC).as_posix()
        tree = _parse(path.read_text("utf-8"))
        for line, listed in _string_collections(tree):
            for name, known in facts.items():
                if name in _STOPLISTED_FACTS and module in _OWN_PEOPLE_AND_CONTROL_WORDS:
                    continue
                if len(listed & known) >= 3:
                    copies.append(f"{module}:{line} lists {name}")
    assert copies == []


# Modules whose word lists moved to lexicon.toml (issue 17), and the module-level constants
# they keep that share words with a [words] list, each for a reason: the resolver's stoplist
# says which common words are no places (a different fact about "north", "city"...). The toll
# reader's quantifier determiners ("some civilians", "no one") moved with its vague counts
# ([vague_counts], count_determiners).
_CLEANED_MODULES = ("extract/places.py", "geo/resolve.py", "geo/gazetteer.py",
                    "extract/casualties.py", "geo/patterns.py")
_KEPT_CONSTANTS = frozenset({"geo/resolve.py:STOPLIST"})


def test_knowledge_cleaned_modules_keep_no_word_list():
    # Stricter than the check above for the modules cleaned: no module-level constant of three
    # or more words shares three with any [words] list of the lexicon.
    lists = default_knowledge().words
    copies = []
    for module in _CLEANED_MODULES:
        tree = _parse((SRC / module).read_text("utf-8"))
        for node in tree.body:
            if not isinstance(node, (ast.Assign, ast.AnnAssign)):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if any(f"{module}:{name}" in _KEPT_CONSTANTS for name in names):
                continue
            for line, listed in _string_collections(node):
                shared = sorted(name for name, words in lists.items() if len(listed & words) >= 3)
                if shared:
                    copies.append(f"{module}:{line} {names} shares words with {shared}")
    assert copies == []


def test_knowledge_gazetteer_keys_drop_the_lexicon_s_articles(monkeypatch):
    # One list of the Arabic article for the places stage ("Daraa al-Balad") and the gazetteer's
    # keys, which also drop its other spellings; an edit to either rebuilds the on-disk index.
    from sitreps.geo import gazetteer

    words = default_knowledge().words
    assert not words["name_articles"] & words["spelled_articles"]
    assert gazetteer._ARTICLES == words["name_articles"] | words["spelled_articles"]
    assert gazetteer.normalise_toponym("Dayr az Zawr") == gazetteer.normalise_toponym("Deir Zor")
    before = gazetteer.gazetteer_key(b"{}")
    monkeypatch.setattr(gazetteer, "_ARTICLES", gazetteer._ARTICLES | {"ol"})
    assert gazetteer.gazetteer_key(b"{}") != before


def test_knowledge_generic_area_words_key_the_gazetteer_and_the_places_ruler(monkeypatch):
    # The gazetteer leaves out GeoNames provinces named only with lexicon.toml's
    # generic_area_words ("Upper East"), so an edit rebuilds its index and the places ruler built
    # from it (issue 17, session 36: the list left gazetteer.py, whose bytes keyed both).
    import spacy

    from sitreps.geo import gazetteer
    from sitreps.nlp import ruler_key

    blank = spacy.blank("en")
    assert gazetteer._GENERIC_AREA_WORDS == default_knowledge().words["generic_area_words"]
    before = gazetteer.gazetteer_key(b"{}"), ruler_key(blank, "places")
    monkeypatch.setattr(gazetteer, "_GENERIC_AREA_WORDS", gazetteer._GENERIC_AREA_WORDS | {"delta"})
    after = gazetteer.gazetteer_key(b"{}"), ruler_key(blank, "places")
    assert before[0] != after[0] and before[1] != after[1]


def test_knowledge_admin1_suffixes_key_the_places_ruler(monkeypatch):
    # The places ruler matches a first-level area's name with lexicon.toml's admin1_suffixes
    # ("Kharkiv oblast"), one list with the places stage's admin words (issue 17: the words left
    # geo/patterns.py, whose bytes keyed the ruler), so an edit rebuilds the cached ruler.
    import spacy

    from sitreps.geo import patterns
    from sitreps.knowledge.event_lexicon import current_lexicon
    from sitreps.nlp import ruler_key

    suffixes = default_knowledge().words["admin1_suffixes"]
    assert set(patterns._ADMIN1_SUFFIXES) == suffixes <= current_lexicon().admin_words
    blank = spacy.blank("en")
    before = ruler_key(blank, "places")
    monkeypatch.setattr(patterns, "_ADMIN1_SUFFIXES", (*patterns._ADMIN1_SUFFIXES, "krai"))
    assert ruler_key(blank, "places") != before


def test_knowledge_province_words_key_the_places_ruler(monkeypatch):
    # The ruler's "Idlib province", "Aleppo governorate" are lexicon.toml's singular
    # province_words (issue 17: the literal left geo/patterns.py), and key the cached ruler.
    import spacy

    from sitreps.geo import patterns
    from sitreps.nlp import ruler_key

    assert patterns._PROVINCE_NOUNS == ("governorate", "province")
    assert set(patterns._PROVINCE_NOUNS) <= default_knowledge().words["province_words"]
    blank = spacy.blank("en")
    before = ruler_key(blank, "places")
    monkeypatch.setattr(patterns, "_PROVINCE_NOUNS", (*patterns._PROVINCE_NOUNS, "wilaya"))
    assert ruler_key(blank, "places") != before


def test_knowledge_compound_town_words_key_the_places_ruler(monkeypatch):
    # A small town's name made with a common first or last word ("New London", "Yellow
    # Springs") is matched whole; the words are lexicon.toml's (issue 17) and key the ruler.
    import spacy

    from sitreps.geo import patterns
    from sitreps.nlp import ruler_key

    assert patterns._is_compound_town("New London") and patterns._is_compound_town("Yellow Springs")
    assert not patterns._is_compound_town("new London")
    blank = spacy.blank("en")
    before = ruler_key(blank, "places")
    monkeypatch.setattr(patterns, "COMPOUND_LAST_WORDS", patterns.COMPOUND_LAST_WORDS | {"bluff"})
    assert ruler_key(blank, "places") != before


def _packaged_lexicon_with(text: str):
    """The packaged ontology and lexicon, then ``text`` as a file of the package."""
    import tomllib
    from importlib import resources

    from sitreps.knowledge.package import _Builder, _Source

    builder = _Builder()
    root = resources.files("sitreps.knowledge")
    texts = [root.joinpath(name).read_text("utf-8") for name in ("ontology.toml", "lexicon.toml")]
    for number, body in enumerate((*texts, text)):
        builder.add(tomllib.loads(body), _Source(f"file{number}", body.splitlines()))
    return builder


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Protesters carry no arms: no word of their name makes an organisation look armed.
        ('\n[name_kinds.protesters]\narmed = ["picket"]\n', "no armed kind"),
        ('\n[name_kinds."private army"]\nwords = ["pmc"]\n', "unknown actor kind"),
        # A word of two kinds: guess_kind would read it as the first only.
        ('\n[name_kinds."external/other force"]\nwords = ["police"]\n', "already stated"),
        ('\n[org_words]\narmed = ["kata(ib"]\n', "no regular expression"),
        ('\n[org_words]\nneutral = ["ngo"]\n', "unknown key"),
    ],
)
def test_knowledge_name_patterns_are_checked_at_load(text, words):
    with pytest.raises(KnowledgeError, match=words):
        _packaged_lexicon_with(text)


def test_knowledge_name_patterns_are_not_copied_into_code():
    # The words that type an unknown actor's name (guess_kind) and make an unknown organisation
    # look armed or non-combatant are lexicon.toml's, each written once (issue 17): no regular
    # expression in code lists three of them.
    knowledge = default_knowledge()
    known = {p.replace("\\b", "") for p in (*knowledge.armed_names, *knowledge.non_combatant_names,
                                         *(p for ps in knowledge.kind_names.values() for p in ps))}
    assert "brigades?" in known and "kata.?ib" in known
    copies = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(_parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                "|" in node.value
            ):
                parts = {p.replace("\\b", "").strip("()") for p in node.value.split("|")}
                if len(parts & known) >= 3:
                    copies.append(f"{path.relative_to(SRC).as_posix()}:{node.lineno}")
    assert copies == []


def test_knowledge_one_demonym_names_one_country():
    import tomllib

    from sitreps.knowledge.package import _Builder, _Source

    text = '[demonyms]\nCD = ["Congolese"]\nCG = ["Congolese"]\n'
    with pytest.raises(KnowledgeError, match="demonyms.toml:3: demonym congolese is already"):
        _Builder().add(tomllib.loads(text), _Source("demonyms.toml", text.splitlines()))
    knowledge = default_knowledge()
    assert knowledge.demonyms["Congolese"] == "CD"
    assert "Congolese" not in knowledge.country_demonyms["CG"]


def test_knowledge_actors_and_gazetteer_read_the_same_demonyms():
    from sitreps.geo.gazetteer import get_gazetteer
    from sitreps.knowledge.actors import get_actor_kb

    kb, gazetteer = get_actor_kb(), get_gazetteer()
    for demonym, iso in default_knowledge().demonyms.items():
        assert gazetteer.country_for_demonym(demonym) == iso, demonym
        if demonym in default_knowledge().country_demonyms.get(iso, ()):
            assert kb.country_of_demonym(demonym) == iso, demonym


def test_knowledge_user_demonyms_follow_the_packaged_ones(tmp_path):
    """A user's demonym adds to its country's: the packaged adjective still comes first (it
    names the state forces), and the demonym maps to the country like a packaged one."""
    path = _write(
        tmp_path, '[demonyms]\nMM = ["Myanmarese"]\n\n[place_demonyms]\nGB = ["Cornish"]\n'
    )
    knowledge = load_knowledge((path,))
    assert knowledge.country_demonyms["MM"][-1] == "Myanmarese"
    assert knowledge.country_demonyms["MM"][0] == default_knowledge().country_demonyms["MM"][0]
    assert knowledge.demonyms["Myanmarese"] == "MM"
    assert knowledge.place_demonyms["GB"][-1] == "Cornish"
    assert "Myanmarese" not in default_knowledge().demonyms


def test_knowledge_user_demonyms_reach_the_gazetteer_and_the_actor_kb(tmp_path):
    """The run's package, not the built-in one, gives the gazetteer and the actor KB their
    demonyms; the on-disk index serves both."""
    from sitreps.geo.gazetteer import gazetteer_for, get_gazetteer
    from sitreps.knowledge.actors import actor_kb_for

    knowledge = load_knowledge((_write(tmp_path, '[demonyms]\nMM = ["Myanmarese"]\n'),))
    gazetteer = gazetteer_for(knowledge)
    assert gazetteer.country_for_demonym("Myanmarese") == "MM"
    assert gazetteer.is_place_adjective("Myanmarese")
    assert get_gazetteer().country_for_demonym("Myanmarese") is None
    assert gazetteer_for(default_knowledge()) is get_gazetteer()
    kb = actor_kb_for(knowledge)
    assert kb.country_of_demonym("Myanmarese") == "MM"
    assert kb.lookup("Myanmarese troops") == kb.for_country("MM")
    assert actor_kb_for(None).lookup("Myanmarese troops") is None


def test_knowledge_user_demonym_of_another_country_is_refused(tmp_path):
    path = _write(tmp_path, '[demonyms]\n\nMM = ["Burmese"]\n')
    with pytest.raises(KnowledgeError, match=r"mine.toml:3: demonym burmese is already stated"):
        load_knowledge((path,))


def test_knowledge_user_actor_kind_takes_its_inter_code_abilities(tmp_path):
    """A user's kind is a finer name for an ACLED inter code: it can do what the code's packaged
    kind can, so the sets the stages ask for by inter code do not change."""
    path = _write(tmp_path, '[actor_kinds."private military company"]\ninter = 8\n')
    knowledge = load_knowledge((path,))
    kind = knowledge.actor_kinds["private military company"]
    assert (kind.inter, kind.armed, kind.non_state) == (8, True, False)
    assert "private military company" in knowledge.kinds(armed=True)
    assert knowledge.inter_codes(armed=True) == default_knowledge().inter_codes(armed=True)


def test_knowledge_role_kinds_are_the_ontology_s(tmp_path):
    # The kind of each role's actors is a key of ontology.toml's actor kinds (issue 17: it left
    # knowledge/actors.py); a user's finer kind names no role, so a role keeps one kind.
    from sitreps.knowledge.actors import get_actor_kb

    assert dict(default_knowledge().role_kinds) == {
        "state": "state forces", "rebels": "rebel group", "militia": "political militia",
        "rioters": "rioters", "protesters": "protesters", "civilians": "civilians",
    }
    assert set(default_knowledge().role_kinds) == set(ACTOR_ROLES)
    path = _write(tmp_path, '[actor_kinds."national guard"]\ninter = 1\n')
    knowledge = load_knowledge((path,))
    assert knowledge.actor_kinds["national guard"].role is None
    assert knowledge.role_kinds == default_knowledge().role_kinds
    kb = get_actor_kb()
    assert kb.for_country("ML").kind == "state forces"
    assert kb.get("rebels").kind == "rebel group"


def _packaged_ontology_with(old: str, new: str):
    """The packaged ontology with ``old`` replaced by ``new``, loaded and built."""
    from importlib import resources

    from sitreps.knowledge.package import _Builder, _read

    text = resources.files("sitreps.knowledge").joinpath("ontology.toml").read_text("utf-8")
    assert old in text
    builder = _Builder()
    builder.add(*_read(text.replace(old, new), "ontology.toml"))
    return builder.build(())


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [('role = "militia"', 'role = "rebels"', "role of actor kind rebels is already stated"),
     ('role = "militia"', 'role = "warlords"', "unknown role 'warlords'"),
     ('role = "militia"\n', "", "No actor kind has role 'militia'")],
)
def test_knowledge_role_kind_errors(old, new, words):
    with pytest.raises(KnowledgeError, match=words):
        _packaged_ontology_with(old, new)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [('[actor_kinds."national guard"]\ninter = 1\nrole = "state"\n', 3, "drop role")],
)
def test_knowledge_user_actor_kind_names_no_role(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(KnowledgeError, match=rf"mine.toml:{line}: .*{words}"):
        load_knowledge((path,))


# A user's words for the role tables, a government's seat and a country's old name: "Malian
# gendarmes", "the gendarmerie" (Mali's forces in a story about Mali), "Aso Rock" (Nigeria's),
# "Zaire" (the DR Congo).
ROLE_WORDS = """\
[role_nouns]
state = ["gendarmes"]

[role_aliases]
state = ["gendarmerie"]

[metonyms]
NG = ["Aso Rock"]

[country_names]
CD = ["Zaire"]
"""


def test_knowledge_user_role_words_and_metonyms_reach_the_actor_kb(tmp_path):
    from sitreps.knowledge.actors import get_actor_kb

    path = _write(tmp_path, ROLE_WORDS)
    knowledge = load_knowledge((path,))
    # A user's role noun follows the packaged ones: the KB builds aliases in that order.
    assert knowledge.role_nouns["state"][-1] == "gendarmes"
    assert knowledge.role_nouns["state"][:-1] == default_knowledge().role_nouns["state"]
    user, built_in = get_actor_kb((path,)), get_actor_kb()
    mali, nigeria = user.for_country("ML").id, user.for_country("NG").id
    assert user.lookup("Malian gendarmes").id == mali
    assert user.lookup("the gendarmerie", "ML").id == mali
    assert user.lookup("Aso Rock").id == nigeria
    assert user.country_of_name("Zaire") == "CD" and user.lookup("Zaire") == user.for_country("CD")
    assert built_in.country_of_name("Zaire") is None
    # A role noun's alias is a ruler pattern; a metonym is not ("in Abuja" stays a place).
    assert {"label": "ACTOR", "pattern": [{"LOWER": "malian"}, {"LOWER": "gendarmes"}],
            "id": mali} in user.patterns()
    assert [built_in.lookup(t, "ML") for t in ("Malian gendarmes", "the gendarmerie",
                                                "Aso Rock")] == [None, None, None]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [('[actor_nouns]\nstate = ["gendarme"]\nrebels = ["gendarme"]\n', 3,
      "actor_nouns gendarme is already stated in"),
     ('[role_modifiers]\n\nstate = ["rebel"]\n', 3, "role_modifiers rebel is already stated in"),
     ('[role_aliases]\nwarlords = ["warlords"]\n', 2, "unknown role 'warlords'"),
     ('[role_nouns]\nrebels = ["guerrillas"]\n', 2, "unknown role 'rebels'"),
     ('[actor_nouns]\nstate = "gendarme"\n', 2, "must be a list of words"),
     ('[metonyms]\nXX = ["Nowhere"]\n', 2, "no country the packaged demonyms.toml lists"),
     ('\n[metonyms]\nIR = ["Moscow"]\n', 3, "metonym moscow is already stated in"),
     ('[country_names]\nCG = ["DRC"]\n', 2, "country name drc is already stated in")],
)
def test_knowledge_role_table_and_metonym_errors_name_the_line(tmp_path, text, line, words):
    # One word, one role in each table ("rebel" already gives rebels); roles are the KB's;
    # one seat, one government.
    path = _write(tmp_path, text)
    with pytest.raises(KnowledgeError, match=rf"mine.toml:{line}: .*{words}"):
        load_knowledge((path,))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [('[actor_kinds."contractors"]\ninter = 8\narmed = true\n', 3, "drop armed"),
     ('\n[actor_kinds."contractors"]\ninter = 9\n', 2, "inter codes are 1 to 8"),
     ('[actor_kinds."civilians"]\ninter = 7\n', 1, "already stated")],
)
def test_knowledge_user_actor_kind_errors_name_the_line(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(KnowledgeError, match=rf"mine.toml:{line}: .*{words}"):
        load_knowledge((path,))


@pytest.mark.parametrize(
    ("text", "word"),
    [("Government forces took control of Palmyra on Sunday.", "took"),
     ("Aleppo fell to government forces in December.", "fell")],
)
def test_knowledge_structures_give_senses_from_sentence_structure(nlp, text, word):
    from sitreps.extract.structures import structure_sense

    doc = nlp(text)
    [token] = [t for t in doc if t.text == word]
    sense = structure_sense(token, default_knowledge().structures)
    assert sense is not None and sense.kind == "territory"
    # The same verb without the structure ("took a photo", "fell in the river") signals nothing.
    other = nlp(text.replace("control of", "photos in").replace("fell to", "fell near"))
    [token] = [t for t in other if t.text == word]
    assert structure_sense(token, default_knowledge().structures) is None


def test_knowledge_structure_errors_name_the_line(tmp_path):
    path = _write(tmp_path, '[[structures]]\nname = "x"\nsense = "nope"\n'
                            'pattern = [{ RIGHT_ID = "trigger", RIGHT_ATTRS = { LEMMA = "a" } }]\n')
    with pytest.raises(KnowledgeError, match=r"mine.toml:2: structure 'x' has unknown sense"):
        load_knowledge((path,))
