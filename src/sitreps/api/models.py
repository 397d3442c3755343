"""Pydantic response and request models: the API's public contract, published at /docs."""

from __future__ import annotations

import datetime as dt

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SourceOut(_Model):
    """The sentence of an article that states a fact; ``start``/``end`` index its text."""

    article_id: str
    sentence: str | None = None
    start: int | None = None
    end: int | None = None


class EventSourceOut(SourceOut):
    """A source with the title and date of its article, for the event panel."""

    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


class EventOut(_Model):
    """One merged (real-world) event in the ACLED vocabulary; ``fatalities`` is the
    conservative merged figure, as in ``sitreps events`` and exports."""

    id: str
    article_id: str
    event_type: str | None = None
    sub_event_type: str | None = None
    plover_type: str | None = None
    trigger: str | None = None
    event_date: dt.date | None = None
    time_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: str | None = None
    assoc_actor_2: str | None = None
    actor1_id: str | None = None
    actor2_id: str | None = None
    location: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    place_id: str | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_high: int | None = None
    fatalities_as_stated: str | None = None
    modality: str | None = None
    confidence: float | None = None
    fatalities_low: int | None = None
    source_count: int | None = None
    member_count: int | None = None


class EventMentionOut(EventOut):
    """One article's report of an event (a member of a merged event), with its sentences.

    ``fatalities`` is this article's own (low) figure.
    """

    sources: list[EventSourceOut]


class EventDetail(EventOut):
    """A merged (real-world) event with every sentence it was read from, and its mentions:
    each article's own event, with its own sentences and toll."""

    sources: list[EventSourceOut]
    fatalities_best: int | None = None
    mentions: list[EventMentionOut] = []


class Page(_Model):
    """Paging facts shared by list answers."""

    total: int = Field(description="Rows matching the filters, before paging.")
    limit: int
    offset: int


class EventPage(Page):
    items: list[EventOut]


class Cluster(_Model):
    """Events in one grid cell of the map; ``event_id`` is set when the cell holds one event."""

    latitude: float
    longitude: float
    count: int
    fatalities: int
    event_type: str | None = None
    event_id: str | None = None


class ClusterAnswer(_Model):
    cell: float = Field(description="Cell size in degrees.")
    total: int = Field(description="Events with coordinates in the returned cells.")
    truncated: bool = Field(description="True when more cells matched than were returned.")
    clusters: list[Cluster]


class ActorBase(_Model):
    """The actor fields the list and the detail answers share."""

    id: str
    name: str
    aliases: list[str] | None = None
    kind: str | None = None
    country: str | None = None
    inter_code: int | None = None
    backers: list[str] | None = None
    part_of: str | None = None


class ActorOut(ActorBase):
    events: int = 0


class ActorPage(Page):
    items: list[ActorOut]


class RelationSource(SourceOut):
    date: dt.date | None = None


class RelationOut(_Model):
    """Every statement of one directed relation, with the sentences that state it."""

    subject_id: str
    subject: str | None = None
    predicate: str
    object_id: str
    object: str | None = None
    last_date: dt.date | None = None
    count: int
    sources: list[RelationSource] | None = None


class RelationAnswer(_Model):
    items: list[RelationOut]


class ActorDetail(ActorBase):
    event_count: int
    relations: list[RelationOut]
    events: list[EventOut] = Field(description="The most recent events, newest first.")


class ControlClaimOut(_Model):
    """One controller's latest claim about a place, with every sentence that states it."""

    controller_id: str | None = None
    controller: str | None = None
    change: str | None = None
    date: dt.date | None = None
    confidence: float | None = None
    sources: list[SourceOut] = []


class ControlStatementOut(ControlClaimOut):
    """One claim about one place on one date, with every sentence that states it."""

    place_id: str
    place: str | None = None


class ControlClaimsAnswer(_Model):
    at: dt.date | None = Field(description="Claims on or before this date; null: every claim.")
    items: list[ControlStatementOut]


class ControlOut(_Model):
    """A place's state by a date, as ``sitreps control`` gives it.

    ``status`` is ``held``, ``disputed`` or ``unknown``; ``summary`` is the CLI's line;
    ``controller``, ``change``, ``date`` and the source fields give the state as one claim.
    """

    place_id: str
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    admin1: str | None = None
    country: str | None = None
    status: str
    summary: str
    controller_id: str | None = None
    controller: str | None = None
    change: str | None = None
    date: dt.date | None = None
    article_id: str | None = None
    sentence: str | None = None
    start: int | None = None
    end: int | None = None
    holders: list[ControlClaimOut] = []
    latest: list[ControlClaimOut] = []


class ControlAnswer(_Model):
    at: dt.date | None = Field(description="The date asked about; null: the latest claims.")
    items: list[ControlOut]


class TimelinePoint(_Model):
    period: dt.date
    count: int
    fatalities: int


class TimelineAnswer(_Model):
    interval: str
    points: list[TimelinePoint]


class CountRow(_Model):
    key: str
    count: int
    fatalities: int


class StatsAnswer(_Model):
    total_events: int
    total_fatalities: int
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    by_month: list[CountRow]
    by_type: list[CountRow]
    by_actor: list[CountRow]
    by_admin1: list[CountRow]


class MentionOut(_Model):
    sentence_index: int | None = None
    start: int
    end: int
    text: str | None = None
    label: str | None = None
    entity_id: str | None = None


class EventSpan(_Model):
    event_id: str
    start: int | None = None
    end: int | None = None


class ArticleOut(_Model):
    """An article's text; mention and event offsets index ``text``."""

    id: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    language: str | None = None
    text: str
    mentions: list[MentionOut]
    event_spans: list[EventSpan]


class TextIn(_Model):
    """A text to ingest as one article."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=200_000)
    title: str | None = Field(default=None, max_length=1000)
    date: dt.date | None = None


class IngestRequest(_Model):
    """Web pages to fetch and texts to store, then extract events from.

    URLs must be http(s): the server never reads local paths given here.
    """

    model_config = ConfigDict(extra="forbid")
    urls: list[AnyHttpUrl] = Field(default_factory=list, max_length=50)
    texts: list[TextIn] = Field(default_factory=list, max_length=100)


class IngestAnswer(_Model):
    added: int
    already_stored: int
    near_duplicates: int
    articles_extracted: int
    events: int
    errors: list[str]


class Problem(_Model):
    """The JSON body of every error answer."""

    detail: str
