"""The stages after extraction read the run's knowledge package, not the built-in one.

A user's knowledge file named in ``--config`` changes what the casualties reader counts (a new
verb of killing gives a toll), which verbs of injuring report one toll with a killing and share
its place (``pairs``), which types merge across articles (``merges = false``), which
are territorial and what they imply for control, the words statements of control are read
with, how an article's mentions group into incidents, and the ACLED export's vocabulary; and
the reading side (the factual views' filter, the in-memory merge of the query library, the
timeline's territorial weight) reads the package of ``--config`` too. Each test sets a user file
against the built-in package on the same input, so none passes whichever package is used.
Articles here were written for these tests.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.config import load_config
from sitreps.extract.control import claims_from_event
from sitreps.extract.incidents import group_incidents, incident_kinds, kinds_match
from sitreps.ingest import make_article
from sitreps.knowledge.package import default_knowledge, load_knowledge
from sitreps.merge import compatible, event_row, merge_events, merge_is_current, merge_rules
from sitreps.pipeline import analyse_articles
from sitreps.query import EventFilter, Reader
from sitreps.records import Analysis, Article, Event, Mention, Place, Source
from sitreps.registry import get_stage
from sitreps.store.duckdb import Store
from sitreps.timeline import importance

# A verb of killing the built-in lexicon lacks, and a kind of event ACLED does not code.
KNOWLEDGE = """\
[triggers.verb]
kill = ["butcher"]
hack = ["hack"]

[harm_verbs]
butcher = { harm = "death", toll = true }

[event_types."Cyber operations"]
disorder = "Strategic developments"
acled = false

[sub_event_types."Hacking"]
event_type = "Cyber operations"
plover = "COERCE"
MERGES

[senses]
hack = { kind = "strategic", sub_event_type = "Hacking" }
"""

ARTICLES = {
    "first.txt": """\
date 2021-03-02 Massacre in an Idlib village
Gunmen butchered 12 villagers in the Idlib village of Kafr Nabl on Monday, residents said.
Pro-government hackers hacked the websites of three opposition newspapers in Idlib on Tuesday.
Local officials said the army was deployed to the area after the attack.
""",
    "second.txt": """\
