"""Dated key events, most important first per day: the library behind ``sitreps timeline``.

A timeline reads merged events (one per real-world event, see :mod:`sitreps.merge`), keeps the
factual ones and ranks each day's events by :func:`importance`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sitreps.knowledge.package import Knowledge, derived
from sitreps.query.filters import EventFilter
from sitreps.query.reader import NO_FILTER, Reader, reader_for
from sitreps.store.duckdb import Store

FACTUAL = ("asserted", "reported")
# Importance weights, hand-set (no gold ranking yet): a tenfold toll adds 2 points, each extra
# independent source 1 point, a change of territory 3 points (as much as ~30 deaths).
WEIGHT_FATALITIES = 2.0
WEIGHT_SOURCES = 1.0
WEIGHT_TERRITORY = 3.0


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One merged event on the timeline, with a one-line summary and its sources."""

    event_id: str
    event_date: date | None
    time_precision: int | None
    event_type: str | None
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    location: str | None
    fatalities: int | None
    source_count: int
    importance: float
    summary: str
    sources: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class TimelineDay:
    """The entries of one day, most important first."""

    day: date | None
    entries: tuple[TimelineEntry, ...]


def importance(row: dict[str, Any], knowledge: Knowledge | None = None) -> float:
    """Why an event matters: its toll (log scale), independent sources, territorial change
    (a sub-event type ``knowledge``'s ontology gives control claims; built-in when ``None``).

    >>> importance({"fatalities_best": 9, "source_count": 2, "sub_event_type": "Attack"})
    3.0
    """
    deaths = row.get("fatalities_best")
    if deaths is None:
        deaths = row.get("fatalities_low") or 0
    score = WEIGHT_FATALITIES * math.log10(1 + deaths)
    score += WEIGHT_SOURCES * max(0, (row.get("source_count") or 1) - 1)
    if row.get("sub_event_type") in derived(_changes_hands, knowledge):
        score += WEIGHT_TERRITORY
    return round(score, 3)


def _changes_hands(knowledge: Knowledge) -> frozenset[str]:
    """Sub-event types by which a place is taken or ceded (``control`` in the ontology)."""
    return knowledge.sub_types(control="taken") | knowledge.sub_types(control="ceded")


def summarise(row: dict[str, Any]) -> str:
    """A one-line, source-neutral description of a merged event."""
    who = row.get("actor1") or "Unidentified actor"
    text = f"{row.get('sub_event_type') or row.get('event_type')}: {who}"
    if row.get("actor2"):
        text += f" against {row['actor2']}"
    if row.get("location"):
        text += f" in {row['location']}"
    deaths = row.get("fatalities_best", row.get("fatalities_low"))
    if deaths:
        text += f"; at least {deaths} killed"
    sources = row.get("source_count") or 1
    if sources > 1:
        text += f" ({sources} sources)"
    return text


def timeline_entries(
    store: Store | Reader, where: EventFilter = NO_FILTER, knowledge: Knowledge | None = None
) -> list[TimelineEntry]:
    """The factual merged events matching ``where`` as timeline entries, unsorted, read with
    ``knowledge`` (a reader's own package when ``store`` is a reader)."""
    factual = replace(where, modality=where.modality or FACTUAL)
    reader = reader_for(store, knowledge)
    return [
        TimelineEntry(
            event_id=row["id"], event_date=row["event_date"],
            time_precision=row.get("time_precision"), event_type=row.get("event_type"),
            sub_event_type=row.get("sub_event_type"), actor1=row.get("actor1"),
            actor2=row.get("actor2"), location=row.get("location"),
            fatalities=row.get("fatalities_best", row.get("fatalities_low")),
            source_count=row.get("source_count") or 1,
            importance=importance(row, reader.knowledge),
            summary=summarise(row), sources=tuple(row["sources"]),
        )
        for row in reader.event_dicts(factual)
    ]


def build_timeline(
    store: Store | Reader, where: EventFilter = NO_FILTER, knowledge: Knowledge | None = None
) -> list[TimelineDay]:
    """Days in date order (undated last), each with its events most important first.

    Args:
        store: an open store, or a reader.
        where: actor, place and date filters (``modality`` defaults to factual events).
        knowledge: the package the database was built with (``--config``'s knowledge files):
            which types it leaves out, merges in memory and counts as territorial; the built-in
            package when ``None`` (a reader given as ``store`` keeps its own).
    Returns:
        a list of :class:`TimelineDay`.
    """
    days: dict[date | None, list[TimelineEntry]] = {}
    for entry in timeline_entries(store, where, knowledge):
        days.setdefault(entry.event_date, []).append(entry)
    return [
        TimelineDay(day, tuple(sorted(entries, key=lambda e: (-e.importance, e.event_id))))
        for day, entries in sorted(days.items(), key=lambda kv: (kv[0] is None, kv[0] or date.min))
    ]


def format_timeline(days: list[TimelineDay], *, max_sources: int = 3) -> str:
    """Plain text for the terminal: a line per event, its source sentences indented."""
    if not days:
        return "No factual events match.\n"
    lines: list[str] = []
    for day in days:
        lines.append(day.day.isoformat() if day.day else "undated")
        for entry in day.entries:
            approx = "" if entry.time_precision in (None, 1) else " (approximate date)"
            lines.append(f"  * {entry.summary}{approx}")
            for source in entry.sources[:max_sources]:
                lines.append(f"      [{source['article_id'][:12]}] {source['sentence']}")
            if len(entry.sources) > max_sources:
                lines.append(f"      ... and {len(entry.sources) - max_sources} more source(s)")
    return "\n".join(lines) + "\n"
