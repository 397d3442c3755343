"""The built-in extraction stages, registered through the same door as any extension.

Each stage is built by a factory ``make_<stage>(**options)``: its typed keyword parameters are
the stage's options (defaults and validation come from the signature), and a ``knowledge``
parameter receives the run's knowledge package. Each stage is registered under the name its
module stamps on what it makes (its ``STAGE``), so the name is written once. The default
pipeline order lives in
``default_config.toml``; the README's stage table is generated from this registry
(:func:`sitreps.registry.stage_table`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sitreps.extract import (
    actors,
    control,
    events,
    incidents,
    learned_typer,
    places,
    relations,
)
from sitreps.extract.actors import extract_actors
from sitreps.extract.control import extract_control
from sitreps.extract.events import DEFAULT_EVENT_OPTIONS, extract_events
from sitreps.extract.incidents import group_incidents
from sitreps.extract.learned_typer import DEFAULT_TYPER_OPTIONS, retype_events
from sitreps.extract.locate_learned import DEFAULT_LINKER, linking_article
from sitreps.extract.places import extract_places
from sitreps.extract.relations import extract_relations
from sitreps.knowledge.package import Knowledge
from sitreps.records import Analysis
from sitreps.registry import StageFunc, register_factory


@register_factory(actors.STAGE, reads=("doc",), writes=("mentions", "actors", "notes"))
def make_actors(knowledge: Knowledge | None = None, focus_country: str | None = None) -> StageFunc:
    """Actor mentions and actors: the knowledge base's, plus new ones with a guessed kind."""
    options: dict[str, Any] = {"knowledge": knowledge}
    if focus_country is not None:
        options["focus_country"] = focus_country
    return partial(extract_actors, config=options)


@register_factory(places.STAGE, reads=("doc",), writes=("mentions", "places"))
def make_places(
    knowledge: Knowledge | None = None,
    labels: tuple[str, ...] | None = None,
    unlisted_names: bool = True,
) -> StageFunc:
    """Place mentions resolved to gazetteer places (demonyms from the run's package)."""
    options: dict[str, Any] = {} if labels is None else {"labels": tuple(labels)}
    options["unlisted_names"] = unlisted_names
    options["knowledge"] = knowledge
    return partial(extract_places, config=options)


@register_factory(
    events.STAGE,
    reads=("doc", "mentions", "actors", "places"),
    # New actors named only as an event's side ("gunmen") join the article's actors.
    writes=("events", "actors"),
)
def make_events(
    knowledge: Knowledge | None = None,
    place_lookback: int = int(DEFAULT_EVENT_OPTIONS["place_lookback"]),
    location_linker: str = DEFAULT_LINKER,
) -> StageFunc:
    """Events: type, roles, place, date, fatalities and modality, one or more per sentence."""
    options = {
        "knowledge": knowledge, "place_lookback": place_lookback,
        "location_linker": location_linker,
    }
    return partial(_events_guarded, config=options)


def _events_guarded(analysis: Analysis, config: dict[str, Any]) -> Analysis:
    """:func:`extract_events` with the article's places set for the learned linker's country
    guard (see :func:`sitreps.extract.locate_learned.linking_article`): the stage links one
    sentence at a time, the guard needs the story's country."""
    with linking_article(analysis):
        return extract_events(analysis, config)


# Off unless a config lists it (`sitreps train` writes one): learned typing of the events.
@register_factory(learned_typer.STAGE, reads=("events",), writes=("events",))
def make_typer(
    acled_model: str = str(DEFAULT_TYPER_OPTIONS["acled_model"]),
    plover_model: str = str(DEFAULT_TYPER_OPTIONS["plover_model"]),
    mode: str = str(DEFAULT_TYPER_OPTIONS["mode"]),
) -> StageFunc:
    """Events re-typed by a model you trained (`sitreps train`); off unless a config lists it."""
    options = {"acled_model": acled_model, "plover_model": plover_model, "mode": mode}
    return partial(retype_events, config=options)


@register_factory(
    incidents.STAGE, reads=("doc", "mentions", "events", "places", "actors"), writes=("events",)
)
def make_incidents(knowledge: Knowledge | None = None) -> StageFunc:
    """The factual mentions of one incident folded into one event with every sentence as a
    source, one toll and the best-supported type, actors, place and date."""
    return partial(group_incidents, config={"knowledge": knowledge})


@register_factory(
    relations.STAGE,
    reads=("doc", "mentions", "actors", "notes"),
    # Leaders named only in a relation ("led by Abu Omar") join the article's actors.
    writes=("relations", "actors"),
)
def make_relations(knowledge: Knowledge | None = None) -> StageFunc:
    """Relations between actors: backs, allied_with, fights, part_of, leads."""
    return partial(extract_relations, config={"knowledge": knowledge})


@register_factory(
    control.STAGE,
    reads=("doc", "mentions", "events", "places"),
    writes=("control_claims",),
)
def make_control(knowledge: Knowledge | None = None) -> StageFunc:
    """Control claims (gained, lost, holds, contested) from territorial events and statements."""
    return partial(extract_control, config={"knowledge": knowledge})


BUILTIN_FACTORIES = (
    make_actors, make_places, make_events, make_typer, make_incidents, make_relations,
    make_control,
)
