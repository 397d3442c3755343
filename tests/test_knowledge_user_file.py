"""A user's knowledge file, named in --config, adds a militia and a trigger word without code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitreps.cli import cli

KNOWLEDGE = """\
# A regional militia and a regional word for a raid on herds.
[[actors]]
id = "zamfara-hawks"
name = "Zamfara Hawks"
aliases = ["Zamfara Hawks", "Hawks Brigade"]
kind = "identity militia"
country = "NG"
part_of = "nigeria-vigilantes"
backers = []

[triggers.verb]
looting = ["rustle"]
"""

ARTICLE = """\
date 2021-03-02 Militia raids in Zamfara
The Hawks Brigade rustled hundreds of cattle in Zamfara on Monday, residents said.
The Zamfara Hawks have carried out similar raids across northwestern Nigeria this year.
Local officials said security forces were deployed to the area after the raid.
"""


# A nationality adjective the packaged demonyms lack, and a finer name for ACLED's inter code 8.
BORDER_KNOWLEDGE = """\
[demonyms]
MM = ["Myanmarese"]

[actor_kinds."private military company"]
inter = 8

[[actors]]
id = "corvus-security"
name = "Corvus Security"
aliases = ["Corvus Security", "Corvus contractors"]
kind = "private military company"
backers = []
"""

BORDER_ARTICLE = """\
date 2022-05-10 Fighting on the Bangladesh border
Myanmarese troops shelled a refugee camp near Teknaf in Bangladesh on Tuesday, killing three \
people, officials said.
Corvus Security attacked a police post in Cox's Bazar on Wednesday, killing two officers.
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One artefact cache for the module's runs: the gazetteer is built once."""
    return tmp_path_factory.mktemp("cache")


def _run(folder: Path, article: str, cache: Path, knowledge: str | None) -> dict:
    """Run the CLI on ``article`` (with a config naming ``knowledge`` when given), export all."""
    (folder / "article.txt").write_text(article, encoding="utf-8")
    config: list[str] = []
    if knowledge is not None:
        (folder / "mine.toml").write_text(knowledge, encoding="utf-8")
        (folder / "sitreps.toml").write_text('[knowledge]\nfiles = ["mine.toml"]\n', "utf-8")
        config = ["--config", str(folder / "sitreps.toml")]
    db = folder / "x.duckdb"
    runner = CliRunner()
    env = {"SITREPS_CACHE": str(cache)}
    result = runner.invoke(cli, ["run", str(folder / "article.txt"), "--db", str(db), *config],
                           env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    exported = runner.invoke(cli, ["export", "--db", str(db), "--format", "json", "--all"],
                             env=env, catch_exceptions=False)
    assert exported.exit_code == 0, exported.output
    return json.loads(exported.stdout)


@pytest.fixture(scope="module")
def user_run(tmp_path_factory, cache) -> dict:
    """Run the CLI with a config that names the knowledge file, and export every event."""
    return _run(tmp_path_factory.mktemp("user"), ARTICLE, cache, KNOWLEDGE)


def test_knowledge_user_file_adds_an_actor(user_run):
    actors = {actor["id"]: actor for actor in user_run["actors"]}
    assert "zamfara-hawks" in actors
    assert actors["zamfara-hawks"]["kind"] == "identity militia"


def test_knowledge_user_file_adds_a_trigger(user_run):
    rustling = [
        e for e in user_run["events"] if e["sub_event_type"] == "Looting/property destruction"
    ]
    assert rustling, [e["notes"] for e in user_run["events"]]
    assert rustling[0]["actor1"] == "Zamfara Hawks"


def test_knowledge_built_in_run_knows_neither(tmp_path):
    """Without the file, the same article has no rustling event (the test above is not vacuous)."""
    (tmp_path / "raid.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "x.duckdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(tmp_path / "raid.txt"), "--db", str(db)]).exit_code == 0
    exported = json.loads(
        runner.invoke(cli, ["export", "--db", str(db), "--format", "json", "--all"]).stdout
    )
    assert "zamfara-hawks" not in {actor["id"] for actor in exported["actors"]}
    assert not [e for e in exported["events"]
                if e["sub_event_type"] == "Looting/property destruction"]


