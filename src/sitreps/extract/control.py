"""Territorial control claims derived from events that change who holds a place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sitreps.records import Analysis, ControlClaim, Event

STAGE = "sitreps.control.v1"

TERRITORY_SUB_TYPES = frozenset(
    {"Government regains territory", "Non-state actor overtakes territory"}
)
TRANSFER_SUB_TYPES = frozenset({"Non-violent transfer of territory"})
# Forecasts, denials and hedges say nothing about who holds a place today.
FACTUAL_MODALITIES = frozenset({"asserted", "reported"})


def claims_from_event(event: Event) -> tuple[ControlClaim, ...]:
    """The control claims one event implies: the winner gained the place, the loser lost it."""
    if event.place_id is None or event.modality not in FACTUAL_MODALITIES:
        return ()
    claims = []
    if event.sub_event_type in TERRITORY_SUB_TYPES:
        if event.actor1:
            claims.append((event.actor1, "gained"))
        if event.actor2:
            claims.append((event.actor2, "lost"))
    elif event.sub_event_type in TRANSFER_SUB_TYPES and event.actor1:
        claims.append((event.actor1, "lost"))
    return tuple(
        ControlClaim(
            place_id=event.place_id,
            controller=actor,
            change=change,
            date=event.event_date,
            sources=event.sources,
            stage=STAGE,
        )
        for actor, change in claims
    )


def extract_control(analysis: Analysis, config: Mapping[str, Any]) -> Analysis:
    """Add the control claims implied by the article's territorial events."""
    claims = tuple(claim for event in analysis.events for claim in claims_from_event(event))
    return replace(analysis, control_claims=analysis.control_claims + claims)
