"""The stage registry: names, duplicates, pipeline checks and the snapshot of built-ins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitreps.registry import (
    PipelineError,
    StageRegistrationError,
    UnknownStage,
    check_pipeline,
    get_stage,
    register_stage,
    registered_stages,
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
