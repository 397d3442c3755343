"""The stage registry: names, duplicates, pipeline checks and the snapshot of built-ins."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from sitreps import registry
from sitreps.registry import (
    ALWAYS_READABLE,
    ANALYSIS_FIELDS,
    PipelineError,
    StageContractError,
    StageOptionError,
    StageRegistrationError,
    UnknownStage,
    apply_stage,
    check_pipeline,
    get_stage,
    register_factory,
    register_stage,
    registered_stages,
    stage_table,
)

SNAPSHOT = Path(__file__).parent / "data" / "registry_snapshot.json"


def test_registry_matches_the_checked_in_snapshot():
    current = {
        name: {"reads": list(stage.reads), "writes": list(stage.writes),
               "defaults": dict(stage.default_config)}
        for name, stage in sorted(registered_stages().items())
        if name.startswith("sitreps.")
    }
    assert current == json.loads(SNAPSHOT.read_text())


@pytest.mark.parametrize("name", ["Events", "sitreps.events", "sitreps.events.v", "a.b.c.v1"])
def test_registry_refuses_bad_names(name):
    with pytest.raises(StageRegistrationError):
        register_stage(name, reads=(), writes=())


def test_registry_refuses_a_second_function_under_a_taken_name():
    def other(analysis, config):
        return analysis

    with pytest.raises(StageRegistrationError, match="already registered"):
        register_stage("sitreps.events.v1", reads=(), writes=("events",))(other)


def test_registry_refuses_unknown_fields():
    with pytest.raises(StageRegistrationError, match="unknown Analysis fields"):
        register_stage("test.bad.v1", reads=("nonsense",), writes=())


def test_registry_unknown_stage_says_what_exists():
    with pytest.raises(UnknownStage, match="sitreps.events.v1"):
        get_stage("sitreps.nothing.v1")


def test_registry_pipeline_check_fails_when_a_read_is_not_produced():
    with pytest.raises(PipelineError, match="reads"):
        check_pipeline(["sitreps.events.v1"])
    assert len(check_pipeline(["sitreps.actors.v1", "sitreps.places.v1", "sitreps.events.v1"])) == 3


# -- factories: options from typed signatures, declared reads and writes ----------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"place_lookbak": 5}, "no option 'place_lookbak'"),
        ({"place_lookback": "5"}, "must be int"),
        ({"place_lookback": True}, "must be int"),
    ],
)
def test_registry_unknown_or_mistyped_option_is_an_error(options, message):
    with pytest.raises(StageOptionError, match=message):
        get_stage("sitreps.events.v1").build(options)


def test_registry_options_come_from_the_factory_signature():
    stage = get_stage("sitreps.events.v1")
    assert stage.options["place_lookback"].type is int
    assert dict(stage.default_config)["place_lookback"] == 3
    assert stage.build({"place_lookback": 1}) is not None


def test_registry_config_typo_fails_before_any_article(tmp_path):
    from sitreps.config import load_config
    from sitreps.pipeline import build_stages

    path = tmp_path / "c.toml"
    path.write_text('[stages."sitreps.events.v1"]\nplace_lookbak = 5\n')
    config = load_config(path)
    with pytest.raises(StageOptionError, match="place_lookbak"):
        build_stages(check_pipeline(config.stages), config)


def test_registry_a_stage_writing_an_undeclared_field_is_caught():
    from dataclasses import replace

    from sitreps.records import Analysis, Article

    @register_factory("test.sneaky.v1", reads=(), writes=("events",))
    def make_sneaky():
        return lambda analysis: replace(analysis, notes={"secret": 1})

    stage = get_stage("test.sneaky.v1")
    with pytest.raises(StageContractError, match="notes"):
        apply_stage(stage, stage.build({}), Analysis(Article(id="a", text="")))


def test_registry_stages_read_only_what_they_declare(nlp, config):
    """Run the pipeline on a real article with an Analysis that records every field read."""
    from sitreps.pipeline import build_stages
    from sitreps.records import Analysis, Article

    read: set[str] = set()
    # dataclasses.replace copies every field and the runner compares them: neither is a read.
    not_stages = {dataclasses.__file__, registry.__file__}

    class Recording(Analysis):
        def __getattribute__(self, name):
            if name in ANALYSIS_FIELDS and sys._getframe(1).f_code.co_filename not in not_stages:
                read.add(name)
            return super().__getattribute__(name)

    text = ("Syrian government forces recaptured Palmyra from Islamic State fighters on "
            "Sunday, backed by Russian air strikes that killed 12 civilians, the Syrian "
            "Observatory for Human Rights said.")
    analysis = Recording(Article(id="a", text=text), doc=nlp(text))
    for stage, func in build_stages(check_pipeline(config.stages), config):
        read.clear()
        analysis = apply_stage(stage, func, analysis)
        assert isinstance(analysis, Recording)
        undeclared = read - set(stage.reads) - set(stage.writes) - ALWAYS_READABLE
        assert not undeclared, f"{stage.name} reads {sorted(undeclared)} without declaring it"
    assert analysis.events and analysis.relations is not None


def test_registry_readme_stage_table_is_generated():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    table = readme.split("<!-- stage-table -->\n", 1)[1].split("\n<!-- /stage-table -->", 1)[0]
    assert table == stage_table(), "regenerate it: python scripts/stage_table.py"


def test_registry_stage_modules_declare_no_reads_of_their_own():
    # Issue 17: what a stage reads and writes is declared once, at its registration
    # (stages.py); a module-level copy went stale (the relations stage's left out "notes").
    import importlib
    import pkgutil

    import sitreps.extract

    copies = [
        info.name for info in pkgutil.iter_modules(sitreps.extract.__path__)
        if {"READS", "WRITES"} & set(vars(importlib.import_module(f"sitreps.extract.{info.name}")))
    ]
    assert copies == []
