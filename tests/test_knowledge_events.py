"""The events stage reads the run's knowledge package, not the built-in one.

A user's knowledge file named in ``--config`` adds a euphemism for killing that kills only
fighters (``fighters_only``), a weapon with its rank (``weapon_rank``) and a word to one of the
events stage's word lists (``crowd_words``); each test sets the user's file against the
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
from sitreps.knowledge.event_lexicon import EVENT_WORD_LISTS, EventLexicon
from sitreps.knowledge.package import USER_WORD_LISTS, default_knowledge, derived, load_knowledge

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


def test_knowledge_events_stage_word_lists_are_user_settable():
    # Every list the events stage reads can be added to by a user's file, and no other
    # list of [words] is offered that no stage reads.
    assert EVENT_WORD_LISTS <= USER_WORD_LISTS
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
