"""The typed records that flow between sitreps stages.

Every record is a frozen dataclass with slots: stages return new records and never mutate the
ones they were given, so a stage can run in-process or on a remote worker with the same result.
Character offsets (``start``/``end``) always index into ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sitreps.knowledge.package import default_knowledge

# ACLED inter codes of actor kinds (ontology.toml): 1 state forces ... 8 external/other forces.
ACTOR_KINDS: dict[str, int] = {
    name: kind.inter for name, kind in default_knowledge().actor_kinds.items()
}

# ``background``: a running toll, a span of years, a habit or history ("years of shelling",
# "300,000 killed since 2011", "seized in the 1967 war"): a mention, never a factual event.
MODALITIES = ("asserted", "reported", "hedged", "negated", "future", "background")
FACTUAL_MODALITIES = frozenset({"asserted", "reported"})


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read from a source.

    ``id`` is the sha256 of the normalised text, so the same article read twice has one id.
    """

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None
    lede: str | None = None
    language: str | None = None
    origin: str | None = None
    ingested_at: datetime | None = None
    duplicate_of: str | None = None
    # Page furniture removed at ingest ("Tags ...", "Source AFP Related News ..."), in order;
    # not stored yet, so an article read back from the store has ().
    boilerplate: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestError:
    """An input that could not be read, with the reason, so nothing is skipped silently.

    ``kind`` says what went wrong, for code to decide on: ``input`` (unreadable or refused),
    ``truncated`` (analysed only in part), ``extraction`` (a stage failed on the article).
    """

    origin: str
    reason: str
    item: str | None = None
    at: datetime | None = None
    kind: str = "input"


@dataclass(frozen=True, slots=True)
class Source:
    """The provenance of a fact: the sentence of an article that states it."""

    article_id: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of an article that names an actor, a place or another entity.

    ``label`` is ``ACTOR``, ``PLACE`` or a spaCy entity label; ``entity_id`` is the actor or place
    id it resolved to, or ``None`` when it stayed unresolved.
    """

    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None = None
    stage: str = ""


@dataclass(frozen=True, slots=True)
class Actor:
    """An armed group, state, force, person or population that takes part in events."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "external/other force"
    country: str | None = None
    inter_code: int = 8
    backers: tuple[str, ...] = ()
    part_of: str | None = None
    leader_of: str | None = None
    is_new: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer place (GeoNames id where known) with its admin context and coordinates."""

    id: str
    name: str
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    feature_class: str | None = None
    population: int | None = None
    geo_precision: int = 1


@dataclass(frozen=True, slots=True)
class Fatalities:
    """A death toll as stated ("at least 12", "dozens") and normalised to a low/high range."""

    low: int
    high: int
    as_stated: str
    victims: str | None = None

    @property
    def best(self) -> int:
        """ACLED codes the conservative figure: the low end of the stated range."""
        return self.low


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, where and when, with the sentence that says so."""

    id: str
    event_type: str
    sub_event_type: str
    plover_type: str
    trigger: str
    event_date: date | None = None
    time_precision: int = 3
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: str | None = None
    assoc_actor_2: str | None = None
    place_id: str | None = None
    geo_precision: int | None = None
    fatalities: Fatalities | None = None
    modality: str = "asserted"
    confidence: float = 0.5
    sources: tuple[Source, ...] = ()
    stage: str = ""


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed relation between two actors: backs, allied_with, fights, part_of, leads."""

    subject: str
    predicate: str
    object: str
    date: date | None = None
    sources: tuple[Source, ...] = ()
    stage: str = ""


@dataclass(frozen=True, slots=True)
class ControlClaim:
    """A claim that an actor gained, lost, holds or contests a place at a date."""

    place_id: str
    controller: str
    change: str
    date: date | None = None
    sources: tuple[Source, ...] = ()
    stage: str = ""
    # How far the pattern that found the claim is to be trusted (0..1): queries rank by it.
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Analysis:
    """One article as it moves through the extraction stages.

    ``doc`` is the spaCy ``Doc`` of ``article.text``; the other fields are filled by stages and
    each stage returns a copy with its own fields added (``dataclasses.replace``).
    """

    article: Article
    doc: Any = None
    mentions: tuple[Mention, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    control_claims: tuple[ControlClaim, ...] = ()
    notes: dict[str, Any] = field(default_factory=dict)
