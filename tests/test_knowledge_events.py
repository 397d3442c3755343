"""The events stage reads the run's knowledge package, not the built-in one.

A user's knowledge file named in ``--config`` adds a euphemism for killing that kills only
fighters (``fighters_only``), a weapon with its rank (``weapon_rank``) and words to the events
stage's word lists (``crowd_words``, ``foiling_verbs``, ``repelling_verbs``, ``held_words``) and
its modality reader's (``scheduled_words``); each test sets the user's file against the
built-in package, or against the same file without the flag, on the same articles, so none
passes whichever package the stage reads. Articles here were written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.extract.events import _lexicon, reading_with
from sitreps.knowledge.event_lexicon import READING_LEXICON_LISTS, EventLexicon, current_lexicon
from sitreps.knowledge.package import (
    _OPPOSITE_WORD_LISTS,
    USER_WORD_LISTS,
    default_knowledge,
    derived,
    load_knowledge,
)

KNOWLEDGE = """\
[triggers.verb]
kill = ["liquidate"]

[harm_verbs]
liquidate = { harm = "death", toll = true, FIGHTERS }

[sub_event_types."Loitering munition strike"]
event_type = "Explosions/Remote violence"
plover = "ASSAULT"
weapon_rank = 7

[senses]
loitering = { kind = "remote", sub_event_type = "Loitering munition strike" }

[triggers.weapon]
loitering = ["loitering"]