def test_knowledge_bad_user_file_fails_before_the_run(tmp_path):
    (tmp_path / "mine.toml").write_text('[triggers.verb]\nlooting = ["kill"]\n', "utf-8")
    config = tmp_path / "sitreps.toml"
    config.write_text('[knowledge]\nfiles = ["mine.toml"]\n', "utf-8")
    (tmp_path / "raid.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "raid.txt"), "--db", str(tmp_path / "x.duckdb"),
              "--config", str(config)],
    )
    assert result.exit_code != 0
    assert f"{Path(tmp_path) / 'mine.toml'}:2" in result.output


@pytest.fixture(scope="module")
def border_runs(tmp_path_factory, cache) -> tuple[dict, dict]:
    """The border article read with the demonym and the contractor's kind, and without."""
    return (_run(tmp_path_factory.mktemp("border"), BORDER_ARTICLE, cache, BORDER_KNOWLEDGE),
            _run(tmp_path_factory.mktemp("plain"), BORDER_ARTICLE, cache, None))


def _shelling_actor(run: dict) -> str:
    [shelling] = [e for e in run["events"]
                  if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    return shelling["actor1"]


def test_knowledge_user_demonym_names_a_country_s_forces(border_runs):
    """"Myanmarese troops" are Myanmar's forces with the user's demonym; without it the story's
    country (Bangladesh) is taken for theirs."""
    with_file, without = border_runs
    assert _shelling_actor(with_file) == "Myanmar military forces"
    assert _shelling_actor(without) == "Bangladeshi state forces"


def test_knowledge_user_actor_kind_reaches_the_export(border_runs):
    with_file, without = border_runs
    actors = {actor["id"]: actor for actor in with_file["actors"]}
    assert actors["corvus-security"]["kind"] == "private military company"
    assert actors["corvus-security"]["inter_code"] == 8
    [attack] = [e for e in with_file["events"] if e["actor1"] == "Corvus Security"]
    assert attack["inter1"] == 8
    assert "corvus-security" not in {actor["id"] for actor in without["actors"]}


def test_knowledge_user_file_extends_a_list_moved_from_code(tmp_path):
    """``us_local_pairs`` left places.py for lexicon.toml (issue 17): a user's file adds a US
    local office ("parish constable") and the places stage, which reads the run's lexicon,
    takes the story for a US local one; the built-in lexicon does not."""
    import spacy

    from sitreps.extract.places import names_us_local_institutions
    from sitreps.geo.gazetteer import get_gazetteer
    from sitreps.knowledge.event_lexicon import EventLexicon, reading_lexicon
    from sitreps.knowledge.package import derived, load_knowledge

    path = tmp_path / "local.toml"
    path.write_text('[words]\nus_local_pairs = ["parish constable"]\n', encoding="utf-8")
    doc = spacy.blank("en")("The parish constable closed the road on Monday.")
    gazetteer = get_gazetteer()
    assert not names_us_local_institutions(doc, gazetteer)
    # The lexicon the places stage reads under (``extract_places`` with the run's package).
    with reading_lexicon(derived(EventLexicon.of, load_knowledge((str(path),)))):
        assert names_us_local_institutions(doc, gazetteer)


def test_knowledge_user_file_adds_a_vague_count(tmp_path, nlp):
    """The vague counts left casualties.py for ``[vague_counts]`` of lexicon.toml (issue 17): a
    user's file adds a regional one ("lakhs", hundreds of thousands in Indian English, with the
    counting noun that makes "lakhs of people" a count) and the toll reader, given the run's
    package, codes it; the built-in package reads no toll there."""
    from sitreps.extract.casualties import find_fatalities, parse_count, toll_words
    from sitreps.knowledge.package import load_knowledge

    path = tmp_path / "regional.toml"
    path.write_text('[vague_counts]\nlakhs = [100000, 999999]\n\n[words]\n'
                    'counting_nouns = ["lakhs"]\n', encoding="utf-8")
    knowledge = load_knowledge((str(path),))
    assert parse_count("lakhs of people", toll_words(knowledge)) == (100_000, 999_999)
    assert parse_count("lakhs of people") is None
    sentence = next(nlp("The floods killed lakhs of people across the state.").sents)
    assert find_fatalities(sentence, None, knowledge).low == 100_000
    assert find_fatalities(sentence) is None
