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


@pytest.fixture(scope="module")
def user_run(tmp_path_factory) -> dict:
    """Run the CLI with a config that names the knowledge file, and export every event."""
    folder = tmp_path_factory.mktemp("user")
    (folder / "mine.toml").write_text(KNOWLEDGE, encoding="utf-8")
    (folder / "sitreps.toml").write_text('[knowledge]\nfiles = ["mine.toml"]\n', "utf-8")
    (folder / "raid.txt").write_text(ARTICLE, encoding="utf-8")
    db = folder / "x.duckdb"
    runner = CliRunner()
    env = {"SITREPS_CACHE": str(folder / "cache")}
    result = runner.invoke(
        cli, ["run", str(folder / "raid.txt"), "--db", str(db), "--config",
              str(folder / "sitreps.toml")], env=env, catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    exported = runner.invoke(cli, ["export", "--db", str(db), "--format", "json", "--all"],
                             env=env, catch_exceptions=False)
    assert exported.exit_code == 0, exported.output
    return json.loads(exported.stdout)


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
