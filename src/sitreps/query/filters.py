"""Event filters shared by every surface: the CLI's options, the API's query string, exports.

A filter becomes one SQL ``WHERE`` clause over a relation of named events (``merged_event_view``
or ``event_view``); values always travel as parameters, never spliced into the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sitreps.knowledge.package import Knowledge, derived
from sitreps.records import FACTUAL_MODALITIES


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters shared by the CLI, the exporters and the API."""

    event_type: str | None = None
    actor: str | None = None
    place: str | None = None
    since: date | None = None
    until: date | None = None
    modality: tuple[str, ...] | None = None
    limit: int | None = None
    offset: int = 0
    # Leave out the event types ACLED does not code (``acled = false`` in the ontology): the
    # PLOVER-only acts (statements, accusations, appeals) and a user's own types.
    acled_only: bool = False

    def unpaged(self) -> EventFilter:
        """The same filter without ``limit``/``offset``, for totals."""
        return EventFilter(**{**as_fields(self), "limit": None, "offset": 0})


def as_fields(where: EventFilter) -> dict[str, Any]:
    """A filter's fields as keyword arguments, to copy it with changes."""
    return {f.name: getattr(where, f.name) for f in fields(where)}


def factual_filter(**fields: Any) -> EventFilter:
    """The filter of every default view: asserted or reported events of ACLED's vocabulary.

    Background, hedged, negated and forecast mentions and PLOVER-only acts are stored and can be
    asked for (``--all``, ``modality=``), but no total or default listing counts them.

    >>> factual_filter(place="Aleppo").modality
    ('asserted', 'reported')
    """
    return EventFilter(modality=tuple(sorted(FACTUAL_MODALITIES)), acled_only=True, **fields)


@dataclass(frozen=True, slots=True)
class EventQuery:
    """An ``EventFilter`` plus what only a map or a search box asks: a bounding box and words.

    ``bbox`` is ``(min_lon, min_lat, max_lon, max_lat)``; ``q`` searches source sentences.
    """

    where: EventFilter = EventFilter()
    bbox: tuple[float, float, float, float] | None = None
    q: str | None = None


def like_substring(text: str) -> str:
    r"""An ``ILIKE ... ESCAPE '\'`` pattern matching ``text`` literally anywhere: a user's ``%``
    or ``_`` is a character, not a wildcard (issue 15: ``place=%`` matched everything).

    >>> like_substring("50%_off")
    '%50\\%\\_off%'
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """Read ``minlon,minlat,maxlon,maxlat``; raise ``ValueError`` with a message for users.

    >>> parse_bbox("35,30,40,37.5")
    (35.0, 30.0, 40.0, 37.5)
    """
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError("bbox must be four numbers: minlon,minlat,maxlon,maxlat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError("bbox must be four numbers: minlon,minlat,maxlon,maxlat") from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError(
            "bbox must satisfy -180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90"
        )
    return min_lon, min_lat, max_lon, max_lat


def non_acled_types(knowledge: Knowledge | None = None) -> tuple[str, ...]:
    """The event types ``knowledge``'s ontology says ACLED does not code (``acled = false``),
    which ``acled_only`` leaves out; the built-in package when ``None``.

    >>> non_acled_types()
    ('Non-ACLED',)
    """
    return derived(_non_acled_of, knowledge)


def _non_acled_of(knowledge: Knowledge) -> tuple[str, ...]:
    return tuple(sorted(name for name, kind in knowledge.event_types.items() if not kind.acled))


def event_clauses(
    where: EventFilter, knowledge: Knowledge | None = None
) -> tuple[list[str], list[Any]]:
    """The SQL conditions (joined with AND by the caller) of a filter, and their parameters.

    ``knowledge`` is the package whose ontology says which event types ``acled_only`` leaves
    out (the built-in one when ``None``).
    """
    clauses: list[str] = []
    params: list[Any] = []
    if where.event_type:
        clauses.append("(event_type ILIKE ? OR sub_event_type ILIKE ? OR plover_type ILIKE ?)")
        params += [where.event_type] * 3
    if where.actor:
        clauses.append(
            "(actor1 ILIKE ? ESCAPE '\\' OR actor2 ILIKE ? ESCAPE '\\' "
            "OR assoc_actor_1 ILIKE ? ESCAPE '\\' OR assoc_actor_2 ILIKE ? ESCAPE '\\' "
            "OR actor1_id = ? OR actor2_id = ?)"
        )
        params += [like_substring(where.actor)] * 4 + [where.actor] * 2
    if where.place:
        clauses.append(
            "(location ILIKE ? ESCAPE '\\' OR admin1 ILIKE ? ESCAPE '\\' "
            "OR country ILIKE ? ESCAPE '\\' OR place_id = ?)"
        )
        params += [like_substring(where.place)] * 3 + [where.place]
    if where.since:
        clauses.append("event_date >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("event_date <= ?")
        params.append(where.until)
    if where.modality:
        clauses.append(f"modality IN ({', '.join('?' for _ in where.modality)})")
        params += list(where.modality)
    skipped = non_acled_types(knowledge) if where.acled_only else ()
    if skipped:
        clauses.append(f"event_type NOT IN ({', '.join('?' for _ in skipped)})")
        params += list(skipped)
    return clauses, params


def where_sql(clauses: list[str]) -> str:
    """``WHERE a AND b`` for a list of conditions, or nothing."""
    return ("WHERE " + " AND ".join(f"({c})" for c in clauses)) if clauses else ""
