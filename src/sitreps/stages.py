"""The built-in extraction stages, registered through the same door as any extension.

Each entry: a versioned name, the stage function, the Analysis fields it reads and writes, and its
default options. The default pipeline order lives in ``default_config.toml``.
"""

from __future__ import annotations

from sitreps.extract.actors import extract_actors
from sitreps.extract.control import extract_control
from sitreps.extract.events import DEFAULT_EVENT_OPTIONS, extract_events
from sitreps.extract.incidents import group_incidents
from sitreps.extract.learned_typer import DEFAULT_TYPER_OPTIONS, retype_events
from sitreps.extract.places import extract_places
from sitreps.extract.relations import extract_relations
from sitreps.registry import register_stage

BUILTIN_STAGES = (
    ("sitreps.actors.v1", extract_actors, ("doc",), ("mentions", "actors", "notes"), {}),
    ("sitreps.places.v1", extract_places, ("doc",), ("mentions", "places"), {}),
    (
        "sitreps.events.v1",
        extract_events,
        ("doc", "mentions", "actors", "places"),
        ("events",),
        DEFAULT_EVENT_OPTIONS,
    ),
    # Off unless a config lists it (`sitreps train` writes one): learned typing of the events.
    ("sitreps.typer.v1", retype_events, ("events",), ("events",), DEFAULT_TYPER_OPTIONS),
    ("sitreps.incidents.v1", group_incidents, ("events", "places"), ("events",), {}),
    ("sitreps.relations.v1", extract_relations, ("doc", "mentions", "actors"), ("relations",), {}),
    (
        "sitreps.control.v1",
        extract_control,
        ("doc", "mentions", "events", "places"),
        ("control_claims",),
        {},
    ),
)

for _name, _func, _reads, _writes, _defaults in BUILTIN_STAGES:
    register_stage(_name, reads=_reads, writes=_writes, default_config=_defaults)(_func)
