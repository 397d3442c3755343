"""What the read library returns: frozen records that every surface renders the same way.

The CLI prints them, the API serialises them (:func:`as_dict`), the report and the dashboard
render them; none of those surfaces reads the database itself, so none can disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from functools import cache
from typing import Any

from sitreps.control_query import ControlStatement
from sitreps.merge import FatalityReport


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A sentence an event, relation or claim was read from, with its article's metadata."""

    article_id: str
    sentence: str | None
    start: int | None
    end: int | None
    title: str | None = None
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event as analysts read it: canonical actor names, place fields, ACLED columns.

    A merged (real-world) event by default; the same record holds one article's own event
    (a *mention*, ``member_count`` 1). ``fatalities`` is the conservative figure: the lowest
    any source gives for a merged event, the article's own low figure for a mention.
    """

    id: str
    article_id: str | None
    event_type: str | None
    sub_event_type: str | None
    plover_type: str | None
    trigger: str | None
    event_date: date | None
    time_precision: int | None
    actor1: str | None
    actor2: str | None
    assoc_actor_1: str | None
    assoc_actor_2: str | None
    actor1_id: str | None
    actor2_id: str | None
    inter1: int | None
    inter2: int | None
    location: str | None
    admin1: str | None
    admin2: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    place_id: str | None
    geo_precision: int | None
    fatalities: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    fatalities_as_stated: str | None
    fatalities_victims: str | None
    modality: str | None
    confidence: float | None
    source_count: int
    member_count: int
    fatality_reports: tuple[FatalityReport, ...] = ()
    sources: tuple[SourceRef, ...] = ()


# The columns an EventRecord is read from, named by the record itself: every field but the two
# that come from other tables. ``fatalities`` is read from a relation-specific expression.
EVENT_RECORD_COLUMNS = tuple(
    f.name for f in fields(EventRecord) if f.name not in ("fatality_reports", "sources")
)


@dataclass(frozen=True, slots=True)
class EventDetail:
    """A merged event with its per-article mentions, each with its own sentences and toll."""

    event: EventRecord
    member_ids: tuple[str, ...]
    mentions: tuple[EventRecord, ...]


@dataclass(frozen=True, slots=True)
class EventPage:
    """One page of events and how many match before paging."""

    total: int
    limit: int | None
    offset: int
    items: tuple[EventRecord, ...]


@dataclass(frozen=True, slots=True)
class ClusterCell:
    """Events with coordinates in one grid cell of the map."""

    latitude: float
    longitude: float
    count: int
    fatalities: int
    event_type: str | None
    event_id: str | None


@dataclass(frozen=True, slots=True)
class Clusters:
    """The map's cells; ``truncated`` when more cells matched than were returned."""

    cell: float
    total: int
    truncated: bool
    clusters: tuple[ClusterCell, ...]


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """Events and deaths in one day, week or month."""

    period: date
    count: int
    fatalities: int


@dataclass(frozen=True, slots=True)
class CountRow:
    """One row of a breakdown: a key (month, type, actor, admin1), its events and deaths."""

    key: str
    count: int
    fatalities: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Totals and breakdowns of the merged events matching a query."""

    total_events: int
    total_fatalities: int
    first_date: date | None
    last_date: date | None
    by_month: tuple[CountRow, ...]
    by_type: tuple[CountRow, ...]
    by_actor: tuple[CountRow, ...]
    by_admin1: tuple[CountRow, ...]


@dataclass(frozen=True, slots=True)
class ActorRecord:
    """An actor and the number of merged factual events it takes part in."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str | None
    country: str | None
    inter_code: int | None
    backers: tuple[str, ...]
    part_of: str | None
    events: int


@dataclass(frozen=True, slots=True)
class ActorPage:
    """One page of actors, most active first."""

    total: int
    limit: int | None
    offset: int
    items: tuple[ActorRecord, ...]


@dataclass(frozen=True, slots=True)
class RelationSource:
    """A sentence stating a relation, with its date."""

    article_id: str
    sentence: str | None
    start: int | None
    end: int | None
    date: date | None


@dataclass(frozen=True, slots=True)
class RelationRecord:
    """One (subject, predicate, object) relation with every sentence that states it."""

    subject_id: str
    subject: str | None
    predicate: str
    object_id: str
    object: str | None
    last_date: date | None
    count: int
    sources: tuple[RelationSource, ...]


@dataclass(frozen=True, slots=True)
class ActorDetail:
    """An actor with its relations and most recent merged factual events."""

    actor: ActorRecord
    event_count: int
    relations: tuple[RelationRecord, ...]
    events: tuple[EventRecord, ...]


@dataclass(frozen=True, slots=True)
class ControlState:
    """A place's state on a date, as one line and as one claim for the map.

    ``status`` is ``held``, ``disputed`` or ``unknown``; ``summary`` is the line ``sitreps
    control`` prints. ``controller``, ``change`` and ``date`` are the holder's claim; when
    sources disagree, ``contested`` by every holder named; when nobody holds the place, the
    latest claim (e.g. who lost it).
    """

    place_id: str
    place: str | None
    latitude: float | None
    longitude: float | None
    admin1: str | None
    country: str | None
    status: str
    summary: str
    controller_id: str | None
    controller: str | None
    change: str | None
    date: date | None
    article_id: str | None
    sentence: str | None
    start: int | None
    end: int | None
    holders: tuple[ControlStatement, ...]
    latest: tuple[ControlStatement, ...]


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """An entity mention in an article's text."""

    sentence_index: int | None
    start: int
    end: int
    text: str | None
    label: str | None
    entity_id: str | None


@dataclass(frozen=True, slots=True)
class EventSpan:
    """Where in an article's text one of its events was read."""

    event_id: str
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An article's text with its mentions and the spans its events were read from."""

    id: str
    title: str | None
    url: str | None
    source: str | None
    published: date | None
    language: str | None
    text: str
    mentions: tuple[MentionSpan, ...]
    event_spans: tuple[EventSpan, ...]


@cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def as_dict(value: Any) -> Any:
    """A result as JSON-ready Python: dataclasses become dicts, tuples lists (recursively).

    Faster than ``dataclasses.asdict``, which deep-copies every value: the API serialises
    pages of hundreds of events per request.

    >>> as_dict(TimelinePoint(date(2016, 12, 1), 3, 7))
    {'period': datetime.date(2016, 12, 1), 'count': 3, 'fatalities': 7}
    """
    if is_dataclass(value) and not isinstance(value, type):
        return {name: as_dict(getattr(value, name)) for name in _names(type(value))}
    if isinstance(value, (list, tuple)):
        return [as_dict(v) for v in value]
    if isinstance(value, dict):
        return {k: as_dict(v) for k, v in value.items()}
    return value