[words]
crowd_words = ["mourner"]
foiling_verbs = ["scupper"]
repelling_verbs = ["beat"]
held_words = ["administered"]
scheduled_words = ["earmark"]
"""

ARTICLES = {
    "fighters.txt": "date 2021-03-02 Army offensive near Saraqib\n"
    "Government troops liquidated 30 militants near Saraqib on Monday, the army said.\n",
    "ring.txt": "date 2021-03-03 Police operation in Idlib\n"
    "Police liquidated a smuggling ring in Idlib on Tuesday, officials said.\n",
    "munition.txt": "date 2021-03-04 Checkpoint attacked near Maarat al-Numan\n"
    "Rebels attacked an army checkpoint near Maarat al-Numan with loitering munitions on "
    "Wednesday, killing four soldiers.\n",
    "mourners.txt": "date 2021-03-06 Funeral in Daraa\n"
    "Mourners gathered outside the main hospital in Daraa on Friday, residents said.\n",
    "foiled.txt": "date 2021-03-08 Police operation in Homs\n"
    "Police scuppered an attack on a checkpoint in Homs and killed three gunmen on Monday.\n",
    "repelled.txt": "date 2021-03-12 Fighting near Palmyra\n"
    "Government troops beat back an attack by jihadists near Palmyra on Friday, state media "
    "said.\n",
    "held.txt": "date 2021-03-10 Shelling in Aleppo\n"
    "Rebels shelled regime-administered districts of Aleppo on Wednesday, killing five people.\n",
    "earmarked.txt": "date 2021-03-13 Raqqa offensive\n"
    "The assault on Raqqa is earmarked to begin in the spring, commanders said on Saturday.\n",
}


def _run(folder: Path, knowledge: str | None) -> list[dict]:
    """`sitreps run` over the articles (with the knowledge file if given); every event."""
    paths = []
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    db = str(folder / "x.duckdb")
    config: list[str] = []
    if knowledge is not None:
        (folder / "mine.toml").write_text(knowledge, encoding="utf-8")
        (folder / "sitreps.toml").write_text('[knowledge]\nfiles = ["mine.toml"]\n',
                                             encoding="utf-8")
        config = ["--config", str(folder / "sitreps.toml")]
    runner = CliRunner()
    result = runner.invoke(cli, ["run", *paths, "--db", db, *config], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["export", "--db", db, "--all"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["events"]


@pytest.fixture(scope="module")
def user(tmp_path_factory) -> list[dict]:
    return _run(tmp_path_factory.mktemp("user"), KNOWLEDGE.replace("FIGHTERS",
                                                                   "fighters_only = true"))


@pytest.fixture(scope="module")
def unflagged(tmp_path_factory) -> list[dict]:
    """The same file, with the verb of killing not limited to fighters."""
    return _run(tmp_path_factory.mktemp("unflagged"), KNOWLEDGE.replace(", FIGHTERS", ""))


@pytest.fixture(scope="module")
def builtin(tmp_path_factory) -> list[dict]:
    return _run(tmp_path_factory.mktemp("builtin"), None)


def _by_trigger(events: list[dict], trigger: str) -> list[dict]:
    return [e for e in events if e["trigger"] == trigger]


def test_knowledge_user_euphemism_kills_only_fighters(user, unflagged):
    [killing] = _by_trigger(user, "liquidated")
    assert killing["fatalities"] == 30
    assert "militants" in killing["sources"][0]["sentence"]
    # The same verb without fighters_only: "liquidated a smuggling ring" is a killing too.
    assert len(_by_trigger(unflagged, "liquidated")) == 2


def test_knowledge_user_weapon_with_its_rank_types_the_attack(user, builtin):
    strikes = [e for e in user if e["sub_event_type"] == "Loitering munition strike"]
    assert [e["event_type"] for e in strikes] == ["Explosions/Remote violence"]
    assert "loitering munitions" in strikes[0]["sources"][0]["sentence"]
    assert not [e for e in builtin if e["sub_event_type"] == "Loitering munition strike"]


def test_knowledge_user_crowd_word_gives_a_protest(user, builtin):
    [gathering] = _by_trigger(user, "gathered")
    assert gathering["event_type"] == "Protests"
    assert not _by_trigger(builtin, "gathered")


def _in_sentence(events: list[dict], words: str) -> list[dict]:
    return [e for e in events if words in e["sources"][0]["sentence"]]


def test_knowledge_user_foiling_verb_leaves_the_killing_as_the_event(user, builtin):
    # "scuppered an attack ... and killed three gunmen": the attack was stopped, so the
    # killing is the event (foiling_verbs); with the built-in lists the attack is.
    assert [e["trigger"] for e in _in_sentence(user, "scuppered")] == ["killed"]
    assert [e["trigger"] for e in _in_sentence(builtin, "scuppered")] == ["attack"]


def test_knowledge_user_repelling_verb_makes_the_attack_a_battle(user, builtin):
    [repelled] = _in_sentence(user, "beat back")
    assert repelled["sub_event_type"] == "Armed clash"
    assert [e["sub_event_type"] for e in _in_sentence(builtin, "beat back")] == ["Attack"]


def test_knowledge_user_held_word_makes_the_holder_no_party(user, builtin):
    # "regime-administered districts": the regime holds the place shelled (held_words), read
    # by the one helper the events and actors stages share.
    [shelling] = _in_sentence(user, "regime-administered")
    assert shelling["actor1"] == "Syrian rebels" and shelling["actor2"] is None
    [built_in] = _in_sentence(builtin, "regime-administered")
    assert built_in["actor2"] == "Syrian government forces"


def test_knowledge_user_scheduled_word_makes_the_assault_future(user, builtin):
    # The modality reader takes its lists from the run's package too (scheduled_words).
    assert [e["modality"] for e in _in_sentence(user, "earmarked")] == ["future"]
    assert [e["modality"] for e in _in_sentence(builtin, "earmarked")] == ["reported"]


def test_knowledge_event_lexicon_reads_every_user_word_list(tmp_path):
    # Each list of READING_LEXICON_LISTS reaches the lexicon the stage (and its modality reader and
    # place linker) read: a word added by a user's file is in the run's lexicon only. One word
    # in two lists of opposite meaning is refused, so one list of each such pair is left out.
    names = sorted(READING_LEXICON_LISTS - {second for _, second, _ in _OPPOSITE_WORD_LISTS})
    path = tmp_path / "mine.toml"
    path.write_text("[words]\n" + "".join(f'{n} = ["zzword"]\n' for n in names), encoding="utf-8")
    knowledge = load_knowledge((str(path),))
    lexicon = derived(EventLexicon.of, knowledge)
    with reading_with(knowledge):
        assert current_lexicon() is lexicon
    for name in names:
        assert "zzword" in getattr(lexicon, name), name
        assert "zzword" not in getattr(current_lexicon(), name), name


def test_knowledge_events_stage_word_lists_are_user_settable():
    # Every list the events stage reads can be added to by a user's file, and no other
    # list of [words] is offered that no stage reads.
    assert READING_LEXICON_LISTS <= USER_WORD_LISTS
    assert USER_WORD_LISTS <= set(default_knowledge().words)


def test_knowledge_event_lexicon_is_built_once_per_package(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[words]\ncrowd_words = ["mourner"]\n', encoding="utf-8")
    knowledge = load_knowledge((str(path),))
    lexicon = derived(EventLexicon.of, knowledge)
    assert derived(EventLexicon.of, knowledge) is lexicon
    assert "mourner" in lexicon.crowd_words
    assert "mourner" not in _lexicon().crowd_words  # outside a run: the built-in package
    with reading_with(knowledge):
        assert _lexicon() is lexicon
    assert "mourner" not in _lexicon().crowd_words