date 2021-03-02 Opposition websites taken down
Pro-government hackers hacked the websites of three opposition newspapers in Idlib on Tuesday.
The newspapers said their editors would keep publishing on social media.
""",
}


def _run(folder: Path, knowledge: str | None) -> tuple[Path, Path | None]:
    """`sitreps run` over the articles into a DuckDB file, with the knowledge file if given."""
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    config = None
    args = ["run", str(folder / "first.txt"), str(folder / "second.txt"), "--db",
            str(folder / "x.duckdb")]
    if knowledge is not None:
        (folder / "mine.toml").write_text(knowledge, encoding="utf-8")
        config = folder / "sitreps.toml"
        config.write_text('[knowledge]\nfiles = ["mine.toml"]\n', encoding="utf-8")
        args += ["--config", str(config)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder / "x.duckdb", config


def _export(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["export", "--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _events(db: Path) -> list[dict]:
    return json.loads(_export(db, "--format", "json", "--all"))["events"]


@pytest.fixture(scope="module")
def standalone(tmp_path_factory) -> tuple[Path, Path | None]:
    """A run whose user file adds the verb, the event type, and hacking that never merges."""
    text = KNOWLEDGE.replace("MERGES", "merges = false")
    return _run(tmp_path_factory.mktemp("standalone"), text)


@pytest.fixture(scope="module")
def mergeable(tmp_path_factory) -> tuple[Path, Path | None]:
    """The same, with hacking merging as every type does by default and no verb of killing."""
    text = KNOWLEDGE.replace("MERGES", "").replace(
        '[harm_verbs]\nbutcher = { harm = "death", toll = true }\n', ""
    )
    return _run(tmp_path_factory.mktemp("mergeable"), text)


@pytest.fixture(scope="module")
def builtin(tmp_path_factory) -> tuple[Path, Path | None]:
    return _run(tmp_path_factory.mktemp("builtin"), None)


def _by_trigger(events: list[dict], trigger: str) -> list[dict]:
    return [e for e in events if e["trigger"] == trigger]


def test_knowledge_user_kill_verb_gives_a_toll(standalone, mergeable):
    [massacre] = _by_trigger(_events(standalone[0]), "butchered")
    assert massacre["fatalities"] == 12
    assert massacre["fatalities_as_stated"] == "12"
    # The same trigger without the verb in [harm_verbs]: an event, but no toll read.
    [unread] = _by_trigger(_events(mergeable[0]), "butchered")
    assert unread["fatalities"] is None


def test_knowledge_user_type_that_stands_alone_is_not_merged(standalone, mergeable):
    alone = [e for e in _events(standalone[0]) if e["sub_event_type"] == "Hacking"]
    assert [e["source_count"] for e in alone] == [1, 1]
    [merged] = [e for e in _events(mergeable[0]) if e["sub_event_type"] == "Hacking"]
    assert merged["source_count"] == 2
    assert len({s["article_id"] for s in merged["sources"]}) == 2


def test_knowledge_user_event_type_leaves_the_acled_export_with_config(standalone):
    db, config = standalone
    with_config = list(csv.DictReader(io.StringIO(
        _export(db, "--format", "acled-csv", "--config", str(config))
    )))
    without = list(csv.DictReader(io.StringIO(_export(db, "--format", "acled-csv"))))
    assert "Cyber operations" not in {row["event_type"] for row in with_config}
    # The built-in vocabulary does not know the type is not ACLED's, nor its disorder type.
    assert {row["disorder_type"] for row in without if row["event_type"] == "Cyber operations"} \
        == {""}
    assert {row["event_id_cnty"] for row in with_config} < {row["event_id_cnty"] for row in without}
    massacre = next(row for row in with_config if row["sub_event_type"] == "Attack")
    assert massacre["disorder_type"] == "Political violence"
    assert massacre["fatalities"] == "12"


def test_knowledge_built_in_run_reads_neither(builtin):
    events = _events(builtin[0])
    assert not _by_trigger(events, "butchered")
    assert not [e for e in events if e["event_type"] == "Cyber operations"]


# -- territory: a user's sub-type that is a form of a clash and takes a place -----------------

TERRITORY = """\
[sub_event_types."Siege broken"]
event_type = "Battles"
plover = "FIGHT"
form_of = "Armed clash"
territorial = true
control = "taken"
"""


@pytest.fixture(scope="module")
def territory(tmp_path_factory):
    path = tmp_path_factory.mktemp("territory") / "siege.toml"
    path.write_text(TERRITORY, encoding="utf-8")
    return load_knowledge((str(path),))


def _event(event_id: str, sub_event_type: str, article: str = "a1", **fields) -> Event:
    types = {"Siege broken": "Battles", "Armed clash": "Battles",
             "Air/drone strike": "Explosions/Remote violence"}
    return Event(
        id=event_id, event_type=types[sub_event_type], sub_event_type=sub_event_type,
        plover_type="FIGHT", trigger="broke", event_date=date(2016, 8, 6), time_precision=1,
        actor1="syrian-rebels", actor2="syrian-army", place_id="gn:aleppo", geo_precision=1,
        confidence=0.6, sources=(Source(article, "They broke the siege.", 0, 21),),
        **fields,
    )


def test_knowledge_user_territorial_type_implies_control(territory):
    siege = _event("e1", "Siege broken")
    assert claims_from_event(siege, default_knowledge()) == ()
    changes = {(c.controller, c.change) for c in claims_from_event(siege, territory)}
    assert changes == {("syrian-rebels", "gained"), ("syrian-army", "lost")}
    # The control stage built by its factory with the run's package says the same.
    article = Article(id="a1", text="They broke the siege.", published=date(2016, 8, 7))
    stage = get_stage("sitreps.control.v1")
    built = stage.build({}, territory)(Analysis(article=article, events=(siege,)))
    assert {c.change for c in built.control_claims} == {"gained", "lost"}
    assert stage.build({}, default_knowledge())(
        Analysis(article=article, events=(siege,))
    ).control_claims == ()


def test_knowledge_user_territorial_type_groups_only_with_its_clash(territory):
    siege, strike = _event("e1", "Siege broken"), _event("e2", "Air/drone strike")
    clash = _event("e3", "Armed clash")
    builtin = incident_kinds(default_knowledge())
    assert kinds_match(siege, strike, builtin)  # both violence, the type unknown
    assert not kinds_match(siege, strike, incident_kinds(territory))
    assert kinds_match(siege, clash, incident_kinds(territory))
    # Through the stage: the user's package keeps the strike apart from the siege.
    article = Article(id="a1", text="They broke the siege.", published=date(2016, 8, 7))
    analysis = Analysis(
        article=article, events=(siege, strike),
        places=(Place(id="gn:aleppo", name="Aleppo", country="SY", geo_precision=1),),
    )
    assert len(group_incidents(analysis, {"knowledge": None}).events) == 1
    assert len(group_incidents(analysis, {"knowledge": territory}).events) == 2


def test_knowledge_user_form_of_merges_with_its_clash_across_articles(territory):
    siege, clash = _event("e1", "Siege broken", "a1"), _event("e2", "Armed clash", "a2")
    assert not compatible(event_row(siege), event_row(clash))
    assert compatible(event_row(siege), event_row(clash), merge_rules(territory))
    assert len(merge_events([siege, clash])) == 2
    [merged] = merge_events([siege, clash], knowledge=territory)
    assert merged.sub_event_type == "Siege broken"  # the specific form, not the clash
    assert merged.source_count == 2


# -- control words: a user's file adds verbs of besieging and fleeing --------------------------

CONTROL_WORDS = '[words]\nsiege_verbs = ["blockade"]\nflee_verbs = ["desert"]\n'
STATEMENTS = (
    "Hezbollah fighters blockaded the town of Zabadani in July, residents said. "
    "Islamic State fighters deserted Manbij on Friday, residents said."
)


def test_knowledge_user_control_words_give_claims(nlp, config, tmp_path):
    path = tmp_path / "control.toml"
    path.write_text(CONTROL_WORDS, encoding="utf-8")

    def claims(files: tuple[str, ...]) -> set[tuple[str, str, str]]:
        article = make_article(STATEMENTS, title="test", published=date(2016, 1, 5))
        run_config = dataclasses.replace(config, knowledge_files=files)
        [analysis] = list(analyse_articles([article], nlp, run_config))
        return {(c.controller, c.change, c.stage.partition(":")[2])
                for c in analysis.control_claims}

    assert claims(()) == set()
    assert claims((str(path),)) == {
        ("hezbollah", "contested", "besieged"), ("islamic-state", "lost", "fled"),
    }


# -- pairs: a user's verb of injuring that pairs shares the killing's place ---------------------

PAIRS = '[harm_verbs]\nmutilate = { harm = "injury"PAIRS }\n'
PAIRED = "date 2021-03-09 Herat\nHERAT, Afghanistan - Two soldiers were killed and four were " \
    "mutilated in Kandahar on Tuesday.\n"


def _killing_place(folder: Path, knowledge: str) -> str | None:
    """Where `sitreps run --config` (with ``knowledge``) places the killing of PAIRED."""
    folder.mkdir()
    (folder / "paired.txt").write_text(PAIRED, encoding="utf-8")
    (folder / "mine.toml").write_text(knowledge, encoding="utf-8")
    # The flag is read by the rules linker; the learned pick of the default (combined) linker
    # may place the killing in Kandahar either way.
    (folder / "sitreps.toml").write_text(
        '[knowledge]\nfiles = ["mine.toml"]\n'
        '[stages."sitreps.events.v1"]\nlocation_linker = "rules"\n', encoding="utf-8",
    )
    db = str(folder / "x.duckdb")
    result = CliRunner().invoke(cli, ["run", str(folder / "paired.txt"), "--db", db, "--config",
                                      str(folder / "sitreps.toml")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [killing] = _by_trigger(_events(Path(db)), "killed")
    return killing["location"]


def test_knowledge_user_pairs_flag_shares_the_place_of_the_toll(tmp_path):
    # "killed and four were mutilated in Kandahar": with pairs, the two verbs report one toll
    # and the killing takes the place of "mutilated" (read by the event-to-place linker); the
    # same verb without the flag is a second predicate with a place of its own.
    assert _killing_place(tmp_path / "paired", PAIRS.replace("PAIRS", ", pairs = true")) \
        == "Kandahār"
    assert _killing_place(tmp_path / "unpaired", PAIRS.replace("PAIRS", "")) is None


# -- reading: the factual views, the in-memory merge and the timeline take --config's package --

def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_knowledge_user_non_acled_type_leaves_the_factual_views_with_config(standalone):
    db, config = standalone

    def listed(*args: str) -> set[tuple[str, str]]:
        lines = _cli("events", "--db", str(db), "--json", *args).splitlines()
        return {(e["id"], e["event_type"]) for e in map(json.loads, lines)}

    without, with_config = listed(), listed("--config", str(config))
    # The built-in ontology does not know that ACLED codes no hacking.
    assert "Cyber operations" in {kind for _, kind in without}
    assert with_config == {(i, kind) for i, kind in without if kind != "Cyber operations"}
    assert "Hacking" in _cli("timeline", "--db", str(db))
    assert "Hacking" not in _cli("timeline", "--db", str(db), "--config", str(config))
    assert "Hacking" not in _cli("report", "--db", str(db), "--config", str(config))


def test_knowledge_in_memory_merge_reads_the_readers_package(standalone, tmp_path):
    db, config = standalone
    unmerged = tmp_path / "unmerged.duckdb"
    shutil.copy(db, unmerged)
    with Store(unmerged) as store:
        store.con.execute("DELETE FROM merged_event_members")  # as if the merge job never ran
    knowledge = load_knowledge(load_config(config).knowledge_files)
    with Store(unmerged, read_only=True) as store:
        assert not merge_is_current(store)

        def hacking(reader: Reader) -> list[int]:
            items = reader.events(EventFilter()).items
            return [e.source_count for e in items if e.sub_event_type == "Hacking"]

        assert hacking(Reader(store, knowledge=knowledge)) == [1, 1]  # merges = false
        assert hacking(Reader(store)) == [2]


def test_knowledge_user_territorial_type_weighs_in_the_timeline(territory):
    row = {"fatalities_best": 0, "source_count": 1, "sub_event_type": "Siege broken"}
    assert importance(row) == 0.0
    assert importance(row, territory) == 3.0


# -- the actors stage and the event-to-place linker read their word lists from the package ------

LINKER_AND_ACTOR_WORDS = '[words]\nspeech_verbs = ["assert"]\nacting_nouns = ["patronage"]\n'


def test_knowledge_user_speech_verb_makes_a_speaker_no_scene(nlp, tmp_path):
    # "Idlib asserts": with the user's verb of speech the town speaks (names no scene); the
    # built-in lists read it as a place like any other.
    from sitreps.extract.events import reading_with
    from sitreps.extract.locate import names_no_scene

    path = tmp_path / "words.toml"
    path.write_text(LINKER_AND_ACTOR_WORDS, encoding="utf-8")
    mention = Mention("a", 0, 0, 5, "Idlib", "PLACE", None, "test")
    text = "Idlib asserts that the fighting has ended."
    with reading_with(load_knowledge((str(path),))):
        assert names_no_scene(nlp(text), mention)
    with reading_with(None):
        assert not names_no_scene(nlp(text), mention)


def test_knowledge_user_seat_building_attacked_is_in_the_scene(nlp, tmp_path):
    # "destroyed the chancery in Nairobi": with the user's seat building the chancery, attacked,
    # stands in the scene; as a government noun only, the city is a government's seat.
    from sitreps.extract.events import reading_with
    from sitreps.extract.locate import names_no_scene

    seat = tmp_path / "seat.toml"
    seat.write_text('[words]\ngovernment_nouns = ["chancery"]\n', encoding="utf-8")
    building = tmp_path / "building.toml"
    building.write_text('[words]\ngovernment_nouns = ["chancery"]\n'
                        'seat_buildings = ["chancery"]\n', encoding="utf-8")
    text = "A car bomb destroyed the chancery in Nairobi on Friday."
    start = text.index("Nairobi")
    mention = Mention("a", 0, start, start + len("Nairobi"), "Nairobi", "PLACE", None, "test")
    with reading_with(load_knowledge((str(building),))):
        assert not names_no_scene(nlp(text), mention)
    with reading_with(load_knowledge((str(seat),))):
        assert names_no_scene(nlp(text), mention)


# A finer name for ACLED's inter code 1 and a unit of Russia's forces of that kind.
NATIONAL_GUARD = """\
[actor_kinds."national guard"]
inter = 1

