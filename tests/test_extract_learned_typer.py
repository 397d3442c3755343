"""The learned typer stage: what it changes, what it leaves to the rules, how config turns it on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sitreps.config import load_config
from sitreps.extract.learned_typer import STAGE, TyperOptionError, retype_acled
from sitreps.knowledge.event_lexicon import BATTLES, REMOTE, VAC
from sitreps.learn.textclf import load_classifier
from sitreps.pipeline import run_stages
from sitreps.records import Analysis, Article, Event, Source
from sitreps.registry import check_pipeline, get_stage

CLASH = "Soldiers exchanged fire with militants near Gao overnight."


def _event(sentence: str, event_type: str, sub_type: str, plover: str = "ASSAULT") -> Event:
    return Event(
        id=f"e-{sub_type}", event_type=event_type, sub_event_type=sub_type, plover_type=plover,
        trigger="x", sources=(Source("a", sentence, 0, len(sentence)),), stage="sitreps.events.v1",
    )


def _analysis(*events: Event) -> Analysis:
    return Analysis(article=Article(id="a", text=" ".join(e.sources[0].sentence for e in events)),
                    events=events)


def _typed(trained_typer, *events: Event, mode: str = "combined") -> tuple[Event, ...]:
    """Run the stage as a pipeline does, from the config file the trainer wrote."""
    config = load_config(trained_typer / "config.toml")
    if mode != "combined":
        options = {**config.stage_options, STAGE: {**config.options_for(STAGE), "mode": mode}}
        config = config.copy(stage_options=options)
    stages = tuple(s for s in check_pipeline(config.stages) if s.name == STAGE)
    return run_stages(_analysis(*events), stages, config).events


def test_typer_stage_changes_a_generic_attack_into_the_clash_its_sentence_describes(
    trained_typer,
):
    (event,) = _typed(trained_typer, _event(CLASH, VAC, "Attack"))
    assert (event.event_type, event.sub_event_type) == (BATTLES, "Armed clash")
    assert event.plover_type == "FIGHT" and event.stage == STAGE


def test_typer_stage_leaves_rare_and_trigger_named_types_to_the_rules(trained_typer):
    bomb = _event(CLASH, REMOTE, "Suicide bomb")        # too rare in the data: the rules' call
    sexual = _event(CLASH, VAC, "Sexual violence")      # absent from the data: the rules' call
    shelling = _event(CLASH, REMOTE, "Shelling/artillery/missile attack")  # the weapon is named
    assert _typed(trained_typer, bomb, sexual, shelling) == (bomb, sexual, shelling)


def test_typer_stage_learned_mode_types_every_event(trained_typer):
    (event,) = _typed(trained_typer, _event(CLASH, REMOTE, "Suicide bomb"), mode="learned")
    assert event.sub_event_type == "Armed clash"


def test_typer_stage_keeps_the_rules_type_below_the_threshold(trained_typer):
    model = load_classifier(trained_typer)
    clash = _event(CLASH, VAC, "Attack")
    sure = replace(model, meta={**model.meta, "threshold": 0.5})
    unsure = replace(model, meta={**model.meta, "threshold": 1.0})
    never = replace(model, meta={**model.meta, "threshold": None})
    assert retype_acled([clash], sure, "combined")[0].sub_event_type == "Armed clash"
    assert retype_acled([clash], unsure, "combined") == [clash]
    assert retype_acled([clash], never, "combined") == [clash]


def test_typer_stage_is_registered_but_off_by_default():
    assert "sitreps.typer.v1" not in load_config().stages
    assert get_stage(STAGE).default_config["acled_model"] == ""


def test_typer_stage_without_a_model_changes_nothing():
    analysis = _analysis(_event(CLASH, VAC, "Attack"))
    assert get_stage(STAGE).func(analysis, {"acled_model": "", "plover_model": ""}) == analysis


def test_typer_stage_refuses_an_unknown_mode_and_the_wrong_kind_of_model(trained_typer):
    func = get_stage(STAGE).func
    analysis = _analysis(_event(CLASH, VAC, "Attack"))
    with pytest.raises(TyperOptionError, match="mode"):
        func(analysis, {"acled_model": str(trained_typer), "mode": "sometimes"})
    with pytest.raises(TyperOptionError, match="kind 'acled', not 'plover'"):
        func(analysis, {"plover_model": str(trained_typer)})


def test_typer_stage_plover_model_changes_only_another_family(plover_tsv, tmp_path):
    from sitreps.learn.typer import train_plover

    folder = train_plover(plover_tsv, tmp_path / "p", min_count=2).folder
    func = get_stage(STAGE).func
    options = {"plover_model": str(folder)}
    demand = "The opposition in Gao urged the government to release the detainees."
    event = _event(demand, "Non-ACLED", "Non-ACLED", plover="AGREE")
    (typed,) = func(_analysis(event), options).events
    assert typed.plover_type == "DEMAND"
    # a code the data lacks stays with the rules
    unknown = replace(event, plover_type="REJECT")
    assert func(_analysis(unknown), options).events == (unknown,)
    # REQUEST (PLOVER's newer code) and the model's DEMAND are one act: the rules' code stays
    same_family = replace(event, plover_type="REQUEST")
    (kept,) = func(_analysis(same_family), options).events
    assert kept.plover_type == "REQUEST"