[[actors]]
id = "rosgvardia"
name = "Russian National Guard"
aliases = ["Russian National Guard", "Rosgvardia"]
kind = "national guard"
country = "RU"
part_of = "russian-military-forces"
backers = []
"""


def test_knowledge_user_kind_of_state_forces_stands_for_its_state(nlp, config, tmp_path):
    # A user's kind of inter code 1 is a state's forces as the packaged "state forces" are, by
    # its code and not its name: the guard's support is Russia's and, with no object named,
    # goes to the government of the story's country.
    path = tmp_path / "guard.toml"
    path.write_text(NATIONAL_GUARD, encoding="utf-8")
    article = make_article("Government troops advanced on Homs and Hama in Syria, while "
                           "the Russian National Guard has given crucial support.", title="test",
                           published=date(2020, 1, 1))
    run_config = dataclasses.replace(config, knowledge_files=(str(path),))
    [analysis] = list(analyse_articles([article], nlp, run_config))
    assert "rosgvardia" in {m.entity_id for m in analysis.mentions if m.label == "ACTOR"}
    relations = {(r.subject, r.predicate, r.object) for r in analysis.relations}
    assert ("russian-military-forces", "backs", "syrian-government-forces") in relations


def test_knowledge_user_acting_noun_makes_a_country_an_actor(nlp, config, tmp_path):
    # "Iran's patronage": with the user's noun the country acts (its state forces); with the
    # built-in lists it is a place.
    path = tmp_path / "words.toml"
    path.write_text(LINKER_AND_ACTOR_WORDS, encoding="utf-8")

    def actors(files: tuple[str, ...]) -> set[str | None]:
        article = make_article("Iran's patronage keeps the militia in Deir ez-Zor supplied.",
                               title="test", published=date(2020, 1, 1))
        run_config = dataclasses.replace(config, knowledge_files=files)
        [analysis] = list(analyse_articles([article], nlp, run_config))
        return {m.entity_id for m in analysis.mentions if m.label == "ACTOR"}

    assert "iranian-military-forces" in actors((str(path),))
    assert "iranian-military-forces" not in actors(())


def test_knowledge_user_role_words_name_a_country_s_forces(nlp, tmp_path):
    # A user's actor noun ("gendarmes") and role modifier ("junta fighters") of the state role
    # name the forces of the story's country; the built-in tables know neither word.
    from sitreps.extract.actors import extract_actors

    path = tmp_path / "roles.toml"
    path.write_text('[actor_nouns]\nstate = ["gendarme"]\n\n[role_modifiers]\n'
                    'state = ["junta"]\n', encoding="utf-8")
    text = "The gendarmes opened fire on a crowd on Monday. Junta fighters shelled a village."

    def named(config: dict) -> dict[str, str | None]:
        analysis = extract_actors(Analysis(Article(id="a", text=text), doc=nlp(text)),
                                  {"focus_country": "ML", **config})
        return {m.text: m.entity_id for m in analysis.mentions if m.label == "ACTOR"}

    forces = load_knowledge((str(path),))
    mali = "malian-armed-forces"
    assert named({"knowledge": forces}) == {"gendarmes": mali, "Junta fighters": mali}
    assert named({}) == {}


def test_knowledge_user_support_verb_gives_a_relation(nlp, config, tmp_path):
    # "Iran underwrites Hezbollah": with the user's verb of support Iran backs the group.
    path = tmp_path / "relations.toml"
    path.write_text('[words]\nsupport_verbs = ["underwrite"]\n', encoding="utf-8")

    def relations(files: tuple[str, ...]) -> set[tuple[str, str, str]]:
        article = make_article("Iran underwrites Hezbollah, a diplomat said on Monday.",
                               title="test", published=date(2020, 1, 1))
        run_config = dataclasses.replace(config, knowledge_files=files)
        [analysis] = list(analyse_articles([article], nlp, run_config))
        return {(r.subject, r.predicate, r.object) for r in analysis.relations}

    backs = ("iranian-military-forces", "backs", "hezbollah")
    assert backs in relations((str(path),))
    assert backs not in relations(())


def test_knowledge_user_part_noun_gives_a_part_of_relation(nlp, config, tmp_path):
    # "the Nusra Front, an outgrowth of al-Qaeda": with the user's part noun the front belongs to
    # al-Qaeda; the built-in part nouns ("faction", "branch"...) lack the word.
    path = tmp_path / "relations.toml"
    path.write_text('[words]\npart_nouns = ["outgrowth"]\n', encoding="utf-8")

    def relations(files: tuple[str, ...]) -> set[tuple[str, str, str]]:
        article = make_article("The Nusra Front, an outgrowth of al-Qaeda, took Idlib on Monday.",
                               title="test", published=date(2020, 1, 1))
        run_config = dataclasses.replace(config, knowledge_files=files)
        [analysis] = list(analyse_articles([article], nlp, run_config))
        return {(r.subject, r.predicate, r.object) for r in analysis.relations}

    part = ("nusra-front", "part_of", "al-qaeda")
    assert part in relations((str(path),))
    assert part not in relations(())


def test_knowledge_user_settlement_noun_makes_a_name_a_place(nlp, tmp_path):
    # "the kebele of Tell Qawaqir": with the user's settlement noun the places stage reads the
    # name (tagged a person) as a place; with the built-in lists it is no place mention.
    from sitreps.extract.places import extract_places

    path = tmp_path / "places.toml"
    path.write_text('[words]\nsettlement_nouns = ["kebele"]\n', encoding="utf-8")
    text = "Gunmen attacked the kebele of Tell Qawaqir on Monday."

    def places(config: dict) -> list[str]:
        analysis = extract_places(Analysis(Article(id="a", text=text), doc=nlp(text)), config)
        return [m.text for m in analysis.mentions if m.label == "PLACE"]

    assert places({"knowledge": load_knowledge((str(path),))}) == ["Tell Qawaqir"]
    assert places({}) == []


def test_knowledge_user_rally_cause_and_death_cause_mark_reach_the_events_stage(nlp, tmp_path):
    # "a demonstration of sympathy" is a rally with the user's rally cause, a quality shown with
    # the built-in one; "died as jets struck": with the user's mark the clause says what the
    # deaths followed (issue 17: both lists were literals in code).
    from sitreps.extract.events import _cause_clauses, _shows_something, reading_with

    path = tmp_path / "events.toml"
    path.write_text('[words]\nrally_causes = ["sympathy"]\ndeath_cause_marks = ["as"]\n',
                    encoding="utf-8")
    user = load_knowledge((str(path),))
    (demonstration,) = [t for t in nlp("Thousands joined a demonstration of sympathy in Homs.")
                        if t.lower_ == "demonstration"]
    (died,) = [t for t in nlp("Three people died as jets struck the town.") if t.lower_ == "died"]
    with reading_with(user):
        assert not _shows_something(demonstration)
        assert [c.lower_ for c in _cause_clauses(died)] == ["struck"]
    with reading_with(None):
        assert _shows_something(demonstration)
        assert _cause_clauses(died) == []


def test_knowledge_user_tally_noun_gives_the_count_of_the_dead(nlp, tmp_path):
    # "the sum of people killed has risen to 108": with the user's tally noun the count is the
    # toll; the built-in lists read no toll (issue 17: the tally nouns were a literal in code).
    from sitreps.extract.casualties import find_fatalities

    path = tmp_path / "toll.toml"
    path.write_text('[words]\ntally_nouns = ["sum"]\n', encoding="utf-8")
    sentence = next(nlp("The sum of people killed in the city has risen to 108.").sents)
    found = find_fatalities(sentence, None, load_knowledge((str(path),)))
    assert found is not None and (found.low, found.high) == (108, 108)
    assert find_fatalities(sentence, None, None) is None
